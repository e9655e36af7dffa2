import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerAccessQuery } from '../../app/utils/access.server'
import {
  requirePermission,
  requireUser,
  sessionCookieHeader,
  signIn,
  signOut,
} from '../../app/utils/auth.server'
import { loader as accessCsv } from '../../app/routes/access[.]csv'
import {
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeUser,
  TEST_PASSWORD,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { createSession } from './sessions'
import { expireAccessEvents, listAccess, recordAccess } from './access'
import { expireAudits } from './retention'

let database: TestDatabase
let council: Awaited<ReturnType<typeof makeCouncil>>
let other: Awaited<ReturnType<typeof makeCouncil>>
let lead: { id: string; email: string }
let auditor: { id: string; email: string }
let auditId: string
let caseFile: Awaited<ReturnType<typeof makeCaseFile>>

beforeAll(async () => {
  database = await createTestDatabase()
  council = await makeCouncil(database.db)
  other = await makeCouncil(database.db)
  lead = await makeUser(database.db, { councilId: council.councilId, roles: ['lead'] })
  auditor = await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] })
  caseFile = await makeCaseFile(database.db, {
    councilId: council.councilId,
    teamId: council.teamId,
  })
  auditId = await makeAudit(database.db, {
    councilId: council.councilId,
    caseFile,
    leadAuditorId: auditor.id,
  })
})
afterAll(() => database.drop())

async function signedInRequest(userId: string, path: string, method = 'GET') {
  const token = await createSession(database.db, { userId, councilId: council.councilId })
  const cookie = (await sessionCookieHeader(new Request('http://localhost/'), token)).split(';')[0]!
  return new Request(`http://localhost${path}`, { method, headers: { Cookie: cookie } })
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

async function trailOf(userId: string) {
  return (
    await listAccess(database.db, {
      councilId: council.councilId,
      userId,
      from: '2000-01-01',
      to: today(),
      limit: 1000,
    })
  ).rows
}

describe('the access trail is append-only', () => {
  it('lets the application role add and read entries, never change or remove them', async () => {
    await recordAccess(database.db, {
      councilId: council.councilId,
      userId: lead.id,
      action: 'view',
      path: '/kpis',
    })
    const refused = [
      database.db.$client`update access_events set path = '/elsewhere'`,
      database.db.$client`delete from access_events`,
      database.db.$client`truncate access_events`,
    ]
    for (const attempt of refused) {
      await expect(attempt).rejects.toThrow(/permission denied/)
    }
    expect((await trailOf(lead.id)).map((row) => row.path)).toContain('/kpis')
  })

  it('refuses changes even from the owner of the table', async () => {
    const owner = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      await expect(owner`update access_events set path = '/elsewhere'`).rejects.toThrow(
        /append-only/,
      )
      await expect(owner`delete from access_events`).rejects.toThrow(/append-only/)
      await expect(owner`truncate access_events`).rejects.toThrow(/append-only/)
    } finally {
      await owner.end()
    }
  })
})

describe('retention', () => {
  it('removes only the council’s entries older than the period, and records that it did', async () => {
    const old = postgres(database.url, { max: 1, onnotice: () => {} })
    const user = await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] })
    const elsewhere = await makeUser(database.db, { councilId: other.councilId, roles: ['lead'] })
    try {
      for (const [councilId, userId, daysAgo] of [
        [council.councilId, user.id, 400],
        [council.councilId, user.id, 10],
        [other.councilId, elsewhere.id, 400],
      ] as const) {
        await old`insert into access_events (council_id, user_id, action, path, at)
          values (${councilId}, ${userId}, 'view', ${`/${daysAgo}`}, now() - make_interval(days => ${daysAgo}))`
      }
    } finally {
      await old.end()
    }
    expect(
      await expireAccessEvents(database.db, { councilId: council.councilId, keepDays: 365 }),
    ).toBe(1)
    expect((await trailOf(user.id)).map((row) => row.path)).toEqual(['/10'])
    const record = (
      await listAccess(database.db, {
        councilId: council.councilId,
        from: today(),
        to: today(),
        limit: 1000,
        userId: undefined,
      })
    ).rows.find((row) => row.action === 'trail-expired')
    expect(record?.detail).toMatchObject({ removed: 1, keep_days: 365 })
    const otherTrail = await database.db.$client<{ path: string }[]>`
      select path from access_events where council_id = ${other.councilId}`
    expect(otherTrail.map((row) => row.path)).toEqual(['/400'])
    // Nothing to remove: nothing recorded.
    expect(
      await expireAccessEvents(database.db, { councilId: council.councilId, keepDays: 365 }),
    ).toBe(0)
    const refused = await expireAccessEvents(database.db, {
      councilId: council.councilId,
      keepDays: 0,
    }).catch((error: unknown) => error)
    expect(String((refused as { cause?: Error }).cause?.message)).toMatch(/keep_days/)
  })
})

