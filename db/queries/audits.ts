import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import { can, type Actor } from '../../shared/permissions'
import { OVERALL_KEY } from '../../shared/live-document'
import { enterModeration } from './moderation'
import { storeAuditThemes, type ExcerptTag } from './learning'
import type { Queryable } from '../client'
import {
  auditAnswers,
  auditAssignments,
  auditJudgements,
  audits,
  caseFiles,
  services,
  teams,
  templateVersions,
  users,
} from '../schema/index'

export type AuditViewer = Actor & { id: string; councilId: string }

/**
 * Which audits a user may see, as a `where` clause: leads see their council's; moderators what is in
 * moderation; auditors (partner agencies included) their assignments; practitioners their own cases
 * once submitted. Always within the user's council. The permission function decides the branches.
 */
export function auditVisibleTo(user: AuditViewer): SQL {
  const branches: SQL[] = []
  if (can(user, 'read:audit:any')) branches.push(sql`true`)
  if (can(user, 'read:audit:moderating'))
    branches.push(inArray(audits.status, [...COMPLETED_STATUSES]))
  if (can(user, 'read:audit:assigned')) {
    branches.push(
      sql`exists (select 1 from ${auditAssignments} where ${auditAssignments.auditId} = ${audits.id} and ${auditAssignments.userId} = ${user.id})`,
    )
  }
  if (can(user, 'read:audit:own-case')) {
    const ownCase = sql`exists (select 1 from ${caseFiles} where ${caseFiles.id} = ${audits.caseFileId} and ${caseFiles.workerId} = ${user.id})`
    branches.push(and(inArray(audits.status, [...COMPLETED_STATUSES]), ownCase) ?? sql`false`)
  }
  return and(eq(audits.councilId, user.councilId), or(...branches) ?? sql`false`) ?? sql`false`
}

export type PlannedAudit = {
  caseFileId: string
  teamId: string
  serviceId: string
  leadAuditorId: string
  coAuditorIds: string[]
  agencyAuditors: { agencyCode: string; userId: string }[]
}

/** Creates a cycle's audits and their assignments in one transaction. */
export async function planAudits(
  db: Queryable,
  params: {
    councilId: string
    cycle: string
    templateVersionId: string
    dueDate: string
    audits: PlannedAudit[]
  },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (params.audits.length === 0) return []
    const created = await tx
      .insert(audits)
      .values(
        params.audits.map((audit) => ({
          councilId: params.councilId,
          cycle: params.cycle,
          templateVersionId: params.templateVersionId,
          caseFileId: audit.caseFileId,
          teamId: audit.teamId,
          serviceId: audit.serviceId,
          dueDate: params.dueDate,
        })),
      )
      .returning({ id: audits.id, caseFileId: audits.caseFileId })
    // A plan holds each case once; match by case, as RETURNING does not promise input order.
    const idByCase = new Map(created.map((row) => [row.caseFileId, row.id]))
    const assignments = params.audits.flatMap((audit) => {
      const auditId = idByCase.get(audit.caseFileId) ?? ''
      return [
        { auditId, userId: audit.leadAuditorId, role: 'lead', agencyCode: null },
        ...audit.coAuditorIds.map((userId) => ({
          auditId,
          userId,
          role: 'co-auditor',
          agencyCode: null,
        })),
        ...audit.agencyAuditors.map((a) => ({
          auditId,
          userId: a.userId,
          role: 'agency',
          agencyCode: a.agencyCode,
        })),
      ]
    })
    await tx.insert(auditAssignments).values(assignments)
    return created.map((row) => row.id)
  })
}

export const auditSummaryColumns = {
  id: audits.id,
  caseFileId: audits.caseFileId,
  cycle: audits.cycle,
  status: audits.status,
  dueDate: audits.dueDate,
  caseRef: caseFiles.caseRef,
  teamId: audits.teamId,
  team: teams.name,
  service: services.label,
  templateVersionId: audits.templateVersionId,
  templateCode: templateVersions.code,
  templateTitle: templateVersions.title,
  templateVersion: templateVersions.version,
  leadAuditor: sql<string | null>`(
    select ${users.name} from ${auditAssignments} join ${users} on ${users.id} = ${auditAssignments.userId}
    where ${auditAssignments.auditId} = ${audits.id} and ${auditAssignments.role} = 'lead')`,
}

