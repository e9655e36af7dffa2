import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { makeCouncil, makeLoadContext, makeUser, TEST_PASSWORD } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { loader as kpisCsv } from '../routes/kpis[.]csv'
import { action as changeUser } from '../routes/admin.users._index'
import { action as confirm } from '../routes/confirm-password'
import { sessionCookieHeader } from './auth.server'

let database: TestDatabase
let councilId: string
let lead: { id: string; email: string }
let admin: { id: string; email: string }
let auditor: { id: string; email: string }

beforeAll(async () => {
  database = await createTestDatabase()
  ;({ councilId } = await makeCouncil(database.db))
  lead = await makeUser(database.db, { councilId, roles: ['lead'] })
  admin = await makeUser(database.db, { councilId, roles: ['admin'] })
  auditor = await makeUser(database.db, { councilId, roles: ['auditor'] })
})
afterAll(() => database.drop())

/** A session whose password was last given `minutesAgo` minutes ago. */
async function sessionCookie(userId: string, minutesAgo: number): Promise<string> {
  const token = await createSession(database.db, { userId, councilId })
  await database.db.$client`update sessions
    set confirmed_at = now() - make_interval(mins => ${minutesAgo})
    where user_id = ${userId}`
  return (await sessionCookieHeader(new Request('http://localhost/'), token)).split(';')[0]!
}

function request(path: string, cookie: string, init: RequestInit = {}) {
  return new Request(`http://localhost${path}`, {
    ...init,
    headers: { Cookie: cookie, ...(init.headers as Record<string, string>) },
  })
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const outcome = await promise.then(
    (value) => value,
    (error: unknown) => error,
  )
  if (!(outcome instanceof Response)) throw new Error('expected a response')
  return outcome
}

describe('asking for the password again', () => {
  it('lets a bulk export through within 15 minutes of the password, and asks after', async () => {
    const fresh = await sessionCookie(lead.id, 14)
    const ok = await thrown(
      kpisCsv({
        request: request('/kpis.csv', fresh),
        context: makeLoadContext(database.db),
        params: {},
      }),
    )
    expect(ok.status).toBe(200)

    const stale = await sessionCookie(lead.id, 16)
    const asked = await thrown(
      kpisCsv({
        request: request('/kpis.csv', stale, {
          headers: { Referer: 'http://localhost/kpis?period=2026-11' },
        }),
        context: makeLoadContext(database.db),
        params: {},
      }),
    )
    expect(asked.status).toBe(302)
    expect(asked.headers.get('location')).toBe(
      `/confirm-password?${new URLSearchParams({ redirectTo: '/kpis?period=2026-11' })}`,
    )

    // A Referer that does not parse sends them back to the address itself, not to an error.
    const garbled = await thrown(
      kpisCsv({
        request: request('/kpis.csv', stale, { headers: { Referer: 'http://[not a url' } }),
        context: makeLoadContext(database.db),
        params: {},
      }),
    )
    expect(garbled.headers.get('location')).toBe('/confirm-password?redirectTo=%2Fkpis.csv')

    // A wrong password changes nothing; the right one sends them back, and the export is let through.
    const post = (password: string) =>
      thrown(
        confirm({
          request: request('/confirm-password', stale, {
            method: 'POST',
            body: new URLSearchParams({ password, redirectTo: '/kpis?period=2026-11' }),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
          context: makeLoadContext(database.db),
          params: {},
        }),
      )
    expect((await post('not the password')).status).toBe(400)
    expect(
      (
        await thrown(
          kpisCsv({
            request: request('/kpis.csv', stale),
            context: makeLoadContext(database.db),
            params: {},
          }),
        )
      ).status,
    ).toBe(302)
    const confirmed = await post(TEST_PASSWORD)
    expect(confirmed.status).toBe(302)
    expect(confirmed.headers.get('location')).toBe('/kpis?period=2026-11')
    const after = await thrown(
      kpisCsv({
        request: request('/kpis.csv', stale),
        context: makeLoadContext(database.db),
        params: {},
      }),
    )
    expect(after.status).toBe(200)
    const trail = await database.db.$client<{ action: string }[]>`
      select action from access_events where user_id = ${lead.id}
        and action in ('password-confirmed', 'password-refused') order by id`
    expect(trail.map((row) => row.action)).toEqual(['password-refused', 'password-confirmed'])
  })

  it('asks before a change to anyone’s access, and changes nothing until given', async () => {
    const stale = await sessionCookie(admin.id, 30)
    const change = () =>
      thrown(
        changeUser({
          request: request('/admin/users', stale, {
            method: 'POST',
            body: new URLSearchParams({ intent: 'deactivate', userId: auditor.id }),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
          context: makeLoadContext(database.db),
          params: {},
        }),
      )
    const asked = await change()
    expect(asked.headers.get('location')).toBe('/confirm-password?redirectTo=%2Fadmin%2Fusers')
    const [still] = await database.db.$client<{ active: boolean }[]>`
      select active from users where id = ${auditor.id}`
    expect(still?.active).toBe(true)
  })
})
