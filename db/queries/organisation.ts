import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../client'
import { publishTemplateVersions } from './templates'
import { DEFAULT_AGENCIES, DEFAULT_SERVICES, DEFAULT_THEMES } from '../../shared/organisation'
import { BUILT_IN_TEMPLATES } from '../../shared/templates/index'
import { agencies, councils, services, teams, themes } from '../schema/index'

export async function getCouncil(db: Queryable, councilId: string) {
  const [row] = await db
    .select({
      id: councils.id,
      code: councils.code,
      name: councils.name,
      serviceName: councils.serviceName,
    })
    .from(councils)
    .where(eq(councils.id, councilId))
  return row
}

export async function countCouncils(db: Queryable): Promise<number> {
  return db.$count(councils)
}

export async function listTeams(db: Queryable, params: { councilId: string }) {
  return db
    .select({
      id: teams.id,
      code: teams.code,
      name: teams.name,
      serviceId: teams.serviceId,
      service: services.label,
    })
    .from(teams)
    .innerJoin(services, eq(services.id, teams.serviceId))
    .where(eq(teams.councilId, params.councilId))
    .orderBy(asc(teams.name))
}

export async function listAgencies(db: Queryable, params: { councilId: string }) {
  return db
    .select({ id: agencies.id, code: agencies.code, label: agencies.label })
    .from(agencies)
    .where(eq(agencies.councilId, params.councilId))
    .orderBy(asc(agencies.label))
}

/** A new council starts with the default services, partner agencies, learning themes and templates. */
export async function createCouncilWithDefaults(
  db: Queryable,
  council: { code: string; name: string; serviceName: string },
): Promise<string> {
  const [row] = await db.insert(councils).values(council).returning({ id: councils.id })
  if (!row) throw new Error('insert returned no row')
  const councilId = row.id
  await db.insert(services).values(DEFAULT_SERVICES.map((s) => ({ councilId, ...s })))
  await db.insert(agencies).values(DEFAULT_AGENCIES.map((a) => ({ councilId, ...a })))
  await db.insert(themes).values(
    DEFAULT_THEMES.map((t) => ({
      councilId,
      code: t.code,
      label: t.label,
      keywords: [...t.keywords],
    })),
  )
  await publishTemplateVersions(db, { councilId, templates: BUILT_IN_TEMPLATES })
  return councilId
}

export async function createTeam(
  db: Queryable,
  team: { councilId: string; serviceCode: string; code: string; name: string },
): Promise<string> {
  const [service] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.councilId, team.councilId), eq(services.code, team.serviceCode)))
  if (!service) throw new Error(`unknown service ${team.serviceCode}`)
  const [row] = await db
    .insert(teams)
    .values({ councilId: team.councilId, serviceId: service.id, code: team.code, name: team.name })
    .returning({ id: teams.id })
  if (!row) throw new Error('insert returned no row')
  return row.id
}

export async function listServices(db: Queryable, params: { councilId: string }) {
  return db
    .select({ id: services.id, code: services.code, label: services.label })
    .from(services)
    .where(eq(services.councilId, params.councilId))
    .orderBy(asc(services.label))
}

export async function getSampleExclusionMonths(
  db: Queryable,
  params: { councilId: string },
): Promise<number> {
  const [row] = await db
    .select({ months: councils.sampleExclusionMonths })
    .from(councils)
    .where(eq(councils.id, params.councilId))
  return row?.months ?? 3
}

export async function setSampleExclusionMonths(
  db: Queryable,
  params: { councilId: string; months: number },
): Promise<void> {
  await db
    .update(councils)
    .set({ sampleExclusionMonths: params.months })
    .where(eq(councils.id, params.councilId))
}

export async function getAgencyCode(
  db: Queryable,
  params: { councilId: string; agencyId: string | null },
) {
  if (!params.agencyId) return null
  const [row] = await db
    .select({ code: agencies.code })
    .from(agencies)
    .where(and(eq(agencies.id, params.agencyId), eq(agencies.councilId, params.councilId)))
  return row?.code ?? null
}
