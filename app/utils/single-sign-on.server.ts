import { createHash, randomBytes } from 'node:crypto'
import { createCookie, redirect, type AppLoadContext } from '@remix-run/node'
import * as oidc from 'openid-client'
import { recordAccess } from '../../db/queries/access'
import { confirmSession, createSession } from '../../db/queries/sessions'
import { findUserForSignIn } from '../../db/queries/users'
import { TransactionRollbackError } from 'drizzle-orm'
import {
  consumeInvitation,
  createInvitation,
  createSignInAttempt,
  findInvitation,
  getUserForInvitation,
  findLinkedUser,
  getPasswordSignIn,
  getProvider,
  linkIdentity,
  listIdentitiesOfUser,
  SIGN_IN_ATTEMPT_SECONDS,
  takeSignInAttempt,
  type IdentityProvider,
} from '../../db/queries/sign-in'
import {
  accountFromClaims,
  isTenantAllowed,
  tenantOf,
  type SignInPurpose,
} from '../../shared/sign-in'
import { getUser, readSessionToken, sessionCookieHeader, type User } from './auth.server'
import { safeRedirectPath } from './redirect'

const ATTEMPT_COOKIE = 'case_audit_sign_in'
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
/** Signing in again to confirm who you are must have happened at the provider this recently. */
const CONFIRM_MAX_AGE_SECONDS = 120
const DISCOVERY_KEEP_MS = 60 * 60 * 1000

/** Bound to the browser that started the sign-in; sent back on the provider's redirect (lax). */
function attemptCookie(request: Request) {
  const url = new URL(request.url)
  return createCookie(ATTEMPT_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/sso',
    maxAge: SIGN_IN_ATTEMPT_SECONDS,
    secure: url.protocol === 'https:' || !LOCAL_HOSTS.has(url.hostname),
  })
}

