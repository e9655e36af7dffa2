import { and, asc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm'
import { z } from 'zod'
import { percentTenths } from '../../shared/kpis'
import { OVERALL_KEY } from '../../shared/live-document'
import { changeSteps } from '../../shared/moderation'
import { CycleSchema, formatCycle } from '../../shared/programme'
import type { Queryable } from '../client'
import {
  auditAnswers,
  auditAssignments,
  audits,
  teams,
  templateVersions,
  users,
} from '../schema/index'
import { auditVisibleTo, type AuditViewer } from './audits'

/**
 * Calibration: how often moderators agree with auditors, and which way and how far they move what
 * they change, by auditor, team, template and cycle. The query reads the moderated answers; the
 * arithmetic is pure (computeCalibration) so it can be tested without a database.
 */

export const CalibrationFiltersSchema = z
  .object({ fromCycle: CycleSchema.optional(), toCycle: CycleSchema.optional() })
  .refine((f) => !f.fromCycle || !f.toCycle || f.fromCycle <= f.toCycle, {
    message: 'The first month must be the same as or before the last month',
    path: ['toCycle'],
  })
export type CalibrationFilters = z.infer<typeof CalibrationFiltersSchema>

/**
 * The page's and the CSV's filters, from a query string (`from`, `to`; empty means open-ended), or
 * a message for each field that is wrong.
 */
export function parseCalibrationSearch(
  search: URLSearchParams,
):
  | { ok: true; filters: CalibrationFilters }
  | { ok: false; errors: Partial<Record<'from' | 'to', string[]>> } {
  const parsed = CalibrationFiltersSchema.safeParse({
    fromCycle: search.get('from') || undefined,
    toCycle: search.get('to') || undefined,
  })
  if (parsed.success) return { ok: true, filters: parsed.data }
  const errors: Partial<Record<'from' | 'to', string[]>> = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === 'fromCycle' ? 'from' : 'to'
    errors[field] = [...(errors[field] ?? []), issue.message]
  }
  return { ok: false, errors }
}

/**
 * `numerator / denominator` as a percentage to one decimal place, rounded half up on the exact
 * fraction as the KPIs are (13/16 = 81.25 → 81.3); null when there is nothing to divide by.
 */
export function percentHalfUp(numerator: number, denominator: number): number | null {
  const tenths = percentTenths(numerator, denominator)
  return tenths === null ? null : tenths / 10
}

/** One moderated answer with what calibration groups it by. */
export type ModeratedAnswer = {
  auditId: string
  cycle: string
  teamId: string
  team: string
  templateCode: string
  templateTitle: string
  templateVersion: number
  auditorId: string | null
  auditor: string | null
  questionKey: string
  questionType: string
  auditorValue: string | null
  moderatedValue: string | null
  outcome: string | null
}

/** The moderated answers of the audits the user may see, optionally within a range of cycles. */
export async function listModeratedAnswers(
  db: Queryable,
  params: { user: AuditViewer; filters: CalibrationFilters },
): Promise<ModeratedAnswer[]> {
  const { fromCycle, toCycle } = params.filters
  // One lead per audit; the subquery keeps a second lead row, were one ever written, from
  // counting the audit's answers twice.
  const leadAuditorId = sql`(select ${auditAssignments.userId} from ${auditAssignments}
    where ${auditAssignments.auditId} = ${audits.id} and ${auditAssignments.role} = 'lead'
    order by ${auditAssignments.assignedAt} limit 1)`
  return db
    .select({
      auditId: audits.id,
      cycle: audits.cycle,
      teamId: audits.teamId,
      team: teams.name,
      templateCode: templateVersions.code,
      templateTitle: templateVersions.title,
      templateVersion: templateVersions.version,
      auditorId: users.id,
      auditor: users.name,
      questionKey: auditAnswers.questionKey,
      questionType: auditAnswers.questionType,
      auditorValue: auditAnswers.auditorValue,
      moderatedValue: auditAnswers.moderatedValue,
      outcome: auditAnswers.moderationOutcome,
    })
    .from(auditAnswers)
    .innerJoin(audits, eq(audits.id, auditAnswers.auditId))
    .innerJoin(teams, eq(teams.id, audits.teamId))
    .innerJoin(templateVersions, eq(templateVersions.id, audits.templateVersionId))
    .leftJoin(users, sql`${users.id} = ${leadAuditorId}`)
    .where(
      and(
        auditVisibleTo(params.user),
        isNotNull(auditAnswers.moderationOutcome),
        fromCycle ? gte(audits.cycle, fromCycle) : undefined,
        toCycle ? lte(audits.cycle, toCycle) : undefined,
      ),
    )
    .orderBy(asc(audits.cycle), asc(audits.id), asc(auditAnswers.questionKey))
}

