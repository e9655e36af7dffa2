import { z } from 'zod'

/** The life of an audit, in order; see DOMAIN.md "The life of an audit". */
export const AUDIT_STATUSES = [
  'scheduled',
  'in-progress',
  'submitted',
  'in-moderation',
  'moderated',
  'cancelled',
] as const
export const AuditStatusSchema = z.enum(AUDIT_STATUSES)
export type AuditStatus = z.infer<typeof AuditStatusSchema>

export const AUDIT_STATUS_LABELS: Readonly<Record<AuditStatus, string>> = {
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  submitted: 'Submitted',
  'in-moderation': 'In moderation',
  moderated: 'Moderated',
  cancelled: 'Cancelled',
}

/**
 * While an audit is in one of these states, its live documents of each kind take edits: the audit
 * form while it is being written, the moderation workspace while it is moderated. The pages show
 * it, and the sync servers store an edit only then (the write statement checks it in PostgreSQL).
 */
export const LIVE_OPEN_STATUSES = {
  audit: ['scheduled', 'in-progress'],
  moderation: ['in-moderation'],
} as const satisfies Record<'audit' | 'moderation', readonly AuditStatus[]>

/** An audit nobody works on any more: retention counts its years from when it got here. */
export const FINISHED_STATUSES = ['submitted', 'moderated', 'cancelled'] as const

/** A completed audit counts towards the KPIs: the auditor has submitted it. */
export const COMPLETED_STATUSES = ['submitted', 'in-moderation', 'moderated'] as const
