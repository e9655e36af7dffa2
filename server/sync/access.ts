import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { getAudit } from '../../db/queries/audits'
import type { SessionUser } from '../../db/queries/sessions'
import { getTemplateDefinitionById } from '../../db/queries/templates'
import { agencies } from '../../db/schema/index'
import { partsOf, type DocumentName } from '../../shared/live-document'
import { can } from '../../shared/permissions'
import { moderationAccess, partAccess, type DocumentAccess } from '../../shared/part-access'

export type Access = DocumentAccess
export type User = NonNullable<SessionUser>

export async function agencyCodeOf(db: Db, user: User): Promise<string | null> {
  if (!user.agencyId) return null
  const [agency] = await db
    .select({ code: agencies.code })
    .from(agencies)
    .where(eq(agencies.id, user.agencyId))
  return agency?.code ?? null
}

// Template versions never change (a trigger refuses it), so their parsed definitions can be kept.
const templateParts = new Map<string, string[]>()

async function partsOfVersion(
  db: Db,
  councilId: string,
  templateVersionId: string,
): Promise<string[] | undefined> {
  const known = templateParts.get(templateVersionId)
  if (known) return known
  const template = await getTemplateDefinitionById(db, { councilId, id: templateVersionId })
  if (!template) return undefined
  const parts = partsOf(template)
  templateParts.set(templateVersionId, parts)
  return parts
}

/**
 * Who may do what with a live document, by the same rules as the pages: an audit the user may not see
 * is refused; otherwise `partAccess` decides between edit and read.
 */
export async function authorizeDocument(
  db: Db,
  user: User,
  name: DocumentName,
): Promise<Access | null> {
  const audit = await getAudit(db, { user, auditId: name.auditId })
  if (!audit) return null
  if (name.kind === 'moderation') {
    return moderationAccess({
      part: name.part,
      status: audit.status,
      isModerator: audit.moderatorId === user.id && can(user, 'moderate:audit:any'),
      tookPart: audit.assignments.some((a) => a.userId === user.id),
      readsAll: can(user, 'read:audit:any'),
    })
  }
  const parts = await partsOfVersion(db, user.councilId, audit.templateVersionId)
  if (!parts?.includes(name.part)) return null
  return partAccess({
    part: name.part,
    status: audit.status,
    assignment: audit.assignments.find((a) => a.userId === user.id),
    userAgencyCode: await agencyCodeOf(db, user),
  })
}
