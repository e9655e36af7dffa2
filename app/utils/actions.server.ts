import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Queryable } from '../../db/client'
import {
  addAction,
  completeAction,
  getImpactRecord,
  listActionOwners,
  listActionsOwnedBy,
  listAuditActions,
  listCouncilActions,
  recordFamilyFeedback,
  recordReflection,
  type ActionFailure,
} from '../../db/queries/actions'
import {
  auditSummaryColumns,
  auditVisibleTo,
  getAudit,
  type AuditViewer,
} from '../../db/queries/audits'
import { listTeams } from '../../db/queries/organisation'
import { audits, caseFiles, services, teams, templateVersions } from '../../db/schema/index'
import {
  ACTION_STATES,
  actionFormSchema,
  actionState,
  ageingByTeam,
  CompleteActionSchema,
  daysBetween,
  FamilyFeedbackSchema,
  monthlyDigest,
  ReflectionSchema,
  todayIso,
} from '../../shared/actions'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import { finalValue } from '../../shared/moderation'
import { requireUser } from './auth.server'

/**
 * Audit for impact: the loader and action of an audit's "Actions and reflection" page, the home
 * page's actions and digest, the practitioner's own audits, and the lead's view of every action.
 */

type FieldErrors = Record<string, string[] | undefined>

const COMPLETED: readonly string[] = COMPLETED_STATUSES
/** Actions are agreed once an audit is under way, and until it is cancelled (as addAction). */
const ACTIONABLE = new Set(['in-progress', ...COMPLETED_STATUSES])

function isoOrNull(value: Date | null): string | null {
  return value ? value.toISOString() : null
}

