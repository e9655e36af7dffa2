import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { z } from 'zod'
import { AGE_BANDS } from '../../shared/case-list-import'
import type { ImportProblem } from '../../shared/historical-import'
import { formatCycle } from '../../shared/programme'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { ErrorSummary, SelectField, TextField, type FieldErrors } from '~/components/forms'
import { ImportProblems } from '~/components/import-problems'
import { requirePermission } from '~/utils/auth.server'
import { importCaseList, readUploadedText } from '~/utils/case-files.server'
import {
  listCaseFiles,
  listServices,
  listTeams,
  listUsers,
  upsertCaseFiles,
} from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'manage:case:any')
  const url = new URL(request.url)
  const teamId = z.uuid().safeParse(url.searchParams.get('team')).data
  const [cases, teams, services, users] = await Promise.all([
    listCaseFiles(context.db, { councilId: user.councilId, teamId }),
    listTeams(context.db, { councilId: user.councilId }),
    listServices(context.db, { councilId: user.councilId }),
    listUsers(context.db, { councilId: user.councilId }),
  ])
  const practitioners = users.filter((u) => u.active && u.roles.includes('practitioner'))
  return json({ cases, teams, services, practitioners, teamId: teamId ?? null })
}

const CaseRefSchema = z
  .string({ error: 'Enter the case reference' })
  .trim()
  .min(1, 'Enter the case reference')
  .max(60, 'The case reference must be 60 characters or fewer')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
    'Use the case management system’s reference: letters, digits, . _ / and -',
  )

const NewCaseSchema = z.object({
  intent: z.literal('add'),
  caseRef: CaseRefSchema,
  teamId: z.uuid({ error: 'Select the team that holds the case' }),
  workerId: z.union([z.literal(''), z.uuid()]).transform((v) => v || null),
  ageBand: z.union([z.literal(''), z.enum(AGE_BANDS)]).transform((v) => v || null),
})

/** A refusal the page shows: field errors, any file problems, and what was typed (never a file). */
function refuse(
  errors: FieldErrors,
  problems: ImportProblem[] = [],
  values: Record<string, FormDataEntryValue> = {},
) {
  const typed = Object.fromEntries(
    Object.entries(values).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
  return json({ errors, problems, values: typed }, { status: 400 })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'manage:case:any')
  const form = await request.formData()
  if (form.get('intent') === 'import') {
    const text = await readUploadedText(form.get('file'))
    if (!text.ok) return refuse({ file: [text.message] })
    const result = await importCaseList(context.db, user.councilId, text.text)
    if (!result.ok) return refuse({ file: [result.message] }, result.problems)
    return redirect(`/cases?imported=${result.created}&updated=${result.updated}`)
  }
  const values = Object.fromEntries(form)
  const parsed = NewCaseSchema.safeParse(values)
  if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors, [], values)
  const [teams, existing] = await Promise.all([
    listTeams(context.db, { councilId: user.councilId }),
    listCaseFiles(context.db, { councilId: user.councilId }),
  ])
  const team = teams.find((t) => t.id === parsed.data.teamId)
  if (!team) return refuse({ teamId: ['Select the team that holds the case'] }, [], values)
  if (existing.some((c) => c.caseRef.toLowerCase() === parsed.data.caseRef.toLowerCase())) {
    return refuse({ caseRef: ['A case file with this reference already exists'] }, [], values)
  }
  await upsertCaseFiles(context.db, {
    councilId: user.councilId,
    cases: [
      {
        caseRef: parsed.data.caseRef,
        teamId: team.id,
        serviceId: team.serviceId,
        workerId: parsed.data.workerId,
        ageBand: parsed.data.ageBand,
      },
    ],
  })
  return redirect(`/cases?added=${encodeURIComponent(parsed.data.caseRef)}`)
}

