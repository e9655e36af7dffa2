import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { SAMPLE_REASON_LABELS, type SampleReason } from '../../shared/moderation'
import { CycleSchema, formatCycle } from '../../shared/programme'
import { TEMPLATE_CODES } from '../../shared/templates/schema'
import { AuditStatusTag } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requirePermission } from '~/utils/auth.server'
import {
  listCycles,
  listLatestTemplateVersions,
  listModerationQueue,
  listQueueAuditors,
  listTeams,
} from '~/utils/db.server'

const FiltersSchema = z.object({
  cycle: CycleSchema.optional().catch(undefined),
  teamId: z.uuid().optional().catch(undefined),
  templateCode: z.enum(TEMPLATE_CODES).optional().catch(undefined),
  auditorId: z.uuid().optional().catch(undefined),
})

const DAY_MS = 24 * 60 * 60 * 1000

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'moderate:audit:any')
  const search = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(([, value]) => value !== ''),
  )
  const filters = FiltersSchema.parse(search)
  const [queue, cycles, teams, templates, auditors] = await Promise.all([
    listModerationQueue(context.db, { user, filters }),
    listCycles(context.db, { user }),
    listTeams(context.db, { councilId: user.councilId }),
    listLatestTemplateVersions(context.db, { councilId: user.councilId }),
    listQueueAuditors(context.db, { user }),
  ])
  const now = Date.now()
  const rows = queue.map((row) => ({
    ...row,
    ageDays: row.submittedAt
      ? Math.floor((now - new Date(row.submittedAt).getTime()) / DAY_MS)
      : null,
    mine: row.moderatorId === user.id,
  }))
  return json({
    filters,
    waiting: rows.filter((row) => row.status === 'submitted'),
    inModeration: rows.filter((row) => row.status === 'in-moderation'),
    options: {
      cycles: cycles.map((c) => c.cycle),
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      templates: templates.map((t) => ({ code: t.code, title: t.title })),
      auditors,
    },
  })
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['waiting'][number]

function age(days: number | null): string {
  if (days === null) return 'Unknown'
  if (days === 0) return 'Today'
  return days === 1 ? '1 day' : `${days} days`
}

export default function ModerationQueuePage() {
  const { filters, waiting, inModeration, options } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-l">Moderation</h1>
      <p className="govuk-body">
        Submitted audits waiting for moderation, oldest first. Audits you took part in are not
        shown: another moderator reviews them.
      </p>
      <Form method="get" className="app-filters">
        <div className="govuk-grid-row">
          <Filter name="cycle" label="Month" value={filters.cycle}>
            {options.cycles.map((cycle) => (
              <option key={cycle} value={cycle}>
                {formatCycle(cycle)}
              </option>
            ))}
          </Filter>
          <Filter name="teamId" label="Team" value={filters.teamId}>
            {options.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </Filter>
          <Filter name="templateCode" label="Template" value={filters.templateCode}>
            {options.templates.map((template) => (
              <option key={template.code} value={template.code}>
                {template.title}
              </option>
            ))}
          </Filter>
          <Filter name="auditorId" label="Lead auditor" value={filters.auditorId}>
            {options.auditors.map((auditor) => (
              <option key={auditor.id} value={auditor.id}>
                {auditor.name}
              </option>
            ))}
          </Filter>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Apply filters
          </button>
          <Link className="govuk-link" to="/moderation">
            Clear filters
          </Link>
        </div>
      </Form>
      <QueueTable
        caption={`Waiting for moderation (${waiting.length})`}
        rows={waiting}
        empty="No audits are waiting for moderation."
      />
      <QueueTable
        caption={`Being moderated (${inModeration.length})`}
        rows={inModeration}
        empty="No audits are being moderated."
      />
    </>
  )
}

function Filter(props: {
  name: string
  label: string
  value: string | undefined
  children: React.ReactNode
}) {
  return (
    <div className="govuk-grid-column-one-quarter">
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor={`filter-${props.name}`}>
          {props.label}
        </label>
        <select
          className="govuk-select govuk-!-width-full"
          id={`filter-${props.name}`}
          name={props.name}
          defaultValue={props.value ?? ''}
        >
          <option value="">All</option>
          {props.children}
        </select>
      </div>
    </div>
  )
}

function QueueTable(props: { caption: string; rows: Row[]; empty: string }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{props.caption}</caption>
      {props.rows.length === 0 ? (
        <tbody className="govuk-table__body">
          <tr className="govuk-table__row">
            <td className="govuk-table__cell">{props.empty}</td>
          </tr>
        </tbody>
      ) : (
        <>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {[
                'Case',
                'Template',
                'Team',
                'Month',
                'Lead auditor',
                'Why',
                'Waiting',
                'Status',
              ].map((heading) => (
                <th key={heading} scope="col" className="govuk-table__header">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {props.rows.map((row) => (
              <tr key={row.id} className="govuk-table__row">
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/audits/${row.id}`}>
                    {row.caseRef}
                  </Link>
                </td>
                <td className="govuk-table__cell">{row.templateTitle}</td>
                <td className="govuk-table__cell">{row.team}</td>
                <td className="govuk-table__cell">{formatCycle(row.cycle)}</td>
                <td className="govuk-table__cell">{row.leadAuditor ?? '—'}</td>
                <td className="govuk-table__cell">
                  {SAMPLE_REASON_LABELS[(row.moderationSample ?? 'policy') as SampleReason]}
                </td>
                <td className="govuk-table__cell">{age(row.ageDays)}</td>
                <td className="govuk-table__cell">
                  <AuditStatusTag status={row.status} />
                  {row.moderator ? (
                    <span className="govuk-body-s"> {row.mine ? 'You' : row.moderator}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </>
      )}
    </table>
  )
}

export const meta: MetaFunction = () => [{ title: 'Moderation – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
