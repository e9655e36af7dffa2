import { describe, expect, it } from 'vitest'
import {
  computeKpis,
  financialYearToDate,
  formatPercent,
  kpiTableRows,
  parsePeriod,
  percentTenths,
  ragOf,
  summariseManualMeasure,
  type KpiAudit,
  type KpiId,
} from './kpis'

function audit(overrides: Partial<KpiAudit> = {}): KpiAudit {
  return {
    status: 'moderated',
    templateKind: 'case-file',
    serviceCode: 'cin',
    auditorGrade: 'good',
    moderatedGrade: null,
    judgements: {},
    ...overrides,
  }
}

function kpi(audits: KpiAudit[], id: KpiId) {
  const result = computeKpis(audits).find((r) => r.id === id)
  if (!result) throw new Error(id)
  return result
}

describe('the percentage shown', () => {
  it('rounds half up on the exact fraction, to one decimal place', () => {
    expect(formatPercent(percentTenths(13, 16))).toBe('81.3%')
    expect(formatPercent(percentTenths(1, 16))).toBe('6.3%')
    expect(formatPercent(percentTenths(1, 8))).toBe('12.5%')
    expect(formatPercent(percentTenths(1, 3))).toBe('33.3%')
    expect(formatPercent(percentTenths(2, 3))).toBe('66.7%')
    expect(formatPercent(percentTenths(7, 7))).toBe('100.0%')
    expect(formatPercent(percentTenths(0, 7))).toBe('0.0%')
    // 0.1 + 0.2 style traps: 0.4445 would round down in floating point; the fraction does not.
    expect(percentTenths(8_889, 20_000)).toBe(444)
    expect(percentTenths(889, 2_000)).toBe(445)
  })

  it('is no figure at all for an empty denominator', () => {
    expect(percentTenths(0, 0)).toBeNull()
    expect(formatPercent(null)).toBe('–')
  })
})

describe('RAG', () => {
  it('is judged on the shown value against the target', () => {
    expect(ragOf(700, 70)).toBe('green')
    expect(ragOf(699, 70)).toBe('amber')
    expect(ragOf(600, 70)).toBe('amber')
    expect(ragOf(599, 70)).toBe('red')
    expect(ragOf(1000, 100)).toBe('green')
    expect(ragOf(null, 70)).toBe('none')
  })
})

