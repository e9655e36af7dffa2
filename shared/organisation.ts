import { z } from 'zod'

/** The defaults every new council starts with; councils can change their own lists. */
export const DEFAULT_SERVICES = [
  { code: 'early-help', label: 'Early help' },
  { code: 'front-door', label: 'Front door' },
  { code: 'cin', label: 'Children in need' },
  { code: 'cp', label: 'Child protection' },
  { code: 'cic', label: 'Children in care' },
  { code: 'care-leavers', label: 'Care leavers' },
  { code: 'disabled-children', label: 'Disabled children' },
] as const

export const DEFAULT_AGENCIES = [
  { code: 'csc', label: "Children's social care" },
  { code: 'health', label: 'Health' },
  { code: 'police', label: 'Police' },
  { code: 'education', label: 'Education' },
  { code: 'early-help', label: 'Early help' },
] as const

export const DEFAULT_THEMES = [
  { code: 'voice-of-the-child', label: 'Voice of the child' },
  { code: 'chronology', label: 'Chronology' },
  { code: 'smart-planning', label: 'SMART planning' },
  { code: 'management-oversight', label: 'Management oversight' },
  { code: 'reflective-supervision', label: 'Reflective supervision' },
  { code: 'risk-analysis', label: 'Risk analysis' },
  { code: 'multi-agency-communication', label: 'Multi-agency communication' },
  { code: 'life-story-work', label: 'Life-story work' },
  { code: 'identity', label: 'Identity' },
] as const

/** Codes are lower-case kebab words: they appear in URLs, CSV files and document names. */
export const CodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens')
