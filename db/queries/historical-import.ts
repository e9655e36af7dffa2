import { and, eq, inArray, sql } from 'drizzle-orm'
import { DEFAULT_SERVICES, DEFAULT_THEMES } from '../../shared/organisation'
import type { HistoricalAudit } from '../../shared/historical-import'
import type { Queryable } from '../client'
import {
  auditJudgements,
  audits,
  auditThemes,
  caseFiles,
  councils,
  services,
  teams,
  themes,
} from '../schema/index'
import { createCouncilWithDefaults } from './organisation'
import { listLatestTemplateVersions } from './templates'

const CHUNK_ROWS = 2_000
const IMPORTED_CANCELLATION = 'Cancelled before import (historical record)'

export class ImportTargetError extends Error {}

export type ImportTarget = {
  council: { id: string; code: string } | { id: null; code: string }
  services: { code: string; label: string }[]
  themes: string[]
}

/**
 * Which council a file goes into, and the services and themes its rows are checked against. With no
 * code there must be exactly one council; a code not yet known will be created with the defaults.
 */
export async function resolveImportTarget(
  db: Queryable,
  councilCode: string | undefined,
): Promise<ImportTarget> {
  const all = await db.select({ id: councils.id, code: councils.code }).from(councils)
  let council: ImportTarget['council']
  if (councilCode) {
    council = all.find((c) => c.code === councilCode) ?? { id: null, code: councilCode }
  } else if (all.length === 1 && all[0]) {
    council = all[0]
  } else {
    throw new ImportTargetError(
      all.length === 0
        ? 'The database has no council yet: name the one to create with --council CODE.'
        : `The database has ${all.length} councils (${all.map((c) => c.code).join(', ')}): name one with --council CODE.`,
    )
  }
  if (council.id === null) {
    return { council, services: [...DEFAULT_SERVICES], themes: DEFAULT_THEMES.map((t) => t.code) }
  }
  const councilId = council.id
  const [serviceRows, themeRows] = await Promise.all([
    db
      .select({ code: services.code, label: services.label })
      .from(services)
      .where(eq(services.councilId, councilId)),
    db.select({ code: themes.code }).from(themes).where(eq(themes.councilId, councilId)),
  ])
  return { council, services: serviceRows, themes: themeRows.map((t) => t.code) }
}

export type ImportReport = {
  council: { code: string; created: boolean }
  created: number
  updated: number
  createdTeams: string[]
  createdCaseFiles: string[]
}

function chunks<T>(items: readonly T[], size = CHUNK_ROWS): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Writes validated historical audits, all or nothing: the caller runs it in a transaction. Audits are
 * matched by `audit_ref`, so importing a file again updates what it created.
 */
