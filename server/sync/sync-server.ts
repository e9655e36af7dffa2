import { randomInt } from 'node:crypto'
import type http from 'node:http'
import type { Duplex } from 'node:stream'
import { createCookie } from '@remix-run/node'
import { and, eq } from 'drizzle-orm'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { Db } from '../../db/client'
import { getTemplateDefinitionById } from '../../db/queries/templates'
import { touchSession, touchSessions } from '../../db/queries/sessions'
import { audits } from '../../db/schema/index'
import { buildSkeleton, DocumentNameSchema, type DocumentName } from '../../shared/live-document'
import { buildModerationSkeleton, isOwnCommentsOnly } from '../../shared/moderation-document'
import { SESSION_COOKIE } from '../../shared/session'
import {
  CLOSE_FORBIDDEN,
  CLOSE_GOING_AWAY,
  CLOSE_INVALID_DATA,
  CLOSE_NOT_FOUND,
  CLOSE_POLICY,
  CLOSE_SUBMITTED,
  CLOSE_UNAUTHENTICATED,
  encodeSaved,
  encodeStarted,
  encodeStorage,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from '../../shared/sync-protocol'
import type { LiveKind } from '../../app/load-context'
import type { Logger } from '../logger'
import { recordAccess } from '../../db/queries/access'
import { authorizeDocument, type Access, type User } from './access'
import { encodeUpdateMessage, LiveDocument, type Peer } from './live-document'
import { createLogFollower, type LoggedUpdate, type PresenceKind } from './log-follower'
import { createUpdateWriter } from './update-writer'

const SYNC_PATH = '/sync/'
const MAX_MESSAGE_BYTES = 1024 * 1024
// A token bucket per connection: typing is a few messages a second; a flood is not a person.
const RATE_PER_SECOND = 100
const RATE_BURST = 300
const RECHECK_SESSIONS_MS = 15_000
/** Announcements of access changes arriving together are handled together. */
const RECHECK_DEBOUNCE_MS = 10
const ACCESS_CHANNEL = 'access_changed'
const IDLE_UNLOAD_MS = 30_000
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

export type SyncServerOptions = {
  db: Db
  logger: Logger
  idleTimeoutSeconds: number
  /**
   * How often the sessions behind open connections are checked (and kept alive) in one statement;
   * while the database's access announcements cannot be heard, access is checked again as often.
   */
  recheckAccessMs?: number
  idleUnloadMs?: number
}

/** What handling a peer's messages needs to know of it. */
export type FramePeer = Peer & {
  user: User
  access: Access
  /** The awareness client ids this connection announced, removed when it closes. */
  awarenessClients: Set<number>
}

type Connection = FramePeer & {
  socket: WebSocket
  name: DocumentName
  token: string
  tokens: number
  lastRefill: number
}

const sessionCookie = createCookie(SESSION_COOKIE)

function expectedOrigin(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwardedProto = trustProxy ? req.headers['x-forwarded-proto'] : undefined
  const proto =
    typeof forwardedProto === 'string' ? forwardedProto.split(',')[0]?.trim() : undefined
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true
  return `${proto ?? (encrypted ? 'https' : 'http')}://${req.headers.host ?? ''}`
}

/**
 * The Yjs sync server on the app's port, at /sync/<document name>. It speaks y-websocket's protocol
 * (sync and awareness) and adds MESSAGE_SAVED: an update is fanned out to the other editors as soon
 * as it is applied, and acknowledged to its sender once it is stored in PostgreSQL.
 */
export function createSyncServer(options: SyncServerOptions & { trustProxy?: boolean }) {
  const { db, logger } = options
  const recheckMs = options.recheckAccessMs ?? RECHECK_SESSIONS_MS
  const idleUnloadMs = options.idleUnloadMs ?? IDLE_UNLOAD_MS
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const documents = new Map<string, Promise<LiveDocument>>()
  const unloadTimers = new Map<string, NodeJS.Timeout>()
  /** `<kind>.<audit id>` of the audits whose documents of that kind nobody may write. */
  const frozen = new Set<string>()
  // This process, on every row it writes: the other servers follow the log for rows not their own.
  const origin = randomInt(1, 2 ** 47)
  const follower = createLogFollower({
    db,
    logger,
    origin,
    apply: applyLogged,
    onPresence: applyPresence,
  })
  const writer = createUpdateWriter(db.$client, { origin, ringDoorbell: () => follower.hasPeers() })
  const connections = new Set<Connection>()
  const reloading = new WeakSet<LiveDocument>()
  let closing = false

  function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
    socket.on('error', () => {})
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }

  async function sessionFrom(
    req: http.IncomingMessage,
  ): Promise<{ token: string; user: User } | undefined> {
    const token: unknown = await sessionCookie.parse(req.headers.cookie ?? null)
    if (typeof token !== 'string' || token === '') return undefined
    const user = await touchSession(db, { token, idleSeconds: options.idleTimeoutSeconds })
    return user ? { token, user } : undefined
  }

  function openDocument(name: string, parsed: DocumentName, user: User): Promise<LiveDocument> {
    const timer = unloadTimers.get(name)
    if (timer) {
      clearTimeout(timer)
      unloadTimers.delete(name)
    }
    let loading = documents.get(name)
    if (!loading) {
      loading = (async () => {
        const [audit] = await db
          .select({ templateVersionId: audits.templateVersionId, status: audits.status })
          .from(audits)
          .where(and(eq(audits.id, parsed.auditId), eq(audits.councilId, user.councilId)))
        const template = audit
          ? await getTemplateDefinitionById(db, {
              councilId: user.councilId,
              id: audit.templateVersionId,
            })
          : undefined
        if (!audit || !template) throw new Error(`no template for ${name}`)
        await follower.ready
        // The first stored edit starts a scheduled audit; one already under way needs no write.
        const live: LiveDocument = new LiveDocument(
          name,
          user.councilId,
          parsed.kind,
          parsed.auditId,
          db,
          writer,
          logger,
          { horizon: follower.horizon, onRefused: () => closeRefused(name, live) },
          parsed.kind === 'audit' && audit.status === 'scheduled' ? parsed.auditId : undefined,
        )
        fanOutAwareness(live)
        await live.load(() =>
          parsed.kind === 'moderation'
            ? buildModerationSkeleton(template, parsed.part)
            : buildSkeleton(template, parsed.part),
        )
        live.frozen = frozen.has(`${parsed.kind}.${parsed.auditId}`)
        // Editors on other servers are shown here from the answers to this question onwards.
        follower.presence('q', name)
        return live
      })()
      documents.set(name, loading)
      loading.catch(() => documents.delete(name))
    }
    return loading
  }

  /** Other servers' rows from the log, applied in order to the documents this server has open. */
  async function applyLogged(rows: LoggedUpdate[]): Promise<void> {
    for (const row of rows) {
      const loading = documents.get(row.documentName)
      if (!loading) continue
      const live = await loading.catch(() => undefined)
      live?.applyStored(row.update)
    }
  }

  /**
   * Presence from other servers: shown to this server's editors, never passed back. Its client ids
   * are marked as another server's, so that the echo a page sends of everyone's presence is
   * ignored here rather than taken for a claim to be someone else.
   */
  function applyPresence(kind: PresenceKind, name: string, update: Uint8Array | undefined): void {
    void documents
      .get(name)
      ?.then((live) => {
        if (kind === 'q') {
          const here = [...live.awarenessOwners].filter(([, owner]) => owner !== ELSEWHERE)
          if (here.length === 0) return
          const clients = here.map(([client]) => client)
          follower.presence(
            'a',
            name,
            awarenessProtocol.encodeAwarenessUpdate(live.awareness, clients),
          )
          return
        }
        if (!update) return
        const entries = readAwarenessEntries(update).filter((entry) => {
          const owner = live.awarenessOwners.get(entry.clientId)
          if (owner && owner !== ELSEWHERE) return false
          if (entry.state === 'null') live.awarenessOwners.delete(entry.clientId)
          else live.awarenessOwners.set(entry.clientId, ELSEWHERE)
          return true
        })
        if (entries.length === 0) return
        awarenessProtocol.applyAwarenessUpdate(
          live.awareness,
          encodeAwarenessEntries(entries),
          REMOTE_PRESENCE,
        )
      })
      .catch((error: unknown) => logger.warn({ err: error, document: name }, 'bad presence'))
  }

  /**
   * The database refused a document's writes: its audit was submitted or decided, on this server
   * or another. Its editors are told, as after a submission here, and it leaves memory, so that the
   * next to open it gets it as the database has it, with the access its status now allows.
   */
  function closeRefused(name: string, live: LiveDocument): void {
    for (const peer of live.peers) peer.close(CLOSE_SUBMITTED, 'closed')
    unload(name, live)
  }

  /** Forgets a document, unless what is in memory under its name is already a newer load. */
  function unload(name: string, live: LiveDocument): void {
    void documents
      .get(name)
      ?.then((current) => {
        if (current === live) documents.delete(name)
      })
      .catch(() => {})
    live.destroy()
  }

  /**
   * A document whose copy in memory can no longer be trusted (LiveDocument.poisoned): what it
   * accepted before is stored, then its editors are sent away, to come back to it loaded afresh
   * from the log (their pages reconnect by themselves and send what the server lacks).
   */
  function reload(name: string, live: LiveDocument): void {
    if (reloading.has(live)) return
    reloading.add(live)
    logger.warn({ document: name }, 'a forged update: loading the document again')
    void live
      .drain()
      .catch(() => {})
      .then(() => {
        for (const peer of live.peers) peer.close(CLOSE_GOING_AWAY, 'reloading')
        unload(name, live)
      })
  }

  /** Unloads a document nobody has open once its writes are stored and it has been idle a while. */
  function scheduleUnload(name: string, live: LiveDocument): void {
    if (live.peers.size > 0 || closing) return
    const timer = setTimeout(() => {
      unloadTimers.delete(name)
      if (live.peers.size > 0) return
      void live.drain().then(() => {
        if (live.peers.size === 0) unload(name, live)
      })
    }, idleUnloadMs)
    unloadTimers.set(name, timer)
  }

  function send(connection: Connection, message: Uint8Array): void {
    const { socket } = connection
    if (socket.readyState !== WebSocket.OPEN) return
    // A peer that does not read has its buffer bounded, then is dropped: others are not held back.
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(CLOSE_POLICY, 'too slow')
      return
    }
    socket.send(message, (error) => {
      if (error) socket.terminate()
    })
  }

  function allowMessage(connection: Connection): boolean {
    const now = Date.now()
    connection.tokens = Math.min(
      RATE_BURST,
      connection.tokens + ((now - connection.lastRefill) / 1000) * RATE_PER_SECOND,
    )
    connection.lastRefill = now
    if (connection.tokens < 1) return false
    connection.tokens -= 1
    return true
  }

  async function accept(
    socket: WebSocket,
    session: { token: string; user: User },
    name: string,
    parsed: DocumentName,
    access: Access,
    early: { messages: Uint8Array[]; stop: () => void },
  ) {
    const { user } = session
    const connection: Connection = {
      socket,
      name: parsed,
      token: session.token,
      user,
      access,
      awarenessClients: new Set(),
      tokens: RATE_BURST,
      lastRefill: Date.now(),
      send: (message) => send(connection, message),
      onSaved: (stored) => send(connection, encodeSaved(stored)),
      close: (code, reason) => socket.close(code, reason),
    }
    let live: LiveDocument
    try {
      live = await openDocument(name, parsed, user)
    } catch (error) {
      logger.error({ err: error, document: name }, 'could not load document')
      socket.close(CLOSE_GOING_AWAY, 'unavailable')
      return
    }
    early.stop()
    if (socket.readyState !== WebSocket.OPEN) {
      scheduleUnload(name, live)
      return
    }
    live.peers.add(connection)
    connections.add(connection)

    const onMessage = (data: Uint8Array) => {
      // Once this connection is being closed (a bad message, a flood), nothing more it sent is
      // read: ws goes on delivering what was already on the wire until the closing handshake ends.
      if (socket.readyState !== WebSocket.OPEN) return
      if (!allowMessage(connection)) {
        socket.close(CLOSE_POLICY, 'too many messages')
        return
      }
      try {
        handleMessage(connection, live, data)
      } catch (error) {
        // Whatever a peer sends, the server stays up and the document intact: only this connection goes.
        logger.warn(
          { err: error instanceof Error ? error.message : String(error), document: name },
          'bad message',
        )
        socket.close(CLOSE_INVALID_DATA, 'invalid message')
        if (live.poisoned) reload(name, live)
      }
    }
    socket.on('message', (data) => onMessage(toBytes(data)))

    socket.on('close', () => {
      connections.delete(connection)
      releasePeer(connection, live)
      scheduleUnload(name, live)
    })

    // Greet: what we have (step 1), who is here, how far the document is stored, and whether the
    // audit is under way.
    const step1 = encoding.createEncoder()
    encoding.writeVarUint(step1, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(step1, live.doc)
    send(connection, encoding.toUint8Array(step1))
    const present = [...live.awareness.getStates().keys()]
    if (present.length > 0) send(connection, encodeAwareness(live, present))
    send(connection, encodeSaved(live.stored))
    if (live.started) send(connection, encodeStarted())
    if (live.paused) send(connection, encodeStorage(true))
    for (const data of early.messages) onMessage(data)
  }

  // Losing access while connected. The database announces each change that can alter it (migration
  // 0005): only the connections it names are checked again. Sessions that simply expire are found
  // by one statement per interval covering every open connection.
  const due = new Map<Connection, { session: boolean }>()
  let dueTimer: NodeJS.Timeout | undefined
  let listening = false

  function recheckSoon(connection: Connection, session: boolean): void {
    const known = due.get(connection)
    due.set(connection, { session: session || (known?.session ?? false) })
    dueTimer ??= setTimeout(() => {
      dueTimer = undefined
      const batch = [...due]
      due.clear()
      for (const [connection, { session }] of batch) void recheck(connection, session)
    }, RECHECK_DEBOUNCE_MS)
  }

  async function recheck(connection: Connection, session: boolean): Promise<void> {
    const { socket } = connection
    if (socket.readyState !== WebSocket.OPEN) return
    try {
      if (session) {
        const current = await touchSession(db, {
          token: connection.token,
          idleSeconds: options.idleTimeoutSeconds,
        })
        if (!current) return socket.close(CLOSE_UNAUTHENTICATED, 'signed out')
        connection.user = current
      }
      const now = await authorizeDocument(db, connection.user, connection.name)
      if (!now) return socket.close(CLOSE_FORBIDDEN, 'no longer allowed')
      // Writing no longer allowed (the audit was submitted or decided, maybe on another server):
      // the page is told, as after a submission, rather than left to type into a document that
      // drops what it sends.
      if (now === 'read' && connection.access !== 'read') {
        return socket.close(CLOSE_SUBMITTED, 'closed')
      }
      connection.access = now
    } catch (error) {
      logger.warn({ err: error }, 'access recheck failed')
      if (!closing) setTimeout(() => recheckSoon(connection, session), recheckMs)
    }
  }

  function onAccessChanged(payload: string): void {
    const [kind, id] = payload.split(':')
    for (const connection of connections) {
      if (kind === 'audit' && connection.name.auditId === id) recheckSoon(connection, false)
      else if (kind === 'user' && connection.user.id === id) recheckSoon(connection, true)
    }
  }

  const listener = db.$client
    .listen(ACCESS_CHANNEL, onAccessChanged, () => {
      // On every (re)connection of the listener: announcements made while it was away are lost,
      // so everyone is checked again.
      if (listening) for (const connection of connections) recheckSoon(connection, true)
      listening = true
    })
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'cannot listen for access changes; checking on every interval')
      return undefined
    })

  async function sweepSessions(): Promise<void> {
    const open = [...connections].filter((c) => c.socket.readyState === WebSocket.OPEN)
    if (open.length === 0) return
    const live = await touchSessions(db, {
      tokens: [...new Set(open.map((c) => c.token))],
      idleSeconds: options.idleTimeoutSeconds,
    })
    for (const connection of open) {
      if (!live.has(connection.token)) connection.socket.close(CLOSE_UNAUTHENTICATED, 'signed out')
      else if (!listening) recheckSoon(connection, false)
    }
  }

  const sweeper = setInterval(() => {
    sweepSessions().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'))
  }, recheckMs)
  sweeper.unref()

  function fanOutAwareness(live: LiveDocument) {
    live.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed]
      const update = awarenessProtocol.encodeAwarenessUpdate(live.awareness, changed)
      const message = encodeAwarenessMessage(update)
      for (const peer of live.peers) if (peer !== origin) peer.send(message)
      // What came from another server goes no further; what this server timed out is its own
      // view only (the editor's own server still hears from them).
      if (origin !== REMOTE_PRESENCE && origin !== 'timeout') {
        follower.presence('a', live.name, update)
      }
      for (const client of removed) {
        if (live.awarenessOwners.get(client) === ELSEWHERE) live.awarenessOwners.delete(client)
      }
    })
  }

  return {
    /** For server.on('upgrade'): refuses other paths and origins outright, then authenticates. */
    handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => {})
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (closing || !url.pathname.startsWith(SYNC_PATH))
        return refuseUpgrade(socket, 404, 'Not Found')
      if (req.headers.origin !== expectedOrigin(req, options.trustProxy ?? false)) {
        return refuseUpgrade(socket, 403, 'Forbidden')
      }
      const name = decodeURIComponent(url.pathname.slice(SYNC_PATH.length))
      const parsed = DocumentNameSchema.safeParse(name)
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {})
        // The client speaks first (sync step 1) while we authenticate and load: keep what it says, in order.
        const messages: Uint8Array[] = []
        const onEarly = (data: RawData) => messages.push(toBytes(data))
        ws.on('message', onEarly)
        const early = { messages, stop: () => ws.off('message', onEarly) }
        void (async () => {
          if (!parsed.success) return ws.close(CLOSE_NOT_FOUND, 'no such document')
          const session = await sessionFrom(req)
          if (!session) return ws.close(CLOSE_UNAUTHENTICATED, 'sign in first')
          const access = await authorizeDocument(db, session.user, parsed.data)
          if (!access) return ws.close(CLOSE_FORBIDDEN, 'not allowed')
          // In the access trail before the first byte of the audit is sent.
          await recordAccess(db, {
            councilId: session.user.councilId,
            userId: session.user.id,
            action: access === 'read' ? 'view' : 'edit',
            method: 'GET',
            path: `${SYNC_PATH}${name}`,
            auditId: parsed.data.auditId,
            address: req.socket.remoteAddress ?? null,
          })
          await accept(ws, session, name, parsed.data, access, early)
        })().catch((error: unknown) => {
          logger.error({ err: error }, 'websocket connection failed')
          ws.close(CLOSE_GOING_AWAY, 'server error')
        })
      })
    },

    documentsInMemory: () => documents.size,

    /**
     * Stops every write to an audit's documents of one kind at once and waits until all accepted
     * updates are stored, so that what the database holds is the whole of them (used by
     * submission and by the moderator's decision).
     */
    async freeze(kind: LiveKind, auditId: string): Promise<void> {
      const prefix = `${kind}.${auditId}`
      frozen.add(prefix)
      for (const [name, loading] of documents) {
        if (!belongsTo(name, prefix)) continue
        const live = await loading.catch(() => undefined)
        if (!live) continue
        live.frozen = true
        await live.drain()
      }
    },

    unfreeze(kind: LiveKind, auditId: string): void {
      const prefix = `${kind}.${auditId}`
      frozen.delete(prefix)
      for (const [name, loading] of documents) {
        if (belongsTo(name, prefix))
          void loading.then((live) => (live.frozen = false)).catch(() => {})
      }
    },

    /** After submission or decision: every connection is closed, telling pages to show the result. */
    closeForGood(kind: LiveKind, auditId: string): void {
      const prefix = `${kind}.${auditId}`
      for (const [name, loading] of documents) {
        if (!belongsTo(name, prefix)) continue
        void loading
          .then((live) => {
            for (const peer of live.peers) peer.close(CLOSE_SUBMITTED, 'closed')
          })
          .catch(() => {})
      }
    },

    /** Stops accepting, stores every accepted update, then closes the connections. */
    async close(): Promise<void> {
      closing = true
      clearInterval(sweeper)
      clearTimeout(dueTimer)
      await listener.then((meta) => meta?.unlisten()).catch(() => {})
      await follower.close()
      for (const timer of unloadTimers.values()) clearTimeout(timer)
      const loaded = await Promise.allSettled([...documents.values()])
      for (const result of loaded) {
        if (result.status !== 'fulfilled') continue
        await Promise.race([
          result.value.drain(),
          new Promise((resolve) => setTimeout(resolve, 5_000)),
        ])
      }
      for (const client of wss.clients) client.close(CLOSE_GOING_AWAY, 'server restarting')
      for (const result of loaded) if (result.status === 'fulfilled') result.value.destroy()
      documents.clear()
      wss.close()
    },
  }
}

