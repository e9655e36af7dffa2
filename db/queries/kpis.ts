import { and, asc, between, eq, sql, type SQL } from 'drizzle-orm'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import {
  KPIS,
  resultOf,
  type Breakdown,
  type KpiId,
  type KpiResult,
  type ManualMeasureId,
  type Period,
} from '../../shared/kpis'
import type { Measure } from '../../shared/measures'
import type { Queryable } from '../client'
import { manualMeasures } from '../schema/index'

/**
 * The counts behind the KPIs, straight from the audits: one scan with a `count(*) FILTER` per
 * numerator and denominator. The rules mirror `shared/kpis.ts` (tested against it); the percentages
 * and RAG are worked out there, never here.
 */

const completed = sql.raw(`a.status in (${COMPLETED_STATUSES.map((s) => `'${s}'`).join(', ')})`)
const grade = sql.raw(`coalesce(a.moderated_grade, a.auditor_grade)`)
const riOrBetter = sql`${grade} in ('outstanding', 'good', 'requires-improvement')`

const MEASURE_COLUMNS: Record<Measure, string> = {
  'lived-experience': 'le',
  'management-oversight': 'mo',
  'strength-based': 'sb',
  'reflective-supervision': 'rs',
  'supervision-standards': 'ss',
}

/** The final value of an audit's judgement for a measure (from the one lateral pivot in FROM). */
function judgement(measure: Measure): SQL {
  return sql.raw(`jv.${MEASURE_COLUMNS[measure]}`)
}

function gradedBy(kind: 'case-file' | 'supervision', extra?: SQL) {
  const den = sql`${completed} and tv.kind = ${kind} and ${grade} is not null${extra ? sql` and ${extra}` : sql``}`
  return { den, num: sql`${den} and ${riOrBetter}` }
}

function judgedBy(measure: Measure, kind?: 'case-file' | 'supervision') {
  const value = judgement(measure)
  const den = sql`${completed}${kind ? sql` and tv.kind = ${kind}` : sql``} and coalesce(${value}, 'n/a') <> 'n/a'`
  return { den, num: sql`${den} and ${value} = 'consistently'` }
}

const COUNTS: Record<KpiId, { den: SQL; num: SQL }> = {
  'A1.1': { den: sql`a.status <> 'cancelled'`, num: completed },
  'A1.2': {
    den: sql`${completed} and tv.kind = 'case-file'`,
    num: sql`a.status = 'moderated' and tv.kind = 'case-file'`,
  },
  'A1.3': gradedBy('case-file'),
  'A1.4': judgedBy('lived-experience'),
  'A1.5': gradedBy('supervision'),
  'A3.2': judgedBy('supervision-standards', 'supervision'),
  'A3.3': judgedBy('strength-based', 'case-file'),
  'A3.4': judgedBy('reflective-supervision', 'supervision'),
  'A3.5': judgedBy('management-oversight', 'case-file'),
  'A2.7': gradedBy('case-file', sql`s.code = 'cin'`),
}

export type { Period } from '../../shared/kpis'

export { BREAKDOWNS, type Breakdown } from '../../shared/kpis'

const GROUP: Record<Breakdown, { key: SQL; label: SQL }> = {
  team: { key: sql`a.team_id::text`, label: sql`t.name` },
  service: { key: sql`s.code`, label: sql`s.label` },
  agency: {
    key: sql`coalesce(ag.code, 'none')`,
    label: sql`coalesce(ag.label, 'No lead auditor')`,
  },
  template: { key: sql`tv.code`, label: sql`min(tv.title)` },
  cycle: { key: sql`a.cycle`, label: sql`a.cycle` },
}

function countColumns(): SQL {
  return sql.join(
    KPIS.map(
      (k, i) =>
        sql`count(*) filter (where ${COUNTS[k.id].num})::int as ${sql.raw(`n${i}`)}, count(*) filter (where ${COUNTS[k.id].den})::int as ${sql.raw(`d${i}`)}`,
    ),
    sql`, `,
  )
}

function resultsOf(row: Record<string, unknown>): KpiResult[] {
  return KPIS.map((k, i) => resultOf(k, Number(row[`n${i}`] ?? 0), Number(row[`d${i}`] ?? 0)))
}

// Each audit's five judgements, pivoted once into columns, rather than a subquery per figure.
const FROM = sql`from audits a
  join template_versions tv on tv.id = a.template_version_id
  join services s on s.id = a.service_id
  join teams t on t.id = a.team_id
  left join lateral (
    select ${sql.raw(
      Object.entries(MEASURE_COLUMNS)
        .map(
          ([measure, column]) =>
            `max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = '${measure}') as ${column}`,
        )
        .join(', '),
    )}
    from audit_judgements j where j.audit_id = a.id
  ) jv on true
  left join audit_assignments la on la.audit_id = a.id and la.role = 'lead'
  left join users lu on lu.id = la.user_id
  left join agencies ag on ag.id = lu.agency_id`

