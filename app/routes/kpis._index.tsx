import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import {
  BREAKDOWNS,
  formatPercent,
  KPIS,
  parsePeriod,
  RAG_LABELS,
  SMALL_COHORT,
  type Breakdown,
  type KpiResult,
  type Rag,
} from '../../shared/kpis'
import { addMonths, formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Table } from '~/components/table'
import { TrendChart } from '~/components/trend-chart'
import { requirePermission } from '~/utils/auth.server'
import { kpisBy, kpisForPeriod } from '~/utils/db.server'

const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  team: 'Team',
  service: 'Service',
  agency: 'Agency',
  template: 'Template',
  cycle: 'Month',
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:kpi:any')
  const url = new URL(request.url)
  const { period, errors } = parsePeriod(
    { from: url.searchParams.get('from'), to: url.searchParams.get('to') },
    new Date(),
  )
  const byParam = url.searchParams.get('by')
  const by: Breakdown = BREAKDOWNS.find((b) => b === byParam && b !== 'cycle') ?? 'team'
  const trendPeriod = { from: addMonths(period.to, -11), to: period.to }
  const [results, breakdown, trend] = await Promise.all([
    kpisForPeriod(context.db, { councilId: user.councilId, period }),
    kpisBy(context.db, { councilId: user.councilId, period, by }),
    kpisBy(context.db, { councilId: user.councilId, period: trendPeriod, by: 'cycle' }),
  ])
  const trendCycles = Array.from({ length: 12 }, (_, i) => addMonths(trendPeriod.from, i))
  const byCycle = new Map(trend.map((row) => [row.key, row.results]))
  return json({
    period,
    errors,
    by,
    results,
    breakdown,
    trends: KPIS.map((kpi, k) => ({
      id: kpi.id,
      title: kpi.title,
      target: kpi.target,
      points: trendCycles.map((cycle) => {
        const result = byCycle.get(cycle)?.[k]
        return {
          cycle,
          label: formatCycle(cycle),
          percent: result?.percentTenths == null ? null : result.percentTenths / 10,
          numerator: result?.numerator ?? 0,
          denominator: result?.denominator ?? 0,
        }
      }),
    })),
  })
}

const RAG_TAGS: Record<Rag, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--yellow',
  red: 'govuk-tag--red',
  none: 'govuk-tag--grey',
}

function RagTag({ rag }: { rag: Rag }) {
  const word = { green: 'Green', amber: 'Amber', red: 'Red', none: 'No rating' }[rag]
  return (
    <strong className={`govuk-tag ${RAG_TAGS[rag]}`} title={RAG_LABELS[rag]}>
      {word}
    </strong>
  )
}

function drillHref(id: string, period: { from: string; to: string }, extra = ''): string {
  return `/kpis/${encodeURIComponent(id)}?from=${period.from}&to=${period.to}${extra}`
}

