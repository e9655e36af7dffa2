import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { ACTION_STATE_LABELS, ACTION_STATES, AGEING_BANDS, todayIso } from '../../shared/actions'
import { formatCycle } from '../../shared/programme'
import { formatDate } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Table } from '~/components/table'
import { getCouncilActions } from '~/utils/actions.server'
import { requirePermission } from '~/utils/auth.server'
import { ActionStateTag } from '~/components/action-state'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:action:any')
  return json(
    await getCouncilActions(context.db, {
      user,
      searchParams: new URL(request.url).searchParams,
      today: todayIso(),
    }),
  )
}

type ActionsData = ReturnType<typeof useLoaderData<typeof loader>>
type Row = ActionsData['outstanding'][number]

function CaseLink({ row }: { row: Row }) {
  return (
    <Link className="govuk-link" to={`/audits/${row.auditId}/impact`}>
      {row.caseRef}
      <span className="govuk-visually-hidden">: actions and reflection</span>
    </Link>
  )
}

export default function ActionsPage() {
  const data = useLoaderData<typeof loader>()
  const { search } = useLocation()
  const { filters } = data
  const total = data.ageing.reduce((sum, row) => sum + row.total, 0)
  return (
    <>
      <h1 className="govuk-heading-l">Actions</h1>
      <p className="govuk-body">
        Every action agreed in an audit that is still open, by team, with how long overdue it is;
        and those done in the last three months, with what changed.
      </p>
      <Form method="get" className="app-filters">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="filter-teamId">
                Team
              </label>
              <select
                className="govuk-select govuk-!-width-full"
                id="filter-teamId"
                name="teamId"
                defaultValue={filters.teamId ?? ''}
              >
                <option value="">All teams</option>
                {data.teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="govuk-grid-column-one-third">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="filter-state">
                State
              </label>
              <select
                className="govuk-select govuk-!-width-full"
                id="filter-state"
                name="state"
                defaultValue={filters.state ?? ''}
              >
                <option value="">All</option>
                {ACTION_STATES.map((state) => (
                  <option key={state} value={state}>
                    {ACTION_STATE_LABELS[state]}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Apply filters
          </button>
          <Link className="govuk-link" to="/actions">
            Clear filters
          </Link>
          <a className="govuk-link" href={`/actions.csv${search}`} download>
            Download as CSV
          </a>
        </div>
      </Form>

      {data.ageing.length === 0 ? (
        <p className="govuk-body">No actions are open.</p>
      ) : (
        <Table
          caption={`Open actions by team and ageing (${total})`}
          columns={[
            { header: 'Team', cell: (row) => row.team },
            ...AGEING_BANDS.map((band) => ({
              header: band.label,
              cell: (row: ActionsData['ageing'][number]) => row.counts[band.code],
              numeric: true,
            })),
            { header: 'Total', cell: (row) => row.total, numeric: true },
          ]}
          rows={data.ageing}
          rowKey={(row) => row.team}
        />
      )}

      {filters.state === 'done' ? null : (
        <Table
          caption={`Open and overdue actions (${data.outstanding.length})`}
          wide
          columns={[
            { header: 'Case', cell: (row) => <CaseLink row={row} /> },
            { header: 'Audit', cell: (row) => `${row.templateTitle}, ${formatCycle(row.cycle)}` },
            { header: 'Team', cell: (row) => row.team },
            { header: 'Action', cell: (row) => row.description },
            { header: 'Owner', cell: (row) => row.owner },
            { header: 'Due', cell: (row) => formatDate(row.dueDate) },
            {
              header: 'Days overdue',
              cell: (row) => (row.daysOverdue > 0 ? row.daysOverdue : '–'),
              numeric: true,
            },
            { header: 'State', cell: (row) => <ActionStateTag state={row.state} /> },
          ]}
          rows={data.outstanding}
          rowKey={(row) => row.id}
        />
      )}

      {filters.state === 'open' || filters.state === 'overdue' ? null : (
        <Table
          caption={`Done since ${formatDate(data.doneSince)} (${data.done.length})`}
          wide
          columns={[
            { header: 'Case', cell: (row) => <CaseLink row={row} /> },
            { header: 'Audit', cell: (row) => `${row.templateTitle}, ${formatCycle(row.cycle)}` },
            { header: 'Team', cell: (row) => row.team },
            { header: 'Action', cell: (row) => row.description },
            { header: 'Owner', cell: (row) => row.owner },
            { header: 'Due', cell: (row) => formatDate(row.dueDate) },
            {
              header: 'Done',
              cell: (row) =>
                `${formatDate(row.completedAt?.slice(0, 10) ?? null)}${row.completedBy ? `, by ${row.completedBy}` : ''}`,
            },
            {
              header: 'What changed',
              cell: (row) => <span className="app-pre-wrap">{row.completionNote}</span>,
            },
          ]}
          rows={data.done}
          rowKey={(row) => row.id}
        />
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Actions – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
