import { and, eq } from 'drizzle-orm'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getTemplateDefinitionById } from '../../db/queries/templates'
import { auditAnswers, audits, documentSnapshots } from '../../db/schema/index'
import { ANSWERS_MAP, answerKey, documentName, OVERALL_KEY } from '../../shared/live-document'
import { CLOSE_SUBMITTED } from '../../shared/sync-protocol'
import { submitLiveAudit } from '../../app/utils/submit.server'
import {
  completeAnswers,
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { startTestServer } from '../../test/setup/test-server'
import { connectEditor, signInOverHttp, waitFor, type Editor } from '../../test/sync-client'
import type { RunningServer } from '../start'

// Several app servers on one PostgreSQL: an edit accepted by one reaches the editors of the others.
let database: TestDatabase
const servers: RunningServer[] = []
let editors: Editor[] = []
let council: Awaited<ReturnType<typeof makeCouncil>>
const cookies: Record<string, string> = {}
const people: Record<string, { id: string; email: string }> = {}

async function start(): Promise<RunningServer> {
  const server = await startTestServer(database.url)
  servers.push(server)
  return server
}

async function stop(server: RunningServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1)
  await server.close()
}

function editor(server: RunningServer, who: string, name: string): Editor {
  const e = connectEditor({ port: server.port, documentName: name, cookie: cookies[who] })
  editors.push(e)
  return e
}

const key = answerKey('seeing-the-child', 'judgement-reason')

function text(e: Editor): Y.Text {
  const value = e.doc.getMap(ANSWERS_MAP).get(key)
  if (!(value instanceof Y.Text)) throw new Error('no text: the skeleton is missing')
  return value
}

async function newAudit(): Promise<string> {
  const caseFile = await makeCaseFile(database.db, {
    councilId: council.councilId,
    teamId: council.teamId,
  })
  return makeAudit(database.db, {
    councilId: council.councilId,
    caseFile,
    leadAuditorId: people.lead!.id,
    coAuditorIds: [people.co!.id],
  })
}

beforeAll(async () => {
  database = await createTestDatabase()
  council = await makeCouncil(database.db)
  for (const who of ['lead', 'co']) {
    people[who] = await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] })
  }
  const first = await start()
  for (const [who, person] of Object.entries(people)) {
    cookies[who] = await signInOverHttp(`http://127.0.0.1:${first.port}`, person.email)
  }
})

afterEach(() => {
  for (const e of editors) e.destroy()
  editors = []
})

afterAll(async () => {
  for (const server of [...servers]) await stop(server)
  await database.drop()
})

