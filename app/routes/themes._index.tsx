import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { formatPercent, periodFromSearch, type Period } from '../../shared/kpis'
import { can } from '../../shared/permissions'
import { formatCycle } from '../../shared/programme'
import {
  formatPoints,
  MIN_AUDITS_FOR_CHANGE,
  RISING_POINTS,
  risingThemes,
  type ThemeRow,
} from '../../shared/themes'
import type { ThemeGroup } from '../../db/queries/learning'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ProblemSummary } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { Table } from '~/components/table'
import { requirePermission } from '~/utils/auth.server'
import { getThemeReport, getThemeTable, getThemeTrends } from '~/utils/themes.server'

const GROUP_LABELS: Record<ThemeGroup, string> = {
  team: 'Team',
  service: 'Service',
  template: 'Template',
}

function isGroup(value: string | null): value is ThemeGroup {
  return value !== null && Object.hasOwn(GROUP_LABELS, value)
}

/** How many themes the trend chart follows: more lines than this cannot be told apart. */
const TREND_THEMES = 4

/** Learning themes across audits: the period against the one before, a breakdown, and the trend. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:theme:any')
  const url = new URL(request.url)
  const { period, errors } = periodFromSearch(url.searchParams, new Date())
  const by = url.searchParams.get('by')
  const group = isGroup(by) ? by : undefined
  const councilId = user.councilId
  const [table, breakdown, trend] = await Promise.all([
    getThemeTable(context.db, { councilId, period }),
    group ? getThemeReport(context.db, { councilId, period, by: group }) : null,
    getThemeTrends(context.db, { councilId, period }),
  ])
  const top = [...table.rows]
    .filter((row) => row.developments > 0)
    .sort((a, b) => b.developments - a.developments || a.label.localeCompare(b.label))
    .slice(0, TREND_THEMES)
  return json({
    period,
    errors,
    by: group ?? null,
    canManage: can(user, 'manage:theme:any'),
    ...table,
    rising: risingThemes(table.rows),
    breakdown: breakdown?.groups.map((g) => ({
      ...g,
      rows: g.rows.filter((row) => row.audits > 0),
    })),
    trend: {
      cycles: trend.cycles,
      themes: top.map((row) => ({
        code: row.code,
        label: row.label,
        points: trend.series(row.code, 'development'),
      })),
    },
  })
}

const DIRECTION_TAGS: Record<ThemeRow['direction'], { text: string; className: string } | null> = {
  rising: { text: 'Rising', className: 'govuk-tag--red' },
  falling: { text: 'Falling', className: 'govuk-tag--green' },
  steady: { text: 'Steady', className: 'govuk-tag--grey' },
  none: null,
}

function DirectionTag({ direction }: { direction: ThemeRow['direction'] }) {
  const tag = DIRECTION_TAGS[direction]
  if (!tag) return <>–</>
  return <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
}

function periodQuery(period: Period): string {
  return `from=${period.from}&to=${period.to}`
}

function themeHref(code: string, period: Period): string {
  return `/themes/${encodeURIComponent(code)}?${periodQuery(period)}`
}

export default function ThemesPage() {
  const data = useLoaderData<typeof loader>()
  const { period } = data
  return (
    <>
      <ProblemSummary
        title="There is a problem"
        problems={data.errors.map((e) => ({ href: `#${e.field}`, text: e.message }))}
      />
      <h1 className="govuk-heading-l">Learning themes</h1>
      <p className="govuk-body">
        {data.completed} completed audits from {formatCycle(period.from)} to{' '}
        {formatCycle(period.to)}, against {data.previousCompleted} in the period before (
        {formatCycle(data.previous.from)} to {formatCycle(data.previous.to)}). An audit counts once
        for a theme however many of its answers carry it.
      </p>
      {data.rising.length > 0 ? (
        <NotificationBanner heading="Rising as areas for development">
          <ul className="govuk-list govuk-list--bullet">
            {data.rising.map((row) => (
              <li key={row.code}>
                <Link className="govuk-link" to={themeHref(row.code, period)}>
                  {row.label}
                </Link>
                : {formatPercent(row.developmentShare)} of audits, {formatPoints(row.change)} on the
                period before
              </li>
            ))}
          </ul>
        </NotificationBanner>
      ) : (
        <div className="govuk-inset-text">
          No theme rose by {RISING_POINTS} points or more as an area for development since the
          period before.
        </div>
      )}
      <PeriodForm period={period} errors={data.errors} by={data.by} />
      <div className="govuk-button-group app-no-print">
        <a
          className="govuk-link"
          href={`/themes.csv?${periodQuery(period)}${data.by ? `&by=${data.by}` : ''}`}
        >
          Download the theme table (CSV)
        </a>
        {data.canManage ? (
          <Link className="govuk-link" to="/themes/settings">
            Change the council’s themes
          </Link>
        ) : null}
      </div>

      <Table
        caption={`Themes in audits from ${formatCycle(period.from)} to ${formatCycle(period.to)}`}
        wide
        rows={data.rows}
        rowKey={(row) => row.code}
        columns={[
          {
            header: 'Theme',
            cell: (row) => (
              <>
                <Link className="govuk-link" to={themeHref(row.code, period)}>
                  {row.label}
                </Link>
                {data.retired.includes(row.code) ? (
                  <span className="govuk-body-s app-caveat"> Retired</span>
                ) : null}
              </>
            ),
          },
          { header: 'Audits', numeric: true, cell: (row) => row.audits },
          { header: 'As a strength', numeric: true, cell: (row) => row.strengths },
          { header: 'As an area for development', numeric: true, cell: (row) => row.developments },
          {
            header: 'Share for development',
            numeric: true,
            cell: (row) => formatPercent(row.developmentShare),
          },
          {
            header: 'Period before',
            numeric: true,
            cell: (row) => formatPercent(row.previousDevelopmentShare),
          },
          { header: 'Change', numeric: true, cell: (row) => formatPoints(row.change) },
          { header: 'Direction', cell: (row) => <DirectionTag direction={row.direction} /> },
        ]}
      />
      <p className="govuk-body-s">
        Share for development: the share of the period’s completed audits with the theme as an area
        for development. A theme is rising or falling when that share moved by {RISING_POINTS}{' '}
        points or more, with at least {MIN_AUDITS_FOR_CHANGE} audits in one of the periods.
      </p>

      <Breakdown data={data} />
      <Trend data={data} />
    </>
  )
}

function PeriodForm(props: {
  period: Period
  errors: readonly { field: 'from' | 'to'; message: string }[]
  by: ThemeGroup | null
}) {
  return (
    <Form method="get" className="app-no-print">
      {props.by ? <input type="hidden" name="by" value={props.by} /> : null}
      <div className="govuk-grid-row">
        {(['from', 'to'] as const).map((field) => {
          const error = props.errors.find((e) => e.field === field)
          return (
            <div key={field} className="govuk-grid-column-one-quarter">
              <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
                <label className="govuk-label" htmlFor={field}>
                  {field === 'from' ? 'From month' : 'To month'}
                </label>
                <div id={`${field}-hint`} className="govuk-hint">
                  For example, 2026-04
                </div>
                {error ? (
                  <p id={`${field}-error`} className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {error.message}
                  </p>
                ) : null}
                <input
                  className={`govuk-input govuk-input--width-5${error ? ' govuk-input--error' : ''}`}
                  id={field}
                  name={field}
                  defaultValue={props.period[field]}
                  aria-describedby={`${field}-hint${error ? ` ${field}-error` : ''}`}
                  spellCheck={false}
                />
              </div>
            </div>
          )
        })}
      </div>
      <button type="submit" className="govuk-button govuk-button--secondary">
        Show this period
      </button>
    </Form>
  )
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>

function Breakdown({ data }: { data: PageData }) {
  return (
    <>
      <h2 className="govuk-heading-m" id="breakdown">
        By team, service or template
      </h2>
      <Form method="get" className="app-no-print">
        <input type="hidden" name="from" value={data.period.from} />
        <input type="hidden" name="to" value={data.period.to} />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="by">
            Break the counts down by
          </label>
          <select className="govuk-select" id="by" name="by" defaultValue={data.by ?? ''}>
            <option value="">Choose</option>
            {Object.entries(GROUP_LABELS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>{' '}
          <button
            type="submit"
            className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
          >
            Show
          </button>
        </div>
      </Form>
      {!data.breakdown ? null : data.breakdown.length === 0 ? (
        <p className="govuk-body">No completed audits in this period.</p>
      ) : (
        data.breakdown.map((group) => (
          <Table
            key={group.group}
            caption={`${group.group}: ${group.completed} completed audits`}
            captionSize="s"
            rows={group.rows}
            rowKey={(row) => row.code}
            columns={[
              { header: 'Theme', cell: (row) => row.label },
              { header: 'As a strength', numeric: true, cell: (row) => row.strengths },
              {
                header: 'As an area for development',
                numeric: true,
                cell: (row) => row.developments,
              },
              {
                header: 'Share for development',
                numeric: true,
                cell: (row) => formatPercent(row.developmentShare),
              },
              { header: 'Change', numeric: true, cell: (row) => formatPoints(row.change) },
            ]}
          />
        ))
      )}
    </>
  )
}

function Trend({ data }: { data: PageData }) {
  const { cycles, themes } = data.trend
  return (
    <>
      <h2 className="govuk-heading-m">Areas for development over 12 months</h2>
      {themes.length === 0 ? (
        <p className="govuk-body">No areas for development were recorded in this period.</p>
      ) : (
        <div className="app-trend-row__body">
          <ShareChart
            title={`The ${themes.length} themes most often raised for development, as a share of each month’s audits`}
            labels={cycles.map(formatCycle)}
            series={themes.map((t) => ({
              label: t.label,
              shares: t.points.map((p) => p.share),
            }))}
          />
          <div className="app-trend-row__figures">
            <Table
              caption="Audits raising each theme for development, by month"
              captionSize="s"
              wide
              rows={cycles}
              rowKey={(cycle) => cycle}
              columns={[
                { header: 'Month', cell: (cycle) => formatCycle(cycle) },
                {
                  header: 'Audits',
                  numeric: true,
                  cell: (cycle) => themes[0]?.points.find((p) => p.cycle === cycle)?.completed ?? 0,
                },
                ...themes.map((theme) => ({
                  header: theme.label,
                  numeric: true,
                  cell: (cycle: string) => {
                    const point = theme.points.find((p) => p.cycle === cycle)
                    if (!point || point.completed === 0) return '–'
                    return `${point.audits} (${formatPercent(point.share)})`
                  },
                })),
              ]}
            />
          </div>
        </div>
      )}
    </>
  )
}

// Colour is never the only cue: each line has its own dashes and marker, and the legend names it.
const LINE_STYLES = [
  { colour: '#1d70b8', dashes: undefined, marker: 'circle' },
  { colour: '#d4351c', dashes: '6 3', marker: 'square' },
  { colour: '#00703c', dashes: '2 3', marker: 'triangle' },
  { colour: '#505a5f', dashes: '10 3 2 3', marker: 'diamond' },
] as const

const WIDTH = 360
const HEIGHT = 160
const PAD = { left: 36, right: 8, top: 8, bottom: 20 }

function Marker(props: { x: number; y: number; style: (typeof LINE_STYLES)[number] }) {
  const { x, y, style } = props
  if (style.marker === 'circle') return <circle cx={x} cy={y} r={3} fill={style.colour} />
  if (style.marker === 'square')
    return <rect x={x - 3} y={y - 3} width={6} height={6} fill={style.colour} />
  if (style.marker === 'triangle')
    return (
      <polygon points={`${x},${y - 4} ${x + 4},${y + 3} ${x - 4},${y + 3}`} fill={style.colour} />
    )
  return (
    <polygon
      points={`${x},${y - 4} ${x + 4},${y} ${x},${y + 4} ${x - 4},${y}`}
      fill={style.colour}
    />
  )
}

/**
 * A few themes' shares by month as lines on one chart, scaled to the largest share so that small
 * shares are not flattened against the axis. The same figures are in the table beside it; a month
 * without audits leaves a gap.
 */
