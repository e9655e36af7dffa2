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

/**
 * Learning themes, each with the words and phrases that suggest it for an excerpt (shared/themes.ts).
 * A `*` at the end of a word matches any ending: `chronolog*` matches chronology and chronologies.
 */
export const DEFAULT_THEMES = [
  {
    code: 'voice-of-the-child',
    label: 'Voice of the child',
    keywords: [
      'voice',
      'wishes and feelings',
      'own words',
      'child said',
      'views',
      'seen alone',
      'direct work',
      'day in the life',
    ],
  },
  {
    code: 'chronology',
    label: 'Chronology',
    keywords: ['chronolog*', 'history', 'timeline', 'significant events'],
  },
  {
    code: 'smart-planning',
    label: 'SMART planning',
    keywords: ['smart', 'plan', 'plans', 'outcomes', 'timescale*', 'measurable', 'contingency'],
  },
  {
    code: 'management-oversight',
    label: 'Management oversight',
    keywords: [
      'management oversight',
      'manager',
      'oversight',
      'sign off',
      'signed off',
      'decision',
      'rationale',
      'drift',
      'delay',
    ],
  },
  {
    code: 'reflective-supervision',
    label: 'Reflective supervision',
    keywords: ['supervision', 'reflect*', 'hypothes*', 'emotional impact', 'wellbeing'],
  },
  {
    code: 'risk-analysis',
    label: 'Risk analysis',
    keywords: ['risk*', 'danger statement', 'safety goal', 'harm', 'safety', 'protective factors'],
  },
  {
    code: 'multi-agency-communication',
    label: 'Multi-agency communication',
    keywords: [
      'multi-agency',
      'partner*',
      'agencies',
      'information sharing',
      'shared',
      'health visitor',
      'school',
      'police',
      'strategy discussion',
      'core group',
    ],
  },
  {
    code: 'life-story-work',
    label: 'Life-story work',
    keywords: ['life story', 'life-story', 'later life letter', 'memory box'],
  },
  {
    code: 'identity',
    label: 'Identity',
    keywords: [
      'identity',
      'culture',
      'cultural',
      'faith',
      'religio*',
      'ethnicity',
      'language',
      'disability',
      'heritage',
    ],
  },
] as const

/** Codes are lower-case kebab words: they appear in URLs, CSV files and document names. */
export const CodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens')
