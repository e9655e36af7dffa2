import { randomInt } from 'node:crypto'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { sql } from 'drizzle-orm'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { Db } from '../db/client'
import { getAudit } from '../db/queries/audits'
import { getTemplateDefinitionById } from '../db/queries/templates'
import type { Logger } from '../server/logger'
import type { User } from '../server/sync/access'
import { LiveDocument } from '../server/sync/live-document'
import { createLogFollower } from '../server/sync/log-follower'
import { handleMessage, releasePeer, type FramePeer } from '../server/sync/sync-server'
import { createUpdateWriter } from '../server/sync/update-writer'
import {
  ANSWERS_MAP,
  answerKey,
  buildSkeleton,
  documentName,
  LEAD_PART,
} from '../shared/live-document'
import {
  CLOSE_GOING_AWAY,
  CLOSE_INVALID_DATA,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
} from '../shared/sync-protocol'
import { seededRandom } from './seeded-random'

/**
 * Hostile peers for the sync server: frames drawn at random or made by mutating real ones, sent over
 * real websockets by a signed-in editor, with a count of how each was received. Used by the fuzz
 * test (a fixed seed, 100,000 frames) and by the longer run in bench/fuzz.ts.
 */

function syncFrame(kind: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, kind)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * Real frames of every kind an editor sends, made from the document as the server has it (`state`,
 * from a client synced with it): sync step 1, edits of its texts and choices as updates and as
 * step 2, presence of the signed-in user, and a query for presence. Mutating them reaches deep into
 * the decoders, where frames of random bytes mostly stop at the first byte.
 */
export function realFrames(state: Uint8Array, userId: string, seed: number): Uint8Array[] {
  const random = seededRandom(seed)
  const doc = new Y.Doc()
  doc.clientID = 1_000_000 + Math.floor(random() * 1_000_000)
  Y.applyUpdate(doc, state)
  const frames: Uint8Array[] = [Uint8Array.of(3)]
  doc.on('update', (update: Uint8Array) => {
    frames.push(syncFrame(syncProtocol.messageYjsUpdate, update))
    frames.push(syncFrame(syncProtocol.messageYjsSyncStep2, update))
  })
  const answers = doc.getMap(ANSWERS_MAP)
  const texts = [...answers.values()].filter((v): v is Y.Text => v instanceof Y.Text)
  const keys = [...answers.keys()]
  for (let i = 0; i < 60; i += 1) {
    const roll = random()
    const text = texts[Math.floor(random() * texts.length)]
    if (text && roll < 0.5) text.insert(Math.floor(random() * (text.length + 1)), `word ${i} `)
    else if (text && roll < 0.7 && text.length > 2)
      text.delete(Math.floor(random() * (text.length - 1)), 2)
    else
      answers.set(
        keys[Math.floor(random() * keys.length)] ?? 'x',
        ['good', 'requires-improvement', 'yes'][i % 3]!,
      )
    if (i % 10 === 0)
      frames.push(syncFrame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc)))
  }
  const awareness = new awarenessProtocol.Awareness(doc)
  for (let i = 0; i < 6; i += 1) {
    awareness.setLocalState({ user: { id: userId, name: 'Fuzz' }, focus: keys[i] ?? null })
    frames.push(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])))
  }
  awareness.destroy()
  doc.destroy()
  return frames
}

const PREFIXES = [[0, 0], [0, 1], [0, 2], [1], [3], [0]]
const EDGES = [0x00, 0x01, 0x7f, 0x80, 0xff]

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256))
}

