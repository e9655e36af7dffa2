import { hash, verify } from '@node-rs/argon2'
import { createCookie, redirect, type AppLoadContext } from '@remix-run/node'
import {
  accountKey,
  addressKey,
  clearLoginFailures,
  getLoginPause,
  recordLoginFailure,
} from '../../db/queries/login-throttle'
import {
  confirmSession,
  createSession,
  deleteSession,
  touchSession,
  type SessionUser,
} from '../../db/queries/sessions'
import { findUserForSignIn } from '../../db/queries/users'
import { getPasswordSignIn, listProviders } from '../../db/queries/sign-in'
import { recordAccess } from '../../db/queries/access'
import { classifyRequest } from '../../shared/access-trail'
import { can, type Permission } from '../../shared/permissions'
import { SESSION_COOKIE } from '../../shared/session'
import { safeRedirectPath } from './redirect'

export type User = NonNullable<SessionUser>

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Secure everywhere but plain-HTTP localhost, where a browser would never send a Secure cookie. */
function sessionCookie(request: Request) {
  const url = new URL(request.url)
  return createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: url.protocol === 'https:' || !LOCAL_HOSTS.has(url.hostname),
  })
}

export async function readSessionToken(request: Request): Promise<string | undefined> {
  const value: unknown = await sessionCookie(request).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

// A page's loaders (root and route) run in one HTTP request with one load context: they share one
// session lookup instead of each touching the session row. Only for reads: an action may change
// who is signed in before the loaders after it run.
const usersOfRequest = new WeakMap<AppLoadContext, Promise<User | undefined>>()

async function lookUpUser(request: Request, context: AppLoadContext): Promise<User | undefined> {
  const token = await readSessionToken(request)
  if (!token) return undefined
  return touchSession(context.db, { token, idleSeconds: context.settings.idleTimeoutSeconds })
}

export function getUser(request: Request, context: AppLoadContext): Promise<User | undefined> {
  if (request.method !== 'GET') return lookUpUser(request, context)
  let user = usersOfRequest.get(context)
  if (!user) {
    user = lookUpUser(request, context)
    usersOfRequest.set(context, user)
  }
  return user
}

const recordedRequests = new WeakMap<AppLoadContext, Promise<void>>()

/**
 * Puts the request in the access trail, once however many of its loaders ask, before anything is
 * answered: nobody sees a page or an export, or changes anything, without a line in the trail (a
 * request then refused for want of permission is recorded too, as the attempt it was).
 */
function recordRequest(request: Request, context: AppLoadContext, user: User): Promise<void> {
  const classified = classifyRequest(request.method, new URL(request.url).pathname)
  if (!classified) return Promise.resolve()
  let recorded = recordedRequests.get(context)
  if (!recorded) {
    recorded = recordAccess(context.db, {
      councilId: user.councilId,
      userId: user.id,
      action: classified.action,
      method: request.method,
      path: classified.path,
      auditId: classified.auditId,
      address: context.clientAddress,
    })
    recordedRequests.set(context, recorded)
  }
  return recorded
}

/**
 * The signed-in user, or a redirect to sign in that brings them back here afterwards. The request
 * is in the access trail before this returns.
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<User> {
  const user = await getUser(request, context)
  if (user) {
    await recordRequest(request, context, user)
    return user
  }
  const url = new URL(request.url)
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })
  throw redirect(`/login?${params}`)
}

export async function requirePermission(
  request: Request,
  context: AppLoadContext,
  permission: Permission,
): Promise<User> {
  const user = await requireUser(request, context)
  if (!can(user, permission)) {
    throw new Response('You do not have permission to see this page.', { status: 403 })
  }
  return user
}

/** How long a password given in a session counts for bulk exports and changes to anyone's access. */
export const CONFIRM_WITHIN_SECONDS = 15 * 60

/**
 * Bulk exports and changes to anyone's access ask for the password again when it was last given
 * (at sign-in, or on the confirm page) more than CONFIRM_WITHIN_SECONDS ago: a session left open
 * on a shared computer cannot take the data away or hand out access. `returnTo`: where to go back
 * once confirmed (by default the page the request came from, or the address itself).
 */
export function requireRecentPassword(request: Request, user: User, returnTo?: string): void {
  if (user.confirmedSecondsAgo <= CONFIRM_WITHIN_SECONDS) return
  const url = new URL(request.url)
  // The page the request came from, when it is ours; a Referer that does not parse is ignored.
  let page = url
  try {
    const fromPage = new URL(request.headers.get('Referer') ?? '', url)
    if (fromPage.origin === url.origin) page = fromPage
  } catch {
    // keep the address itself
  }
  const back = safeRedirectPath(returnTo ?? `${page.pathname}${page.search}`)
  throw redirect(`/confirm-password?${new URLSearchParams({ redirectTo: back })}`)
}

/**
 * The signed-in user gives their password again: counted against the account like a sign-in
 * (so the page cannot be used to guess it), recorded in the access trail either way.
 */
export async function confirmPassword(
  request: Request,
  context: AppLoadContext,
  user: User,
  password: string,
): Promise<
  { ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'paused'; until: Date }
> {
  const { db, settings } = context
  const key = accountKey(user.email)
  const pausedUntil = await getLoginPause(db, [key])
  if (pausedUntil) return { ok: false, reason: 'paused', until: pausedUntil }
  const stored = await findUserForSignIn(db, user.email)
  const passwordsAllowed = await getPasswordSignIn(db, user.councilId)
  const valid =
    passwordsAllowed && stored?.active && stored.passwordHash
      ? await verify(stored.passwordHash, password).catch(() => false)
      : false
  const token = await readSessionToken(request)
  await recordAccess(db, {
    councilId: user.councilId,
    userId: user.id,
    action: valid ? 'password-confirmed' : 'password-refused',
    address: context.clientAddress,
  })
  if (!valid || !token) {
    await recordLoginFailure(db, {
      key,
      maxFailures: settings.loginMaxFailures,
      pauseMinutes: settings.loginPauseMinutes,
    })
    const nowPaused = await getLoginPause(db, [key])
    return nowPaused
      ? { ok: false, reason: 'paused', until: nowPaused }
      : { ok: false, reason: 'invalid' }
  }
  await clearLoginFailures(db, key)
  await confirmSession(db, token)
  return { ok: true }
}

export async function requireAnonymous(request: Request, context: AppLoadContext): Promise<void> {
  if (await getUser(request, context)) throw redirect('/')
}

export type SignInResult =
  | { ok: true; token: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'paused'; until: Date }
  /** The password was right, but the council signs in only with its identity providers. */
  | { ok: false; reason: 'password-off'; providers: string[] }

// A hash of a random password: verifying against it makes an unknown email cost what a known one does.
const TIMING_DECOY_HASH = hash(crypto.randomUUID())

/**
 * Checks the password, counting failures per account and per address, with the same answer for
 * an unknown email and a wrong password so that the page never tells which accounts exist.
 */
export async function signIn(
  context: AppLoadContext,
  params: { email: string; password: string },
): Promise<SignInResult> {
  const { db, settings } = context
  const email = params.email.trim().toLowerCase()
  const keys = [accountKey(email), addressKey(context.clientAddress)]
  const pausedUntil = await getLoginPause(db, keys)
  if (pausedUntil) {
    await recordAccess(db, {
      councilId: null,
      userId: null,
      action: 'sign-in-refused',
      address: context.clientAddress,
      detail: { email, paused: true },
    })
    return { ok: false, reason: 'paused', until: pausedUntil }
  }

  const user = await findUserForSignIn(db, params.email)
  const storedHash = user?.active ? user.passwordHash : null
  const valid = await verify(storedHash ?? (await TIMING_DECOY_HASH), params.password).catch(
    () => false,
  )
  if (!user || !storedHash || !valid) {
    await recordAccess(db, {
      councilId: user?.councilId ?? null,
      userId: null,
      subjectUserId: user?.id ?? null,
      action: 'sign-in-refused',
      address: context.clientAddress,
      detail: { email },
    })
    await recordLoginFailure(db, {
      key: keys[0]!,
      maxFailures: settings.loginMaxFailures,
      pauseMinutes: settings.loginPauseMinutes,
    })
    await recordLoginFailure(db, {
      key: keys[1]!,
      maxFailures: settings.loginMaxFailuresPerAddress,
      pauseMinutes: settings.loginPauseMinutes,
    })
    const nowPaused = await getLoginPause(db, keys)
    return nowPaused
      ? { ok: false, reason: 'paused', until: nowPaused }
      : { ok: false, reason: 'invalid' }
  }
  await clearLoginFailures(db, keys[0]!)
  if (!(await getPasswordSignIn(db, user.councilId))) {
    await recordAccess(db, {
      councilId: user.councilId,
      userId: null,
      subjectUserId: user.id,
      action: 'sign-in-refused',
      address: context.clientAddress,
      detail: { email, refusal: 'password-off' },
    })
    const providers = await listProviders(db, user.councilId)
    return { ok: false, reason: 'password-off', providers: providers.map((p) => p.name) }
  }
  const token = await createSession(db, { userId: user.id, councilId: user.councilId })
  await recordAccess(db, {
    councilId: user.councilId,
    userId: user.id,
    action: 'sign-in',
    address: context.clientAddress,
  })
  return { ok: true, token }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function sessionCookieHeader(request: Request, token: string): Promise<string> {
  return sessionCookie(request).serialize(token)
}

/** Ends the session in the database (so the cookie is worthless) and clears the cookie. */
export async function signOut(
  request: Request,
  context: AppLoadContext,
  to: string,
): Promise<Response> {
  const token = await readSessionToken(request)
  if (token) {
    const user = await getUser(request, context)
    await deleteSession(context.db, token)
    if (user) {
      await recordAccess(context.db, {
        councilId: user.councilId,
        userId: user.id,
        action: 'sign-out',
        address: context.clientAddress,
      })
    }
  }
  return redirect(safeRedirectPath(to), {
    headers: { 'Set-Cookie': await sessionCookie(request).serialize('', { maxAge: 0 }) },
  })
}
