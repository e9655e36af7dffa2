import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { councils } from './councils'
import { users } from './users'

/**
 * A council's identity provider for single sign-on over OpenID Connect (Microsoft Entra ID, most
 * often). Only users from the allowed tenants sign in through it: the council's own, and those of
 * partner agencies it admits.
 */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    /** Shown on the button: "Sign in with <name>". */
    name: text('name').notNull(),
    /** The issuer whose discovery document (`/.well-known/openid-configuration`) describes it. */
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: text('client_secret').notNull(),
    /** Tenant ids (Entra's `tid`) admitted; for a provider without tenants, its issuer. */
    allowedTenants: text('allowed_tenants').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('identity_providers_council_name').on(t.councilId, t.name)],
)

/**
 * A user's account at an identity provider, matched by issuer and subject (on Entra, the issuer
 * names the tenant and the subject is the object id), never by email: an email claim is whatever
 * the tenant's administrator typed.
 */
export const userIdentities = pgTable(
  'user_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    tenant: text('tenant'),
    /** What the provider called the account when it was linked, to recognise it by. */
    label: text('label').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_identities_issuer_subject').on(t.issuer, t.subject),
    uniqueIndex('user_identities_user_provider').on(t.userId, t.providerId),
  ],
)

/**
 * A sign-in at an identity provider under way: what the answer must match (state, nonce, PKCE
 * verifier). Bound to the browser that started it by a cookie holding a token whose hash is the
 * key; used once, and worthless after ten minutes.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    tokenHash: text('token_hash').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id, { onDelete: 'cascade' }),
    /** `sign-in`, `link` (a signed-in user adds the account) or `confirm` (signs in again). */
    purpose: text('purpose').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    redirectTo: text('redirect_to').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_attempts_created').on(t.createdAt)],
)

/**
 * A link an administrator sends a new user (or one who lost their way in) to link their account at
 * the council's provider and sign in: used once, for seven days. Only the hash of its token is kept.
 */
export const signInInvitations = pgTable(
  'sign_in_invitations',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_invitations_user').on(t.userId)],
)
