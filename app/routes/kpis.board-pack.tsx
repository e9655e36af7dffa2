import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import {
  formatPercent,
  KPIS,
  MANUAL_MEASURES,
  periodFromSearch,
  summariseManualMeasure,
} from '../../shared/kpis'
import { addMonths, formatCycle } from '../../shared/programme'
import { formatPoints, RISING_POINTS, risingThemes } from '../../shared/themes'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Table } from '~/components/table'
import { TrendChart } from '~/components/trend-chart'
import { requirePermission } from '~/utils/auth.server'
import { kpisBy, kpisForPeriod, listManualMeasures } from '~/utils/db.server'
import { getThemeTable } from '~/utils/themes.server'

/** How many of the period's areas for development the board sees. */
const TOP_THEMES = 5

/**
 * One printable page for the Quality & Performance Board: KPIs, trends, and the period's headline
 * themes (its most raised areas for development, and those rising since the period before).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:kpi:any')
  const url = new URL(request.url)
  const { period } = periodFromSearch(url.searchParams, new Date())
  const trendPeriod = { from: addMonths(period.to, -11), to: period.to }
  const councilId = user.councilId
  const [results, trend, manual, themes] = await Promise.all([
    kpisForPeriod(context.db, { councilId, period }),
    kpisBy(context.db, { councilId, period: trendPeriod, by: 'cycle' }),
    listManualMeasures(context.db, { councilId, period }),
    getThemeTable(context.db, { councilId, period }),
  ])
  const byCycle = new Map(trend.map((row) => [row.key, row.results]))
  const cycles = Array.from({ length: 12 }, (_, i) => addMonths(trendPeriod.from, i))
  return json({
    period,
    results,
    manual: MANUAL_MEASURES.map((m) =>
      summariseManualMeasure(
        m.id,
        manual.filter((v) => v.measure === m.id),
      ),
    ),
    themes: {
      completed: themes.completed,
      top: themes.rows
        .filter((row) => row.developments > 0)
        .sort((a, b) => b.developments - a.developments || a.label.localeCompare(b.label))
        .slice(0, TOP_THEMES),
      rising: risingThemes(themes.rows),
    },
    trends: KPIS.map((kpi, k) => ({
      id: kpi.id,
      target: kpi.target,
      points: cycles.map((cycle) => {
        const tenths = byCycle.get(cycle)?.[k]?.percentTenths
        return { label: formatCycle(cycle), percent: tenths == null ? null : tenths / 10 }
      }),
    })),
  })
}

const RAG_WORDS = { green: 'Green', amber: 'Amber', red: 'Red', none: 'No rating' } as const

export default function BoardPackPage() {
  const { period, results, manual, themes, trends } = useLoaderData<typeof loader>()
  return (
    <div className="app-board-pack">
      <Link
        to={`/kpis?from=${period.from}&to=${period.to}`}
        className="govuk-back-link app-no-print"
      >
        Back to the KPIs
      </Link>
      <span className="govuk-caption-l">Quality & Performance Board</span>
      <h1 className="govuk-heading-l">
        Case file audit: {formatCycle(period.from)} to {formatCycle(period.to)}
      </h1>
      <p className="govuk-body app-no-print">
        Print this page (or save it as a PDF from the print dialogue) for the board pack.
      </p>
      <Table
        caption="The improvement plan’s audit KPIs"
        captionSize="s"
        wide
        rows={results}
        rowKey={(r) => r.id}
        columns={[
          { header: 'KPI', cell: (r) => `${r.id} ${r.title}` },
          { header: 'Audits', numeric: true, cell: (r) => `${r.numerator} of ${r.denominator}` },
          { header: 'Percent', numeric: true, cell: (r) => formatPercent(r.percentTenths) },
          { header: 'Target', numeric: true, cell: (r) => `${r.target}%` },
          {
            header: 'RAG',
            cell: (r) => `${RAG_WORDS[r.rag]}${r.smallCohort ? ' (under 10 audits)' : ''}`,
          },
        ]}
      />
      <Table
        caption="Measures entered by leads"
        captionSize="s"
        wide
        rows={manual}
        rowKey={(m) => m.id}
        columns={[
          { header: 'Measure', cell: (m) => `${m.id} ${m.title}` },
          {
            header: 'Latest',
            numeric: true,
            cell: (m) => (m.latest ? `${m.latest.value} (${formatCycle(m.latest.cycle)})` : '–'),
          },
          { header: 'Better is', cell: (m) => (m.polarity === 'higher' ? 'Higher' : 'Lower') },
          { header: 'RAG', cell: (m) => RAG_WORDS[m.rag] },
        ]}
      />
      <h2 className="govuk-heading-m">The last 12 months</h2>
      <div className="app-trends app-trends--print">
        {trends.map((t) => (
          <figure key={t.id} className="app-trend govuk-!-margin-0">
            <figcaption className="govuk-body-s govuk-!-font-weight-bold">{t.id}</figcaption>
            <TrendChart title={`${t.id} by month`} target={t.target} points={t.points} />
          </figure>
        ))}
      </div>
      <h2 className="govuk-heading-m">Headline themes</h2>
      {themes.top.length === 0 ? (
        <p className="govuk-body">No areas for development were recorded in this period.</p>
      ) : (
        <Table
          caption={`The areas for development most often raised, of ${themes.completed} completed audits`}
          captionSize="s"
          wide
          rows={themes.top}
          rowKey={(t) => t.code}
          columns={[
            { header: 'Theme', cell: (t) => t.label },
            { header: 'Audits', numeric: true, cell: (t) => t.developments },
            { header: 'Share', numeric: true, cell: (t) => formatPercent(t.developmentShare) },
            {
              header: 'Period before',
              numeric: true,
              cell: (t) => formatPercent(t.previousDevelopmentShare),
            },
            { header: 'Change', numeric: true, cell: (t) => formatPoints(t.change) },
          ]}
        />
      )}
      {themes.rising.length === 0 ? (
        <p className="govuk-body">
          No theme rose by {RISING_POINTS} points or more as an area for development since the
          period before.
        </p>
      ) : (
        <Table
          caption="Rising as areas for development since the period before"
          captionSize="s"
          wide
          rows={themes.rising}
          rowKey={(t) => t.code}
          columns={[
            { header: 'Theme', cell: (t) => t.label },
            { header: 'Share', numeric: true, cell: (t) => formatPercent(t.developmentShare) },
            {
              header: 'Period before',
              numeric: true,
              cell: (t) => formatPercent(t.previousDevelopmentShare),
            },
            { header: 'Change', numeric: true, cell: (t) => formatPoints(t.change) },
          ]}
        />
      )}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Board pack – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
