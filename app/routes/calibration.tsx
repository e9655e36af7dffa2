import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Fragment } from 'react'
import { formatCycle } from '../../shared/programme'
import type { CalibrationGroup, Counts, LoweredAuditor } from '../../db/queries/calibration'
import { StackedBarChart, type BarSeries } from '~/components/bar-chart'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, SelectField } from '~/components/forms'
import { Table, type TableColumn } from '~/components/table'
import { requirePermission } from '~/utils/auth.server'
import { getCalibration, listCycles, parseCalibrationSearch } from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:calibration:any')
  const search = new URL(request.url).searchParams
  const parsed = parseCalibrationSearch(search)
  const [calibration, cycles] = await Promise.all([
    parsed.ok ? getCalibration(context.db, { user, filters: parsed.filters }) : null,
    listCycles(context.db, { user }),
  ])
  const chosen = { from: search.get('from') ?? '', to: search.get('to') ?? '' }
  return json(
    {
      chosen,
      errors: parsed.ok ? undefined : parsed.errors,
      calibration,
      cycles: cycles.map((c) => c.cycle).sort(),
      csvHref: `/calibration.csv?${new URLSearchParams(chosen)}`,
    },
    { status: parsed.ok ? 200 : 400 },
  )
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${rate.toFixed(1)}%`
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** A count of changes, with how many steps they moved in all beneath it. */
function WithSteps({ count, steps }: { count: number; steps: number }) {
  if (count === 0) return <>0</>
  return (
    <>
      {count}
      <span className="govuk-!-display-block govuk-!-font-size-14">{plural(steps, 'step')}</span>
    </>
  )
}

/**
 * The same columns for every breakdown: the group, its audits, then its judgements and its overall
 * grades. Changes with no direction are agreed + lowered + raised short of the moderated count.
 */
function groupColumns(first: string): TableColumn<CalibrationGroup>[] {
  const counts = (of: (g: CalibrationGroup) => Counts): TableColumn<CalibrationGroup>[] => [
    { header: 'Agreed', numeric: true, cell: (g) => of(g).agreed },
    {
      header: 'Lowered',
      numeric: true,
      cell: (g) => <WithSteps count={of(g).lowered} steps={of(g).stepsLowered} />,
    },
    {
      header: 'Raised',
      numeric: true,
      cell: (g) => <WithSteps count={of(g).raised} steps={of(g).stepsRaised} />,
    },
    { header: 'Agreement', numeric: true, cell: (g) => percent(of(g).agreementRate) },
  ]
  return [
    { header: first, cell: (g) => g.label },
    { header: 'Audits', numeric: true, cell: (g) => g.audits },
    { header: 'Moderated', numeric: true, cell: (g) => g.judgements.moderated },
    ...counts((g) => g.judgements),
    ...counts((g) => g.overall),
  ]
}

const GROUP_HEADINGS = [
  { header: '', span: 2 },
  { header: 'Judgements', span: 5 },
  { header: 'Overall grades', span: 4 },
]

const LOWERED_COLUMNS: TableColumn<LoweredAuditor>[] = [
  { header: 'Auditor', cell: (a) => a.label },
  { header: 'Judgements moderated', numeric: true, cell: (a) => a.judgements },
  { header: 'Judgements lowered', numeric: true, cell: (a) => a.lowered },
  { header: 'Share lowered', numeric: true, cell: (a) => percent(a.loweredShare) },
  { header: 'Overall grades lowered', numeric: true, cell: (a) => a.overallLowered },
]

const SERIES: BarSeries[] = [
  { label: 'Agreed', style: 'solid' },
  { label: 'Lowered', style: 'stripes' },
  { label: 'Raised', style: 'dots' },
  { label: 'Changed, no direction', style: 'lines' },
]

export default function CalibrationPage() {
  const { chosen, errors, calibration, cycles, csvHref } = useLoaderData<typeof loader>()
  const options = cycles.map((cycle) => ({ value: cycle, text: formatCycle(cycle) }))
  // "Changed, no direction" only when some change went neither down nor up.
  const series = calibration?.byAuditor.some((g) => noDirection(g.judgements) > 0)
    ? SERIES
    : SERIES.slice(0, 3)
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Calibration</h1>
      <p className="govuk-body">
        How often moderators agree with auditors’ grades and evidence judgements unchanged, and
        which way and how far they move the ones they change. Judgements are each section’s grade
        and each evidence judgement; the overall grade is counted on its own.
      </p>
      <Form method="get">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="from"
              label="From"
              placeholder="Earliest month"
              options={options}
              defaultValue={chosen.from}
              errors={errors?.from}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="to"
              label="To"
              placeholder="Latest month"
              options={options}
              defaultValue={chosen.to}
              errors={errors?.to}
            />
          </div>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Show these months
          </button>
          <Link className="govuk-link" to="/calibration">
            All months
          </Link>
        </div>
      </Form>
      {calibration === null ? null : calibration.totals.audits === 0 ? (
        <div className="govuk-inset-text">
          Nothing has been moderated {chosen.from || chosen.to ? 'in these months' : 'yet'}. The
          figures appear here once a moderator records a decision on a submitted audit.
        </div>
      ) : (
        <>
          <Headline totals={calibration.totals} />
          <NoDirection totals={calibration.totals} />
          <p className="govuk-body">
            <a className="govuk-link" href={csvHref} download>
              Download as CSV
            </a>{' '}
            (every breakdown below, one row per auditor, team, template and month)
          </p>
          <h2 className="govuk-heading-m">By auditor</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-two-thirds">
              <StackedBarChart
                title="Moderators’ decisions on each lead auditor’s judgements"
                series={series}
                rows={calibration.byAuditor.map((g) => ({
                  label: g.label,
                  values: [
                    g.judgements.agreed,
                    g.judgements.lowered,
                    g.judgements.raised,
                    noDirection(g.judgements),
                  ].slice(0, series.length),
                  summary: `${percent(g.judgements.agreementRate)} agreed: ${g.judgements.agreed} of ${g.judgements.moderated}, ${g.judgements.lowered} lowered, ${g.judgements.raised} raised`,
                }))}
              />
            </div>
          </div>
          <Table
            caption="Moderated judgements and overall grades by lead auditor"
            captionSize="s"
            columns={groupColumns('Auditor')}
            columnGroups={GROUP_HEADINGS}
            rows={calibration.byAuditor}
            rowKey={(g) => g.key}
            wide
          />
          <h2 className="govuk-heading-m">Auditors whose grades are most often lowered</h2>
          {calibration.mostOftenLowered.length === 0 ? (
            <p className="govuk-body">No auditor’s grades or judgements have been lowered.</p>
          ) : (
            <Table
              caption="By the share of their judgements lowered, then by how many"
              captionSize="s"
              columns={LOWERED_COLUMNS}
              rows={calibration.mostOftenLowered}
              rowKey={(a) => a.key}
            />
          )}
          {(
            [
              ['By team', 'Team', 'team', calibration.byTeam],
              ['By template', 'Template', 'template', calibration.byTemplate],
              ['By month', 'Month', 'month', calibration.byCycle],
            ] as const
          ).map(([heading, first, noun, groups]) => (
            <Fragment key={heading}>
              <h2 className="govuk-heading-m">{heading}</h2>
              <Table
                caption={`Moderated judgements and overall grades by ${noun}`}
                captionSize="s"
                columns={groupColumns(first)}
                columnGroups={GROUP_HEADINGS}
                rows={groups}
                rowKey={(g) => g.key}
                wide
              />
            </Fragment>
          ))}
        </>
      )}
    </>
  )
}

/** Changes that neither lowered nor raised: to or from "not applicable". */
function noDirection(counts: Counts): number {
  return counts.changed - counts.lowered - counts.raised
}

/** Changes that went neither down nor up are counted as changes, and said so once. */
function NoDirection({ totals }: { totals: { judgements: Counts; overall: Counts } }) {
  const judgements = noDirection(totals.judgements)
  const grades = noDirection(totals.overall)
  if (judgements + grades === 0) return null
  return (
    <p className="govuk-body">
      {plural(judgements, 'judgement')} and {plural(grades, 'overall grade')} changed with no
      direction: to or from “not applicable”. They count as changed, neither lowered nor raised.
    </p>
  )
}

function Headline({ totals }: { totals: { audits: number; judgements: Counts; overall: Counts } }) {
  const { judgements, overall } = totals
  const items = [
    {
      label: 'Judgements agreed',
      value: percent(judgements.agreementRate),
      detail: `${judgements.agreed} of ${judgements.moderated}`,
    },
    {
      label: 'Overall grades agreed',
      value: percent(overall.agreementRate),
      detail: `${overall.agreed} of ${overall.moderated} audits`,
    },
    {
      label: 'Overall grades lowered',
      value: String(overall.lowered),
      detail: `by ${plural(overall.stepsLowered, 'step')} in all`,
    },
    {
      label: 'Overall grades raised',
      value: String(overall.raised),
      detail: `by ${plural(overall.stepsRaised, 'step')} in all`,
    },
  ]
  return (
    <dl className="app-counts">
      {items.map((item) => (
        <div key={item.label} className="app-counts__item">
          <dt className="govuk-body-s govuk-!-margin-bottom-1">{item.label}</dt>
          <dd className="govuk-heading-l govuk-!-margin-bottom-0">{item.value}</dd>
          <dd className="govuk-body-s govuk-!-margin-bottom-0">{item.detail}</dd>
        </div>
      ))}
    </dl>
  )
}

export const meta: MetaFunction = () => [{ title: 'Calibration – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
