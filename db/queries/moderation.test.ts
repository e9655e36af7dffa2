import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkDecision, decisionKeys, FEEDBACK_KEY } from '../../shared/moderation'
import { OVERALL_KEY } from '../../shared/live-document'
import type { Role } from '../../shared/roles'
import type { Template } from '../../shared/templates/schema'
import { checkSubmission } from '../../shared/submission'
import {
  completeAnswers,
  makeCaseFile,
  makeCouncil,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { auditAnswers, auditJudgements, audits, moderationEvents } from '../schema/index'
import { submitAudit, type AuditViewer } from './audits'
import {
  disputeDecision,
  flagForModeration,
  listModerationQueue,
  pickUpAudit,
  recordDecision,
  resolveDispute,
  returnToAuditor,
  setModerationPolicy,
} from './moderation'

let database: TestDatabase
let councilId: string
let caseFile: Awaited<ReturnType<typeof makeCaseFile>>
const people: Record<string, AuditViewer> = {}

async function person(name: string, roles: Role[]): Promise<AuditViewer> {
  const { id } = await makeUser(database.db, { councilId, roles })
  people[name] = { id, councilId, roles, active: true }
  return people[name]
}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  caseFile = await makeCaseFile(database.db, { councilId, teamId: council.teamId })
  await person('auditor', ['auditor'])
  await person('coAuditor', ['auditor'])
  await person('otherAuditor', ['auditor'])
  await person('moderator', ['moderator'])
  await person('secondModerator', ['moderator'])
  // Audits as well as moderates: may never moderate an audit of their own.
  await person('auditingModerator', ['auditor', 'moderator'])
  await person('lead', ['lead'])
  await person('practitioner', ['practitioner'])
  await person('admin', ['admin'])
})

afterAll(async () => {
  await database.drop()
})

function submitted(options: { grade?: 'good' | 'inadequate'; flagReason?: string } = {}) {
  return makeSubmittedAudit(database.db, {
    councilId,
    caseFile,
    leadAuditorId: people.auditor!.id,
    coAuditorIds: [people.coAuditor!.id, people.auditingModerator!.id],
    ...options,
  })
}

async function statusOf(auditId: string) {
  const [row] = await database.db
    .select({ status: audits.status, sample: audits.moderationSample })
    .from(audits)
    .where(eq(audits.id, auditId))
  return row
}

async function eventsOf(auditId: string) {
  const rows = await database.db
    .select({ kind: moderationEvents.kind, actorId: moderationEvents.actorId })
    .from(moderationEvents)
    .where(eq(moderationEvents.auditId, auditId))
    .orderBy(moderationEvents.at)
  return rows.map((row) => row.kind)
}

/** The moderator lowers the overall grade and one measure's evidence, and agrees the rest. */
function lowering(template: Template) {
  const decisions: Record<string, unknown> = { [FEEDBACK_KEY]: 'Good analysis; plans not SMART.' }
  const auditorValues: Record<string, string> = {}
  const measureKey = template.sections
    .flatMap((s) => s.questions.map((q) => ({ key: `${s.id}.${q.id}`, q })))
    .find(({ q }) => q.measure !== undefined)?.key
  for (const section of template.sections) {
    for (const question of section.questions) {
      const key = `${section.id}.${question.id}`
      if (question.type === 'grade') auditorValues[key] = 'good'
      if (question.type === 'evidence') auditorValues[key] = 'consistently'
      if (question.type === 'grade' || question.type === 'evidence')
        decisions[decisionKeys(key).outcome] = 'agree'
    }
  }
  auditorValues[OVERALL_KEY] = 'good'
  Object.assign(decisions, {
    [decisionKeys(OVERALL_KEY).outcome]: 'change',
    [decisionKeys(OVERALL_KEY).value]: 'requires-improvement',
    [decisionKeys(OVERALL_KEY).rationale]: 'Plans lack timescales.',
  })
  if (measureKey) {
    Object.assign(decisions, {
      [decisionKeys(measureKey).outcome]: 'change',
      [decisionKeys(measureKey).value]: 'partly',
      [decisionKeys(measureKey).rationale]: 'The child is not seen alone.',
    })
  }
  const check = checkDecision(template, auditorValues, decisions)
  if (!check.ok) throw new Error(check.problems[0]?.message)
  return check.decision
}

