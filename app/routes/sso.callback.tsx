import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  clearAttemptCookie,
  finishProviderSignIn,
  type ProviderRefusal,
} from '~/utils/single-sign-on.server'

/** Where every identity provider sends the browser back with its answer. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const outcome = await finishProviderSignIn(request, context)
  if (outcome.ok) {
    const headers = new Headers()
    for (const cookie of outcome.setCookie) headers.append('Set-Cookie', cookie)
    const to =
      outcome.purpose === 'link'
        ? `/account?${new URLSearchParams({ linked: '1' })}`
        : outcome.redirectTo
    return redirect(to, { headers })
  }
  const { ok: _ok, ...refusal } = outcome
  return json(refusal, {
    status: outcome.refusal === 'unreachable' ? 502 : 403,
    headers: { 'Set-Cookie': await clearAttemptCookie(request) },
  })
}

const HEADINGS: Record<ProviderRefusal, string> = {
  'no-attempt': 'Start signing in again',
  'provider-said-no': 'You have not been signed in',
  'untrusted-answer': 'You have not been signed in',
  unreachable: 'Sorry, the sign-in service cannot be reached',
  'tenant-not-allowed': 'Your organisation’s accounts cannot sign in here',
  'not-linked': 'Your account is not set up here',
  deactivated: 'Your account has been deactivated',
  'linked-to-another': 'That account is linked to someone else',
  'not-your-account': 'That is not your account',
  'invitation-used': 'This invitation has expired or has been used',
}

function Explanation(props: {
  refusal: ProviderRefusal
  providerName: string | null
  account: string | null
  said: string | null
}) {
  const provider = props.providerName ?? 'your council’s sign-in service'
  const account = props.account ? ` as ${props.account}` : ''
  switch (props.refusal) {
    case 'no-attempt':
      return (
        <p className="govuk-body">
          Signing in was started in another browser, took longer than 10 minutes, or was already
          finished. Nothing has changed. Start again from the beginning.
        </p>
      )
    case 'provider-said-no':
      return (
        <p className="govuk-body">
          {provider} did not sign you in
          {props.said ? <>: it said “{props.said}”</> : null}. Nothing has changed.
        </p>
      )
    case 'untrusted-answer':
      return (
        <p className="govuk-body">
          The answer from {provider} could not be checked, so it was not trusted and nothing has
          changed. This can happen if the link was used twice or changed on the way. Start again.
        </p>
      )
    case 'unreachable':
      return <p className="govuk-body">{provider} is not answering. Try again in a few minutes.</p>
    case 'tenant-not-allowed':
      return (
        <p className="govuk-body">
          You signed in to {provider}
          {account}, but your organisation is not one this council admits. If you work for a partner
          agency that should have access, ask the council’s administrator to admit it.
        </p>
      )
    case 'not-linked':
      return (
        <p className="govuk-body">
          You signed in to {provider}
          {account}, but that account is not linked to an account here. Ask your administrator for
          access. If you already have an account here, sign in with your password and link your{' '}
          {provider} account from “Your account”.
        </p>
      )
    case 'deactivated':
      return (
        <p className="govuk-body">
          You signed in to {provider}
          {account}, but your account here has been deactivated. Ask your administrator if you need
          access again.
        </p>
      )
    case 'linked-to-another':
      return (
        <p className="govuk-body">
          You signed in to {provider}
          {account}, but that account is already linked to another user here, so it has not been
          linked to yours. Nothing has changed.
        </p>
      )
    case 'invitation-used':
      return (
        <p className="govuk-body">
          An invitation works once, for 7 days. Nothing has changed. Ask your administrator for a
          new one.
        </p>
      )
    case 'not-your-account':
      return (
        <p className="govuk-body">
          You signed in to {provider}
          {account}, which is not the account linked to yours, so you have not been confirmed. Sign
          in again with your own account.
        </p>
      )
  }
}

export default function SignInRefusedPage() {
  const data = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{HEADINGS[data.refusal]}</h1>
        <Explanation {...data} />
        <p className="govuk-body">
          <Link className="govuk-link" to="/login" reloadDocument>
            Go to sign in
          </Link>
        </p>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Sign in – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
