import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { SAMPLE_REASON_LABELS, type SampleReason } from '../../shared/moderation'
import { can } from '../../shared/permissions'
import { auditorConflict, formatCycle } from '../../shared/programme'
import { AuditStatusTag, formatDate, formatDateTime } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { ErrorSummary, SelectField, TextField, type FieldErrors } from '~/components/forms'
import { requireUser } from '~/utils/auth.server'
import {
  cancelAudit,
  disputeDecision,
  findCaseFilesByIds,
  flagForModeration,
  getAudit,
  getModerationRecord,
  listAuditors,
  pickUpAudit,
  reassignLeadAuditor,
  resolveDispute,
  type ModerationFailure,
} from '~/utils/db.server'

const DONE_MESSAGES: Record<string, string> = {
  cancelled: 'The audit has been cancelled.',
  reassigned: 'The audit has a new lead auditor.',
  flagged: 'The audit is in the moderation queue.',
  moderated: 'The moderation decision is recorded.',
  returned: 'The audit is back with its auditor.',
  disputed: 'Your dispute has gone to a practice-improvement lead.',
  resolved: 'The dispute is resolved.',
}

const EVENT_LABELS: Record<string, string> = {
  queued: 'Entered the moderation queue',
  'not-sampled': 'Not sampled for moderation',
  flagged: 'Flagged for moderation',
  'picked-up': 'Picked up for moderation',
  returned: 'Returned to the auditor',
  decided: 'Moderation decision recorded',
  disputed: 'Decision disputed',
  resolved: 'Dispute resolved',
}

const PART_LABELS: Record<string, string> = {
  lead: 'Lead auditor',
  'co-auditor': 'Co-auditor',
  agency: 'Agency section',
}
const OPEN = new Set(['scheduled', 'in-progress'])
const COMPLETED = new Set(['submitted', 'in-moderation', 'moderated'])
const MODERATION_FAILURES: Record<ModerationFailure, { message: string; status: number }> = {
  'not-found': { message: 'This audit cannot be found', status: 404 },
  'not-allowed': { message: 'You cannot do that to this audit', status: 403 },
  'took-part': { message: 'You took part in this audit, so you cannot moderate it', status: 403 },
  'wrong-state': {
    message: 'The audit has moved on: reload the page to see where it is',
    status: 409,
  },
  'already-disputed': { message: 'This decision has already been disputed', status: 409 },
}

async function loadAudit({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const parsedId = z.uuid().safeParse(params.auditId)
  // A guessed or malformed id, or one the user may not see, is simply not found.
  const audit = parsedId.success
    ? await getAudit(context.db, { user, auditId: parsedId.data })
    : undefined
  if (!audit) throw new Response('Not found', { status: 404 })
  return { user, audit }
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, audit } = await loadAudit(args)
  const canManage = can(user, 'plan:programme:any') && OPEN.has(audit.status)
  const auditors = canManage
    ? await listAuditors(args.context.db, { councilId: user.councilId })
    : []
  const tookPart = audit.assignments.some((a) => a.userId === user.id)
  const moderation =
    COMPLETED.has(audit.status) || audit.moderationSample
      ? await getModerationRecord(args.context.db, { auditId: audit.id })
      : undefined
  const moderator = can(user, 'moderate:audit:any') && !tookPart
  return json({
    audit,
    canManage,
    auditors: auditors.map((a) => ({ id: a.id, name: a.name, team: a.team, agency: a.agency })),
    moderation,
    may: {
      pickUp: moderator && audit.status === 'submitted' && audit.moderationSample !== 'not-sampled',
      flag:
        can(user, 'plan:programme:any') &&
        audit.status === 'submitted' &&
        audit.moderationSample === 'not-sampled',
      // The workspace: its moderator, the audit's auditors, and leads.
      openWorkspace:
        (audit.status === 'in-moderation' || audit.status === 'moderated') &&
        ((moderator && audit.moderatorId === user.id) ||
          (tookPart && !can(user, 'moderate:audit:any')) ||
          can(user, 'read:audit:any')),
      dispute:
        tookPart &&
        can(user, 'edit:audit:assigned') &&
        audit.status === 'moderated' &&
        !moderation?.dispute,
      resolve:
        can(user, 'resolve:dispute:any') &&
        moderation?.dispute !== undefined &&
        moderation.dispute.outcome === null,
    },
  })
}

const AuditActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('cancel'),
    reason: z
      .string({ error: 'Enter why the audit is cancelled' })
      .trim()
      .min(1, 'Enter why the audit is cancelled')
      .max(500, 'Reason must be 500 characters or fewer'),
  }),
  z.object({
    intent: z.literal('reassign'),
    leadAuditorId: z.uuid({ error: 'Select the new lead auditor' }),
  }),
  z.object({ intent: z.literal('pick-up') }),
  z.object({
    intent: z.literal('flag'),
    flagReason: reason('Enter why this audit should be moderated'),
  }),
  z.object({
    intent: z.literal('dispute'),
    disputeReason: reason('Enter why you dispute the decision'),
  }),
  z.object({
    intent: z.literal('resolve'),
    outcome: z.enum(['upheld', 'overturned'], {
      error: 'Choose whether the moderator’s decision stands',
    }),
    resolution: reason('Enter the reason for your resolution'),
  }),
])

function reason(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(2000, 'Reasons must be 2,000 characters or fewer')
}

function refuse(errors: FieldErrors, status = 400) {
  return json({ errors }, { status })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit } = await loadAudit(args)
  const parsed = AuditActionSchema.safeParse(Object.fromEntries(await args.request.formData()))
  if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors)
  const { db } = args.context
  const { data } = parsed
  if (
    data.intent === 'pick-up' ||
    data.intent === 'flag' ||
    data.intent === 'dispute' ||
    data.intent === 'resolve'
  ) {
    const params = { user, auditId: audit.id }
    const result =
      data.intent === 'pick-up'
        ? await pickUpAudit(db, params)
        : data.intent === 'flag'
          ? await flagForModeration(db, { ...params, reason: data.flagReason })
          : data.intent === 'dispute'
            ? await disputeDecision(db, { ...params, reason: data.disputeReason })
            : await resolveDispute(db, {
                ...params,
                outcome: data.outcome,
                resolution: data.resolution,
              })
    if (!result.ok) {
      const failure = MODERATION_FAILURES[result.reason]
      if (failure.status === 403 || failure.status === 404)
        throw new Response(failure.message, { status: failure.status })
      return refuse({ form: [failure.message] }, failure.status)
    }
    if (data.intent === 'pick-up') return redirect(`/audits/${audit.id}/moderate`)
    return redirect(
      `/audits/${audit.id}?done=${data.intent === 'flag' ? 'flagged' : data.intent === 'dispute' ? 'disputed' : 'resolved'}`,
    )
  }
  if (!can(user, 'plan:programme:any')) throw new Response('Forbidden', { status: 403 })
  if (data.intent === 'cancel') {
    const done = await cancelAudit(db, {
      councilId: user.councilId,
      auditId: audit.id,
      reason: data.reason,
    })
    if (!done)
      return refuse({ reason: ['Only a scheduled or in-progress audit can be cancelled'] }, 409)
    return redirect(`/audits/${audit.id}?done=cancelled`)
  }
  const leadAuditorId = data.leadAuditorId
  const auditor = (await listAuditors(db, { councilId: user.councilId })).find(
    (a) => a.id === leadAuditorId,
  )
  const [caseFile] = await findCaseFilesByIds(db, {
    councilId: user.councilId,
    ids: [audit.caseFileId],
  })
  if (!auditor || !caseFile) return refuse({ leadAuditorId: ['Select the new lead auditor'] })
  if (auditorConflict(auditor, caseFile)) {
    return refuse({
      leadAuditorId: [
        `${auditor.name} manages this case (it is their own or their team’s), so cannot audit it`,
      ],
    })
  }
  const done = await reassignLeadAuditor(db, {
    councilId: user.councilId,
    auditId: audit.id,
    userId: leadAuditorId,
  })
  if (!done)
    return refuse(
      { leadAuditorId: ['Only a scheduled or in-progress audit can be reassigned'] },
      409,
    )
  return redirect(`/audits/${audit.id}?done=reassigned`)
}

