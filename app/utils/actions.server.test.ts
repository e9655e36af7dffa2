import type { SerializeFrom } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { auditActions, audits } from '../../db/schema/index'
import { addDays, todayIso } from '../../shared/actions'
import type { Role } from '../../shared/roles'
import {
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeSubmittedAudit,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { loader as homeLoader } from '../routes/_index'
import { action, loader } from '../routes/audits.$auditId_.impact'
import { sessionCookieHeader } from './auth.server'

// The "Actions and reflection" page's own door: each role opens it and tries each form.
let database: TestDatabase
let auditId: string
let otherAuditId: string
let scheduledAuditId: string
let otherCouncilUserId: string
const people: Record<string, { id: string; token: string }> = {}
const DUE = addDays(todayIso(), 21)

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  const { councilId } = council
  const roles: Record<string, Role[]> = {
    leadAuditor: ['auditor'],
    coAuditor: ['auditor'],
    agencyAuditor: ['auditor'],
    worker: ['practitioner'],
    otherWorker: ['practitioner'],
    lead: ['lead'],
    admin: ['admin'],
  }
  for (const [name, userRoles] of Object.entries(roles)) {
    const { id } = await makeUser(database.db, {
      councilId,
      roles: userRoles,
      agencyId: name === 'agencyAuditor' ? council.agencies.get('health') : null,
    })
    people[name] = { id, token: await createSession(database.db, { userId: id, councilId }) }
  }
  const otherCouncil = await makeCouncil(database.db)
  otherCouncilUserId = (
    await makeUser(database.db, { councilId: otherCouncil.councilId, roles: ['practitioner'] })
  ).id
  const auditors = {
    councilId,
    leadAuditorId: people.leadAuditor!.id,
    coAuditorIds: [people.coAuditor!.id],
    agencyAuditors: [{ agencyCode: 'health', userId: people.agencyAuditor!.id }],
  }
  const ownCase = await makeCaseFile(database.db, {
    councilId,
    teamId: council.teamId,
    workerId: people.worker!.id,
  })
  const otherCase = await makeCaseFile(database.db, {
    councilId,
    teamId: council.teamId,
    workerId: people.otherWorker!.id,
  })
  ;({ auditId } = await makeSubmittedAudit(database.db, { ...auditors, caseFile: ownCase }))
  ;({ auditId: otherAuditId } = await makeSubmittedAudit(database.db, {
    ...auditors,
    caseFile: otherCase,
  }))
  scheduledAuditId = await makeAudit(database.db, {
    ...auditors,
    caseFile: ownCase,
    cycle: '2027-02',
  })
})

afterAll(() => database.drop())

async function request(who: string, id: string, body?: Record<string, string>) {
  const cookie = (
    await sessionCookieHeader(new Request('http://localhost/'), people[who]!.token)
  ).split(';')[0]!
  return new Request(`http://localhost/audits/${id}/impact`, {
    method: body ? 'POST' : 'GET',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body ? new URLSearchParams(body).toString() : undefined,
  })
}

/** The status and body a loader or action answers with, whether it returns or throws. */
async function answer(run: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    const result = await run()
    if (!(result instanceof Response)) return { status: 200, body: result }
    const type = result.headers.get('Content-Type') ?? ''
    return {
      status: result.status,
      body: type.includes('json') ? await result.json() : result.headers.get('Location'),
    }
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() }
    throw thrown
  }
}

function open(who: string, id = auditId) {
  return answer(async () =>
    loader({
      request: await request(who, id),
      params: { auditId: id },
      context: makeLoadContext(database.db),
    }),
  )
}

function act(who: string, body: Record<string, string>, id = auditId) {
  return answer(async () =>
    action({
      request: await request(who, id, body),
      params: { auditId: id },
      context: makeLoadContext(database.db),
    }),
  )
}

async function storedActions() {
  return database.db
    .select({ id: auditActions.id, status: auditActions.status, ownerId: auditActions.ownerId })
    .from(auditActions)
    .where(eq(auditActions.auditId, auditId))
    .orderBy(auditActions.createdAt)
}

type PageData = SerializeFrom<typeof loader>

async function pageFor(who: string) {
  const opened = await open(who)
  expect(opened.status).toBe(200)
  return opened.body as PageData
}

