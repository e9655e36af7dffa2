import { z } from 'zod'

export const CycleSchema = z
  .string()
  .trim()
  .regex(/^(20\d\d)-(0[1-9]|1[0-2])$/, 'Enter the month as YYYY-MM, for example 2026-04')

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** `2026-04` → `April 2026`. */
export function formatCycle(cycle: string): string {
  const [year, month] = cycle.split('-')
  return `${MONTHS[Number(month) - 1] ?? '?'} ${year}`
}

/** The cycle a date falls in, in UTC: `2026-11-23` → `2026-11`. */
export function cycleOf(date: Date): string {
  return date.toISOString().slice(0, 7)
}

export function addMonths(cycle: string, months: number): string {
  const [year, month] = cycle.split('-').map(Number)
  const index = (year ?? 0) * 12 + (month ?? 1) - 1 + months
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

export const DUE_SOON_DAYS = 7

const OPEN_STATUSES = new Set(['scheduled', 'in-progress'])

/** Where an assigned audit stands for its auditor: overdue and due soon only while still open. */
export function deadlineState(
  audit: { status: string; dueDate: string | null },
  today: string,
): 'overdue' | 'due-soon' | null {
  if (!audit.dueDate || !OPEN_STATUSES.has(audit.status)) return null
  if (audit.dueDate < today) return 'overdue'
  const soon = new Date(`${today}T00:00:00Z`)
  soon.setUTCDate(soon.getUTCDate() + DUE_SOON_DAYS)
  return audit.dueDate <= soon.toISOString().slice(0, 10) ? 'due-soon' : null
}

/**
 * An auditor never audits a case they manage: neither a case allocated to them nor one held by their
 * own team (auditors are the team managers and senior practitioners of other teams).
 */
export function auditorConflict(
  auditor: { id: string; teamId: string | null },
  caseFile: { workerId: string | null; teamId: string },
): 'allocated' | 'own-team' | null {
  if (caseFile.workerId === auditor.id) return 'allocated'
  if (auditor.teamId !== null && auditor.teamId === caseFile.teamId) return 'own-team'
  return null
}
