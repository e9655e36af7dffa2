import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { findFreePort, startEmbeddedPostgres } from '../../db/embedded-postgres'
import { migrateDatabase } from '../../db/migrate'
import { loadStoredDoc } from '../../db/queries/documents'
import { ANSWERS_MAP, answerKey, documentName } from '../../shared/live-document'
import { CLOSE_POLICY } from '../../shared/sync-protocol'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { startTestServer } from '../../test/setup/test-server'
import { connectEditor, signInOverHttp, waitFor, type Editor } from '../../test/sync-client'
import type { RunningServer } from '../start'

// Faults: a server killed with SIGKILL in the middle of a burst of edits, behind a load balancer
// that then sends its editors to the other server.
let database: TestDatabase
let other: RunningServer
let killed: ChildProcessWithoutNullStreams | undefined
const balancer = { target: undefined as number | undefined, server: net.createServer() }
const editors: Editor[] = []

/** The server under fault, in a process of its own so that it can be killed outright. */
async function startChild(): Promise<{ child: ChildProcessWithoutNullStreams; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
      SEED_DEMO_DATA: 'false',
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await waitFor(() => /listening on http:\/\/\S+:(\d+)/.test(output), 60_000, `start:\n${output}`)
  const port = Number(/listening on http:\/\/\S+:(\d+)/.exec(output)?.[1])
  return { child, port }
}