async function loadImpact({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const parsedId = z.uuid().safeParse(params.auditId)
  // A guessed or malformed id, or one the user may not see, is simply not found.
  const audit = parsedId.success
    ? await getAudit(context.db, { user, auditId: parsedId.data })
    : undefined
  if (!audit) throw new Response('Not found', { status: 404 })
  const record = await getImpactRecord(context.db, { auditId: audit.id, userId: user.id })
  if (!record) throw new Response('Not found', { status: 404 })
  const part = audit.assignments.find((a) => a.userId === user.id)?.role
  const auditor = part === 'lead' || part === 'co-auditor'
  const completed = COMPLETED.includes(audit.status)
  // Who may record each thing at all; whether it is already recorded is a separate matter (409).
  const allowed = {
    add: auditor,
    reflect: completed && record.workerId === user.id,
    feedback: auditor,
  }
  const may = {
    add: allowed.add && ACTIONABLE.has(audit.status),
    reflect: allowed.reflect && record.practitionerReflection === null,
    feedback: allowed.feedback && ACTIONABLE.has(audit.status) && record.familyFeedback === null,
  }
  return { user, audit, record, leadAuditor: part === 'lead', allowed, may }
}

/** The "Actions and reflection" page: what was agreed, and what this user may add or record. */
export async function getImpactPage(args: LoaderFunctionArgs) {
  const { user, audit, record, leadAuditor, may } = await loadImpact(args)
  const { db } = args.context
  const today = todayIso()
  const [actions, owners] = await Promise.all([
    listAuditActions(db, { auditId: audit.id }),
    may.add ? listActionOwners(db, { councilId: user.councilId, auditId: audit.id }) : [],
  ])
  return {
    audit: {
      id: audit.id,
      caseRef: audit.caseRef,
      cycle: audit.cycle,
      status: audit.status,
      team: audit.team,
      templateTitle: audit.templateTitle,
    },
    today,
    actions: actions.map((a) => ({
      id: a.id,
      description: a.description,
      owner: a.owner,
      dueDate: a.dueDate,
      state: actionState(a, today),
      completedAt: isoOrNull(a.completedAt),
      completedBy: a.completedBy,
      completionNote: a.completionNote,
      mayComplete: a.status === 'open' && (a.ownerId === user.id || leadAuditor),
    })),
    owners: owners.map((o) => ({ id: o.id, name: o.name, worker: o.worker })),
    reflection: record.practitionerReflection
      ? { text: record.practitionerReflection, at: isoOrNull(record.reflectionAt) }
      : null,
    familyFeedback: record.familyFeedback
      ? {
          text: record.familyFeedback,
          at: isoOrNull(record.familyFeedbackAt),
          by: record.familyFeedbackBy,
        }
      : null,
    may,
  }
}

const IntentSchema = z.object({ intent: z.enum(['add', 'complete', 'reflect', 'feedback']) })

const ADD_FAILURES: Record<ActionFailure, { status: number; errors: FieldErrors }> = {
  'not-found': { status: 404, errors: { form: ['This audit cannot be found'] } },
  'not-allowed': {
    status: 403,
    errors: { form: ['Only the audit’s lead auditor or a co-auditor can agree an action'] },
  },
  'wrong-state': {
    status: 409,
    errors: {
      form: ['Actions can be agreed only while the audit is in progress or once submitted'],
    },
  },
  'bad-owner': {
    status: 400,
    errors: {
      ownerId: ['Choose an owner from the list: they must be an active user of the council'],
    },
  },
}

function completeFailure(failure: ActionFailure, actionId: string) {
  if (failure === 'not-found')
    return { status: 404, errors: { form: ['This action cannot be found'] } }
  if (failure === 'not-allowed') {
    return {
      status: 403,
      errors: { form: ['Only the action’s owner or the lead auditor can record it done'] },
    }
  }
  return {
    status: 409,
    errors: {
      [`note-${actionId}`]: ['This action has already been recorded done: reload the page'],
    },
  }
}

/** Refusals the user cannot fix from the page are thrown; the page's GeneralErrorBoundary explains. */
function refuse(errors: FieldErrors, status = 400) {
  if (status === 403 || status === 404)
    throw new Response(Object.values(errors).flat()[0], { status })
  return json({ errors }, { status })
}

/** The page's forms, told apart by `intent`; each redirects to the page with a success banner. */
export async function actOnImpact(args: ActionFunctionArgs) {
  const { user, audit, allowed, may } = await loadImpact(args)
  const { db } = args.context
  const form = Object.fromEntries(await args.request.formData())
  const intent = IntentSchema.safeParse(form)
  if (!intent.success) return refuse({ form: ['Choose what to do'] })
  const done = (what: string) => redirect(`/audits/${audit.id}/impact?done=${what}`)
  const base = { councilId: user.councilId, userId: user.id, auditId: audit.id }

  switch (intent.data.intent) {
    case 'add': {
      if (!may.add) {
        const failure = ADD_FAILURES[allowed.add ? 'wrong-state' : 'not-allowed']
        return refuse(failure.errors, failure.status)
      }
      const parsed = actionFormSchema(todayIso()).safeParse(form)
      if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors)
      const result = await addAction(db, { ...base, ...parsed.data })
      if (!result.ok)
        return refuse(ADD_FAILURES[result.failure].errors, ADD_FAILURES[result.failure].status)
      return done('added')
    }
    case 'complete': {
      const parsed = CompleteActionSchema.safeParse(form)
      if (!parsed.success) {
        const { actionId, note } = z.flattenError(parsed.error).fieldErrors
        const id = z.uuid().safeParse(form.actionId)
        return refuse(id.success ? { [`note-${id.data}`]: note } : { form: actionId })
      }
      // The action must belong to this page's audit: a forged id of another audit is not found here.
      const ofThisAudit = await listAuditActions(db, { auditId: audit.id })
      if (!ofThisAudit.some((a) => a.id === parsed.data.actionId)) {
        return refuse({ form: ['This action cannot be found'] }, 404)
      }
      const result = await completeAction(db, { ...base, ...parsed.data })
      if (!result.ok) {
        const failure = completeFailure(result.failure, parsed.data.actionId)
        return refuse(failure.errors, failure.status)
      }
      return done('completed')
    }
    case 'reflect': {
      if (!allowed.reflect) {
        return refuse(
          { form: ['Only the case’s worker can reflect on its audit, once it is submitted'] },
          403,
        )
      }
      if (!may.reflect) return refuse({ form: ['Your reflection is already recorded'] }, 409)
      const parsed = ReflectionSchema.safeParse(form)
      if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors)
      if (!(await recordReflection(db, { ...base, text: parsed.data.reflection }))) {
        return refuse({ form: ['The audit has moved on: reload the page'] }, 409)
      }
      return done('reflected')
    }
    case 'feedback': {
      if (!allowed.feedback) {
        return refuse(
          {
            form: [
              'Only the audit’s lead auditor or a co-auditor can record the family’s feedback',
            ],
          },
          403,
        )
      }
      if (!may.feedback) {
        return refuse(
          { form: ['The family’s feedback is already recorded, or the audit was cancelled'] },
          409,
        )
      }
      const parsed = FamilyFeedbackSchema.safeParse(form)
      if (!parsed.success) return refuse(z.flattenError(parsed.error).fieldErrors)
      if (!(await recordFamilyFeedback(db, { ...base, text: parsed.data.feedback }))) {
        return refuse({ form: ['The audit has moved on: reload the page'] }, 409)
      }
      return done('feedback')
    }
  }
}

/**
 * Someone's own actions and their monthly digest, for the home page. An action's audit may not be
 * visible to its owner (a practitioner sees their case's audit only once it is submitted): those
 * are listed without a link.
 */
