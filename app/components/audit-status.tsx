import { AUDIT_STATUS_LABELS, type AuditStatus } from '../../shared/audit-status'

const TAG_COLOURS: Record<AuditStatus, string> = {
  scheduled: 'govuk-tag--grey',
  'in-progress': 'govuk-tag--blue',
  submitted: 'govuk-tag--turquoise',
  'in-moderation': 'govuk-tag--purple',
  moderated: 'govuk-tag--green',
  cancelled: 'govuk-tag--orange',
}

function isStatus(value: string): value is AuditStatus {
  return value in AUDIT_STATUS_LABELS
}

export function AuditStatusTag({ status }: { status: string }) {
  if (!isStatus(status)) return <strong className="govuk-tag">{status}</strong>
  return (
    <strong className={`govuk-tag ${TAG_COLOURS[status]}`}>{AUDIT_STATUS_LABELS[status]}</strong>
  )
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** `2026-11-30` → `30 November 2026`, the GOV.UK date style. */
export function formatDate(isoDate: string | null): string {
  return isoDate ? DATE_FORMAT.format(new Date(`${isoDate}T00:00:00Z`)) : 'Not set'
}

const DATE_TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/** A moment as people in England read it: `30 November 2026 at 14:05`. */
export function formatDateTime(timestamp: string | null, unknown = 'at an unknown time'): string {
  return timestamp ? DATE_TIME_FORMAT.format(new Date(timestamp)) : unknown
}
