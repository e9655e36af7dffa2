import { COMPLETED_STATUSES } from './audit-status'
import { GRADE_CODES } from './grading'
import type { Measure } from './measures'
import { finalValue } from './moderation'

/**
 * The improvement plan's audit KPIs (DOMAIN.md, "The KPIs"), as data and pure functions: the one
 * place their arithmetic lives. The SQL that feeds the pages is tested against `computeKpis`.
 */

export type KpiId =
  'A1.1' | 'A1.2' | 'A1.3' | 'A1.4' | 'A1.5' | 'A3.2' | 'A3.3' | 'A3.4' | 'A3.5' | 'A2.7'

/** One audit as the KPIs see it: final values are worked out from the auditor's and moderator's. */
export type KpiAudit = {
  status: string
  templateKind: 'case-file' | 'supervision'
  serviceCode: string
  auditorGrade: string | null
  moderatedGrade: string | null
  judgements: Partial<Record<Measure, { auditor: string | null; moderated: string | null }>>
}

type Counted = { numerator: boolean; denominator: boolean }

export type KpiDefinition = {
  id: KpiId
  /** The improvement plan's own wording. */
  title: string
  /** Percent. */
  target: number
  denominatorText: string
  numeratorText: string
  count: (audit: KpiAudit) => Counted
}

const completed = new Set<string>(COMPLETED_STATUSES)

function isCompleted(audit: KpiAudit): boolean {
  return completed.has(audit.status)
}

/** Requires improvement or better: rank 1–3 of the grade scale. */
function riOrBetter(grade: string | null): boolean {
  const rank = grade ? GRADE_CODES.indexOf(grade as (typeof GRADE_CODES)[number]) : -1
  return rank >= 0 && rank <= 2
}

function graded(kind: KpiAudit['templateKind'], extra?: (audit: KpiAudit) => boolean) {
  return (audit: KpiAudit): Counted => {
    const grade = finalValue(audit.auditorGrade, audit.moderatedGrade)
    const denominator =
      isCompleted(audit) &&
      audit.templateKind === kind &&
      grade !== null &&
      (extra ? extra(audit) : true)
    return { denominator, numerator: denominator && riOrBetter(grade) }
  }
}

/** A judgement that is unanswered or n/a leaves the denominator. */
function judged(measure: Measure, kind?: KpiAudit['templateKind']) {
  return (audit: KpiAudit): Counted => {
    const judgement = audit.judgements[measure]
    const value = finalValue(judgement?.auditor, judgement?.moderated)
    const denominator =
      isCompleted(audit) &&
      (kind === undefined || audit.templateKind === kind) &&
      value !== null &&
      value !== 'n/a'
    return { denominator, numerator: denominator && value === 'consistently' }
  }
}

export const KPIS: readonly KpiDefinition[] = [
  {
    id: 'A1.1',
    title: '100% of audits completed',
    target: 100,
    denominatorText: 'audits in the period, not cancelled',
    numeratorText: 'completed',
    count: (audit) => {
      const denominator = audit.status !== 'cancelled'
      return { denominator, numerator: denominator && isCompleted(audit) }
    },
  },
  {
    id: 'A1.2',
    title: '100% of case file audits moderated',
    target: 100,
    denominatorText: 'completed case-file audits',
    numeratorText: 'status moderated',
    count: (audit) => {
      const denominator = isCompleted(audit) && audit.templateKind === 'case-file'
      return { denominator, numerator: denominator && audit.status === 'moderated' }
    },
  },
  {
    id: 'A1.3',
    title: '70% of case file audits judged Requires Improvement or better',
    target: 70,
    denominatorText: 'completed case-file audits with a final overall grade',
    numeratorText: 'final grade Requires Improvement or better',
    count: graded('case-file'),
  },
  {
    id: 'A1.4',
    title: '70% of audits evidence the child’s lived experience consistently',
    target: 70,
    denominatorText: 'completed audits with a final lived-experience judgement',
    numeratorText: 'consistently evidenced',
    count: judged('lived-experience'),
  },
  {
    id: 'A1.5',
    title: '70% of supervision audits judged Requires Improvement or better',
    target: 70,
    denominatorText: 'completed supervision audits with a final overall grade',
    numeratorText: 'final grade Requires Improvement or better',
    count: graded('supervision'),
  },
  {
    id: 'A3.2',
    title: '80% of supervision in line with practice standards',
    target: 80,
    denominatorText: 'completed supervision audits with a final supervision-standards judgement',
    numeratorText: 'consistently evidenced',
    count: judged('supervision-standards', 'supervision'),
  },
  {
    id: 'A3.3',
    title: '70% of case file audits evidence strength-based assessment',
    target: 70,
    denominatorText: 'completed case-file audits with a final strength-based judgement',
    numeratorText: 'consistently evidenced',
    count: judged('strength-based', 'case-file'),
  },
  {
    id: 'A3.4',
    title: '80% of supervision audits evidence reflective supervision',
    target: 80,
    denominatorText: 'completed supervision audits with a final reflective-supervision judgement',
    numeratorText: 'consistently evidenced',
    count: judged('reflective-supervision', 'supervision'),
  },
  {
    id: 'A3.5',
    title: '100% of cases evidence management oversight in line with practice standards',
    target: 100,
    denominatorText: 'completed case-file audits with a final management-oversight judgement',
    numeratorText: 'consistently evidenced',
    count: judged('management-oversight', 'case-file'),
  },
  {
    id: 'A2.7',
    title: '70% of children in need cases judged Requires Improvement or better',
    target: 70,
    denominatorText: 'completed case-file audits of children in need, with a final overall grade',
    numeratorText: 'final grade Requires Improvement or better',
    count: graded('case-file', (audit) => audit.serviceCode === 'cin'),
  },
]

