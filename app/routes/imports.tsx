import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { countOf } from '../../shared/text'
import { HISTORICAL_COLUMNS, type ImportProblem } from '../../shared/historical-import'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { ErrorSummary } from '~/components/forms'
import { ImportProblems } from '~/components/import-problems'
import { requirePermission } from '~/utils/auth.server'
import { importAuditsForCouncil, readUploadedText } from '~/utils/case-files.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'import:audit:any')
  return json({})
}

const NO_PROBLEMS: ImportProblem[] = []

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'import:audit:any')
  const upload = await readUploadedText((await request.formData()).get('file'))
  if (!upload.ok)
    return json({ error: upload.message, problems: NO_PROBLEMS, report: null }, { status: 400 })
  const outcome = await importAuditsForCouncil(context.db, user.councilId, upload.text)
  if (!outcome.ok)
    return json(
      { error: outcome.message, problems: outcome.problems, report: null },
      { status: 400 },
    )
  return json({ error: null, problems: NO_PROBLEMS, report: outcome.report })
}

export default function ImportPage() {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const report = actionData?.report
  return (
    <>
      <ErrorSummary errors={actionData?.error ? { file: [actionData.error] } : undefined} />
      {report ? (
        <NotificationBanner
          success
          heading={
            <>
              {countOf(report.created, 'audit')} created and {report.updated} updated.
            </>
          }
        >
          <p className="govuk-body">
            {report.createdTeams.length > 0
              ? `New teams: ${report.createdTeams.join(', ')}. `
              : 'No new teams. '}
            {countOf(report.createdCaseFiles.length, 'new case file')}.
          </p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">Import historical audits</h1>
      <p className="govuk-body">
        Bring in audit results kept in spreadsheets, one row per audit. Importing a file again
        updates the audits it created (they are matched by <code>audit_ref</code>). A file with any
        invalid row is refused whole, with every problem listed: nothing is imported until all of it
        is right.
      </p>
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">The columns the file needs</span>
        </summary>
        <div className="govuk-details__text">
          <p className="govuk-body">A header row with all of these, in any order:</p>
          <p className="govuk-body">
            <code>{HISTORICAL_COLUMNS.join(', ')}</code>
          </p>
        </div>
      </details>
      <Form method="post" encType="multipart/form-data" noValidate>
        <div className={`govuk-form-group${actionData?.error ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="file">
            Upload a CSV file
          </label>
          {actionData?.error ? (
            <p id="file-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {actionData.error}
            </p>
          ) : null}
          <input
            className={`govuk-file-upload${actionData?.error ? ' govuk-file-upload--error' : ''}`}
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={actionData?.error ? 'file-error' : undefined}
          />
        </div>
        <button type="submit" className="govuk-button" disabled={busy}>
          {busy ? 'Checking and importing…' : 'Import audits'}
        </button>
      </Form>
      {actionData?.problems && actionData.problems.length > 0 ? (
        <ImportProblems problems={actionData.problems} />
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Import historical audits – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
