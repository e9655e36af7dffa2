import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { reconnectDelay } from '../shared/backoff'
import { decodeSaved, MESSAGE_SAVED, MESSAGE_SYNC } from '../shared/sync-protocol'
import { seededRandom } from './seeded-random'

/**
 * A raw Yjs client that behaves as the audit page does on a lost connection: it reconnects by
 * itself after the page's backoff (shared/backoff.ts, full jitter), stops for good on a 4400–4499
 * close, and on reconnecting answers the server's sync step 1 with every local edit the server
 * lacks. Light enough to run a thousand in one process (the reconnect storm test, bench/kills.ts).
 */

/** Applied from the server: not sent back. */
export const REMOTE = Symbol('remote')

export type Client = {
  index: number
  name: string
  cookie: string
  doc: Y.Doc
  random: () => number
  socket: WebSocket | undefined
  synced: boolean
  /** The stored clock of this client's own id, from the server's last MESSAGE_SAVED. */
  stored: number
  /** Failed attempts since the client last synced: the backoff's `attempt`. */
  attempt: number
  timer: NodeJS.Timeout | undefined
  /** A 4400–4499 close: the page would stop here for good. */
  final: number | undefined
  stopped: boolean
  /** performance.now() of every connection attempt. */
  attempts: number[]
  syncedAt: number
  savedAt: number
  options: ClientOptions
}

export type ClientOptions = {
  /** The server's port, asked at each attempt (a restarted server may listen elsewhere). */
  port: () => number
  /** The wait before attempt n; the page's own unless a test changes it. */
  delay?: (attempt: number, random: () => number) => number
  onClose?: (code: number, reason: string) => void
  onError?: (message: string) => void
}

export function localClock(client: Client): number {
  return Y.getState(client.doc.store, client.doc.clientID)
}

/** One connection attempt, which schedules the next itself if this one fails. */
export function openClient(client: Client): void {
  client.timer = undefined
  if (client.stopped) return
  client.attempts.push(performance.now())
  const port = client.options.port()
  const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/${client.name}`, {
    headers: { origin: `http://127.0.0.1:${port}`, cookie: client.cookie },
  })
  socket.binaryType = 'nodebuffer'
  client.socket = socket
  client.synced = false
  // A refused connection, or a handshake answered with an HTTP status: a close follows.
  socket.on('error', (error) =>
    client.options.onError?.(error.message.replace(/127\.0\.0\.1:\d+/, 'server')),
  )
  socket.on('open', () => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, client.doc)
    socket.send(encoding.toUint8Array(encoder))
  })
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      // The server's step 1 is answered with step 2: every local edit the server lacks.
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, client.doc, REMOTE)
      if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder))
      if (syncType === syncProtocol.messageYjsSyncStep2 && !client.synced) {
        client.synced = true
        client.syncedAt = performance.now()
        client.attempt = 0
      }
    } else if (type === MESSAGE_SAVED) {
      // Later messages name only the clients whose stored clock moved on.
      const told = decodeSaved(decoder).get(client.doc.clientID)
      if (told !== undefined) client.stored = Math.max(client.stored, told)
      if (client.stored >= localClock(client) && localClock(client) > 0 && !client.savedAt)
        client.savedAt = performance.now()
    }
  })
  socket.on('close', (code: number, reason: Buffer) => {
    client.options.onClose?.(code, reason.toString())
    if (client.socket !== socket) return
    client.synced = false
    if (code >= 4400 && code < 4500) {
      client.final = code
      return
    }
    if (client.stopped) return
    const delay = client.options.delay ?? reconnectDelay
    client.timer = setTimeout(() => openClient(client), delay(client.attempt, client.random))
    client.attempt += 1
  })
}

export function makeClient(
  index: number,
  name: string,
  cookie: string,
  options: ClientOptions,
): Client {
  const doc = new Y.Doc()
  const client: Client = {
    index,
    name,
    cookie,
    doc,
    random: seededRandom(0x5eed + index),
    socket: undefined,
    synced: false,
    stored: 0,
    attempt: 0,
    timer: undefined,
    final: undefined,
    stopped: false,
    attempts: [],
    syncedAt: 0,
    savedAt: 0,
    options,
  }
  // Local edits go out at once while connected; while not, the next sync step 2 carries them.
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE || client.socket?.readyState !== WebSocket.OPEN) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    client.socket.send(encoding.toUint8Array(encoder))
  })
  return client
}

/** Stops a client for good: no more attempts, and its socket closed. */
export function stopClient(client: Client): void {
  client.stopped = true
  clearTimeout(client.timer)
  client.socket?.terminate()
}