export function auditSummaries(db: Queryable) {
  return db
    .select(auditSummaryColumns)
    .from(audits)
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(services, eq(services.id, audits.serviceId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
}

/** An auditor's own assignments, with their part in each. */
export async function listAssignedAudits(db: Queryable, params: { user: AuditViewer }) {
  return db
    .select({
      ...auditSummaryColumns,
      myRole: auditAssignments.role,
      myAgency: auditAssignments.agencyCode,
    })
    .from(audits)
    .innerJoin(
      auditAssignments,
      and(eq(auditAssignments.auditId, audits.id), eq(auditAssignments.userId, params.user.id)),
    )
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(services, eq(services.id, audits.serviceId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .where(eq(audits.councilId, params.user.councilId))
    .orderBy(asc(audits.dueDate), asc(caseFiles.caseRef))
}

export async function listCycleAudits(db: Queryable, params: { user: AuditViewer; cycle: string }) {
  return auditSummaries(db)
    .where(and(auditVisibleTo(params.user), eq(audits.cycle, params.cycle)))
    .orderBy(asc(teams.name), asc(caseFiles.caseRef))
}

/** Each cycle with its audits counted by status, newest cycle first. */
export async function listCycles(db: Queryable, params: { user: AuditViewer }) {
  return db
    .select({
      cycle: audits.cycle,
      total: sql<number>`count(*) filter (where ${audits.status} <> 'cancelled')`.mapWith(Number),
      completed:
        sql<number>`count(*) filter (where ${inArray(audits.status, [...COMPLETED_STATUSES])})`.mapWith(
          Number,
        ),
      cancelled: sql<number>`count(*) filter (where ${audits.status} = 'cancelled')`.mapWith(
        Number,
      ),
    })
    .from(audits)
    .where(auditVisibleTo(params.user))
    .groupBy(audits.cycle)
    .orderBy(sql`${audits.cycle} desc`)
}

export async function getAudit(db: Queryable, params: { user: AuditViewer; auditId: string }) {
  const [audit] = await auditSummaries(db).where(
    and(eq(audits.id, params.auditId), auditVisibleTo(params.user)),
  )
  if (!audit) return undefined
  const assignments = await db
    .select({
      userId: auditAssignments.userId,
      name: users.name,
      role: auditAssignments.role,
      agencyCode: auditAssignments.agencyCode,
    })
    .from(auditAssignments)
    .innerJoin(users, eq(users.id, auditAssignments.userId))
    .where(eq(auditAssignments.auditId, audit.id))
    .orderBy(asc(auditAssignments.role), asc(users.name))
  const [extra] = await db
    .select({
      cancelledReason: audits.cancelledReason,
      auditorGrade: audits.auditorGrade,
      moderatedGrade: audits.moderatedGrade,
      moderatorId: audits.moderatorId,
      moderationSample: audits.moderationSample,
    })
    .from(audits)
    .where(eq(audits.id, audit.id))
  return { ...audit, ...extra, assignments }
}

/** Cancels an audit that is not yet submitted; cancelled audits leave every KPI. */
export async function cancelAudit(
  db: Queryable,
  params: { councilId: string; auditId: string; reason: string },
): Promise<boolean> {
  const rows = await db
    .update(audits)
    .set({ status: 'cancelled', cancelledReason: params.reason, updatedAt: sql`now()` })
    .where(
      and(
        eq(audits.id, params.auditId),
        eq(audits.councilId, params.councilId),
        inArray(audits.status, ['scheduled', 'in-progress']),
      ),
    )
    .returning({ id: audits.id })
  return rows.length > 0
}

/** Gives the lead auditor's part to someone else; the previous lead is no longer assigned. */
export async function reassignLeadAuditor(
  db: Queryable,
  params: { councilId: string; auditId: string; userId: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [audit] = await tx
      .select({ id: audits.id })
      .from(audits)
      .where(
        and(
          eq(audits.id, params.auditId),
          eq(audits.councilId, params.councilId),
          inArray(audits.status, ['scheduled', 'in-progress']),
        ),
      )
      .for('update')
    if (!audit) return false
    await tx
      .delete(auditAssignments)
      .where(
        and(
          eq(auditAssignments.auditId, audit.id),
          or(eq(auditAssignments.role, 'lead'), eq(auditAssignments.userId, params.userId)),
        ),
      )
    await tx
      .insert(auditAssignments)
      .values({ auditId: audit.id, userId: params.userId, role: 'lead' })
    return true
  })
}

/**
 * Records a submitted audit in one transaction: its answers as rows, the measures' judgements, the
 * overall grade and the new status. Only an open audit can be submitted; returns false otherwise.
 */
export async function submitAudit(
  db: Queryable,
  params: {
    councilId: string
    auditId: string
    submittedBy: string
    answers: { questionKey: string; questionType: string; value: string | null }[]
    overallGrade: string
    judgements: { measure: string; value: string }[]
    /** The excerpts' themes, as the auditors tagged them. */
    themes?: readonly ExcerptTag[]
    /** The auditor asks for this audit to be moderated, whatever the sample says. */
    flagReason?: string
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        moderationSample: audits.moderationSample,
        moderatorId: audits.moderatorId,
        templateCode: templateVersions.code,
      })
      .from(audits)
      .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
      .where(and(eq(audits.id, params.auditId), eq(audits.councilId, params.councilId)))
      .for('update', { of: audits })
    const updated = await tx
      .update(audits)
      .set({
        status: 'submitted',
        auditorGrade: params.overallGrade,
        submittedAt: sql`now()`,
        submittedBy: params.submittedBy,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(audits.id, params.auditId),
          eq(audits.councilId, params.councilId),
          inArray(audits.status, ['scheduled', 'in-progress']),
        ),
      )
      .returning({ id: audits.id })
    if (updated.length === 0 || !before) return false
    await enterModeration(tx, {
      councilId: params.councilId,
      auditId: params.auditId,
      userId: params.submittedBy,
      templateCode: before.templateCode,
      grade: params.overallGrade,
      flagReason: params.flagReason,
      // An audit returned by its moderator goes back to the queue it came from.
      returnedFrom: before.moderationSample,
    })
    await tx.delete(auditAnswers).where(eq(auditAnswers.auditId, params.auditId))
    await tx.insert(auditAnswers).values([
      ...params.answers.map((a) => ({
        auditId: params.auditId,
        questionKey: a.questionKey,
        questionType: a.questionType,
        auditorValue: a.value,
      })),
      // The overall grade is an answer too: moderation records its outcome beside the others.
      {
        auditId: params.auditId,
        questionKey: OVERALL_KEY,
        questionType: 'grade',
        auditorValue: params.overallGrade,
      },
    ])
    await tx.delete(auditJudgements).where(eq(auditJudgements.auditId, params.auditId))
    if (params.judgements.length > 0) {
      await tx.insert(auditJudgements).values(
        params.judgements.map((j) => ({
          auditId: params.auditId,
          measure: j.measure,
          auditorValue: j.value,
        })),
      )
    }
    await storeAuditThemes(tx, {
      councilId: params.councilId,
      auditId: params.auditId,
      taggedBy: params.submittedBy,
      tags: params.themes ?? [],
    })
    return true
  })
}

export async function listAuditAnswers(db: Queryable, params: { auditId: string }) {
  return db
    .select({
      questionKey: auditAnswers.questionKey,
      auditorValue: auditAnswers.auditorValue,
      moderatedValue: auditAnswers.moderatedValue,
      moderationOutcome: auditAnswers.moderationOutcome,
      moderationRationale: auditAnswers.moderationRationale,
    })
    .from(auditAnswers)
    .where(eq(auditAnswers.auditId, params.auditId))
}
