import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/roles'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { audits, auditAssignments } from '../schema/index'
import {
  cancelAudit,
  getAudit,
  listAssignedAudits,
  listCycleAudits,
  listCycles,
  reassignLeadAuditor,
  type AuditViewer,
} from './audits'
import { createTeam } from './organisation'

let database: TestDatabase
const viewers: Record<string, AuditViewer> = {}
let scheduledId: string
let submittedId: string
let foreignId: string
let councilId: string

function viewer(id: string, council: string, roles: Role[]): AuditViewer {
  return { id, councilId: council, roles, active: true }
}

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  const council = await makeCouncil(db)
  councilId = council.councilId
  const otherTeam = await createTeam(db, {
    councilId,
    serviceCode: 'cp',
    code: 'cp-1',
    name: 'CP 1',
  })
  const people = {
    lead: await makeUser(db, { councilId, roles: ['lead'] }),
    moderator: await makeUser(db, { councilId, roles: ['moderator'] }),
    auditor: await makeUser(db, { councilId, roles: ['auditor'], teamId: otherTeam }),
    otherAuditor: await makeUser(db, { councilId, roles: ['auditor'], teamId: otherTeam }),
    health: await makeUser(db, {
      councilId,
      roles: ['auditor'],
      agencyId: council.agencies.get('health'),
    }),
    practitioner: await makeUser(db, {
      councilId,
      roles: ['practitioner'],
      teamId: council.teamId,
    }),
    otherPractitioner: await makeUser(db, {
      councilId,
      roles: ['practitioner'],
      teamId: council.teamId,
    }),
  }
  viewers.lead = viewer(people.lead.id, councilId, ['lead'])
  viewers.moderator = viewer(people.moderator.id, councilId, ['moderator'])
  viewers.auditor = viewer(people.auditor.id, councilId, ['auditor'])
  viewers.otherAuditor = viewer(people.otherAuditor.id, councilId, ['auditor'])
  viewers.health = viewer(people.health.id, councilId, ['auditor'])
  viewers.practitioner = viewer(people.practitioner.id, councilId, ['practitioner'])
  viewers.otherPractitioner = viewer(people.otherPractitioner.id, councilId, ['practitioner'])

  const caseA = await makeCaseFile(db, {
    councilId,
    teamId: council.teamId,
    workerId: people.practitioner.id,
  })
  const caseB = await makeCaseFile(db, {
    councilId,
    teamId: council.teamId,
    workerId: people.practitioner.id,
  })
  scheduledId = await makeAudit(db, {
    councilId,
    caseFile: caseA,
    leadAuditorId: people.auditor.id,
    agencyAuditors: [{ agencyCode: 'health', userId: people.health.id }],
    template: 'multi-agency',
  })
  submittedId = await makeAudit(db, {
    councilId,
    caseFile: caseB,
    leadAuditorId: people.otherAuditor.id,
  })
  await db.update(audits).set({ status: 'submitted' }).where(eq(audits.id, submittedId))

  const other = await makeCouncil(db)
  const otherLead = await makeUser(db, { councilId: other.councilId, roles: ['lead'] })
  const otherAuditor = await makeUser(db, { councilId: other.councilId, roles: ['auditor'] })
  viewers.otherCouncilLead = viewer(otherLead.id, other.councilId, ['lead'])
  const foreignCase = await makeCaseFile(db, { councilId: other.councilId, teamId: other.teamId })
  foreignId = await makeAudit(db, {
    councilId: other.councilId,
    caseFile: foreignCase,
    leadAuditorId: otherAuditor.id,
  })
})
afterAll(() => database.drop())

async function visible(name: string): Promise<string[]> {
  const user = viewers[name]!
  const seen: string[] = []
  for (const [label, id] of [
    ['scheduled', scheduledId],
    ['submitted', submittedId],
    ['foreign', foreignId],
  ] as const) {
    if (await getAudit(database.db, { user, auditId: id })) seen.push(label)
  }
  return seen
}

describe('who sees which audit', () => {
  it.each([
    ['lead', ['scheduled', 'submitted']],
    ['moderator', ['submitted']],
    ['auditor', ['scheduled']],
    ['otherAuditor', ['submitted']],
    ['health', ['scheduled']],
    ['practitioner', ['submitted']],
    ['otherPractitioner', []],
    ['otherCouncilLead', ['foreign']],
  ])('%s sees %j', async (name, expected) => {
    expect(await visible(name)).toEqual(expected)
    const listed = (
      await listCycleAudits(database.db, { user: viewers[name]!, cycle: '2026-11' })
    ).map((a) => a.id)
    const ids = { scheduled: scheduledId, submitted: submittedId, foreign: foreignId }
    expect(listed.sort()).toEqual(expected.map((label) => ids[label as keyof typeof ids]).sort())
  })

  it('finds nothing for a guessed id', async () => {
    expect(
      await getAudit(database.db, { user: viewers.lead!, auditId: randomUUID() }),
    ).toBeUndefined()
  })

  it('counts a cycle only from what the user may see', async () => {
    const [cycle] = await listCycles(database.db, { user: viewers.lead! })
    expect(cycle).toEqual({ cycle: '2026-11', total: 2, completed: 1, cancelled: 0 })
    expect(await listCycles(database.db, { user: viewers.otherCouncilLead! })).toEqual([
      { cycle: '2026-11', total: 1, completed: 0, cancelled: 0 },
    ])
  })

  it('lists an auditor’s own assignments with their part', async () => {
    const mine = await listAssignedAudits(database.db, { user: viewers.health! })
    expect(mine.map((a) => [a.id, a.myRole, a.myAgency])).toEqual([
      [scheduledId, 'agency', 'health'],
    ])
  })
})

describe('cancelling and reassigning', () => {
  it('cancels an open audit with its reason, never a submitted one, never another council’s', async () => {
    expect(
      await cancelAudit(database.db, { councilId, auditId: submittedId, reason: 'closed' }),
    ).toBe(false)
    expect(
      await cancelAudit(database.db, { councilId, auditId: foreignId, reason: 'closed' }),
    ).toBe(false)
    const other = await makeCouncil(database.db)
    const someone = await makeUser(database.db, { councilId: other.councilId, roles: ['auditor'] })
    const caseFile = await makeCaseFile(database.db, {
      councilId: other.councilId,
      teamId: other.teamId,
    })
    const id = await makeAudit(database.db, {
      councilId: other.councilId,
      caseFile,
      leadAuditorId: someone.id,
    })
    expect(
      await cancelAudit(database.db, {
        councilId: other.councilId,
        auditId: id,
        reason: 'Case transferred',
      }),
    ).toBe(true)
    const [row] = await database.db
      .select({ status: audits.status, reason: audits.cancelledReason })
      .from(audits)
      .where(eq(audits.id, id))
    expect(row).toEqual({ status: 'cancelled', reason: 'Case transferred' })
  })

  it('moves the lead auditor’s part to someone else', async () => {
    expect(
      await reassignLeadAuditor(database.db, {
        councilId,
        auditId: scheduledId,
        userId: viewers.otherAuditor!.id,
      }),
    ).toBe(true)
    const rows = await database.db
      .select({ userId: auditAssignments.userId, role: auditAssignments.role })
      .from(auditAssignments)
      .where(eq(auditAssignments.auditId, scheduledId))
    expect(rows).toContainEqual({ userId: viewers.otherAuditor!.id, role: 'lead' })
    expect(rows.map((r) => r.userId)).not.toContain(viewers.auditor!.id)
    expect(
      await getAudit(database.db, { user: viewers.auditor!, auditId: scheduledId }),
    ).toBeUndefined()
  })
})
