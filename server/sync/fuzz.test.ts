import pino from 'pino'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, touchSession } from '../../db/queries/sessions'
import { ANSWERS_MAP, answerKey, documentName } from '../../shared/live-document'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import {
  documentContents,
  fuzzAtHandler,
  fuzzOverWebSocket,
  realFrames,
  sameContents,
} from '../../test/fuzz'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { startTestServer } from '../../test/setup/test-server'
import { connectEditor, signInOverHttp, waitFor, type Editor } from '../../test/sync-client'
import type { RunningServer } from '../start'

// Hostile peers: random and mutated frames from a signed-in editor, with a fixed seed (the longer
// run, with any seed, is bench/fuzz.ts). Over real websockets every refused frame costs a
// connection (the server closes it), and a connection costs its authentication: about 140 a second
// here. So 2,000 frames go over the wire, and 100,000 go through the same message handler the
// sockets feed, on a document in memory with its real log in PostgreSQL. FUZZ_FRAMES and
// FUZZ_WIRE_FRAMES set other counts.
const SEED = 20261129
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000)
const WIRE_FRAMES = Number(process.env.FUZZ_WIRE_FRAMES ?? 2_000)

let database: TestDatabase
let server: RunningServer
let base: string
const cookies: Record<string, string> = {}
let leadId: string
let fuzzedAudit: string
let otherAudit: string
let handlerAudit: string
let councilId: string
let coToken: string
const editors: Editor[] = []

async function start() {
  server = await startTestServer(database.url)
  base = `http://127.0.0.1:${server.port}`
}

function editor(who: string, auditId: string): Editor {
  const e = connectEditor({
    port: server.port,
    documentName: documentName(auditId),
    cookie: cookies[who],
  })
  editors.push(e)
  return e
}

const key = answerKey('seeing-the-child', 'judgement-reason')
const text = (e: Editor) => {
  const value = e.doc.getMap(ANSWERS_MAP).get(key)
  if (!(value instanceof Y.Text)) throw new Error('no text: the skeleton is missing')
  return value
}
/** Same edits and same answers; on a difference, the answers are shown side by side. */
function expectSame(
  actual: ReturnType<typeof documentContents>,
  expected: ReturnType<typeof documentContents>,
) {
  expect(actual.answers).toEqual(expected.answers)
  expect(actual.notes).toEqual(expected.notes)
  if (!sameContents(actual, expected)) {
    // Which edits differ: the state vectors, then the deletions, client by client.
    const edits = (c: ReturnType<typeof documentContents>) => ({
      stateVector: Object.fromEntries([...c.snapshot.sv].sort()),
      deleted: Object.fromEntries(
        [...c.snapshot.ds.clients]
          .sort(([a], [b]) => a - b)
          .map(([client, items]) => [client, items.map((i) => `${i.clock}+${i.len}`).join(' ')]),
      ),
    })
    expect(edits(actual)).toEqual(edits(expected))
  }
  expect(sameContents(actual, expected)).toBe(true)
}

async function saved(e: Editor, what: string) {
  await waitFor(() => e.saved(), 10_000, what)
}

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  const council = await makeCouncil(db)
  const lead = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
  const co = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
  leadId = lead.id
  const audit = async () =>
    makeAudit(db, {
      councilId: council.councilId,
      caseFile: await makeCaseFile(db, { councilId: council.councilId, teamId: council.teamId }),
      leadAuditorId: lead.id,
      coAuditorIds: [co.id],
    })
  fuzzedAudit = await audit()
  otherAudit = await audit()
  handlerAudit = await audit()
  councilId = council.councilId
  coToken = await createSession(db, { userId: co.id, councilId })
  await start()
  cookies.lead = await signInOverHttp(base, lead.email)
  cookies.co = await signInOverHttp(base, co.email)
}, 60_000)

afterAll(async () => {
  for (const e of editors) e.destroy()
  await server?.close()
  if (process.env.FUZZ_KEEP_DB) console.log('kept', database.url)
  else await database?.drop()
})

