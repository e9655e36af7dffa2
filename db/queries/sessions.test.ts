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
  it('answers which are live, and writes only the marks that have gone stale', async () => {
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
    const fresh = await token(active.id, 5)
    const stale = await token(active.id, 120)
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
    expect(await seen(fresh)).toBeGreaterThanOrEqual(5)
    // An idle session is not brought back to life.
    expect(await seen(idle)).toBeGreaterThanOrEqual(3_600)
    expect(await touchSessions(db, { tokens: [], idleSeconds: 1_800 })).toEqual(new Set())
  })
})
