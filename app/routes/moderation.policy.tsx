import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { DEFAULT_SAMPLE_PERCENT } from '../../shared/moderation'
import { TEMPLATE_CODES } from '../../shared/templates/schema'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, type FieldErrors } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { requirePermission } from '~/utils/auth.server'
import {
  getModerationPolicies,
  listLatestTemplateVersions,
  setModerationPolicy,
} from '~/utils/db.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const [policies, templates] = await Promise.all([
    getModerationPolicies(context.db, { councilId: user.councilId }),
    listLatestTemplateVersions(context.db, { councilId: user.councilId }),
  ])
  return json({
    templates: templates.map((t) => ({
      code: t.code,
      title: t.title,
      percent: policies[t.code] ?? DEFAULT_SAMPLE_PERCENT,
    })),
  })
}

const Percent = z.coerce
  .number({ error: 'Enter a percentage from 0 to 100' })
  .int('Enter a whole percentage')
  .min(0, 'Enter a percentage from 0 to 100')
  .max(100, 'Enter a percentage from 0 to 100')

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'plan:programme:any')
  const form = Object.fromEntries(await request.formData())
  const errors: FieldErrors = {}
  const values: { code: string; percent: number }[] = []
  for (const code of TEMPLATE_CODES) {
    const raw = form[code]
    if (raw === undefined) continue
    const parsed = Percent.safeParse(typeof raw === 'string' && raw.trim() !== '' ? raw : undefined)
    if (parsed.success) values.push({ code, percent: parsed.data })
    else errors[code] = [parsed.error.issues[0]?.message ?? 'Enter a percentage from 0 to 100']
  }
  // All or nothing: one wrong box changes none of them.
  if (Object.keys(errors).length > 0) return json({ errors }, { status: 400 })
  for (const { code, percent } of values) {
    await setModerationPolicy(context.db, {
      councilId: user.councilId,
      templateCode: code,
      percent,
      userId: user.id,
    })
  }
  return redirect('/moderation/policy?saved=1')
}

/** How much of each template's audits is moderated: the plan's target is all of them. */
export default function ModerationPolicyPage() {
  const { templates } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const errors = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {searchParams.get('saved') ? (
          <NotificationBanner success heading={<>The moderation sample is saved.</>} />
        ) : null}
        <h1 className="govuk-heading-l">Moderation sample</h1>
        <p className="govuk-body">
          The share of each template’s submitted audits that go to a moderator. Audits graded
          Inadequate or Outstanding, and audits an auditor or lead flags, are always moderated; the
          rest are marked “not sampled”. The improvement plan’s target is 100%.
        </p>
        <Form method="post" noValidate>
          {templates.map((t) => {
            const error = errors?.[t.code]?.[0]
            return (
              <div
                key={t.code}
                className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}
              >
                <label className="govuk-label" htmlFor={t.code}>
                  {t.title}
                </label>
                {error ? (
                  <p id={`${t.code}-error`} className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {error}
                  </p>
                ) : null}
                <div className="govuk-input__wrapper">
                  <input
                    className={`govuk-input govuk-input--width-3${error ? ' govuk-input--error' : ''}`}
                    id={t.code}
                    name={t.code}
                    type="text"
                    inputMode="numeric"
                    defaultValue={String(t.percent)}
                    aria-describedby={error ? `${t.code}-error` : undefined}
                  />
                  <div className="govuk-input__suffix" aria-hidden="true">
                    %
                  </div>
                </div>
              </div>
            )
          })}
          <button type="submit" className="govuk-button">
            Save the sample
          </button>
        </Form>
        <p className="govuk-body">
          <Link className="govuk-link" to="/programme">
            Back to the programme
          </Link>
        </p>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Moderation sample – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