describe('the KPIs', () => {
  it('rate an empty period as nothing to count', () => {
    for (const result of computeKpis([])) {
      expect(result).toMatchObject({
        numerator: 0,
        denominator: 0,
        percentTenths: null,
        rag: 'none',
      })
    }
  })

  it('A1.1 counts completed audits of those not cancelled', () => {
    const audits = [
      audit({ status: 'submitted' }),
      audit({ status: 'in-progress' }),
      audit({ status: 'scheduled' }),
      audit({ status: 'cancelled' }),
    ]
    expect(kpi(audits, 'A1.1')).toMatchObject({ numerator: 1, denominator: 3 })
  })

  it('A1.2 counts moderated case-file audits of completed ones', () => {
    const audits = [
      audit({ status: 'moderated' }),
      audit({ status: 'in-moderation' }),
      audit({ status: 'submitted' }),
      audit({ status: 'moderated', templateKind: 'supervision' }),
      audit({ status: 'in-progress' }),
    ]
    expect(kpi(audits, 'A1.2')).toMatchObject({ numerator: 1, denominator: 3 })
  })

  it('A1.3 uses the moderated grade where there is one', () => {
    const audits = [
      audit({ auditorGrade: 'good', moderatedGrade: 'inadequate' }),
      audit({ auditorGrade: 'inadequate', moderatedGrade: 'requires-improvement' }),
      audit({ auditorGrade: 'outstanding' }),
      audit({ auditorGrade: null }),
      audit({ templateKind: 'supervision' }),
      audit({ status: 'cancelled' }),
    ]
    expect(kpi(audits, 'A1.3')).toMatchObject({ numerator: 2, denominator: 3, smallCohort: true })
  })

  it('A1.5 counts supervision audits only, and A2.7 children in need only', () => {
    const audits = [
      audit({ templateKind: 'supervision', auditorGrade: 'good' }),
      audit({ templateKind: 'supervision', auditorGrade: 'inadequate' }),
      audit({ serviceCode: 'cp', auditorGrade: 'good' }),
      audit({ serviceCode: 'cin', auditorGrade: 'inadequate' }),
    ]
    expect(kpi(audits, 'A1.5')).toMatchObject({ numerator: 1, denominator: 2 })
    expect(kpi(audits, 'A2.7')).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it('judgement KPIs leave out n/a and unanswered, and take the moderated value', () => {
    const le = (auditor: string | null, moderated: string | null = null) =>
      audit({ judgements: { 'lived-experience': { auditor, moderated } } })
    const audits = [
      le('consistently'),
      le('consistently', 'partly'),
      le('partly', 'consistently'),
      le('n/a'),
      le(null),
      audit(),
      audit({
        templateKind: 'supervision',
        judgements: { 'lived-experience': { auditor: 'not', moderated: null } },
      }),
    ]
    // A1.4 is every template's; the other two count only their kind.
    expect(kpi(audits, 'A1.4')).toMatchObject({ numerator: 2, denominator: 4 })
    const sup = (
      measure: 'supervision-standards' | 'reflective-supervision',
      kind: KpiAudit['templateKind'],
    ) =>
      audit({
        templateKind: kind,
        judgements: { [measure]: { auditor: 'consistently', moderated: null } },
      })
    expect(
      kpi(
        [sup('supervision-standards', 'supervision'), sup('supervision-standards', 'case-file')],
        'A3.2',
      ),
    ).toMatchObject({ numerator: 1, denominator: 1 })
    expect(kpi([sup('reflective-supervision', 'supervision')], 'A3.4')).toMatchObject({
      numerator: 1,
      denominator: 1,
      percentTenths: 1000,
      rag: 'green',
    })
  })
})

describe('the default period', () => {
  it('is the financial year to date', () => {
    expect(financialYearToDate(new Date('2026-11-29T10:00:00Z'))).toEqual({
      from: '2026-04',
      to: '2026-11',
    })
    expect(financialYearToDate(new Date('2027-02-01T00:00:00Z'))).toEqual({
      from: '2026-04',
      to: '2027-02',
    })
    expect(financialYearToDate(new Date('2027-04-01T00:00:00Z'))).toEqual({
      from: '2027-04',
      to: '2027-04',
    })
  })
})

describe('the period asked for', () => {
  const today = new Date('2026-11-29T10:00:00Z')
  it('defaults to the financial year to date, and names what is wrong', () => {
    expect(parsePeriod({}, today)).toEqual({
      period: { from: '2026-04', to: '2026-11' },
      errors: [],
    })
    expect(parsePeriod({ from: '2025-01', to: '2025-12' }, today).period).toEqual({
      from: '2025-01',
      to: '2025-12',
    })
    const wrong = parsePeriod({ from: '2025-13', to: 'soon' }, today)
    expect(wrong.period).toEqual({ from: '2026-04', to: '2026-11' })
    expect(wrong.errors.map((e) => e.field)).toEqual(['from', 'to'])
    expect(parsePeriod({ from: '2026-05', to: '2026-04' }, today).errors).toEqual([
      { field: 'to', message: 'The last month must be the same as or after the first' },
    ])
  })
})

describe('the KPI table as CSV rows', () => {
  it('has DOMAIN.md’s columns, percent without its sign, and no RAG when nothing is counted', () => {
    const rows = kpiTableRows(computeKpis([audit()]))
    expect(rows[0]).toEqual([
      'kpi',
      'title',
      'numerator',
      'denominator',
      'percent',
      'target',
      'rag',
    ])
    expect(rows[1]).toEqual(['A1.1', '100% of audits completed', 1, 1, '100.0', 100, 'green'])
    expect(rows.find((r) => r[0] === 'A1.5')).toEqual([
      'A1.5',
      '70% of supervision audits judged Requires Improvement or better',
      0,
      0,
      '',
      70,
      '',
    ])
  })
})

describe('manual measures', () => {
  it('rate a measure with a target on its latest value', () => {
    expect(
      summariseManualMeasure('A3.1', [
        { cycle: '2026-05', value: 72.5 },
        { cycle: '2026-04', value: 40 },
      ]),
    ).toMatchObject({ latest: { cycle: '2026-05', value: 72.5 }, rag: 'green' })
    expect(summariseManualMeasure('A3.1', [{ cycle: '2026-04', value: 61 }]).rag).toBe('amber')
    expect(summariseManualMeasure('A3.1', []).rag).toBe('none')
  })

  it('rate a measure without a target by its direction since the period began', () => {
    const vacancies = (values: number[]) =>
      summariseManualMeasure(
        'A3.6',
        values.map((value, i) => ({ cycle: `2026-0${i + 4}`, value })),
      ).rag
    expect(vacancies([30, 28, 25])).toBe('green')
    expect(vacancies([30, 31])).toBe('red')
    expect(vacancies([30, 30])).toBe('amber')
    expect(vacancies([30])).toBe('none')
  })
})
