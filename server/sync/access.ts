import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { getAudit } from '../../db/queries/audits'
import type { SessionUser } from '../../db/queries/sessions'
import { getTemplateVersion } from '../../db/queries/templates'
import { agencies } from '../../db/schema/index'
import { LEAD_PART, partsOf, type DocumentName } from '../../shared/live-document'

export type Access = 'edit' | 'read'
export type User = NonNullable<SessionUser>

const OPEN_STATUSES = new Set(['scheduled', 'in-progress'])
const AUDITING_ROLES = new Set(['lead', 'co-auditor'])

/**
 * Who may do what with a live document, by the same rules as the pages: an audit the user may not see
 * is refused; a part the user completes is editable while the audit is open; anything else they may
 * see is read-only. Submitted audits are read-only for everyone.
 */
export async function authorizeDocument(
  db: Db,
  user: User,
  name: DocumentName,
): Promise<Access | null> {
  if (name.kind !== 'audit') return null
  const audit = await getAudit(db, { user, auditId: name.auditId })
  if (!audit) return null
  const version = await getTemplateVersion(db, {
    councilId: user.councilId,
    code: audit.templateCode,
    version: audit.templateVersion,
  })
  if (!version || !partsOf(version.definition).includes(name.part)) return null
  const mine = audit.assignments.find((a) => a.userId === user.id)
  if (!mine || !OPEN_STATUSES.has(audit.status)) return 'read'
  if (name.part === LEAD_PART) return AUDITING_ROLES.has(mine.role) ? 'edit' : 'read'
  if (mine.role === 'agency') return mine.agencyCode === name.part ? 'edit' : 'read'
  // The lead auditor's own agency section (children's social care in a multi-agency audit) is theirs too.
  const [agency] = user.agencyId
    ? await db.select({ code: agencies.code }).from(agencies).where(eq(agencies.id, user.agencyId))
    : []
  return agency?.code === name.part ? 'edit' : 'read'
}