/** What moderators did with a set of answers; steps are counted on the grading or evidence scale. */
export type Counts = {
  moderated: number
  agreed: number
  /** Every change, including those with no direction (see `directionOf`). */
  changed: number
  lowered: number
  raised: number
  stepsLowered: number
  stepsRaised: number
  /** agreed / moderated, as a percentage to one decimal place; null when nothing was moderated. */
  agreementRate: number | null
}

type Tally = Omit<Counts, 'agreementRate'>

export type CalibrationGroup = {
  key: string
  label: string
  audits: number
  /** Each section's grade and each evidence judgement; the overall grade is counted on its own. */
  judgements: Counts
  overall: Counts
}

export type LoweredAuditor = {
  key: string
  label: string
  judgements: number
  lowered: number
  /** lowered / judgements, as a percentage to one decimal place. */
  loweredShare: number | null
  overallGrades: number
  overallLowered: number
}

export type Calibration = {
  totals: Omit<CalibrationGroup, 'key' | 'label'>
  byAuditor: CalibrationGroup[]
  byTeam: CalibrationGroup[]
  byTemplate: CalibrationGroup[]
  byCycle: CalibrationGroup[]
  mostOftenLowered: LoweredAuditor[]
}

export const CALIBRATION_DIMENSIONS = ['auditor', 'team', 'template', 'cycle'] as const
export type CalibrationDimension = (typeof CALIBRATION_DIMENSIONS)[number]

export const NO_LEAD_AUDITOR = 'No lead auditor recorded'

/**
 * Steps a moderator moved an answer: positive when lowered, negative when raised, 0 when agreed or
 * when a change has no direction (to or from "not applicable"). A change later overturned on
 * dispute still counts: calibration compares the moderator's judgement with the auditor's.
 */
export function directionOf(answer: ModeratedAnswer): number {
  if (answer.outcome !== 'changed' && answer.outcome !== 'overturned') return 0
  if (answer.auditorValue === null || answer.moderatedValue === null) return 0
  if (answer.questionType !== 'grade' && answer.questionType !== 'evidence') return 0
  return changeSteps(answer.questionType, answer.auditorValue, answer.moderatedValue)
}

function emptyTally(): Tally {
  return {
    moderated: 0,
    agreed: 0,
    changed: 0,
    lowered: 0,
    raised: 0,
    stepsLowered: 0,
    stepsRaised: 0,
  }
}

function count(tally: Tally, answer: ModeratedAnswer): void {
  tally.moderated += 1
  if (answer.outcome === 'agreed') {
    tally.agreed += 1
    return
  }
  tally.changed += 1
  const steps = directionOf(answer)
  if (steps > 0) {
    tally.lowered += 1
    tally.stepsLowered += steps
  } else if (steps < 0) {
    tally.raised += 1
    tally.stepsRaised -= steps
  }
}

function withRate(tally: Tally): Counts {
  return { ...tally, agreementRate: percentHalfUp(tally.agreed, tally.moderated) }
}

type Bucket = {
  key: string
  label: string
  rank: string
  audits: Set<string>
  judgements: Tally
  overall: Tally
}

function newBucket(key: string, label: string, rank = label): Bucket {
  return {
    key,
    label,
    rank,
    audits: new Set(),
    judgements: emptyTally(),
    overall: emptyTally(),
  }
}

