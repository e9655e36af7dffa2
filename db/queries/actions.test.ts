import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, todayIso } from '../../shared/actions'
import type { Role } from '../../shared/roles'
import {
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { auditActions } from '../schema/index'
import { cancelAudit } from './audits'
import {
  addAction,
  completeAction,
  getImpactRecord,
  listActionOwners,
  listActionsOwnedBy,
  listAuditActions,
  listCouncilActions,
  recordFamilyFeedback,
  recordReflection,
} from './actions'

// Who may agree, complete and comment on an audit's actions, checked against a real database.
let database: TestDatabase
let councilId: string
let otherCouncilUserId: string
let submittedAuditId: string
let scheduledAuditId: string
let cancelledAuditId: string
const people: Record<string, string> = {}
const DUE = addDays(todayIso(), 14)

async function person(name: string, roles: Role[], agencyId?: string) {
  people[name] = (await makeUser(database.db, { councilId, roles, agencyId })).id
  return people[name]
}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  await person('lead', ['auditor'])
  await person('coAuditor', ['auditor'])
  await person('agencyAuditor', ['auditor'], council.agencies.get('health'))
  await person('unassigned', ['auditor'])
  await person('worker', ['practitioner'])
  await person('otherPractitioner', ['practitioner'])
  await person('practiceLead', ['lead'])
  const otherCouncil = await makeCouncil(database.db)
  otherCouncilUserId = (
    await makeUser(database.db, { councilId: otherCouncil.councilId, roles: ['practitioner'] })
  ).id
  const caseFile = await makeCaseFile(database.db, {
    councilId,
    teamId: council.teamId,
    workerId: people.worker,
  })
  const auditors = {
    councilId,
    caseFile,
    leadAuditorId: people.lead!,
    coAuditorIds: [people.coAuditor!],
    agencyAuditors: [{ agencyCode: 'health', userId: people.agencyAuditor! }],
  }
  ;({ auditId: submittedAuditId } = await makeSubmittedAudit(database.db, auditors))
  scheduledAuditId = await makeAudit(database.db, { ...auditors, cycle: '2026-12' })
  cancelledAuditId = await makeAudit(database.db, { ...auditors, cycle: '2027-01' })
  await cancelAudit(database.db, { councilId, auditId: cancelledAuditId, reason: 'Case closed' })
})

afterAll(() => database.drop())

function add(userId: string, overrides: Partial<Parameters<typeof addAction>[1]> = {}) {
  return addAction(database.db, {
    councilId,
    userId,
    auditId: submittedAuditId,
    description: 'Update the chronology with the strategy meeting',
    ownerId: people.worker!,
    dueDate: DUE,
    ...overrides,
  })
}

async function countActions() {
  return database.db.$count(auditActions, eq(auditActions.auditId, submittedAuditId))
}

describe('agreeing an action', () => {
  it('lets the lead auditor and a co-auditor agree actions', async () => {
    const byLead = await add(people.lead!)
    const byCoAuditor = await add(people.coAuditor!, { description: 'Book a supervision' })
    expect(byLead.ok && byCoAuditor.ok).toBe(true)
    const actions = await listAuditActions(database.db, { auditId: submittedAuditId })
    expect(actions.map((a) => [a.description, a.status, a.dueDate])).toEqual([
      ['Update the chronology with the strategy meeting', 'open', DUE],
      ['Book a supervision', 'open', DUE],
    ])
  })

  it('refuses an agency auditor, an auditor of another audit, a practitioner and a lead', async () => {
    const before = await countActions()
    for (const who of ['agencyAuditor', 'unassigned', 'worker', 'practiceLead']) {
      expect(await add(people[who]!), who).toEqual({ ok: false, failure: 'not-allowed' })
    }
    expect(await countActions()).toBe(before)
  })

  it('refuses a scheduled or cancelled audit, and one that does not exist', async () => {
    expect(await add(people.lead!, { auditId: scheduledAuditId })).toEqual({
      ok: false,
      failure: 'wrong-state',
    })
    expect(await add(people.lead!, { auditId: cancelledAuditId })).toEqual({
      ok: false,
      failure: 'wrong-state',
    })
    expect(await add(people.lead!, { auditId: crypto.randomUUID() })).toEqual({
      ok: false,
      failure: 'not-found',
    })
  })

  it('refuses an owner from another council, or no one at all', async () => {
    const before = await countActions()
    expect(await add(people.lead!, { ownerId: otherCouncilUserId })).toEqual({
      ok: false,
      failure: 'bad-owner',
    })
    expect(await add(people.lead!, { ownerId: crypto.randomUUID() })).toEqual({
      ok: false,
      failure: 'bad-owner',
    })
    expect(await countActions()).toBe(before)
  })

  it('offers the case’s worker first as owner, and only people of the council', async () => {
    const owners = await listActionOwners(database.db, { councilId, auditId: submittedAuditId })
    expect(owners[0]).toMatchObject({ id: people.worker, worker: true })
    expect(owners.filter((o) => o.worker)).toHaveLength(1)
    expect(owners.map((o) => o.id)).not.toContain(otherCouncilUserId)
  })
})

