import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_STATUSES, COMPLETED_STATUSES } from '../../shared/audit-status'
import { EVIDENCE_CODES, GRADE_CODES } from '../../shared/grading'
import { TEMPLATE_MEASURES } from '../../shared/historical-import'
import { computeKpis, KPIS, type KpiAudit } from '../../shared/kpis'
import type { Measure } from '../../shared/measures'
import { TEMPLATE_CODES } from '../../shared/templates/schema'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { importAuditsCsv } from '../import-audits'
import { kpiAudits, kpisBy, kpisByScan, kpisForPeriod, kpisForPeriodByScan } from './kpis'
import { auditJudgements, audits as auditsTable, councils } from '../schema/index'
import { and, eq, inArray } from 'drizzle-orm'

// The SQL is checked against the pure rules (shared/kpis.ts) on a few hundred random historical
// audits, imported through the CSV exchange format exactly as a council would.
const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'
const COLUMNS: Record<Measure, number> = {
  'lived-experience': 0,
  'strength-based': 1,
  'management-oversight': 2,
  'reflective-supervision': 3,
  'supervision-standards': 4,
}
const SERVICES = ['cin', 'cp', 'cic', 'early-help'] as const

/** A small seeded generator: the same audits on every run. */
function random(seed: number) {
  let state = seed
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
}

type Generated = KpiAudit & { cycle: string }

function generate(count: number): { csv: string; audits: Generated[] } {
  const pick = random(7)
  const lines = [HEADER]
  const audits: Generated[] = []
  for (let i = 0; i < count; i += 1) {
    const template = pick(TEMPLATE_CODES)
    const status = pick(AUDIT_STATUSES)
    const service = pick(SERVICES)
    const cycle = `2025-${String(1 + (i % 12)).padStart(2, '0')}`
    const done = (COMPLETED_STATUSES as readonly string[]).includes(status)
    const auditorGrade = done ? pick([...GRADE_CODES, null]) : null
    const moderatedGrade =
      status === 'moderated' && auditorGrade ? pick([...GRADE_CODES, null, null]) : null
    const judgements: KpiAudit['judgements'] = {}
    const cells = ['', '', '', '', '']
    if (done) {
      for (const measure of TEMPLATE_MEASURES[template]) {
        const value = pick([...EVIDENCE_CODES, null])
        if (value === null) continue
        judgements[measure] = { auditor: value, moderated: null }
        cells[COLUMNS[measure]] = value
      }
    }
    lines.push(
      [
        `K-${i}`,
        cycle,
        template,
        String(200_000 + (i % 50)),
        service,
        `T-${service}`,
        status,
        auditorGrade ?? '',
        moderatedGrade ?? '',
        ...cells,
        '',
      ].join(','),
    )
    audits.push({
      cycle,
      status,
      templateKind: template === 'supervision' ? 'supervision' : 'case-file',
      serviceCode: service,
      auditorGrade,
      moderatedGrade,
      judgements,
    })
  }
  return { csv: lines.join('\n'), audits }
}

let database: TestDatabase
let councilId: string
const { csv, audits } = generate(600)
const period = { from: '2025-04', to: '2025-09' }
const inPeriod = audits.filter((a) => a.cycle >= period.from && a.cycle <= period.to)

beforeAll(async () => {
  database = await createTestDatabase()
  const outcome = await importAuditsCsv(database.db, { text: csv, councilCode: 'kpi' })
  if (!outcome.ok) throw new Error(`${outcome.message} ${JSON.stringify(outcome.problems[0])}`)
  const [council] = await database.db
    .select({ id: councils.id })
    .from(councils)
    .where(eq(councils.code, 'kpi'))
  councilId = council!.id
})

afterAll(() => database.drop())

