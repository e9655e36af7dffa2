import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { formatDateTime } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, SelectField, TextField } from '~/components/forms'
import { Table } from '~/components/table'
import {
  accessActionLabel,
  ACCESS_PAGE_LIMIT,
  answerAccessQuery,
  describeAccess,
} from '~/utils/access.server'
import { requirePermission } from '~/utils/auth.server'
import { listUsers } from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:access:any')
  const searchParams = new URL(request.url).searchParams
  const [answer, people] = await Promise.all([
    answerAccessQuery(context.db, {
      councilId: user.councilId,
      searchParams,
      limit: ACCESS_PAGE_LIMIT,
    }),
    listUsers(context.db, { councilId: user.councilId }),
  ])
  const rows =
    answer.state === 'answered'
      ? answer.rows.map((row, index) => ({
          key: String(index),
          at: row.at.toISOString(),
          action: accessActionLabel(row),
          who: row.userName ?? (row.action === 'sign-in-refused' ? 'Not signed in' : 'The system'),
          caseRef: row.caseRef,
          auditId: row.auditId,
          what: describeAccess(row),
          address: row.address ?? '',
        }))
      : []
  return json(
    {
      filters: answer.filters,
      errors: answer.state === 'invalid' ? answer.errors : undefined,
      asked: answer.state === 'answered',
      more: answer.state === 'answered' && answer.more,
      rows,
      users: people.map((p) => ({ value: p.id, text: `${p.name} (${p.email})` })),
      csvHref: `/access.csv?${new URLSearchParams(answer.filters)}`,
    },
    { status: answer.state === 'invalid' ? 400 : 200 },
  )
}

/**
 * The access trail: who has seen a case, and what a user has looked at and done, over a date
 * range. Every request for this page, and its export, is in the trail too.
 */
export default function AccessTrailPage() {
  const { filters, errors, asked, more, rows, users, csvHref } = useLoaderData<typeof loader>()
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Access trail</h1>
      <p className="govuk-body">
        Every view of an audit or case, every change, every export, every sign-in and every change
        to someone’s access is recorded, with who, when and from where. Nobody can change or remove
        an entry; entries older than the retention period are removed, and that is recorded too.
      </p>
      <Form method="get" className="app-filter-form">
        <TextField
          name="case"
          label="Case reference"
          hint="Who has seen this case, or any of its audits"
          defaultValue={filters.case}
          errors={errors?.case}
          width="govuk-input--width-20"
        />
        <SelectField
          name="user"
          label="User"
          hint="What this person has looked at and done"
          placeholder="Anyone"
          options={users}
          defaultValue={filters.user}
          errors={errors?.user}
        />
        <TextField
          name="from"
          label="From (YYYY-MM-DD)"
          defaultValue={filters.from}
          errors={errors?.from}
          width="govuk-input--width-20"
        />
        <TextField
          name="to"
          label="To (YYYY-MM-DD)"
          defaultValue={filters.to}
          errors={errors?.to}
          width="govuk-input--width-20"
        />
        <button type="submit" className="govuk-button" data-module="govuk-button">
          Show access
        </button>
      </Form>
      {!asked ? (
        errors ? null : (
          <p className="govuk-body">Enter a case reference or choose a user.</p>
        )
      ) : rows.length === 0 ? (
        <p className="govuk-body">Nothing was recorded for this between these dates.</p>
      ) : (
        <>
          <p className="govuk-body">
            <a className="govuk-link" href={csvHref} download>
              Download these entries (CSV)
            </a>
          </p>
          {more ? (
            <div className="govuk-inset-text">
              The newest {rows.length} entries are shown. The CSV holds them all.
            </div>
          ) : null}
          <Table
            caption={`${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}, newest first`}
            wide
            rows={rows}
            rowKey={(row) => row.key}
            columns={[
              { header: 'When', cell: (row) => formatDateTime(row.at) },
              { header: 'Who', cell: (row) => row.who },
              { header: 'What', cell: (row) => row.action },
              {
                header: 'Case',
                cell: (row) =>
                  row.caseRef && row.auditId ? (
                    <Link className="govuk-link" to={`/audits/${row.auditId}`}>
                      {row.caseRef}
                    </Link>
                  ) : (
                    (row.caseRef ?? '')
                  ),
              },
              { header: 'Details', cell: (row) => row.what },
              { header: 'From', cell: (row) => row.address },
            ]}
          />
        </>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Access trail – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
