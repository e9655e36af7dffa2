import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, TextField } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { requirePermission, requireRecentPassword } from '~/utils/auth.server'
import {
  countLinkedAccounts,
  createProvider,
  deleteProvider,
  getPasswordSignIn,
  listIdentitiesOfUser,
  listProviders,
  recordAccess,
  setPasswordSignIn,
  updateProvider,
} from '~/utils/db.server'
import { callbackUrl, checkIssuer } from '~/utils/single-sign-on.server'
import { parseTenantList } from '../../shared/sign-in'

/** How the council's people sign in: its identity providers, and whether passwords still work. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  const [providers, linked, passwordSignIn] = await Promise.all([
    listProviders(context.db, admin.councilId),
    countLinkedAccounts(context.db, admin.councilId),
    getPasswordSignIn(context.db, admin.councilId),
  ])
  return json({
    callbackUrl: callbackUrl(request),
    passwordSignIn,
    // The secret is never sent back to a page.
    providers: providers.map(({ clientSecret: _secret, ...provider }) => ({
      ...provider,
      linked: linked.get(provider.id) ?? 0,
    })),
  })
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

const ProviderSchema = z.object({
  intent: z.literal('save'),
  providerId: z.union([z.uuid(), z.literal('')]).optional(),
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the button, like your council’s name')
    .max(60, 'Name must be 60 characters or fewer'),
  issuer: z
    .string()
    .trim()
    .min(1, 'Enter the issuer address')
    .max(500, 'Issuer address must be 500 characters or fewer')
    .refine((value) => {
      try {
        const url = new URL(value)
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
      } catch {
        return false
      }
    }, 'Enter the issuer address as a full https:// address, like https://login.microsoftonline.com/<tenant id>/v2.0'),
  clientId: z
    .string()
    .trim()
    .min(1, 'Enter the client (application) ID')
    .max(200, 'Client ID must be 200 characters or fewer'),
  clientSecret: z.string().trim().max(500, 'Client secret must be 500 characters or fewer'),
  allowedTenants: z
    .string()
    .max(5_000, 'Allowed tenants must be 5,000 characters or fewer')
    .transform(parseTenantList)
    .refine((list) => list.length > 0, 'Enter at least one allowed tenant ID'),
})

const OtherSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('remove'), providerId: z.uuid() }),
  z.object({ intent: z.literal('passwords'), passwordSignIn: z.enum(['on', 'off']) }),
])

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  requireRecentPassword(request, admin, '/admin/sign-in')
  const form = Object.fromEntries(await request.formData())
  const trail = (detail: Record<string, unknown>) =>
    recordAccess(context.db, {
      councilId: admin.councilId,
      userId: admin.id,
      action: 'sign-in-settings',
      address: context.clientAddress,
      detail,
    })

  if (form.intent === 'save') {
    const parsed = ProviderSchema.safeParse(form)
    const values = Object.fromEntries(
      Object.entries(form).filter(([key]) => key !== 'clientSecret'),
    ) as Record<string, string>
    // A new provider needs its secret; a changed one keeps the stored secret when left blank.
    // Said with the other problems, not after them.
    const secretMissing =
      !form.providerId && !(typeof form.clientSecret === 'string' && form.clientSecret.trim())
    if (!parsed.success || secretMissing) {
      const found: Record<string, string[] | undefined> = parsed.success
        ? {}
        : z.flattenError(parsed.error).fieldErrors
      if (secretMissing) found.clientSecret ??= ['Enter the client secret']
      // In the order of the fields on the page, as the error summary lists them.
      const errors = Object.fromEntries(
        Object.keys(ProviderSchema.shape).flatMap((field) =>
          found[field] ? [[field, found[field]]] : [],
        ),
      )
      return json({ errors, values }, { status: 400 })
    }
    const { providerId, clientSecret, ...settings } = parsed.data
    const problem = await checkIssuer(settings.issuer)
    if (problem) {
      return json(
        {
          errors: {
            issuer: [
              `The issuer’s discovery document could not be read: ${problem}. Check the address`,
            ],
          },
          values,
        },
        { status: 400 },
      )
    }
    const { intent: _intent, ...stored } = settings
    const others = await listProviders(context.db, admin.councilId)
    if (others.some((other) => other.id !== providerId && other.name === stored.name)) {
      return json(
        { errors: { name: ['Another identity provider has this name: choose another'] }, values },
        { status: 400 },
      )
    }
    if (providerId) {
      const changed = await updateProvider(context.db, {
        ...stored,
        clientSecret,
        councilId: admin.councilId,
        id: providerId,
      })
      if (!changed) throw new Response('Not found', { status: 404 })
    } else {
      await createProvider(context.db, { ...stored, clientSecret, councilId: admin.councilId })
    }
    await trail({
      change: providerId ? 'provider changed' : 'provider added',
      provider: stored.name,
      allowedTenants: stored.allowedTenants,
    })
    return redirect(`/admin/sign-in?${new URLSearchParams({ saved: stored.name })}`)
  }

  const parsed = OtherSchema.safeParse(form)
  if (!parsed.success) {
    return json({ errors: { form: ['Choose what to change'] }, values: {} }, { status: 400 })
  }
  if (parsed.data.intent === 'remove') {
    const removed = await deleteProvider(context.db, {
      councilId: admin.councilId,
      id: parsed.data.providerId,
    })
    if (!removed) throw new Response('Not found', { status: 404 })
    await trail({ change: 'provider removed', providerId: parsed.data.providerId })
    return redirect('/admin/sign-in?removed=1')
  }
  const allowed = parsed.data.passwordSignIn === 'on'
  if (!allowed && (await listIdentitiesOfUser(context.db, admin.id)).length === 0) {
    return json(
      {
        errors: {
          passwordSignIn: [
            'Link your own council account (on “Your account”) before turning passwords off, or you could not sign in again',
          ],
        },
        values: {},
      },
      { status: 400 },
    )
  }
  await setPasswordSignIn(context.db, { councilId: admin.councilId, allowed })
  await trail({ change: allowed ? 'passwords allowed' : 'passwords turned off' })
  return redirect('/admin/sign-in?passwords=1')
}

export default function SignInSettingsPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const errors: Record<string, string[] | undefined> | undefined = actionData?.errors
  const editing = data.providers.find((provider) => provider.id === searchParams.get('change'))
  const values: Record<string, string | undefined> = actionData?.values ?? {}
  const field = (name: string, stored: string | undefined) => values[name] ?? stored
  const passwordError = errors?.passwordSignIn?.[0]
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {searchParams.has('saved') ? (
          <NotificationBanner success heading={`${searchParams.get('saved')} is saved`} />
        ) : searchParams.has('removed') ? (
          <NotificationBanner success heading="The identity provider is removed" />
        ) : searchParams.has('passwords') ? (
          <NotificationBanner success heading="Password sign-in is changed" />
        ) : null}
        <h1 className="govuk-heading-l">How people sign in</h1>
        <p className="govuk-body">
          People can sign in with their council or partner agency account through an identity
          provider (such as Microsoft Entra ID), once they have linked it on “Your account”. Only
          accounts of the tenants you allow can sign in through a provider.
        </p>

        <h2 className="govuk-heading-m">Identity providers</h2>
        {data.providers.length === 0 ? (
          <p className="govuk-body">There are none yet: everyone signs in with a password.</p>
        ) : (
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-visually-hidden">
              Identity providers
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Name
                </th>
                <th scope="col" className="govuk-table__header">
                  Allowed tenants
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Linked accounts
                </th>
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {data.providers.map((provider) => (
                <tr className="govuk-table__row" key={provider.id}>
                  <td className="govuk-table__cell">
                    {provider.name}
                    <br />
                    <span className="govuk-hint govuk-!-font-size-16">{provider.issuer}</span>
                  </td>
                  <td className="govuk-table__cell app-break-words">
                    {provider.allowedTenants.join(', ')}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {provider.linked}
                  </td>
                  <td className="govuk-table__cell">
                    <Link
                      className="govuk-link"
                      to={`?${new URLSearchParams({ change: provider.id })}#provider-form`}
                    >
                      Change<span className="govuk-visually-hidden"> {provider.name}</span>
                    </Link>
                    <Form method="post" className="app-inline-form">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="providerId" value={provider.id} />
                      <button type="submit" className="app-link-button govuk-link">
                        Remove<span className="govuk-visually-hidden"> {provider.name}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <Form
          method="post"
          noValidate
          id="provider-form"
          // Emptied after a save (the address changes), kept as typed after a refusal.
          key={`${editing?.id ?? 'new'} ${searchParams.toString()}`}
        >
          <h2 className="govuk-heading-m">
            {editing ? `Change ${editing.name}` : 'Add an identity provider'}
          </h2>
          <p className="govuk-body">
            Register this app with the provider first, with this redirect address:{' '}
            <code className="app-break-words">{data.callbackUrl}</code>
          </p>
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="providerId" value={editing?.id ?? ''} />
          <TextField
            name="name"
            label="Name on the button"
            hint="People see “Sign in with” followed by this"
            defaultValue={field('name', editing?.name)}
            errors={errors?.name}
            width="govuk-!-width-two-thirds"
          />
          <TextField
            name="issuer"
            label="Issuer address"
            hint="For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0, or …/organizations/v2.0 to admit partner tenants"
            defaultValue={field('issuer', editing?.issuer)}
            errors={errors?.issuer}
          />
          <TextField
            name="clientId"
            label="Client (application) ID"
            defaultValue={field('clientId', editing?.clientId)}
            errors={errors?.clientId}
            width="govuk-!-width-two-thirds"
          />
          <TextField
            name="clientSecret"
            label="Client secret"
            type="password"
            autoComplete="off"
            hint={editing ? 'Leave blank to keep the secret stored' : undefined}
            errors={errors?.clientSecret}
            width="govuk-!-width-two-thirds"
          />
          <TextField
            name="allowedTenants"
            label="Allowed tenants"
            hint="Tenant IDs whose accounts may sign in, one per line: your council’s, and any partner agency’s. For a provider without tenants, its issuer address"
            multiline
            defaultValue={field('allowedTenants', editing?.allowedTenants.join('\n'))}
            errors={errors?.allowedTenants}
          />
          <div className="govuk-button-group">
            <button
              type="submit"
              className="govuk-button"
              disabled={navigation.state === 'submitting'}
            >
              {editing ? 'Save changes' : 'Add identity provider'}
            </button>
            {editing ? (
              <Link className="govuk-link" to="/admin/sign-in">
                Cancel
              </Link>
            ) : null}
          </div>
        </Form>

        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="passwords" />
          <div className={`govuk-form-group${passwordError ? ' govuk-form-group--error' : ''}`}>
            <fieldset className="govuk-fieldset" aria-describedby="passwordSignIn-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h2 className="govuk-fieldset__heading">Signing in with a password</h2>
              </legend>
              <div id="passwordSignIn-hint" className="govuk-hint">
                Turn passwords off once everyone signs in with an identity provider.
              </div>
              {passwordError ? (
                <p id="passwordSignIn-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {passwordError}
                </p>
              ) : null}
              <div className="govuk-radios" data-module="govuk-radios">
                <div className="govuk-radios__item">
                  <input
                    className="govuk-radios__input"
                    id="passwordSignIn"
                    name="passwordSignIn"
                    type="radio"
                    value="on"
                    defaultChecked={data.passwordSignIn}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor="passwordSignIn">
                    People may sign in with a password
                  </label>
                </div>
                <div className="govuk-radios__item">
                  <input
                    className="govuk-radios__input"
                    id="passwordSignIn-off"
                    name="passwordSignIn"
                    type="radio"
                    value="off"
                    defaultChecked={!data.passwordSignIn}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor="passwordSignIn-off">
                    Only through an identity provider
                  </label>
                </div>
              </div>
            </fieldset>
          </div>
          <button
            type="submit"
            className="govuk-button govuk-button--secondary"
            disabled={navigation.state === 'submitting'}
          >
            Save password setting
          </button>
        </Form>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'How people sign in – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
