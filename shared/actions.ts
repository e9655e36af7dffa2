import { z } from 'zod'

/**
 * Audit for impact: the actions an audit agrees with the practitioner. An action is open until its
 * owner (or the audit's lead auditor) records it done with what changed, the evidence that it
 * happened. Overdue is an open action past its due date: worked out from today, never stored.
 */
export const ACTION_STATES = ['open', 'overdue', 'done'] as const
export type ActionState = (typeof ACTION_STATES)[number]
export const ACTION_STATE_LABELS: Record<ActionState, string> = {
  open: 'Open',
  overdue: 'Overdue',
  done: 'Done',
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date as YYYY-MM-DD (30 February is refused). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round(
    (new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000,
  )
}

/** A new action: what, who owns it, and by when (today or later, within two years). */
export function actionFormSchema(today: string) {
  return z.object({
    description: z
      .string({ error: 'Enter what will be done' })
      .trim()
      .min(1, 'Enter what will be done')
      .max(500, 'The action must be 500 characters or fewer'),
    ownerId: z.uuid({ error: 'Choose who owns the action' }),
    dueDate: z
      .string({ error: 'Enter the due date' })
      .trim()
      .min(1, { error: 'Enter the due date', abort: true })
      .refine(isIsoDate, {
        error: 'Enter the due date as YYYY-MM-DD, for example 2027-01-31',
        abort: true,
      })
      .refine((date) => date >= today, 'The due date must be today or later')
      .refine((date) => date <= addDays(today, 730), 'The due date must be within two years'),
  })
}

/** Recording an action done: what changed is the evidence, and it is required. */
export const CompleteActionSchema = z.object({
  actionId: z.uuid({ error: 'Choose an action' }),
  note: z
    .string({ error: 'Enter what changed' })
    .trim()
    .min(1, 'Enter what changed, the evidence that the action happened')
    .max(2000, 'What changed must be 2,000 characters or fewer'),
})

export type ActionLike = { status: string; dueDate: string }

export function actionState(action: ActionLike, today: string): ActionState {
  if (action.status === 'done') return 'done'
  return action.dueDate < today ? 'overdue' : 'open'
}

/** How far past its date an open action is, in bands a lead can act on. */
export const AGEING_BANDS = [
  { code: 'not-due', label: 'Not yet due', maxDays: 0 },
  { code: '1-30', label: '1 to 30 days overdue', maxDays: 30 },
  { code: '31-60', label: '31 to 60 days overdue', maxDays: 60 },
  { code: 'over-60', label: 'Over 60 days overdue', maxDays: Infinity },
] as const
export type AgeingBand = (typeof AGEING_BANDS)[number]['code']

export function ageingBand(dueDate: string, today: string): AgeingBand {
  const overdue = daysBetween(dueDate, today)
  return (AGEING_BANDS.find((band) => overdue <= band.maxDays) ?? AGEING_BANDS[3]).code
}

/** Open actions counted by team and ageing band, teams in name order. */
export function ageingByTeam(
  actions: readonly { team: string; dueDate: string; status: string }[],
  today: string,
): { team: string; counts: Record<AgeingBand, number>; total: number }[] {
  const teams = new Map<string, Record<AgeingBand, number>>()
  for (const action of actions) {
    if (action.status === 'done') continue
    const counts = teams.get(action.team) ?? { 'not-due': 0, '1-30': 0, '31-60': 0, 'over-60': 0 }
    counts[ageingBand(action.dueDate, today)] += 1
    teams.set(action.team, counts)
  }
  return [...teams]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, counts]) => ({
      team,
      counts,
      total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    }))
}

export type DigestAction = ActionLike & { id: string; completedAt: string | null }

/**
 * A person's monthly digest: what is overdue, what falls due this month, and what they finished this
 * month. `today` fixes the month.
 */
export function monthlyDigest<T extends DigestAction>(actions: readonly T[], today: string) {
  const month = today.slice(0, 7)
  return {
    month,
    overdue: actions.filter((a) => actionState(a, today) === 'overdue'),
    dueThisMonth: actions.filter(
      (a) => actionState(a, today) === 'open' && a.dueDate.slice(0, 7) === month,
    ),
    doneThisMonth: actions.filter(
      (a) => a.status === 'done' && (a.completedAt ?? '').slice(0, 7) === month,
    ),
  }
}

/** The practitioner's reflection on the audit, and the family's feedback where it was gathered. */
export const ReflectionSchema = z.object({
  reflection: z
    .string({ error: 'Enter your reflection' })
    .trim()
    .min(1, 'Enter your reflection on the audit')
    .max(4000, 'Your reflection must be 4,000 characters or fewer'),
})
export const FamilyFeedbackSchema = z.object({
  feedback: z
    .string({ error: 'Enter what the child or family said' })
    .trim()
    .min(1, 'Enter what the child or family said about the help they got')
    .max(4000, 'The feedback must be 4,000 characters or fewer'),
})