export default function AuditPage() {
  const { audit, canManage, auditors, moderation, may } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const errors = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {done ? (
          <NotificationBanner success heading={<>{DONE_MESSAGES[done] ?? 'Done.'}</>} />
        ) : null}
        <span className="govuk-caption-l">
          {audit.templateTitle} (version {audit.templateVersion})
        </span>
        <h1 className="govuk-heading-l">Case {audit.caseRef}</h1>
        <dl className="govuk-summary-list">
          {[
            { label: 'Status', value: <AuditStatusTag status={audit.status} /> },
            { label: 'Month', value: formatCycle(audit.cycle) },
            { label: 'Due', value: formatDate(audit.dueDate) },
            { label: 'Team', value: `${audit.team} (${audit.service})` },
            ...(audit.cancelledReason
              ? [{ label: 'Reason for cancelling', value: audit.cancelledReason }]
              : []),
          ].map(({ label, value }) => (
            <div key={label} className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{label}</dt>
              <dd className="govuk-summary-list__value">{value}</dd>
            </div>
          ))}
        </dl>
        <h2 className="govuk-heading-m">Auditors</h2>
        <ul className="govuk-list">
          {audit.assignments.map((a) => (
            <li key={a.userId}>
              {a.name}, {PART_LABELS[a.role] ?? a.role}
              {a.agencyCode ? ` (${a.agencyCode})` : ''}
            </li>
          ))}
        </ul>
        <Link
          to={`/audits/${audit.id}/form`}
          className="govuk-button"
          role="button"
          draggable={false}
        >
          {OPEN.has(audit.status) ? 'Open the audit form' : 'Read the audit report'}
        </Link>
        {audit.status !== 'scheduled' && audit.status !== 'cancelled' ? (
          <>
            <h2 className="govuk-heading-m">Learning and impact</h2>
            <ul className="govuk-list">
              <li>
                <Link className="govuk-link" to={`/audits/${audit.id}/impact`}>
                  Actions and reflection
                </Link>
                : what was agreed with the practitioner, their reflection and the family’s feedback
              </li>
              {COMPLETED.has(audit.status) ? (
                <li>
                  <Link className="govuk-link" to={`/audits/${audit.id}/themes`}>
                    Learning themes
                  </Link>
                  : the strengths and areas for development, and their themes
                </li>
              ) : null}
            </ul>
          </>
        ) : null}
        {moderation ? (
          <ModerationSection auditId={audit.id} moderation={moderation} may={may} errors={errors} />
        ) : null}
        {canManage ? (
          <>
            <h2 className="govuk-heading-m">Reassign</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="reassign" />
              <SelectField
                name="leadAuditorId"
                label="New lead auditor"
                placeholder="Choose an auditor"
                options={auditors.map((a) => ({
                  value: a.id,
                  text: `${a.name}${a.team ? `, ${a.team}` : a.agency ? `, ${a.agency}` : ''}`,
                }))}
                errors={errors?.leadAuditorId}
              />
              <button type="submit" className="govuk-button govuk-button--secondary">
                Reassign
              </button>
            </Form>
            <h2 className="govuk-heading-m">Cancel this audit</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="cancel" />
              <TextField
                name="reason"
                label="Why is it cancelled?"
                hint="For example: the case was closed, or transferred to another authority. Cancelled audits leave every KPI."
                errors={errors?.reason}
              />
              <button type="submit" className="govuk-button govuk-button--warning">
                Cancel audit
              </button>
            </Form>
          </>
        ) : null}
        <p className="govuk-body">
          <Link className="govuk-link" to="/">
            Back to your home page
          </Link>
        </p>
      </div>
    </div>
  )
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

