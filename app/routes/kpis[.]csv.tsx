import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '../../shared/csv'
import { kpiTableRows, periodFromSearch } from '../../shared/kpis'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'
import { kpisForPeriod } from '~/utils/db.server'

/** `/kpis.csv?from=YYYY-MM&to=YYYY-MM`: the KPI table, formula-safe, for the council's own tools. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:kpi:any')
  requireRecentPassword(request, user)
  const url = new URL(request.url)
  const { period, errors } = periodFromSearch(url.searchParams, new Date())
  if (errors.length > 0) {
    return new Response(`${errors.map((e) => e.message).join('\n')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const results = await kpisForPeriod(context.db, { councilId: user.councilId, period })
  return new Response(toCsv(kpiTableRows(results)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="kpis-${period.from}-to-${period.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