/** Forgets the browser's sign-in attempt: sent with every answer to the provider's redirect. */
export function clearAttemptCookie(request: Request): Promise<string> {
  return attemptCookie(request).serialize('', { maxAge: 0 })
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Where every provider sends the browser back: one address for all, registered at the provider. */
export function callbackUrl(request: Request): string {
  return new URL('/sso/callback', request.url).href
}

// A provider's discovery document, fetched once an hour rather than on every sign-in.
const configurations = new Map<
  string,
  { key: string; at: number; configuration: Promise<oidc.Configuration> }
>()

function discover(settings: Pick<IdentityProvider, 'issuer' | 'clientId' | 'clientSecret'>) {
  const issuer = new URL(settings.issuer)
  // Plain HTTP only for a provider on this machine (a test's); anywhere else TLS is required.
  const loopback = issuer.protocol === 'http:' && LOCAL_HOSTS.has(issuer.hostname)
  return oidc.discovery(
    issuer,
    settings.clientId,
    undefined,
    oidc.ClientSecretPost(settings.clientSecret),
    { execute: loopback ? [oidc.allowInsecureRequests] : [], timeout: 10 },
  )
}

function providerConfiguration(provider: IdentityProvider): Promise<oidc.Configuration> {
  const key = [provider.issuer, provider.clientId, hashToken(provider.clientSecret)].join(' ')
  const cached = configurations.get(provider.id)
  if (cached && cached.key === key && Date.now() - cached.at < DISCOVERY_KEEP_MS) {
    return cached.configuration
  }
  const configuration = discover(provider)
  configurations.set(provider.id, { key, at: Date.now(), configuration })
  // A failed fetch is not kept: the next sign-in asks again.
  configuration.catch(() => configurations.delete(provider.id))
  return configuration
}

/**
 * Whether an issuer publishes a discovery document that openid-client accepts (its issuer the
 * one given, HTTPS unless on this machine): what an administrator is told before a provider is
 * saved. Undefined when it does; otherwise what went wrong, in words.
 */
export async function checkIssuer(issuer: string): Promise<string | undefined> {
  try {
    await discover({ issuer, clientId: 'check', clientSecret: 'check' })
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export class ProviderUnavailable extends Error {}

/**
 * Sends the browser to the provider to sign in (for `confirm`, to sign in again even if it has a
 * session there), remembering in the database what its answer must match: state, nonce and the
 * PKCE verifier, bound to this browser by a cookie.
 */
export async function startProviderSignIn(
  request: Request,
  context: AppLoadContext,
  params: {
    provider: IdentityProvider
    purpose: SignInPurpose
    /** Who is linking or confirming (the signed-in user), or who was invited. */
    userId: string | null
    redirectTo: string
  },
): Promise<Response> {
  const { provider, purpose } = params
  let configuration: oidc.Configuration
  try {
    configuration = await providerConfiguration(provider)
  } catch (error) {
    throw new ProviderUnavailable(`${provider.name} could not be reached`, { cause: error })
  }
  const token = randomBytes(32).toString('base64url')
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  await createSignInAttempt(context.db, {
    tokenHash: hashToken(token),
    providerId: provider.id,
    purpose,
    userId: purpose === 'sign-in' ? null : params.userId,
    state,
    nonce,
    codeVerifier,
    redirectTo: safeRedirectPath(params.redirectTo),
  })
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(request),
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(purpose === 'confirm' ? { prompt: 'login', max_age: '0' } : {}),
  })
  return redirect(url.href, {
    headers: { 'Set-Cookie': await attemptCookie(request).serialize(token) },
  })
}

export type ProviderRefusal =
  | 'no-attempt'
  | 'provider-said-no'
  | 'untrusted-answer'
  | 'unreachable'
  | 'tenant-not-allowed'
  | 'not-linked'
  | 'deactivated'
  | 'linked-to-another'
  | 'not-your-account'
  | 'invitation-used'

export type ProviderOutcome =
  | { ok: true; purpose: SignInPurpose; redirectTo: string; setCookie: string[] }
  | {
      ok: false
      refusal: ProviderRefusal
      providerName: string | null
      /** The provider's account as it named it, to tell the person who they signed in as. */
      account: string | null
      /** The provider's own words, for `provider-said-no`. */
      said: string | null
    }

/**
 * Takes the provider's answer: checks it against the attempt this browser started (state, PKCE,
 * nonce, signature, issuer, audience and expiry, by openid-client), then the tenant, then does what
 * the attempt was for. Every outcome is in the access trail.
 */
export async function finishProviderSignIn(
  request: Request,
  context: AppLoadContext,
): Promise<ProviderOutcome> {
  const { db } = context
  const clearAttempt = await clearAttemptCookie(request)
  const token: unknown = await attemptCookie(request).parse(request.headers.get('Cookie'))
  const attempt =
    typeof token === 'string' && token ? await takeSignInAttempt(db, hashToken(token)) : undefined
  const provider = attempt ? await getProvider(db, attempt.providerId) : undefined
  const signedIn = await getUser(request, context)

  const refuse = async (
    refusal: ProviderRefusal,
    extra: { account?: string | null; said?: string | null; detail?: Record<string, unknown> },
  ): Promise<ProviderOutcome> => {
    await recordAccess(db, {
      councilId: provider?.councilId ?? signedIn?.councilId ?? null,
      userId: signedIn?.id ?? null,
      action: 'sign-in-refused',
      address: context.clientAddress,
      detail: {
        provider: provider?.name ?? null,
        refusal,
        ...(extra.account ? { account: extra.account } : {}),
        ...extra.detail,
      },
    })
    return {
      ok: false,
      refusal,
      providerName: provider?.name ?? null,
      account: extra.account ?? null,
      said: extra.said ?? null,
    }
  }

  // Linking and confirming belong to the session that started them.
  const needsSession = attempt?.purpose === 'link' || attempt?.purpose === 'confirm'
  if (!attempt || !provider || (needsSession && (!signedIn || signedIn.id !== attempt.userId))) {
    return refuse('no-attempt', {})
  }

  let configuration: oidc.Configuration
  try {
    configuration = await providerConfiguration(provider)
  } catch (error) {
    return refuse('unreachable', { detail: { error: String(error) } })
  }
  let claims: Record<string, unknown>
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, new URL(request.url), {
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      pkceCodeVerifier: attempt.codeVerifier,
      ...(attempt.purpose === 'confirm' ? { maxAge: CONFIRM_MAX_AGE_SECONDS } : {}),
    })
    const idToken = tokens.claims()
    if (!idToken) throw new Error('The provider sent no ID token')
    claims = idToken
  } catch (error) {
    if (error instanceof oidc.AuthorizationResponseError) {
      return refuse('provider-said-no', {
        said: error.error_description ?? error.error,
        detail: { error: error.error },
      })
    }
    return refuse('untrusted-answer', { detail: describeCheckFailure(error) })
  }

  const account = accountFromClaims(claims)
  if (!isTenantAllowed(provider.allowedTenants, account)) {
    return refuse('tenant-not-allowed', {
      account: account.label,
      detail: { tenant: tenantOf(account) },
    })
  }
  const redirectTo = safeRedirectPath(attempt.redirectTo)

  if (attempt.purpose === 'link') {
    const user = signedIn!
    const result = await linkIdentity(db, { userId: user.id, providerId: provider.id, ...account })
    if (result === 'taken') return refuse('linked-to-another', { account: account.label })
    await recordAccess(db, {
      councilId: user.councilId,
      userId: user.id,
      subjectUserId: user.id,
      action: 'account-linked',
      address: context.clientAddress,
      detail: { provider: provider.name, account: account.label },
    })
    return { ok: true, purpose: 'link', redirectTo, setCookie: [clearAttempt] }
  }

  if (attempt.purpose === 'invitation' && attempt.userId) {
    const invitedId = attempt.userId
    // The invitation is used up and the account linked together, or neither happens.
    const result = await db
      .transaction(async (tx) => {
        const invited = await getUserForInvitation(tx, invitedId, provider.councilId)
        if (
          !invited ||
          !(await consumeInvitation(tx, { userId: invitedId, providerId: provider.id }))
        ) {
          return 'invitation-used' as const
        }
        const linkedNow = await linkIdentity(tx, {
          userId: invitedId,
          providerId: provider.id,
          ...account,
        })
        if (linkedNow === 'taken') {
          tx.rollback()
        }
        await recordAccess(tx, {
          councilId: provider.councilId,
          userId: invitedId,
          subjectUserId: invitedId,
          action: 'account-linked',
          address: context.clientAddress,
          detail: { provider: provider.name, account: account.label, invitation: true },
        })
        return 'linked' as const
      })
      .catch((error: unknown) => {
        if (error instanceof TransactionRollbackError) return 'linked-to-another' as const
        throw error
      })
    if (result !== 'linked') return refuse(result, { account: account.label })
    return signInAs(invitedId, provider.councilId)
  }

  const linked = await findLinkedUser(db, { providerId: provider.id, ...account })
  if (attempt.purpose === 'confirm') {
    const user = signedIn!
    const sessionToken = await readSessionToken(request)
    if (linked?.id !== user.id || !sessionToken) {
      return refuse('not-your-account', { account: account.label })
    }
    await confirmSession(db, sessionToken)
    await recordAccess(db, {
      councilId: user.councilId,
      userId: user.id,
      action: 'signed-in-again',
      address: context.clientAddress,
      detail: { provider: provider.name, account: account.label },
    })
    return { ok: true, purpose: 'confirm', redirectTo, setCookie: [clearAttempt] }
  }

  if (!linked || linked.councilId !== provider.councilId) {
    return refuse('not-linked', { account: account.label })
  }
  if (!linked.active) return refuse('deactivated', { account: account.label })
  return signInAs(linked.id, linked.councilId)

  async function signInAs(userId: string, councilId: string): Promise<ProviderOutcome> {
    const sessionToken = await createSession(db, { userId, councilId })
    await recordAccess(db, {
      councilId,
      userId,
      action: 'sign-in',
      address: context.clientAddress,
      detail: { provider: provider!.name, account: account.label },
    })
    return {
      ok: true,
      purpose: 'sign-in',
      redirectTo,
      setCookie: [clearAttempt, await sessionCookieHeader(request, sessionToken)],
    }
  }
}

