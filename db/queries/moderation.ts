import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import {
  DEFAULT_SAMPLE_PERCENT,
  sampleForModeration,
  type Decision,
  type SampleReason,
} from '../../shared/moderation'
import { can } from '../../shared/permissions'
import type { Queryable } from '../client'
import {
  auditAnswers,
  auditAssignments,
  auditJudgements,
  audits,
  caseFiles,
  moderationDisputes,
  moderationEvents,
  moderationPolicies,
  services,
  teams,
  templateVersions,
  users,
} from '../schema/index'
import { auditSummaryColumns, auditVisibleTo, type AuditViewer } from './audits'

type ModerationEventKind = (typeof moderationEvents.$inferInsert)['kind']

/** Each template's moderation share for a council: 100% unless a lead has set it lower. */
export async function getModerationPolicies(
  db: Queryable,
  params: { councilId: string },
): Promise<Record<string, number>> {
  const rows = await db
    .select({ code: moderationPolicies.templateCode, percent: moderationPolicies.samplePercent })
    .from(moderationPolicies)
    .where(eq(moderationPolicies.councilId, params.councilId))
  return Object.fromEntries(rows.map((row) => [row.code, row.percent]))
}

export async function setModerationPolicy(
  db: Queryable,
  params: { councilId: string; templateCode: string; percent: number; userId: string },
): Promise<void> {
  await db
    .insert(moderationPolicies)
    .values({
      councilId: params.councilId,
      templateCode: params.templateCode,
      samplePercent: params.percent,
      updatedBy: params.userId,
    })
    .onConflictDoUpdate({
      target: [moderationPolicies.councilId, moderationPolicies.templateCode],
      set: { samplePercent: params.percent, updatedBy: params.userId, updatedAt: sql`now()` },
    })
}

async function recordEvent(
  tx: Queryable,
  params: { auditId: string; kind: ModerationEventKind; actorId: string | null; note?: string },
): Promise<void> {
  await tx.insert(moderationEvents).values({
    auditId: params.auditId,
    kind: params.kind,
    actorId: params.actorId,
    note: params.note ?? null,
  })
}

/**
 * At submission (inside its transaction): the sampling policy decides whether the audit enters the
 * moderation queue, and the decision is recorded with its reason.
 */
export async function enterModeration(
  tx: Queryable,
  params: {
    councilId: string
    auditId: string
    userId: string
    templateCode: string
    grade: string
    flagReason?: string
    returnedFrom: string | null
  },
): Promise<SampleReason> {
  const policies = await getModerationPolicies(tx, { councilId: params.councilId })
  const sampled: SampleReason =
    params.returnedFrom && params.returnedFrom !== 'not-sampled'
      ? (params.returnedFrom as SampleReason)
      : sampleForModeration({
          auditId: params.auditId,
          percent: policies[params.templateCode] ?? DEFAULT_SAMPLE_PERCENT,
          grade: params.grade,
          flagged: params.flagReason !== undefined,
        })
  await tx
    .update(audits)
    .set({
      moderationSample: sampled,
      ...(params.flagReason !== undefined
        ? { flaggedBy: params.userId, flaggedReason: params.flagReason }
        : {}),
    })
    .where(eq(audits.id, params.auditId))
  if (params.flagReason !== undefined) {
    await recordEvent(tx, {
      auditId: params.auditId,
      kind: 'flagged',
      actorId: params.userId,
      note: params.flagReason,
    })
  }
  await recordEvent(tx, {
    auditId: params.auditId,
    kind: sampled === 'not-sampled' ? 'not-sampled' : 'queued',
    actorId: null,
    note: sampled,
  })
  return sampled
}

/** Whether the user worked on the audit (any assignment): such a moderator never moderates it. */
function tookPart(userId: string) {
  return sql`exists (select 1 from ${auditAssignments} where ${auditAssignments.auditId} = ${audits.id} and ${auditAssignments.userId} = ${userId})`
}

export type QueueFilters = {
  cycle?: string
  teamId?: string
  templateCode?: string
  auditorId?: string
}

/**
 * The moderation queue: submitted audits the sample chose, oldest submission first, leaving out
 * those the moderator took part in; and the audits already being moderated.
 */