export default function CasesPage() {
  const { cases, teams, practitioners, teamId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [searchParams] = useSearchParams()
  const errors = actionData?.errors
  const values: Record<string, string | undefined> = actionData?.values ?? {}
  const added = searchParams.get('added')
  const imported = searchParams.get('imported')
  return (
    <>
      <ErrorSummary errors={errors} />
      {added || imported ? (
        <NotificationBanner
          success
          heading={
            <>
              {added
                ? `Case file ${added} has been added.`
                : `Case list imported: ${imported} added, ${searchParams.get('updated') ?? 0} updated.`}
            </>
          }
        />
      ) : null}
      <h1 className="govuk-heading-l">Case files</h1>
      <p className="govuk-body">
        Cases are known by the case management system’s reference. No child’s name is needed or
        kept.
      </p>
      <Form method="get" className="govuk-!-margin-bottom-6">
        <SelectField
          name="team"
          label="Show the cases of"
          placeholder="Every team"
          options={teams.map((t) => ({ value: t.id, text: t.name }))}
          defaultValue={teamId ?? ''}
        />
        <button type="submit" className="govuk-button govuk-button--secondary">
          Show
        </button>
      </Form>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">
          {cases.length} case files
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Case reference
            </th>
            <th scope="col" className="govuk-table__header">
              Team
            </th>
            <th scope="col" className="govuk-table__header">
              Service
            </th>
            <th scope="col" className="govuk-table__header">
              Allocated worker
            </th>
            <th scope="col" className="govuk-table__header">
              Age band
            </th>
            <th scope="col" className="govuk-table__header">
              Last audited
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {cases.map((c) => (
            <tr key={c.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {c.caseRef}
              </th>
              <td className="govuk-table__cell">{c.team}</td>
              <td className="govuk-table__cell">{c.service}</td>
              <td className="govuk-table__cell">{c.worker ?? 'Not allocated'}</td>
              <td className="govuk-table__cell">{c.ageBand ?? ''}</td>
              <td className="govuk-table__cell">
                {c.lastAuditedCycle ? formatCycle(c.lastAuditedCycle) : 'Never'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-m">Add a case file</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="add" />
            <TextField
              name="caseRef"
              label="Case reference"
              defaultValue={values.caseRef}
              errors={errors?.caseRef}
            />
            <SelectField
              name="teamId"
              label="Team"
              placeholder="Choose a team"
              options={teams.map((t) => ({ value: t.id, text: `${t.name} (${t.service})` }))}
              defaultValue={values.teamId}
              errors={errors?.teamId}
            />
            <SelectField
              name="workerId"
              label="Allocated worker (optional)"
              placeholder="Not allocated"
              options={practitioners.map((p) => ({ value: p.id, text: p.name }))}
              defaultValue={values.workerId}
            />
            <SelectField
              name="ageBand"
              label="Age band (optional)"
              placeholder="Not recorded"
              options={AGE_BANDS.map((band) => ({ value: band, text: band }))}
              defaultValue={values.ageBand}
            />
            <button type="submit" className="govuk-button">
              Add case file
            </button>
          </Form>
        </div>
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-m">Import a case list</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="import" />
            <div className={`govuk-form-group${errors?.file ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label" htmlFor="file">
                Upload a CSV file
              </label>
              <div id="file-hint" className="govuk-hint">
                Columns: case_ref, service, team, worker (the practitioner’s email), and optionally
                age_band. A file with any problem imports nothing.
              </div>
              {errors?.file ? (
                <p id="file-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {errors.file[0]}
                </p>
              ) : null}
              <input
                className={`govuk-file-upload${errors?.file ? ' govuk-file-upload--error' : ''}`}
                id="file"
                name="file"
                type="file"
                accept=".csv,text/csv"
                aria-describedby={errors?.file ? 'file-hint file-error' : 'file-hint'}
              />
            </div>
            <button
              type="submit"
              className="govuk-button govuk-button--secondary"
              disabled={navigation.state === 'submitting'}
            >
              {navigation.state === 'submitting' ? 'Importing…' : 'Import case list'}
            </button>
          </Form>
        </div>
      </div>
      {actionData?.problems && actionData.problems.length > 0 ? (
        <ImportProblems problems={actionData.problems} />
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Case files – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