function add(bucket: Bucket, answer: ModeratedAnswer): void {
  if (
    answer.outcome !== 'agreed' &&
    answer.outcome !== 'changed' &&
    answer.outcome !== 'overturned'
  )
    return
  bucket.audits.add(answer.auditId)
  count(answer.questionKey === OVERALL_KEY ? bucket.overall : bucket.judgements, answer)
}

function finish(bucket: Bucket): CalibrationGroup {
  return {
    key: bucket.key,
    label: bucket.label,
    audits: bucket.audits.size,
    judgements: withRate(bucket.judgements),
    overall: withRate(bucket.overall),
  }
}

const byLabel = (a: Bucket, b: Bucket) =>
  a.rank.localeCompare(b.rank, 'en-GB') || a.key.localeCompare(b.key, 'en-GB')

function groupBy(
  answers: readonly ModeratedAnswer[],
  keyOf: (answer: ModeratedAnswer) => { key: string; label: string; rank?: string },
): CalibrationGroup[] {
  const buckets = new Map<string, Bucket>()
  for (const answer of answers) {
    const { key, label, rank } = keyOf(answer)
    let bucket = buckets.get(key)
    if (!bucket) {
      bucket = newBucket(key, label, rank)
      buckets.set(key, bucket)
    }
    add(bucket, answer)
  }
  return [...buckets.values()].sort(byLabel).map(finish)
}

/** A template's versions are one group, named by the newest version's title. */
function templateTitles(answers: readonly ModeratedAnswer[]): Map<string, string> {
  const newest = new Map<string, { version: number; title: string }>()
  for (const answer of answers) {
    const seen = newest.get(answer.templateCode)
    if (!seen || seen.version < answer.templateVersion) {
      newest.set(answer.templateCode, {
        version: answer.templateVersion,
        title: answer.templateTitle,
      })
    }
  }
  return new Map([...newest].map(([code, { title }]) => [code, title]))
}

/**
 * The auditors whose judgements moderators lowered, the largest share first (compared as exact
 * fractions), then the most lowered, then by name.
 */
function rankLowered(byAuditor: readonly CalibrationGroup[]): LoweredAuditor[] {
  return byAuditor
    .filter((group) => group.key !== NO_LEAD_AUDITOR)
    .filter((group) => group.judgements.lowered > 0 || group.overall.lowered > 0)
    .map((group) => ({
      key: group.key,
      label: group.label,
      judgements: group.judgements.moderated,
      lowered: group.judgements.lowered,
      loweredShare: percentHalfUp(group.judgements.lowered, group.judgements.moderated),
      overallGrades: group.overall.moderated,
      overallLowered: group.overall.lowered,
    }))
    .sort(
      (a, b) =>
        b.lowered * a.judgements - a.lowered * b.judgements ||
        b.lowered - a.lowered ||
        b.overallLowered - a.overallLowered ||
        a.label.localeCompare(b.label, 'en-GB'),
    )
}

export function computeCalibration(answers: readonly ModeratedAnswer[]): Calibration {
  const titles = templateTitles(answers)
  const total = newBucket('total', 'All')
  for (const answer of answers) add(total, answer)
  const byAuditor = groupBy(answers, (a) => ({
    key: a.auditorId ?? NO_LEAD_AUDITOR,
    label: a.auditor ?? NO_LEAD_AUDITOR,
  }))
  const { key: _key, label: _label, ...totals } = finish(total)
  return {
    totals,
    byAuditor,
    byTeam: groupBy(answers, (a) => ({ key: a.teamId, label: a.team })),
    byTemplate: groupBy(answers, (a) => ({
      key: a.templateCode,
      label: titles.get(a.templateCode) ?? a.templateCode,
    })),
    // Cycles in time order, not by their names.
    byCycle: groupBy(answers, (a) => ({
      key: a.cycle,
      label: formatCycle(a.cycle),
      rank: a.cycle,
    })),
    mostOftenLowered: rankLowered(byAuditor),
  }
}

export async function getCalibration(
  db: Queryable,
  params: { user: AuditViewer; filters: CalibrationFilters },
): Promise<Calibration> {
  return computeCalibration(await listModeratedAnswers(db, params))
}
