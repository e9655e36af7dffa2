import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { createSession, hashSessionToken, touchSessions } from './sessions'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('touchSessions (the sync server’s sweep of its connections’ sessions)', () => {
  it('answers which are live, and writes only the marks older than a quarter of the idle timeout', async () => {
    const db = database.db
    const { councilId } = await makeCouncil(db)
    const active = await makeUser(db, { councilId, roles: ['auditor'] })
    const leaver = await makeUser(db, { councilId, roles: ['auditor'] })
    const token = async (userId: string, secondsAgo: number) => {
      const value = await createSession(db, { userId, councilId })
      await db.$client`update sessions set last_seen_at = now() - make_interval(secs => ${secondsAgo})
        where token_hash = ${hashSessionToken(value)}`
      return value
    }
    // With a 30-minute timeout, a mark is due between 225 and 450 seconds.
    const fresh = await token(active.id, 200)
    const stale = await token(active.id, 460)
    const idle = await token(active.id, 3_600)
    const deactivated = await token(leaver.id, 5)
    await db.$client`update users set active = false where id = ${leaver.id}`
    const seen = async (value: string) =>
      (
        await db.$client<{ age: number }[]>`
          select extract(epoch from now() - last_seen_at)::float8 as age from sessions
          where token_hash = ${hashSessionToken(value)}`
      )[0]?.age

    const live = await touchSessions(db, {
      tokens: [fresh, stale, idle, deactivated, 'never-issued'],
      idleSeconds: 1_800,
    })
    expect([...live].sort()).toEqual([fresh, stale].sort())
    expect(await seen(stale)).toBeLessThan(2)
    // Not rewritten: its mark is recent enough.
    expect(await seen(fresh)).toBeGreaterThanOrEqual(200)
    // An idle session is not brought back to life.
    expect(await seen(idle)).toBeGreaterThanOrEqual(3_600)
    expect(await touchSessions(db, { tokens: [], idleSeconds: 1_800 })).toEqual(new Set())
  })

  it('spreads the marks of sessions opened together over sweeps, and keeps them spread', async () => {
    const db = database.db
    const { councilId } = await makeCouncil(db)
    const { id: userId } = await makeUser(db, { councilId, roles: ['auditor'] })
    const tokens = await Promise.all(
      Array.from({ length: 200 }, () => createSession(db, { userId, councilId })),
    )
    const hashes = tokens.map(hashSessionToken)
    const age = (seconds: number) =>
      db.$client`update sessions set last_seen_at = now() - make_interval(secs => ${seconds})
        where token_hash = any(${hashes}::text[])`
    const written = async () =>
      (
        await db.$client<{ count: number }[]>`
          select count(*)::int as count from sessions
          where token_hash = any(${hashes}::text[]) and last_seen_at > now() - interval '10 seconds'`
      )[0]?.count

    // All opened at once, 340 seconds ago: about half are due (225–450 s), not all.
    await age(340)
    expect(await touchSessions(db, { tokens, idleSeconds: 1_800 })).toEqual(new Set(tokens))
    const first = await written()
    expect(first).toBeGreaterThan(60)
    expect(first).toBeLessThan(140)
    // The next sweep, moments later, writes none again.
    await touchSessions(db, { tokens, idleSeconds: 1_800 })
    expect(await written()).toBe(first)
    // None is left past a quarter of the timeout.
    await age(451)
    await touchSessions(db, { tokens, idleSeconds: 1_800 })
    expect(await written()).toBe(200)
  })
})
