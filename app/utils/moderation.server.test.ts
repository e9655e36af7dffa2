import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { pickUpAudit } from '../../db/queries/moderation'
import type { Role } from '../../shared/roles'
import {
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { action, loader } from '../routes/audits.$auditId_.moderate'
import { sessionCookieHeader } from './auth.server'

// The workspace page's own door: each role tries to open it and to act in it.
let database: TestDatabase
let auditId: string
const people: Record<string, { id: string; councilId: string; roles: Role[]; token: string }> = {}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  const { councilId } = council
  const caseFile = await makeCaseFile(database.db, { councilId, teamId: council.teamId })
  const roles: Record<string, Role[]> = {
    auditor: ['auditor'],
    auditingModerator: ['auditor', 'moderator'],
    moderator: ['moderator'],
    otherModerator: ['moderator'],
    lead: ['lead'],
    practitioner: ['practitioner'],
    admin: ['admin'],
  }
  for (const [name, userRoles] of Object.entries(roles)) {
    const { id } = await makeUser(database.db, { councilId, roles: userRoles })
    people[name] = {
      id,
      councilId,
      roles: userRoles,
      token: await createSession(database.db, { userId: id, councilId }),
    }
  }
  ;({ auditId } = await makeSubmittedAudit(database.db, {
    councilId,
    caseFile,
    leadAuditorId: people.auditor!.id,
    coAuditorIds: [people.auditingModerator!.id],
  }))
})

afterAll(() => database.drop())

async function request(who: string, method = 'GET', body?: Record<string, string>) {
  const cookie = (
    await sessionCookieHeader(new Request('http://localhost/'), people[who]!.token)
  ).split(';')[0]!
  return new Request(`http://localhost/audits/${auditId}/moderate`, {
    method,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body ? new URLSearchParams(body).toString() : undefined,
  })
}

/** The status a loader or action answers with, whether it returns or throws its Response. */
async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run()
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

function open(who: string) {
  return statusOf(async () =>
    loader({
      request: await request(who),
      params: { auditId },
      context: makeLoadContext(database.db),
    }),
  )
}

function act(who: string, body: Record<string, string>) {
  return statusOf(async () =>
    action({
      request: await request(who, 'POST', body),
      params: { auditId },
      context: makeLoadContext(database.db),
    }),
  )
}

describe('the moderation workspace', () => {
  it('sends everyone to the audit until a moderator has picked it up', async () => {
    expect(await open('moderator')).toBe(302)
    expect(await open('auditor')).toBe(302)
  })

  it('answers each role by its part once the audit is in moderation', async () => {
    const moderator = { ...people.moderator!, active: true }
    expect(await pickUpAudit(database.db, { user: moderator, auditId })).toEqual({ ok: true })
    expect(await open('moderator')).toBe(200)
    // The auditors follow and comment; a lead reads.
    expect(await open('auditor')).toBe(200)
    expect(await open('lead')).toBe(200)
    // A moderator who took part is refused, however they got the address.
    expect(await open('auditingModerator')).toBe(403)
    // Another moderator has no part in this moderation.
    expect(await open('otherModerator')).toBe(403)
    // Those who may not see the audit at all do not learn it exists.
    expect(await open('practitioner')).toBe(404)
    expect(await open('admin')).toBe(404)
  })

  it('lets only the audit’s moderator decide or return it', async () => {
    for (const who of ['auditor', 'lead', 'otherModerator', 'auditingModerator']) {
      expect(await act(who, { intent: 'return', returnReason: 'Try again' }), who).toBe(403)
    }
    // The moderator's decision is checked: nothing decided yet, so nothing is recorded.
    expect(await act('moderator', { intent: 'decide' })).toBe(400)
    expect(await act('moderator', { intent: 'return', returnReason: '' })).toBe(400)
    expect(await act('moderator', { intent: 'return', returnReason: 'Add the chronology' })).toBe(
      302,
    )
    // Returned: the workspace is closed to all until the audit is submitted again.
    expect(await open('moderator')).toBe(404)
    expect(await open('auditor')).toBe(403)
  })
})
