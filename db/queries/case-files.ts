import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '../client'
import { audits, caseFiles, services, teams, users } from '../schema/index'

export async function listCaseFiles(
  db: Queryable,
  params: { councilId: string; teamId?: string; serviceCode?: string },
) {
  return db
    .select({
      id: caseFiles.id,
      caseRef: caseFiles.caseRef,
      teamId: caseFiles.teamId,
      team: teams.name,
      serviceCode: services.code,
      service: services.label,
      workerId: caseFiles.workerId,
      worker: users.name,
      ageBand: caseFiles.ageBand,
      lastAuditedCycle: sql<string | null>`(
        select max(${audits.cycle}) from ${audits}
        where ${audits.caseFileId} = ${caseFiles.id} and ${audits.status} <> 'cancelled')`,
    })
    .from(caseFiles)
    .innerJoin(teams, eq(teams.id, caseFiles.teamId))
    .innerJoin(services, eq(services.id, caseFiles.serviceId))
    .leftJoin(users, eq(users.id, caseFiles.workerId))
    .where(
      and(
        eq(caseFiles.councilId, params.councilId),
        params.teamId ? eq(caseFiles.teamId, params.teamId) : undefined,
        params.serviceCode ? eq(services.code, params.serviceCode) : undefined,
      ),
    )
    .orderBy(asc(teams.name), asc(caseFiles.caseRef))
}

export async function findCaseFilesByIds(
  db: Queryable,
  params: { councilId: string; ids: string[] },
) {
  if (params.ids.length === 0) return []
  return db
    .select({
      id: caseFiles.id,
      caseRef: caseFiles.caseRef,
      teamId: caseFiles.teamId,
      serviceId: caseFiles.serviceId,
      workerId: caseFiles.workerId,
    })
    .from(caseFiles)
    .where(and(eq(caseFiles.councilId, params.councilId), inArray(caseFiles.id, params.ids)))
}

export type NewCaseFile = {
  caseRef: string
  serviceId: string
  teamId: string
  workerId: string | null
  ageBand: string | null
}

/** Adds case files, or updates the service, team, worker and age band of those already known by reference. */
export async function upsertCaseFiles(
  db: Queryable,
  params: { councilId: string; cases: NewCaseFile[] },
): Promise<{ created: number; updated: number }> {
  if (params.cases.length === 0) return { created: 0, updated: 0 }
  const rows = await db
    .insert(caseFiles)
    .values(params.cases.map((c) => ({ councilId: params.councilId, ...c })))
    .onConflictDoUpdate({
      target: [caseFiles.councilId, caseFiles.caseRef],
      set: {
        serviceId: sql`excluded.service_id`,
        teamId: sql`excluded.team_id`,
        workerId: sql`excluded.worker_id`,
        ageBand: sql`excluded.age_band`,
      },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` })
  const created = rows.filter((row) => row.inserted).length
  return { created, updated: rows.length - created }
}