describe('several sync servers on one database', () => {
  it('passes each server’s edits to the editors of the other, and both converge', async () => {
    const [a] = servers
    const b = await start()
    const name = documentName(await newAudit())
    const onA = editor(a!, 'lead', name)
    const onB = editor(b, 'co', name)
    await waitFor(() => onA.provider.synced && onB.provider.synced, 5_000, 'sync')
    text(onA).insert(0, 'Seen alone at school. ')
    await waitFor(() => text(onB).toString() === 'Seen alone at school. ', 5_000, 'A to B')
    // A stored the first edit and started the audit; B learns it from the log and tells its page.
    await waitFor(() => onA.started() && onB.started(), 5_000, 'both pages told it started')
    text(onB).insert(text(onB).length, 'Her words are recorded.')
    await waitFor(() => text(onA).toString().endsWith('Her words are recorded.'), 5_000, 'B to A')
    // Typed at once on both: every keystroke lands on both, in the same order.
    for (let i = 0; i < 20; i += 1) {
      text(onA).insert(0, 'a')
      text(onB).insert(text(onB).length, 'b')
    }
    await waitFor(
      () => text(onA).toString() === text(onB).toString() && text(onA).length === 85,
      10_000,
      'convergence',
    )
    await waitFor(() => onA.saved() && onB.saved(), 5_000, 'saved on both')
    const expected = text(onA).toString()
    await stop(b)
    // What both acknowledged is in the log: a server that starts afresh serves all of it.
    const fresh = editor(await start(), 'lead', name)
    await waitFor(() => fresh.provider.synced, 5_000, 'sync after restart')
    expect(text(fresh).toString()).toBe(expected)
  })

  it('shows who is in the audit on the other server, and when they leave', async () => {
    const a = servers[0]
    const b = servers[1] ?? (await start())
    const name = documentName(await newAudit())
    const onA = editor(a!, 'lead', name)
    await waitFor(() => onA.provider.synced, 5_000, 'sync')
    onA.provider.awareness.setLocalStateField('user', { id: people.lead!.id, name: 'Lead' })
    // B opens the document after A's editor arrived: B asks who is there, and is told.
    const onB = editor(b, 'co', name)
    await waitFor(() => onB.provider.synced, 5_000, 'sync')
    const names = (e: Editor) =>
      [...e.provider.awareness.getStates().values()]
        .map((state) => (state as { user?: { name?: string } }).user?.name)
        .filter((n) => n !== undefined)
        .sort()
    await waitFor(() => names(onB).includes('Lead'), 5_000, 'A’s editor shown on B')
    onB.provider.awareness.setLocalStateField('user', { id: people.co!.id, name: 'Co' })
    await waitFor(() => names(onA).includes('Co'), 5_000, 'B’s editor shown on A')
    expect(names(onA)).toEqual(['Co', 'Lead'])
    onB.destroy()
    await waitFor(() => !names(onA).includes('Co'), 5_000, 'B’s editor gone from A')
  })

  it('keeps what another server folded into the snapshot when each compacts the log', async () => {
    const a = servers[0]
    const b = servers[1] ?? (await start())
    const name = documentName(await newAudit())
    const onA = editor(a!, 'lead', name)
    const onB = editor(b, 'co', name)
    await waitFor(() => onA.provider.synced && onB.provider.synced, 5_000, 'sync')
    // Over 500 updates on each server, in rounds a second apart (each server folds in only what
    // it has read of the log): both compact, each holding edits only the other wrote.
    for (let i = 0; i < 520; i += 1) {
      text(onA).insert(0, 'a')
      text(onB).insert(text(onB).length, 'b')
      if (i % 130 === 129) {
        await waitFor(() => onA.saved() && onB.saved(), 10_000, 'saved')
        await new Promise((resolve) => setTimeout(resolve, 1_100))
      }
    }
    await waitFor(() => onA.saved() && onB.saved(), 10_000, 'all saved')
    await waitFor(() => text(onA).length === 1040 && text(onB).length === 1040, 10_000, 'merged')
    const [snapshot] = await database.db
      .select({ covers: documentSnapshots.coversUpdateId })
      .from(documentSnapshots)
      .where(eq(documentSnapshots.documentName, name))
    expect(snapshot?.covers).toBeGreaterThan(0)
    const expected = text(onA).toString()
    expect(text(onB).toString()).toBe(expected)
    for (const e of [onA, onB]) e.destroy()
    const fresh = editor(await start(), 'lead', name)
    await waitFor(() => fresh.provider.synced, 5_000, 'sync')
    const loaded = text(fresh).toString()
    expect([loaded.split('a').length - 1, loaded.split('b').length - 1]).toEqual([520, 520])
    expect(loaded).toBe(expected)
  })

  it('takes into a submission every edit another server acknowledged, and refuses the rest', async () => {
    const b = servers.at(-1)
    const auditId = await newAudit()
    const name = documentName(auditId)
    const onB = editor(b!, 'co', name)
    await waitFor(() => onB.provider.synced, 5_000, 'sync')
    const [row] = await database.db
      .select({ templateVersionId: audits.templateVersionId })
      .from(audits)
      .where(eq(audits.id, auditId))
    const template = await getTemplateDefinitionById(database.db, {
      councilId: council.councilId,
      id: row?.templateVersionId ?? '',
    })
    if (!template) throw new Error('no template')
    // The auditor on server B completes the form; the lead submits it from elsewhere (this
    // process, with no editor of its own), while B's editor goes on typing.
    const answers = completeAnswers(template)
    onB.doc.transact(() => {
      const map = onB.doc.getMap(ANSWERS_MAP)
      for (const [answer, value] of Object.entries(answers)) {
        const current = map.get(answer)
        if (current instanceof Y.Text) current.insert(0, value)
        else map.set(answer, value)
      }
      map.set(OVERALL_KEY, 'good')
    })
    text(onB).insert(text(onB).length, ' Acknowledged.')
    await waitFor(() => onB.saved(), 5_000, 'saved')
    const typing = setInterval(() => text(onB).insert(text(onB).length, '.'), 5)
    try {
      const result = await submitLiveAudit(makeLoadContext(database.db), {
        councilId: council.councilId,
        auditId,
        userId: people.lead!.id,
        template,
      })
      expect(result).toEqual({ ok: true })
      const closed = await onB.closed
      expect(closed.code).toBe(CLOSE_SUBMITTED)
    } finally {
      clearInterval(typing)
    }
    const [stored] = await database.db
      .select({ value: auditAnswers.auditorValue })
      .from(auditAnswers)
      .where(and(eq(auditAnswers.auditId, auditId), eq(auditAnswers.questionKey, key)))
    // Every '.' B acknowledged is in the submission (one a clock tick): at most the ones it never
    // confirmed are missing, and nothing B did not send is there.
    const dots = (value: string) => value.slice(value.indexOf('Acknowledged') + 13).length
    const typed = dots(text(onB).toString())
    const unconfirmed = onB.localClock() - onB.storedClock()
    expect(typed).toBeGreaterThan(0)
    expect(dots(stored?.value ?? '')).toBeGreaterThanOrEqual(typed - unconfirmed)
    expect(dots(stored?.value ?? '')).toBeLessThanOrEqual(typed)
  })
})