describe('entering the queue', () => {
  it('samples by the policy, always takes extreme grades and flagged audits, and records why', async () => {
    await setModerationPolicy(database.db, {
      councilId,
      templateCode: 'lived-experience',
      percent: 0,
      userId: people.lead!.id,
    })
    const left = await submitted()
    const inadequate = await submitted({ grade: 'inadequate' })
    const flagged = await submitted({ flagReason: 'I was unsure about the grade' })
    expect((await statusOf(left.auditId))?.sample).toBe('not-sampled')
    expect((await statusOf(inadequate.auditId))?.sample).toBe('extreme-grade')
    expect((await statusOf(flagged.auditId))?.sample).toBe('flagged')
    expect(await eventsOf(left.auditId)).toEqual(['not-sampled'])
    expect(await eventsOf(flagged.auditId)).toEqual(['flagged', 'queued'])

    const queue = await listModerationQueue(database.db, { user: people.moderator!, filters: {} })
    const ids = queue.map((row) => row.id)
    expect(ids).toContain(inadequate.auditId)
    expect(ids).toContain(flagged.auditId)
    expect(ids).not.toContain(left.auditId)
    // A moderator who took part in these audits never sees them in the queue.
    const own = await listModerationQueue(database.db, {
      user: people.auditingModerator!,
      filters: {},
    })
    expect(own.map((row) => row.id)).not.toContain(inadequate.auditId)

    // Only a lead can put a left-out audit in the queue.
    expect(
      await flagForModeration(database.db, {
        user: people.moderator!,
        auditId: left.auditId,
        reason: 'x',
      }),
    ).toEqual({ ok: false, reason: 'not-allowed' })
    expect(
      await flagForModeration(database.db, {
        user: people.lead!,
        auditId: left.auditId,
        reason: 'Complex case',
      }),
    ).toEqual({ ok: true })
    expect((await statusOf(left.auditId))?.sample).toBe('flagged')
    await setModerationPolicy(database.db, {
      councilId,
      templateCode: 'lived-experience',
      percent: 100,
      userId: people.lead!.id,
    })
  })

  it('filters the queue by cycle, template and auditor', async () => {
    const { auditId } = await submitted()
    const filtered = (filters: Parameters<typeof listModerationQueue>[1]['filters']) =>
      listModerationQueue(database.db, { user: people.moderator!, filters }).then((rows) =>
        rows.map((row) => row.id),
      )
    expect(await filtered({ cycle: '2026-11' })).toContain(auditId)
    expect(await filtered({ cycle: '2026-10' })).not.toContain(auditId)
    expect(await filtered({ templateCode: 'supervision' })).not.toContain(auditId)
    expect(await filtered({ auditorId: people.auditor!.id })).toContain(auditId)
    expect(await filtered({ auditorId: people.otherAuditor!.id })).not.toContain(auditId)
  })
})

describe('moderating', () => {
  it('lets only a moderator who took no part pick an audit up, once', async () => {
    const { auditId } = await submitted()
    for (const who of ['auditor', 'lead', 'practitioner', 'admin'] as const) {
      const result = await pickUpAudit(database.db, { user: people[who]!, auditId })
      expect(result.ok, who).toBe(false)
    }
    expect(await pickUpAudit(database.db, { user: people.auditingModerator!, auditId })).toEqual({
      ok: false,
      reason: 'took-part',
    })
    expect(await pickUpAudit(database.db, { user: people.moderator!, auditId })).toEqual({
      ok: true,
    })
    expect(await pickUpAudit(database.db, { user: people.secondModerator!, auditId })).toEqual({
      ok: false,
      reason: 'wrong-state',
    })
    expect((await statusOf(auditId))?.status).toBe('in-moderation')
  })

  it('returns an audit to its auditor with reasons; resubmitted, it is back in the queue', async () => {
    const { auditId, template } = await submitted()
    await pickUpAudit(database.db, { user: people.moderator!, auditId })
    for (const who of ['secondModerator', 'auditor', 'lead'] as const) {
      const result = await returnToAuditor(database.db, {
        user: people[who]!,
        auditId,
        reason: 'x',
      })
      expect(result.ok, who).toBe(false)
    }
    expect(
      await returnToAuditor(database.db, {
        user: people.moderator!,
        auditId,
        reason: 'The chronology is missing',
      }),
    ).toEqual({ ok: true })
    expect((await statusOf(auditId))?.status).toBe('in-progress')
    // The auditor submits again.
    const check = checkSubmission(template, completeAnswers(template))
    if (!check.ok) throw new Error('incomplete')
    await submitAudit(database.db, {
      councilId,
      auditId,
      submittedBy: people.auditor!.id,
      ...check.submission,
    })
    expect(await statusOf(auditId)).toEqual({ status: 'submitted', sample: 'policy' })
    expect(await eventsOf(auditId)).toEqual(['queued', 'picked-up', 'returned', 'queued'])
  })

  it('records a decision beside the auditor’s values, and only the moderator who picked it up may', async () => {
    const { auditId, template } = await submitted()
    await pickUpAudit(database.db, { user: people.moderator!, auditId })
    const decision = lowering(template)
    for (const who of ['secondModerator', 'auditor', 'lead', 'admin'] as const) {
      const result = await recordDecision(database.db, { user: people[who]!, auditId, decision })
      expect(result.ok, who).toBe(false)
    }
    expect(
      await recordDecision(database.db, { user: people.moderator!, auditId, decision }),
    ).toEqual({ ok: true })
    const [audit] = await database.db
      .select({
        status: audits.status,
        auditorGrade: audits.auditorGrade,
        moderatedGrade: audits.moderatedGrade,
        feedback: audits.moderationFeedback,
        moderatedBy: audits.moderatedBy,
      })
      .from(audits)
      .where(eq(audits.id, auditId))
    expect(audit).toEqual({
      status: 'moderated',
      auditorGrade: 'good',
      moderatedGrade: 'requires-improvement',
      feedback: 'Good analysis; plans not SMART.',
      moderatedBy: people.moderator!.id,
    })
    const [overall] = await database.db
      .select()
      .from(auditAnswers)
      .where(and(eq(auditAnswers.auditId, auditId), eq(auditAnswers.questionKey, OVERALL_KEY)))
    expect(overall).toMatchObject({
      auditorValue: 'good',
      moderatedValue: 'requires-improvement',
      moderationOutcome: 'changed',
      moderationRationale: 'Plans lack timescales.',
      moderatedBy: people.moderator!.id,
    })
    const judgements = await database.db
      .select()
      .from(auditJudgements)
      .where(eq(auditJudgements.auditId, auditId))
    expect(judgements).toContainEqual(
      expect.objectContaining({ auditorValue: 'consistently', moderatedValue: 'partly' }),
    )
    expect(await eventsOf(auditId)).toEqual(['queued', 'picked-up', 'decided'])
  })
})

