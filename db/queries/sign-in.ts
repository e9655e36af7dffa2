import { and, asc, eq, sql } from 'drizzle-orm'
import type { SignInPurpose } from '../../shared/sign-in'
import type { Queryable } from '../client'
import {
  councils,
  identityProviders,
  signInAttempts,
  signInInvitations,
  userIdentities,
  users,
} from '../schema/index'

/** How long a sign-in at an identity provider may take, from the button to the answer. */
export const SIGN_IN_ATTEMPT_SECONDS = 10 * 60

export type IdentityProvider = typeof identityProviders.$inferSelect

/** Every council's identity providers, for the sign-in page's buttons. */
export async function listProvidersForSignIn(db: Queryable) {
  return db
    .select({ id: identityProviders.id, name: identityProviders.name })
    .from(identityProviders)
    .orderBy(asc(identityProviders.name))
}

export async function listProviders(db: Queryable, councilId: string) {
  return db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.councilId, councilId))
    .orderBy(asc(identityProviders.name))
}

export async function getProvider(
  db: Queryable,
  id: string,
): Promise<IdentityProvider | undefined> {
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.id, id))
  return row
}

export type ProviderSettings = {
  name: string
  issuer: string
  clientId: string
  clientSecret: string
  allowedTenants: string[]
}

export async function createProvider(
  db: Queryable,
  params: ProviderSettings & { councilId: string },
): Promise<string> {
  const [row] = await db
    .insert(identityProviders)
    .values(params)
    .returning({ id: identityProviders.id })
  if (!row) throw new Error('insert returned no row')
  return row.id
}

/** Changes a provider of this council; a blank secret keeps the one stored. False: no such provider. */
export async function updateProvider(
  db: Queryable,
  params: ProviderSettings & { councilId: string; id: string },
): Promise<boolean> {
  const { councilId, id, clientSecret, ...rest } = params
  const updated = await db
    .update(identityProviders)
    .set(clientSecret ? { ...rest, clientSecret } : rest)
    .where(and(eq(identityProviders.id, id), eq(identityProviders.councilId, councilId)))
    .returning({ id: identityProviders.id })
  return updated.length > 0
}

/** Removes a provider of this council with every account linked through it. */
export async function deleteProvider(
  db: Queryable,
  params: { councilId: string; id: string },
): Promise<boolean> {
  const deleted = await db
    .delete(identityProviders)
    .where(
      and(eq(identityProviders.id, params.id), eq(identityProviders.councilId, params.councilId)),
    )
    .returning({ id: identityProviders.id })
  return deleted.length > 0
}

export async function getPasswordSignIn(db: Queryable, councilId: string): Promise<boolean> {
  const [row] = await db
    .select({ passwordSignIn: councils.passwordSignIn })
    .from(councils)
    .where(eq(councils.id, councilId))
  return row?.passwordSignIn ?? true
}

export async function setPasswordSignIn(
  db: Queryable,
  params: { councilId: string; allowed: boolean },
): Promise<void> {
  await db
    .update(councils)
    .set({ passwordSignIn: params.allowed })
    .where(eq(councils.id, params.councilId))
}

export type SignInAttempt = {
  tokenHash: string
  providerId: string
  purpose: SignInPurpose
  userId: string | null
  state: string
  nonce: string
  codeVerifier: string
  redirectTo: string
}

export async function createSignInAttempt(db: Queryable, attempt: SignInAttempt): Promise<void> {
  // Attempts abandoned at the provider are cleared as new ones start.
  await db
    .delete(signInAttempts)
    .where(
      sql`${signInAttempts.createdAt} < now() - make_interval(secs => ${SIGN_IN_ATTEMPT_SECONDS})`,
    )
  await db.insert(signInAttempts).values(attempt)
}

/**
 * The attempt this browser started, removed as it is read so that an answer is used once;
 * undefined when there is none, or it is older than SIGN_IN_ATTEMPT_SECONDS.
 */
export async function takeSignInAttempt(
  db: Queryable,
  tokenHash: string,
): Promise<SignInAttempt | undefined> {
  const [row] = await db
    .delete(signInAttempts)
    .where(eq(signInAttempts.tokenHash, tokenHash))
    .returning({
      tokenHash: signInAttempts.tokenHash,
      providerId: signInAttempts.providerId,
      purpose: signInAttempts.purpose,
      userId: signInAttempts.userId,
      state: signInAttempts.state,
      nonce: signInAttempts.nonce,
      codeVerifier: signInAttempts.codeVerifier,
      redirectTo: signInAttempts.redirectTo,
      fresh: sql<boolean>`${signInAttempts.createdAt} > now() - make_interval(secs => ${SIGN_IN_ATTEMPT_SECONDS})`,
    })
  if (!row?.fresh) return undefined
  const { fresh: _fresh, ...attempt } = row
  return { ...attempt, purpose: attempt.purpose as SignInPurpose }
}

