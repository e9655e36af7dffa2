import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExcerptTag } from '../../db/queries/learning'
import { createTeam } from '../../db/queries/organisation'
import { createSession } from '../../db/queries/sessions'
import { themes, users } from '../../db/schema/index'
import type { Role } from '../../shared/roles'
import {
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { loader as themeLoader } from '../routes/themes.$code'
import { loader as pageLoader } from '../routes/themes._index'
import { loader as csvLoader } from '../routes/themes[.]csv'
import { action as settingsAction, loader as settingsLoader } from '../routes/themes.settings'
import { sessionCookieHeader } from './auth.server'

// The learning-themes pages on a real database: counts from tagged audits, the change from the
// period before, CSV, depersonalised excerpts, the theme list's settings, and who may see them.
const STRENGTH = 'seeing-the-child.strengths'
const DEVELOPMENT = 'seeing-the-child.areas-for-development'
const CASE_REF = 'CF-10234'
const WORKER = 'Priya Sharma'

let database: TestDatabase
let councilId: string
const tokens: Record<string, string> = {}

const development = (theme: string): ExcerptTag => ({
  questionKey: DEVELOPMENT,
  kind: 'development',
  theme,
})
const strength = (theme: string): ExcerptTag => ({ questionKey: STRENGTH, kind: 'strength', theme })

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  const cpTeamId = await createTeam(database.db, {
    councilId,
    serviceCode: 'cp',
    code: 'cp-1',
    name: 'CP 1',
  })
  const ids: Record<string, string> = {}
  const roles: Record<string, Role[]> = {
    lead: ['lead'],
    auditor: ['auditor'],
    moderator: ['moderator'],
    practitioner: ['practitioner'],
  }
  for (const [name, r] of Object.entries(roles)) {
    ids[name] = (await makeUser(database.db, { councilId, roles: r })).id
    tokens[name] = await createSession(database.db, { userId: ids[name], councilId })
  }
  await database.db.update(users).set({ name: WORKER }).where(eq(users.id, ids.practitioner!))

  const audit = async (
    cycle: string,
    tags: ExcerptTag[],
    options: { teamId?: string; caseRef?: string; texts?: Record<string, string> } = {},
  ) => {
    const caseFile = await makeCaseFile(database.db, {
      councilId,
      teamId: options.teamId ?? council.teamId,
      caseRef: options.caseRef,
      workerId: ids.practitioner,
    })
    await makeSubmittedAudit(database.db, {
      councilId,
      caseFile,
      leadAuditorId: ids.auditor!,
      cycle,
      themes: tags,
      texts: options.texts,
    })
  }
  // The period before (January to March 2025): 1 of 4 audits raises chronology for development.
  await audit('2025-02', [development('chronology')])
  await audit('2025-02', [])
  await audit('2025-03', [])
  await audit('2025-03', [strength('voice-of-the-child')])
  // The period (April to June 2025): 3 of 4, so chronology is rising; two strengths; one CP audit.
  await audit('2025-05', [development('chronology'), strength('voice-of-the-child')], {
    caseRef: CASE_REF,
    texts: {
      [DEVELOPMENT]: `Kacper's chronology on ${CASE_REF} was not updated after Priya Sharma's visit.`,
    },
  })
  await audit('2025-05', [development('chronology'), strength('voice-of-the-child')])
  await audit('2025-06', [development('chronology')], { teamId: cpTeamId })
  await audit('2025-06', [development('risk-analysis')])
})
afterAll(() => database.drop())

async function requestAs(who: string | null, path: string, form?: Record<string, string>) {
  const headers: Record<string, string> = {}
  if (who) {
    const cookie = await sessionCookieHeader(new Request('http://localhost/'), tokens[who]!)
    headers.Cookie = cookie.split(';')[0]!
  }
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded'
  return new Request(`http://localhost${path}`, {
    method: form ? 'POST' : 'GET',
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  })
}