describe('disputes', () => {
  it('lets an auditor of the audit dispute once, and a lead resolve it finally', async () => {
    const { auditId, template } = await submitted()
    await pickUpAudit(database.db, { user: people.moderator!, auditId })
    await recordDecision(database.db, {
      user: people.moderator!,
      auditId,
      decision: lowering(template),
    })
    for (const who of ['otherAuditor', 'moderator', 'lead', 'practitioner'] as const) {
      const result = await disputeDecision(database.db, {
        user: people[who]!,
        auditId,
        reason: 'x',
      })
      expect(result.ok, who).toBe(false)
    }
    expect(
      await disputeDecision(database.db, {
        user: people.coAuditor!,
        auditId,
        reason: 'Timescales are in the plan',
      }),
    ).toEqual({ ok: true })
    expect(
      await disputeDecision(database.db, { user: people.auditor!, auditId, reason: 'Again' }),
    ).toEqual({ ok: false, reason: 'already-disputed' })
    for (const who of ['moderator', 'auditor', 'admin'] as const) {
      const result = await resolveDispute(database.db, {
        user: people[who]!,
        auditId,
        outcome: 'overturned',
        resolution: 'x',
      })
      expect(result.ok, who).toBe(false)
    }
    expect(
      await resolveDispute(database.db, {
        user: people.lead!,
        auditId,
        outcome: 'overturned',
        resolution: 'The plan does have timescales (page 4).',
      }),
    ).toEqual({ ok: true })
    // Final: a second resolution is refused.
    expect(
      await resolveDispute(database.db, {
        user: people.lead!,
        auditId,
        outcome: 'upheld',
        resolution: 'Changed my mind',
      }),
    ).toEqual({ ok: false, reason: 'wrong-state' })
    const [audit] = await database.db
      .select({ moderatedGrade: audits.moderatedGrade, auditorGrade: audits.auditorGrade })
      .from(audits)
      .where(eq(audits.id, auditId))
    // Overturned: the auditor's grade is final again; the moderator's change stays on record.
    expect(audit).toEqual({ moderatedGrade: null, auditorGrade: 'good' })
    const [overall] = await database.db
      .select()
      .from(auditAnswers)
      .where(and(eq(auditAnswers.auditId, auditId), eq(auditAnswers.questionKey, OVERALL_KEY)))
    expect(overall).toMatchObject({
      moderationOutcome: 'overturned',
      moderatedValue: 'requires-improvement',
    })
    expect(await eventsOf(auditId)).toEqual([
      'queued',
      'picked-up',
      'decided',
      'disputed',
      'resolved',
    ])
  })
})
