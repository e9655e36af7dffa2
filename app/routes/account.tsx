import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { requireUser } from '~/utils/auth.server'
import { listProviders, recordAccess, unlinkIdentity } from '~/utils/db.server'
import { signInWays } from '~/utils/single-sign-on.server'
import { ROLE_LABELS } from '../../shared/roles'

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' })

/** The signed-in user's own account: who they are here, and the council accounts they sign in with. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const [ways, providers] = await Promise.all([
    signInWays(context, user),
    listProviders(context.db, user.councilId),
  ])
  const linked = new Map(ways.identities.map((identity) => [identity.providerId, identity]))
  return json({
    name: user.name,
    email: user.email,
    roles: user.roles.map((role) => ROLE_LABELS[role]),
    password: ways.password,
    providers: providers.map((provider) => {
      const identity = linked.get(provider.id)
      return {
        id: provider.id,
        name: provider.name,
        account: identity?.label ?? null,
        linkedOn: identity ? DATE.format(identity.linkedAt) : null,
      }
    }),
  })
}

const UnlinkSchema = z.object({ intent: z.literal('unlink'), providerId: z.uuid() })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const parsed = UnlinkSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) {
    return json({ errors: { form: ['Choose an account to unlink'] } }, { status: 400 })
  }
  const ways = await signInWays(context, user)
  const remaining = ways.identities.filter((i) => i.providerId !== parsed.data.providerId)
  if (!ways.password && remaining.length === 0) {
    return json(
      {
        errors: {
          form: [
            'You cannot unlink your only way to sign in: you would not be able to sign in again',
          ],
        },
      },
      { status: 400 },
    )
  }
  const unlinked = await context.db.transaction(async (tx) => {
    const done = await unlinkIdentity(tx, { userId: user.id, providerId: parsed.data.providerId })
    if (done) {
      await recordAccess(tx, {
        councilId: user.councilId,
        userId: user.id,
        subjectUserId: user.id,
        action: 'account-unlinked',
        address: context.clientAddress,
        detail: { providerId: parsed.data.providerId },
      })
    }
    return done
  })
  if (!unlinked) throw new Response('Not found', { status: 404 })
  return redirect('/account?unlinked=1')
}

export default function AccountPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={actionData?.errors} />
        {searchParams.has('linked') ? (
          <NotificationBanner success heading="Your council account is linked" />
        ) : searchParams.has('unlinked') ? (
          <NotificationBanner success heading="Your council account is unlinked" />
        ) : null}
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Name</dt>
            <dd className="govuk-summary-list__value">{data.name}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Email address</dt>
            <dd className="govuk-summary-list__value" data-testid="account-email">
              {data.email}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Roles</dt>
            <dd className="govuk-summary-list__value">{data.roles.join(', ')}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Password</dt>
            <dd className="govuk-summary-list__value">
              {data.password ? 'You can sign in with a password' : 'You sign in without a password'}
            </dd>
          </div>
        </dl>
        <h2 className="govuk-heading-m">Council accounts</h2>
        {data.providers.length === 0 ? (
          <p className="govuk-body">
            Your council has not set up signing in with its own accounts.
          </p>
        ) : (
          <>
            <p className="govuk-body">
              Link your council or partner agency account to sign in with it instead of a password.
            </p>
            <dl className="govuk-summary-list">
              {data.providers.map((provider) => (
                <div className="govuk-summary-list__row" key={provider.id}>
                  <dt className="govuk-summary-list__key">{provider.name}</dt>
                  <dd className="govuk-summary-list__value">
                    {provider.account ? (
                      <>
                        Linked to {provider.account} on {provider.linkedOn}
                      </>
                    ) : (
                      'Not linked'
                    )}
                  </dd>
                  <dd className="govuk-summary-list__actions">
                    {provider.account ? (
                      <Form method="post" className="app-inline-form">
                        <input type="hidden" name="intent" value="unlink" />
                        <input type="hidden" name="providerId" value={provider.id} />
                        <button type="submit" className="app-link-button govuk-link">
                          Unlink<span className="govuk-visually-hidden"> {provider.name}</span>
                        </button>
                      </Form>
                    ) : (
                      <a
                        className="govuk-link"
                        href={`/sso/${provider.id}?${new URLSearchParams({ purpose: 'link', redirectTo: '/account' })}`}
                      >
                        Link
                        <span className="govuk-visually-hidden"> your {provider.name} account</span>
                      </a>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Your account – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
