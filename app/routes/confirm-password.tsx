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
import { ButtonLink } from '~/components/button-link'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, TextField } from '~/components/forms'
import { CONFIRM_WITHIN_SECONDS, confirmPassword, requireUser } from '~/utils/auth.server'
import { signInWays } from '~/utils/single-sign-on.server'
import { PAUSE_TIME_FORMAT, PasswordSchema } from '~/utils/password-form'
import { safeRedirectPath } from '~/utils/redirect'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const { password, identities } = await signInWays(context, user)
  return json({
    minutes: CONFIRM_WITHIN_SECONDS / 60,
    password,
    identities: identities.map(({ providerId, providerName }) => ({ providerId, providerName })),
  })
}

const ConfirmSchema = z.object({
  password: PasswordSchema,
  redirectTo: z.string().optional(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const parsed = ConfirmSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) {
    return json({ errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 })
  }
  const result = await confirmPassword(request, context, user, parsed.data.password)
  if (!result.ok) {
    const message =
      result.reason === 'paused'
        ? `There have been too many attempts. Try again after ${PAUSE_TIME_FORMAT.format(result.until)}.`
        : 'Enter your correct password'
    return json(
      { errors: { password: [message] } },
      { status: result.reason === 'paused' ? 429 : 400 },
    )
  }
  return redirect(safeRedirectPath(parsed.data.redirectTo))
}

/** Bulk exports and changes to anyone's access ask for the password again after a while. */
export default function ConfirmPasswordPage() {
  const [searchParams] = useSearchParams()
  const { minutes, password, identities } = useLoaderData<typeof loader>()
  const redirectTo = searchParams.get('redirectTo') ?? '/'
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors: Record<string, string[] | undefined> | undefined = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">
          {identities.length > 0 ? 'Confirm it is you' : 'Confirm your password'}
        </h1>
        <p className="govuk-body">
          {identities.length > 0
            ? `Downloading data in bulk and changing anyone’s access need you to sign in again if you have not in the last ${minutes} minutes.`
            : `Downloading data in bulk and changing anyone’s access need your password if you have not given it in the last ${minutes} minutes.`}{' '}
          You will go back to where you were: download or save again from there.
        </p>
        {identities.length > 0 ? (
          <div className="govuk-button-group">
            {identities.map((identity) => (
              <ButtonLink
                key={identity.providerId}
                href={`/sso/${identity.providerId}?${new URLSearchParams({ purpose: 'confirm', redirectTo })}`}
              >
                Sign in again with {identity.providerName}
              </ButtonLink>
            ))}
          </div>
        ) : null}
        {password ? (
          <Form method="post" noValidate>
            {identities.length > 0 ? (
              <h2 className="govuk-heading-m">Or give your password</h2>
            ) : null}
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <TextField
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              errors={errors?.password}
              width="govuk-!-width-two-thirds"
            />
            <button
              type="submit"
              className="govuk-button"
              disabled={navigation.state === 'submitting'}
            >
              Confirm
            </button>
          </Form>
        ) : identities.length === 0 ? (
          <p className="govuk-body">
            Your account has no password here and no council account linked to it. Ask your
            administrator for help.
          </p>
        ) : null}
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Confirm your password – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
