import { z } from 'zod'

/** Ofsted's four-point scale. Rank 1 is best; labels are data, not code. */
export const GRADES = [
  { rank: 1, code: 'outstanding', label: 'Outstanding' },
  { rank: 2, code: 'good', label: 'Good' },
  { rank: 3, code: 'requires-improvement', label: 'Requires improvement to be good' },
  { rank: 4, code: 'inadequate', label: 'Inadequate' },
] as const
export const GRADE_CODES = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const
export const GradeSchema = z.enum(GRADE_CODES)
export type Grade = z.infer<typeof GradeSchema>

export const EVIDENCE_JUDGEMENTS = [
  { code: 'consistently', label: 'Consistently evidenced' },
  { code: 'partly', label: 'Partly evidenced' },
  { code: 'not', label: 'Not evidenced' },
  { code: 'n/a', label: 'Not applicable' },
] as const
export const EVIDENCE_CODES = ['consistently', 'partly', 'not', 'n/a'] as const
export const EvidenceSchema = z.enum(EVIDENCE_CODES)
export type Evidence = z.infer<typeof EvidenceSchema>

export function gradeRank(grade: Grade): number {
  return GRADE_CODES.indexOf(grade) + 1
}

/** "Requires improvement or better": rank 1 to 3. */
export function isRequiresImprovementOrBetter(grade: Grade): boolean {
  return gradeRank(grade) <= 3
}