/**
 * One message from a peer, as its socket delivered it. Throws on anything malformed or not allowed,
 * and the caller closes that peer's connection; the document stays as it was or takes only what
 * applied (see LiveDocument.receive). Exported for the fuzz test, which drives a hundred thousand
 * frames through it without paying a connection for every refused one.
 */
export function handleMessage(connection: FramePeer, live: LiveDocument, data: Uint8Array): void {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  if (type === MESSAGE_SYNC) {
    const syncType = decoding.readVarUint(decoder)
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeSyncStep2(encoder, live.doc, decoding.readVarUint8Array(decoder))
      connection.send(encoding.toUint8Array(encoder))
      return
    }
    if (
      syncType !== syncProtocol.messageYjsSyncStep2 &&
      syncType !== syncProtocol.messageYjsUpdate
    ) {
      throw new Error(`unknown sync message ${syncType}`)
    }
    const update = decoding.readVarUint8Array(decoder)
    // Read-only connections may not write, by either route (step 2 or update): dropped unread.
    if (connection.access === 'read' || live.frozen) return
    // In a discussion, an update that does more than add the sender's own comments closes the
    // connection (whoever sends it has altered the page). A malformed update throws as it is
    // applied, closing the connection too; `receive` keeps memory and log in step.
    if (connection.access === 'comment' && !isOwnCommentsOnly(update, connection.user.id)) {
      throw new Error('a discussion update may only add your own comments')
    }
    // An update message is passed on as it came; anything else (sync step 2) becomes one.
    const asUpdate =
      syncType === syncProtocol.messageYjsUpdate && decoder.pos === data.byteLength
        ? data
        : encodeUpdateMessage(update)
    live.receive(update, asUpdate, connection, syncType === syncProtocol.messageYjsSyncStep2)
    return
  }
  if (type === MESSAGE_AWARENESS) {
    const entries = readAwarenessEntries(decoding.readVarUint8Array(decoder))
    // y-websocket clients echo everyone's presence back; each state is taken only from the
    // connection that owns its client id. A new client id must be the connection's own user:
    // presence claiming to be someone else is refused, and the connection closed.
    const accepted = entries.filter((entry) => {
      const owner = live.awarenessOwners.get(entry.clientId)
      // A page whose server died comes back here with its client id, which the news from that
      // server still marks as another server's: newer presence (an echo is never newer) of the
      // connection's own user moves it here, rather than waiting for the old state to time out.
      const movedHere =
        owner === ELSEWHERE &&
        entry.userId === connection.user.id &&
        entry.clock > (live.awareness.meta.get(entry.clientId)?.clock ?? -1)
      if (owner && owner !== connection && !movedHere) return false
      if (entry.userId !== undefined && entry.userId !== connection.user.id) {
        throw new Error('awareness claims another user')
      }
      if (owner && !movedHere) return true
      if (entry.userId === undefined) return false
      live.awarenessOwners.set(entry.clientId, connection)
      connection.awarenessClients.add(entry.clientId)
      return true
    })
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(
        live.awareness,
        encodeAwarenessEntries(accepted),
        connection,
      )
    }
    return
  }
  if (type === MESSAGE_QUERY_AWARENESS) {
    connection.send(encodeAwareness(live, [...live.awareness.getStates().keys()]))
    return
  }
  throw new Error(`unknown message type ${type}`)
}

