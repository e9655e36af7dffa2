import { z } from 'zod'

/** The KPI measures a template question can carry; a template has at most one question per measure. */
export const MEASURES = [
  'lived-experience',
  'management-oversight',
  'strength-based',
  'reflective-supervision',
  'supervision-standards',
] as const
export const MeasureSchema = z.enum(MEASURES)
export type Measure = z.infer<typeof MeasureSchema>