describe('recording an action done', () => {
  async function newAction() {
    const added = await add(people.lead!)
    if (!added.ok) throw new Error(added.failure)
    return added.id
  }
  function complete(userId: string, actionId: string, note = 'The chronology is up to date.') {
    return completeAction(database.db, { councilId, userId, actionId, note })
  }

  it('lets the owner record it done once, with what changed', async () => {
    const actionId = await newAction()
    expect(await complete(people.worker!, actionId)).toEqual({
      ok: true,
      auditId: submittedAuditId,
    })
    const [done] = (await listAuditActions(database.db, { auditId: submittedAuditId })).filter(
      (a) => a.id === actionId,
    )
    expect(done).toMatchObject({
      status: 'done',
      completionNote: 'The chronology is up to date.',
      completedBy: 'Test practitioner',
    })
    expect(done?.completedAt).toBeInstanceOf(Date)
    expect(await complete(people.worker!, actionId, 'Again')).toEqual({
      ok: false,
      failure: 'wrong-state',
    })
  })

  it('refuses anyone but the owner and the lead auditor', async () => {
    const actionId = await newAction()
    for (const who of ['coAuditor', 'agencyAuditor', 'otherPractitioner', 'practiceLead']) {
      expect(await complete(people[who]!, actionId), who).toEqual({
        ok: false,
        failure: 'not-allowed',
      })
    }
    expect(await complete(people.lead!, crypto.randomUUID())).toEqual({
      ok: false,
      failure: 'not-found',
    })
    expect(await complete(people.lead!, actionId)).toEqual({ ok: true, auditId: submittedAuditId })
  })

  it('lists the owner’s actions, open ones first, and the council’s', async () => {
    const mine = await listActionsOwnedBy(database.db, { userId: people.worker! })
    const states = mine.map((a) => a.status)
    expect(states.indexOf('done')).toBeGreaterThan(states.lastIndexOf('open'))
    expect(mine.every((a) => a.ownerId === people.worker)).toBe(true)
    const open = await listCouncilActions(database.db, { councilId, openOnly: true })
    expect(open.length).toBeGreaterThan(0)
    expect(open.every((a) => a.status === 'open')).toBe(true)
  })
})

describe('the practitioner’s reflection and the family’s feedback', () => {
  function reflect(userId: string, auditId = submittedAuditId) {
    return recordReflection(database.db, { councilId, userId, auditId, text: 'I will ask more.' })
  }
  function feedback(userId: string, auditId = submittedAuditId) {
    return recordFamilyFeedback(database.db, {
      councilId,
      userId,
      auditId,
      text: 'Mum said the worker listened.',
    })
  }

  it('takes a reflection only from the case’s worker, and only once the audit is submitted', async () => {
    expect(await reflect(people.worker!, scheduledAuditId)).toBe(false)
    for (const who of ['otherPractitioner', 'lead', 'practiceLead']) {
      expect(await reflect(people[who]!), who).toBe(false)
    }
    expect(await reflect(people.worker!)).toBe(true)
    const record = await getImpactRecord(database.db, {
      auditId: submittedAuditId,
      userId: people.worker!,
    })
    expect(record).toMatchObject({ practitionerReflection: 'I will ask more.', auditor: false })
    expect(record?.reflectionAt).toBeInstanceOf(Date)
  })

  it('takes the family’s feedback only from the audit’s auditors', async () => {
    for (const who of ['worker', 'agencyAuditor', 'unassigned', 'practiceLead']) {
      expect(await feedback(people[who]!), who).toBe(false)
    }
    expect(await feedback(people.lead!, cancelledAuditId)).toBe(false)
    expect(await feedback(people.coAuditor!)).toBe(true)
    const record = await getImpactRecord(database.db, {
      auditId: submittedAuditId,
      userId: people.lead!,
    })
    expect(record).toMatchObject({
      familyFeedback: 'Mum said the worker listened.',
      familyFeedbackBy: 'Test auditor',
      auditor: true,
    })
  })
})
