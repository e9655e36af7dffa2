import { count, eq } from 'drizzle-orm'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audits, documentSnapshots, documentUpdates } from '../../db/schema/index'
import { answerKey, documentName } from '../../shared/live-document'
import {
  CLOSE_FORBIDDEN,
  CLOSE_INVALID_DATA,
  CLOSE_UNAUTHENTICATED,
  MESSAGE_SYNC,
} from '../../shared/sync-protocol'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { startTestServer } from '../../test/setup/test-server'
import {
  localClock,
  makeClient,
  openClient,
  REMOTE,
  stopClient,
} from '../../test/reconnecting-client'
import { connectEditor, signInOverHttp, waitFor, type Editor } from '../../test/sync-client'
import type { RunningServer } from '../start'

let database: TestDatabase
let server: RunningServer
let base: string
const cookies: Record<string, string> = {}
const ids: Record<string, string> = {}
let auditId: string
let agencyAuditId: string
let council: Awaited<ReturnType<typeof makeCouncil>>
const editors: Editor[] = []

async function start(port = 0) {
  server = await startTestServer(database.url, { PORT: String(port) })
  base = `http://127.0.0.1:${server.port}`
}

function editor(who: string, name: string, origin?: string): Editor {
  const e = connectEditor({ port: server.port, documentName: name, cookie: cookies[who], origin })
  editors.push(e)
  return e
}

/** Restarts the server and opens the audit afresh, as another auditor: what the log holds. */
async function afterRestart(name = documentName(auditId)): Promise<Editor> {
  await server.close()
  await start()
  const fresh = editor('co', name)
  await waitFor(() => fresh.provider.synced, 5_000, 'sync after restart')
  return fresh
}

const key = answerKey('seeing-the-child', 'judgement-reason')
const gradeKey = answerKey('seeing-the-child', 'judgement')

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  council = await makeCouncil(db)
  const people = {
    lead: await makeUser(db, {
      councilId: council.councilId,
      roles: ['auditor'],
      agencyId: council.agencies.get('csc'),
    }),
    co: await makeUser(db, {
      councilId: council.councilId,
      roles: ['auditor'],
      agencyId: council.agencies.get('csc'),
    }),
    outsider: await makeUser(db, { councilId: council.councilId, roles: ['auditor'] }),
    health: await makeUser(db, {
      councilId: council.councilId,
      roles: ['auditor'],
      agencyId: council.agencies.get('health'),
    }),
  }
  const caseFile = await makeCaseFile(db, { councilId: council.councilId, teamId: council.teamId })
  auditId = await makeAudit(db, {
    councilId: council.councilId,
    caseFile,
    leadAuditorId: people.lead.id,
    coAuditorIds: [people.co.id],
    agencyAuditors: [{ agencyCode: 'health', userId: people.health.id }],
  })
  const otherCase = await makeCaseFile(db, { councilId: council.councilId, teamId: council.teamId })
  agencyAuditId = await makeAudit(db, {
    councilId: council.councilId,
    caseFile: otherCase,
    leadAuditorId: people.lead.id,
    agencyAuditors: [{ agencyCode: 'health', userId: people.health.id }],
    template: 'multi-agency',
  })
  await start()
  for (const [who, person] of Object.entries(people)) {
    cookies[who] = await signInOverHttp(base, person.email)
    ids[who] = person.id
  }
})

afterAll(async () => {
  for (const e of editors) e.destroy()
  await server?.close()
  await database.drop()
})

function text(e: Editor): Y.Text {
  const value = e.doc.getMap('answers').get(key)
  if (!(value instanceof Y.Text)) throw new Error('no text: the skeleton is missing')
  return value
}

