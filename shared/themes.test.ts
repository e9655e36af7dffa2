import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_THEMES } from './organisation'
import { livedExperienceTemplate } from './templates/lived-experience'
import { TemplateSchema } from './templates/schema'
import {
  excerptQuestions,
  formatPoints,
  previousPeriod,
  readThemeTags,
  risingThemes,
  suggestThemes,
  tagKey,
  ThemeFormSchema,
  themeTable,
  THEMES_MAP,
  trendCycles,
} from './themes'

const template = TemplateSchema.parse(livedExperienceTemplate)
const themes = DEFAULT_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }))

describe('excerptQuestions', () => {
  it('lists every section’s strengths and areas for development, in order', () => {
    const excerpts = excerptQuestions(template)
    expect(excerpts.length).toBe(template.sections.length * 2)
    expect(excerpts[0]).toMatchObject({ key: 'seeing-the-child.strengths', kind: 'strength' })
    expect(excerpts[1]).toMatchObject({
      key: 'seeing-the-child.areas-for-development',
      kind: 'development',
    })
  })
})

describe('suggestThemes', () => {
  it('matches whole words and phrases, whatever their case, and says what matched', () => {
    const suggestions = suggestThemes(
      'The child’s WISHES AND   FEELINGS are recorded; the Chronology is current.',
      themes,
    )
    expect(suggestions.map((s) => s.code).sort()).toEqual(['chronology', 'voice-of-the-child'])
    expect(suggestions.find((s) => s.code === 'voice-of-the-child')?.matches).toEqual([
      'wishes and feelings',
    ])
  })

  it('matches a word’s endings only where the keyword ends in *', () => {
    expect(suggestThemes('Chronologies were missing.', themes).map((s) => s.code)).toEqual([
      'chronology',
    ])
    // "plan" is a keyword without *: "planet" and "planned" are not plans.
    expect(suggestThemes('A planet; the visit was planned.', themes)).toEqual([])
    expect(suggestThemes('The plans were reviewed.', themes).map((s) => s.code)).toEqual([
      'smart-planning',
    ])
  })

  it('does not match inside words, nor an empty excerpt, nor themes skipped', () => {
    expect(suggestThemes('Unvoiced concerns', themes)).toEqual([])
    expect(suggestThemes('   ', themes)).toEqual([])
    expect(
      suggestThemes('The child’s voice is heard.', themes, new Set(['voice-of-the-child'])),
    ).toEqual([])
  })

  it('puts the theme with most matches first', () => {
    const [first] = suggestThemes(
      'Supervision was reflective and explored hypotheses; the plan was reviewed.',
      themes,
    )
    expect(first?.code).toBe('reflective-supervision')
    expect(first?.matches).toEqual(['supervision', 'reflective', 'hypotheses'])
  })
})

describe('readThemeTags', () => {
  it('reads tags and dismissed suggestions per excerpt, ignoring keys that are not excerpts', () => {
    const doc = new Y.Doc()
    const map = doc.getMap(THEMES_MAP)
    map.set(tagKey('seeing-the-child.strengths', 'voice-of-the-child'), true)
    map.set(tagKey('seeing-the-child.strengths', 'chronology'), false)
    map.set(tagKey('seeing-the-child.judgement', 'identity'), true)
    map.set('nonsense', true)
    map.set(tagKey('seeing-the-child.areas-for-development', 'identity'), 'yes')
    expect([...readThemeTags(doc, template)]).toEqual([
      ['seeing-the-child.strengths', { tagged: ['voice-of-the-child'], rejected: ['chronology'] }],
    ])
  })
})

describe('periods', () => {
  it('the previous period has the same length and ends the month before', () => {
    expect(previousPeriod({ from: '2026-04', to: '2026-09' })).toEqual({
      from: '2025-10',
      to: '2026-03',
    })
    expect(previousPeriod({ from: '2027-01', to: '2027-01' })).toEqual({
      from: '2026-12',
      to: '2026-12',
    })
  })

  it('a trend is the 12 cycles ending with the period', () => {
    const cycles = trendCycles({ from: '2026-04', to: '2027-02' })
    expect(cycles).toHaveLength(12)
    expect(cycles[0]).toBe('2026-03')
    expect(cycles.at(-1)).toBe('2027-02')
  })
})

