import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import {
  BREAKDOWNS,
  formatPercent,
  KPIS,
  MANUAL_MEASURES,
  periodFromSearch,
  summariseManualMeasure,
  RAG_LABELS,
  SMALL_COHORT,
  type Breakdown,
  type KpiResult,
  type Rag,
} from '../../shared/kpis'
import { addMonths, formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PeriodForm } from '~/components/period-form'
import { Table } from '~/components/table'
import { TrendChart } from '~/components/trend-chart'
import { requirePermission } from '~/utils/auth.server'
import {
  ErrorSummary,
  ProblemSummary,
  SelectField,
  TextField,
  type FieldErrors,
} from '~/components/forms'
import { kpisBy, kpisForPeriod, listManualMeasures, setManualMeasure } from '~/utils/db.server'
import { CycleSchema } from '../../shared/programme'

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
  const { period, errors } = periodFromSearch(url.searchParams, new Date())
  const byParam = url.searchParams.get('by')
  const by: Breakdown = BREAKDOWNS.find((b) => b === byParam && b !== 'cycle') ?? 'team'
  const trendPeriod = { from: addMonths(period.to, -11), to: period.to }
  const [results, breakdown, trend, manual] = await Promise.all([
    kpisForPeriod(context.db, { councilId: user.councilId, period }),
    kpisBy(context.db, { councilId: user.councilId, period, by }),
    kpisBy(context.db, { councilId: user.councilId, period: trendPeriod, by: 'cycle' }),
    listManualMeasures(context.db, { councilId: user.councilId, period }),
  ])
  const trendCycles = Array.from({ length: 12 }, (_, i) => addMonths(trendPeriod.from, i))
  const byCycle = new Map(trend.map((row) => [row.key, row.results]))
  return json({
    period,
    errors,
    by,
    results,
    manual: MANUAL_MEASURES.map((m) =>
      summariseManualMeasure(
        m.id,
        manual.filter((v) => v.measure === m.id),
      ),
    ),
    canEnter: user.roles.includes('lead'),
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

const ManualSchema = z
  .object({
    measure: z.enum(['A3.1', 'A3.6'], { error: 'Choose the measure' }),
    cycle: CycleSchema,
    value: z.coerce
      .number({ error: 'Enter the value as a number' })
      .min(0, 'Enter 0 or more')
      .max(100_000, 'Enter a smaller number'),
  })
  .refine((m) => m.measure !== 'A3.1' || m.value <= 100, {
    message: 'A percentage is 100 or less',
    path: ['value'],
  })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'read:kpi:any')
  if (!user.roles.includes('lead')) throw new Response('Forbidden', { status: 403 })
  const form = Object.fromEntries(await request.formData())
  const parsed = ManualSchema.safeParse({
    ...form,
    value: form.value === '' ? undefined : form.value,
  })
  if (!parsed.success) {
    const errors: FieldErrors = z.flattenError(parsed.error).fieldErrors
    return json({ errors }, { status: 400 })
  }
  await setManualMeasure(context.db, {
    councilId: user.councilId,
    measure: parsed.data.measure,
    cycle: parsed.data.cycle,
    value: Math.round(parsed.data.value * 10) / 10,
    userId: user.id,
  })
  return redirect(`${new URL(request.url).pathname}${new URL(request.url).search}#manual-measures`)
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
  const { period, errors, by, results, manual, canEnter, breakdown, trends } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <ErrorSummary errors={actionData?.errors} />
      <ProblemSummary
        title="There is a problem"
        problems={errors.map((e) => ({ href: `#${e.field}`, text: e.message }))}
      />
      <h1 className="govuk-heading-l">Improvement plan KPIs</h1>
      <p className="govuk-body">
        Audits from {formatCycle(period.from)} to {formatCycle(period.to)}. Grades and judgements
        are final values: the moderator’s where an audit was moderated, else the auditor’s.
      </p>
      <PeriodForm period={period} errors={errors}>
        <a className="govuk-link" href={`/kpis.csv?from=${period.from}&to=${period.to}`}>
          Download the KPI table (CSV)
        </a>
        <Link className="govuk-link" to={`/kpis/board-pack?from=${period.from}&to=${period.to}`}>
          Board pack (to print)
        </Link>
      </PeriodForm>

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

      <h2 className="govuk-heading-m" id="manual-measures">
        Measures entered by leads
      </h2>
      <Table
        caption="Measures that are not from audits, latest value in the period"
        captionSize="s"
        rows={manual}
        rowKey={(m) => m.id}
        columns={[
          {
            header: 'Measure',
            cell: (m) => (
              <>
                <span className="govuk-!-font-weight-bold">{m.id}</span> {m.title}
              </>
            ),
          },
          {
            header: 'Latest',
            numeric: true,
            cell: (m) =>
              m.latest
                ? `${m.latest.value}${m.id === 'A3.1' ? '%' : ''} (${formatCycle(m.latest.cycle)})`
                : 'Not entered',
          },
          {
            header: 'At the start',
            numeric: true,
            cell: (m) => (m.first ? `${m.first.value}${m.id === 'A3.1' ? '%' : ''}` : '–'),
          },
          {
            header: 'Better is',
            cell: (m) => (m.polarity === 'higher' ? 'Higher' : 'Lower'),
          },
          {
            header: 'Target',
            numeric: true,
            cell: (m) => (m.target === null ? '–' : `${m.target}%`),
          },
          { header: 'RAG', cell: (m) => <RagTag rag={m.rag} /> },
        ]}
      />
      {canEnter ? (
        <details className="govuk-details app-no-print">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Enter a month’s value</span>
          </summary>
          <div className="govuk-details__text">
            <Form method="post" noValidate>
              <SelectField
                name="measure"
                label="Measure"
                options={MANUAL_MEASURES.map((m) => ({ value: m.id, text: `${m.id} ${m.title}` }))}
                errors={actionData?.errors.measure}
              />
              <TextField
                name="cycle"
                label="Month"
                hint="For example, 2026-04"
                width="govuk-input--width-20"
                errors={actionData?.errors.cycle}
              />
              <TextField
                name="value"
                label="Value"
                hint="A3.1: the percentage of staff. A3.6: the number of vacancies."
                width="govuk-input--width-20"
                errors={actionData?.errors.value}
              />
              <button type="submit" className="govuk-button govuk-button--secondary">
                Save the value
              </button>
            </Form>
          </div>
        </details>
      ) : null}

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
                const text = `${formatPercent(r.percentTenths)} (${r.numerator}/${r.denominator})`
                return (
                  <Link
                    className="govuk-link"
                    to={drillHref(kpi.id, period, `&${by}=${encodeURIComponent(row.key)}`)}
                  >
                    {text}
                    <span className="govuk-visually-hidden">
                      {' '}
                      audits in {kpi.id} for {row.label}
                    </span>
                  </Link>
                )
              },
            })),
          ]}
        />
      )}

      <h2 className="govuk-heading-m">The last 12 months</h2>
      <div className="app-trend-rows">
        {trends.map((trend) => (
          <section key={trend.id} className="app-trend-row" aria-labelledby={`trend-${trend.id}`}>
            <h3 className="govuk-heading-s" id={`trend-${trend.id}`}>
              {trend.id} {trend.title}
            </h3>
            <div className="app-trend-row__body">
              <TrendChart
                title={`${trend.id} by month, against its ${trend.target}% target`}
                target={trend.target}
                points={trend.points}
              />
              <div className="app-trend-row__figures">
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
                        p.denominator === 0 ? (
                          '–'
                        ) : (
                          <Link
                            className="govuk-link"
                            to={drillHref(trend.id, { from: p.cycle, to: p.cycle })}
                          >
                            {formatPercent(Math.round((p.percent ?? 0) * 10))}
                            <span className="govuk-visually-hidden">
                              {' '}
                              audits in {trend.id} in {p.label}
                            </span>
                          </Link>
                        ),
                    },
                    {
                      header: 'Audits',
                      numeric: true,
                      cell: (p) => `${p.numerator} of ${p.denominator}`,
                    },
                  ]}
                />
              </div>
            </div>
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
