import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AUDIT_STATUS_LABELS, type AuditStatus } from '../../shared/audit-status'
import { z } from 'zod'
import { KPIS, periodFromSearch } from '../../shared/kpis'
import { formatCycle } from '../../shared/programme'
import { answerLabel } from '~/components/answer-label'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Table } from '~/components/table'
import { requirePermission } from '~/utils/auth.server'
import { kpiAudits } from '~/utils/db.server'

const PAGE_SIZE = 50

/** The audits behind one KPI figure: its denominator, or only its numerator, a page at a time. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:kpi:any')
  const kpi = KPIS.find((k) => k.id === params.kpi)
  if (!kpi) throw new Response('Not found', { status: 404 })
  const url = new URL(request.url)
  const { period } = periodFromSearch(url.searchParams, new Date())
  const numeratorOnly = url.searchParams.get('counted') === 'numerator'
  // One group of a breakdown, if the figure came from one: a team, a service or a template.
  const group = (['team', 'service', 'template', 'agency'] as const)
    .map((by) => ({ by, key: url.searchParams.get(by) ?? '' }))
    .find((g) =>
      g.by === 'team' ? z.uuid().safeParse(g.key).success : /^[a-z0-9-]{1,64}$/.test(g.key),
    )
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1))
  const { rows, total } = await kpiAudits(context.db, {
    councilId: user.councilId,
    period,
    kpi: kpi.id,
    numeratorOnly,
    group,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  })
  return json({
    kpi: {
      id: kpi.id,
      title: kpi.title,
      numerator: kpi.numeratorText,
      denominator: kpi.denominatorText,
    },
    period,
    numeratorOnly,
    group: group
      ? {
          ...group,
          label:
            rows[0]?.[
              group.by === 'team' ? 'team' : group.by === 'template' ? 'template' : 'team'
            ] ?? group.key,
        }
      : null,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    rows,
  })
}

export default function KpiAuditsPage() {
  const data = useLoaderData<typeof loader>()
  const base = `/kpis/${encodeURIComponent(data.kpi.id)}?from=${data.period.from}&to=${data.period.to}${data.numeratorOnly ? '&counted=numerator' : ''}${data.group ? `&${data.group.by}=${encodeURIComponent(data.group.key)}` : ''}`
  return (
    <>
      <Link to={`/kpis?from=${data.period.from}&to=${data.period.to}`} className="govuk-back-link">
        Back to the KPIs
      </Link>
      <span className="govuk-caption-l">
        {data.kpi.id}, {formatCycle(data.period.from)} to {formatCycle(data.period.to)}
      </span>
      <h1 className="govuk-heading-l">{data.kpi.title}</h1>
      {data.group ? (
        <p className="govuk-body">
          Only the {data.group.by === 'agency' ? 'lead auditor’s agency' : data.group.by}:{' '}
          <strong>
            {data.group.by === 'service' || data.group.by === 'agency'
              ? data.group.key
              : data.group.label}
          </strong>
          .
        </p>
      ) : null}
      <p className="govuk-body">
        {data.numeratorOnly
          ? `The ${data.total} audits in the numerator: ${data.kpi.numerator}.`
          : `The ${data.total} audits in the denominator (${data.kpi.denominator}); those also in the numerator (${data.kpi.numerator}) are marked.`}
      </p>
      <Table
        caption={`Audits, page ${data.page} of ${data.pages}`}
        rows={data.rows}
        rowKey={(r) => r.id}
        columns={[
          {
            header: 'Case',
            cell: (r) => (
              <Link className="govuk-link" to={`/audits/${r.id}`}>
                {r.caseRef}
              </Link>
            ),
          },
          { header: 'Month', cell: (r) => formatCycle(r.cycle) },
          { header: 'Team', cell: (r) => r.team },
          { header: 'Template', cell: (r) => r.template },
          {
            header: 'Status',
            cell: (r) => AUDIT_STATUS_LABELS[r.status as AuditStatus] ?? r.status,
          },
          { header: 'Final grade', cell: (r) => answerLabel(r.finalGrade, 'Not graded') },
          {
            header: 'Counted in',
            cell: (r) => (r.counted === 'numerator' ? 'Numerator' : 'Denominator only'),
          },
        ]}
      />
      {data.pages > 1 ? (
        <nav className="govuk-pagination" aria-label="Pages of audits">
          {data.page > 1 ? (
            <div className="govuk-pagination__prev">
              <Link
                className="govuk-link govuk-pagination__link"
                to={`${base}&page=${data.page - 1}`}
                rel="prev"
              >
                <span className="govuk-pagination__link-title">Previous page</span>
              </Link>
            </div>
          ) : null}
          {data.page < data.pages ? (
            <div className="govuk-pagination__next">
              <Link
                className="govuk-link govuk-pagination__link"
                to={`${base}&page=${data.page + 1}`}
                rel="next"
              >
                <span className="govuk-pagination__link-title">Next page</span>
              </Link>
            </div>
          ) : null}
        </nav>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'KPI audits – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
