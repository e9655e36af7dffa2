import { z } from 'zod'
import type { Db } from '../../db/client'
import { planAudits, type PlannedAudit } from '../../db/queries/audits'
import { findCaseFilesByIds, listCaseFiles } from '../../db/queries/case-files'
import {
  getSampleExclusionMonths,
  listAgencies,
  listServices,
  listTeams,
} from '../../db/queries/organisation'
import { getTemplateVersion, listLatestTemplateVersions } from '../../db/queries/templates'
import { listAuditors } from '../../db/queries/users'
import { CycleSchema, auditorConflict } from '../../shared/programme'
import { drawSample } from '../../shared/sampling'
import { TemplateCodeSchema, type Template } from '../../shared/templates/schema'

const DateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the due date as YYYY-MM-DD, for example 2026-12-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'Enter a real due date')

export const PlanRequestSchema = z.object({
  cycle: CycleSchema,
  template: TemplateCodeSchema.or(z.literal('').transform(() => 'lived-experience' as const)),
  dueDate: DateSchema,
  mode: z.enum(['sample', 'hand']).default('sample'),
  teams: z.array(z.uuid({ error: 'Choose teams from the list' })).default([]),
  services: z.array(z.string()).default([]),
  perTeam: z.coerce
    .number({ error: 'Enter how many cases to draw per team' })
    .int('Enter a whole number of cases per team')
    .min(1, 'Draw at least 1 case per team')
    .max(50, 'Draw at most 50 cases per team'),
  seed: z.string().trim().min(1, 'Enter a seed').max(40, 'The seed must be 40 characters or fewer'),
})
export type PlanRequest = z.infer<typeof PlanRequestSchema>

export function parsePlanRequest(params: URLSearchParams) {
  return PlanRequestSchema.safeParse({
    ...Object.fromEntries(params),
    teams: params.getAll('teams').filter(Boolean),
    services: params.getAll('services').filter(Boolean),
  })
}

function agencySectionsOf(template: Template): string[] {
  return template.sections.map((s) => s.editableBy).filter((by) => by !== 'lead' && by !== 'csc')
}

/** Step 1 shows the choices; step 2 (a valid request) the cases, drawn or listed, with auditors that may take them. */
export async function proposePlan(db: Db, councilId: string, request: PlanRequest | undefined) {
  const [templates, teams, services, exclusionMonths, auditors, agencies] = await Promise.all([
    listLatestTemplateVersions(db, { councilId }),
    listTeams(db, { councilId }),
    listServices(db, { councilId }),
    getSampleExclusionMonths(db, { councilId }),
    listAuditors(db, { councilId }),
    listAgencies(db, { councilId }),
  ])
  const base = {
    request,
    templates: templates.map((t) => ({ code: t.code, title: t.title, version: t.version })),
    teams,
    services,
    exclusionMonths,
    candidates: undefined as undefined | Candidate[],
    shortfalls: [] as { team: string; wanted: number; available: number }[],
    agencySections: [] as {
      code: string
      label: string
      auditors: { id: string; name: string }[]
    }[],
  }
  if (!request) return base

  const cases = (await listCaseFiles(db, { councilId })).filter(
    (c) =>
      (request.teams.length === 0 || request.teams.includes(c.teamId)) &&
      (request.services.length === 0 || request.services.includes(c.serviceCode)),
  )
  let selected = new Set<string>()
  if (request.mode === 'sample') {
    const sample = drawSample({
      cases: cases.map((c) => ({
        id: c.id,
        teamId: c.teamId,
        serviceCode: c.serviceCode,
        lastAuditedCycle: c.lastAuditedCycle,
      })),
      teamIds: request.teams,
      serviceCodes: request.services,
      perTeam: request.perTeam,
      cycle: request.cycle,
      excludeAuditedWithinMonths: exclusionMonths,
      seed: request.seed,
    })
    selected = new Set(sample.selected)
    const teamName = new Map(teams.map((t) => [t.id, t.name]))
    base.shortfalls = sample.shortfalls.map((s) => ({
      team: teamName.get(s.teamId) ?? s.teamId,
      wanted: s.wanted,
      available: s.available,
    }))
  }
  const shown = request.mode === 'sample' ? cases.filter((c) => selected.has(c.id)) : cases

  // Suggest lead auditors in turn, skipping any who manage the case, so the work is spread evenly.
  const ownAgency = auditors.filter((a) => a.agencyCode === 'csc' || a.agencyCode === null)
  let turn = 0
  base.candidates = shown.map((c) => {
    const eligible = ownAgency.filter((a) => auditorConflict(a, c) === null)
    const suggested = eligible.length > 0 ? eligible[turn++ % eligible.length] : undefined
    return {
      id: c.id,
      caseRef: c.caseRef,
      team: c.team,
      lastAuditedCycle: c.lastAuditedCycle,
      selected: request.mode === 'sample',
      eligibleAuditors: eligible.map((a) => ({ id: a.id, name: a.name })),
      suggestedLead: suggested?.id ?? null,
    }
  })
  const template = templates.find((t) => t.code === request.template)
  if (template) {
    const version = await getTemplateVersion(db, {
      councilId,
      code: template.code,
      version: template.version,
    })
    const agencyLabel = new Map(agencies.map((a) => [a.code, a.label]))
    base.agencySections = version
      ? agencySectionsOf(version.definition).map((code) => ({
          code,
          label: agencyLabel.get(code) ?? code,
          auditors: auditors
            .filter((a) => a.agencyCode === code)
            .map((a) => ({ id: a.id, name: a.name })),
        }))
      : []
  }
  return base
}

