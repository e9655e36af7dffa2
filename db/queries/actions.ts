import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import type { Queryable } from '../client'
import {
  auditActions,
  auditAssignments,
  audits,
  caseFiles,
  teams,
  templateVersions,
  users,
} from '../schema/index'

/**
 * Audit for impact: actions agreed with the practitioner, the practitioner's reflection and the
 * family's feedback. Who may do what is checked here, inside the statement that does it, so that a
 * page and a forged form are refused alike.
 */
export type ActionFailure = 'not-found' | 'not-allowed' | 'wrong-state' | 'bad-owner'

/** Actions can be agreed once the audit is under way, and until it is cancelled. */
const ACTIONABLE = ['in-progress', ...COMPLETED_STATUSES]

// NOTE: `alias`, not `aliasedTable`: the latter keeps the name `users` in the types, and two joins
// of the same name make drizzle type every row `never`.
const owner = alias(users, 'owner')
const completer = alias(users, 'completer')

const actionColumns = {
  id: auditActions.id,
  auditId: auditActions.auditId,
  description: auditActions.description,
  ownerId: auditActions.ownerId,
  owner: owner.name,
  dueDate: auditActions.dueDate,
  status: auditActions.status,
  createdAt: auditActions.createdAt,
  completedAt: auditActions.completedAt,
  completedBy: completer.name,
  completionNote: auditActions.completionNote,
}

function isAuditor(auditId: string, userId: string) {
  return sql`exists (select 1 from ${auditAssignments} where ${auditAssignments.auditId} = ${auditId}
    and ${auditAssignments.userId} = ${userId} and ${auditAssignments.role} in ('lead', 'co-auditor'))`
}

/** The actions of one audit, oldest first. */
export async function listAuditActions(db: Queryable, params: { auditId: string }) {
  return db
    .select(actionColumns)
    .from(auditActions)
    .innerJoin(owner, eq(owner.id, auditActions.ownerId))
    .leftJoin(completer, eq(completer.id, auditActions.completedBy))
    .where(eq(auditActions.auditId, params.auditId))
    .orderBy(asc(auditActions.createdAt), asc(auditActions.id))
}

/** The audit's lead auditor or a co-auditor agrees an action with an owner from the same council. */
export async function addAction(
  db: Queryable,
  params: {
    councilId: string
    userId: string
    auditId: string
    description: string
    ownerId: string
    dueDate: string
  },
): Promise<{ ok: true; id: string } | { ok: false; failure: ActionFailure }> {
  return db.transaction(async (tx) => {
    const [audit] = await tx
      .select({ status: audits.status, auditor: isAuditor(params.auditId, params.userId) })
      .from(audits)
      .where(and(eq(audits.id, params.auditId), eq(audits.councilId, params.councilId)))
      .for('share')
    if (!audit) return { ok: false, failure: 'not-found' }
    if (!audit.auditor) return { ok: false, failure: 'not-allowed' }
    if (!ACTIONABLE.includes(audit.status)) return { ok: false, failure: 'wrong-state' }
    const [ownerRow] = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.id, params.ownerId),
          eq(users.councilId, params.councilId),
          eq(users.active, true),
        ),
      )
    if (!ownerRow) return { ok: false, failure: 'bad-owner' }
    const [row] = await tx
      .insert(auditActions)
      .values({
        councilId: params.councilId,
        auditId: params.auditId,
        description: params.description,
        ownerId: params.ownerId,
        dueDate: params.dueDate,
        createdBy: params.userId,
      })
      .returning({ id: auditActions.id })
    return { ok: true, id: row?.id ?? '' }
  })
}

/** Its owner, or the audit's lead auditor, records an open action done with what changed. */
export async function completeAction(
  db: Queryable,
  params: { councilId: string; userId: string; actionId: string; note: string },
): Promise<{ ok: true; auditId: string } | { ok: false; failure: ActionFailure }> {
  const leadAuditor = sql`exists (select 1 from ${auditAssignments} where ${auditAssignments.auditId} = ${auditActions.auditId}
    and ${auditAssignments.userId} = ${params.userId} and ${auditAssignments.role} = 'lead')`
  const [done] = await db
    .update(auditActions)
    .set({
      status: 'done',
      completedAt: sql`now()`,
      completedBy: params.userId,
      completionNote: params.note,
    })
    .where(
      and(
        eq(auditActions.id, params.actionId),
        eq(auditActions.councilId, params.councilId),
        eq(auditActions.status, 'open'),
        sql`(${auditActions.ownerId} = ${params.userId} or ${leadAuditor})`,
      ),
    )
    .returning({ auditId: auditActions.auditId })
  if (done) return { ok: true, auditId: done.auditId }
  // Nothing changed: say why.
  const [action] = await db
    .select({ status: auditActions.status, ownerId: auditActions.ownerId, lead: leadAuditor })
    .from(auditActions)
    .where(and(eq(auditActions.id, params.actionId), eq(auditActions.councilId, params.councilId)))
  if (!action) return { ok: false, failure: 'not-found' }
  if (action.ownerId !== params.userId && !action.lead) return { ok: false, failure: 'not-allowed' }
  return { ok: false, failure: 'wrong-state' }
}

