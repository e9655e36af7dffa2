import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { can } from '../../shared/permissions'
import { auditorConflict, formatCycle } from '../../shared/programme'
import { AuditStatusTag, formatDate } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { ErrorSummary, SelectField, TextField, type FieldErrors } from '~/components/forms'
import { requireUser } from '~/utils/auth.server'
import {
  cancelAudit,
  findCaseFilesByIds,
  getAudit,
  listAuditors,
  reassignLeadAuditor,
} from '~/utils/db.server'

const PART_LABELS: Record<string, string> = {
  lead: 'Lead auditor',
  'co-auditor': 'Co-auditor',
  agency: 'Agency section',
}
const OPEN = new Set(['scheduled', 'in-progress'])

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
  return json({
    audit,
    canManage,
    auditors: auditors.map((a) => ({ id: a.id, name: a.name, team: a.team, agency: a.agency })),
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
])

function refuse(errors: FieldErrors, status = 400) {
  return json({ errors }, { status })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit } = await loadAudit(args)
  if (!can(user, 'plan:programme:any')) throw new Response('Forbidden', { status: 403 })
  const parsed = AuditActionSchema.safeParse(Object.fromEntries(await args.request.formData()))
  if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors)
  const { db } = args.context
  if (parsed.data.intent === 'cancel') {
    const done = await cancelAudit(db, {
      councilId: user.councilId,
      auditId: audit.id,
      reason: parsed.data.reason,
    })
    if (!done)
      return refuse({ reason: ['Only a scheduled or in-progress audit can be cancelled'] }, 409)
    return redirect(`/audits/${audit.id}?done=cancelled`)
  }
  const leadAuditorId = parsed.data.leadAuditorId
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
  const { audit, canManage, auditors } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const errors = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {done ? (
          <NotificationBanner
            success
            heading={
              <>
                {done === 'cancelled'
                  ? 'The audit has been cancelled.'
                  : 'The audit has a new lead auditor.'}
              </>
            }
          />
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

export const meta: MetaFunction = () => [{ title: 'Audit – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
