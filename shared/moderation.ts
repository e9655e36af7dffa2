import { z } from 'zod'
import { EVIDENCE_CODES, GRADE_CODES, GradeSchema, EvidenceSchema } from './grading'
import { answerKey, OVERALL_KEY } from './live-document'
import type { Measure } from './measures'
import type { Template } from './templates/schema'

/**
 * Moderation: which submitted audits a moderator reviews (the sampling policy), what a moderator
 * decides about each judgement, and the rule every KPI reads grades by (the final value).
 */

/** The share of each template's audits moderated; the plan's target is all of them. */
export const DEFAULT_SAMPLE_PERCENT = 100

export const SAMPLE_REASONS = ['policy', 'extreme-grade', 'flagged', 'not-sampled'] as const
export type SampleReason = (typeof SAMPLE_REASONS)[number]

export const SAMPLE_REASON_LABELS: Readonly<Record<SampleReason, string>> = {
  policy: 'Sampled',
  'extreme-grade': 'Graded Inadequate or Outstanding',
  flagged: 'Flagged for moderation',
  'not-sampled': 'Not sampled',
}

/** A number in 0–99 fixed by the audit's id: the same audit always falls the same side of the line. */
export function sampleBucket(auditId: string): number {
  // FNV-1a: small, stable across runtimes, and evenly spread over uuids.
  let hash = 0x811c9dc5
  for (let i = 0; i < auditId.length; i += 1) {
    hash ^= auditId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash % 100
}

/**
 * Whether a submitted audit enters the moderation queue: every audit graded Inadequate or
 * Outstanding, every flagged one, and otherwise the policy's percentage of the template's audits.
 */
export function sampleForModeration(params: {
  auditId: string
  percent: number
  grade: string | null
  flagged: boolean
}): SampleReason {
  if (params.flagged) return 'flagged'
  if (params.grade === 'inadequate' || params.grade === 'outstanding') return 'extreme-grade'
  return sampleBucket(params.auditId) < params.percent ? 'policy' : 'not-sampled'
}

/** What every KPI uses: the moderator's value where there is one, else the auditor's. */
export function finalValue<T extends string>(
  auditorValue: T | null | undefined,
  moderatedValue: T | null | undefined,
): T | null {
  return moderatedValue ?? auditorValue ?? null
}

export type ModeratedQuestion = {
  key: string
  type: 'grade' | 'evidence'
  label: string
  section: string
  measure?: Measure
}

/** What a moderator reviews: each section's grade, each evidence judgement, and the overall grade. */
export function moderatedQuestions(template: Template): ModeratedQuestion[] {
  const questions: ModeratedQuestion[] = []
  for (const section of template.sections) {
    for (const question of section.questions) {
      if (question.type !== 'grade' && question.type !== 'evidence') continue
      questions.push({
        key: answerKey(section.id, question.id),
        type: question.type,
        label: question.label,
        section: section.title,
        ...(question.measure ? { measure: question.measure } : {}),
      })
    }
  }
  questions.push({
    key: OVERALL_KEY,
    type: 'grade',
    label: template.overall.label,
    section: 'Overall',
  })
  return questions
}

export function valuesOf(type: 'grade' | 'evidence'): readonly string[] {
  return type === 'grade' ? GRADE_CODES : EVIDENCE_CODES
}

/**
 * How far a moderator moved a value, in steps: positive when it went down (worse), negative when up.
 * Evidence is ordered consistently, partly, not; "n/a" has no direction, so a change to or from it
 * counts as changed but moves nothing.
 */
export function changeSteps(type: 'grade' | 'evidence', from: string, to: string): number {
  const order: readonly string[] =
    type === 'grade' ? GRADE_CODES : ['consistently', 'partly', 'not']
  const a = order.indexOf(from)
  const b = order.indexOf(to)
  if (a < 0 || b < 0) return 0
  return b - a
}

// The moderation workspace: two live documents on the sync server. `moderation.<audit>` holds the
// moderator's decisions (only the moderator writes it); `moderation.<audit>.discussion` holds a thread
// per question that the moderator and the audit's auditors all write to.
export const DECISIONS_MAP = 'decisions'
export const FEEDBACK_KEY = 'feedback'
export const THREADS_MAP = 'threads'
export const GENERAL_THREAD = 'general'
export const DISCUSSION_PART = 'discussion'

export function decisionKeys(questionKey: string) {
  return {
    outcome: `${questionKey}.outcome`,
    value: `${questionKey}.value`,
    rationale: `${questionKey}.rationale`,
  }
}

export const CommentSchema = z.object({
  id: z.string().min(1).max(64),
  userId: z.string().uuid(),
  name: z.string().min(1).max(200),
  text: z.string().trim().min(1).max(2_000),
  at: z.string().datetime(),
})
export type Comment = z.infer<typeof CommentSchema>

export type DecisionProblem = { key: string; label: string; message: string }

export type Decision = {
  answers: {
    questionKey: string
    outcome: 'agreed' | 'changed'
    value: string | null
    rationale: string | null
  }[]
  judgements: { measure: Measure; value: string }[]
  overallGrade: string | null
  feedback: string
}

const MAX_RATIONALE = 5_000
const MAX_FEEDBACK = 10_000

/**
 * Checks a moderator's decisions before they are recorded: each judgement agreed or changed to a
 * value of its kind that differs from the auditor's, with a rationale for every change. Returns the
 * rows to record, or every problem, each naming its question so the page can link to it.
 */
export function checkDecision(
  template: Template,
  auditorValues: Record<string, string | null>,
  decisions: Record<string, unknown>,
): { ok: true; decision: Decision } | { ok: false; problems: DecisionProblem[] } {
  const problems: DecisionProblem[] = []
  const rows: Decision['answers'] = []
  const judgements: Decision['judgements'] = []
  let overallGrade: string | null = null
  for (const question of moderatedQuestions(template)) {
    const keys = decisionKeys(question.key)
    const outcome = decisions[keys.outcome]
    const auditorValue = auditorValues[question.key] ?? null
    if (outcome === 'agree') {
      rows.push({ questionKey: question.key, outcome: 'agreed', value: null, rationale: null })
      continue
    }
    if (outcome !== 'change') {
      problems.push({
        key: question.key,
        label: question.label,
        message: `Agree or change “${question.label}”`,
      })
      continue
    }
    const schema = question.type === 'grade' ? GradeSchema : EvidenceSchema
    const value = schema.safeParse(decisions[keys.value])
    const rationale =
      typeof decisions[keys.rationale] === 'string' ? String(decisions[keys.rationale]).trim() : ''
    if (!value.success) {
      problems.push({
        key: question.key,
        label: question.label,
        message: `Choose the new value for “${question.label}”`,
      })
      continue
    }
    if (value.data === auditorValue) {
      problems.push({
        key: question.key,
        label: question.label,
        message: `“${question.label}” is unchanged: choose Agree, or a different value`,
      })
      continue
    }
    if (rationale === '') {
      problems.push({
        key: question.key,
        label: question.label,
        message: `Give the reason for changing “${question.label}”`,
      })
      continue
    }
    if (rationale.length > MAX_RATIONALE) {
      problems.push({
        key: question.key,
        label: question.label,
        message: `The reason for “${question.label}” must be ${MAX_RATIONALE.toLocaleString('en-GB')} characters or fewer`,
      })
      continue
    }
    rows.push({ questionKey: question.key, outcome: 'changed', value: value.data, rationale })
    if (question.key === OVERALL_KEY) overallGrade = value.data
    if (question.measure) judgements.push({ measure: question.measure, value: value.data })
  }
  const feedbackRaw = decisions[FEEDBACK_KEY]
  const feedback = typeof feedbackRaw === 'string' ? feedbackRaw.trim() : ''
  if (feedback.length > MAX_FEEDBACK) {
    problems.push({
      key: FEEDBACK_KEY,
      label: 'Feedback to the auditor',
      message: `Feedback must be ${MAX_FEEDBACK.toLocaleString('en-GB')} characters or fewer`,
    })
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, decision: { answers: rows, judgements, overallGrade, feedback } }
}
