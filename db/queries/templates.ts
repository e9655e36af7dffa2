import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Template } from '../../shared/templates/schema'
import type { Queryable } from '../client'
import { templateVersions } from '../schema/index'

export async function publishTemplateVersions(
  db: Queryable,
  params: { councilId: string; templates: readonly Template[]; publishedBy?: string },
): Promise<void> {
  if (params.templates.length === 0) return
  await db.insert(templateVersions).values(
    params.templates.map((template) => ({
      councilId: params.councilId,
      code: template.code,
      version: template.version,
      kind: template.kind,
      title: template.title,
      definition: template,
      publishedBy: params.publishedBy ?? null,
    })),
  )
}

export class TemplateVersionError extends Error {}

/** A new version must follow the latest one of its template exactly: 1, 2, 3, never a gap or a reuse. */
export async function publishNextTemplateVersion(
  db: Queryable,
  params: { councilId: string; template: Template; publishedBy: string },
): Promise<string> {
  const [latest] = await db
    .select({ version: sql<number>`max(${templateVersions.version})` })
    .from(templateVersions)
    .where(
      and(
        eq(templateVersions.councilId, params.councilId),
        eq(templateVersions.code, params.template.code),
      ),
    )
  const expected = (latest?.version ?? 0) + 1
  if (params.template.version !== expected) {
    throw new TemplateVersionError(
      `This would be version ${params.template.version} of "${params.template.code}", but the next version is ${expected}.`,
    )
  }
  const [row] = await db
    .insert(templateVersions)
    .values({
      councilId: params.councilId,
      code: params.template.code,
      version: params.template.version,
      kind: params.template.kind,
      title: params.template.title,
      definition: params.template,
      publishedBy: params.publishedBy,
    })
    .returning({ id: templateVersions.id })
  if (!row) throw new Error('insert returned no row')
  return row.id
}

export async function listTemplateVersions(db: Queryable, params: { councilId: string }) {
  return db
    .select({
      id: templateVersions.id,
      code: templateVersions.code,
      version: templateVersions.version,
      kind: templateVersions.kind,
      title: templateVersions.title,
      publishedAt: templateVersions.publishedAt,
    })
    .from(templateVersions)
    .where(eq(templateVersions.councilId, params.councilId))
    .orderBy(asc(templateVersions.code), desc(templateVersions.version))
}

/** The newest version of each template: what a newly planned audit uses. */
export async function listLatestTemplateVersions(db: Queryable, params: { councilId: string }) {
  const rows = await listTemplateVersions(db, params)
  return rows.filter((row, index) => index === 0 || rows[index - 1]?.code !== row.code)
}

export async function getTemplateVersion(
  db: Queryable,
  params: { councilId: string; code: string; version: number },
) {
  const [row] = await db
    .select({
      id: templateVersions.id,
      code: templateVersions.code,
      version: templateVersions.version,
      definition: templateVersions.definition,
      publishedAt: templateVersions.publishedAt,
    })
    .from(templateVersions)
    .where(
      and(
        eq(templateVersions.councilId, params.councilId),
        eq(templateVersions.code, params.code),
        eq(templateVersions.version, params.version),
      ),
    )
  return row
}

export async function getTemplateDefinitionById(
  db: Queryable,
  params: { councilId: string; id: string },
) {
  const [row] = await db
    .select({ definition: templateVersions.definition })
    .from(templateVersions)
    .where(
      and(eq(templateVersions.councilId, params.councilId), eq(templateVersions.id, params.id)),
    )
  return row?.definition
}
