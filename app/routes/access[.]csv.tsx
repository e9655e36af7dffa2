import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '../../shared/csv'
import {
  accessActionLabel,
  ACCESS_CSV_LIMIT,
  answerAccessQuery,
  describeAccess,
} from '~/utils/access.server'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'

const ACCESS_CSV_HEADER = [
  'at',
  'user',
  'email',
  'action',
  'case_ref',
  'audit_id',
  'details',
  'address',
]

/** The access trail page's answer as a spreadsheet, with the same question; refused when it is wrong. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:access:any')
  requireRecentPassword(request, user)
  const answer = await answerAccessQuery(context.db, {
    councilId: user.councilId,
    searchParams: new URL(request.url).searchParams,
    limit: ACCESS_CSV_LIMIT,
  })
  if (answer.state !== 'answered') {
    const problems =
      answer.state === 'invalid'
        ? Object.values(answer.errors).flat()
        : ['Enter a case reference or choose a user']
    return new Response(`${problems.join('\n')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  const rows = answer.rows.map((row) => [
    row.at.toISOString(),
    row.userName,
    row.userEmail,
    accessActionLabel(row),
    row.caseRef,
    row.auditId,
    describeAccess(row),
    row.address,
  ])
  return new Response(toCsv([ACCESS_CSV_HEADER, ...rows]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="access-${answer.filters.from}-to-${answer.filters.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
