import { z } from 'zod'
import { EvidenceSchema, GradeSchema, type Evidence, type Grade } from './grading'
import { answerKey, OVERALL_KEY, type Answers } from './live-document'
import type { Measure } from './measures'
import type { QuestionType, Template } from './templates/schema'

export const ComplianceSchema = z.enum(['yes', 'no', 'n/a'])

const MAX_TEXT = 20_000

/** What a stored answer of each type may be; anything else in a document is refused at submission. */
export const ANSWER_SCHEMAS: Record<QuestionType, z.ZodType<string>> = {
  grade: GradeSchema,
  evidence: EvidenceSchema,
  compliance: ComplianceSchema,
  text: z
    .string()
    .max(MAX_TEXT, `An answer must be ${MAX_TEXT.toLocaleString('en-GB')} characters or fewer`),
}

export type MissingAnswer = { key: string; section: string; label: string; message: string }

export type Submission = {
  answers: { questionKey: string; questionType: QuestionType; value: string | null }[]
  overallGrade: Grade
  judgements: { measure: Measure; value: Evidence }[]
}

/**
 * Checks a whole audit against its template: every required question answered with a value of its
 * type, and the overall grade. Returns the relational rows to store, or every problem, each naming
 * its question so the page can link to it.
 */
export function checkSubmission(
  template: Template,
  answers: Answers,
): { ok: true; submission: Submission } | { ok: false; missing: MissingAnswer[] } {
  const missing: MissingAnswer[] = []
  const rows: Submission['answers'] = []
  const judgements: Submission['judgements'] = []
  for (const section of template.sections) {
    for (const question of section.questions) {
      const key = answerKey(section.id, question.id)
      const raw = answers[key]?.trim() ?? ''
      if (raw === '') {
        if (question.required) {
          missing.push({
            key,
            section: section.title,
            label: question.label,
            message: `Answer “${question.label}”`,
          })
        }
        rows.push({ questionKey: key, questionType: question.type, value: null })
        continue
      }
      const parsed = ANSWER_SCHEMAS[question.type].safeParse(raw)
      if (!parsed.success) {
        missing.push({
          key,
          section: section.title,
          label: question.label,
          message: `“${question.label}”: ${parsed.error.issues[0]?.message ?? 'not a valid answer'}`,
        })
        continue
      }
      rows.push({ questionKey: key, questionType: question.type, value: parsed.data })
      if (question.measure) {
        const evidence = EvidenceSchema.safeParse(parsed.data)
        if (evidence.success) judgements.push({ measure: question.measure, value: evidence.data })
      }
    }
  }
  const overall = GradeSchema.safeParse(answers[OVERALL_KEY])
  if (!overall.success) {
    missing.push({
      key: OVERALL_KEY,
      section: 'Overall',
      label: template.overall.label,
      message: `Choose the overall grade`,
    })
  }
  if (missing.length > 0 || !overall.success) return { ok: false, missing }
  return { ok: true, submission: { answers: rows, overallGrade: overall.data, judgements } }
}