/** A TCP load balancer: each new connection goes to the current target, or is refused. */
async function startBalancer(): Promise<number> {
  balancer.server.on('connection', (client) => {
    client.on('error', () => {})
    if (balancer.target === undefined) return client.destroy()
    const upstream = net.connect(balancer.target, '127.0.0.1')
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => balancer.server.listen(0, '127.0.0.1', resolve))
  return (balancer.server.address() as net.AddressInfo).port
}

const key = answerKey('seeing-the-child', 'judgement-reason')
const text = (doc: Y.Doc) => {
  const value = doc.getMap(ANSWERS_MAP).get(key)
  if (!(value instanceof Y.Text)) throw new Error('no text: the skeleton is missing')
  return value
}

beforeAll(async () => {
  database = await createTestDatabase()
  other = await startTestServer(database.url)
}, 60_000)

afterAll(async () => {
  for (const e of editors) e.destroy()
  killed?.kill('SIGKILL')
  balancer.server.close()
  await other?.close()
  await database.drop()
})

describe('a server killed mid-burst', () => {
  it('loses no acknowledged edit, and its editors reconnect to the other server and converge', async () => {
    const db = database.db
    const council = await makeCouncil(db)
    const lead = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
    const co = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
    const caseFile = await makeCaseFile(db, {
      councilId: council.councilId,
      teamId: council.teamId,
    })
    const name = documentName(
      await makeAudit(db, {
        councilId: council.councilId,
        caseFile,
        leadAuditorId: lead.id,
        coAuditorIds: [co.id],
      }),
    )
    const doomed = await startChild()
    killed = doomed.child
    balancer.target = doomed.port
    const port = await startBalancer()
    const viaBalancer = connectEditor({
      port,
      documentName: name,
      cookie: await signInOverHttp(`http://127.0.0.1:${port}`, lead.email),
    })
    const onOther = connectEditor({
      port: other.port,
      documentName: name,
      cookie: await signInOverHttp(`http://127.0.0.1:${other.port}`, co.email),
    })
    editors.push(viaBalancer, onOther)
    await waitFor(() => viaBalancer.provider.synced && onOther.provider.synced, 10_000, 'sync')
    // Presence: the other server's editor sees the doomed server's, by the news between servers.
    const focusSeen = () =>
      (onOther.provider.awareness.getStates().get(viaBalancer.doc.clientID) as { focus?: string })
        ?.focus
    viaBalancer.provider.awareness.setLocalState({
      user: { id: lead.id, name: 'Lead' },
      focus: 'before',
    })
    await waitFor(() => focusSeen() === 'before', 10_000, 'presence across servers')

    // A burst on both sides: 100 keystrokes a second through the doomed server, fewer on the other.
    const typing = setInterval(() => text(viaBalancer.doc).insert(0, 'a'), 10)
    const otherTyping = setInterval(() => {
      const t = text(onOther.doc)
      t.insert(t.length, 'b')
    }, 40)
    try {
      await waitFor(() => viaBalancer.storedClock() > 100, 10_000, 'a hundred stored')
      doomed.child.kill('SIGKILL')
      const acknowledged = viaBalancer.storedClock()
      balancer.target = undefined
      await waitFor(() => !viaBalancer.provider.wsconnected, 5_000, 'the connection dropped')
      // Before the page can send anything again: the database holds every acknowledged edit.
      const stored = await loadStoredDoc(db, name)
      expect(Y.getState(stored.store, viaBalancer.doc.clientID)).toBeGreaterThanOrEqual(
        acknowledged,
      )
      stored.destroy()
      balancer.target = other.port
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      clearInterval(typing)
      clearInterval(otherTyping)
    }
    // Reconnected by itself, to the other server: it resends what was lost, and both converge.
    await waitFor(
      () => viaBalancer.provider.synced && viaBalancer.saved(),
      15_000,
      'reconnected and saved',
    )
    await waitFor(
      () => text(viaBalancer.doc).toString() === text(onOther.doc).toString(),
      10_000,
      'convergence',
    )
    // Its presence, moved to the other server with it, shows at once (not once the dead
    // server's news of it times out, 30 s on).
    viaBalancer.provider.awareness.setLocalStateField('focus', 'after')
    await waitFor(() => focusSeen() === 'after', 5_000, 'presence after failover')
    const final = text(viaBalancer.doc).toString()
    expect(final.replaceAll('b', '').length).toBe(viaBalancer.localClock())
    const reloaded = await loadStoredDoc(db, name)
    expect(text(reloaded).toString()).toBe(final)
    reloaded.destroy()
  }, 90_000)
})

describe('the database stopped mid-session', () => {
  it('keeps the server up, pauses acknowledgements and tells the page, then stores every edit', async () => {
    // A PostgreSQL of its own, to stop and start again on the same folder and port.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-pause-'))
    fs.chmodSync(root, 0o755)
    const pgOptions = {
      dataDir: path.join(root, 'pg'),
      port: await findFreePort(),
      database: 'pause',
    }
    let pg = await startEmbeddedPostgres(pgOptions)
    await migrateDatabase(pg.url)
    const handle = openDatabase(pg.url, { max: 2 })
    let server: RunningServer | undefined
    try {
      const council = await makeCouncil(handle.db)
      const lead = await makeUser(handle.db, { councilId: council.councilId, roles: ['auditor'] })
      const caseFile = await makeCaseFile(handle.db, {
        councilId: council.councilId,
        teamId: council.teamId,
      })
      const name = documentName(
        await makeAudit(handle.db, {
          councilId: council.councilId,
          caseFile,
          leadAuditorId: lead.id,
        }),
      )
      server = await startTestServer(pg.url)
      const base = `http://127.0.0.1:${server.port}`
      const page = connectEditor({
        port: server.port,
        documentName: name,
        cookie: await signInOverHttp(base, lead.email),
      })
      editors.push(page)
      await waitFor(() => page.provider.synced, 10_000, 'sync')
      text(page.doc).insert(0, 'Before. ')
      await waitFor(() => page.saved(), 5_000, 'saved')

      await pg.stop()
      text(page.doc).insert(text(page.doc).length, 'While the database was away.')
      await waitFor(() => page.paused(), 10_000, 'told saving is paused')
      expect(page.storedClock()).toBeLessThan(page.localClock())
      expect(page.provider.wsconnected).toBe(true)
      expect((await fetch(`${base}/healthz`)).status).toBe(503)

      // The connection drops too, and the page comes back as soon as the database does: its
      // edits are already on the server, waiting to be stored, so it sends nothing new.
      page.provider.disconnect()
      pg = await startEmbeddedPostgres(pgOptions)
      page.provider.connect()
      await waitFor(
        () => !page.paused() && page.saved(),
        20_000,
        'stored once the database is back',
      )
      const stored = await loadStoredDoc(handle.db, name)
      expect(text(stored).toString()).toBe('Before. While the database was away.')
      stored.destroy()
    } finally {
      await server?.close()
      await handle.close()
      await pg.stop()
      fs.rmSync(root, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('a page that does not read', () => {
  it('has its buffer bounded and is dropped, while the others go on unaffected', async () => {
    const db = database.db
    const council = await makeCouncil(db)
    const lead = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
    const co = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
    const caseFile = await makeCaseFile(db, {
      councilId: council.councilId,
      teamId: council.teamId,
    })
    const name = documentName(
      await makeAudit(db, {
        councilId: council.councilId,
        caseFile,
        leadAuditorId: lead.id,
        coAuditorIds: [co.id],
      }),
    )
    const base = `http://127.0.0.1:${other.port}`
    const writer = connectEditor({
      port: other.port,
      documentName: name,
      cookie: await signInOverHttp(base, lead.email),
    })
    const reader = connectEditor({
      port: other.port,
      documentName: name,
      cookie: await signInOverHttp(base, co.email),
    })
    editors.push(writer, reader)
    // The slow page: a raw websocket that stops reading once it is in.
    const slow = new WebSocket(`ws://127.0.0.1:${other.port}/sync/${name}`, {
      headers: { origin: base, cookie: await signInOverHttp(base, co.email) },
    })
    const slowClosed = new Promise<number>((resolve) => slow.on('close', (code) => resolve(code)))
    await new Promise((resolve) => slow.once('message', resolve))
    ;(slow as unknown as { _socket: net.Socket })._socket.pause()
    await waitFor(() => writer.provider.synced && reader.provider.synced, 10_000, 'sync')

    // About 24 MB for the slow page: more than its bound (8 MB) and the kernel's buffers together.
    const chunk = 'x'.repeat(60_000)
    for (let i = 0; i < 400; i += 1) {
      text(writer.doc).insert(0, chunk)
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 600))
    }
    await waitFor(() => text(reader.doc).length === 400 * 60_000, 20_000, 'the reader has it all')
    await waitFor(() => writer.saved(), 20_000, 'all stored')
    ;(slow as unknown as { _socket: net.Socket })._socket.resume()
    expect(await slowClosed).toBe(CLOSE_POLICY)
  }, 90_000)
})
