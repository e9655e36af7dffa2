import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { EVIDENCE_JUDGEMENTS, GRADES } from '../../shared/grading'
import { answerKey, documentName, OVERALL_KEY, partsOf } from '../../shared/live-document'
import { partAccess } from '../../shared/part-access'
import { formatCycle } from '../../shared/programme'
import { AuditStatusTag } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { LiveAuditForm, questionAnchor } from '~/components/live-audit/live-audit-form'
import { requireUser } from '~/utils/auth.server'
import {
  getAgencyCode,
  getAudit,
  getTemplateDefinitionById,
  listAuditAnswers,
} from '~/utils/db.server'
import { submitLiveAudit } from '~/utils/submit.server'

const OPEN = new Set(['scheduled', 'in-progress'])

async function loadAuditForm({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const auditId = z.uuid().safeParse(params.auditId)
  const audit = auditId.success
    ? await getAudit(context.db, { user, auditId: auditId.data })
    : undefined
  if (!audit) throw new Response('Not found', { status: 404 })
  const template = await getTemplateDefinitionById(context.db, {
    councilId: user.councilId,
    id: audit.templateVersionId,
  })
  if (!template) throw new Response('Not found', { status: 404 })
  const assignment = audit.assignments.find((a) => a.userId === user.id)
  return { user, audit, template, assignment }
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, audit, template, assignment } = await loadAuditForm(args)
  const userAgencyCode = await getAgencyCode(args.context.db, {
    councilId: user.councilId,
    agencyId: user.agencyId,
  })
  const open = OPEN.has(audit.status)
  const parts = partsOf(template).map((part) => ({
    part,
    name: documentName(audit.id, part),
    access: partAccess({ part, status: audit.status, assignment, userAgencyCode }),
  }))
  // A submitted audit is read from its stored answers, never from the live document.
  const answers = open ? [] : await listAuditAnswers(args.context.db, { auditId: audit.id })
  return json({
    audit: {
      id: audit.id,
      caseRef: audit.caseRef,
      cycle: audit.cycle,
      status: audit.status,
      team: audit.team,
    },
    template,
    parts,
    open,
    canSubmit: open && assignment?.role === 'lead',
    me: { id: user.id, name: user.name, agency: userAgencyCode },
    answers: Object.fromEntries(
      answers.map((a) => [a.questionKey, a.moderatedValue ?? a.auditorValue]),
    ),
    overall: audit.moderatedGrade ?? audit.auditorGrade ?? null,
  })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit, template, assignment } = await loadAuditForm(args)
  if (assignment?.role !== 'lead')
    throw new Response('Only the lead auditor submits the audit', { status: 403 })
  const result = await submitLiveAudit(args.context, {
    councilId: user.councilId,
    auditId: audit.id,
    userId: user.id,
    template,
  })
  if (!result.ok) return json({ missing: result.missing }, { status: 400 })
  return redirect(`/audits/${audit.id}/form?submitted=1`)
}

const LABELS = new Map<string, string>([
  ...GRADES.map((g) => [g.code, g.label] as const),
  ...EVIDENCE_JUDGEMENTS.map((e) => [e.code, e.label] as const),
  ['yes', 'Yes'],
  ['no', 'No'],
])

export default function AuditFormPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const missing = actionData?.missing ?? []
  return (
    <>
      <Link to={`/audits/${data.audit.id}`} className="govuk-back-link app-no-print">
        Back to the audit
      </Link>
      {missing.length > 0 ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary">
          <div role="alert">
            <h2 className="govuk-error-summary__title">The audit cannot be submitted yet</h2>
            <div className="govuk-error-summary__body">
              <ul className="govuk-list govuk-error-summary__list">
                {missing.map((m) => (
                  <li key={m.key}>
                    <a href={`#${questionAnchor(m.key)}`}>
                      {m.section ? `${m.section}: ` : ''}
                      {m.message}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      <span className="govuk-caption-l">
        {data.template.title}, {formatCycle(data.audit.cycle)}
      </span>
      <h1 className="govuk-heading-l">Case {data.audit.caseRef}</h1>
      <p className="govuk-body">
        <AuditStatusTag status={data.audit.status} /> {data.audit.team}
      </p>
      {data.open ? (
        <>
          <LiveAuditForm template={data.template} parts={data.parts} me={data.me} />
          {data.canSubmit ? (
            <Form method="post" className="app-no-print">
              <input type="hidden" name="intent" value="submit" />
              <div className="govuk-warning-text">
                <span className="govuk-warning-text__icon" aria-hidden="true">
                  !
                </span>
                <strong className="govuk-warning-text__text">
                  <span className="govuk-visually-hidden">Warning</span>
                  Once submitted, the audit can no longer be changed by anyone.
                </strong>
              </div>
              <button
                type="submit"
                className="govuk-button"
                disabled={navigation.state === 'submitting'}
              >
                {navigation.state === 'submitting' ? 'Submitting…' : 'Submit the audit'}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <AuditReport template={data.template} answers={data.answers} overall={data.overall} />
      )}
    </>
  )
}

/** The submitted audit as a report: read-only, and laid out to print. */
function AuditReport(props: {
  template: ReturnType<typeof useLoaderData<typeof loader>>['template']
  answers: Record<string, string | null>
  overall: string | null
}) {
  return (
    <>
      {props.template.sections.map((section, s) => (
        <section
          key={section.id}
          aria-labelledby={`report-${section.id}`}
          className="app-report-section"
        >
          <h2 className="govuk-heading-m" id={`report-${section.id}`}>
            {s + 1}. {section.title}
          </h2>
          <dl className="govuk-summary-list">
            {section.questions.map((question) => {
              const value = props.answers[answerKey(section.id, question.id)]
              return (
                <div key={question.id} className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">{question.label}</dt>
                  <dd className="govuk-summary-list__value app-pre-wrap">
                    {value ? (LABELS.get(value) ?? value) : 'Not answered'}
                  </dd>
                </div>
              )
            })}
          </dl>
        </section>
      ))}
      <h2 className="govuk-heading-m">Overall grade</h2>
      <p className="govuk-body-l" id={questionAnchor(OVERALL_KEY)}>
        {props.overall ? (LABELS.get(props.overall) ?? props.overall) : 'Not graded'}
      </p>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit form – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
