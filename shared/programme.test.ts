import { describe, expect, it } from 'vitest'
import { addMonths, auditorConflict, CycleSchema, deadlineState, formatCycle } from './programme'

describe('cycles', () => {
  it('formats and moves between months', () => {
    expect(formatCycle('2026-04')).toBe('April 2026')
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2025-12', 1)).toBe('2026-01')
    expect(addMonths('2026-04', -12)).toBe('2025-04')
  })

  it('accepts only real months', () => {
    expect(CycleSchema.safeParse('2026-04').success).toBe(true)
    for (const bad of ['2026-13', '2026-4', '26-04', '2026-00', 'April']) {
      expect(CycleSchema.safeParse(bad).success).toBe(false)
    }
  })
})

describe('deadlineState', () => {
  const today = '2026-11-23'
  it('marks open audits overdue or due within seven days', () => {
    expect(deadlineState({ status: 'scheduled', dueDate: '2026-11-22' }, today)).toBe('overdue')
    expect(deadlineState({ status: 'in-progress', dueDate: '2026-11-23' }, today)).toBe('due-soon')
    expect(deadlineState({ status: 'scheduled', dueDate: '2026-11-30' }, today)).toBe('due-soon')
    expect(deadlineState({ status: 'scheduled', dueDate: '2026-12-01' }, today)).toBeNull()
  })
  it('never marks a submitted or cancelled audit', () => {
    expect(deadlineState({ status: 'submitted', dueDate: '2026-01-01' }, today)).toBeNull()
    expect(deadlineState({ status: 'cancelled', dueDate: '2026-01-01' }, today)).toBeNull()
  })
})

describe('auditorConflict', () => {
  it('refuses the allocated worker and members of the case’s team', () => {
    expect(auditorConflict({ id: 'u1', teamId: 't2' }, { workerId: 'u1', teamId: 't1' })).toBe(
      'allocated',
    )
    expect(auditorConflict({ id: 'u1', teamId: 't1' }, { workerId: 'u9', teamId: 't1' })).toBe(
      'own-team',
    )
    expect(auditorConflict({ id: 'u1', teamId: 't2' }, { workerId: 'u9', teamId: 't1' })).toBeNull()
    expect(auditorConflict({ id: 'u1', teamId: null }, { workerId: null, teamId: 't1' })).toBeNull()
  })
})
