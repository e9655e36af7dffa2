import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ButtonLink } from '~/components/button-link'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { lookUpInvitation } from '~/utils/single-sign-on.server'

/** Where an invitation link lands: who it is for, and the button to sign in at the provider. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? ''
  const invitation = await lookUpInvitation(context, token)
  if (!invitation) return json({ expired: true as const }, { status: 404 })
  return json({
    expired: false as const,
    name: invitation.name,
    email: invitation.email,
    providerName: invitation.providerName,
    start: `/sso/${invitation.providerId}?${new URLSearchParams({ purpose: 'invitation', invitation: token })}`,
  })
}

export default function InvitationPage() {
  const data = useLoaderData<typeof loader>()
  if (data.expired) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This invitation has expired or has been used</h1>
          <p className="govuk-body">
            An invitation works once, for 7 days. If you have used it already, sign in with your
            council account from the sign-in page. Otherwise, ask your administrator for a new one.
          </p>
          <p className="govuk-body">
            <Link className="govuk-link" to="/login">
              Go to sign in
            </Link>
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Set up your account</h1>
        <p className="govuk-body">
          This invitation is for {data.name} ({data.email}). Sign in with your {data.providerName}{' '}
          account to link it: from then on you sign in with it.
        </p>
        <p className="govuk-body">The invitation works once.</p>
        <ButtonLink href={data.start} start>
          Sign in with {data.providerName}
        </ButtonLink>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Set up your account – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
