import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OVERALL_KEY } from '../../shared/live-document'
import { checkDecision, decisionKeys, moderatedQuestions } from '../../shared/moderation'
import type { Role } from '../../shared/roles'
import type { Template } from '../../shared/templates/schema'
import { makeCaseFile, makeCouncil, makeSubmittedAudit, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { seedDemoData } from '../seed'
import { audits, users } from '../schema/index'
import { listAuditAnswers, type AuditViewer } from './audits'
import {
  CalibrationFiltersSchema,
  computeCalibration,
  getCalibration,
  NO_LEAD_AUDITOR,
  percentHalfUp,
  type Calibration,
  type CalibrationGroup,
  type ModeratedAnswer,
} from './calibration'
import { disputeDecision, pickUpAudit, recordDecision, resolveDispute } from './moderation'
import { createTeam } from './organisation'

describe('percentHalfUp', () => {
  it('rounds half up on the exact fraction, to one decimal place', () => {
    expect(percentHalfUp(13, 16)).toBe(81.3)
    expect(percentHalfUp(1, 16)).toBe(6.3)
    expect(percentHalfUp(3, 16)).toBe(18.8)
    expect(percentHalfUp(1, 3)).toBe(33.3)
    expect(percentHalfUp(2, 3)).toBe(66.7)
    expect(percentHalfUp(28, 29)).toBe(96.6)
    expect(percentHalfUp(0, 5)).toBe(0)
    expect(percentHalfUp(5, 5)).toBe(100)
    expect(percentHalfUp(0, 0)).toBeNull()
  })
})

describe('CalibrationFiltersSchema', () => {
  it('takes a range of months, either end open, and refuses one that runs backwards', () => {
    expect(CalibrationFiltersSchema.safeParse({}).success).toBe(true)
    expect(CalibrationFiltersSchema.safeParse({ fromCycle: '2026-09' }).success).toBe(true)
    expect(
      CalibrationFiltersSchema.safeParse({ fromCycle: '2026-09', toCycle: '2026-09' }).success,
    ).toBe(true)
    expect(
      CalibrationFiltersSchema.safeParse({ fromCycle: '2026-10', toCycle: '2026-09' }).success,
    ).toBe(false)
    expect(CalibrationFiltersSchema.safeParse({ fromCycle: '2026-13' }).success).toBe(false)
  })
})

describe('computeCalibration', () => {
  function answer(overrides: Partial<ModeratedAnswer>): ModeratedAnswer {
    return {
      auditId: 'a1',
      cycle: '2026-10',
      teamId: 't1',
      team: 'Team one',
      templateCode: 'lived-experience',
      templateTitle: 'Lived experience',
      templateVersion: 1,
      auditorId: 'u1',
      auditor: 'Una',
      questionKey: 'voice.judgement',
      questionType: 'grade',
      auditorValue: 'good',
      moderatedValue: null,
      outcome: 'agreed',
      ...overrides,
    }
  }

  it('counts direction and size, and changes with no direction only as changed', () => {
    const result = computeCalibration([
      answer({ questionKey: 'a.judgement' }),
      answer({ questionKey: 'b.judgement', outcome: 'changed', moderatedValue: 'inadequate' }),
      answer({
        questionKey: 'c.seen',
        questionType: 'evidence',
        auditorValue: 'not',
        moderatedValue: 'consistently',
        outcome: 'changed',
      }),
      // To "not applicable": changed, but neither up nor down.
      answer({
        questionKey: 'd.seen',
        questionType: 'evidence',
        auditorValue: 'partly',
        moderatedValue: 'n/a',
        outcome: 'changed',
      }),
      // Overturned on dispute: the moderated value is cleared, the outcome stays.
      answer({ questionKey: OVERALL_KEY, outcome: 'changed', moderatedValue: null }),
      // Not yet moderated: left out.
      answer({ questionKey: 'e.judgement', outcome: null }),
    ])
    expect(result.totals).toEqual({
      audits: 1,
      judgements: {
        moderated: 4,
        agreed: 1,
        changed: 3,
        lowered: 1,
        raised: 1,
        stepsLowered: 2,
        stepsRaised: 2,
        agreementRate: 25,
      },
      overall: {
        moderated: 1,
        agreed: 0,
        changed: 1,
        lowered: 0,
        raised: 0,
        stepsLowered: 0,
        stepsRaised: 0,
        agreementRate: 0,
      },
    })
  })

  it('groups by auditor, team, template (newest title) and cycle (in time order)', () => {
    const result = computeCalibration([
      answer({ cycle: '2026-10', auditorId: 'u2', auditor: 'Zoe', templateVersion: 2 }),
      answer({
        auditId: 'a2',
        cycle: '2026-09',
        teamId: 't2',
        team: 'A team',
        templateTitle: 'Old title',
      }),
      answer({ auditId: 'a3', cycle: '2025-12', auditorId: null, auditor: null }),
    ])
    const keys = (groups: CalibrationGroup[]) => groups.map((g) => [g.key, g.label, g.audits])
    expect(keys(result.byCycle)).toEqual([
      ['2025-12', 'December 2025', 1],
      ['2026-09', 'September 2026', 1],
      ['2026-10', 'October 2026', 1],
    ])
    expect(keys(result.byAuditor)).toEqual([
      [NO_LEAD_AUDITOR, NO_LEAD_AUDITOR, 1],
      ['u1', 'Una', 1],
      ['u2', 'Zoe', 1],
    ])
    expect(keys(result.byTeam)).toEqual([
      ['t2', 'A team', 1],
      ['t1', 'Team one', 2],
    ])
    expect(keys(result.byTemplate)).toEqual([['lived-experience', 'Lived experience', 3]])
  })

  it('ranks auditors by the share of judgements lowered, then by how many, then by name', () => {
    const lowered = (
      auditId: string,
      auditorId: string | null,
      auditor: string,
      n: number,
      of: number,
    ) =>
      Array.from({ length: of }, (_, i) =>
        answer({
          auditId,
          auditorId,
          auditor,
          questionKey: `s${i}.judgement`,
          ...(i < n ? { outcome: 'changed', moderatedValue: 'requires-improvement' } : {}),
        }),
      )
    const result = computeCalibration([
      ...lowered('a1', 'u1', 'Una', 1, 4), // 25%
      ...lowered('a2', 'u2', 'Vic', 2, 8), // 25%, more of them
      ...lowered('a3', 'u3', 'Wyn', 1, 3), // 33.3%
      ...lowered('a4', 'u4', 'Xan', 0, 5), // none: not listed
      // Audits with no lead auditor recorded are nobody's to rank.
      ...lowered('a5', null, 'ignored', 1, 1),
    ])
    expect(result.mostOftenLowered.map((a) => [a.label, a.lowered, a.loweredShare])).toEqual([
      ['Wyn', 1, 33.3],
      ['Vic', 2, 25],
      ['Una', 1, 25],
    ])
  })

  it('has nothing to show for no answers', () => {
    const result = computeCalibration([])
    expect(result.totals.audits).toBe(0)
    expect(result.totals.judgements.agreementRate).toBeNull()
    expect(result.byAuditor).toEqual([])
    expect(result.mostOftenLowered).toEqual([])
  })
})

describe('getCalibration on a real database', () => {
  let database: TestDatabase
  let councilId: string
  const people: Record<string, AuditViewer> = {}
  const cases: Awaited<ReturnType<typeof makeCaseFile>>[] = []

  async function person(name: string, roles: Role[], inCouncil = councilId) {
    const { id } = await makeUser(database.db, { councilId: inCouncil, roles })
    await database.db.update(users).set({ name }).where(eq(users.id, id))
    people[name] = { id, councilId: inCouncil, roles, active: true }
    return people[name]
  }

  /** Picks the audit up and records a decision: every judgement agreed but those in `changes`. */
  async function moderate(
    auditId: string,
    template: Template,
    changes: Record<string, string> = {},
  ): Promise<void> {
    const moderator = people.Maria!
    expect(await pickUpAudit(database.db, { user: moderator, auditId })).toEqual({ ok: true })
    const answers = await listAuditAnswers(database.db, { auditId })
    const decisions: Record<string, unknown> = {}
    for (const question of moderatedQuestions(template)) {
      const keys = decisionKeys(question.key)
      const value = changes[question.key]
      if (value === undefined) {
        decisions[keys.outcome] = 'agree'
      } else {
        decisions[keys.outcome] = 'change'
        decisions[keys.value] = value
        decisions[keys.rationale] = 'The record does not support the judgement.'
      }
    }
    const check = checkDecision(
      template,
      Object.fromEntries(answers.map((a) => [a.questionKey, a.auditorValue])),
      decisions,
    )
    if (!check.ok) throw new Error(check.problems[0]?.message)
    expect(
      await recordDecision(database.db, { user: moderator, auditId, decision: check.decision }),
    ).toEqual({ ok: true })
  }

  const keyOf = (template: Template, type: 'grade' | 'evidence') => {
    const question = moderatedQuestions(template).find(
      (q) => q.type === type && q.key !== OVERALL_KEY,
    )
    if (!question) throw new Error(`no ${type} question`)
    return question.key
  }

  beforeAll(async () => {
    database = await createTestDatabase()
    const council = await makeCouncil(database.db)
    councilId = council.councilId
    const secondTeam = await createTeam(database.db, {
      councilId,
      serviceCode: 'cp',
      code: 'cp-1',
      name: 'Child Protection 1',
    })
    for (const teamId of [council.teamId, secondTeam, council.teamId, secondTeam, secondTeam]) {
      cases.push(await makeCaseFile(database.db, { councilId, teamId }))
    }
    await person('Amira', ['auditor'])
    await person('Ben', ['auditor'])
    await person('Maria', ['moderator'])
    await person('Leah', ['lead'])
    const elsewhere = await makeCouncil(database.db)
    await person('Outsider lead', ['lead'], elsewhere.councilId)
    await person('Outsider moderator', ['moderator'], elsewhere.councilId)

    const submit = (
      caseIndex: number,
      auditor: string,
      options: { cycle: string; template?: string; evidence?: 'consistently' | 'partly' },
    ) =>
      makeSubmittedAudit(database.db, {
        councilId,
        caseFile: cases[caseIndex]!,
        leadAuditorId: people[auditor]!.id,
        ...options,
      })

    // Amira: all agreed in September; in October her overall grade lowered two steps (good to
    // inadequate) and one evidence judgement one step.
    const a1 = await submit(0, 'Amira', { cycle: '2026-09' })
    await moderate(a1.auditId, a1.template)
    const a2 = await submit(1, 'Amira', { cycle: '2026-10' })
    await moderate(a2.auditId, a2.template, {
      [OVERALL_KEY]: 'inadequate',
      [keyOf(a2.template, 'evidence')]: 'partly',
    })
    // Ben: an evidence judgement raised (partly to consistently) and a section grade lowered.
    const b1 = await submit(2, 'Ben', {
      cycle: '2026-10',
      template: 'management-oversight',
      evidence: 'partly',
    })
    await moderate(b1.auditId, b1.template, {
      [keyOf(b1.template, 'evidence')]: 'consistently',
      [keyOf(b1.template, 'grade')]: 'requires-improvement',
    })
    // Ben: the overall grade lowered, disputed, and overturned by the lead.
    const b2 = await submit(3, 'Ben', { cycle: '2026-10' })
    await moderate(b2.auditId, b2.template, { [OVERALL_KEY]: 'requires-improvement' })
    expect(
      await disputeDecision(database.db, {
        user: people.Ben!,
        auditId: b2.auditId,
        reason: 'The plan has timescales.',
      }),
    ).toEqual({ ok: true })
    expect(
      await resolveDispute(database.db, {
        user: people.Leah!,
        auditId: b2.auditId,
        outcome: 'overturned',
        resolution: 'Timescales are on page 4.',
      }),
    ).toEqual({ ok: true })
    // Submitted and waiting: not moderated, so not counted.
    await submit(4, 'Ben', { cycle: '2026-10' })
  })

  afterAll(async () => {
    await database.drop()
  })

  const row = (groups: CalibrationGroup[], label: string) => {
    const group = groups.find((g) => g.label === label)
    if (!group) throw new Error(`no group ${label}`)
    return group
  }

  const calibrationFor = (who: string, filters = {}): Promise<Calibration> =>
    getCalibration(database.db, { user: people[who]!, filters })

  it('counts agreement, direction and size for the whole council', async () => {
    // Lived experience: 15 judgements and the overall grade; management oversight: 14 and the overall.
    const result = await calibrationFor('Maria')
    expect(result.totals).toEqual({
      audits: 4,
      judgements: {
        moderated: 59,
        agreed: 56,
        changed: 3,
        lowered: 2,
        raised: 1,
        stepsLowered: 2,
        stepsRaised: 1,
        agreementRate: 94.9,
      },
      overall: {
        moderated: 4,
        agreed: 2,
        changed: 2,
        // Ben's lowered grade counts though it was overturned: it was the moderator's judgement.
        lowered: 2,
        raised: 0,
        stepsLowered: 3,
        stepsRaised: 0,
        agreementRate: 50,
      },
    })
    // The lead sees the same figures.
    expect((await calibrationFor('Leah')).totals).toEqual(result.totals)
  })

  it('breaks the figures down by auditor, team, template and cycle', async () => {
    const result = await calibrationFor('Leah')
    expect(result.byAuditor.map((g) => g.label)).toEqual(['Amira', 'Ben'])
    expect(row(result.byAuditor, 'Amira')).toMatchObject({
      audits: 2,
      judgements: { moderated: 30, agreed: 29, lowered: 1, raised: 0, agreementRate: 96.7 },
      overall: { moderated: 2, agreed: 1, lowered: 1, stepsLowered: 2, agreementRate: 50 },
    })
    expect(row(result.byAuditor, 'Ben')).toMatchObject({
      audits: 2,
      judgements: { moderated: 29, agreed: 27, changed: 2, lowered: 1, raised: 1 },
      // The overturned change still shows which way the moderator moved it.
      overall: { moderated: 2, agreed: 1, changed: 1, lowered: 1, raised: 0, agreementRate: 50 },
    })
    expect(row(result.byAuditor, 'Ben').judgements.agreementRate).toBe(93.1)
    expect(result.byTeam.map((g) => [g.label, g.audits])).toEqual([
      ['Child Protection 1', 2],
      ['CIN 1', 2],
    ])
    expect(result.byTemplate.map((g) => [g.key, g.audits, g.judgements.moderated])).toEqual([
      ['management-oversight', 1, 14],
      ['lived-experience', 3, 45],
    ])
    expect(result.byCycle.map((g) => [g.key, g.label, g.audits])).toEqual([
      ['2026-09', 'September 2026', 1],
      ['2026-10', 'October 2026', 3],
    ])
    // Ben: 1 of 29 lowered is a larger share than Amira's 1 of 30.
    expect(
      result.mostOftenLowered.map((a) => [a.label, a.lowered, a.judgements, a.loweredShare]),
    ).toEqual([
      ['Ben', 1, 29, 3.4],
      ['Amira', 1, 30, 3.3],
    ])
  })

  it('limits the figures to a range of cycles', async () => {
    const october = await calibrationFor('Maria', { fromCycle: '2026-10' })
    expect(october.totals.audits).toBe(3)
    expect(row(october.byAuditor, 'Amira').judgements.moderated).toBe(15)
    const september = await calibrationFor('Maria', { fromCycle: '2026-09', toCycle: '2026-09' })
    expect(september.byAuditor.map((g) => [g.label, g.audits])).toEqual([['Amira', 1]])
    expect(september.totals.judgements.agreementRate).toBe(100)
    const none = await calibrationFor('Maria', { toCycle: '2026-08' })
    expect(none.totals.audits).toBe(0)
  })

  it('shows another council nothing', async () => {
    for (const who of ['Outsider lead', 'Outsider moderator']) {
      const result = await calibrationFor(who)
      expect(result.totals.audits, who).toBe(0)
      expect(result.byAuditor, who).toEqual([])
    }
  })
})

describe('the demo history', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })

  it('is moderated in the two months before today, with the same figures on every start', async () => {
    await seedDemoData(database.db, { today: new Date('2027-03-01T00:10:00Z') })
    const [lead] = await database.db
      .select({ id: users.id, councilId: users.councilId })
      .from(users)
      .where(eq(users.email, 'lead@demo.test'))
    const result = await getCalibration(database.db, {
      user: { id: lead!.id, councilId: lead!.councilId, roles: ['lead'], active: true },
      filters: {},
    })
    expect(result.byCycle.map((g) => [g.key, g.audits])).toEqual([
      ['2027-01', 14],
      ['2027-02', 5],
    ])
    expect(result.totals.judgements).toMatchObject({ moderated: 259, agreed: 244, lowered: 12 })
    expect(result.totals.overall).toMatchObject({
      moderated: 19,
      agreed: 15,
      lowered: 3,
      raised: 1,
    })
    expect(result.mostOftenLowered.map((a) => a.label)).toEqual(['Amira Khan', 'Ben Taylor'])
    // Four wait in the moderation queue: flagged by their auditor, or there for an extreme grade.
    const waiting = await database.db
      .select({ cycle: audits.cycle, sample: audits.moderationSample })
      .from(audits)
      .where(eq(audits.status, 'submitted'))
    expect(waiting).toHaveLength(4)
    expect(waiting.every((a) => a.cycle === '2027-02' && a.sample !== 'policy')).toBe(true)
  })
})
