import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import {
  deactivateUser,
  getProvider,
  getUserForInvitation,
  listProviders,
  listUsers,
  reactivateUser,
  recordAccess,
} from '~/utils/db.server'
import { InvitationLink } from '~/components/invitation-link'
import { inviteToSignIn } from '~/utils/single-sign-on.server'
import { ROLE_LABELS } from '../../shared/roles'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NotificationBanner } from '~/components/notification-banner'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  const [users, providers] = await Promise.all([
    listUsers(context.db, { councilId: admin.councilId }),
    listProviders(context.db, admin.councilId),
  ])
  return json({
    users,
    adminId: admin.id,
    providers: providers.map((provider) => ({ id: provider.id, name: provider.name })),
  })
}

const UserActionSchema = z.object({
  intent: z.enum(['deactivate', 'reactivate', 'invite']),
  userId: z.uuid(),
  providerId: z.uuid().optional(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  requireRecentPassword(request, admin, '/admin/users')
  const parsed = UserActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ error: 'Choose a user to change' }, { status: 400 })
  const { intent, userId } = parsed.data
  if (intent === 'invite') {
    // Only an active user, and a provider, of the administrator's own council.
    const [user, provider] = await Promise.all([
      getUserForInvitation(context.db, userId, admin.councilId),
      parsed.data.providerId ? getProvider(context.db, parsed.data.providerId) : undefined,
    ])
    if (!user || provider?.councilId !== admin.councilId) {
      throw new Response('Not found', { status: 404 })
    }
    const url = await inviteToSignIn(request, context, {
      userId,
      providerId: provider.id,
      createdBy: admin.id,
    })
    await recordAccess(context.db, {
      councilId: admin.councilId,
      userId: admin.id,
      action: 'permission-change',
      subjectUserId: userId,
      address: context.clientAddress,
      detail: { change: 'invited to sign in', provider: provider.name },
    })
    return json({ invited: { name: user.name, providerName: provider.name, url } })
  }
  if (intent === 'deactivate' && userId === admin.id) {
    return json({ error: 'You cannot deactivate your own account' }, { status: 400 })
  }
  const params = { councilId: admin.councilId, userId }
  // The change and its line in the access trail commit together, or neither does.
  const changed = await context.db.transaction(async (tx) => {
    const done =
      intent === 'deactivate' ? await deactivateUser(tx, params) : await reactivateUser(tx, params)
    if (done) {
      await recordAccess(tx, {
        councilId: admin.councilId,
        userId: admin.id,
        action: 'permission-change',
        subjectUserId: userId,
        address: context.clientAddress,
        detail: { change: intent === 'deactivate' ? 'deactivated' : 'reactivated' },
      })
    }
    return done
  })
  if (!changed) throw new Response('Not found', { status: 404 })
  return redirect(
    `/admin/users?${new URLSearchParams({ [intent === 'deactivate' ? 'deactivated' : 'reactivated']: userId })}`,
  )
}

export default function UsersPage() {
  const { users, adminId, providers } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const invited = actionData && 'invited' in actionData ? actionData.invited : undefined
  const [searchParams] = useSearchParams()
  const changedId =
    searchParams.get('deactivated') ?? searchParams.get('reactivated') ?? searchParams.get('added')
  const changed = users.find((user) => user.id === changedId)
  const what = searchParams.has('deactivated')
    ? 'deactivated'
    : searchParams.has('reactivated')
      ? 'reactivated'
      : 'added'
  return (
    <>
      {invited ? <InvitationLink {...invited} /> : null}
      {changed && !invited ? (
        <NotificationBanner
          success
          heading={
            <>
              {changed.name} has been {what}
              {what === 'deactivated' ? ' and signed out everywhere' : ''}.
            </>
          }
        />
      ) : null}
      <h1 className="govuk-heading-l">Users</h1>
      <div className="govuk-button-group">
        <Link to="/admin/users/new" className="govuk-button" role="button" draggable={false}>
          Add a user
        </Link>
        <Link to="/admin/sign-in" className="govuk-link">
          How people sign in
        </Link>
      </div>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">
          {users.length} users
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Name
            </th>
            <th scope="col" className="govuk-table__header">
              Email
            </th>
            <th scope="col" className="govuk-table__header">
              Roles
            </th>
            <th scope="col" className="govuk-table__header">
              Agency and team
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {users.map((user) => (
            <tr key={user.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {user.name}
              </th>
              <td className="govuk-table__cell">{user.email}</td>
              <td className="govuk-table__cell">
                {user.roles.map((role) => ROLE_LABELS[role]).join(', ')}
              </td>
              <td className="govuk-table__cell">
                {[user.agency, user.team].filter(Boolean).join(', ')}
              </td>
              <td className="govuk-table__cell">
                {user.active ? (
                  <strong className="govuk-tag govuk-tag--green">Active</strong>
                ) : (
                  <strong className="govuk-tag govuk-tag--grey">Deactivated</strong>
                )}
              </td>
              <td className="govuk-table__cell">
                {user.active
                  ? providers.map((provider) => (
                      <Form method="post" className="app-inline-form" key={provider.id}>
                        <input type="hidden" name="userId" value={user.id} />
                        <input type="hidden" name="providerId" value={provider.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="invite"
                          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                        >
                          Invite to sign in with {provider.name}
                          <span className="govuk-visually-hidden"> ({user.name})</span>
                        </button>
                      </Form>
                    ))
                  : null}
                {user.id === adminId ? null : (
                  <Form method="post" className="app-inline-form">
                    <input type="hidden" name="userId" value={user.id} />
                    <button
                      type="submit"
                      name="intent"
                      value={user.active ? 'deactivate' : 'reactivate'}
                      className={`govuk-button govuk-!-margin-bottom-0 ${user.active ? 'govuk-button--warning' : 'govuk-button--secondary'}`}
                    >
                      {user.active ? 'Deactivate' : 'Reactivate'}
                      <span className="govuk-visually-hidden"> {user.name}</span>
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Users – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