function mutate(frame: Uint8Array, random: () => number, real: Uint8Array[]): Uint8Array {
  const bytes = [...frame]
  const at = () => Math.floor(random() * (bytes.length + 1))
  switch (Math.floor(random() * 7)) {
    case 0: // flip a few bits
      for (let n = 1 + Math.floor(random() * 3); n > 0 && bytes.length > 0; n -= 1) {
        const i = Math.floor(random() * bytes.length)
        bytes[i] = bytes[i]! ^ (1 << Math.floor(random() * 8))
      }
      break
    case 1: // cut short
      bytes.length = Math.floor(random() * bytes.length)
      break
    case 2: // insert a few random bytes
      bytes.splice(at(), 0, ...randomBytes(random, 1 + Math.floor(random() * 8)))
      break
    case 3: // a byte at an edge (lengths and counts become 0, or huge, or unfinished varints)
      if (bytes.length > 0)
        bytes[Math.floor(random() * bytes.length)] = EDGES[Math.floor(random() * EDGES.length)]!
      break
    case 4: {
      // repeat a slice
      const from = Math.floor(random() * bytes.length)
      const slice = bytes.slice(from, from + 1 + Math.floor(random() * 16))
      bytes.splice(at(), 0, ...slice)
      break
    }
    case 5: {
      // the start of one frame, the end of another
      const other = real[Math.floor(random() * real.length)]!
      return Uint8Array.from([
        ...bytes.slice(0, at()),
        ...other.slice(Math.floor(random() * other.length)),
      ])
    }
    default: // a run of continuation bytes: a varint that never ends, or a length in the billions
      bytes.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(random() * 9) }, () => 0xff))
  }
  return Uint8Array.from(bytes)
}

/**
 * Frame `index` of the run with this seed: random bytes (a quarter), a real message's header with a
 * random or length-prefixed random body, a real frame mutated once to three times, or a real frame
 * as it is (a tenth, so that the document keeps changing under the mutations).
 */
export function fuzzFrame(seed: number, index: number, real: Uint8Array[]): Uint8Array {
  const random = seededRandom((Math.imul(seed, 0x9e3779b1) + index) >>> 0)
  const roll = random()
  if (roll < 0.25) return randomBytes(random, Math.floor(random() * 200))
  if (roll < 0.35) {
    const prefix = PREFIXES[Math.floor(random() * PREFIXES.length)]!
    const body = randomBytes(random, Math.floor(random() * 120))
    return Uint8Array.from(
      random() < 0.5 ? [...prefix, ...body] : [...prefix, body.length, ...body],
    )
  }
  const frame = real[Math.floor(random() * real.length)]!
  if (roll < 0.45) return frame
  let mutated = frame
  for (let n = 1 + Math.floor(random() * 3); n > 0; n -= 1) mutated = mutate(mutated, random, real)
  return mutated
}

export type FuzzResult = {
  /** Frames the server read and survived: it answered the ping after each, or closed on it. */
  handled: number
  /** Of those, the ones it closed the connection on as invalid data. */
  refused: number
  connections: number
  /** Closes with any other code (a flood, a crash of the connection's handling): must be none. */
  /** Connections sent away (1001) while the document was loaded again after a forged update. */
  sentAway: number
  unexpected: Map<number, number>
  seconds: number
}

/**
 * Sends frames 0..count-1 of the seed over `concurrency` connections at a time, each opened as the
 * signed-in editor of `url`. Each frame is followed by a websocket ping: the server reads frames in
 * order and handles each at once, so the pong says it read the frame and kept the connection; a
 * close as invalid data says it refused the first frame not yet answered. Frames after a refused one
 * were never read, and are sent again on the next connection, so that every frame is read once.
 */
