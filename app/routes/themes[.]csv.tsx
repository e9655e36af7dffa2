import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '../../shared/csv'
import { periodFromSearch } from '../../shared/kpis'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'
import { THEME_GROUPS } from '~/utils/db.server'
import { getThemeReport, themeCsvRows } from '~/utils/themes.server'

function plainText(status: number, lines: readonly string[]) {
  return new Response(`${lines.join('\n')}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

/** `/themes.csv?from=YYYY-MM&to=YYYY-MM[&by=team|service|template]`: the theme table, formula-safe. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:theme:any')
  requireRecentPassword(request, user)
  const url = new URL(request.url)
  const { period, errors } = periodFromSearch(url.searchParams, new Date())
  if (errors.length > 0)
    return plainText(
      400,
      errors.map((e) => e.message),
    )
  const byParam = url.searchParams.get('by')
  const by = THEME_GROUPS.find((group) => group === byParam)
  if (byParam !== null && byParam !== '' && !by) {
    return plainText(400, [`Break the table down by ${THEME_GROUPS.join(', ')} or nothing`])
  }
  const report = await getThemeReport(context.db, { councilId: user.councilId, period, by })
  const name = `themes-${period.from}-to-${period.to}${by ? `-by-${by}` : ''}.csv`
  return new Response(toCsv(themeCsvRows(report.groups, by)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}
