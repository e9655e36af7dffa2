import { describe, expect, it } from 'vitest'
import { drawSample, monthsBetween, newSeed, type SampleCase, type SampleParams } from './sampling'

function casesOf(team: string, count: number, service = 'cin'): SampleCase[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${team}-case-${String(i).padStart(3, '0')}`,
    teamId: team,
    serviceCode: service,
    lastAuditedCycle: null,
  }))
}

const CASES = [...casesOf('team-a', 30), ...casesOf('team-b', 30, 'cp'), ...casesOf('team-c', 2)]

function params(overrides: Partial<SampleParams> = {}): SampleParams {
  return {
    cases: CASES,
    teamIds: [],
    serviceCodes: [],
    perTeam: 4,
    cycle: '2026-05',
    excludeAuditedWithinMonths: 3,
    seed: 'abc123',
    ...overrides,
  }
}

describe('monthsBetween', () => {
  it('counts months from the first cycle to the second', () => {
    expect(monthsBetween('2026-02', '2026-05')).toBe(3)
    expect(monthsBetween('2025-11', '2026-02')).toBe(3)
    expect(monthsBetween('2026-05', '2026-05')).toBe(0)
    expect(monthsBetween('2026-05', '2026-02')).toBe(-3)
  })
})

describe('newSeed', () => {
  it('makes short, different base-36 seeds', () => {
    const seeds = new Set(Array.from({ length: 50 }, () => newSeed()))
    expect(seeds.size).toBe(50)
    for (const seed of seeds) expect(seed).toMatch(/^[0-9a-z]{6,12}$/)
  })
})

describe('drawSample', () => {
  it('draws the same sample from the same seed, whatever the order of the cases', () => {
    const first = drawSample(params())
    const again = drawSample(params())
    const shuffled = drawSample(params({ cases: [...CASES].reverse() }))
    expect(again).toEqual(first)
    expect(shuffled).toEqual(first)
  })

  it('draws a different sample from a different seed', () => {
    const samples = new Set(
      ['s1', 's2', 's3', 's4'].map((seed) => drawSample(params({ seed })).selected.join()),
    )
    expect(samples.size).toBeGreaterThan(1)
  })

  it('takes perTeam from each team in team order and reports shortfalls', () => {
    const sample = drawSample(params())
    expect(sample.selected).toHaveLength(4 + 4 + 2)
    expect(sample.selected.slice(0, 4).every((id) => id.startsWith('team-a-'))).toBe(true)
    expect(sample.selected.slice(4, 8).every((id) => id.startsWith('team-b-'))).toBe(true)
    expect(sample.selected.slice(8).sort()).toEqual(['team-c-case-000', 'team-c-case-001'])
    expect(new Set(sample.selected).size).toBe(sample.selected.length)
    expect(sample.shortfalls).toEqual([{ teamId: 'team-c', wanted: 4, available: 2 }])
  })

  it('does not let one team’s cases change another team’s draw', () => {
    const before = drawSample(params({ teamIds: ['team-a', 'team-b'] }))
    const after = drawSample(
      params({
        teamIds: ['team-a', 'team-b'],
        cases: [...CASES, ...casesOf('team-a', 40).slice(30)],
      }),
    )
    expect(after.selected.slice(4)).toEqual(before.selected.slice(4))
  })

  it('leaves out cases audited in the cycle or the N months before it', () => {
    const cycles = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']
    const cases = cycles.map((cycle) => ({
      id: `c-${cycle}`,
      teamId: 't',
      serviceCode: 'cin',
      lastAuditedCycle: cycle,
    }))
    const eligible = (months: number) =>
      drawSample(params({ cases, perTeam: 10, excludeAuditedWithinMonths: months })).selected.sort()
    expect(eligible(3)).toEqual(['c-2025-12', 'c-2026-01'])
    expect(eligible(1)).toEqual(['c-2025-12', 'c-2026-01', 'c-2026-02', 'c-2026-03'])
    expect(eligible(0)).toEqual(cases.map((c) => c.id))
    expect(drawSample(params({ cases, perTeam: 10 })).shortfalls).toEqual([
      { teamId: 't', wanted: 10, available: 2 },
    ])
  })

  it('draws only from the chosen teams and services', () => {
    const teams = drawSample(params({ teamIds: ['team-b', 'team-x'] }))
    expect(teams.selected).toHaveLength(4)
    expect(teams.selected.every((id) => id.startsWith('team-b-'))).toBe(true)
    expect(teams.shortfalls).toEqual([{ teamId: 'team-x', wanted: 4, available: 0 }])

    const services = drawSample(params({ serviceCodes: ['cp'] }))
    expect(services.selected.every((id) => id.startsWith('team-b-'))).toBe(true)
    expect(services.shortfalls).toEqual([])
  })

  it('draws nothing when asked for none', () => {
    expect(drawSample(params({ perTeam: 0 }))).toEqual({ selected: [], shortfalls: [] })
  })
})