describe('hostile peers', () => {
  it(`over real websockets: ${WIRE_FRAMES.toLocaleString('en-GB')} random and mutated frames leave the server up and every document intact`, async () => {
    // An honest co-auditor in the fuzzed audit throughout, and another audit the fuzzer never opens.
    const honest = editor('co', fuzzedAudit)
    const bystander = editor('co', otherAudit)
    await waitFor(() => honest.provider.synced && bystander.provider.synced, 10_000, 'sync')
    let honestClosed = false
    void honest.closed.then(() => (honestClosed = true))
    text(honest).insert(0, 'Written before the fuzzing. ')
    text(bystander).insert(0, 'Nobody fuzzes this one. ')
    await saved(honest, 'honest edit saved')
    await saved(bystander, 'bystander edit saved')
    const untouched = documentContents(bystander.doc)

    const result = await fuzzOverWebSocket({
      url: `ws://127.0.0.1:${server.port}/sync/${documentName(fuzzedAudit)}`,
      headers: { cookie: cookies.lead!, origin: base },
      seed: SEED,
      count: WIRE_FRAMES,
      real: realFrames(Y.encodeStateAsUpdate(honest.doc), leadId, SEED),
      concurrency: 8,
    })
    console.log(
      `fuzz: ${result.handled} frames read, ${result.refused} refused as invalid, ` +
        `over ${result.connections} connections in ${result.seconds.toFixed(1)} s`,
    )
    expect(Object.fromEntries(result.unexpected)).toEqual({})
    expect(result.handled).toBe(WIRE_FRAMES)
    // Both ways of ending were reached: frames refused, and frames read and kept (some edits).
    expect(result.refused).toBeGreaterThan(WIRE_FRAMES * 0.3)
    expect(result.handled - result.refused).toBeGreaterThan(WIRE_FRAMES * 0.05)

    // The server is up, and the honest editor was never dropped and is still heard and stored.
    expect((await fetch(`${base}/login`)).status).toBe(200)
    expect(honestClosed).toBe(false)
    // (The fuzzer, an editor, may have replaced any answer: this edit goes where it does not write.)
    honest.doc.getMap('notes').set('after', 'Written after the fuzzing.')
    await saved(honest, 'honest edit after the fuzzing saved')
    const expected = documentContents(honest.doc)

    // What the server held in memory (the honest editor's copy) is what it stored: after a restart
    // a new editor gets exactly that, and the other audit is as it was.
    honest.destroy()
    bystander.destroy()
    await server.close()
    await start()
    const fresh = editor('co', fuzzedAudit)
    const other = editor('co', otherAudit)
    await waitFor(
      () => fresh.provider.synced && other.provider.synced,
      10_000,
      'sync after restart',
    )
    expectSame(documentContents(fresh.doc), expected)
    expect(fresh.doc.getMap('notes').get('after')).toBe('Written after the fuzzing.')
    expectSame(documentContents(other.doc), untouched)
    expect(text(other).toString()).toBe('Nobody fuzzes this one. ')
  }, 600_000)

  it(`at the message handler: ${FRAMES.toLocaleString('en-GB')} random and mutated frames leave the document intact, in memory and as stored`, async () => {
    const db = database.db
    const errors: { msg: string }[] = []
    const user = async (token: string) => {
      const found = await touchSession(db, { token, idleSeconds: 3600 })
      if (!found) throw new Error('no session')
      return found
    }
    const result = await fuzzAtHandler({
      db,
      // Errors (a stored row that would not load again, a refused write) fail the test below.
      logger: pino(
        { level: 'error', base: null },
        { write: (line: string) => errors.push(JSON.parse(line) as { msg: string }) },
      ),
      councilId,
      auditId: handlerAudit,
      fuzzer: await user(await createSession(db, { userId: leadId, councilId })),
      honest: await user(coToken),
      seed: SEED,
      count: FRAMES,
    })
    console.log(
      `fuzz at the handler: ${FRAMES} frames, ${result.refused} refused, ${result.reloads} forged updates (document loaded again), in ${result.seconds.toFixed(1)} s`,
    )
    expect(result.refused).toBeGreaterThan(FRAMES * 0.3)
    expect(FRAMES - result.refused).toBeGreaterThan(FRAMES * 0.05)
    // The honest copy is what the server held; what it stored (compacted on the way, as the log
    // grew) loads as exactly that, with the honest edit made after the fuzzing.
    expect(result.honestFailures).toBe(0)
    expect(errors.map((e) => e.msg)).toEqual([])
    expectSame(result.honestCopy, result.held)
    expectSame(result.reloaded, result.held)
    expect(result.reloaded.notes).toEqual({ after: 'Written after the fuzzing.' })
    expect(result.logRows).toBeLessThan(FRAMES - result.refused)
  }, 600_000)
})
