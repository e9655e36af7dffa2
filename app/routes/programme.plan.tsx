import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { addMonths, cycleOf, formatCycle } from '../../shared/programme'
import { newSeed } from '../../shared/sampling'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, SelectField, TextField } from '~/components/forms'
import { requirePermission } from '~/utils/auth.server'
import { parsePlanRequest, proposePlan, savePlan } from '~/utils/plan.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const url = new URL(request.url)
  const nextCycle = addMonths(cycleOf(new Date()), 1)
  const chosen = url.searchParams.has('cycle') ? parsePlanRequest(url.searchParams) : undefined
  const proposal = await proposePlan(
    context.db,
    user.councilId,
    chosen?.success ? chosen.data : undefined,
  )
  return json({
    ...proposal,
    defaults: {
      cycle: url.searchParams.get('cycle') ?? nextCycle,
      seed: url.searchParams.get('seed') ?? newSeed(),
      dueDate: url.searchParams.get('dueDate') ?? `${addMonths(nextCycle, 1)}-01`,
    },
    requestErrors: chosen && !chosen.success ? chosen.error.issues.map((i) => i.message) : [],
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const result = await savePlan(context.db, user.councilId, await request.formData())
  if (!result.ok) return json({ errors: result.errors }, { status: 400 })
  return redirect(`/programme/${result.cycle}?planned=${result.count}`)
}

export default function PlanPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors = actionData?.errors
  const { request: chosen, templates, teams, services, exclusionMonths } = data
  return (
    <>
      <Link to="/programme" className="govuk-back-link">
        Back to the programme
      </Link>
      <ErrorSummary
        errors={
          errors ?? (data.requestErrors.length > 0 ? { form: data.requestErrors } : undefined)
        }
      />
      <h1 className="govuk-heading-l">Plan a cycle</h1>
      <Form method="get" noValidate>
        <h2 className="govuk-heading-m">1. The cycle</h2>
        <TextField
          name="cycle"
          label="Month (YYYY-MM)"
          hint="The month the audits are scheduled for, for example 2026-12"
          defaultValue={chosen?.cycle ?? data.defaults.cycle}
          width="govuk-input--width-20"
        />
        <SelectField
          name="template"
          label="Template"
          options={templates.map((t) => ({
            value: t.code,
            text: `${t.title} (version ${t.version})`,
          }))}
          defaultValue={chosen?.template}
        />
        <TextField
          name="dueDate"
          label="Due date (YYYY-MM-DD)"
          defaultValue={chosen?.dueDate ?? data.defaults.dueDate}
          width="govuk-input--width-20"
        />
        <div className="govuk-form-group">
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
              How to choose cases
            </legend>
            <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
              {[
                ['sample', 'Draw a random sample'],
                ['hand', 'Pick cases by hand'],
              ].map(([value, label]) => (
                <div key={value} className="govuk-radios__item">
                  <input
                    className="govuk-radios__input"
                    id={`mode-${value}`}
                    name="mode"
                    type="radio"
                    value={value}
                    defaultChecked={(chosen?.mode ?? 'sample') === value}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor={`mode-${value}`}>
                    {label}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <CheckboxGroup
          name="teams"
          legend="Teams"
          hint="Leave all unticked for every team"
          options={teams.map((t) => ({ value: t.id, text: `${t.name} (${t.service})` }))}
          checked={chosen?.teams ?? []}
        />
        <CheckboxGroup
          name="services"
          legend="Services"
          hint="Leave all unticked for every service"
          options={services.map((s) => ({ value: s.code, text: s.label }))}
          checked={chosen?.services ?? []}
        />
        <TextField
          name="perTeam"
          label="Cases per team (random sample)"
          defaultValue={String(chosen?.perTeam ?? 2)}
          width="govuk-input--width-20"
        />
        <TextField
          name="seed"
          label="Seed"
          hint={`The same seed draws the same sample from the same cases. Cases audited in the last ${exclusionMonths} months are never drawn.`}
          defaultValue={chosen?.seed ?? data.defaults.seed}
          width="govuk-input--width-20"
        />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Show cases
        </button>
      </Form>

      {chosen && data.candidates ? (
        <Form method="post" noValidate>
          <h2 className="govuk-heading-m">2. Cases and auditors</h2>
          <p className="govuk-body">
            {chosen.mode === 'sample'
              ? `Random sample for ${formatCycle(chosen.cycle)} with seed ${chosen.seed}: ${data.candidates.filter((c) => c.selected).length} cases.`
              : `Tick the cases to audit in ${formatCycle(chosen.cycle)}.`}
          </p>
          {data.shortfalls.map((s) => (
            <div key={s.team} className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {s.team} has only {s.available} eligible {s.available === 1 ? 'case' : 'cases'} of
                the {s.wanted} asked for.
              </strong>
            </div>
          ))}
          {[
            ['cycle', chosen.cycle],
            ['template', chosen.template],
            ['dueDate', chosen.dueDate],
          ].map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {/* Wide with a multi-agency template: it scrolls sideways rather than breaking the layout. */}
          <div
            className="app-table-scroll"
            role="region"
            aria-label="Cases and auditors"
            tabIndex={0}
          >
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">
                An auditor never audits a case allocated to them or held by their own team.
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Audit
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Case
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Lead auditor
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Co-auditor
                  </th>
                  {data.agencySections.map((agency) => (
                    <th key={agency.code} scope="col" className="govuk-table__header">
                      {agency.label} section
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {data.candidates.map((c) => {
                  const leadError = errors?.[`lead-${c.id}`]?.[0]
                  return (
                    <tr key={c.id} className="govuk-table__row">
                      <td className="govuk-table__cell">
                        <div className="govuk-checkboxes govuk-checkboxes--small">
                          <div className="govuk-checkboxes__item">
                            <input
                              className="govuk-checkboxes__input"
                              id={`case-${c.id}`}
                              name="case"
                              type="checkbox"
                              value={c.id}
                              defaultChecked={c.selected}
                            />
                            <label
                              className="govuk-label govuk-checkboxes__label"
                              htmlFor={`case-${c.id}`}
                            >
                              <span className="govuk-visually-hidden">Audit case {c.caseRef}</span>
                            </label>
                          </div>
                        </div>
                      </td>
                      <th scope="row" className="govuk-table__header">
                        {c.caseRef}
                        <span className="govuk-body-s govuk-!-display-block">
                          {c.team}
                          {c.lastAuditedCycle
                            ? `, last audited ${formatCycle(c.lastAuditedCycle)}`
                            : ''}
                        </span>
                      </th>
                      <td
                        className={`govuk-table__cell${leadError ? ' govuk-form-group--error' : ''}`}
                      >
                        {leadError ? (
                          <p id={`lead-${c.id}-error`} className="govuk-error-message">
                            <span className="govuk-visually-hidden">Error:</span> {leadError}
                          </p>
                        ) : null}
                        <AuditorSelect
                          name={`lead-${c.id}`}
                          label={`Lead auditor for case ${c.caseRef}`}
                          options={c.eligibleAuditors}
                          defaultValue={c.suggestedLead ?? ''}
                          invalid={Boolean(leadError)}
                        />
                      </td>
                      <td className="govuk-table__cell">
                        <AuditorSelect
                          name={`co-${c.id}`}
                          label={`Co-auditor for case ${c.caseRef}`}
                          options={c.eligibleAuditors}
                          defaultValue=""
                        />
                      </td>
                      {data.agencySections.map((agency) => (
                        <td key={agency.code} className="govuk-table__cell">
                          <AuditorSelect
                            name={`agency-${agency.code}-${c.id}`}
                            label={`${agency.label} auditor for case ${c.caseRef}`}
                            options={agency.auditors}
                            defaultValue={agency.auditors[0]?.id ?? ''}
                          />
                        </td>
                      ))}
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <button
            type="submit"
            className="govuk-button"
            disabled={navigation.state === 'submitting'}
          >
            {navigation.state === 'submitting' ? 'Planning…' : 'Plan these audits'}
          </button>
        </Form>
      ) : null}
    </>
  )
}

function AuditorSelect(props: {
  name: string
  label: string
  options: { id: string; name: string }[]
  defaultValue: string
  invalid?: boolean
}) {
  return (
    <>
      <label className="govuk-label govuk-visually-hidden" htmlFor={props.name}>
        {props.label}
      </label>
      <select
        className={`govuk-select${props.invalid ? ' govuk-select--error' : ''}`}
        id={props.name}
        name={props.name}
        defaultValue={props.defaultValue}
        aria-describedby={props.invalid ? `${props.name}-error` : undefined}
      >
        <option value="">None</option>
        {props.options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </>
  )
}

function CheckboxGroup(props: {
  name: string
  legend: string
  hint: string
  options: { value: string; text: string }[]
  checked: string[]
}) {
  return (
    <div className="govuk-form-group">
      <fieldset className="govuk-fieldset" aria-describedby={`${props.name}-hint`}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        <div id={`${props.name}-hint`} className="govuk-hint">
          {props.hint}
        </div>
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          {props.options.map((option) => (
            <div key={option.value} className="govuk-checkboxes__item">
              <input
                className="govuk-checkboxes__input"
                id={`${props.name}-${option.value}`}
                name={props.name}
                type="checkbox"
                value={option.value}
                defaultChecked={props.checked.includes(option.value)}
              />
              <label
                className="govuk-label govuk-checkboxes__label"
                htmlFor={`${props.name}-${option.value}`}
              >
                {option.text}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Plan a cycle – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
