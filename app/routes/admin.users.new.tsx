import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import {
  createUser,
  emailIsTaken,
  listAgencies,
  listProviders,
  listTeams,
  recordAccess,
} from '~/utils/db.server'
import { InvitationLink } from '~/components/invitation-link'
import { inviteToSignIn } from '~/utils/single-sign-on.server'
import { ROLE_LABELS, ROLES, RoleSchema } from '../../shared/roles'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary, SelectField, TextField, type FieldErrors } from '~/components/forms'
import { hashPassword, requirePermission, requireRecentPassword } from '~/utils/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  // Asked before the form is filled in, rather than after, so nothing typed is lost.
  requireRecentPassword(request, admin, '/admin/users/new')
  const [agencies, teams, providers] = await Promise.all([
    listAgencies(context.db, { councilId: admin.councilId }),
    listTeams(context.db, { councilId: admin.councilId }),
    listProviders(context.db, admin.councilId),
  ])
  return json({
    agencies,
    teams,
    providers: providers.map((provider) => ({ id: provider.id, name: provider.name })),
  })
}

const MIN_PASSWORD_LENGTH = 12

const NewUserSchema = z
  .object({
    name: z
      .string({ error: 'Enter the user’s full name' })
      .trim()
      .min(1, 'Enter the user’s full name')
      .max(120, 'Name must be 120 characters or fewer'),
    email: z
      .string({ error: 'Enter an email address' })
      .trim()
      .min(1, 'Enter an email address')
      .max(254, 'Email address must be 254 characters or fewer')
      .pipe(
        z.email({ error: 'Enter an email address in the correct format, like name@example.com' }),
      ),
    roles: z
      .array(RoleSchema, { error: 'Select at least one role' })
      .min(1, 'Select at least one role'),
    agencyId: z.uuid({ error: 'Select the user’s agency' }),
    teamId: z
      .union([z.literal(''), z.uuid({ error: 'Select a team from the list' })])
      .transform((v) => v || null),
    /** `password`, or the identity provider they will sign in through. */
    signInWith: z.union([z.literal('password'), z.uuid()]).default('password'),
    password: z.string().max(200, 'Password must be 200 characters or fewer').default(''),
  })
  .superRefine((user, problems) => {
    if (user.signInWith === 'password' && user.password.length < MIN_PASSWORD_LENGTH) {
      problems.addIssue({
        code: 'custom',
        path: ['password'],
        message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters`,
      })
    }
  })

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, 'manage:user:any')
  requireRecentPassword(request, admin, '/admin/users/new')
  const form = await request.formData()
  const submitted = { ...Object.fromEntries(form), roles: form.getAll('roles') }
  const parsed = NewUserSchema.safeParse(submitted)
  const values = Object.fromEntries(Object.entries(submitted).filter(([key]) => key !== 'password'))
  if (!parsed.success) {
    return json({ errors: z.flattenError(parsed.error).fieldErrors, values }, { status: 400 })
  }
  const user = parsed.data
  const [agencies, teams, providers] = await Promise.all([
    listAgencies(context.db, { councilId: admin.councilId }),
    listTeams(context.db, { councilId: admin.councilId }),
    listProviders(context.db, admin.councilId),
  ])
  const provider = providers.find((p) => p.id === user.signInWith)
  const errors: FieldErrors = {}
  if (user.signInWith !== 'password' && !provider)
    errors.signInWith = ['Select how they will sign in']
  if (!agencies.some((agency) => agency.id === user.agencyId))
    errors.agencyId = ['Select the user’s agency']
  if (user.teamId && !teams.some((team) => team.id === user.teamId))
    errors.teamId = ['Select a team from the list']
  if (await emailIsTaken(context.db, user.email))
    errors.email = ['A user with this email address already exists']
  if (Object.keys(errors).length > 0) return json({ errors, values }, { status: 400 })

  const passwordHash = provider ? null : await hashPassword(user.password)
  // The new account and its line in the access trail commit together, or neither does.
  const id = await context.db.transaction(async (tx) => {
    const created = await createUser(tx, {
      councilId: admin.councilId,
      name: user.name,
      email: user.email,
      roles: user.roles,
      agencyId: user.agencyId,
      teamId: user.teamId,
      passwordHash,
    })
    await recordAccess(tx, {
      councilId: admin.councilId,
      userId: admin.id,
      action: 'permission-change',
      subjectUserId: created,
      address: context.clientAddress,
      detail: { change: 'created', roles: user.roles },
    })
    return created
  })
  if (!provider) return redirect(`/admin/users?added=${id}`)
  const url = await inviteToSignIn(request, context, {
    userId: id,
    providerId: provider.id,
    createdBy: admin.id,
  })
  return json({ invited: { name: user.name, providerName: provider.name, url } })
}

export default function NewUserPage() {
  const { agencies, teams, providers } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData && 'invited' in actionData) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <InvitationLink {...actionData.invited} />
          <h1 className="govuk-heading-l">{actionData.invited.name} has been added</h1>
          <p className="govuk-body">
            <Link className="govuk-link" to="/admin/users">
              Back to users
            </Link>
          </p>
        </div>
      </div>
    )
  }
  const errors = actionData?.errors
  const values = (actionData?.values ?? {}) as Record<string, unknown>
  const text = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined)
  const chosenRoles = Array.isArray(values.roles) ? values.roles : []
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/admin/users" className="govuk-back-link">
          Back to users
        </Link>
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Add a user</h1>
        <Form method="post" noValidate>
          <TextField
            name="name"
            label="Full name"
            autoComplete="off"
            defaultValue={text('name')}
            errors={errors?.name}
          />
          <TextField
            name="email"
            label="Email address"
            type="email"
            autoComplete="off"
            defaultValue={text('email')}
            errors={errors?.email}
          />
          <div className={`govuk-form-group${errors?.roles ? ' govuk-form-group--error' : ''}`}>
            <fieldset
              className="govuk-fieldset"
              aria-describedby={errors?.roles ? 'roles-error roles-hint' : 'roles-hint'}
            >
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Roles</legend>
              <div id="roles-hint" className="govuk-hint">
                Select all that apply
              </div>
              {errors?.roles ? (
                <p id="roles-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {errors.roles[0]}
                </p>
              ) : null}
              <div
                className="govuk-checkboxes govuk-checkboxes--small"
                data-module="govuk-checkboxes"
              >
                {ROLES.map((role, index) => (
                  <div key={role} className="govuk-checkboxes__item">
                    <input
                      className="govuk-checkboxes__input"
                      id={index === 0 ? 'roles' : `roles-${role}`}
                      name="roles"
                      type="checkbox"
                      value={role}
                      defaultChecked={chosenRoles.includes(role)}
                    />
                    <label
                      className="govuk-label govuk-checkboxes__label"
                      htmlFor={index === 0 ? 'roles' : `roles-${role}`}
                    >
                      {ROLE_LABELS[role]}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <SelectField
            name="agencyId"
            label="Agency"
            options={agencies.map((agency) => ({ value: agency.id, text: agency.label }))}
            placeholder="Choose an agency"
            defaultValue={text('agencyId')}
            errors={errors?.agencyId}
          />
          <SelectField
            name="teamId"
            label="Team (optional)"
            options={teams.map((team) => ({
              value: team.id,
              text: `${team.name} (${team.service})`,
            }))}
            placeholder="No team"
            defaultValue={text('teamId')}
            errors={errors?.teamId}
          />
          {providers.length > 0 ? (
            <SelectField
              name="signInWith"
              label="How they will sign in"
              hint="Through an identity provider, you get a link to send them; they link their account with it"
              options={[
                ...providers.map((provider) => ({
                  value: provider.id,
                  text: `With ${provider.name}`,
                })),
                { value: 'password', text: 'With a password' },
              ]}
              defaultValue={text('signInWith')}
              errors={errors?.signInWith}
            />
          ) : null}
          <TextField
            name="password"
            label={
              providers.length > 0 ? 'Initial password (with a password only)' : 'Initial password'
            }
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the user in person or by phone, never by email.`}
            errors={errors?.password}
          />
          <button type="submit" className="govuk-button">
            Add user
          </button>
        </Form>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: 'Add a user – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