export async function listModerationQueue(
  db: Queryable,
  params: { user: AuditViewer; filters: QueueFilters },
) {
  const { user, filters } = params
  const conditions = [
    auditVisibleTo(user),
    inArray(audits.status, ['submitted', 'in-moderation']),
    or(isNull(audits.moderationSample), ne(audits.moderationSample, 'not-sampled')),
    sql`not ${tookPart(user.id)}`,
    filters.cycle ? eq(audits.cycle, filters.cycle) : undefined,
    filters.teamId ? eq(audits.teamId, filters.teamId) : undefined,
    filters.templateCode ? eq(templateVersions.code, filters.templateCode) : undefined,
    filters.auditorId
      ? sql`exists (select 1 from audit_assignments lead where lead.audit_id = ${audits.id} and lead.role = 'lead' and lead.user_id = ${filters.auditorId})`
      : undefined,
  ]
  const moderator = alias(users, 'moderator')
  return db
    .select({
      ...auditSummaryColumns,
      submittedAt: audits.submittedAt,
      moderationSample: audits.moderationSample,
      moderatorId: audits.moderatorId,
      moderator: moderator.name,
    })
    .from(audits)
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(services, eq(services.id, audits.serviceId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .leftJoin(moderator, eq(moderator.id, audits.moderatorId))
    .where(and(...conditions))
    .orderBy(asc(audits.submittedAt), asc(caseFiles.caseRef))
}

/** Who could be filtered by in the queue: the lead auditors of audits waiting. */
export async function listQueueAuditors(db: Queryable, params: { user: AuditViewer }) {
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(audits)
    .innerJoin(
      auditAssignments,
      and(eq(auditAssignments.auditId, audits.id), eq(auditAssignments.role, 'lead')),
    )
    .innerJoin(users, eq(users.id, auditAssignments.userId))
    .where(and(auditVisibleTo(params.user), inArray(audits.status, ['submitted', 'in-moderation'])))
    .orderBy(asc(users.name))
}

export type ModerationFailure =
  'not-found' | 'not-allowed' | 'took-part' | 'wrong-state' | 'already-disputed'

type Result = { ok: true } | { ok: false; reason: ModerationFailure }

/** The audit, locked, if this user may see it; with whether they took part in it. */
async function lockAudit(tx: Queryable, user: AuditViewer, auditId: string) {
  const [row] = await tx
    .select({
      id: audits.id,
      status: audits.status,
      moderatorId: audits.moderatorId,
      moderationSample: audits.moderationSample,
      tookPart: sql<boolean>`${tookPart(user.id)}`,
    })
    .from(audits)
    .where(and(eq(audits.id, auditId), auditVisibleTo(user)))
    .for('update')
  return row
}

/** A moderator picks up a submitted audit they took no part in: it is now in moderation. */
export async function pickUpAudit(
  db: Queryable,
  params: { user: AuditViewer; auditId: string },
): Promise<Result> {
  if (!can(params.user, 'moderate:audit:any')) return { ok: false, reason: 'not-allowed' }
  return db.transaction(async (tx) => {
    const audit = await lockAudit(tx, params.user, params.auditId)
    if (!audit) return { ok: false, reason: 'not-found' }
    if (audit.tookPart) return { ok: false, reason: 'took-part' }
    if (audit.status !== 'submitted') return { ok: false, reason: 'wrong-state' }
    await tx
      .update(audits)
      .set({
        status: 'in-moderation',
        moderatorId: params.user.id,
        // A lead or auditor may have flagged an audit the sample left out: it is in the queue now.
        moderationSample:
          audit.moderationSample === 'not-sampled' ? 'flagged' : audit.moderationSample,
        updatedAt: sql`now()`,
      })
      .where(eq(audits.id, audit.id))
    await recordEvent(tx, { auditId: audit.id, kind: 'picked-up', actorId: params.user.id })
    return { ok: true }
  })
}

/** A lead puts an audit the sample left out into the moderation queue. */
export async function flagForModeration(
  db: Queryable,
  params: { user: AuditViewer; auditId: string; reason: string },
): Promise<Result> {
  if (!can(params.user, 'plan:programme:any')) return { ok: false, reason: 'not-allowed' }
  return db.transaction(async (tx) => {
    const audit = await lockAudit(tx, params.user, params.auditId)
    if (!audit) return { ok: false, reason: 'not-found' }
    if (audit.status !== 'submitted' || audit.moderationSample !== 'not-sampled') {
      return { ok: false, reason: 'wrong-state' }
    }
    await tx
      .update(audits)
      .set({
        moderationSample: 'flagged',
        flaggedBy: params.user.id,
        flaggedReason: params.reason,
        updatedAt: sql`now()`,
      })
      .where(eq(audits.id, audit.id))
    await recordEvent(tx, {
      auditId: audit.id,
      kind: 'flagged',
      actorId: params.user.id,
      note: params.reason,
    })
    await recordEvent(tx, { auditId: audit.id, kind: 'queued', actorId: null, note: 'flagged' })
    return { ok: true }
  })
}

/** Only the moderator who picked it up, and only while it is in moderation. */
async function lockForModerator(
  tx: Queryable,
  user: AuditViewer,
  auditId: string,
): Promise<ModerationFailure | undefined> {
  if (!can(user, 'moderate:audit:any')) return 'not-allowed'
  const audit = await lockAudit(tx, user, auditId)
  if (!audit) return 'not-found'
  if (audit.tookPart) return 'took-part'
  if (audit.status !== 'in-moderation') return 'wrong-state'
  if (audit.moderatorId !== user.id) return 'not-allowed'
  return undefined
}

/** Back to the auditor with reasons: the audit reopens for editing and leaves the queue until resubmitted. */
export async function returnToAuditor(
  db: Queryable,
  params: { user: AuditViewer; auditId: string; reason: string },
): Promise<Result> {
  return db.transaction(async (tx) => {
    const refused = await lockForModerator(tx, params.user, params.auditId)
    if (refused) return { ok: false, reason: refused }
    await tx
      .update(audits)
      .set({ status: 'in-progress', moderatorId: null, updatedAt: sql`now()` })
      .where(eq(audits.id, params.auditId))
    await recordEvent(tx, {
      auditId: params.auditId,
      kind: 'returned',
      actorId: params.user.id,
      note: params.reason,
    })
    return { ok: true }
  })
}

/**
 * The moderator's decision, in one transaction: each judgement's outcome beside the auditor's
 * value (never over it), the measures and overall grade KPIs read, the feedback, and the new status.
 */
export async function recordDecision(
  db: Queryable,
  params: { user: AuditViewer; auditId: string; decision: Decision },
): Promise<Result> {
  const { decision } = params
  return db.transaction(async (tx) => {
    const refused = await lockForModerator(tx, params.user, params.auditId)
    if (refused) return { ok: false, reason: refused }
    for (const answer of decision.answers) {
      const updated = await tx
        .update(auditAnswers)
        .set({
          moderationOutcome: answer.outcome,
          moderatedValue: answer.value,
          moderationRationale: answer.rationale,
          moderatedBy: params.user.id,
          moderatedAt: sql`now()`,
        })
        .where(
          and(
            eq(auditAnswers.auditId, params.auditId),
            eq(auditAnswers.questionKey, answer.questionKey),
          ),
        )
        .returning({ key: auditAnswers.questionKey })
      // Every decision is about an answer the audit has: anything else is a bug, and undoes it all.
      if (updated.length !== 1) throw new Error(`no answer ${answer.questionKey} to moderate`)
    }
    for (const judgement of decision.judgements) {
      await tx
        .update(auditJudgements)
        .set({ moderatedValue: judgement.value })
        .where(
          and(
            eq(auditJudgements.auditId, params.auditId),
            eq(auditJudgements.measure, judgement.measure),
          ),
        )
    }
    await tx
      .update(audits)
      .set({
        status: 'moderated',
        moderatedGrade: decision.overallGrade,
        moderatedBy: params.user.id,
        moderatedAt: sql`now()`,
        moderationFeedback: decision.feedback === '' ? null : decision.feedback,
        updatedAt: sql`now()`,
      })
      .where(eq(audits.id, params.auditId))
    const changed = decision.answers.filter((a) => a.outcome === 'changed').length
    await recordEvent(tx, {
      auditId: params.auditId,
      kind: 'decided',
      actorId: params.user.id,
      note: `${decision.answers.length - changed} agreed, ${changed} changed`,
    })
    return { ok: true }
  })
}

/** An auditor of the audit disputes its moderation once, with a reason; a lead resolves it. */
export async function disputeDecision(
  db: Queryable,
  params: { user: AuditViewer; auditId: string; reason: string },
): Promise<Result> {
  return db.transaction(async (tx) => {
    const audit = await lockAudit(tx, params.user, params.auditId)
    if (!audit) return { ok: false, reason: 'not-found' }
    if (!audit.tookPart || !can(params.user, 'edit:audit:assigned')) {
      return { ok: false, reason: 'not-allowed' }
    }
    if (audit.status !== 'moderated') return { ok: false, reason: 'wrong-state' }
    const inserted = await tx
      .insert(moderationDisputes)
      .values({ auditId: audit.id, raisedBy: params.user.id, reason: params.reason })
      .onConflictDoNothing()
      .returning({ auditId: moderationDisputes.auditId })
    if (inserted.length === 0) return { ok: false, reason: 'already-disputed' }
    await recordEvent(tx, {
      auditId: audit.id,
      kind: 'disputed',
      actorId: params.user.id,
      note: params.reason,
    })
    return { ok: true }
  })
}

/**
 * A lead's final word on a dispute: upheld keeps the moderator's values; overturned restores the
 * auditor's as the final values (the moderator's stay on record beside them).
 */
export async function resolveDispute(
  db: Queryable,
  params: {
    user: AuditViewer
    auditId: string
    outcome: 'upheld' | 'overturned'
    resolution: string
  },
): Promise<Result> {
  if (!can(params.user, 'resolve:dispute:any')) return { ok: false, reason: 'not-allowed' }
  return db.transaction(async (tx) => {
    const audit = await lockAudit(tx, params.user, params.auditId)
    if (!audit) return { ok: false, reason: 'not-found' }
    const resolved = await tx
      .update(moderationDisputes)
      .set({
        resolvedBy: params.user.id,
        outcome: params.outcome,
        resolution: params.resolution,
        resolvedAt: sql`now()`,
      })
      .where(and(eq(moderationDisputes.auditId, audit.id), isNull(moderationDisputes.outcome)))
      .returning({ auditId: moderationDisputes.auditId })
    if (resolved.length === 0) return { ok: false, reason: 'wrong-state' }
    if (params.outcome === 'overturned') {
      await tx
        .update(audits)
        .set({ moderatedGrade: null, updatedAt: sql`now()` })
        .where(eq(audits.id, audit.id))
      await tx
        .update(auditJudgements)
        .set({ moderatedValue: null })
        .where(eq(auditJudgements.auditId, audit.id))
      // The moderator's values stay on record beside the auditor's; the outcome says they were
      // overturned, and the KPIs (which read the grade and the judgements above) no longer use them.
      await tx
        .update(auditAnswers)
        .set({ moderationOutcome: 'overturned' })
        .where(
          and(eq(auditAnswers.auditId, audit.id), eq(auditAnswers.moderationOutcome, 'changed')),
        )
    }
    await recordEvent(tx, {
      auditId: audit.id,
      kind: 'resolved',
      actorId: params.user.id,
      note: `${params.outcome}: ${params.resolution}`,
    })
    return { ok: true }
  })
}

/** An audit's moderation record: state, feedback, the dispute, and every event with who and when. */
export async function getModerationRecord(db: Queryable, params: { auditId: string }) {
  const moderator = alias(users, 'moderator')
  const [audit] = await db
    .select({
      moderationSample: audits.moderationSample,
      flaggedReason: audits.flaggedReason,
      moderatorId: audits.moderatorId,
      moderator: moderator.name,
      moderatedAt: audits.moderatedAt,
      feedback: audits.moderationFeedback,
      submittedAt: audits.submittedAt,
    })
    .from(audits)
    .leftJoin(
      moderator,
      eq(moderator.id, sql`coalesce(${audits.moderatedBy}, ${audits.moderatorId})`),
    )
    .where(eq(audits.id, params.auditId))
  const raisedBy = alias(users, 'raised_by')
  const resolvedBy = alias(users, 'resolved_by')
  const [dispute] = await db
    .select({
      reason: moderationDisputes.reason,
      raisedBy: raisedBy.name,
      raisedAt: moderationDisputes.raisedAt,
      outcome: moderationDisputes.outcome,
      resolution: moderationDisputes.resolution,
      resolvedBy: resolvedBy.name,
      resolvedAt: moderationDisputes.resolvedAt,
    })
    .from(moderationDisputes)
    .innerJoin(raisedBy, eq(raisedBy.id, moderationDisputes.raisedBy))
    .leftJoin(resolvedBy, eq(resolvedBy.id, moderationDisputes.resolvedBy))
    .where(eq(moderationDisputes.auditId, params.auditId))
  const events = await db
    .select({
      kind: moderationEvents.kind,
      note: moderationEvents.note,
      at: moderationEvents.at,
      actor: users.name,
    })
    .from(moderationEvents)
    .leftJoin(users, eq(users.id, moderationEvents.actorId))
    .where(eq(moderationEvents.auditId, params.auditId))
    .orderBy(desc(moderationEvents.at))
  return audit ? { ...audit, dispute, events } : undefined
}

/** Disputes waiting for a lead, oldest first. */
export async function listOpenDisputes(db: Queryable, params: { user: AuditViewer }) {
  return db
    .select({
      auditId: moderationDisputes.auditId,
      reason: moderationDisputes.reason,
      raisedAt: moderationDisputes.raisedAt,
      raisedBy: users.name,
      caseRef: caseFiles.caseRef,
      cycle: audits.cycle,
    })
    .from(moderationDisputes)
    .innerJoin(audits, eq(audits.id, moderationDisputes.auditId))
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(users, eq(users.id, moderationDisputes.raisedBy))
    .where(and(isNull(moderationDisputes.outcome), auditVisibleTo(params.user)))
    .orderBy(asc(moderationDisputes.raisedAt))
}
