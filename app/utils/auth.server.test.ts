import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deactivateUser } from '../../db/queries/users'
import { hashSessionToken } from '../../db/queries/sessions'
import { loginThrottle } from '../../db/schema/index'
import { makeCouncil, makeLoadContext, makeUser, TEST_PASSWORD } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { getUser, requirePermission, requireUser, sessionCookieHeader, signIn } from './auth.server'

let database: TestDatabase
let councilId: string
let auditor: { id: string; email: string }
let admin: { id: string; email: string }

beforeAll(async () => {
  database = await createTestDatabase()
  ;({ councilId } = await makeCouncil(database.db))
  auditor = await makeUser(database.db, { councilId, roles: ['auditor'] })
  admin = await makeUser(database.db, { councilId, roles: ['admin'] })
})
afterAll(() => database.drop())
beforeEach(() => database.db.delete(loginThrottle))

/** The server builds a load context per HTTP request (server/app.ts); each simulated request gets one. */
function newRequestContext() {
  return makeLoadContext(database.db)
}

async function requestWithSession(token: string, path = '/') {
  const cookie = (await sessionCookieHeader(new Request('http://localhost/'), token)).split(';')[0]!
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
}

describe('signIn', () => {
  it('signs in with the right password, any case of email', async () => {
    const result = await signIn(makeLoadContext(database.db), {
      email: auditor.email.toUpperCase(),
      password: TEST_PASSWORD,
    })
    expect(result.ok).toBe(true)
  })

  it('answers a wrong password and an unknown account alike', async () => {
    const context = makeLoadContext(database.db)
    const wrong = await signIn(context, { email: auditor.email, password: 'not it' })
    const unknown = await signIn(context, { email: 'nobody@test.invalid', password: 'not it' })
    expect(wrong).toEqual({ ok: false, reason: 'invalid' })
    expect(unknown).toEqual({ ok: false, reason: 'invalid' })
  })

  it('pauses an account after ten failures in a row, even for the right password', async () => {
    const context = makeLoadContext(database.db)
    for (let attempt = 1; attempt <= 9; attempt += 1) {
      expect(await signIn(context, { email: auditor.email, password: `wrong ${attempt}` })).toEqual(
        { ok: false, reason: 'invalid' },
      )
    }
    const tenth = await signIn(context, { email: auditor.email, password: 'wrong 10' })
    expect(tenth.ok).toBe(false)
    expect(tenth.ok === false && tenth.reason).toBe('paused')
    const right = await signIn(makeLoadContext(database.db, {}, '10.0.0.9'), {
      email: auditor.email,
      password: TEST_PASSWORD,
    })
    expect(right.ok === false && right.reason).toBe('paused')
    // Another account is not paused by it.
    expect((await signIn(context, { email: admin.email, password: TEST_PASSWORD })).ok).toBe(true)
  })

  it('starts counting again after a success', async () => {
    const context = makeLoadContext(database.db)
    for (let attempt = 1; attempt <= 9; attempt += 1)
      await signIn(context, { email: auditor.email, password: 'wrong' })
    expect((await signIn(context, { email: auditor.email, password: TEST_PASSWORD })).ok).toBe(true)
    expect(await signIn(context, { email: auditor.email, password: 'wrong' })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('unpauses once the pause has passed', async () => {
    const context = makeLoadContext(database.db)
    for (let attempt = 1; attempt <= 10; attempt += 1)
      await signIn(context, { email: auditor.email, password: 'wrong' })
    await database.db.update(loginThrottle).set({ lockedUntil: sql`now() - interval '1 second'` })
    expect((await signIn(context, { email: auditor.email, password: TEST_PASSWORD })).ok).toBe(true)
  })

  it('pauses an address that tries many accounts', async () => {
    const context = makeLoadContext(database.db, { loginMaxFailuresPerAddress: 5 }, '192.0.2.7')
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await signIn(context, { email: `guess${attempt}@test.invalid`, password: 'wrong' })
    }
    const result = await signIn(context, { email: auditor.email, password: TEST_PASSWORD })
    expect(result.ok === false && result.reason).toBe('paused')
    const elsewhere = makeLoadContext(database.db, { loginMaxFailuresPerAddress: 5 }, '192.0.2.8')
    expect((await signIn(elsewhere, { email: auditor.email, password: TEST_PASSWORD })).ok).toBe(
      true,
    )
  })

  it('refuses a deactivated user', async () => {
    const leaver = await makeUser(database.db, { councilId, roles: ['auditor'] })
    await deactivateUser(database.db, { councilId, userId: leaver.id })
    expect(
      await signIn(makeLoadContext(database.db), { email: leaver.email, password: TEST_PASSWORD }),
    ).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })
})

describe('sessions', () => {
  it('finds the user behind a live session and refuses one idle past the timeout', async () => {
    const context = makeLoadContext(database.db)
    const result = await signIn(context, { email: auditor.email, password: TEST_PASSWORD })
    if (!result.ok) throw new Error('sign-in failed')
    expect((await getUser(await requestWithSession(result.token), newRequestContext()))?.id).toBe(
      auditor.id,
    )
    await database.db.execute(sql`update sessions set last_seen_at = now() - interval '31 minutes'`)
    expect(
      await getUser(await requestWithSession(result.token), newRequestContext()),
    ).toBeUndefined()
  })

  it('marks a session as seen at most once a minute, so that reading it rarely writes', async () => {
    const context = makeLoadContext(database.db)
    const result = await signIn(context, { email: auditor.email, password: TEST_PASSWORD })
    if (!result.ok) throw new Error('sign-in failed')
    const hash = hashSessionToken(result.token)
    const secondsSinceSeen = async () => {
      const [row] = await database.db.execute<{ seconds: number }>(
        sql`select extract(epoch from now() - last_seen_at)::float8 as seconds from sessions where token_hash = ${hash}`,
      )
      return Number(row?.seconds)
    }
    await database.db.execute(
      sql`update sessions set last_seen_at = now() - interval '30 seconds' where token_hash = ${hash}`,
    )
    expect(await getUser(await requestWithSession(result.token), newRequestContext())).toBeDefined()
    expect(await secondsSinceSeen()).toBeGreaterThanOrEqual(29)
    await database.db.execute(
      sql`update sessions set last_seen_at = now() - interval '2 minutes' where token_hash = ${hash}`,
    )
    expect(await getUser(await requestWithSession(result.token), newRequestContext())).toBeDefined()
    expect(await secondsSinceSeen()).toBeLessThan(5)
  })

  it('ends every session of a deactivated user at once', async () => {
    const leaver = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const context = makeLoadContext(database.db)
    const result = await signIn(context, { email: leaver.email, password: TEST_PASSWORD })
    if (!result.ok) throw new Error('sign-in failed')
    const request = await requestWithSession(result.token)
    expect(await getUser(request, newRequestContext())).toBeDefined()
    await deactivateUser(database.db, { councilId, userId: leaver.id })
    expect(
      await getUser(await requestWithSession(result.token), newRequestContext()),
    ).toBeUndefined()
  })

  it('redirects to sign-in, and answers 403 for a missing permission', async () => {
    const context = makeLoadContext(database.db)
    const anonymous = await requireUser(
      new Request('http://localhost/admin/users?x=1'),
      context,
    ).catch((r: Response) => r)
    expect(anonymous).toBeInstanceOf(Response)
    expect((anonymous as Response).headers.get('Location')).toBe(
      '/login?redirectTo=%2Fadmin%2Fusers%3Fx%3D1',
    )

    const result = await signIn(context, { email: auditor.email, password: TEST_PASSWORD })
    if (!result.ok) throw new Error('sign-in failed')
    const forbidden = await requirePermission(
      await requestWithSession(result.token),
      newRequestContext(),
      'manage:user:any',
    ).catch((r: Response) => r)
    expect((forbidden as Response).status).toBe(403)
  })
})
