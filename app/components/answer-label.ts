import { EVIDENCE_JUDGEMENTS, GRADES } from '../../shared/grading'

const LABELS = new Map<string, string>([
  ...GRADES.map((g) => [g.code, g.label] as const),
  ...EVIDENCE_JUDGEMENTS.map((e) => [e.code, e.label] as const),
  ['yes', 'Yes'],
  ['no', 'No'],
])

/** How an answer's code reads on a page: a grade's or judgement's label, free text as it is. */
export function answerLabel(value: string | null | undefined, empty = 'Not answered'): string {
  if (!value) return empty
  return LABELS.get(value) ?? value
}
