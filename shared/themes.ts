import type * as Y from 'yjs'
import { z } from 'zod'
import { addMonths } from './programme'
import { answerKey } from './live-document'
import { percentTenths, type Period } from './kpis'
import { CodeSchema } from './organisation'
import type { Template } from './templates/schema'

/**
 * Learning themes. Every section of a template has a strengths answer ("what is working well?") and
 * an areas-for-development answer ("what needs to improve?"); each is an excerpt, and its auditors
 * tag it with themes from the council's list. A tag is the auditors' choice: suggestions from the
 * excerpt's words are only shown, and nothing is tagged until someone accepts it.
 */
export const EXCERPT_KINDS = {
  strengths: 'strength',
  'areas-for-development': 'development',
} as const
export type ExcerptKind = (typeof EXCERPT_KINDS)[keyof typeof EXCERPT_KINDS]
export const EXCERPT_KIND_LABELS: Record<ExcerptKind | 'unclassified', string> = {
  strength: 'Strength',
  development: 'Area for development',
  unclassified: 'Not classified',
}

export type Excerpt = { key: string; kind: ExcerptKind; section: string; label: string }

/** The questions of a template whose answers are excerpts, in the template's order. */
export function excerptQuestions(template: Template): Excerpt[] {
  return template.sections.flatMap((section) =>
    section.questions.flatMap((question) => {
      const kind = EXCERPT_KINDS[question.id as keyof typeof EXCERPT_KINDS]
      if (question.type !== 'text' || !kind) return []
      return [
        {
          key: answerKey(section.id, question.id),
          kind,
          section: section.title,
          label: question.label,
        },
      ]
    }),
  )
}

/**
 * In the live document, tags live in one root map beside the answers, keyed `<answer key>|<theme>`:
 * `true` is a tag, `false` a suggestion someone rejected (so it is not offered again). A flat map
 * lets two auditors tag the same excerpt at once without either losing a tag.
 */
export const THEMES_MAP = 'themes'

export function tagKey(excerptKey: string, theme: string): string {
  return `${excerptKey}|${theme}`
}

export type ExcerptTags = { tagged: string[]; rejected: string[] }

/** The tags of a part's document, by excerpt; tags of questions that are not excerpts are ignored. */
export function readThemeTags(doc: Y.Doc, template: Template): Map<string, ExcerptTags> {
  const excerpts = new Set(excerptQuestions(template).map((e) => e.key))
  const tags = new Map<string, ExcerptTags>()
  doc.getMap(THEMES_MAP).forEach((value, key) => {
    const bar = key.lastIndexOf('|')
    const excerpt = key.slice(0, bar)
    const theme = key.slice(bar + 1)
    if (bar < 0 || !excerpts.has(excerpt) || typeof value !== 'boolean') return
    const entry = tags.get(excerpt) ?? { tagged: [], rejected: [] }
    ;(value ? entry.tagged : entry.rejected).push(theme)
    tags.set(excerpt, entry)
  })
  for (const entry of tags.values()) {
    entry.tagged.sort()
    entry.rejected.sort()
  }
  return tags
}

/** A theme as the council keeps it. */
export type Theme = { code: string; label: string; keywords: readonly string[] }

const KEYWORD = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'A keyword must be at least 2 characters')
  .max(60, 'A keyword must be 60 characters or fewer')
  .regex(
    /^[a-z0-9'’ -]+\*?$/,
    'A keyword is letters, digits, spaces and hyphens, with an optional * at its end',
  )

/** The theme form: keywords are typed one per line (or separated by commas). */
export const ThemeFormSchema = z.object({
  code: CodeSchema,
  label: z
    .string({ error: 'Enter the theme’s name' })
    .trim()
    .min(1, 'Enter the theme’s name')
    .max(80, 'The name must be 80 characters or fewer'),
  keywords: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(/[\n,]/)
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    )
    .pipe(z.array(KEYWORD).max(40, 'Up to 40 keywords'))
    .transform((words) => [...new Set(words)]),
})