describe('who sees the page', () => {
  it('shows it to whoever may see the audit, and is not found for everyone else', async () => {
    for (const who of ['leadAuditor', 'coAuditor', 'agencyAuditor', 'worker', 'lead']) {
      expect((await open(who)).status, who).toBe(200)
    }
    // Another practitioner's case, and people with no part in audits, are simply not found.
    expect((await open('otherWorker')).status).toBe(404)
    expect((await open('admin')).status).toBe(404)
    // The practitioner sees their own case's audit only once it is submitted.
    expect((await open('worker', scheduledAuditId)).status).toBe(404)
    expect((await open('worker', otherAuditId)).status).toBe(404)
    expect((await open('otherWorker', otherAuditId)).status).toBe(200)
    expect((await open('worker', 'not-a-uuid')).status).toBe(404)
  })

  it('offers the add form to the audit’s auditors only, with the case’s worker first', async () => {
    const page = await pageFor('leadAuditor')
    expect(page.may).toEqual({ add: true, reflect: false, feedback: true })
    expect(page.owners[0]).toMatchObject({ id: people.worker!.id, worker: true })
    const worker = await pageFor('worker')
    expect(worker.may).toEqual({ add: false, reflect: true, feedback: false })
    expect(worker.owners).toEqual([])
    expect((await pageFor('agencyAuditor')).may.add).toBe(false)
  })
})

describe('agreeing an action', () => {
  const valid = () => ({
    intent: 'add',
    description: 'Add the strategy meeting to the chronology',
    ownerId: people.worker!.id,
    dueDate: DUE,
  })

  it('stores nothing when the form is wrong, and says what is wrong', async () => {
    const bad = await act('leadAuditor', {
      intent: 'add',
      description: ' ',
      ownerId: '',
      dueDate: '2027-02-30',
    })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      errors: {
        description: ['Enter what will be done'],
        ownerId: ['Choose who owns the action'],
        dueDate: expect.arrayContaining([
          'Enter the due date as YYYY-MM-DD, for example 2027-01-31',
        ]) as unknown,
      },
    })
    expect(
      (await act('leadAuditor', { ...valid(), dueDate: addDays(todayIso(), -1) })).status,
    ).toBe(400)
    const otherCouncil = await act('leadAuditor', { ...valid(), ownerId: otherCouncilUserId })
    expect(otherCouncil.status).toBe(400)
    expect(otherCouncil.body).toEqual({
      errors: {
        ownerId: ['Choose an owner from the list: they must be an active user of the council'],
      },
    })
    expect((await act('leadAuditor', { intent: 'unknown' })).status).toBe(400)
    expect(await storedActions()).toEqual([])
  })

  it('refuses those who are not its auditors, and audits not under way', async () => {
    for (const who of ['agencyAuditor', 'worker', 'lead']) {
      expect((await act(who, valid())).status, who).toBe(403)
    }
    expect((await act('otherWorker', valid())).status).toBe(404)
    expect((await act('leadAuditor', valid(), scheduledAuditId)).status).toBe(409)
    expect(await storedActions()).toEqual([])
  })

  it('agrees the action and comes back with a success banner', async () => {
    expect(await act('leadAuditor', valid())).toEqual({
      status: 302,
      body: `/audits/${auditId}/impact?done=added`,
    })
    expect((await act('coAuditor', { ...valid(), ownerId: people.coAuditor!.id })).status).toBe(302)
    expect((await storedActions()).map((a) => a.ownerId)).toEqual([
      people.worker!.id,
      people.coAuditor!.id,
    ])
  })
})

