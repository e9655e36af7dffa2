import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { can } from '../../shared/permissions'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary } from '~/components/forms'
import { requirePermission } from '~/utils/auth.server'
import { listTemplateVersions } from '~/utils/db.server'
import { publishTemplateFromJson } from '~/utils/templates.server'
import { readUploadedText } from '~/utils/case-files.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:template:any')
  const versions = await listTemplateVersions(context.db, { councilId: user.councilId })
  return json({ versions, canPublish: can(user, 'publish:template:any') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'publish:template:any')
  const upload = await readUploadedText((await request.formData()).get('file'))
  if (!upload.ok)
    return json({ problems: [{ path: '', message: upload.message }] }, { status: 400 })
  const result = await publishTemplateFromJson(context.db, {
    councilId: user.councilId,
    userId: user.id,
    text: upload.text,
  })
  if (!result.ok) return json({ problems: result.problems }, { status: 400 })
  return redirect(`/templates/${result.code}/${result.version}?published=1`)
}

export default function TemplatesPage() {
  const { versions, canPublish } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const problems = actionData?.problems ?? []
  return (
    <>
      <ErrorSummary
        errors={
          problems.length > 0
            ? { file: ['The template was not published: see the problems below'] }
            : undefined
        }
      />
      <h1 className="govuk-heading-l">Audit templates</h1>
      <p className="govuk-body">
        Every version ever published. An audit keeps the version it started with, so a new version
        never changes an audit already planned.
      </p>
      {searchParams.has('published') ? <p className="govuk-body">Published.</p> : null}
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">Versions</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Template
            </th>
            <th scope="col" className="govuk-table__header">
              Code
            </th>
            <th scope="col" className="govuk-table__header">
              Kind
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Version
            </th>
            <th scope="col" className="govuk-table__header">
              Published
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {versions.map((v) => (
            <tr key={v.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                <Link className="govuk-link" to={`/templates/${v.code}/${v.version}`}>
                  {v.title}
                </Link>
              </th>
              <td className="govuk-table__cell">
                <code>{v.code}</code>
              </td>
              <td className="govuk-table__cell">
                {v.kind === 'supervision' ? 'Supervision' : 'Case file'}
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{v.version}</td>
              <td className="govuk-table__cell">
                {new Date(v.publishedAt).toLocaleDateString('en-GB', { timeZone: 'Europe/London' })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canPublish ? (
        <>
          <h2 className="govuk-heading-m">Publish a new version</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <div
              className={`govuk-form-group${problems.length > 0 ? ' govuk-form-group--error' : ''}`}
            >
              <label className="govuk-label" htmlFor="file">
                Template as a JSON file
              </label>
              <div id="file-hint" className="govuk-hint">
                Start from the newest version’s JSON (on its page), and raise <code>version</code>{' '}
                by one.
              </div>
              {problems.length > 0 ? (
                <div id="file-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span>
                  <ul className="govuk-list">
                    {problems.map((problem, index) => (
                      <li key={index}>
                        {problem.path ? <code>{problem.path}</code> : null} {problem.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <input
                className="govuk-file-upload"
                id="file"
                name="file"
                type="file"
                accept=".json,application/json"
                aria-describedby={problems.length > 0 ? 'file-hint file-error' : 'file-hint'}
              />
            </div>
            <button type="submit" className="govuk-button">
              Publish
            </button>
          </Form>
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit templates – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