export type Suggestion = { code: string; label: string; matches: string[] }

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A keyword as a whole-word pattern: spaces match any run of spaces, a final `*` any ending. */
function keywordPattern(keyword: string): RegExp {
  const prefix = keyword.endsWith('*')
  const words = (prefix ? keyword.slice(0, -1) : keyword).trim().split(/\s+/).map(escapeRegExp)
  const ending = prefix ? "[\\p{L}\\p{N}'’-]*" : ''
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}${ending}(?![\\p{L}\\p{N}])`, 'giu')
}

/**
 * Themes whose keywords appear in an excerpt, with the words that matched, so the auditor sees why.
 * Case-insensitive, whole words only; themes already tagged or rejected are left out.
 */
export function suggestThemes(
  text: string,
  themes: readonly Theme[],
  skip: ReadonlySet<string> = new Set(),
): Suggestion[] {
  if (text.trim() === '') return []
  const suggestions: Suggestion[] = []
  for (const theme of themes) {
    if (skip.has(theme.code)) continue
    const matches = new Set<string>()
    for (const keyword of theme.keywords) {
      for (const match of text.matchAll(keywordPattern(keyword))) {
        matches.add(match[0].toLowerCase().replace(/\s+/g, ' '))
      }
    }
    if (matches.size > 0)
      suggestions.push({ code: theme.code, label: theme.label, matches: [...matches] })
  }
  return suggestions.sort(
    (a, b) => b.matches.length - a.matches.length || a.label.localeCompare(b.label),
  )
}

/** The period of the same length just before this one. */
export function previousPeriod(period: Period): Period {
  const months = monthsIn(period)
  return { from: addMonths(period.from, -months), to: addMonths(period.from, -1) }
}

export function monthsIn(period: Period): number {
  const [fy, fm] = period.from.split('-').map(Number) as [number, number]
  const [ty, tm] = period.to.split('-').map(Number) as [number, number]
  return (ty - fy) * 12 + (tm - fm) + 1
}

/** The 12 cycles ending with the period's last. */
export function trendCycles(period: Period, count = 12): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(period.to, i - count + 1))
}

/** A change of this many percentage points or more in a theme's share of audits is worth a lead's eye. */
export const RISING_POINTS = 5
/** Below this many audits in the period, a theme's change is not called rising or falling. */
export const MIN_AUDITS_FOR_CHANGE = 3

export type ThemeCount = { code: string; kind: ExcerptKind | 'unclassified'; audits: number }

export type ThemeRow = {
  code: string
  label: string
  strengths: number
  developments: number
  /** Audits with the theme at all (either kind, or imported without a kind). */
  audits: number
  /** Share of the period's completed audits that raise it as an area for development, in tenths of a percent. */
  developmentShare: number | null
  previousDevelopmentShare: number | null
  /** Percentage points, in tenths; null without audits in one of the two periods. */
  change: number | null
  direction: 'rising' | 'falling' | 'steady' | 'none'
}

/**
 * A period's themes beside the period before: how many completed audits carry each theme as a
 * strength and as an area for development, and whether its share as an area for development rose
 * or fell by at least RISING_POINTS. Shares (not counts) are compared, as the number of audits
 * changes from month to month.
 */
export function themeTable(params: {
  themes: readonly { code: string; label: string }[]
  current: {
    counts: readonly ThemeCount[]
    completed: number
    /** Audits with each theme, whatever its kind. */
    anyByTheme: ReadonlyMap<string, number>
  }
  previous: { counts: readonly ThemeCount[]; completed: number }
}): ThemeRow[] {
  const count = (counts: readonly ThemeCount[], code: string, kind: ThemeCount['kind']) =>
    counts.find((c) => c.code === code && c.kind === kind)?.audits ?? 0
  return params.themes
    .map((theme): ThemeRow => {
      const developments = count(params.current.counts, theme.code, 'development')
      const before = count(params.previous.counts, theme.code, 'development')
      const developmentShare = percentTenths(developments, params.current.completed)
      const previousDevelopmentShare = percentTenths(before, params.previous.completed)
      const change =
        developmentShare === null || previousDevelopmentShare === null
          ? null
          : developmentShare - previousDevelopmentShare
      let direction: ThemeRow['direction'] = 'none'
      if (change !== null) {
        const enough = Math.max(developments, before) >= MIN_AUDITS_FOR_CHANGE
        if (enough && change >= RISING_POINTS * 10) direction = 'rising'
        else if (enough && change <= -RISING_POINTS * 10) direction = 'falling'
        else direction = 'steady'
      }
      return {
        code: theme.code,
        label: theme.label,
        strengths: count(params.current.counts, theme.code, 'strength'),
        developments,
        audits: params.current.anyByTheme.get(theme.code) ?? 0,
        developmentShare,
        previousDevelopmentShare,
        change,
        direction,
      }
    })
    .sort((a, b) => b.audits - a.audits || a.label.localeCompare(b.label))
}

/** The themes that rose most as areas for development, for the board pack's headlines. */
export function risingThemes(rows: readonly ThemeRow[]): ThemeRow[] {
  return rows
    .filter((row) => row.direction === 'rising')
    .sort((a, b) => (b.change ?? 0) - (a.change ?? 0))
}

/** A change in percentage points, signed: "+7.5 points", "−2.0 points". */
export function formatPoints(tenths: number | null): string {
  if (tenths === null) return '–'
  const sign = tenths > 0 ? '+' : tenths < 0 ? '−' : ''
  const size = Math.abs(tenths)
  return `${sign}${Math.floor(size / 10)}.${size % 10} points`
}