export default function KpisPage() {
  const { period, errors, by, results, breakdown, trends } = useLoaderData<typeof loader>()
  return (
    <>
      {errors.length > 0 ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary">
          <div role="alert">
            <h2 className="govuk-error-summary__title">There is a problem</h2>
            <div className="govuk-error-summary__body">
              <ul className="govuk-list govuk-error-summary__list">
                {errors.map((e) => (
                  <li key={e.field}>
                    <a href={`#${e.field}`}>{e.message}</a>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      <h1 className="govuk-heading-l">Improvement plan KPIs</h1>
      <p className="govuk-body">
        Audits from {formatCycle(period.from)} to {formatCycle(period.to)}. Grades and judgements
        are final values: the moderator’s where an audit was moderated, else the auditor’s.
      </p>
      <Form method="get" className="app-no-print">
        <div className="govuk-grid-row">
          {(['from', 'to'] as const).map((field) => {
            const error = errors.find((e) => e.field === field)
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
                    defaultValue={period[field]}
                    aria-describedby={`${field}-hint${error ? ` ${field}-error` : ''}`}
                    spellCheck={false}
                  />
                </div>
              </div>
            )
          })}
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Show this period
          </button>
          <a className="govuk-link" href={`/kpis.csv?from=${period.from}&to=${period.to}`}>
            Download the KPI table (CSV)
          </a>
        </div>
      </Form>

      <Table
        caption="KPIs against the improvement plan’s targets"
        rows={results}
        rowKey={(r) => r.id}
        columns={[
          {
            header: 'KPI',
            cell: (r: KpiResult) => (
              <>
                <span className="govuk-!-font-weight-bold">{r.id}</span> {r.title}
                {r.smallCohort ? (
                  <span className="govuk-body-s app-caveat">
                    {' '}
                    Fewer than {SMALL_COHORT} audits: one audit moves this a long way.
                  </span>
                ) : null}
              </>
            ),
          },
          {
            header: 'Numerator',
            numeric: true,
            cell: (r) => (
              <Link className="govuk-link" to={drillHref(r.id, period, '&counted=numerator')}>
                {r.numerator}
                <span className="govuk-visually-hidden"> audits counted in {r.id}</span>
              </Link>
            ),
          },
          {
            header: 'Denominator',
            numeric: true,
            cell: (r) => (
              <Link className="govuk-link" to={drillHref(r.id, period)}>
                {r.denominator}
                <span className="govuk-visually-hidden"> audits in {r.id}</span>
              </Link>
            ),
          },
          { header: 'Percent', numeric: true, cell: (r) => formatPercent(r.percentTenths) },
          { header: 'Target', numeric: true, cell: (r) => `${r.target}%` },
          { header: 'RAG', cell: (r) => <RagTag rag={r.rag} /> },
        ]}
      />

      <h2 className="govuk-heading-m">By {BREAKDOWN_LABELS[by].toLowerCase()}</h2>
      <Form method="get" className="app-no-print">
        <input type="hidden" name="from" value={period.from} />
        <input type="hidden" name="to" value={period.to} />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="by">
            Break the figures down by
          </label>
          <select className="govuk-select" id="by" name="by" defaultValue={by}>
            {BREAKDOWNS.filter((b) => b !== 'cycle').map((b) => (
              <option key={b} value={b}>
                {BREAKDOWN_LABELS[b]}
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
      {breakdown.length === 0 ? (
        <p className="govuk-body">No audits in this period.</p>
      ) : (
        <Table
          caption={`KPIs by ${BREAKDOWN_LABELS[by].toLowerCase()}: percent (numerator of denominator)`}
          wide
          rows={breakdown}
          rowKey={(row) => row.key}
          columns={[
            { header: BREAKDOWN_LABELS[by], cell: (row) => row.label },
            ...KPIS.map((kpi, k) => ({
              header: kpi.id,
              numeric: true,
              cell: (row: (typeof breakdown)[number]) => {
                const r = row.results[k]
                if (!r || r.denominator === 0) return '–'
                return `${formatPercent(r.percentTenths)} (${r.numerator}/${r.denominator})`
              },
            })),
          ]}
        />
      )}

      <h2 className="govuk-heading-m">The last 12 months</h2>
      <div className="app-trends">
        {trends.map((trend) => (
          <section key={trend.id} className="app-trend" aria-labelledby={`trend-${trend.id}`}>
            <h3 className="govuk-heading-s" id={`trend-${trend.id}`}>
              {trend.id} {trend.title}
            </h3>
            <TrendChart
              title={`${trend.id} by month, against its ${trend.target}% target`}
              target={trend.target}
              points={trend.points}
            />
            <details className="govuk-details">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">The figures</span>
              </summary>
              <div className="govuk-details__text">
                <Table
                  caption={`${trend.id} by month`}
                  captionSize="s"
                  rows={trend.points}
                  rowKey={(p) => p.cycle}
                  columns={[
                    { header: 'Month', cell: (p) => p.label },
                    {
                      header: 'Percent',
                      numeric: true,
                      cell: (p) =>
                        p.denominator === 0
                          ? '–'
                          : formatPercent(Math.round((p.percent ?? 0) * 10)),
                    },
                    {
                      header: 'Audits',
                      numeric: true,
                      cell: (p) => `${p.numerator} of ${p.denominator}`,
                    },
                  ]}
                />
              </div>
            </details>
          </section>
        ))}
      </div>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'KPIs – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
