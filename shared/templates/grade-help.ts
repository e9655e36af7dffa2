import { GRADES, type Grade } from '../grading'
import { SECTION_JUDGEMENT_ID, SECTION_REASON_ID, type TemplateInput } from './schema'

type QuestionInput = TemplateInput['sections'][number]['questions'][number]

/**
 * Ofsted's grade descriptors as DOMAIN.md quotes them, for help text beside each grade. Keyed by code
 * so that a council relabelling a grade keeps its descriptor.
 */
export const GRADE_DESCRIPTORS = {
  outstanding: "Exceeds good and results in sustained improvement to children's lives.",
  good: 'Children are listened to by practitioners who know them well; decisions rest on high-quality assessments; plans are reviewed and make a difference.',
  'requires-improvement': 'Not yet delivering good help, care and protection.',
  inadequate: "Widespread or serious failures ... children's welfare not safeguarded and promoted.",
} as const satisfies Record<Grade, string>

/** The four descriptors in one paragraph, best first, for the hint on a template's overall grade. */
export const GRADE_DESCRIPTORS_HINT = GRADES.map(
  (grade) => `${grade.label}: ${GRADE_DESCRIPTORS[grade.code]}`,
).join(' ')

const DEFAULT_JUDGEMENT_HINT =
  'Grade the practice this section covers, judged on the last six months of the record.'

/**
 * The pair every section must end with (the schema rejects a section without it), so that each
 * section is graded and every grade carries its reason.
 */
export function sectionJudgement(hint?: string): [QuestionInput, QuestionInput] {
  return [
    {
      id: SECTION_JUDGEMENT_ID,
      type: 'grade',
      label: 'What is your judgement for this section?',
      hint: hint ?? DEFAULT_JUDGEMENT_HINT,
    },
    {
      id: SECTION_REASON_ID,
      type: 'text',
      label: 'Why have you made this judgement?',
      hint: 'What difference did the work make for the child? Refer to the evidence in the last six months of the record that supports your grade and, where practice is not yet good, say what would make it good.',
    },
  ]
}