async function run(
  fn: (args: never) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await fn({ request, params, context: makeLoadContext(database.db) } as never)
    return result instanceof Response ? result : new Response(JSON.stringify(result))
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

const PERIOD = 'from=2025-04&to=2025-06'

type Row = {
  code: string
  strengths: number
  developments: number
  audits: number
  developmentShare: number | null
  previousDevelopmentShare: number | null
  change: number | null
  direction: string
}

describe('the themes page', () => {
  it('counts each theme in the period’s completed audits, against the period before', async () => {
    const response = await run(pageLoader, await requestAs('lead', `/themes?${PERIOD}`))
    expect(response.status).toBe(200)
    const data = (await response.json()) as {
      completed: number
      previousCompleted: number
      rows: Row[]
      rising: Row[]
      breakdown?: unknown
    }
    expect(data.completed).toBe(4)
    expect(data.previousCompleted).toBe(4)
    const row = (code: string) => data.rows.find((r) => r.code === code)
    expect(row('chronology')).toMatchObject({
      strengths: 0,
      developments: 3,
      audits: 3,
      developmentShare: 750,
      previousDevelopmentShare: 250,
      change: 500,
      direction: 'rising',
    })
    // Two audits, but below the three a change needs before it is called rising or falling.
    expect(row('voice-of-the-child')).toMatchObject({ strengths: 2, developments: 0, audits: 2 })
    expect(row('risk-analysis')).toMatchObject({ developments: 1, direction: 'steady' })
    // Every current theme has a row, tagged or not.
    expect(row('life-story-work')).toMatchObject({ audits: 0, developmentShare: 0 })
    expect(data.rising.map((r) => r.code)).toEqual(['chronology'])
    expect(data.breakdown).toBeUndefined()
  })

  it('follows the most raised areas for development over 12 months', async () => {
    const response = await run(pageLoader, await requestAs('lead', `/themes?${PERIOD}`))
    const data = (await response.json()) as {
      trend: {
        cycles: string[]
        themes: { code: string; points: { cycle: string; audits: number; completed: number }[] }[]
      }
    }
    expect(data.trend.cycles).toHaveLength(12)
    expect(data.trend.cycles.at(-1)).toBe('2025-06')
    expect(data.trend.themes.map((t) => t.code)).toEqual(['chronology', 'risk-analysis'])
    const chronology = data.trend.themes[0]!.points
    expect(chronology.find((p) => p.cycle === '2025-02')).toMatchObject({
      audits: 1,
      completed: 2,
    })
    expect(chronology.find((p) => p.cycle === '2025-06')).toMatchObject({
      audits: 1,
      completed: 2,
    })
  })

  it('breaks the counts down by team', async () => {
    const response = await run(pageLoader, await requestAs('lead', `/themes?${PERIOD}&by=team`))
    const data = (await response.json()) as {
      by: string
      breakdown: { group: string; completed: number; rows: Row[] }[]
    }
    expect(data.by).toBe('team')
    expect(data.breakdown.map((g) => [g.group, g.completed])).toEqual([
      ['CIN 1', 3],
      ['CP 1', 1],
    ])
    const cin = data.breakdown[0]!.rows
    expect(cin.find((r) => r.code === 'chronology')).toMatchObject({ developments: 2 })
    // A group's table lists only the themes its audits carry.
    expect(cin.map((r) => r.code).sort()).toEqual([
      'chronology',
      'risk-analysis',
      'voice-of-the-child',
    ])
  })

  it('names a wrong period and shows the default instead', async () => {
    const response = await run(pageLoader, await requestAs('lead', '/themes?from=2025-13'))
    const data = (await response.json()) as { errors: { field: string }[] }
    expect(data.errors.map((e) => e.field)).toEqual(['from'])
  })
})

describe('the themes CSV', () => {
  it('exports the table with shares and changes, and a group column when broken down', async () => {
    const response = await run(csvLoader, await requestAs('lead', `/themes.csv?${PERIOD}`))
    expect(response.headers.get('Content-Type')).toContain('text/csv')
    expect(response.headers.get('Content-Disposition')).toBe(
      'attachment; filename="themes-2025-04-to-2025-06.csv"',
    )
    const lines = (await response.text()).split('\r\n')
    expect(lines[0]).toBe(
      'code,label,strengths,developments,audits,development_share,previous_share,change_points,direction',
    )
    expect(lines).toContain('chronology,Chronology,0,3,3,75.0,25.0,50.0,rising')

    const byTeam = await run(csvLoader, await requestAs('lead', `/themes.csv?${PERIOD}&by=team`))
    expect(byTeam.headers.get('Content-Disposition')).toContain('themes-2025-04-to-2025-06-by-team')
    const teamLines = (await byTeam.text()).split('\r\n')
    expect(teamLines[0]).toMatch(/^team,code,label,/)
    expect(teamLines).toContain('CP 1,chronology,Chronology,0,1,1,100.0,,,')
  })

  it('refuses a backwards period or an unknown breakdown', async () => {
    const backwards = await requestAs('lead', '/themes.csv?from=2025-06&to=2025-04')
    expect((await run(csvLoader, backwards)).status).toBe(400)
    const unknown = await requestAs('lead', `/themes.csv?${PERIOD}&by=agency`)
    expect((await run(csvLoader, unknown)).status).toBe(400)
  })
})

describe('a theme’s page', () => {
  const open = async (code: string, search = PERIOD) =>
    run(themeLoader, await requestAs('lead', `/themes/${code}?${search}`), { code })

  it('shows its counts, its trend and its excerpts without names or references', async () => {
    const response = await open('chronology')
    expect(response.status).toBe(200)
    const body = await response.text()
    // Nothing identifying leaves the server, anywhere in the page's data.
    for (const secret of [CASE_REF, 'Kacper', 'Priya', 'Sharma']) expect(body).not.toContain(secret)
    const data = JSON.parse(body) as {
      theme: { label: string }
      row: Row
      trend: { cycle: string; developments: number; strengths: number }[]
      total: number
      excerpts: { text: string; kind: string; team: string; cycle: string; auditId: string }[]
    }
    expect(data.theme.label).toBe('Chronology')
    expect(data.row).toMatchObject({ developments: 3, direction: 'rising' })
    expect(data.trend).toHaveLength(12)
    expect(data.trend.find((p) => p.cycle === '2025-05')).toMatchObject({ developments: 2 })
    expect(data.total).toBe(3)
    expect(data.excerpts.map((e) => e.cycle)).toEqual(['2025-06', '2025-05', '2025-05'])
    expect(data.excerpts.map((e) => e.text)).toContain(
      "[name]'s chronology on [reference] was not updated after [name]'s visit.",
    )
    expect(data.excerpts[0]).toMatchObject({ kind: 'development', team: 'CP 1' })
  })

  it('filters the excerpts by kind and pages them', async () => {
    const strengths = (await (
      await open('voice-of-the-child', `${PERIOD}&kind=strength`)
    ).json()) as {
      total: number
      excerpts: { kind: string }[]
    }
    expect(strengths.total).toBe(2)
    expect(strengths.excerpts.every((e) => e.kind === 'strength')).toBe(true)
    const none = (await (
      await open('voice-of-the-child', `${PERIOD}&kind=development`)
    ).json()) as { total: number }
    expect(none.total).toBe(0)
    const later = (await (await open('chronology', `${PERIOD}&page=2`)).json()) as {
      total: number
      pages: number
      excerpts: unknown[]
    }
    expect(later).toMatchObject({ total: 3, pages: 1, excerpts: [] })
  })

  it('is not found for a theme the council does not have', async () => {
    expect((await open('no-such-theme')).status).toBe(404)
  })
})

describe('the theme settings', () => {
  const post = async (who: string, form: Record<string, string>, search = '') =>
    run(settingsAction, await requestAs(who, `/themes/settings${search}`, form))
  const countThemes = () => database.db.$count(themes, eq(themes.councilId, councilId))

  it('adds a theme with its keywords, one a line', async () => {
    const response = await post('lead', {
      intent: 'add',
      code: 'neglect',
      label: 'Neglect',
      keywords: 'neglect\nhome conditions\nhygiene*',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/themes/settings?added=neglect')
    expect(await themeRow('neglect')).toMatchObject({
      label: 'Neglect',
      keywords: ['neglect', 'home conditions', 'hygiene*'],
    })
  })

  it('refuses a duplicate code, a bad form or a reserved code, and changes nothing', async () => {
    const before = await countThemes()
    const duplicate = await post('lead', { intent: 'add', code: 'chronology', label: 'Again' })
    expect(duplicate.status).toBe(400)
    expect(((await duplicate.json()) as { errors: Record<string, string[]> }).errors.code).toEqual([
      'There is already a theme with the code chronology',
    ])

    const bad = await post('lead', { intent: 'add', code: 'Bad Code', label: '', keywords: 'a' })
    expect(bad.status).toBe(400)
    const { errors } = (await bad.json()) as { errors: Record<string, string[]> }
    expect(Object.keys(errors).sort()).toEqual(['code', 'keywords', 'label'])
    expect(errors.label).toEqual(['Enter the theme’s name'])

    const empty = await post('lead', { intent: 'add', code: '', label: 'Something' })
    expect(((await empty.json()) as { errors: Record<string, string[]> }).errors.code).toEqual([
      'Enter a code',
    ])
    expect((await post('lead', { intent: 'add', code: 'settings', label: 'S' })).status).toBe(400)
    expect(await countThemes()).toBe(before)

    const badEdit = await post(
      'lead',
      { intent: 'edit', code: 'chronology', label: 'Chronology', keywords: 'ok, x' },
      '?edit=chronology',
    )
    expect(badEdit.status).toBe(400)
    expect((await themeRow('chronology'))?.keywords).not.toContain('ok')
  })

  it('changes a theme’s name and keywords, but not its code', async () => {
    const response = await post('lead', {
      intent: 'edit',
      code: 'chronology',
      label: 'Chronology of significant events',
      keywords: 'chronolog*\ntimeline',
    })
    expect(response.status).toBe(302)
    expect(await themeRow('chronology')).toMatchObject({
      label: 'Chronology of significant events',
      keywords: ['chronolog*', 'timeline'],
    })
    const unknown = await post('lead', { intent: 'edit', code: 'nope', label: 'Nope' })
    expect(unknown.status).toBe(404)
  })

  it('retires a theme and restores it', async () => {
    expect((await post('lead', { intent: 'retire', code: 'identity' })).status).toBe(302)
    expect((await themeRow('identity'))?.retiredAt).not.toBeNull()
    const page = (await (
      await run(settingsLoader, await requestAs('lead', '/themes/settings'))
    ).json()) as { themes: { code: string; retired: boolean }[] }
    expect(page.themes.find((t) => t.code === 'identity')?.retired).toBe(true)
    expect((await post('lead', { intent: 'restore', code: 'identity' })).status).toBe(302)
    expect((await themeRow('identity'))?.retiredAt).toBeNull()
  })

  it('opens one theme to change, and not one the council does not have', async () => {
    const editing = await run(
      settingsLoader,
      await requestAs('lead', '/themes/settings?edit=voice-of-the-child'),
    )
    expect(((await editing.json()) as { editing: { code: string } }).editing.code).toBe(
      'voice-of-the-child',
    )
    const missing = await run(settingsLoader, await requestAs('lead', '/themes/settings?edit=nope'))
    expect(missing.status).toBe(404)
  })
})

describe('who may see themes', () => {
  it('refuses everyone but leads, and sends the signed-out to sign in', async () => {
    for (const who of ['auditor', 'moderator', 'practitioner']) {
      expect((await run(pageLoader, await requestAs(who, '/themes'))).status).toBe(403)
      expect((await run(csvLoader, await requestAs(who, '/themes.csv'))).status).toBe(403)
      const theme = await requestAs(who, '/themes/chronology')
      expect((await run(themeLoader, theme, { code: 'chronology' })).status).toBe(403)
      expect((await run(settingsLoader, await requestAs(who, '/themes/settings'))).status).toBe(403)
      const retire = await requestAs(who, '/themes/settings', {
        intent: 'retire',
        code: 'identity',
      })
      expect((await run(settingsAction, retire)).status).toBe(403)
    }
    expect((await themeRow('identity'))?.retiredAt).toBeNull()
    const signedOut = await run(pageLoader, await requestAs(null, '/themes'))
    expect(signedOut.status).toBe(302)
  })
})

async function themeRow(code: string) {
  const [row] = await database.db
    .select({ label: themes.label, keywords: themes.keywords, retiredAt: themes.retiredAt })
    .from(themes)
    .where(and(eq(themes.councilId, councilId), eq(themes.code, code)))
  return row
}