describe('recording an action done', () => {
  it('needs what changed, from the owner or the lead auditor', async () => {
    const [forWorker, forCoAuditor] = await storedActions()
    const workerAction = forWorker!.id
    const page = await pageFor('worker')
    expect(page.actions.map((a) => [a.state, a.mayComplete])).toEqual([
      ['open', true],
      ['open', false],
    ])
    const blank = await act('worker', { intent: 'complete', actionId: workerAction, note: ' ' })
    expect(blank).toEqual({
      status: 400,
      body: {
        errors: {
          [`note-${workerAction}`]: ['Enter what changed, the evidence that the action happened'],
        },
      },
    })
    // A co-auditor who does not own it, and the agency auditor, may not.
    for (const who of ['coAuditor', 'agencyAuditor']) {
      const refused = await act(who, { intent: 'complete', actionId: workerAction, note: 'Done' })
      expect(refused.status, who).toBe(403)
    }
    expect((await storedActions()).every((a) => a.status === 'open')).toBe(true)
    expect(
      await act('worker', {
        intent: 'complete',
        actionId: workerAction,
        note: 'Chronology updated.',
      }),
    ).toEqual({ status: 302, body: `/audits/${auditId}/impact?done=completed` })
    expect(
      (await act('worker', { intent: 'complete', actionId: workerAction, note: 'Again' })).status,
    ).toBe(409)
    // The lead auditor may record another's action done.
    expect(
      (
        await act('leadAuditor', {
          intent: 'complete',
          actionId: forCoAuditor!.id,
          note: 'Booked.',
        })
      ).status,
    ).toBe(302)
    const done = await pageFor('lead')
    expect(done.actions[0]).toMatchObject({
      state: 'done',
      completionNote: 'Chronology updated.',
      completedBy: 'Test practitioner',
      mayComplete: false,
    })
  })

  it('does not reach an action of another audit through this page', async () => {
    const added = await act(
      'leadAuditor',
      { intent: 'add', description: 'Elsewhere', ownerId: people.otherWorker!.id, dueDate: DUE },
      otherAuditId,
    )
    expect(added.status).toBe(302)
    const [elsewhere] = await database.db
      .select({ id: auditActions.id })
      .from(auditActions)
      .where(eq(auditActions.auditId, otherAuditId))
    const forged = await act('leadAuditor', {
      intent: 'complete',
      actionId: elsewhere!.id,
      note: 'x',
    })
    expect(forged.status).toBe(404)
  })
})

describe('the reflection and the family’s feedback', () => {
  it('takes the reflection from the case’s worker, once', async () => {
    expect((await act('leadAuditor', { intent: 'reflect', reflection: 'Mine' })).status).toBe(403)
    expect((await act('worker', { intent: 'reflect', reflection: '' })).status).toBe(400)
    expect(await act('worker', { intent: 'reflect', reflection: 'I will see him alone.' })).toEqual(
      {
        status: 302,
        body: `/audits/${auditId}/impact?done=reflected`,
      },
    )
    expect((await act('worker', { intent: 'reflect', reflection: 'Changed' })).status).toBe(409)
    const [row] = await database.db
      .select({ reflection: audits.practitionerReflection })
      .from(audits)
      .where(eq(audits.id, auditId))
    expect(row?.reflection).toBe('I will see him alone.')
  })

  it('takes the family’s feedback from an auditor, and shows both to everyone who may see', async () => {
    for (const who of ['worker', 'agencyAuditor', 'lead']) {
      expect((await act(who, { intent: 'feedback', feedback: 'Said' })).status, who).toBe(403)
    }
    expect((await act('coAuditor', { intent: 'feedback', feedback: '' })).status).toBe(400)
    expect(
      (await act('coAuditor', { intent: 'feedback', feedback: 'Mum felt heard.' })).status,
    ).toBe(302)
    const page = await pageFor('worker')
    expect(page.reflection?.text).toBe('I will see him alone.')
    expect(page.familyFeedback).toMatchObject({ text: 'Mum felt heard.', by: 'Test auditor' })
    expect(page.may).toEqual({ add: false, reflect: false, feedback: false })
  })
})

describe('the practitioner’s home page', () => {
  it('lists their own cases’ submitted audits and their actions, nothing of another’s', async () => {
    const result = await answer(async () =>
      homeLoader({
        request: await request('worker', auditId),
        params: {},
        context: makeLoadContext(database.db),
      }),
    )
    const home = result.body as {
      ownCaseAudits: { id: string; grade: string | null }[]
      actions: { actions: { auditId: string; auditVisible: boolean; state: string }[] }
    }
    expect(home.ownCaseAudits.map((a) => a.id)).toEqual([auditId])
    expect(home.ownCaseAudits[0]?.grade).toBe('good')
    expect(home.actions.actions).toEqual([
      expect.objectContaining({ auditId, auditVisible: true, state: 'done' }),
    ])
  })
})
