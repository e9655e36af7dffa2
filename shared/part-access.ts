import { LIVE_OPEN_STATUSES } from './audit-status'
import { LEAD_PART } from './live-document'

export type PartAccess = 'edit' | 'read'
/** In a moderation discussion, writing means adding comments signed as yourself, nothing more. */
export type DocumentAccess = PartAccess | 'comment'

const OPEN_STATUSES = new Set<string>(LIVE_OPEN_STATUSES.audit)
const AUDITING_ROLES = new Set(['lead', 'co-auditor'])

/**
 * Who may write which part of an audit: the lead auditor and co-auditors the lead part, and any
 * section of their own agency; an agency auditor only their agency's section. Everyone who may see
 * the audit may read every part, and nobody writes once it is submitted. The sync server enforces
 * this; the page uses it to show which parts are editable.
 */
export function partAccess(params: {
  part: string
  status: string
  assignment: { role: string; agencyCode: string | null } | undefined
  userAgencyCode: string | null
}): PartAccess {
  const { part, assignment } = params
  if (!assignment || !OPEN_STATUSES.has(params.status)) return 'read'
  if (part === LEAD_PART) return AUDITING_ROLES.has(assignment.role) ? 'edit' : 'read'
  if (assignment.role === 'agency') return assignment.agencyCode === part ? 'edit' : 'read'
  return params.userAgencyCode === part ? 'edit' : 'read'
}

/**
 * The moderation workspace: the moderator who picked the audit up writes the decisions; they and
 * the audit's auditors comment in the discussion while it is in moderation; leads, and everyone
 * involved, read both. Once decided, both are a read-only record. Anyone else is refused.
 */
export function moderationAccess(params: {
  part: string
  status: string
  isModerator: boolean
  tookPart: boolean
  readsAll: boolean
}): DocumentAccess | null {
  const { part, status, isModerator, tookPart, readsAll } = params
  if (status !== 'in-moderation' && status !== 'moderated') return null
  if (!isModerator && !tookPart && !readsAll) return null
  const open = (LIVE_OPEN_STATUSES.moderation as readonly string[]).includes(status)
  if (part === 'discussion') return open && (isModerator || tookPart) ? 'comment' : 'read'
  return open && isModerator ? 'edit' : 'read'
}
