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
import { NotificationBanner } from '~/components/notification-banner'
import { ErrorSummary, TextField } from '~/components/forms'
import { requireAnonymous, sessionCookieHeader, signIn } from '~/utils/auth.server'
import { listProvidersForSignIn } from '~/utils/db.server'
import { PAUSE_TIME_FORMAT, PasswordSchema } from '~/utils/password-form'
import { safeRedirectPath } from '~/utils/redirect'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context)
  const reason = new URL(request.url).searchParams.get('reason')
  return json({
    providers: await listProvidersForSignIn(context.db),
    signedOutForInactivity: reason === 'idle',
    idleMinutes: context.settings.idleTimeoutSeconds / 60,
  })
}

const SignInSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(
      z.email({ error: 'Enter an email address in the correct format, like name@example.com' }),
    ),
  password: PasswordSchema,
  redirectTo: z.string().optional(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context)
  const form = Object.fromEntries(await request.formData())
  const parsed = SignInSchema.safeParse(form)
  if (!parsed.success) {
    return json(
      {
        errors: z.flattenError(parsed.error).fieldErrors,
        email: typeof form.email === 'string' ? form.email : '',
      },
      { status: 400 },
    )
  }
  const result = await signIn(context, parsed.data)
  if (!result.ok) {
    const message =
      result.reason === 'paused'
        ? `There have been too many attempts to sign in. Signing in is paused until ${PAUSE_TIME_FORMAT.format(result.until)}. Try again then.`
        : result.reason === 'password-off'
          ? `Your council has turned off signing in with a password. Sign in with ${result.providers.join(' or ') || 'your council account'} instead.`
          : 'Enter a correct email address and password'
    return json(
      { errors: { form: [message] }, email: parsed.data.email },
      { status: result.reason === 'paused' ? 429 : 400 },
    )
  }
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': await sessionCookieHeader(request, result.token) },
  })
}

export default function LoginPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const errors: Record<string, string[] | undefined> | undefined = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {data.signedOutForInactivity ? (
          <NotificationBanner
            heading={
              <>You were signed out because you were inactive for {data.idleMinutes} minutes.</>
            }
          />
        ) : null}
        <h1 className="govuk-heading-l">Sign in</h1>
        {data.providers.length > 0 ? (
          <>
            <p className="govuk-body">Sign in with your council or partner agency account:</p>
            <div className="govuk-button-group">
              {data.providers.map((provider) => (
                <ButtonLink
                  key={provider.id}
                  href={`/sso/${provider.id}?${new URLSearchParams({ redirectTo: searchParams.get('redirectTo') ?? '/' })}`}
                >
                  Sign in with {provider.name}
                </ButtonLink>
              ))}
            </div>
            <h2 className="govuk-heading-m">Or sign in with a password</h2>
          </>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
          <TextField
            name="email"
            label="Email address"
            type="email"
            autoComplete="username"
            defaultValue={actionData?.email}
            errors={errors?.email}
            width="govuk-!-width-two-thirds"
          />
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
            Sign in
          </button>
        </Form>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Sign in – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
