import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Progress } from '~/components/progress'
import { requirePermission } from '~/utils/auth.server'
import { listCycles } from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  return json({ cycles: await listCycles(context.db, { user }) })
}

export default function ProgrammePage() {
  const { cycles } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-l">Audit programme</h1>
      <p className="govuk-body">Each month’s audits, and how far each cycle has got.</p>
      <Link to="/programme/plan" className="govuk-button" role="button" draggable={false}>
        Plan a cycle
      </Link>
      {cycles.length === 0 ? (
        <p className="govuk-body">No audits have been planned yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Cycles</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Month
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Audits
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Completed
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Cancelled
              </th>
              <th scope="col" className="govuk-table__header">
                Progress
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {cycles.map((cycle) => (
              <tr key={cycle.cycle} className="govuk-table__row">
                <th scope="row" className="govuk-table__header">
                  <Link className="govuk-link" to={`/programme/${cycle.cycle}`}>
                    {formatCycle(cycle.cycle)}
                  </Link>
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{cycle.total}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{cycle.completed}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{cycle.cancelled}</td>
                <td className="govuk-table__cell">
                  <Progress
                    done={cycle.completed}
                    total={cycle.total}
                    label={`${formatCycle(cycle.cycle)} completed`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit programme – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
