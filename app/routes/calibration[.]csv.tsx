import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '../../shared/csv'
import type {
  Calibration,
  CalibrationDimension,
  CalibrationGroup,
  Counts,
} from '../../db/queries/calibration'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'
import { getCalibration, parseCalibrationSearch } from '~/utils/db.server'

const COUNT_COLUMNS = [
  'moderated',
  'agreed',
  'changed',
  'lowered',
  'raised',
  'steps_lowered',
  'steps_raised',
  'agreement_percent',
] as const

const CALIBRATION_CSV_HEADER = [
  'dimension',
  'group',
  'audits',
  ...COUNT_COLUMNS.map((c) => `judgements_${c}`),
  ...COUNT_COLUMNS.map((c) => `overall_${c}`),
]

function countCells(counts: Counts): (number | null)[] {
  return [
    counts.moderated,
    counts.agreed,
    counts.changed,
    counts.lowered,
    counts.raised,
    counts.stepsLowered,
    counts.stepsRaised,
    counts.agreementRate,
  ]
}

/** One row per group of every breakdown; a month is written as its cycle (YYYY-MM). */
function calibrationRows(calibration: Calibration) {
  const breakdowns: [CalibrationDimension, CalibrationGroup[]][] = [
    ['auditor', calibration.byAuditor],
    ['team', calibration.byTeam],
    ['template', calibration.byTemplate],
    ['cycle', calibration.byCycle],
  ]
  return breakdowns.flatMap(([dimension, groups]) =>
    groups.map((g) => [
      dimension,
      dimension === 'cycle' ? g.key : g.label,
      g.audits,
      ...countCells(g.judgements),
      ...countCells(g.overall),
    ]),
  )
}

/** The calibration page's figures as a spreadsheet, for the same months the page was showing. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:calibration:any')
  requireRecentPassword(request, user)
  const parsed = parseCalibrationSearch(new URL(request.url).searchParams)
  if (!parsed.ok) {
    throw new Response(Object.values(parsed.errors).flat().join('\n'), { status: 400 })
  }
  const calibration = await getCalibration(context.db, { user, filters: parsed.filters })
  const { fromCycle, toCycle } = parsed.filters
  const months = fromCycle || toCycle ? `-${fromCycle ?? 'start'}-to-${toCycle ?? 'latest'}` : ''
  return new Response(toCsv([CALIBRATION_CSV_HEADER, ...calibrationRows(calibration)]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="calibration${months}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
