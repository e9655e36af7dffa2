import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { CodeSchema } from '../../shared/organisation'
import { ThemeFormSchema } from '../../shared/themes'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, TextField, type FieldErrors } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { Table } from '~/components/table'
import { requirePermission } from '~/utils/auth.server'
import { addTheme, listThemes, setThemeRetired, updateTheme } from '~/utils/db.server'

/** The council's theme list: what auditors tag, and the keywords that suggest each theme. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'manage:theme:any')
  const themes = await listThemes(context.db, { councilId: user.councilId, includeRetired: true })
  const editCode = new URL(request.url).searchParams.get('edit')
  const editing = themes.find((t) => t.code === editCode)
  if (editCode !== null && !editing) throw new Response('Not found', { status: 404 })
  return json({
    themes: themes.map((t) => ({
      code: t.code,
      label: t.label,
      keywords: t.keywords,
      retired: t.retiredAt !== null,
    })),
    editing: editing
      ? { code: editing.code, label: editing.label, keywords: editing.keywords }
      : null,
  })
}

// NOTE: /themes/settings is this page, so a theme with the code "settings" could never be opened.
const RESERVED_CODES = new Set(['settings'])

const AddSchema = ThemeFormSchema.extend({
  code: z
    .string({ error: 'Enter a code' })
    .trim()
    .min(1, 'Enter a code')
    .max(60, 'The code must be 60 characters or fewer')
    .pipe(CodeSchema)
    .refine((code) => !RESERVED_CODES.has(code), 'That code is taken by this page; choose another'),
})
const EditSchema = ThemeFormSchema
const RetireSchema = z.object({ code: z.string(), intent: z.enum(['retire', 'restore']) })

type Values = { code: string; label: string; keywords: string }

function valuesOf(form: FormData): Values {
  const text = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : ''
  }
  return { code: text('code'), label: text('label'), keywords: text('keywords') }
}

function invalid(intent: 'add' | 'edit', values: Values, errors: FieldErrors) {
  return json({ intent, values, errors }, { status: 400 })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'manage:theme:any')
  const councilId = user.councilId
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'retire' || intent === 'restore') {
    const parsed = RetireSchema.safeParse(Object.fromEntries(form))
    if (!parsed.success) throw new Response('Bad request', { status: 400 })
    const done = await setThemeRetired(context.db, {
      councilId,
      code: parsed.data.code,
      retired: intent === 'retire',
    })
    if (!done) throw new Response('Not found', { status: 404 })
    return redirect(
      `/themes/settings?${intent === 'retire' ? 'retired' : 'restored'}=${parsed.data.code}`,
    )
  }
  if (intent !== 'add' && intent !== 'edit') throw new Response('Bad request', { status: 400 })
  const values = valuesOf(form)
  const parsed = (intent === 'add' ? AddSchema : EditSchema).safeParse(values)
  if (!parsed.success) return invalid(intent, values, z.flattenError(parsed.error).fieldErrors)
  if (intent === 'add') {
    if (!(await addTheme(context.db, { councilId, ...parsed.data }))) {
      return invalid(intent, values, {
        code: [`There is already a theme with the code ${parsed.data.code}`],
      })
    }
    return redirect(`/themes/settings?added=${parsed.data.code}`)
  }
  if (!(await updateTheme(context.db, { councilId, ...parsed.data }))) {
    throw new Response('Not found', { status: 404 })
  }
  return redirect(`/themes/settings?changed=${parsed.data.code}`)
}

const DONE_WORDS = { added: 'added', changed: 'changed', retired: 'retired', restored: 'restored' }

function SuccessBanner({ themes }: { themes: readonly { code: string; label: string }[] }) {
  const [search] = useSearchParams()
  for (const [param, word] of Object.entries(DONE_WORDS)) {
    const theme = themes.find((t) => t.code === search.get(param))
    if (theme) return <NotificationBanner success heading={`${theme.label} was ${word}`} />
  }
  return null
}

export default function ThemeSettingsPage() {
  const { themes, editing } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (editing) {
    const values = actionData?.intent === 'edit' ? actionData.values : undefined
    return (
      <>
        <Link to="/themes/settings" className="govuk-back-link">
          Back to the themes
        </Link>
        <ErrorSummary errors={actionData?.intent === 'edit' ? actionData.errors : undefined} />
        <span className="govuk-caption-l">Learning theme {editing.code}</span>
        <h1 className="govuk-heading-l">Change {editing.label}</h1>
        <Form method="post" action={`/themes/settings?edit=${editing.code}`} noValidate>
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="code" value={editing.code} />
          <ThemeFields
            values={values ?? { label: editing.label, keywords: editing.keywords.join('\n') }}
            errors={actionData?.intent === 'edit' ? actionData.errors : undefined}
          />
          <button type="submit" className="govuk-button">
            Save the theme
          </button>
        </Form>
      </>
    )
  }
  const values = actionData?.intent === 'add' ? actionData.values : undefined
  const errors = actionData?.intent === 'add' ? actionData.errors : undefined
  return (
    <>
      <Link to="/themes" className="govuk-back-link">
        Back to the learning themes
      </Link>
      <ErrorSummary errors={errors} />
      <SuccessBanner themes={themes} />
      <h1 className="govuk-heading-l">The council’s themes</h1>
      <p className="govuk-body">
        Auditors tag strengths and areas for development with these themes. A theme’s keywords
        suggest it while an auditor writes; nothing is tagged until they accept. A retired theme is
        offered no more, but the audits that carry it keep it.
      </p>
      <Table
        caption="Themes"
        wide
        rows={themes}
        rowKey={(t) => t.code}
        columns={[
          {
            header: 'Theme',
            cell: (t) => (
              <>
                {t.label}
                <span className="govuk-body-s app-caveat">{t.code}</span>
              </>
            ),
          },
          {
            header: 'Keywords',
            cell: (t) => (t.keywords.length === 0 ? 'None' : t.keywords.join(', ')),
          },
          { header: 'Status', cell: (t) => (t.retired ? 'Retired' : 'In use') },
          {
            header: 'Actions',
            cell: (t) => (
              <div className="govuk-button-group govuk-!-margin-bottom-0">
                <Link className="govuk-link" to={`/themes/settings?edit=${t.code}`}>
                  Change<span className="govuk-visually-hidden"> {t.label}</span>
                </Link>
                <Form method="post" action="/themes/settings" className="app-inline-form">
                  <input type="hidden" name="code" value={t.code} />
                  <button
                    type="submit"
                    name="intent"
                    value={t.retired ? 'restore' : 'retire'}
                    className="govuk-button govuk-button--secondary app-button--small govuk-!-margin-bottom-0"
                  >
                    {t.retired ? 'Restore' : 'Retire'}
                    <span className="govuk-visually-hidden"> {t.label}</span>
                  </button>
                </Form>
              </div>
            ),
          },
        ]}
      />
      <h2 className="govuk-heading-m">Add a theme</h2>
      <Form method="post" action="/themes/settings" noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextField
          name="code"
          label="Code"
          hint="Used in exports and never changed: lower-case letters, digits and hyphens, for example neglect"
          width="govuk-input--width-20"
          defaultValue={values?.code}
          errors={errors?.code}
        />
        <ThemeFields values={values} errors={errors} />
        <button type="submit" className="govuk-button">
          Add the theme
        </button>
      </Form>
    </>
  )
}

function ThemeFields(props: {
  values: { label: string; keywords: string } | undefined
  errors: FieldErrors | undefined
}) {
  return (
    <>
      <TextField
        name="label"
        label="Name"
        width="govuk-!-width-two-thirds"
        defaultValue={props.values?.label}
        errors={props.errors?.label}
      />
      <TextField
        name="keywords"
        label="Keywords"
        hint="One a line. Whole words; end one with * to match any ending, for example chronolog*"
        multiline
        defaultValue={props.values?.keywords}
        errors={props.errors?.keywords}
      />
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Theme settings – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
