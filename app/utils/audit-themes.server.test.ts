import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { auditThemes, themes } from '../../db/schema/index'
import type { Role } from '../../shared/roles'
import {
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { action, loader } from '../routes/audits.$auditId_.themes'
import { sessionCookieHeader } from './auth.server'

// The page where a moderator or lead changes a submitted audit's themes: who may, and bad input.
let database: TestDatabase
let auditId: string
const tokens: Record<string, string> = {}
const KEY = 'seeing-the-child.areas-for-development'

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  const { councilId } = council
  const ids: Record<string, string> = {}
  const roles: Record<string, Role[]> = {
    auditor: ['auditor'],
    auditingModerator: ['auditor', 'moderator'],
    moderator: ['moderator'],
    lead: ['lead'],
    practitioner: ['practitioner'],
  }
  for (const [name, r] of Object.entries(roles)) {
    ids[name] = (await makeUser(database.db, { councilId, roles: r })).id
    tokens[name] = await createSession(database.db, { userId: ids[name], councilId })
  }
  const caseFile = await makeCaseFile(database.db, {
    councilId,
    teamId: council.teamId,
    workerId: ids.practitioner,
  })
  auditId = (
    await makeSubmittedAudit(database.db, {
      councilId,
      caseFile,
      leadAuditorId: ids.auditingModerator!,
      coAuditorIds: [ids.auditor!],
      themes: [{ questionKey: KEY, kind: 'development', theme: 'chronology' }],
    })
  ).auditId
})
afterAll(() => database.drop())

async function request(who: string, form?: Record<string, string | string[]>) {
  const cookie = (await sessionCookieHeader(new Request('http://localhost/'), tokens[who]!)).split(
    ';',
  )[0]!
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(form ?? {}))
    for (const v of [value].flat()) body.append(name, v)
  return new Request(`http://localhost/audits/${auditId}/themes`, {
    method: form ? 'POST' : 'GET',
    headers: {
      Cookie: cookie,
      ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? body : undefined,
  })
}

async function run(fn: typeof loader | typeof action, req: Request): Promise<Response> {
  try {
    const result = await fn({
      request: req,
      params: { auditId },
      context: makeLoadContext(database.db),
    })
    return result instanceof Response ? result : new Response(JSON.stringify(result))
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

async function tagsOf(): Promise<string[]> {
  const rows = await database.db
    .select({ code: themes.code })
    .from(auditThemes)
    .innerJoin(themes, eq(themes.id, auditThemes.themeId))
    .where(and(eq(auditThemes.auditId, auditId), eq(auditThemes.questionKey, KEY)))
  return rows.map((r) => r.code).sort()
}

describe('the themes of a submitted audit', () => {
  it('shows each excerpt with its themes to those who may see the audit', async () => {
    const response = await run(loader, await request('practitioner'))
    expect(response.status).toBe(200)
    const data = (await response.json()) as {
      mayRetag: boolean
      excerpts: { key: string; themes: string[] }[]
    }
    expect(data.mayRetag).toBe(false)
    expect(data.excerpts.find((e) => e.key === KEY)?.themes).toEqual(['chronology'])
  })

  it('lets a moderator who took no part, and a lead, change them', async () => {
    const moderated = await run(
      action,
      await request('moderator', { questionKey: KEY, themes: ['identity', 'chronology'] }),
    )
    expect(moderated.status).toBe(302)
    expect(await tagsOf()).toEqual(['chronology', 'identity'])
    const led = await run(action, await request('lead', { questionKey: KEY, themes: 'identity' }))
    expect(led.status).toBe(302)
    expect(await tagsOf()).toEqual(['identity'])
  })

  it('refuses auditors, a moderator who audited it, and the practitioner, changing nothing', async () => {
    for (const who of ['auditor', 'auditingModerator', 'practitioner']) {
      const response = await run(action, await request(who, { questionKey: KEY, themes: [] }))
      expect(response.status).toBe(403)
    }
    expect(await tagsOf()).toEqual(['identity'])
  })

  it('names bad input and changes nothing', async () => {
    const unknown = await run(
      action,
      await request('lead', { questionKey: KEY, themes: ['identity', 'made-up'] }),
    )
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({
      errors: { themes: ['“made-up” is not one of the council’s themes'] },
    })
    const notAnExcerpt = await run(
      action,
      await request('lead', { questionKey: 'seeing-the-child.judgement', themes: [] }),
    )
    expect(notAnExcerpt.status).toBe(400)
    expect(await tagsOf()).toEqual(['identity'])
  })
})