/** Where the audit is in moderation, its record with who and when, and what this user may do. */
function ModerationSection(props: {
  auditId: string
  moderation: NonNullable<LoaderData['moderation']>
  may: LoaderData['may']
  errors: FieldErrors | undefined
}) {
  const { moderation, may, errors } = props
  return (
    <section aria-labelledby="moderation-heading">
      <h2 className="govuk-heading-m" id="moderation-heading">
        Moderation
      </h2>
      <dl className="govuk-summary-list">
        {[
          {
            label: 'Sample',
            value: SAMPLE_REASON_LABELS[(moderation.moderationSample ?? 'policy') as SampleReason],
          },
          ...(moderation.flaggedReason
            ? [{ label: 'Why it was flagged', value: moderation.flaggedReason }]
            : []),
          ...(moderation.moderator ? [{ label: 'Moderator', value: moderation.moderator }] : []),
          ...(moderation.feedback
            ? [{ label: 'Feedback to the auditor', value: moderation.feedback }]
            : []),
          ...(moderation.dispute
            ? [
                {
                  label: 'Dispute',
                  value: `${moderation.dispute.raisedBy}: ${moderation.dispute.reason}`,
                },
                {
                  label: 'Resolution',
                  value: moderation.dispute.outcome
                    ? `${moderation.dispute.outcome === 'upheld' ? 'The moderator’s decision stands' : 'The auditor’s grades stand'} (${moderation.dispute.resolvedBy ?? ''}): ${moderation.dispute.resolution ?? ''}`
                    : 'Waiting for a practice-improvement lead',
                },
              ]
            : []),
        ].map(({ label, value }) => (
          <div key={label} className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{label}</dt>
            <dd className="govuk-summary-list__value app-pre-wrap">{value}</dd>
          </div>
        ))}
      </dl>
      {may.openWorkspace ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/audits/${props.auditId}/moderate`}>
            Open the moderation workspace
          </Link>
        </p>
      ) : null}
      {may.pickUp ? (
        <Form method="post">
          <input type="hidden" name="intent" value="pick-up" />
          <button type="submit" className="govuk-button">
            Start moderating
          </button>
        </Form>
      ) : null}
      {may.flag ? (
        <ReasonForm
          intent="flag"
          name="flagReason"
          label="Flag this audit for moderation"
          hint="It was not sampled. Say why it should be moderated."
          button="Flag for moderation"
          errors={errors?.flagReason}
        />
      ) : null}
      {may.dispute ? (
        <ReasonForm
          intent="dispute"
          name="disputeReason"
          label="Dispute the moderation decision"
          hint="You can dispute a decision once. A practice-improvement lead decides, and their decision is final."
          button="Dispute the decision"
          errors={errors?.disputeReason}
        />
      ) : null}
      {may.resolve ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="resolve" />
          <div className={`govuk-form-group${errors?.outcome ? ' govuk-form-group--error' : ''}`}>
            <fieldset
              className="govuk-fieldset"
              aria-describedby={errors?.outcome ? 'outcome-error' : undefined}
            >
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                Resolve the dispute
              </legend>
              {errors?.outcome ? (
                <p id="outcome-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {errors.outcome[0]}
                </p>
              ) : null}
              <div className="govuk-radios" data-module="govuk-radios">
                {[
                  { value: 'upheld', text: 'The moderator’s decision stands' },
                  { value: 'overturned', text: 'The auditor’s grades stand' },
                ].map((choice) => (
                  <div key={choice.value} className="govuk-radios__item">
                    <input
                      className="govuk-radios__input"
                      id={choice.value === 'upheld' ? 'outcome' : `outcome-${choice.value}`}
                      name="outcome"
                      type="radio"
                      value={choice.value}
                    />
                    <label
                      className="govuk-label govuk-radios__label"
                      htmlFor={choice.value === 'upheld' ? 'outcome' : `outcome-${choice.value}`}
                    >
                      {choice.text}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <TextField name="resolution" label="Your reasons" errors={errors?.resolution} multiline />
          <button type="submit" className="govuk-button">
            Record the resolution
          </button>
        </Form>
      ) : null}
      {moderation.events.length > 0 ? (
        <>
          <h3 className="govuk-heading-s">History</h3>
          <ul className="govuk-list">
            {moderation.events.map((event, i) => (
              <li key={i}>
                {formatDateTime(event.at)}: {EVENT_LABELS[event.kind] ?? event.kind}
                {event.actor ? `, by ${event.actor}` : ''}
                {event.note && event.kind !== 'queued' && event.kind !== 'not-sampled'
                  ? ` — ${event.note}`
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

/** A moderation step that needs only a reason: one box and its button. */
function ReasonForm(props: {
  intent: string
  name: string
  label: string
  hint: string
  button: string
  errors: string[] | undefined
}) {
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={props.intent} />
      <TextField
        name={props.name}
        label={props.label}
        hint={props.hint}
        errors={props.errors}
        multiline
      />
      <button type="submit" className="govuk-button govuk-button--secondary">
        {props.button}
      </button>
    </Form>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