describe('the sync server', () => {
  it('merges two auditors’ concurrent edits, and acknowledges each once stored', async () => {
    const lead = editor('lead', documentName(auditId))
    const co = editor('co', documentName(auditId))
    await waitFor(() => lead.provider.synced && co.provider.synced, 5_000, 'sync')
    text(lead).insert(0, 'Seen alone on 3 March. ')
    text(co).insert(0, 'Wishes recorded in her words. ')
    co.doc.getMap('answers').set(gradeKey, 'good')
    await waitFor(
      () => text(lead).toString() === text(co).toString() && text(lead).length > 40,
      5_000,
      'convergence',
    )
    expect(text(lead).toString()).toContain('Seen alone on 3 March. ')
    expect(text(lead).toString()).toContain('Wishes recorded in her words. ')
    expect(lead.doc.getMap('answers').get(gradeKey)).toBe('good')
    await waitFor(() => lead.saved() && co.saved(), 5_000, 'saved')
    const [row] = await database.db
      .select({ status: audits.status })
      .from(audits)
      .where(eq(audits.id, auditId))
    expect(row?.status).toBe('in-progress')
  })

  it('serves exactly what it acknowledged after a restart', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    text(lead).insert(text(lead).length, 'Added before the restart.')
    await waitFor(() => lead.saved(), 5_000, 'saved')
    const expected = text(lead).toString()
    lead.provider.disconnect()
    expect(text(await afterRestart()).toString()).toBe(expected)
  })

  it('takes edits made while the server was down once it is back, without the page doing anything', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    const port = server.port
    await server.close()
    await waitFor(() => !lead.provider.wsconnected, 5_000, 'disconnect')
    text(lead).insert(0, 'Typed while offline. ')
    expect(lead.storedClock()).toBeLessThan(lead.localClock())
    await start(port)
    await waitFor(() => lead.provider.synced && lead.saved(), 10_000, 'resent and saved')
    const other = editor('co', documentName(auditId))
    await waitFor(() => other.provider.synced, 5_000, 'sync')
    expect(text(other).toString()).toContain('Typed while offline. ')
  })

  it('refuses a connection without a session, from another origin, or to an unassigned audit', async () => {
    const anonymous = editor('nobody', documentName(auditId))
    expect((await anonymous.closed).code).toBe(CLOSE_UNAUTHENTICATED)
    anonymous.provider.disconnect()

    const outsider = editor('outsider', documentName(auditId))
    expect((await outsider.closed).code).toBe(CLOSE_FORBIDDEN)
    outsider.provider.disconnect()

    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${documentName(auditId)}`, {
        headers: { cookie: cookies.lead!, origin: 'https://evil.test' },
      })
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      socket.on('open', () => resolve(101))
      socket.on('error', () => {})
    })
    expect(status).toBe(403)
  })

  it('drops every write from a read-only connection', async () => {
    // The health auditor may read the lead part of the audit but not write it.
    const health = editor('health', documentName(auditId))
    await waitFor(() => health.provider.synced, 5_000, 'sync')
    const before = text(health).toString()
    text(health).insert(0, 'WRITTEN BY A READER ')
    health.doc.getMap('answers').set(gradeKey, 'inadequate')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    expect(text(lead).toString()).toBe(before)
    expect(lead.doc.getMap('answers').get(gradeKey)).toBe('good')
    // Each connection is in the access trail, as what it was allowed: reading or editing.
    const trail = await database.db.$client<{ user_id: string; action: string }[]>`
      select user_id, action from access_events
      where audit_id = ${auditId} and path = ${`/sync/${documentName(auditId)}`}`
    const actionsOf = (id: string) =>
      trail.filter((row) => row.user_id === id).map((row) => row.action)
    expect(new Set(actionsOf(ids.health!))).toEqual(new Set(['view']))
    expect(actionsOf(ids.lead!)).toContain('edit')
    expect(actionsOf(ids.outsider!)).toEqual([])
  })

  it('lets an agency auditor write their own section of a multi-agency audit, and only read the rest', async () => {
    const own = editor('health', documentName(agencyAuditId, 'health'))
    await waitFor(() => own.provider.synced, 5_000, 'sync')
    const ownKey = answerKey('health', 'judgement')
    own.doc.getMap('answers').set(ownKey, 'good')
    await waitFor(() => own.saved() && own.localClock() > 0, 5_000, 'saved')
    const police = editor('health', documentName(agencyAuditId, 'police'))
    await waitFor(() => police.provider.synced, 5_000, 'sync')
    police.doc.getMap('answers').set(answerKey('police', 'judgement'), 'good')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(police.storedClock()).toBe(0)
  })

  it('makes a submitted audit read-only for everyone', async () => {
    await database.db
      .update(audits)
      .set({ status: 'submitted' })
      .where(eq(audits.id, agencyAuditId))
    const lead = editor('lead', documentName(agencyAuditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    lead.doc.getMap('answers').set(answerKey('summary', 'judgement'), 'outstanding')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(lead.storedClock()).toBe(0)
  })

  it('closes a connection that sends malformed bytes, and keeps the document intact', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    const before = text(lead).toString()
    const codes = await Promise.all(
      [
        [0, 2, 5, 1, 2, 3, 4, 5],
        [0, 0, 200, 200, 200],
        [9, 9, 9],
        [1, 5, 1, 2],
      ].map(
        (bytes) =>
          new Promise<number>((resolve) => {
            const socket = new WebSocket(
              `ws://127.0.0.1:${server.port}/sync/${documentName(auditId)}`,
              {
                headers: { cookie: cookies.lead!, origin: base },
              },
            )
            socket.on('open', () => socket.send(Uint8Array.from(bytes)))
            socket.on('close', (code) => resolve(code))
            socket.on('error', () => {})
          }),
      ),
    )
    expect(codes).toEqual([
      CLOSE_INVALID_DATA,
      CLOSE_INVALID_DATA,
      CLOSE_INVALID_DATA,
      CLOSE_INVALID_DATA,
    ])
    text(lead).insert(0, 'Still working. ')
    await waitFor(() => lead.saved(), 5_000, 'saved after bad peers')
    expect(text(lead).toString()).toBe(`Still working. ${before}`)
  })

  it('keeps, passes on and stores the part of an update applied before it broke', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    // A peer's update whose content is whole but whose delete set is cut off: Yjs applies the
    // content, then throws. Memory, the other editors and the log must still agree.
    const forger = new Y.Doc()
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(lead.doc))
    let update: Uint8Array = new Uint8Array()
    forger.on('update', (u: Uint8Array) => (update = u))
    const forgedText = forger.getMap('answers').get(key)
    if (!(forgedText instanceof Y.Text)) throw new Error('no text')
    forgedText.insert(0, 'Half a message. ')
    const broken = update.subarray(0, update.length - 1)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, broken)
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${documentName(auditId)}`, {
        headers: { cookie: cookies.lead!, origin: base },
      })
      socket.on('open', () => socket.send(encoding.toUint8Array(encoder)))
      socket.on('close', (closeCode) => resolve(closeCode))
      socket.on('error', () => {})
    })
    expect(code).toBe(CLOSE_INVALID_DATA)
    await waitFor(() => text(lead).toString().startsWith('Half a message. '), 5_000, 'passed on')
    const expected = text(lead).toString()
    lead.provider.disconnect()
    expect(text(await afterRestart()).toString()).toBe(expected)
  })

  it('keeps nothing waiting for what it lacks, so that a new editor gets what the others have', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    const beforeMine = Y.encodeStateAsUpdate(lead.doc)
    text(lead).insert(0, 'Mine. ')
    await waitFor(() => lead.saved(), 5_000, 'saved')
    // A forger reuses the lead's client id (and its first clocks, already the lead's) for content
    // placed after text the server never gets.
    // Yjs would keep it waiting; and while a document holds such content, its encoding for a new
    // editor merges it in wrongly (here the new editor would read text nobody else has).
    const unseen = new Y.Doc()
    Y.applyUpdate(unseen, beforeMine)
    const unseenText = unseen.getMap('answers').get(key) as Y.Text
    unseenText.insert(0, 'zzzzz')
    const forger = new Y.Doc()
    forger.clientID = lead.doc.clientID
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(unseen))
    ;(forger.getMap('answers').get(key) as Y.Text).insert(
      5,
      'Forged, and longer than all the lead writes here.',
    )
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forger, Y.encodeStateVector(unseen)))
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${documentName(auditId)}`, {
      headers: { cookie: cookies.co!, origin: base },
    })
    socket.on('error', () => {})
    await new Promise((resolve) => socket.on('open', resolve))
    socket.send(encoding.toUint8Array(encoder))
    // The lead writes again after it: once that is saved, the forged update has been read.
    text(lead).insert(0, 'Again. ')
    await waitFor(() => lead.saved(), 5_000, 'saved again')
    const expected = text(lead).toString()
    const joining = editor('co', documentName(auditId))
    await waitFor(() => joining.provider.synced, 5_000, 'sync')
    expect(text(joining).toString()).toBe(expected)
    socket.close()
    lead.provider.disconnect()
    expect(text(await afterRestart()).toString()).toBe(expected)
  })

  it('tells an editor its edit is stored when another page’s sync brought it', async () => {
    // A co-auditor is connected and has an edit the server lacks (as after a server was killed
    // having passed it on but not stored it); the lead, who received it, reconnects, and its sync
    // step 2 brings it. The co-auditor must hear it is stored without having to type again.
    const co = makeClient(0, documentName(auditId), cookies.co!, { port: () => server.port })
    openClient(co)
    await waitFor(() => co.synced, 5_000, 'co synced')
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'lead synced')
    lead.provider.disconnect()
    // Its own edit, which it does not send (the raw client sends only what is not from REMOTE).
    const before = Y.encodeStateVector(co.doc)
    co.doc.transact(() => {
      ;(co.doc.getMap('answers').get(key) as Y.Text).insert(0, 'Passed on, never stored. ')
    }, REMOTE)
    Y.applyUpdate(lead.doc, Y.encodeStateAsUpdate(co.doc, before))
    expect(co.stored).toBeLessThan(localClock(co))
    lead.provider.connect()
    await waitFor(() => co.stored >= localClock(co), 5_000, 'the co-auditor told it is stored')
    stopClient(co)
  })

  it('acknowledges an edit with the clocks it stored, not every client the document has had', async () => {
    const name = documentName(auditId)
    // Each page load is a new client id: five visits, one edit each.
    for (let visit = 0; visit < 5; visit += 1) {
      const visitor = connectEditor({ port: server.port, documentName: name, cookie: cookies.co })
      await waitFor(() => visitor.provider.synced, 5_000, 'sync')
      text(visitor).insert(0, `Visit ${visit}. `)
      await waitFor(() => visitor.saved(), 5_000, 'saved')
      visitor.destroy()
    }
    const late = editor('lead', name)
    await waitFor(() => late.provider.synced, 5_000, 'sync')
    const [greeting] = late.savedMessages
    expect(greeting?.size).toBeGreaterThanOrEqual(5)
    text(late).insert(0, 'Late note. ')
    await waitFor(() => late.saved(), 5_000, 'saved')
    expect([...late.savedMessages.at(-1)!.keys()]).toEqual([late.doc.clientID])
  })

  it('tells every page of a scheduled audit when its first edit starts it, and later pages on connecting', async () => {
    const caseFile = await makeCaseFile(database.db, {
      councilId: council.councilId,
      teamId: council.teamId,
    })
    const scheduledId = await makeAudit(database.db, {
      councilId: council.councilId,
      caseFile,
      leadAuditorId: ids.lead!,
      coAuditorIds: [ids.co!],
    })
    const name = documentName(scheduledId)
    const lead = editor('lead', name)
    const co = editor('co', name)
    await waitFor(() => lead.provider.synced && co.provider.synced, 5_000, 'sync')
    expect(lead.started() || co.started()).toBe(false)
    lead.doc.getMap('answers').set(gradeKey, 'good')
    await waitFor(() => lead.started() && co.started(), 5_000, 'both told it started')
    const [row] = await database.db
      .select({ status: audits.status })
      .from(audits)
      .where(eq(audits.id, scheduledId))
    expect(row?.status).toBe('in-progress')
    const later = editor('co', name)
    await waitFor(() => later.started(), 5_000, 'a later page told on connecting')
  })

  it('folds the log into the snapshot once it has grown by the snapshot’s size, and no sooner', async () => {
    const db = database.db
    const caseFile = await makeCaseFile(db, {
      councilId: council.councilId,
      teamId: council.teamId,
    })
    const name = documentName(
      await makeAudit(db, {
        councilId: council.councilId,
        caseFile,
        leadAuditorId: ids.lead!,
        coAuditorIds: [ids.co!],
      }),
    )
    const lead = editor('lead', name)
    const co = editor('co', name)
    await waitFor(() => lead.provider.synced && co.provider.synced, 5_000, 'sync')
    const stored = async () => {
      const [rows] = await db
        .select({ count: count() })
        .from(documentUpdates)
        .where(eq(documentUpdates.documentName, name))
      const [snapshot] = await db
        .select({ covers: documentSnapshots.coversUpdateId })
        .from(documentSnapshots)
        .where(eq(documentSnapshots.documentName, name))
      return { rows: rows?.count ?? 0, covers: snapshot?.covers ?? 0 }
    }
    // Each editor types 250 characters, one update each (within a connection's burst allowance).
    const type = async () => {
      for (let i = 0; i < 250; i += 1) {
        text(lead).insert(0, 'l')
        text(co).insert(0, 'c')
      }
      await waitFor(() => lead.saved() && co.saved(), 10_000, 'saved')
    }
    // A 20,000-character paste and 500 keystrokes: the log outgrows the skeleton's snapshot. Rows
    // are folded in once the server has read the log past them (within a second): the next edit
    // after that compacts.
    text(lead).insert(0, 'p'.repeat(20_000))
    await type()
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    text(lead).insert(0, 'l')
    await waitFor(async () => (await stored()).covers > 0, 5_000, 'compacted')
    const first = await stored()
    expect(first.rows).toBeLessThan(50)
    // 500 more keystrokes (10 KB or so) are fewer bytes than the snapshot (over 20 KB): no compaction.
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    await type()
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    text(lead).insert(0, 'l')
    await waitFor(() => lead.saved(), 5_000, 'saved')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await stored()).toEqual({ rows: first.rows + 501, covers: first.covers })
    // A second paste takes the log past the snapshot's size.
    text(co).insert(0, 'q'.repeat(30_000))
    await waitFor(() => co.saved(), 5_000, 'saved')
    await waitFor(async () => (await stored()).covers > first.covers, 5_000, 'compacted again')
    expect((await stored()).rows).toBeLessThan(50)
    // What a server loads from snapshot and log is what the editors have.
    const expected = text(lead).toString()
    expect(expected.length).toBe(51_002)
    const fresh = await afterRestart(name)
    expect(text(fresh).toString()).toBe(expected)
  })

  it('refuses an oversized frame', async () => {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${documentName(auditId)}`, {
        headers: { cookie: cookies.lead!, origin: base },
      })
      socket.on('open', () => socket.send(new Uint8Array(2 * 1024 * 1024)))
      socket.on('close', (closeCode) => resolve(closeCode))
      socket.on('error', () => {})
    })
    expect(code).toBe(1009)
  })

  it('shares who is here and which question each is on', async () => {
    const lead = editor('lead', documentName(auditId))
    const co = editor('co', documentName(auditId))
    await waitFor(() => lead.provider.synced && co.provider.synced, 5_000, 'sync')
    co.provider.awareness.setLocalStateField('user', {
      id: ids.co,
      name: 'Co Auditor',
      agency: 'csc',
    })
    co.provider.awareness.setLocalStateField('focus', key)
    const seenBy = () =>
      [...lead.provider.awareness.getStates().values()].find(
        (state) => (state as { user?: { id?: string } }).user?.id === ids.co,
      ) as { focus?: string } | undefined
    await waitFor(() => seenBy()?.focus === key, 5_000, 'presence')
    co.provider.disconnect()
    await waitFor(() => seenBy() === undefined, 5_000, 'presence removed on leaving')
    // Back on the same page (same client id), over a new connection: seen again.
    co.provider.connect()
    await waitFor(() => co.provider.synced, 5_000, 'sync again')
    co.provider.awareness.setLocalStateField('focus', 'overall')
    await waitFor(() => seenBy()?.focus === 'overall', 5_000, 'presence after reconnecting')
  })

  it('rejects presence that claims to be another user', async () => {
    const lead = editor('lead', documentName(auditId))
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    lead.provider.awareness.setLocalStateField('user', { id: 'someone-else', name: 'Impostor' })
    expect((await lead.closed).code).toBe(CLOSE_INVALID_DATA)
    lead.provider.disconnect()
  })
})
