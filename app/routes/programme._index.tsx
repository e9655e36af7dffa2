import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Progress } from '~/components/progress'
import { requirePermission } from '~/utils/auth.server'
import { ErrorSummary, TextField } from '~/components/forms'
import { getSampleExclusionMonths, listCycles, setSampleExclusionMonths } from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const [cycles, exclusionMonths] = await Promise.all([
    listCycles(context.db, { user }),
    getSampleExclusionMonths(context.db, { councilId: user.councilId }),
  ])
  return json({ cycles, exclusionMonths })
}

const SettingsSchema = z.object({
  exclusionMonths: z.coerce
    .number({ error: 'Enter a number of months' })
    .int('Enter a whole number of months')
    .min(0, 'Enter 0 or more months')
    .max(36, 'Enter 36 months or fewer'),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const parsed = SettingsSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success)
    return json({ errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 })
  await setSampleExclusionMonths(context.db, {
    councilId: user.councilId,
    months: parsed.data.exclusionMonths,
  })
  return redirect('/programme')
}

export default function ProgrammePage() {
  const { cycles, exclusionMonths } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <ErrorSummary errors={actionData?.errors} />
      <h1 className="govuk-heading-l">Audit programme</h1>
      <p className="govuk-body">Each month’s audits, and how far each cycle has got.</p>
      <div className="govuk-button-group">
        <Link to="/programme/plan" className="govuk-button" role="button" draggable={false}>
          Plan a cycle
        </Link>
        <Link className="govuk-link" to="/moderation/policy">
          Moderation sample
        </Link>
      </div>
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
      <h2 className="govuk-heading-m">Sampling</h2>
      <Form method="post" noValidate>
        <TextField
          name="exclusionMonths"
          label="Never draw a case audited within this many months"
          hint="A random sample leaves out cases with an audit in the months before the one being planned. 0 allows any case."
          defaultValue={String(exclusionMonths)}
          errors={actionData?.errors.exclusionMonths}
          width="govuk-input--width-20"
        />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Save
        </button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit programme – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