export async function fuzzOverWebSocket(params: {
  url: string
  headers: Record<string, string>
  seed: number
  count: number
  real: Uint8Array[]
  concurrency?: number
  /** Frames per connection: below the server's burst allowance of messages. */
  perConnection?: number
  onProgress?: (handled: number) => void
}): Promise<FuzzResult> {
  const started = performance.now()
  const result: FuzzResult = {
    handled: 0,
    refused: 0,
    connections: 0,
    sentAway: 0,
    unexpected: new Map(),
    seconds: 0,
  }
  const perConnection = params.perConnection ?? 200
  let next = 0
  const again: number[] = []
  const take = (): number[] => {
    const batch = again.splice(0, perConnection)
    while (batch.length < perConnection && next < params.count) batch.push(next++)
    return batch
  }

  const runBatch = (batch: number[]) =>
    new Promise<void>((resolve, reject) => {
      result.connections += 1
      const socket = new WebSocket(params.url, {
        headers: params.headers,
        perMessageDeflate: false,
      })
      let answered = 0
      let greeted = false

      socket.on('error', () => {})
      socket.on('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      )
      socket.on('message', () => {
        // The server's first message (its sync step 1) says it is reading this connection's messages.
        if (greeted) return
        greeted = true
        for (const index of batch) {
          socket.send(fuzzFrame(params.seed, index, params.real))
          socket.ping(Buffer.from(String(index)))
        }
      })
      socket.on('pong', () => {
        answered += 1
        result.handled += 1
        if (answered === batch.length) socket.close()
      })
      socket.on('close', (code, reason) => {
        const unread = batch.slice(answered)
        if (unread.length > 0) {
          if (code === CLOSE_INVALID_DATA) {
            result.handled += 1
            result.refused += 1
            unread.shift()
          } else if (code === CLOSE_GOING_AWAY && reason.toString() === 'reloading') {
            // Another connection's forged update had the document loaded again: every editor of
            // it is sent away, this one too, and its unread frames go on a new connection.
            result.sentAway += 1
          } else {
            result.unexpected.set(code, (result.unexpected.get(code) ?? 0) + 1)
          }
          again.push(...unread)
        }
        params.onProgress?.(result.handled)
        resolve()
      })
    })

  let inFlight = 0
  const worker = async () => {
    // Unexpected closes requeue their frames; stop rather than loop on a server that is gone.
    while ([...result.unexpected.values()].reduce((a, b) => a + b, 0) <= 10) {
      const batch = take()
      if (batch.length === 0) {
        // Another connection may yet hand back the frames it could not send.
        if (inFlight === 0) return
        await new Promise((resolve) => setTimeout(resolve, 5))
        continue
      }
      inFlight += 1
      try {
        await runBatch(batch)
      } finally {
        inFlight -= 1
      }
    }
  }
  await Promise.all(Array.from({ length: params.concurrency ?? 8 }, worker))
  result.seconds = (performance.now() - started) / 1000
  return result
}

/** What a document holds, as a page reads it, and which edits it has (state vector and deletions). */
export function documentContents(doc: Y.Doc) {
  return {
    answers: doc.getMap(ANSWERS_MAP).toJSON(),
    notes: doc.getMap('notes').toJSON(),
    snapshot: Y.snapshot(doc),
  }
}

/** Whether two copies of a document hold the same: the same edits, whatever their order. */
export function sameContents(a: ReturnType<typeof documentContents>, b: typeof a): boolean {
  return (
    JSON.stringify(a.answers) === JSON.stringify(b.answers) &&
    JSON.stringify(a.notes) === JSON.stringify(b.notes) &&
    Y.equalSnapshots(a.snapshot, b.snapshot)
  )
}

function peer(user: User, send: (message: Uint8Array) => void): FramePeer {
  return {
    user,
    access: 'edit',
    awarenessClients: new Set(),
    send,
    onSaved: () => {},
    close: () => {},
  }
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/**
 * Frames 0..count-1 of the seed through the sync server's message handler (`handleMessage`, what
 * each socket feeds), on an audit's document as a server holds it (its log writer, its follower for
 * the compaction horizon), with an honest co-auditor's copy kept in step by what the document
 * passes on. A refused frame ends the fuzzer's connection, as the server closes the socket; a
 * forged clock has the document loaded again from its log, as the server does. Returns what the
 * server held at the end, the honest copy, and the document as loaded again from the log.
 */
export async function fuzzAtHandler(params: {
  db: Db
  logger: Logger
  councilId: string
  auditId: string
  fuzzer: User
  honest: User
  seed: number
  count: number
  onProgress?: (done: number) => void
}) {
  const { db, logger, councilId, auditId } = params
  const audit = await getAudit(db, { user: params.honest, auditId })
  const template = audit
    ? await getTemplateDefinitionById(db, { councilId, id: audit.templateVersionId })
    : undefined
  if (!template) throw new Error('no audit or template')
  const origin = randomInt(1, 2 ** 47)
  const follower = createLogFollower({
    db,
    logger,
    origin,
    apply: async () => {},
    onPresence: () => {},
  })
  await follower.ready
  const writer = createUpdateWriter(db.$client, { origin, ringDoorbell: () => false })
  const name = documentName(auditId)
  const open = async () => {
    const document = new LiveDocument(name, councilId, 'audit', auditId, db, writer, logger, {
      horizon: follower.horizon,
      onRefused: () => logger.error({ document: name }, 'writes refused'),
    })
    await document.load(() => buildSkeleton(template, LEAD_PART))
    return document
  }
  let live = await open()

  // The honest co-auditor: what the document passes on reaches its copy, and its edits go in.
  const honestDoc = new Y.Doc()
  Y.applyUpdate(honestDoc, Y.encodeStateAsUpdate(live.doc))
  // What the honest page cannot apply (y-protocols would only log it) is counted: it must be none.
  let honestFailures = 0
  const honest = peer(params.honest, (message) => {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
    if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep1) return
    try {
      Y.applyUpdate(honestDoc, decoding.readVarUint8Array(decoder), 'server')
    } catch {
      honestFailures += 1
    }
  })
  live.peers.add(honest)
  honestDoc.on('update', (update: Uint8Array, from: unknown) => {
    if (from !== 'server')
      handleMessage(
        honest,
        live,
        syncMessage((e) => syncProtocol.writeUpdate(e, update)),
      )
  })
  const honestText = honestDoc
    .getMap(ANSWERS_MAP)
    .get(answerKey('seeing-the-child', 'judgement-reason'))
  if (!(honestText instanceof Y.Text)) throw new Error('no text: the skeleton is missing')
  honestText.insert(0, 'Written before the fuzzing. ')

  const real = realFrames(Y.encodeStateAsUpdate(live.doc), params.fuzzer.id, params.seed)
  let fuzzer = peer(params.fuzzer, () => {})
  live.peers.add(fuzzer)
  let refused = 0
  let reloads = 0
  const started = performance.now()
  for (let index = 0; index < params.count; index += 1) {
    try {
      handleMessage(fuzzer, live, fuzzFrame(params.seed, index, real))
    } catch {
      refused += 1
      releasePeer(fuzzer, live)
      if (live.poisoned) {
        // Store what was accepted, load the document again from the log; the honest page, sent
        // away, comes back and syncs both ways.
        reloads += 1
        await live.drain()
        live.destroy()
        live = await open()
        live.peers.add(honest)
        Y.applyUpdate(
          honestDoc,
          Y.encodeStateAsUpdate(live.doc, Y.encodeStateVector(honestDoc)),
          'server',
        )
        handleMessage(
          honest,
          live,
          syncMessage((e) =>
            syncProtocol.writeSyncStep2(e, honestDoc, Y.encodeStateVector(live.doc)),
          ),
        )
      }
      fuzzer = peer(params.fuzzer, () => {})
      live.peers.add(fuzzer)
    }
    // Let the log writer run, as it would between socket reads.
    if (index % 100 === 0) {
      await new Promise((resolve) => setImmediate(resolve))
      if (index % 10_000 === 0) params.onProgress?.(index)
    }
  }
  const seconds = (performance.now() - started) / 1000

  honestDoc.getMap('notes').set('after', 'Written after the fuzzing.')
  await live.drain()
  const held = documentContents(live.doc)
  const honestCopy = documentContents(honestDoc)
  const [log] = await db.execute<{ rows: number }>(
    sql`select count(*)::int as rows from document_updates where document_name = ${name}`,
  )
  const reloadedDoc = await open()
  const reloaded = documentContents(reloadedDoc.doc)
  live.destroy()
  reloadedDoc.destroy()
  honestDoc.destroy()
  await follower.close()
  return {
    refused,
    reloads,
    seconds,
    held,
    honestCopy,
    honestFailures,
    reloaded,
    logRows: log?.rows ?? 0,
  }
}
