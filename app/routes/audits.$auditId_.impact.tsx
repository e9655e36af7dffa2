import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { formatCycle } from '../../shared/programme'
import { AuditStatusTag, formatDate, formatDateTime } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, SelectField, TextField, type FieldErrors } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { actOnImpact, getImpactPage } from '~/utils/actions.server'
import { ActionStateTag } from '~/components/action-state'

/**
 * Audit for impact: the actions agreed with the practitioner, the practitioner's reflection and
 * the family's feedback. Who may see it is who may see the audit; who may add what is decided in
 * actions.server.ts and again inside each query.
 */
export async function loader(args: LoaderFunctionArgs) {
  return json(await getImpactPage(args))
}

export async function action(args: ActionFunctionArgs) {
  return actOnImpact(args)
}

const DONE_MESSAGES: Record<string, string> = {
  added: 'The action is agreed.',
  completed: 'The action is recorded done.',
  reflected: 'Your reflection is recorded.',
  feedback: 'The family’s feedback is recorded.',
}

type ImpactData = ReturnType<typeof useLoaderData<typeof loader>>

export default function ImpactPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const errors: FieldErrors | undefined = actionData?.errors
  const { audit, may } = data
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to={`/audits/${audit.id}`} className="govuk-back-link">
          Back to the audit
        </Link>
        <ErrorSummary errors={errors} />
        {done && !errors ? (
          <NotificationBanner success heading={<>{DONE_MESSAGES[done] ?? 'Done.'}</>} />
        ) : null}
        <span className="govuk-caption-l">
          Case {audit.caseRef}, {audit.templateTitle}, {formatCycle(audit.cycle)}
        </span>
        <h1 className="govuk-heading-l">Actions and reflection</h1>
        <p className="govuk-body">
          <AuditStatusTag status={audit.status} /> {audit.team}.{' '}
          {audit.status === 'scheduled' || audit.status === 'in-progress' ? null : (
            <Link className="govuk-link" to={`/audits/${audit.id}/form`}>
              Read the audit report
            </Link>
          )}
        </p>
        {errors?.form ? <p className="govuk-error-message">{errors.form[0]}</p> : null}

        <h2 className="govuk-heading-m">Actions agreed</h2>
        {data.actions.length === 0 ? (
          <p className="govuk-body">No actions have been agreed for this audit yet.</p>
        ) : (
          data.actions.map((a) => (
            <ActionCard key={a.id} action={a} errors={errors?.[`note-${a.id}`]} />
          ))
        )}
        {may.add ? <AddActionForm owners={data.owners} today={data.today} errors={errors} /> : null}

        <h2 className="govuk-heading-m">The practitioner’s reflection</h2>
        {data.reflection ? (
          <Recorded
            text={data.reflection.text}
            note={`Recorded ${formatDateTime(data.reflection.at)}`}
          />
        ) : may.reflect ? (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="reflect" />
            <TextField
              name="reflection"
              label="Your reflection on the audit"
              hint="What you take from the findings, and what you will do differently. You can record it once."
              errors={errors?.reflection}
              multiline
            />
            <button type="submit" className="govuk-button">
              Record your reflection
            </button>
          </Form>
        ) : (
          <p className="govuk-body">The case’s worker has not recorded a reflection yet.</p>
        )}

        <h2 className="govuk-heading-m">The family’s feedback</h2>
        {data.familyFeedback ? (
          <Recorded
            text={data.familyFeedback.text}
            note={`Recorded by ${data.familyFeedback.by ?? 'an auditor'}, ${formatDateTime(data.familyFeedback.at)}`}
          />
        ) : may.feedback ? (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="feedback" />
            <TextField
              name="feedback"
              label="What the child or family said about the help they got"
              hint="Only where it was gathered. Use their words, without names."
              errors={errors?.feedback}
              multiline
            />
            <button type="submit" className="govuk-button govuk-button--secondary">
              Record the family’s feedback
            </button>
          </Form>
        ) : (
          <p className="govuk-body">No feedback from the child or family has been recorded.</p>
        )}
      </div>
    </div>
  )
}

/** One action: what, who, by when, its state, and either its evidence or the form to record it. */
function ActionCard(props: {
  action: ImpactData['actions'][number]
  errors: string[] | undefined
}) {
  const { action: a, errors } = props
  const noteId = `note-${a.id}`
  const error = errors?.[0]
  return (
    <div className="govuk-summary-card">
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title app-pre-wrap">{a.description}</h3>
        <div>
          <ActionStateTag state={a.state} />
        </div>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          {[
            { label: 'Owner', value: a.owner },
            { label: 'Due', value: formatDate(a.dueDate) },
            ...(a.state === 'done'
              ? [
                  {
                    label: 'Recorded done',
                    value: `${formatDateTime(a.completedAt)}, by ${a.completedBy ?? 'unknown'}`,
                  },
                  { label: 'What changed', value: a.completionNote ?? '' },
                ]
              : []),
          ].map(({ label, value }) => (
            <div key={label} className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{label}</dt>
              <dd className="govuk-summary-list__value app-pre-wrap">{value}</dd>
            </div>
          ))}
        </dl>
        {a.mayComplete ? (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="complete" />
            <input type="hidden" name="actionId" value={a.id} />
            <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label" htmlFor={noteId}>
                What changed?
              </label>
              <div id={`${noteId}-hint`} className="govuk-hint">
                The evidence that the action happened, for example what is now on the record.
              </div>
              {error ? (
                <p id={`${noteId}-error`} className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {error}
                </p>
              ) : null}
              <textarea
                className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
                id={noteId}
                name="note"
                rows={3}
                aria-describedby={`${noteId}-hint${error ? ` ${noteId}-error` : ''}`}
              />
            </div>
            <button type="submit" className="govuk-button govuk-button--secondary">
              Record as done
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  )
}

function AddActionForm(props: {
  owners: ImpactData['owners']
  today: string
  errors: FieldErrors | undefined
}) {
  const { owners, errors } = props
  const worker = owners.find((o) => o.worker)
  return (
    <Form method="post" noValidate className="govuk-!-margin-bottom-8">
      <input type="hidden" name="intent" value="add" />
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
          Agree an action
        </legend>
        <TextField
          name="description"
          label="What will be done"
          hint="One thing, agreed with the practitioner, that would change the child’s experience or the record."
          errors={errors?.description}
          multiline
        />
        <SelectField
          name="ownerId"
          label="Owner"
          hint={worker ? `${worker.name} is the case’s worker.` : undefined}
          placeholder="Choose who owns the action"
          defaultValue={worker?.id}
          options={owners.map((o) => ({
            value: o.id,
            text: o.worker ? `${o.name} (case worker)` : o.name,
          }))}
          errors={errors?.ownerId}
        />
        <TextField
          name="dueDate"
          label="Due date"
          hint={`As YYYY-MM-DD, for example ${props.today}. Today or later.`}
          errors={errors?.dueDate}
          width="govuk-input--width-20"
        />
      </fieldset>
      <button type="submit" className="govuk-button">
        Agree the action
      </button>
    </Form>
  )
}

function Recorded(props: { text: string; note: string }) {
  return (
    <>
      <div className="govuk-inset-text app-pre-wrap">{props.text}</div>
      <p className="govuk-body-s">{props.note}</p>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Actions and reflection – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
