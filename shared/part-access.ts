import { LEAD_PART } from './live-document'

export type PartAccess = 'edit' | 'read'

const OPEN_STATUSES = new Set(['scheduled', 'in-progress'])
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