describe('what is recorded', () => {
  it('records a page of an audit once per request, with its case, before answering', async () => {
    const user = await makeUser(database.db, { councilId: council.councilId, roles: ['lead'] })
    const request = await signedInRequest(user.id, `/audits/${auditId}.data`)
    const context = makeLoadContext(database.db, {}, '203.0.113.9')
    await Promise.all([requireUser(request, context), requireUser(request, context)])
    const rows = await trailOf(user.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      action: 'view',
      path: `/audits/${auditId}`,
      auditId,
      caseRef: caseFile.caseRef,
      address: '203.0.113.9',
    })
  })

  it('records exports, changes and refused attempts, but not keeping a session alive', async () => {
    const user = await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] })
    await requireUser(
      await signedInRequest(user.id, '/session/keep-alive', 'POST'),
      makeLoadContext(database.db),
    )
    await requireUser(await signedInRequest(user.id, '/actions.csv'), makeLoadContext(database.db))
    await requireUser(
      await signedInRequest(user.id, `/audits/${auditId}/moderate`, 'POST'),
      makeLoadContext(database.db),
    )
    await expect(
      requirePermission(
        await signedInRequest(user.id, '/kpis'),
        makeLoadContext(database.db),
        'read:kpi:any',
      ),
    ).rejects.toMatchObject({ status: 403 })
    const rows = (await trailOf(user.id)).reverse()
    expect(rows.map((row) => [row.action, row.path])).toEqual([
      ['export', '/actions.csv'],
      ['change', `/audits/${auditId}/moderate`],
      ['view', '/kpis'],
    ])
  })

  it('records sign-in, a refused sign-in and sign-out', async () => {
    const user = await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] })
    const context = makeLoadContext(database.db)
    expect((await signIn(context, { email: user.email, password: 'wrong password' })).ok).toBe(
      false,
    )
    const result = await signIn(context, { email: user.email, password: TEST_PASSWORD })
    if (!result.ok) throw new Error('not signed in')
    const cookie = (
      await sessionCookieHeader(new Request('http://localhost/'), result.token)
    ).split(';')[0]!
    await signOut(
      new Request('http://localhost/logout', { method: 'POST', headers: { Cookie: cookie } }),
      makeLoadContext(database.db),
      '/',
    )
    const own = (await trailOf(user.id)).reverse().map((row) => row.action)
    expect(own).toEqual(['sign-in', 'sign-out'])
    const refused = await database.db.$client<{ email: string }[]>`
      select detail->>'email' as email from access_events
      where action = 'sign-in-refused' and subject_user_id = ${user.id}`
    expect(refused.map((row) => row.email)).toEqual([user.email.toLowerCase()])
  })
})

