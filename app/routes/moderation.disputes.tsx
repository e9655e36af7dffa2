import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requirePermission } from '~/utils/auth.server'
import { listOpenDisputes } from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'resolve:dispute:any')
  return json({ disputes: await listOpenDisputes(context.db, { user }) })
}

/** Disputed moderation decisions waiting for a lead, whose resolution is final. */
export default function DisputesPage() {
  const { disputes } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-l">Disputed moderation decisions</h1>
      <p className="govuk-body">
        An auditor may dispute a moderation decision once. Your resolution is final and recorded.
      </p>
      {disputes.length === 0 ? (
        <p className="govuk-body">No disputes are waiting.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            Waiting for you ({disputes.length})
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Case', 'Month', 'Raised by', 'Reason', 'Raised'].map((heading) => (
                <th key={heading} scope="col" className="govuk-table__header">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {disputes.map((d) => (
              <tr key={d.auditId} className="govuk-table__row">
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/audits/${d.auditId}`}>
                    {d.caseRef}
                  </Link>
                </td>
                <td className="govuk-table__cell">{formatCycle(d.cycle)}</td>
                <td className="govuk-table__cell">{d.raisedBy}</td>
                <td className="govuk-table__cell app-pre-wrap">{d.reason}</td>
                <td className="govuk-table__cell">
                  {new Date(d.raisedAt).toLocaleDateString('en-GB', { timeZone: 'Europe/London' })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Disputes – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
