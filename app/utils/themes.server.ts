import type { Queryable } from '../../db/client'
import {
  EXCERPTS_PAGE_SIZE,
  listPeopleNames,
  listThemes,
  themeCounts,
  themeExcerpts,
  themeTrend,
  type ThemeGroup,
} from '../../db/queries/learning'
import { depersonalise } from '../../shared/depersonalise'
import { formatPercent, percentTenths, type Period } from '../../shared/kpis'
import {
  previousPeriod,
  themeTable,
  trendCycles,
  type ExcerptKind,
  type ThemeCount,
} from '../../shared/themes'
import { getLexicon } from './lexicon.server'

type CountRows = Awaited<ReturnType<typeof themeCounts>>

/** One group's (or the whole council's) counts, in the shape themeTable reads. */
function countsOf(rows: CountRows, group: string) {
  return {
    counts: rows.counts.filter((c) => c.group === group),
    completed: rows.completed.find((c) => c.group === group)?.audits ?? 0,
    anyByTheme: new Map(rows.any.filter((a) => a.group === group).map((a) => [a.code, a.audits])),
  }
}

function hasCounts(rows: CountRows, code: string): boolean {
  return rows.any.some((a) => a.code === code)
}

/**
 * The period's theme table beside the period before. Every current theme has a row; a retired one
 * only when audits of either period carry it, so history is not lost when a theme is retired.
 */
export async function getThemeReport(
  db: Queryable,
  params: { councilId: string; period: Period; by?: ThemeGroup },
) {
  const previous = previousPeriod(params.period)
  const [themes, current, before] = await Promise.all([
    listThemes(db, { councilId: params.councilId, includeRetired: true }),
    themeCounts(db, { councilId: params.councilId, period: params.period, by: params.by }),
    themeCounts(db, { councilId: params.councilId, period: previous, by: params.by }),
  ])
  const shown = themes.filter(
    (t) => t.retiredAt === null || hasCounts(current, t.code) || hasCounts(before, t.code),
  )
  // Without a breakdown there is one group, '', even in a period without audits.
  const groups = params.by
    ? [...new Set(current.completed.map((c) => c.group))].sort((a, b) => a.localeCompare(b))
    : ['']
  return {
    previous,
    retired: shown.filter((t) => t.retiredAt !== null).map((t) => t.code),
    groups: groups.map((group) => {
      const now = countsOf(current, group)
      const then = countsOf(before, group)
      return {
        group,
        completed: now.completed,
        previousCompleted: then.completed,
        rows: themeTable({ themes: shown, current: now, previous: then }),
      }
    }),
  }
}

export type ThemeReportGroup = Awaited<ReturnType<typeof getThemeReport>>['groups'][number]

/** The council's table for a period: the one group of a report without a breakdown. */
export async function getThemeTable(db: Queryable, params: { councilId: string; period: Period }) {
  const report = await getThemeReport(db, params)
  const whole = report.groups[0]
  return {
    previous: report.previous,
    retired: report.retired,
    completed: whole?.completed ?? 0,
    previousCompleted: whole?.previousCompleted ?? 0,
    rows: whole?.rows ?? [],
  }
}

export type TrendPoint = { cycle: string; completed: number; audits: number; share: number | null }

/**
 * The 12 cycles ending with the period's last, and a theme's series of one kind over them: how many
 * completed audits carried it, and their share of the month's completed audits.
 */
export async function getThemeTrends(
  db: Queryable,
  params: { councilId: string; period: Period; theme?: string },
) {
  const cycles = trendCycles(params.period)
  const { counts, completed } = await themeTrend(db, {
    councilId: params.councilId,
    cycles,
    theme: params.theme,
  })
  const completedIn = new Map(completed.map((c) => [c.cycle, c.audits]))
  const series = (code: string, kind: ThemeCount['kind']): TrendPoint[] =>
    cycles.map((cycle) => {
      const audits =
        counts.find((c) => c.cycle === cycle && c.code === code && c.kind === kind)?.audits ?? 0
      const total = completedIn.get(cycle) ?? 0
      return { cycle, completed: total, audits, share: percentTenths(audits, total) }
    })
  return { cycles, series }
}

/**
 * One page of a theme's excerpts, depersonalised here so that the text as written never leaves
 * the server: staff names and the case's reference are removed by name, and anything else that
 * reads like a name or a reference by the depersonaliser's rules.
 */
export async function getThemeExcerpts(
  db: Queryable,
  params: { councilId: string; period: Period; theme: string; kind?: ExcerptKind; page: number },
) {
  const [{ rows, total }, knownNames] = await Promise.all([
    themeExcerpts(db, params),
    listPeopleNames(db, { councilId: params.councilId }),
  ])
  const lexicon = getLexicon()
  return {
    total,
    pages: Math.max(1, Math.ceil(total / EXCERPTS_PAGE_SIZE)),
    /** The number of the page's first excerpt, counting from 1. */
    first: (params.page - 1) * EXCERPTS_PAGE_SIZE + 1,
    excerpts: rows.map((row) => ({
      auditId: row.auditId,
      questionKey: row.questionKey,
      kind: row.kind,
      cycle: row.cycle,
      team: row.team,
      template: row.template,
      text: depersonalise(row.text, { lexicon, knownNames, knownReferences: [row.caseRef] }),
    })),
  }
}

export const THEME_CSV_COLUMNS = [
  'code',
  'label',
  'strengths',
  'developments',
  'audits',
  'development_share',
  'previous_share',
  'change_points',
  'direction',
] as const

function percentCell(tenths: number | null): string {
  return tenths === null ? '' : formatPercent(tenths).replace('%', '')
}

function pointsCell(tenths: number | null): string {
  if (tenths === null) return ''
  const size = Math.abs(tenths)
  return `${tenths < 0 ? '-' : ''}${Math.floor(size / 10)}.${size % 10}`
}

/** The theme table as CSV rows: shares in percent and changes in points, to one decimal place. */
export function themeCsvRows(
  groups: readonly ThemeReportGroup[],
  by: ThemeGroup | undefined,
): (string | number)[][] {
  const header = by ? [by, ...THEME_CSV_COLUMNS] : [...THEME_CSV_COLUMNS]
  const rows = groups.flatMap((group) =>
    group.rows.map((row) => {
      const cells = [
        row.code,
        row.label,
        row.strengths,
        row.developments,
        row.audits,
        percentCell(row.developmentShare),
        percentCell(row.previousDevelopmentShare),
        pointsCell(row.change),
        row.direction === 'none' ? '' : row.direction,
      ]
      return by ? [group.group, ...cells] : cells
    }),
  )
  return [header, ...rows]
}