export async function importHistoricalAudits(
  tx: Queryable,
  params: { target: ImportTarget; audits: readonly HistoricalAudit[] },
): Promise<ImportReport> {
  const { target } = params
  const councilId =
    target.council.id ??
    (await createCouncilWithDefaults(tx, {
      code: target.council.code,
      name: target.council.code,
      serviceName: 'Case file audit',
    }))

  const serviceIds = new Map(
    (
      await tx
        .select({ id: services.id, code: services.code })
        .from(services)
        .where(eq(services.councilId, councilId))
    ).map((s) => [s.code, s.id]),
  )
  const serviceId = (code: string) => {
    const id = serviceIds.get(code)
    if (!id) throw new Error(`service ${code} vanished during import`)
    return id
  }

  // Teams named for the first time are created in the service of the first row that names them.
  const teamIds = new Map(
    (
      await tx
        .select({ id: teams.id, code: teams.code })
        .from(teams)
        .where(eq(teams.councilId, councilId))
    ).map((t) => [t.code, t.id]),
  )
  const newTeams = new Map<string, string>()
  for (const audit of params.audits) {
    if (!teamIds.has(audit.team) && !newTeams.has(audit.team))
      newTeams.set(audit.team, audit.service)
  }
  for (const batch of chunks([...newTeams])) {
    const rows = await tx
      .insert(teams)
      .values(
        batch.map(([code, service]) => ({
          councilId,
          code,
          name: code,
          serviceId: serviceId(service),
        })),
      )
      .returning({ id: teams.id, code: teams.code })
    for (const row of rows) teamIds.set(row.code, row.id)
  }
  const teamId = (code: string) => teamIds.get(code) ?? ''

  // Case files likewise: known ones keep their details; new ones take the first row's team and service.
  const caseRefs = [...new Set(params.audits.map((a) => a.caseRef))]
  const caseIds = new Map<string, string>()
  for (const batch of chunks(caseRefs, 10_000)) {
    const rows = await tx
      .select({ id: caseFiles.id, caseRef: caseFiles.caseRef })
      .from(caseFiles)
      .where(and(eq(caseFiles.councilId, councilId), inArray(caseFiles.caseRef, batch)))
    for (const row of rows) caseIds.set(row.caseRef, row.id)
  }
  const firstRowOfCase = new Map<string, HistoricalAudit>()
  for (const audit of params.audits)
    if (!caseIds.has(audit.caseRef) && !firstRowOfCase.has(audit.caseRef))
      firstRowOfCase.set(audit.caseRef, audit)
  for (const batch of chunks([...firstRowOfCase.values()])) {
    const rows = await tx
      .insert(caseFiles)
      .values(
        batch.map((a) => ({
          councilId,
          caseRef: a.caseRef,
          serviceId: serviceId(a.service),
          teamId: teamId(a.team),
        })),
      )
      .returning({ id: caseFiles.id, caseRef: caseFiles.caseRef })
    for (const row of rows) caseIds.set(row.caseRef, row.id)
  }

  const templateIds = new Map(
    (await listLatestTemplateVersions(tx, { councilId })).map((t) => [t.code, t.id]),
  )
  const themeIds = new Map(
    (
      await tx
        .select({ id: themes.id, code: themes.code })
        .from(themes)
        .where(eq(themes.councilId, councilId))
    ).map((t) => [t.code, t.id]),
  )

  let created = 0
  let updated = 0
  for (const batch of chunks(params.audits)) {
    const rows = await tx
      .insert(audits)
      .values(
        batch.map((a) => ({
          councilId,
          externalRef: a.auditRef,
          cycle: a.cycle,
          templateVersionId: templateIds.get(a.template) ?? '',
          caseFileId: caseIds.get(a.caseRef) ?? '',
          teamId: teamId(a.team),
          serviceId: serviceId(a.service),
          status: a.status,
          auditorGrade: a.auditorGrade,
          moderatedGrade: a.moderatedGrade,
          cancelledReason: a.status === 'cancelled' ? IMPORTED_CANCELLATION : null,
        })),
      )
      .onConflictDoUpdate({
        target: [audits.councilId, audits.externalRef],
        set: {
          cycle: sql`excluded.cycle`,
          templateVersionId: sql`excluded.template_version_id`,
          caseFileId: sql`excluded.case_file_id`,
          teamId: sql`excluded.team_id`,
          serviceId: sql`excluded.service_id`,
          status: sql`excluded.status`,
          auditorGrade: sql`excluded.auditor_grade`,
          moderatedGrade: sql`excluded.moderated_grade`,
          cancelledReason: sql`excluded.cancelled_reason`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: audits.id, ref: audits.externalRef, inserted: sql<boolean>`(xmax = 0)` })
    // NOTE: match returned rows by reference; PostgreSQL does not promise RETURNING keeps input order.
    const idByRef = new Map(rows.map((row) => [row.ref, row.id]))
    const ids = rows.map((row) => row.id)
    const idOf = (a: HistoricalAudit) => idByRef.get(a.auditRef) ?? ''
    for (const row of rows) {
      if (row.inserted) created += 1
      else updated += 1
    }
    // The file holds each audit's final judgements and themes: replace whatever an earlier import wrote.
    await tx.delete(auditJudgements).where(inArray(auditJudgements.auditId, ids))
    await tx.delete(auditThemes).where(inArray(auditThemes.auditId, ids))
    const judgements = batch.flatMap((a) =>
      Object.entries(a.judgements).map(([measure, value]) => ({
        auditId: idOf(a),
        measure,
        auditorValue: value,
      })),
    )
    for (const part of chunks(judgements, 5_000)) await tx.insert(auditJudgements).values(part)
    const tags = batch.flatMap((a) =>
      a.themes.map((code) => ({
        auditId: idOf(a),
        themeId: themeIds.get(code) ?? '',
        kind: 'unclassified',
        source: 'import',
      })),
    )
    for (const part of chunks(tags, 5_000)) await tx.insert(auditThemes).values(part)
  }

  return {
    council: { code: target.council.code, created: target.council.id === null },
    created,
    updated,
    createdTeams: [...newTeams.keys()],
    createdCaseFiles: [...firstRowOfCase.keys()],
  }
}
