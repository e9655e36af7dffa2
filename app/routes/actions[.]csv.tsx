import type { LoaderFunctionArgs } from '@remix-run/node'
import { todayIso } from '../../shared/actions'
import { toCsv } from '../../shared/csv'
import { getCouncilActions } from '~/utils/actions.server'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'

const ACTIONS_CSV_HEADER = [
  'case_ref',
  'template',
  'month',
  'team',
  'action',
  'owner',
  'due_date',
  'state',
  'days_overdue',
  'completed_at',
  'completed_by',
  'what_changed',
]

/** The actions page's lists as a spreadsheet, with the same filters: outstanding first, then done. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:action:any')
  requireRecentPassword(request, user)
  const today = todayIso()
  const { outstanding, done } = await getCouncilActions(context.db, {
    user,
    searchParams: new URL(request.url).searchParams,
    today,
  })
  const rows = [...outstanding, ...done].map((a) => [
    a.caseRef,
    a.templateTitle,
    a.cycle,
    a.team,
    a.description,
    a.owner,
    a.dueDate,
    a.state,
    a.daysOverdue,
    a.completedAt,
    a.completedBy,
    a.completionNote,
  ])
  return new Response(toCsv([ACTIONS_CSV_HEADER, ...rows]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="actions-${today}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