export type Rag = 'green' | 'amber' | 'red' | 'none'

export const RAG_LABELS: Readonly<Record<Rag, string>> = {
  green: 'Green: on target',
  amber: 'Amber: within 10 points of target',
  red: 'Red: more than 10 points below target',
  none: 'No rating: nothing to count',
}

/** A cohort smaller than this carries a caveat: one audit moves the figure a long way. */
export const SMALL_COHORT = 10

/**
 * The percentage shown: one decimal place, rounded half up on the exact fraction (13/16 = 81.25
 * shows as 81.3), in integer arithmetic so that no floating-point error can round it the wrong way.
 * Returns tenths of a percent, or null when the denominator is 0.
 */
export function percentTenths(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null
  // round(1000 n / d) half up = floor((2000 n + d) / (2 d))
  return Math.floor((2000 * numerator + denominator) / (2 * denominator))
}

export function formatPercent(tenths: number | null): string {
  if (tenths === null) return '–'
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`
}

/** RAG on the shown value: green at or above target, amber within 10 points below, else red. */
export function ragOf(tenths: number | null, target: number): Rag {
  if (tenths === null) return 'none'
  if (tenths >= target * 10) return 'green'
  if (tenths >= (target - 10) * 10) return 'amber'
  return 'red'
}

export type KpiResult = {
  id: KpiId
  title: string
  target: number
  numerator: number
  denominator: number
  percentTenths: number | null
  rag: Rag
  smallCohort: boolean
}

export function resultOf(
  definition: KpiDefinition,
  numerator: number,
  denominator: number,
): KpiResult {
  const tenths = percentTenths(numerator, denominator)
  return {
    id: definition.id,
    title: definition.title,
    target: definition.target,
    numerator,
    denominator,
    percentTenths: tenths,
    rag: ragOf(tenths, definition.target),
    smallCohort: denominator > 0 && denominator < SMALL_COHORT,
  }
}

/** Every KPI over a set of audits: the reference the SQL is tested against. */
export function computeKpis(audits: readonly KpiAudit[]): KpiResult[] {
  return KPIS.map((definition) => {
    let numerator = 0
    let denominator = 0
    for (const audit of audits) {
      const counted = definition.count(audit)
      if (counted.denominator) denominator += 1
      if (counted.numerator) numerator += 1
    }
    return resultOf(definition, numerator, denominator)
  })
}

export type Period = { from: string; to: string }

/** What the KPIs can be broken down by; an audit's agency is its lead auditor's. */
export const BREAKDOWNS = ['team', 'service', 'agency', 'template', 'cycle'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

/** The default period: the financial year (April to March) to date, in cycles. */
export function financialYearToDate(today: Date): Period {
  const year = today.getUTCFullYear()
  const month = today.getUTCMonth() + 1
  const startYear = month >= 4 ? year : year - 1
  return { from: `${startYear}-04`, to: `${year}-${String(month).padStart(2, '0')}` }
}

export type PeriodProblem = { field: 'from' | 'to'; message: string }

const CYCLE = /^(20\d\d)-(0[1-9]|1[0-2])$/

/**
 * The period asked for (`from`, `to` as YYYY-MM), or the financial year to date when none is
 * given. Anything wrong is named, and the default period is used instead of a guess.
 */
export function parsePeriod(
  input: { from?: string | null; to?: string | null },
  today: Date,
): { period: Period; errors: PeriodProblem[] } {
  const fallback = financialYearToDate(today)
  const errors: PeriodProblem[] = []
  const read = (field: 'from' | 'to'): string => {
    const raw = input[field]?.trim() ?? ''
    if (raw === '') return fallback[field]
    if (!CYCLE.test(raw)) {
      errors.push({
        field,
        message: `Enter the ${field === 'from' ? 'first' : 'last'} month as YYYY-MM, for example 2026-04`,
      })
      return fallback[field]
    }
    return raw
  }
  const period = { from: read('from'), to: read('to') }
  if (errors.length === 0 && period.from > period.to) {
    errors.push({ field: 'to', message: 'The last month must be the same as or after the first' })
  }
  return { period: errors.length > 0 ? fallback : period, errors }
}

export const KPI_CSV_COLUMNS = [
  'kpi',
  'title',
  'numerator',
  'denominator',
  'percent',
  'target',
  'rag',
] as const

/** The KPI table as rows for CSV (DOMAIN.md's columns): percent to one decimal place, blank RAG when none. */
export function kpiTableRows(results: readonly KpiResult[]): (string | number)[][] {
  return [
    [...KPI_CSV_COLUMNS],
    ...results.map((r) => [
      r.id,
      r.title,
      r.numerator,
      r.denominator,
      r.percentTenths === null ? '' : formatPercent(r.percentTenths).replace('%', ''),
      r.target,
      r.rag === 'none' ? '' : r.rag,
    ]),
  ]
}

/** The plan's measures a lead enters each month, with which way is better. */
export const MANUAL_MEASURES = [
  {
    id: 'A3.1',
    title: '70% of staff completing the Restorative Relational Practice programme',
    unit: 'percent',
    target: 70,
    polarity: 'higher',
  },
  {
    id: 'A3.6',
    title: 'Reduction in social work vacancies',
    unit: 'vacancies',
    target: null,
    polarity: 'lower',
  },
] as const
export type ManualMeasureId = (typeof MANUAL_MEASURES)[number]['id']

export type ManualMeasureSummary = {
  id: ManualMeasureId
  title: string
  polarity: 'higher' | 'lower'
  target: number | null
  latest: { cycle: string; value: number } | null
  first: { cycle: string; value: number } | null
  /** For a target: RAG as for the KPIs; without one, better or worse since the period began. */
  rag: Rag
}

/** A manual measure over a period: its latest value, where it started, and how it is doing. */
export function summariseManualMeasure(
  id: ManualMeasureId,
  values: readonly { cycle: string; value: number }[],
): ManualMeasureSummary {
  const definition = MANUAL_MEASURES.find((m) => m.id === id)!
  const sorted = [...values].sort((a, b) => a.cycle.localeCompare(b.cycle))
  const latest = sorted.at(-1) ?? null
  const first = sorted[0] ?? null
  let rag: Rag = 'none'
  if (latest && definition.target !== null)
    rag = ragOf(Math.round(latest.value * 10), definition.target)
  else if (latest && first && sorted.length > 1) {
    const better =
      definition.polarity === 'lower' ? latest.value < first.value : latest.value > first.value
    rag = better ? 'green' : latest.value === first.value ? 'amber' : 'red'
  }
  return {
    id,
    title: definition.title,
    polarity: definition.polarity,
    target: definition.target,
    latest,
    first,
    rag,
  }
}

/** The period a page's address asks for (`?from=YYYY-MM&to=YYYY-MM`), as parsePeriod reads it. */
export function periodFromSearch(search: URLSearchParams, today: Date) {
  return parsePeriod({ from: search.get('from'), to: search.get('to') }, today)
}