/**
 * An invitation for a user to link their account at one of their council's providers and sign in:
 * the address to send them, shown once (only the token's hash is kept).
 */
export async function inviteToSignIn(
  request: Request,
  context: AppLoadContext,
  params: { userId: string; providerId: string; createdBy: string },
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await createInvitation(context.db, { tokenHash: hashToken(token), ...params })
  return new URL(`/sso/invitation/${token}`, request.url).href
}

/** The invitation behind a link's token, if it is still good. */
export function lookUpInvitation(context: AppLoadContext, token: string) {
  return findInvitation(context.db, hashToken(token))
}

/**
 * What openid-client said of a check that failed, for the access trail: its message and code, and
 * for a claim's check the claim (`nonce`, `exp`, `iss`…), which sits in a cause of the error.
 */
function describeCheckFailure(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { error: String(error) }
  const described: Record<string, string> = { error: error.message }
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const { code, claim } = current as { code?: unknown; claim?: unknown }
    if (typeof code === 'string') described.code ??= code
    if (typeof claim === 'string') described.claim ??= claim
    current = (current as { cause?: unknown }).cause
  }
  return described
}

/**
 * How a user can sign in: with a password (if they have one and their council allows it), and
 * through which linked accounts. What the confirm page offers and what unlinking must leave.
 */
export async function signInWays(context: AppLoadContext, user: User) {
  const [stored, passwordsAllowed, identities] = await Promise.all([
    findUserForSignIn(context.db, user.email),
    getPasswordSignIn(context.db, user.councilId),
    listIdentitiesOfUser(context.db, user.id),
  ])
  return { password: passwordsAllowed && Boolean(stored?.passwordHash), identities }
}
