import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { themeTable, previousPeriod } from '../../shared/themes'
import { makeCaseFile, makeCouncil, makeSubmittedAudit, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { auditThemes, audits, moderationEvents } from '../schema/index'
import {
  addTheme,
  listAuditExcerpts,
  listThemes,
  setExcerptThemes,
  setThemeRetired,
  themeCounts,
  themeExcerpts,
  themeTrend,
  updateTheme,
  type ExcerptTag,
} from './learning'

let database: TestDatabase
let councilId: string
let teamId: string
let auditorId: string
let moderatorId: string

const STRENGTH = 'seeing-the-child.strengths'
const DEVELOPMENT = 'seeing-the-child.areas-for-development'
const tag = (questionKey: string, theme: string): ExcerptTag => ({
  questionKey,
  kind: questionKey.endsWith('strengths') ? 'strength' : 'development',
  theme,
})

async function audit(cycle: string, themes: ExcerptTag[], texts: Record<string, string> = {}) {
  const caseFile = await makeCaseFile(database.db, { councilId, teamId })
  const { auditId } = await makeSubmittedAudit(database.db, {
    councilId,
    caseFile,
    leadAuditorId: auditorId,
    cycle,
    themes,
    texts,
  })
  return auditId
}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  teamId = council.teamId
  auditorId = (await makeUser(database.db, { councilId, roles: ['auditor'] })).id
  moderatorId = (await makeUser(database.db, { councilId, roles: ['moderator'] })).id
})

afterAll(() => database.drop())

describe('themes at submission', () => {
  it('stores each excerpt’s tags with their kind, and leaves out themes the council lacks', async () => {
    const auditId = await audit('2026-06', [
      tag(STRENGTH, 'voice-of-the-child'),
      tag(DEVELOPMENT, 'chronology'),
      tag(DEVELOPMENT, 'voice-of-the-child'),
      tag(DEVELOPMENT, 'made-up-theme'),
    ])
    const rows = await database.db
      .select({ key: auditThemes.questionKey, kind: auditThemes.kind, source: auditThemes.source })
      .from(auditThemes)
      .where(eq(auditThemes.auditId, auditId))
    expect(rows.map((r) => `${r.key} ${r.kind} ${r.source}`).sort()).toEqual([
      `${DEVELOPMENT} development auditor`,
      `${DEVELOPMENT} development auditor`,
      `${STRENGTH} strength auditor`,
    ])
    const excerpts = await listAuditExcerpts(database.db, {
      auditId,
      keys: [STRENGTH, DEVELOPMENT],
    })
    expect(excerpts.map((e) => [e.key, e.themes])).toEqual([
      [STRENGTH, ['voice-of-the-child']],
      [DEVELOPMENT, ['chronology', 'voice-of-the-child']],
    ])
  })
})

describe('theme counts', () => {
  it('counts completed audits once per theme and kind, and compares shares with the previous period', async () => {
    const period = { from: '2026-09', to: '2026-10' }
    // Previous period (2026-07..08): 1 of 4 audits raises chronology for development.
    await audit('2026-07', [tag(DEVELOPMENT, 'chronology')])
    await audit('2026-07', [])
    await audit('2026-08', [])
    await audit('2026-08', [tag(STRENGTH, 'chronology')])
    // This period: 3 of 4, one of them twice (two excerpts), plus a cancelled one that leaves.
    await audit('2026-09', [
      tag(DEVELOPMENT, 'chronology'),
      tag('seen-and-heard.areas-for-development', 'chronology'),
    ])
    await audit('2026-09', [tag(DEVELOPMENT, 'chronology'), tag(STRENGTH, 'identity')])
    await audit('2026-10', [tag(DEVELOPMENT, 'chronology')])
    await audit('2026-10', [tag(STRENGTH, 'chronology')])

    const now = await themeCounts(database.db, { councilId, period })
    const before = await themeCounts(database.db, { councilId, period: previousPeriod(period) })
    expect(now.completed).toEqual([{ group: '', audits: 4 }])
    const rows = themeTable({
      themes: await listThemes(database.db, { councilId }),
      current: {
        counts: now.counts,
        completed: 4,
        anyByTheme: new Map(now.any.map((r) => [r.code, r.audits])),
      },
      previous: { counts: before.counts, completed: 4 },
    })
    expect(rows[0]).toMatchObject({
      code: 'chronology',
      developments: 3,
      strengths: 1,
      audits: 4,
      developmentShare: 750,
      previousDevelopmentShare: 250,
      change: 500,
      direction: 'rising',
    })
    expect(rows.find((r) => r.code === 'identity')).toMatchObject({ strengths: 1, audits: 1 })

    const byTeam = await themeCounts(database.db, { councilId, period, by: 'team' })
    expect(new Set(byTeam.counts.map((c) => c.group)).size).toBe(1)

    const trend = await themeTrend(database.db, {
      councilId,
      cycles: ['2026-07', '2026-08', '2026-09', '2026-10'],
      theme: 'chronology',
    })
    const developments = (cycle: string) =>
      trend.counts.find((c) => c.cycle === cycle && c.kind === 'development')?.audits ?? 0
    expect(['2026-07', '2026-08', '2026-09', '2026-10'].map(developments)).toEqual([1, 0, 2, 1])
    expect(trend.completed.map((c) => [c.cycle, c.audits]).sort()).toEqual([
      ['2026-07', 2],
      ['2026-08', 2],
      ['2026-09', 2],
      ['2026-10', 2],
    ])
  })

  it('leaves cancelled and unfinished audits out', async () => {
    const period = { from: '2025-01', to: '2025-01' }
    await audit('2025-01', [tag(DEVELOPMENT, 'identity')])
    expect((await themeCounts(database.db, { councilId, period })).counts).toHaveLength(1)
    for (const status of ['in-progress', 'cancelled'] as const) {
      await database.db
        .update(audits)
        .set({ status, cancelledReason: status === 'cancelled' ? 'Case closed' : null })
        .where(and(eq(audits.cycle, '2025-01'), eq(audits.councilId, councilId)))
      expect((await themeCounts(database.db, { councilId, period })).counts).toEqual([])
    }
  })
})

