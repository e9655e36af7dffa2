import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import { CycleSchema, formatCycle } from '../../shared/programme'
import { AuditStatusTag, formatDate } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { Progress } from '~/components/progress'
import { requirePermission } from '~/utils/auth.server'
import { listCycleAudits } from '~/utils/db.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const cycle = CycleSchema.safeParse(params.cycle)
  if (!cycle.success) throw new Response('Not found', { status: 404 })
  const audits = await listCycleAudits(context.db, { user, cycle: cycle.data })
  const completed = new Set<string>(COMPLETED_STATUSES)
  const byTeam = new Map<string, { team: string; total: number; completed: number }>()
  for (const audit of audits) {
    if (audit.status === 'cancelled') continue
    const entry = byTeam.get(audit.teamId) ?? { team: audit.team, total: 0, completed: 0 }
    entry.total += 1
    if (completed.has(audit.status)) entry.completed += 1
    byTeam.set(audit.teamId, entry)
  }
  return json({
    cycle: cycle.data,
    audits,
    teams: [...byTeam.values()].sort((a, b) => a.team.localeCompare(b.team)),
  })
}

export default function CyclePage() {
  const { cycle, audits, teams } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const planned = Number(searchParams.get('planned') ?? 0)
  return (
    <>
      <Link to="/programme" className="govuk-back-link">
        Back to the programme
      </Link>
      {planned > 0 ? (
        <NotificationBanner
          success
          heading={
            <>
              {planned} {planned === 1 ? 'audit has' : 'audits have'} been planned and assigned.
            </>
          }
        />
      ) : null}
      <span className="govuk-caption-l">Audit programme</span>
      <h1 className="govuk-heading-l">{formatCycle(cycle)}</h1>
      {audits.length === 0 ? (
        <p className="govuk-body">No audits are planned for this month.</p>
      ) : (
        <>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">
              Completion by team
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Team
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Completed
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Audits
                </th>
                <th scope="col" className="govuk-table__header">
                  Progress
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {teams.map((team) => (
                <tr key={team.team} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    {team.team}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{team.completed}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{team.total}</td>
                  <td className="govuk-table__cell">
                    <Progress
                      done={team.completed}
                      total={team.total}
                      label={`${team.team} completed`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Audits</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Case
                </th>
                <th scope="col" className="govuk-table__header">
                  Team
                </th>
                <th scope="col" className="govuk-table__header">
                  Audit
                </th>
                <th scope="col" className="govuk-table__header">
                  Lead auditor
                </th>
                <th scope="col" className="govuk-table__header">
                  Due
                </th>
                <th scope="col" className="govuk-table__header">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {audits.map((audit) => (
                <tr key={audit.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/audits/${audit.id}`}>
                      {audit.caseRef}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{audit.team}</td>
                  <td className="govuk-table__cell">{audit.templateTitle}</td>
                  <td className="govuk-table__cell">{audit.leadAuditor ?? 'None'}</td>
                  <td className="govuk-table__cell">{formatDate(audit.dueDate)}</td>
                  <td className="govuk-table__cell">
                    <AuditStatusTag status={audit.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit cycle – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
