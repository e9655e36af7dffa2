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
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, TextField } from '~/components/forms'
import { CONFIRM_WITHIN_SECONDS, confirmPassword, requireUser } from '~/utils/auth.server'
import { PAUSE_TIME_FORMAT, PasswordSchema } from '~/utils/password-form'
import { safeRedirectPath } from '~/utils/redirect'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context)
  return json({ minutes: CONFIRM_WITHIN_SECONDS / 60 })
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
  const { minutes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const errors: Record<string, string[] | undefined> | undefined = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Confirm your password</h1>
        <p className="govuk-body">
          Downloading data in bulk and changing anyone’s access need your password if you have not
          given it in the last {minutes} minutes. You will go back to where you were: download or
          save again from there.
        </p>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
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
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Confirm your password – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