/** The user an account at a provider is linked to, with whether they may sign in. */
export async function findLinkedUser(
  db: Queryable,
  params: { providerId: string; issuer: string; subject: string },
) {
  const [row] = await db
    .select({ id: users.id, councilId: users.councilId, active: users.active })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(
      and(
        eq(userIdentities.providerId, params.providerId),
        eq(userIdentities.issuer, params.issuer),
        eq(userIdentities.subject, params.subject),
      ),
    )
  return row
}

export type LinkResult = 'linked' | 'taken'

/**
 * Links an account at a provider to a user: 'taken' when the account is another user's. A user
 * has one account per provider; linking again replaces it.
 */
export async function linkIdentity(
  db: Queryable,
  params: {
    userId: string
    providerId: string
    issuer: string
    subject: string
    tenant: string | null
    label: string
  },
): Promise<LinkResult> {
  return db.transaction(async (tx) => {
    const [holder] = await tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(eq(userIdentities.issuer, params.issuer), eq(userIdentities.subject, params.subject)),
      )
    if (holder && holder.userId !== params.userId) return 'taken'
    await tx
      .delete(userIdentities)
      .where(
        and(
          eq(userIdentities.userId, params.userId),
          eq(userIdentities.providerId, params.providerId),
        ),
      )
    await tx.insert(userIdentities).values(params)
    return 'linked'
  })
}

export async function unlinkIdentity(
  db: Queryable,
  params: { userId: string; providerId: string },
): Promise<boolean> {
  const deleted = await db
    .delete(userIdentities)
    .where(
      and(
        eq(userIdentities.userId, params.userId),
        eq(userIdentities.providerId, params.providerId),
      ),
    )
    .returning({ id: userIdentities.id })
  return deleted.length > 0
}

/** The accounts linked to a user, by provider. */
export async function listIdentitiesOfUser(db: Queryable, userId: string) {
  return db
    .select({
      providerId: userIdentities.providerId,
      providerName: identityProviders.name,
      label: userIdentities.label,
      linkedAt: userIdentities.linkedAt,
    })
    .from(userIdentities)
    .innerJoin(identityProviders, eq(identityProviders.id, userIdentities.providerId))
    .where(eq(userIdentities.userId, userId))
    .orderBy(asc(identityProviders.name))
}

/** How many users have linked an account at each of a council's providers. */
export async function countLinkedAccounts(
  db: Queryable,
  councilId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ providerId: userIdentities.providerId, linked: sql<number>`count(*)::int` })
    .from(userIdentities)
    .innerJoin(identityProviders, eq(identityProviders.id, userIdentities.providerId))
    .where(eq(identityProviders.councilId, councilId))
    .groupBy(userIdentities.providerId)
  return new Map(rows.map((row) => [row.providerId, row.linked]))
}

/** How long an invitation to link an account and sign in lasts. */
export const INVITATION_DAYS = 7

/** A new invitation for the user replaces any they had. */
export async function createInvitation(
  db: Queryable,
  params: { tokenHash: string; userId: string; providerId: string; createdBy: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(signInInvitations).where(eq(signInInvitations.userId, params.userId))
    await tx.insert(signInInvitations).values(params)
  })
}

/** The invitation with this token, if it is still good, with the user it is for. */
export async function findInvitation(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select({
      userId: signInInvitations.userId,
      providerId: signInInvitations.providerId,
      providerName: identityProviders.name,
      name: users.name,
      email: users.email,
    })
    .from(signInInvitations)
    .innerJoin(users, eq(users.id, signInInvitations.userId))
    .innerJoin(identityProviders, eq(identityProviders.id, signInInvitations.providerId))
    .where(
      and(
        eq(signInInvitations.tokenHash, tokenHash),
        eq(users.active, true),
        sql`${signInInvitations.createdAt} > now() - make_interval(days => ${INVITATION_DAYS})`,
      ),
    )
  return row
}

/** Uses up the user's invitation through this provider; false if there is none still good. */
export async function consumeInvitation(
  db: Queryable,
  params: { userId: string; providerId: string },
): Promise<boolean> {
  const used = await db
    .delete(signInInvitations)
    .where(
      and(
        eq(signInInvitations.userId, params.userId),
        eq(signInInvitations.providerId, params.providerId),
        sql`${signInInvitations.createdAt} > now() - make_interval(days => ${INVITATION_DAYS})`,
      ),
    )
    .returning({ userId: signInInvitations.userId })
  return used.length > 0
}

/** The invited user, if they are still active and of the provider's council. */
export async function getUserForInvitation(db: Queryable, userId: string, councilId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.councilId, councilId), eq(users.active, true)))
  return row
}