describe('the KPI counts from the database', () => {
  it('follow the pure rules exactly for a period', async () => {
    const expected = computeKpis(inPeriod)
    expect(await kpisForPeriod(database.db, { councilId, period })).toEqual(expected)
    // Every KPI counted something: the random audits exercise each rule.
    for (const result of expected) expect(result.denominator, result.id).toBeGreaterThan(0)
  })

  it('follow the pure rules per service and per cycle', async () => {
    const byService = await kpisBy(database.db, { councilId, period, by: 'service' })
    for (const group of byService) {
      expect(group.results, group.key).toEqual(
        computeKpis(inPeriod.filter((a) => a.serviceCode === group.key)),
      )
    }
    // Imported audits have no lead auditor: one agency group holds them all.
    const byAgency = await kpisBy(database.db, { councilId, period, by: 'agency' })
    expect(byAgency.map((g) => g.label)).toEqual(['No lead auditor'])
    expect(byAgency[0]?.results).toEqual(computeKpis(inPeriod))
    const byCycle = await kpisBy(database.db, { councilId, period, by: 'cycle' })
    expect(byCycle.map((g) => g.key)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
    ])
  })

  it('list the audits behind each figure', async () => {
    const results = computeKpis(inPeriod)
    for (const kpi of KPIS.slice(0, 4)) {
      const expected = results.find((r) => r.id === kpi.id)!
      const page = await kpiAudits(database.db, {
        councilId,
        period,
        kpi: kpi.id,
        limit: 1_000,
        offset: 0,
      })
      expect(page.total).toBe(expected.denominator)
      expect(page.rows.filter((r) => r.counted === 'numerator')).toHaveLength(expected.numerator)
    }
  })

  it('list the audits behind a breakdown’s figure', async () => {
    const byService = await kpisBy(database.db, { councilId, period, by: 'service' })
    const cin = byService.find((g) => g.key === 'cin')!
    const byTemplate = await kpisBy(database.db, { councilId, period, by: 'template' })
    const supervision = byTemplate.find((g) => g.key === 'supervision')!
    const byAgency = await kpisBy(database.db, { councilId, period, by: 'agency' })
    for (const [group, result] of [
      [{ by: 'agency', key: 'none' }, byAgency[0]!.results[3]!],
      [{ by: 'service', key: 'cin' }, cin.results[2]!],
      [{ by: 'template', key: 'supervision' }, supervision.results[4]!],
    ] as const) {
      const page = await kpiAudits(database.db, {
        councilId,
        period,
        kpi: result.id,
        group,
        limit: 1_000,
        offset: 0,
      })
      expect(page.total, group.key).toBe(result.denominator)
      expect(page.rows).toHaveLength(result.denominator)
      expect(page.rows.filter((r) => r.counted === 'numerator')).toHaveLength(result.numerator)
    }
  })

  it('count nothing in an empty period', async () => {
    const empty = await kpisForPeriod(database.db, {
      councilId,
      period: { from: '2030-01', to: '2030-12' },
    })
    for (const result of empty) expect(result.rag).toBe('none')
  })
})

describe('the roll-up', () => {
  /** The roll-up's figures against a count of the audits themselves, whole and broken down. */
  async function expectExact() {
    const all = { from: '2025-01', to: '2025-12' }
    expect(await kpisForPeriod(database.db, { councilId, period: all })).toEqual(
      await kpisForPeriodByScan(database.db, { councilId, period: all }),
    )
    for (const by of ['team', 'service', 'template', 'cycle'] as const) {
      const scanned = await kpisByScan(database.db, { councilId, period: all, by })
      const rolled = await kpisBy(database.db, { councilId, period: all, by })
      // The roll-up leaves out a group with nothing counted at all (only cancelled audits).
      expect(rolled, by).toEqual(
        scanned.filter((g) => g.results.some((r) => r.denominator > 0 || r.numerator > 0)),
      )
    }
  }

  it('is exact after the import, and stays exact through every kind of change', async () => {
    await expectExact()
    const db = database.db
    const some = await db
      .select({ id: auditsTable.id, status: auditsTable.status })
      .from(auditsTable)
      .where(eq(auditsTable.councilId, councilId))
      .limit(40)
    const moderated = some.filter((a) => a.status === 'moderated').map((a) => a.id)
    // A moderator lowers grades; a lead overturns; judgements change; audits are cancelled.
    await db
      .update(auditsTable)
      .set({ moderatedGrade: 'inadequate' })
      .where(inArray(auditsTable.id, moderated))
    await expectExact()
    await db
      .update(auditJudgements)
      .set({ moderatedValue: 'not' })
      .where(inArray(auditJudgements.auditId, moderated))
    await db.delete(auditJudgements).where(
      and(
        inArray(
          auditJudgements.auditId,
          some.slice(0, 10).map((a) => a.id),
        ),
        eq(auditJudgements.measure, 'lived-experience'),
      ),
    )
    await expectExact()
    await db
      .update(auditsTable)
      .set({
        status: 'cancelled',
        cancelledReason: 'Case closed',
        auditorGrade: null,
        moderatedGrade: null,
      })
      .where(
        inArray(
          auditsTable.id,
          some.slice(10, 20).map((a) => a.id),
        ),
      )
    await expectExact()
    await db.delete(auditsTable).where(
      inArray(
        auditsTable.id,
        some.slice(20, 30).map((a) => a.id),
      ),
    )
    await expectExact()
  })
})