function ShareChart(props: {
  title: string
  labels: readonly string[]
  series: readonly { label: string; shares: readonly (number | null)[] }[]
}) {
  const shares = props.series.flatMap((s) => s.shares).filter((s): s is number => s !== null)
  const top = Math.max(10, Math.ceil(Math.max(0, ...shares) / 100) * 10)
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (i: number) =>
    PAD.left +
    (props.labels.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (props.labels.length - 1))
  const y = (tenths: number) => PAD.top + plotHeight - (tenths / 10 / top) * plotHeight
  const runsOf = (values: readonly (number | null)[]) => {
    const runs: { i: number; value: number }[][] = [[]]
    values.forEach((value, i) => {
      if (value === null) runs.push([])
      else runs.at(-1)?.push({ i, value })
    })
    return runs.filter((run) => run.length > 0)
  }
  const description = props.series
    .map((s) => {
      const latest = s.shares.findLastIndex((v) => v !== null)
      return latest < 0
        ? `${s.label}: no audits.`
        : `${s.label}: ${formatPercent(s.shares[latest] ?? null)} in ${props.labels[latest]}.`
    })
    .join(' ')
  return (
    <figure className="govuk-!-margin-0">
      <svg
        // govuk-body brings the service's font to the axis labels.
        className="app-trend-chart govuk-body govuk-!-margin-bottom-2"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`${props.title}. ${description}`}
      >
        {[0, top / 2, top].map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick * 10)}
              y2={y(tick * 10)}
              className="app-trend-chart__grid"
            />
            <text
              x={PAD.left - 4}
              y={y(tick * 10) + 4}
              textAnchor="end"
              className="app-trend-chart__axis"
            >
              {tick}%
            </text>
          </g>
        ))}
        {props.series.map((series, s) => {
          const style = LINE_STYLES[s % LINE_STYLES.length]!
          return (
            <g key={series.label}>
              {runsOf(series.shares).map((run) => (
                <polyline
                  key={run[0]?.i}
                  points={run.map((p) => `${x(p.i)},${y(p.value)}`).join(' ')}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth={2}
                  strokeDasharray={style.dashes}
                />
              ))}
              {runsOf(series.shares)
                .flat()
                .map((p) => (
                  <Marker key={p.i} x={x(p.i)} y={y(p.value)} style={style} />
                ))}
            </g>
          )
        })}
        {[0, props.labels.length - 1].map((i) => (
          <text
            key={i}
            x={x(i)}
            y={HEIGHT - 4}
            textAnchor={i === 0 ? 'start' : 'end'}
            className="app-trend-chart__axis"
          >
            {props.labels[i]}
          </text>
        ))}
      </svg>
      <figcaption>
        <ul className="govuk-list govuk-body-s">
          {props.series.map((series, s) => {
            const style = LINE_STYLES[s % LINE_STYLES.length]!
            return (
              <li key={series.label}>
                <svg width="36" height="12" aria-hidden="true" focusable="false">
                  <line
                    x1={2}
                    x2={34}
                    y1={6}
                    y2={6}
                    stroke={style.colour}
                    strokeWidth={2}
                    strokeDasharray={style.dashes}
                  />
                  <Marker x={18} y={6} style={style} />
                </svg>{' '}
                {series.label}
              </li>
            )
          })}
        </ul>
      </figcaption>
    </figure>
  )
}

export const meta: MetaFunction = () => [{ title: 'Learning themes – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