export async function getHomeActions(db: Queryable, params: { user: AuditViewer; today: string }) {
  const owned = await listActionsOwnedBy(db, { userId: params.user.id })
  const auditIds = [...new Set(owned.map((a) => a.auditId))]
  const visible =
    auditIds.length === 0
      ? []
      : await db
          .select({ id: audits.id })
          .from(audits)
          .where(and(inArray(audits.id, auditIds), auditVisibleTo(params.user)))
  const visibleIds = new Set(visible.map((v) => v.id))
  const actions = owned.map((a) => ({
    id: a.id,
    auditId: a.auditId,
    auditVisible: visibleIds.has(a.auditId),
    description: a.description,
    caseRef: a.caseRef,
    templateTitle: a.templateTitle,
    cycle: a.cycle,
    dueDate: a.dueDate,
    status: a.status,
    state: actionState(a, params.today),
    completedAt: isoOrNull(a.completedAt),
  }))
  return { actions, digest: monthlyDigest(actions, params.today) }
}

/**
 * A practitioner's own cases' audits once submitted, newest first, with the final grade (the
 * moderator's where moderated). Scoped by the same rule as every audit page, and to their own cases
 * even if they hold other roles too.
 */
export async function listOwnCaseAudits(db: Queryable, params: { user: AuditViewer }) {
  const rows = await db
    .select({
      ...auditSummaryColumns,
      auditorGrade: audits.auditorGrade,
      moderatedGrade: audits.moderatedGrade,
      openActions: sql<number>`(select count(*) from audit_actions
        where audit_actions.audit_id = ${audits.id} and audit_actions.status = 'open')`.mapWith(
        Number,
      ),
    })
    .from(audits)
    .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(services, eq(services.id, audits.serviceId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .where(
      and(
        auditVisibleTo(params.user),
        eq(caseFiles.workerId, params.user.id),
        inArray(audits.status, [...COMPLETED_STATUSES]),
      ),
    )
    .orderBy(desc(audits.cycle), caseFiles.caseRef)
  return rows.map((row) => ({
    id: row.id,
    caseRef: row.caseRef,
    cycle: row.cycle,
    status: row.status,
    templateTitle: row.templateTitle,
    grade: finalValue(row.auditorGrade, row.moderatedGrade),
    moderated: row.moderatedGrade !== null,
    openActions: row.openActions,
  }))
}

const STATE_FILTERS = ACTION_STATES
const CouncilActionsFiltersSchema = z.object({
  teamId: z.uuid().optional().catch(undefined),
  state: z.enum(STATE_FILTERS).optional().catch(undefined),
})
export type CouncilActionsFilters = z.infer<typeof CouncilActionsFiltersSchema>

/** How far back the lead's page lists done actions with their evidence. */
const DONE_WINDOW_MONTHS = 3

function monthsBefore(isoDate: string, months: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  date.setUTCMonth(date.getUTCMonth() - months)
  return date.toISOString().slice(0, 10)
}

/**
 * Every action of the council for a lead: open and overdue ones by team with their ageing, and
 * those done in the last three months with their evidence. The state filter narrows the lists; the
 * ageing table always counts every open action of the chosen team.
 */
export async function getCouncilActions(
  db: Queryable,
  params: { user: AuditViewer; searchParams: URLSearchParams; today: string },
) {
  const filters = CouncilActionsFiltersSchema.parse(
    Object.fromEntries([...params.searchParams].filter(([, value]) => value !== '')),
  )
  const [rows, teamOptions] = await Promise.all([
    listCouncilActions(db, { councilId: params.user.councilId, teamId: filters.teamId }),
    listTeams(db, { councilId: params.user.councilId }),
  ])
  const { today } = params
  const doneSince = monthsBefore(today, DONE_WINDOW_MONTHS)
  const actions = rows.map((a) => {
    const state = actionState(a, today)
    return {
      id: a.id,
      auditId: a.auditId,
      caseRef: a.caseRef,
      templateTitle: a.templateTitle,
      cycle: a.cycle,
      team: a.team,
      description: a.description,
      owner: a.owner,
      dueDate: a.dueDate,
      state,
      daysOverdue: state === 'overdue' ? daysBetween(a.dueDate, today) : 0,
      completedAt: isoOrNull(a.completedAt),
      completedBy: a.completedBy,
      completionNote: a.completionNote,
    }
  })
  const wanted = (state: string) => filters.state === undefined || filters.state === state
  return {
    filters,
    today,
    doneSince,
    ageing: ageingByTeam(rows, today),
    outstanding: actions.filter((a) => a.state !== 'done' && wanted(a.state)),
    done: actions
      .filter((a) => a.state === 'done' && wanted('done') && (a.completedAt ?? '') >= doneSince)
      .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '')),
    teams: teamOptions.map((t) => ({ id: t.id, name: t.name })),
  }
}