describe('excerpts of a theme', () => {
  it('pages the tagged excerpts of the period with their case reference for depersonalising', async () => {
    const period = { from: '2024-05', to: '2024-05' }
    await audit('2024-05', [tag(DEVELOPMENT, 'life-story-work')], {
      [DEVELOPMENT]: 'Life-story work has not started.',
    })
    await audit('2024-05', [tag(STRENGTH, 'life-story-work')], {
      [STRENGTH]: 'A memory box was made with the child.',
    })
    const all = await themeExcerpts(database.db, {
      councilId,
      period,
      theme: 'life-story-work',
      page: 1,
    })
    expect(all.total).toBe(2)
    expect(all.rows.map((r) => r.text).sort()).toEqual([
      'A memory box was made with the child.',
      'Life-story work has not started.',
    ])
    expect(all.rows.every((r) => r.caseRef !== '')).toBe(true)
    const developments = await themeExcerpts(database.db, {
      councilId,
      period,
      theme: 'life-story-work',
      kind: 'development',
      page: 1,
    })
    expect(developments.rows.map((r) => r.kind)).toEqual(['development'])
  })
})

describe('changing an excerpt’s themes', () => {
  it('makes the tags exactly those chosen and records the change in the moderation history', async () => {
    const auditId = await audit('2026-05', [tag(DEVELOPMENT, 'chronology')])
    const changed = await setExcerptThemes(database.db, {
      councilId,
      userId: moderatorId,
      auditId,
      questionKey: DEVELOPMENT,
      kind: 'development',
      themes: ['risk-analysis', 'identity'],
    })
    expect(changed).toEqual({ added: ['identity', 'risk-analysis'], removed: ['chronology'] })
    const rows = await database.db
      .select({ source: auditThemes.source })
      .from(auditThemes)
      .where(and(eq(auditThemes.auditId, auditId), eq(auditThemes.questionKey, DEVELOPMENT)))
    expect(rows.map((r) => r.source)).toEqual(['moderator', 'moderator'])
    const [event] = await database.db
      .select({ kind: moderationEvents.kind, note: moderationEvents.note })
      .from(moderationEvents)
      .where(and(eq(moderationEvents.auditId, auditId), eq(moderationEvents.kind, 'retagged')))
    expect(event?.note).toBe(
      `Themes of “${DEVELOPMENT}”: added Identity, Risk analysis; removed Chronology`,
    )
    // The same choice again changes nothing and records nothing.
    const again = await setExcerptThemes(database.db, {
      councilId,
      userId: moderatorId,
      auditId,
      questionKey: DEVELOPMENT,
      kind: 'development',
      themes: ['identity', 'risk-analysis'],
    })
    expect(again).toEqual({ added: [], removed: [] })
    expect(
      await database.db.$count(
        moderationEvents,
        and(eq(moderationEvents.auditId, auditId), eq(moderationEvents.kind, 'retagged')),
      ),
    ).toBe(1)
  })

  it('refuses an audit of another council', async () => {
    const auditId = await audit('2026-05', [])
    const other = await makeCouncil(database.db)
    expect(
      await setExcerptThemes(database.db, {
        councilId: other.councilId,
        userId: moderatorId,
        auditId,
        questionKey: DEVELOPMENT,
        kind: 'development',
        themes: ['identity'],
      }),
    ).toBeUndefined()
  })
})

describe('the council’s theme list', () => {
  it('adds, renames, tunes and retires themes; a code is never taken twice', async () => {
    expect(
      await addTheme(database.db, {
        councilId,
        code: 'neglect',
        label: 'Neglect',
        keywords: ['neglect'],
      }),
    ).toBe(true)
    expect(
      await addTheme(database.db, { councilId, code: 'neglect', label: 'Again', keywords: [] }),
    ).toBe(false)
    expect(
      await updateTheme(database.db, {
        councilId,
        code: 'neglect',
        label: 'Neglect and home conditions',
        keywords: ['neglect', 'hygiene*'],
      }),
    ).toBe(true)
    expect(await setThemeRetired(database.db, { councilId, code: 'neglect', retired: true })).toBe(
      true,
    )
    expect((await listThemes(database.db, { councilId })).map((t) => t.code)).not.toContain(
      'neglect',
    )
    const all = await listThemes(database.db, { councilId, includeRetired: true })
    expect(all.find((t) => t.code === 'neglect')).toMatchObject({
      label: 'Neglect and home conditions',
      keywords: ['neglect', 'hygiene*'],
    })
    // A retired theme is not stored from a submission.
    const auditId = await audit('2026-04', [tag(DEVELOPMENT, 'neglect')])
    expect(await database.db.$count(auditThemes, eq(auditThemes.auditId, auditId))).toBe(0)
  })
})