/** A peer's connection ended: it leaves the document, and its presence with it. */
export function releasePeer(connection: FramePeer, live: LiveDocument): void {
  live.peers.delete(connection)
  awarenessProtocol.removeAwarenessStates(live.awareness, [...connection.awarenessClients], null)
  // A page that reconnects keeps its client id: its presence must be taken from the new
  // connection, so this one owns nothing any more.
  for (const clientId of connection.awarenessClients) {
    if (live.awarenessOwners.get(clientId) === connection) live.awarenessOwners.delete(clientId)
  }
}

/** Whether a document is one of an audit's documents of a kind: `audit.<id>` and `audit.<id>.<part>`. */
function belongsTo(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`)
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

function encodeAwareness(live: LiveDocument, clients: number[]): Uint8Array {
  return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(live.awareness, clients))
}

function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The origin of presence applied from another server's news. */
const REMOTE_PRESENCE = Symbol('remote presence')
/** The owner of presence whose editor is connected to another server. */
const ELSEWHERE: Peer = { send: () => {}, onSaved: () => {}, close: () => {} }

type AwarenessEntry = { clientId: number; clock: number; state: string; userId: string | undefined }

/** The entries of an awareness update, each with the user its state claims (`state.user.id`). */
function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i += 1) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarString(decoder)
    const parsed: unknown = JSON.parse(state)
    const user =
      typeof parsed === 'object' && parsed !== null && 'user' in parsed ? parsed.user : undefined
    const userId =
      typeof user === 'object' && user !== null && 'id' in user && typeof user.id === 'string'
        ? user.id
        : undefined
    entries.push({ clientId, clock, state, userId })
  }
  return entries
}

function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
