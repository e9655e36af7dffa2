import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { formatPercent, periodFromSearch, type Period } from '../../shared/kpis'
import { formatCycle } from '../../shared/programme'
import {
  EXCERPT_KIND_LABELS,
  formatPoints,
  type ExcerptKind,
  type ThemeRow,
} from '../../shared/themes'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ProblemSummary } from '~/components/forms'
import { Table } from '~/components/table'
import { PeriodForm } from '~/components/period-form'
import { ShareChart } from '~/components/share-chart'
import { requirePermission } from '~/utils/auth.server'
import { listThemes } from '~/utils/db.server'
import { getThemeExcerpts, getThemeTable, getThemeTrends } from '~/utils/themes.server'

const KINDS: Record<ExcerptKind, string> = {
  strength: 'Strengths',
  development: 'Areas for development',
}

function isKind(value: string | null): value is ExcerptKind {
  return value !== null && Object.hasOwn(KINDS, value)
}

/**
 * One theme: its counts for the period, its trend, and its excerpts a page at a time. The excerpts
 * are depersonalised in the loader, and no case reference is sent: only the audit's id, to link to.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:theme:any')
  const councilId = user.councilId
  const themes = await listThemes(context.db, { councilId, includeRetired: true })
  const theme = themes.find((t) => t.code === params.code)
  if (!theme) throw new Response('Not found', { status: 404 })
  const url = new URL(request.url)
  const { period, errors } = periodFromSearch(url.searchParams, new Date())
  const kindParam = url.searchParams.get('kind')
  const kind = isKind(kindParam) ? kindParam : undefined
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1))
  const [table, trend, excerpts] = await Promise.all([
    getThemeTable(context.db, { councilId, period }),
    getThemeTrends(context.db, { councilId, period, theme: theme.code }),
    getThemeExcerpts(context.db, { councilId, period, theme: theme.code, kind, page }),
  ])
  const strengths = trend.series(theme.code, 'strength')
  const developments = trend.series(theme.code, 'development')
  return json({
    theme: { code: theme.code, label: theme.label, retired: theme.retiredAt !== null },
    period,
    errors,
    kind: kind ?? null,
    page,
    completed: table.completed,
    row: table.rows.find((row) => row.code === theme.code) ?? null,
    trend: trend.cycles.map((cycle, i) => ({
      cycle,
      completed: strengths[i]?.completed ?? 0,
      strengths: strengths[i]?.audits ?? 0,
      strengthShare: strengths[i]?.share ?? null,
      developments: developments[i]?.audits ?? 0,
      developmentShare: developments[i]?.share ?? null,
    })),
    ...excerpts,
  })
}

const DIRECTION_WORDS: Record<ThemeRow['direction'], string> = {
  rising: 'Rising',
  falling: 'Falling',
  steady: 'Steady',
  none: 'Not enough audits to compare',
}

function themeHref(code: string, period: Period, extra: Record<string, string | number> = {}) {
  const search = new URLSearchParams({ from: period.from, to: period.to })
  for (const [name, value] of Object.entries(extra)) search.set(name, String(value))
  return `/themes/${encodeURIComponent(code)}?${search.toString()}`
}

export default function ThemePage() {
  const data = useLoaderData<typeof loader>()
  const { period, row } = data
  const figures: [string, string][] = [
    ['Completed audits in the period', String(data.completed)],
    ['Audits with the theme', String(row?.audits ?? 0)],
    ['As a strength', String(row?.strengths ?? 0)],
    ['As an area for development', String(row?.developments ?? 0)],
    ['Share for development', formatPercent(row?.developmentShare ?? null)],
    ['The period before', formatPercent(row?.previousDevelopmentShare ?? null)],
    ['Change', formatPoints(row?.change ?? null)],
    ['Direction', DIRECTION_WORDS[row?.direction ?? 'none']],
  ]
  return (
    <>
      <Link to={`/themes?from=${period.from}&to=${period.to}`} className="govuk-back-link">
        Back to the learning themes
      </Link>
      <ProblemSummary
        title="There is a problem"
        problems={data.errors.map((e) => ({ href: `#${e.field}`, text: e.message }))}
      />
      <span className="govuk-caption-l">
        Learning theme, {formatCycle(period.from)} to {formatCycle(period.to)}
      </span>
      <h1 className="govuk-heading-l">
        {data.theme.label}
        {data.theme.retired ? (
          <strong className="govuk-tag govuk-tag--grey govuk-!-margin-left-2">Retired</strong>
        ) : null}
      </h1>
      <PeriodForm period={period} errors={data.errors} keep={{ kind: data.kind }} />
      <dl className="govuk-summary-list">
        {figures.map(([key, value]) => (
          <div key={key} className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className="govuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>

      <h2 className="govuk-heading-m">The last 12 months</h2>
      <div className="app-trend-row__body">
        <ShareChart
          title={`${data.theme.label} as a share of each month’s audits`}
          labels={data.trend.map((p) => formatCycle(p.cycle))}
          series={[
            { label: 'As a strength', shares: data.trend.map((p) => p.strengthShare) },
            {
              label: 'As an area for development',
              shares: data.trend.map((p) => p.developmentShare),
            },
          ]}
        />
        <div className="app-trend-row__figures">
          <Table
            caption={`${data.theme.label} by month`}
            captionSize="s"
            rows={data.trend}
            rowKey={(p) => p.cycle}
            columns={[
              { header: 'Month', cell: (p) => formatCycle(p.cycle) },
              { header: 'Audits', numeric: true, cell: (p) => p.completed },
              { header: 'As a strength', numeric: true, cell: (p) => p.strengths },
              { header: 'As an area for development', numeric: true, cell: (p) => p.developments },
            ]}
          />
        </div>
      </div>

      <Excerpts data={data} />
    </>
  )
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>

function Excerpts({ data }: { data: PageData }) {
  const { first } = data
  return (
    <>
      <h2 className="govuk-heading-m" id="excerpts">
        Excerpts
      </h2>
      <p className="govuk-body">
        What auditors wrote, with names and references taken out: [name] and [reference] stand where
        they were.
      </p>
      <Form method="get" className="app-no-print">
        <input type="hidden" name="from" value={data.period.from} />
        <input type="hidden" name="to" value={data.period.to} />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="kind">
            Show
          </label>
          <select className="govuk-select" id="kind" name="kind" defaultValue={data.kind ?? ''}>
            <option value="">Strengths and areas for development</option>
            {Object.entries(KINDS).map(([value, text]) => (
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
      {data.total === 0 ? (
        <p className="govuk-body">No excerpts in this period.</p>
      ) : (
        <p className="govuk-body">
          {data.excerpts.length === 0
            ? `No excerpts on page ${data.page}; there are ${data.pages} pages.`
            : `Excerpts ${first} to ${first + data.excerpts.length - 1} of ${data.total}.`}
        </p>
      )}
      <ol className="govuk-list" start={first}>
        {data.excerpts.map((excerpt, i) => (
          <li key={`${excerpt.auditId}-${excerpt.questionKey}`} className="app-excerpt">
            <p className="govuk-body-s govuk-!-margin-bottom-1">
              <strong>{EXCERPT_KIND_LABELS[excerpt.kind]}</strong> · {excerpt.team} ·{' '}
              {excerpt.template} · {formatCycle(excerpt.cycle)}
            </p>
            <blockquote className="govuk-inset-text app-pre-wrap govuk-!-margin-top-0 govuk-!-margin-bottom-1">
              {excerpt.text}
            </blockquote>
            <p className="govuk-body-s">
              <Link className="govuk-link" to={`/audits/${excerpt.auditId}`}>
                Open the audit
                <span className="govuk-visually-hidden"> of excerpt {first + i}</span>
              </Link>
            </p>
          </li>
        ))}
      </ol>
      <Pagination
        page={data.page}
        pages={data.pages}
        href={(page) =>
          `${themeHref(data.theme.code, data.period, { ...(data.kind ? { kind: data.kind } : {}), page })}#excerpts`
        }
      />
    </>
  )
}

/** The pages to offer: the first, the last, and those around this one, with gaps between. */
function pageItems(page: number, pages: number): (number | 'gap')[] {
  const wanted = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b)
  return wanted.flatMap((p, i) => (i > 0 && p - (wanted[i - 1] ?? p) > 1 ? ['gap', p] : [p]))
}

/** GOV.UK pagination: previous and next, and numbered pages. */
function Pagination(props: { page: number; pages: number; href: (page: number) => string }) {
  const { page, pages } = props
  if (pages <= 1) return null
  return (
    <nav className="govuk-pagination" aria-label="Pages of excerpts">
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={props.href(page - 1)} rel="prev">
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      ) : null}
      <ul className="govuk-pagination__list">
        {pageItems(page, pages).map((item, i) =>
          item === 'gap' ? (
            <li
              key={`gap-${i}`}
              className="govuk-pagination__item govuk-pagination__item--ellipses"
            >
              &ctdot;
            </li>
          ) : (
            <li
              key={item}
              className={`govuk-pagination__item${item === page ? ' govuk-pagination__item--current' : ''}`}
            >
              <Link
                className="govuk-link govuk-pagination__link"
                to={props.href(item)}
                aria-label={`Page ${item}`}
                aria-current={item === page ? 'page' : undefined}
              >
                {item}
              </Link>
            </li>
          ),
        )}
      </ul>
      {page < pages ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={props.href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      ) : null}
    </nav>
  )
}

export const meta: MetaFunction = () => [{ title: 'Learning theme – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