describe('asking the trail', () => {
  it('answers who has seen a case, and refuses a wrong question with a message per field', async () => {
    const viewer = await makeUser(database.db, { councilId: council.councilId, roles: ['lead'] })
    await requireUser(
      await signedInRequest(viewer.id, `/audits/${auditId}`),
      makeLoadContext(database.db),
    )
    const ask = (query: Record<string, string>) =>
      answerAccessQuery(database.db, {
        councilId: council.councilId,
        searchParams: new URLSearchParams(query),
        limit: 100,
      })
    const answer = await ask({ case: caseFile.caseRef.toLowerCase() })
    if (answer.state !== 'answered') throw new Error(`not answered: ${answer.state}`)
    expect(answer.rows.map((row) => row.userEmail)).toContain(viewer.email)
    expect(answer.rows.every((row) => row.caseRef === caseFile.caseRef)).toBe(true)

    expect((await ask({})).state).toBe('unasked')
    const wrong = await ask({ case: 'NO-SUCH-CASE', from: '2026-02-30', to: '2026-01-01' })
    expect(wrong.state === 'invalid' && wrong.errors).toMatchObject({
      case: ['No case file has the reference NO-SUCH-CASE'],
      from: ['Enter a real date'],
    })
    const backwards = await ask({ case: caseFile.caseRef, from: '2026-03-01', to: '2026-01-01' })
    expect(backwards.state === 'invalid' && backwards.errors.to).toEqual([
      'The end date must be the same as or after the start',
    ])
    const elsewhere = await makeUser(database.db, { councilId: other.councilId, roles: ['lead'] })
    const foreign = await ask({ user: elsewhere.id })
    expect(foreign.state === 'invalid' && foreign.errors.user).toEqual([
      'Choose a user from the list',
    ])
  })

  it('exports the answer as CSV to leads only, with formulas made harmless', async () => {
    const named = await makeUser(database.db, {
      councilId: council.councilId,
      roles: ['auditor'],
      name: '=HYPERLINK("http://evil.example")',
    })
    await requireUser(
      await signedInRequest(named.id, `/audits/${auditId}`),
      makeLoadContext(database.db),
    )
    const csvFor = async (userId: string) =>
      accessCsv({
        request: await signedInRequest(userId, `/access.csv?case=${caseFile.caseRef}`),
        context: makeLoadContext(database.db),
        params: {},
      })
    const response = await csvFor(lead.id)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).toContain(`'=HYPERLINK`)
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m)
    await expect(csvFor(auditor.id)).rejects.toMatchObject({ status: 403 })
  })
})

describe('audit retention', () => {
  it('removes finished audits older than the period with what is kept of them, and records it', async () => {
    const mine = await makeCouncil(database.db)
    const auditorHere = await makeUser(database.db, {
      councilId: mine.councilId,
      roles: ['auditor'],
    })
    const plan = async () =>
      makeAudit(database.db, {
        councilId: mine.councilId,
        caseFile: await makeCaseFile(database.db, {
          councilId: mine.councilId,
          teamId: mine.teamId,
        }),
        leadAuditorId: auditorHere.id,
      })
    const [oldDone, oldOpen, recentDone] = [await plan(), await plan(), await plan()]
    const owner = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      await owner`update audits set status = 'moderated', moderated_at = now() - interval '7 years'
        where id = ${oldDone}`
      await owner`update audits set status = 'in-progress', updated_at = now() - interval '7 years'
        where id = ${oldOpen}`
      await owner`update audits set status = 'submitted', submitted_at = now() - interval '1 year'
        where id = ${recentDone}`
      await owner`insert into document_snapshots (document_name, council_id, state, covers_update_id)
        values (${`audit.${oldDone}`}, ${mine.councilId}, '\\x00', 0),
          (${`audit.${recentDone}`}, ${mine.councilId}, '\\x00', 0)
        on conflict do nothing`
    } finally {
      await owner.end()
    }
    expect(await expireAudits(database.db, { councilId: mine.councilId, keepYears: 6 })).toBe(1)
    const left = await database.db.$client<{ id: string }[]>`
      select id from audits where council_id = ${mine.councilId} order by id`
    expect(left.map((row) => row.id).sort()).toEqual([oldOpen, recentDone].sort())
    const snapshots = await database.db.$client<{ name: string }[]>`
      select document_name as name from document_snapshots where council_id = ${mine.councilId}`
    expect(snapshots.map((row) => row.name)).toEqual([`audit.${recentDone}`])
    const recorded = await database.db.$client<{ detail: { removed: number } }[]>`
      select detail from access_events where council_id = ${mine.councilId} and action = 'audits-expired'`
    expect(recorded.map((row) => row.detail.removed)).toEqual([1])
    expect(await expireAudits(database.db, { councilId: mine.councilId, keepYears: 6 })).toBe(0)
  })
})