const auditContext = {
  caseRef: caseFiles.caseRef,
  cycle: audits.cycle,
  templateTitle: templateVersions.title,
  team: teams.name,
  teamId: audits.teamId,
}

/** Someone's actions, open ones first by due date, for their home page and digest. */
export async function listActionsOwnedBy(db: Queryable, params: { userId: string }) {
  return db
    .select({ ...actionColumns, ...auditContext })
    .from(auditActions)
    .innerJoin(owner, eq(owner.id, auditActions.ownerId))
    .leftJoin(completer, eq(completer.id, auditActions.completedBy))
    .innerJoin(audits, eq(audits.id, auditActions.auditId))
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .where(and(eq(auditActions.ownerId, params.userId), sql`${audits.status} <> 'cancelled'`))
    .orderBy(sql`${auditActions.status} = 'done'`, asc(auditActions.dueDate), asc(auditActions.id))
}

/** Every action of the council (optionally one team's, or only open ones), for leads. */
export async function listCouncilActions(
  db: Queryable,
  params: { councilId: string; teamId?: string; openOnly?: boolean },
) {
  return db
    .select({ ...actionColumns, ...auditContext })
    .from(auditActions)
    .innerJoin(owner, eq(owner.id, auditActions.ownerId))
    .leftJoin(completer, eq(completer.id, auditActions.completedBy))
    .innerJoin(audits, eq(audits.id, auditActions.auditId))
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .where(
      and(
        eq(auditActions.councilId, params.councilId),
        sql`${audits.status} <> 'cancelled'`,
        params.teamId ? eq(audits.teamId, params.teamId) : undefined,
        params.openOnly ? eq(auditActions.status, 'open') : undefined,
      ),
    )
    .orderBy(asc(teams.name), asc(auditActions.dueDate), asc(auditActions.id))
}

/** Who may own an action: the council's active people, the case's worker first. */
export async function listActionOwners(
  db: Queryable,
  params: { councilId: string; auditId: string },
) {
  const worker = sql<boolean>`${users.id} = (select ${caseFiles.workerId} from ${caseFiles}
    join ${audits} on ${audits.caseFileId} = ${caseFiles.id} where ${audits.id} = ${params.auditId})`
  return db
    .select({ id: users.id, name: users.name, worker: sql<boolean>`coalesce(${worker}, false)` })
    .from(users)
    .where(and(eq(users.councilId, params.councilId), eq(users.active, true)))
    .orderBy(sql`coalesce(${worker}, false) desc`, asc(users.name))
}

/** The reflection and feedback recorded on an audit, and whether the user may add each. */
export async function getImpactRecord(db: Queryable, params: { auditId: string; userId: string }) {
  const feedbackBy = alias(users, 'feedback_by')
  const [row] = await db
    .select({
      status: audits.status,
      workerId: caseFiles.workerId,
      practitionerReflection: audits.practitionerReflection,
      reflectionAt: audits.reflectionAt,
      familyFeedback: audits.familyFeedback,
      familyFeedbackAt: audits.familyFeedbackAt,
      familyFeedbackBy: feedbackBy.name,
      auditor: isAuditor(params.auditId, params.userId).mapWith(Boolean),
    })
    .from(audits)
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .leftJoin(feedbackBy, eq(feedbackBy.id, audits.familyFeedbackBy))
    .where(eq(audits.id, params.auditId))
  return row
}

/** The case's practitioner reflects on a submitted audit of their case. */
export async function recordReflection(
  db: Queryable,
  params: { councilId: string; userId: string; auditId: string; text: string },
): Promise<boolean> {
  const rows = await db
    .update(audits)
    .set({ practitionerReflection: params.text, reflectionAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(audits.id, params.auditId),
        eq(audits.councilId, params.councilId),
        inArray(audits.status, [...COMPLETED_STATUSES]),
        sql`exists (select 1 from ${caseFiles} where ${caseFiles.id} = ${audits.caseFileId} and ${caseFiles.workerId} = ${params.userId})`,
      ),
    )
    .returning({ id: audits.id })
  return rows.length > 0
}

/** An auditor of the audit records what the child or family said about the help they got. */
export async function recordFamilyFeedback(
  db: Queryable,
  params: { councilId: string; userId: string; auditId: string; text: string },
): Promise<boolean> {
  const rows = await db
    .update(audits)
    .set({
      familyFeedback: params.text,
      familyFeedbackBy: params.userId,
      familyFeedbackAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(audits.id, params.auditId),
        eq(audits.councilId, params.councilId),
        inArray(audits.status, ACTIONABLE),
        isAuditor(params.auditId, params.userId),
      ),
    )
    .returning({ id: audits.id })
  return rows.length > 0
}