type Candidate = {
  id: string
  caseRef: string
  team: string
  lastAuditedCycle: string | null
  selected: boolean
  eligibleAuditors: { id: string; name: string }[]
  suggestedLead: string | null
}

const SaveSchema = z.object({
  cycle: CycleSchema,
  template: TemplateCodeSchema,
  dueDate: DateSchema,
  cases: z.array(z.uuid()).min(1, 'Tick at least one case to audit'),
})

export type SaveResult =
  | { ok: true; cycle: string; count: number }
  | { ok: false; errors: Record<string, string[] | undefined> }

/** Checks every row (each case needs a lead auditor who does not manage it) and plans all or nothing. */
export async function savePlan(db: Db, councilId: string, form: FormData): Promise<SaveResult> {
  const parsed = SaveSchema.safeParse({ ...Object.fromEntries(form), cases: form.getAll('case') })
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors
    return { ok: false, errors: { ...fieldErrors, form: fieldErrors.cases } }
  }
  const { cycle, template: code, dueDate, cases: caseIds } = parsed.data
  const [templates, auditors, caseFiles] = await Promise.all([
    listLatestTemplateVersions(db, { councilId }),
    listAuditors(db, { councilId }),
    findCaseFilesByIds(db, { councilId, ids: caseIds }),
  ])
  const template = templates.find((t) => t.code === code)
  if (!template) return { ok: false, errors: { template: ['Choose a template'] } }
  const auditorById = new Map(auditors.map((a) => [a.id, a]))
  const caseById = new Map(caseFiles.map((c) => [c.id, c]))
  const errors: Record<string, string[]> = {}
  const planned: PlannedAudit[] = []
  for (const caseId of caseIds) {
    const caseFile = caseById.get(caseId)
    if (!caseFile) {
      errors.form = ['A chosen case no longer exists: show the cases again']
      continue
    }
    const pick = (name: string) => {
      const value = form.get(name)
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    const leadId = pick(`lead-${caseId}`)
    const lead = leadId ? auditorById.get(leadId) : undefined
    const coId = pick(`co-${caseId}`)
    const co = coId ? auditorById.get(coId) : undefined
    const problems: string[] = []
    if (!lead) problems.push(`Choose a lead auditor for case ${caseFile.caseRef}`)
    for (const person of [lead, co]) {
      const conflict = person ? auditorConflict(person, caseFile) : null
      if (person && conflict) {
        problems.push(
          conflict === 'allocated'
            ? `${person.name} is the allocated worker for case ${caseFile.caseRef}, so cannot audit it`
            : `${person.name} works in the team that holds case ${caseFile.caseRef}, so cannot audit it`,
        )
      }
    }
    if (lead && co && lead.id === co.id)
      problems.push(`The co-auditor for case ${caseFile.caseRef} is also its lead auditor`)
    const agencyAuditors: PlannedAudit['agencyAuditors'] = []
    for (const [name, value] of form.entries()) {
      const match = /^agency-([a-z0-9-]+)-([0-9a-f-]{36})$/.exec(name)
      if (!match || match[2] !== caseId || typeof value !== 'string' || value === '') continue
      const person = auditorById.get(value)
      if (!person || person.agencyCode !== match[1])
        problems.push(`Choose a ${match[1]} auditor from the list for case ${caseFile.caseRef}`)
      else if (person.id !== lead?.id && person.id !== co?.id)
        agencyAuditors.push({ agencyCode: match[1], userId: person.id })
    }
    if (!lead || problems.length > 0) {
      errors[`lead-${caseId}`] = problems
      continue
    }
    planned.push({
      caseFileId: caseFile.id,
      teamId: caseFile.teamId,
      serviceId: caseFile.serviceId,
      leadAuditorId: lead.id,
      coAuditorIds: co ? [co.id] : [],
      agencyAuditors,
    })
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  await planAudits(db, {
    councilId,
    cycle,
    templateVersionId: template.id,
    dueDate,
    audits: planned,
  })
  return { ok: true, cycle, count: planned.length }
}
