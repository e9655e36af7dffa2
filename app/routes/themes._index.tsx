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
import { PeriodForm } from '~/components/period-form'
import { ShareChart } from '~/components/share-chart'
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
      <PeriodForm period={period} errors={data.errors} keep={{ by: data.by }} />
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

export const meta: MetaFunction = () => [{ title: 'Learning themes – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
