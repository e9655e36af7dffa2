import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { getUser, requireUser } from '~/utils/auth.server'
import { getProvider } from '~/utils/db.server'
import {
  lookUpInvitation,
  ProviderUnavailable,
  startProviderSignIn,
} from '~/utils/single-sign-on.server'
import { SIGN_IN_PURPOSES, type SignInPurpose } from '../../shared/sign-in'

/**
 * Starts a sign-in at a council's identity provider: to sign in (`?purpose=sign-in`, the default),
 * to link the signed-in user's account there (`link`), or to sign in there again to confirm who
 * they are before an export or an access change (`confirm`). A link, not a form: the browser goes
 * to the provider's own origin, which the pages' form-action policy would not allow a form to reach.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const asked = url.searchParams.get('purpose') ?? 'sign-in'
  const purpose: SignInPurpose = (SIGN_IN_PURPOSES as readonly string[]).includes(asked)
    ? (asked as SignInPurpose)
    : 'sign-in'
  const redirectTo = url.searchParams.get('redirectTo') ?? '/'
  const provider = /^[0-9a-f-]{36}$/i.test(params.providerId ?? '')
    ? await getProvider(context.db, params.providerId!)
    : undefined
  if (!provider) throw new Response('There is no such way to sign in.', { status: 404 })
  let userId: string | null = null
  if (purpose === 'invitation') {
    const token = url.searchParams.get('invitation') ?? ''
    const invitation = token ? await lookUpInvitation(context, token) : undefined
    if (invitation?.providerId !== provider.id) {
      throw new Response('This invitation has expired or has been used.', { status: 404 })
    }
    userId = invitation.userId
  } else if (purpose === 'sign-in') {
    if (await getUser(request, context)) throw redirect('/')
  } else {
    // Linking and confirming go only through the user's own council's providers.
    const user = await requireUser(request, context)
    if (provider.councilId !== user.councilId) {
      throw new Response('There is no such way to sign in.', { status: 404 })
    }
    userId = user.id
  }
  try {
    return await startProviderSignIn(request, context, { provider, purpose, userId, redirectTo })
  } catch (error) {
    if (!(error instanceof ProviderUnavailable)) throw error
    return json({ providerName: provider.name, purpose }, { status: 502 })
  }
}

/** Shown only when the provider could not be reached. */
export default function ProviderUnreachablePage() {
  // The loader's only answer that renders (the others redirect).
  const { providerName, purpose } = useLoaderData<{
    providerName: string
    purpose: SignInPurpose
  }>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sorry, {providerName} cannot be reached</h1>
        <p className="govuk-body">
          Signing in with {providerName} is not working at the moment. Try again in a few minutes.
        </p>
        <p className="govuk-body">
          {purpose === 'sign-in' ? (
            <Link className="govuk-link" to="/login">
              Go back to sign in
            </Link>
          ) : (
            <Link className="govuk-link" to="/">
              Go to the home page
            </Link>
          )}
        </p>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Sign in – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