describe('themeTable', () => {
  const names = [
    { code: 'chronology', label: 'Chronology' },
    { code: 'identity', label: 'Identity' },
    { code: 'voice-of-the-child', label: 'Voice of the child' },
  ]
  const table = (current: number, previous: number, completed = 20, before = 20) =>
    themeTable({
      themes: names,
      current: {
        counts: [
          { code: 'chronology', kind: 'development', audits: current },
          { code: 'chronology', kind: 'strength', audits: 2 },
        ],
        completed,
        anyByTheme: new Map([['chronology', current + 2]]),
      },
      previous: {
        counts: [{ code: 'chronology', kind: 'development', audits: previous }],
        completed: before,
      },
    }).find((row) => row.code === 'chronology')

  it('compares shares, not counts, of completed audits', () => {
    // 6 of 20 (30.0%) against 3 of 20 (15.0%): up 15 points.
    expect(table(6, 3)).toMatchObject({
      developments: 6,
      strengths: 2,
      developmentShare: 300,
      previousDevelopmentShare: 150,
      change: 150,
      direction: 'rising',
    })
    // Twice the audits, twice the count: the same share, steady.
    expect(table(6, 3, 40, 20)).toMatchObject({ change: 0, direction: 'steady' })
  })

  it('calls a change of exactly 5 points rising, and just under it steady', () => {
    expect(table(4, 3)?.direction).toBe('rising') // 20.0% − 15.0%
    expect(table(4, 3, 21, 20)?.direction).toBe('steady') // 19.0% − 15.0%
    expect(table(2, 3)?.direction).toBe('falling') // −5.0
  })

  it('does not call a change on fewer than three audits, nor without a previous period', () => {
    expect(table(2, 1, 10, 10)?.direction).toBe('steady') // +10 points, but 2 audits
    expect(table(5, 0, 20, 0)).toMatchObject({ change: null, direction: 'none' })
  })

  it('orders themes by audits, then name, and lists those without audits', () => {
    const rows = themeTable({
      themes: names,
      current: { counts: [], completed: 5, anyByTheme: new Map([['identity', 1]]) },
      previous: { counts: [], completed: 5 },
    })
    expect(rows.map((r) => r.code)).toEqual(['identity', 'chronology', 'voice-of-the-child'])
  })

  it('picks the rising themes, biggest rise first', () => {
    const rows = [table(6, 3), table(4, 3)].filter((r) => r !== undefined)
    expect(risingThemes(rows).map((r) => r.change)).toEqual([150, 50])
  })
})

describe('formatPoints', () => {
  it('signs the change and keeps one decimal', () => {
    expect(formatPoints(75)).toBe('+7.5 points')
    expect(formatPoints(-20)).toBe('−2.0 points')
    expect(formatPoints(0)).toBe('0.0 points')
    expect(formatPoints(null)).toBe('–')
  })
})

describe('ThemeFormSchema', () => {
  it('reads keywords one per line or by commas, lower-cased, once each', () => {
    const form = ThemeFormSchema.parse({
      code: 'neglect',
      label: ' Neglect ',
      keywords: 'Neglect\nhome conditions, hygiene*\n\nneglect',
    })
    expect(form).toEqual({
      code: 'neglect',
      label: 'Neglect',
      keywords: ['neglect', 'home conditions', 'hygiene*'],
    })
  })

  it('names what is wrong', () => {
    const result = ThemeFormSchema.safeParse({ code: 'Bad Code', label: '', keywords: 'a, ok*x' })
    expect(result.success).toBe(false)
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(messages).toContain('label: Enter the theme’s name')
    expect(messages?.some((m) => m.startsWith('keywords.0: A keyword must be at least 2'))).toBe(
      true,
    )
    expect(messages?.some((m) => m.startsWith('code:'))).toBe(true)
  })
})