/** Every KPI for a council over a period of cycles (inclusive). */
export async function kpisForPeriod(
  db: Queryable,
  params: { councilId: string; period: Period },
): Promise<KpiResult[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${countColumns()} ${FROM}
    where a.council_id = ${params.councilId}
      and a.cycle between ${params.period.from} and ${params.period.to}`)
  return resultsOf(rows[0] ?? {})
}

/** Every KPI per team, service, template or cycle over a period. */
export async function kpisBy(
  db: Queryable,
  params: { councilId: string; period: Period; by: Breakdown },
): Promise<{ key: string; label: string; results: KpiResult[] }[]> {
  const group = GROUP[params.by]
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${group.key} as key, ${group.label} as label, ${countColumns()} ${FROM}
    where a.council_id = ${params.councilId}
      and a.cycle between ${params.period.from} and ${params.period.to}
    group by ${group.key}${params.by === 'template' ? sql`` : sql`, ${group.label}`}
    order by label`)
  return rows.map((row) => ({
    key: String(row.key),
    label: String(row.label),
    results: resultsOf(row),
  }))
}

export type KpiAuditRow = {
  id: string
  cycle: string
  caseRef: string
  team: string
  template: string
  status: string
  finalGrade: string | null
  counted: 'numerator' | 'denominator only'
}

/** The audits behind one KPI figure: those in its denominator, marked where they are in the numerator. */
export async function kpiAudits(
  db: Queryable,
  params: {
    councilId: string
    period: Period
    kpi: KpiId
    /** Only the numerator's audits, rather than the denominator's. */
    numeratorOnly?: boolean
    limit: number
    offset: number
  },
): Promise<{ rows: KpiAuditRow[]; total: number }> {
  const counts = COUNTS[params.kpi]
  const where = sql`where a.council_id = ${params.councilId}
      and a.cycle between ${params.period.from} and ${params.period.to}
      and ${params.numeratorOnly ? counts.num : counts.den}`
  const [rows, totals] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select a.id, a.cycle, c.case_ref, t.name as team, tv.title as template, a.status,
        ${grade} as final_grade, (${counts.num}) as in_numerator
      ${FROM} join case_files c on c.id = a.case_file_id
      ${where}
      order by a.cycle, c.case_ref, a.id
      limit ${params.limit} offset ${params.offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total ${FROM} ${where}`),
  ])
  return {
    total: Number(totals[0]?.total ?? 0),
    rows: rows.map((row) => ({
      id: String(row.id),
      cycle: String(row.cycle),
      caseRef: String(row.case_ref),
      team: String(row.team),
      template: String(row.template),
      status: String(row.status),
      finalGrade: typeof row.final_grade === 'string' ? row.final_grade : null,
      counted: row.in_numerator === true ? 'numerator' : 'denominator only',
    })),
  }
}

/** The manual measures' monthly values over a period. */
export async function listManualMeasures(
  db: Queryable,
  params: { councilId: string; period: Period },
): Promise<{ measure: ManualMeasureId; cycle: string; value: number }[]> {
  const rows = await db
    .select({
      measure: manualMeasures.measure,
      cycle: manualMeasures.cycle,
      value: manualMeasures.value,
    })
    .from(manualMeasures)
    .where(
      and(
        eq(manualMeasures.councilId, params.councilId),
        between(manualMeasures.cycle, params.period.from, params.period.to),
      ),
    )
    .orderBy(asc(manualMeasures.cycle))
  return rows.map((row) => ({ ...row, measure: row.measure as ManualMeasureId }))
}

/** A lead's value for a month; entering the month again replaces it. */
export async function setManualMeasure(
  db: Queryable,
  params: {
    councilId: string
    measure: ManualMeasureId
    cycle: string
    value: number
    userId: string
  },
): Promise<void> {
  await db
    .insert(manualMeasures)
    .values({
      councilId: params.councilId,
      measure: params.measure,
      cycle: params.cycle,
      value: params.value,
      enteredBy: params.userId,
    })
    .onConflictDoUpdate({
      target: [manualMeasures.councilId, manualMeasures.measure, manualMeasures.cycle],
      set: { value: params.value, enteredBy: params.userId, enteredAt: sql`now()` },
    })
}

/** The period's most tagged learning themes, as strengths and as areas for development. */
export async function listHeadlineThemes(
  db: Queryable,
  params: { councilId: string; period: Period; limit: number },
): Promise<{ code: string; label: string; kind: string; audits: number }[]> {
  const rows = await db.execute<{ code: string; label: string; kind: string; audits: number }>(sql`
    select th.code, th.label, at.kind, count(distinct at.audit_id)::int as audits
    from audit_themes at
    join audits a on a.id = at.audit_id
    join themes th on th.id = at.theme_id
    where a.council_id = ${params.councilId}
      and a.cycle between ${params.period.from} and ${params.period.to}
      and a.status <> 'cancelled'
    group by th.code, th.label, at.kind
    order by audits desc, th.label
    limit ${params.limit}`)
  return [...rows]
}
