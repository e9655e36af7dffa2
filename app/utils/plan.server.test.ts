import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listCycleAudits } from '../../db/queries/audits'
import { createTeam } from '../../db/queries/organisation'
import { makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { PlanRequestSchema, proposePlan, savePlan } from './plan.server'

let database: TestDatabase
let councilId: string
let teamId: string
let otherTeamId: string
let outsider: { id: string }
let insider: { id: string }
let lead: { id: string }
const caseIds: string[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  teamId = council.teamId
  otherTeamId = await createTeam(database.db, {
    councilId,
    serviceCode: 'cp',
    code: 'cp-9',
    name: 'CP 9',
  })
  outsider = await makeUser(database.db, {
    councilId,
    roles: ['auditor'],
    teamId: otherTeamId,
    agencyId: council.agencies.get('csc'),
  })
  insider = await makeUser(database.db, {
    councilId,
    roles: ['auditor'],
    teamId,
    agencyId: council.agencies.get('csc'),
  })
  lead = await makeUser(database.db, { councilId, roles: ['lead'] })
  for (let i = 0; i < 6; i += 1)
    caseIds.push((await makeCaseFile(database.db, { councilId, teamId })).id)
})
afterAll(() => database.drop())

function request(seed: string) {
  return PlanRequestSchema.parse({
    cycle: '2026-12',
    template: 'lived-experience',
    dueDate: '2026-12-31',
    mode: 'sample',
    teams: [teamId],
    perTeam: '3',
    seed,
  })
}

describe('planning a cycle', () => {
  it('draws the same sample from the same seed, and suggests only auditors who may take each case', async () => {
    const first = await proposePlan(database.db, councilId, request('abc'))
    const again = await proposePlan(database.db, councilId, request('abc'))
    expect(first.candidates?.map((c) => c.id)).toHaveLength(3)
    expect(again.candidates?.map((c) => c.id)).toEqual(first.candidates?.map((c) => c.id))
    for (const candidate of first.candidates ?? []) {
      expect(candidate.eligibleAuditors.map((a) => a.id)).toEqual([outsider.id])
      expect(candidate.suggestedLead).toBe(outsider.id)
    }
  })

  it('refuses an auditor from the case’s own team, naming the case, and plans nothing', async () => {
    const form = new FormData()
    for (const [name, value] of Object.entries({
      cycle: '2026-12',
      template: 'lived-experience',
      dueDate: '2026-12-31',
    })) {
      form.set(name, value)
    }
    form.append('case', caseIds[0]!)
    form.append('case', caseIds[1]!)
    form.set(`lead-${caseIds[0]}`, outsider.id)
    form.set(`lead-${caseIds[1]}`, insider.id)
    const refused = await savePlan(database.db, councilId, form)
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.errors[`lead-${caseIds[1]}`]?.[0]).toMatch(
      /works in the team that holds case/,
    )
    const viewer = { id: lead.id, councilId, roles: ['lead' as const], active: true }
    expect(await listCycleAudits(database.db, { user: viewer, cycle: '2026-12' })).toEqual([])

    form.set(`lead-${caseIds[1]}`, outsider.id)
    form.set(`co-${caseIds[1]}`, outsider.id)
    const sameTwice = await savePlan(database.db, councilId, form)
    expect(!sameTwice.ok && sameTwice.errors[`lead-${caseIds[1]}`]?.[0]).toMatch(
      /also its lead auditor/,
    )

    form.delete(`co-${caseIds[1]}`)
    const saved = await savePlan(database.db, councilId, form)
    expect(saved).toEqual({ ok: true, cycle: '2026-12', count: 2 })
    const planned = await listCycleAudits(database.db, { user: viewer, cycle: '2026-12' })
    expect(planned.map((a) => a.caseFileId).sort()).toEqual([caseIds[0], caseIds[1]].sort())
    expect(planned.every((a) => a.status === 'scheduled' && a.dueDate === '2026-12-31')).toBe(true)
  })

  it('refuses a plan with no case ticked', async () => {
    const form = new FormData()
    form.set('cycle', '2026-12')
    form.set('template', 'lived-experience')
    form.set('dueDate', '2026-12-31')
    const result = await savePlan(database.db, councilId, form)
    expect(!result.ok && result.errors.form).toEqual(['Tick at least one case to audit'])
  })
})
