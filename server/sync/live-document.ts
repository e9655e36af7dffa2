import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Db } from '../../db/client'
import {
  compactDocument,
  createInitialSnapshot,
  readStoredDocument,
} from '../../db/queries/documents'
import { encodeStarted, encodeStorage, MESSAGE_SYNC } from '../../shared/sync-protocol'
import type { Logger } from '../logger'
import type { LiveKind } from '../../app/load-context'
import type { UpdateWriter } from './update-writer'

/** An update applied and passed on, waiting to be stored; `advanced`: the clocks it moved on. */
type Pending = { update: Uint8Array; from: Peer; others: boolean; advanced: Advanced }
type Advanced = (readonly [client: number, clock: number])[]

/** A connection's view of a document, enough for fan-out and acknowledgement. */
export type Peer = {
  send: (message: Uint8Array) => void
  /**
   * Called once this peer's updates up to now are durable, with the clocks newly stored (client id
   * to clock): those its updates, and any stored with them, moved on.
   */
  onSaved: (stored: Map<number, number>) => void
  close: (code: number, reason: string) => void
}

/**
 * The log is folded into the snapshot once it holds at least this many rows and at least as many
 * bytes as the snapshot. A compaction costs the size of the whole document (encoded, merged and
 * written), so compacting every 500 rows made the work grow with the square of a document's history
 * (and without garbage collection, see `doc`, history is what a document grows by); compacting
 * when the log has grown by the snapshot's size keeps the total linear, and loading still reads at
 * most about twice the document.
 */
const COMPACT_AFTER_UPDATES = 500
const RETRY_BASE_MS = 200
const RETRY_MAX_MS = 5_000

/**
 * One document in memory: the Y.Doc every connection edits, its awareness, and the queue of updates
 * waiting to be appended to the log. Peers get each update as soon as it is applied; its sender is
 * told it is saved only after the INSERT that holds it has committed.
 */
export class LiveDocument {
  /**
   * Without garbage collection: deleted items stay items here, as they are when the document is
   * loaded again from its log. With it, what memory held (an item) and what a reload rebuilt (a
   * collected struct) could differ, and a forged update that memory had taken in made Yjs throw on
   * reload (fuzz seed 20261130: 22 rows in 350,000 frames; none without). The cost is the deleted
   * text of an audit, kept in memory and in its snapshot.
   */
  readonly doc = new Y.Doc({ gc: false })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly peers = new Set<Peer>()
  /** Which connection announced each awareness client id: presence is taken only from its owner. */
  readonly awarenessOwners = new Map<number, Peer>()
  /** The state vector of everything durably stored. */
  readonly stored = new Map<number, number>()
  /** `others`: it may hold other editors' edits (a sync step 2), who are told when it is stored. */
  private pending: Pending[] = []
  private lastTransaction: Y.Transaction | null = null
  private flushing: Promise<void> | null = null
  private compacting: Promise<void> | null = null
  private updatesSinceSnapshot = 0
  private bytesSinceSnapshot = 0
  private snapshotBytes = 0
  /** The horizon of the last compaction: until it moves, another would fold in nothing new. */
  private compactedBelow: string | undefined
  /** While an audit is being submitted (or after), nobody may write to it. */
  frozen = false
  /** The last write failed (the database is away): editors are told saving is paused. */
  paused = false
  private retryMs = RETRY_BASE_MS
  private closed = false
  /**
   * An update did what no page's can (see `isForged`), and Yjs took it in: it cannot be taken
   * back. It was neither passed on nor stored, and the server must load the document again from
   * its log (see the sync server).
   */
  poisoned = false

  constructor(
    readonly name: string,
    readonly councilId: string,
    readonly kind: LiveKind,
    readonly auditId: string,
    private readonly db: Db,
    private readonly writer: UpdateWriter,
    private readonly logger: Logger,
    private readonly hooks: {
      /** Every row of a transaction below this horizon in the log is in memory. */
      horizon: () => string | undefined
      /** The database refused a write: the audit was submitted or decided, maybe on another server. */
      onRefused: () => void
    },
    /** Set while the audit is scheduled: its first stored edit starts it. */
    private startsAuditId?: string,
  ) {
    // The awareness's own local state is the server's, which has none.
    this.awareness.setLocalState(null)
    // NOTE: no 'update' listener: Yjs would encode every applied update again for it. What a peer
    // sent is passed on and stored as it came; its transaction only tells whether it changed anything.
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.lastTransaction = transaction
    })
  }

  /** Loads snapshot and log; a document never seen before starts from its skeleton, made once. */
  async load(skeleton: () => Y.Doc): Promise<void> {
    let stored = await readStoredDocument(this.db, this.name)
    if (stored.snapshot === null && stored.updates.length === 0) {
      await createInitialSnapshot(this.db, {
        councilId: this.councilId,
        documentName: this.name,
        state: Y.encodeStateAsUpdate(skeleton()),
      })
      stored = await readStoredDocument(this.db, this.name)
    }
    let unreadable = 0
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot)
      for (const update of stored.updates) {
        // One row Yjs cannot read (written before a forgery was recognised) must not make the
        // whole document unavailable: the rest is loaded, and the row reported.
        try {
          Y.applyUpdate(this.doc, update)
        } catch {
          unreadable += 1
        }
      }
    })
    if (unreadable > 0) {
      this.logger.error(
        { document: this.name, rows: unreadable },
        'stored updates that did not apply',
      )
    }
    // A log written before waiting content was refused may hold some: see `apply`.
    if (dropWaiting(this.doc)) {
      this.logger.warn(
        { document: this.name },
        'stored content waiting for what it builds on was dropped',
      )
    }
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc)))
      this.stored.set(client, clock)
    this.updatesSinceSnapshot = stored.updates.length
    this.bytesSinceSnapshot = stored.updates.reduce((sum, update) => sum + update.byteLength, 0)
    this.snapshotBytes = stored.snapshot?.byteLength ?? 0
  }

  /**
   * Applies a peer's update (already allowed), passes `message` (the same update as a sync message)
   * on to the other peers, and queues it for the log. An update that changes nothing (an echo, or
   * an empty reply to a sync step) goes nowhere. `others`: it may hold other editors' edits (a
   * page's sync step 2); a page's update message holds only its own.
   */
  receive(update: Uint8Array, message: Uint8Array, from: Peer, others = false): void {
    // Until it is loaded again, what anyone sends is dropped unacknowledged; their pages send it
    // again on reconnecting.
    if (this.poisoned) return
    const { kept, advanced, error } = this.apply(update, from)
    if (this.poisoned) throw new Error('a forged update')
    if (kept) {
      const forwarded = kept === update ? message : encodeUpdateMessage(kept)
      for (const peer of this.peers) if (peer !== from) peer.send(forwarded)
      this.pending.push({ update: kept, from, others, advanced })
      this.scheduleFlush()
    }
    // The caller closes the connection of a peer whose update broke.
    if (error !== undefined) throw error
  }

  /** Another server's update, read from the log: already stored, so only passed on. */
  applyStored(update: Uint8Array): void {
    const { kept, error } = this.apply(update, STORED_ORIGIN)
    if (kept) {
      const message = encodeUpdateMessage(kept)
      for (const peer of this.peers) peer.send(message)
      // Stored already, by the server that wrote the row: its editors' edits up to there (each
      // server writes a document's rows in order) are durable, and whoever made them here is told.
      const saved = this.markStored(Y.parseUpdateMeta(update).to)
      if (saved.size > 0) for (const peer of this.peers) peer.onSaved(saved)
      // A row in the log: the server that wrote it started the audit first.
      if (this.startsAuditId) this.announceStarted()
    }
    if (error !== undefined) {
      this.logger.warn({ err: error, document: this.name }, 'a logged update did not apply')
    }
  }

  /**
   * Applies an update: `kept` is what to pass on (and, from a peer, to store), null when it changed
   * nothing; `advanced`, the clients whose clock it moved on, and to where. An update that threw
   * part-way may not load again as it came: what it changed is kept instead, encoded afresh (rare:
   * only a peer sending nonsense), so that memory and log agree.
   *
   * Content that builds on what this document lacks is not kept waiting, as Yjs would: while a
   * document holds such content, Yjs's encoding of it (a new editor's sync, the snapshot a
   * compaction writes) can drop content it has applied (the fuzz test found it). Only what was
   * applied is kept and passed on. Nothing acknowledged is lost: an honest page sends such content
   * only in the moment after reconnecting, before its reply to the server's sync step 1, and that
   * reply carries everything the server lacks, this content and what it builds on.
   */
  private apply(
    update: Uint8Array,
    origin: unknown,
  ): { kept: Uint8Array | null; advanced: Advanced; error?: unknown } {
    this.lastTransaction = null
    let error: unknown
    try {
      Y.applyUpdate(this.doc, update, origin)
    } catch (thrown) {
      error = thrown ?? new Error('update did not apply')
    }
    const transaction = this.lastTransaction as Y.Transaction | null
    this.lastTransaction = null
    const leftWaiting = dropWaiting(this.doc)
    if (transaction !== null && isForged(this.doc, transaction)) this.poisoned = true
    const advanced = transaction === null ? [] : advancedBy(transaction)
    const changed =
      transaction !== null && (transaction.deleteSet.clients.size > 0 || advanced.length > 0)
    if (!changed) return { kept: null, advanced, error }
    if (error === undefined && !leftWaiting) return { kept: update, advanced }
    // What this update added, and the document's deletions (among them any it made).
    return {
      kept: Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(transaction.beforeState)),
      advanced,
      error,
    }
  }

  get hasPendingWrites(): boolean {
    return this.pending.length > 0 || this.flushing !== null
  }

  private scheduleFlush(): void {
    if (this.flushing || this.closed) return
    this.flushing = this.flush().finally(() => {
      this.flushing = null
      if (this.pending.length > 0) this.scheduleFlush()
    })
  }

  /** Everything queued goes out in one INSERT; the senders are acknowledged once it commits. */
  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = []
    try {
      const result = await this.writer.append({
        councilId: this.councilId,
        documentName: this.name,
        kind: this.kind,
        auditId: this.auditId,
        updates: batch.map((item) => item.update),
        startsAuditId: this.startsAuditId,
      })
      if (!result.stored) {
        // Submitted or decided, here or on another server: what was not stored never will be,
        // and its senders were never told it was.
        this.frozen = true
        this.pending = []
        this.hooks.onRefused()
        return
      }
      if (this.startsAuditId) this.announceStarted()
      this.retryMs = RETRY_BASE_MS
      this.setPaused(false)
      this.updatesSinceSnapshot += batch.length
      for (const item of batch) this.bytesSinceSnapshot += item.update.byteLength
      // A client's clock is reached only once everything before it was applied: by this batch, an
      // earlier one (stored: they go one at a time), the log, or another server's rows.
      const saved = this.markStored(batch.flatMap((item) => item.advanced))
      // Usually each sender is told. Everyone is when a page's sync step 2 on reconnecting may
      // carry another editor's edits, which that editor (maybe connected since) is waiting to hear
      // are stored; or when a sender has gone, as its page may be back under a new connection
      // (while the database was away, say), its edits already here and so not sent again.
      const told = batch.some((item) => item.others || !this.peers.has(item.from))
        ? this.peers
        : new Set(batch.map((item) => item.from))
      if (saved.size > 0) for (const peer of told) if (this.peers.has(peer)) peer.onSaved(saved)
      if (
        this.updatesSinceSnapshot >= COMPACT_AFTER_UPDATES &&
        this.bytesSinceSnapshot >= this.snapshotBytes
      ) {
        this.startCompaction()
      }
    } catch (error) {
      // The database is away: keep the batch, acknowledge nothing, and try again with back-off.
      this.logger.warn({ err: error, document: this.name }, 'could not store updates; retrying')
      this.setPaused(true)
      this.pending = [...batch, ...this.pending]
      await new Promise((resolve) => setTimeout(resolve, this.retryMs))
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
    }
  }

  /**
   * Records clocks as stored; returns those that moved on. Only these are sent to pages, which keep
   * the highest clock of each client: what a document stores grows with every page load (each draws
   * a new client id), and acknowledging an edit does not need all of it.
   */
  private markStored(clocks: Iterable<readonly [number, number]>): Map<number, number> {
    const saved = new Map<number, number>()
    for (const [client, clock] of clocks) {
      if ((this.stored.get(client) ?? 0) < clock) {
        this.stored.set(client, clock)
        saved.set(client, clock)
      }
    }
    return saved
  }

  /** Whether the audit is under way, as far as this server knows (an audit's form only). */
  get started(): boolean {
    return this.kind === 'audit' && this.startsAuditId === undefined
  }

  /** The audit's first edit is stored: it is in progress now, and its pages are told. */
  private announceStarted(): void {
    this.startsAuditId = undefined
    const message = encodeStarted()
    for (const peer of this.peers) peer.send(message)
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return
    this.paused = paused
    const message = encodeStorage(paused)
    for (const peer of this.peers) peer.send(message)
  }

  /**
   * Compaction runs beside the writes, not in their way: it is a transaction of several round trips
   * and an encoding of the whole document, and edits waiting behind it would wait for their
   * acknowledgements too (the benchmark's acknowledgement p99 was made of them). Rows it folds in
   * are those below the horizon, all in memory already, so appends meanwhile are untouched.
   */
  private startCompaction(): void {
    if (this.compacting || this.closed) return
    this.compacting = this.compact()
      .catch((error: unknown) => {
        this.logger.warn({ err: error, document: this.name }, 'could not compact; will try again')
      })
      .finally(() => {
        this.compacting = null
      })
  }

  private async compact(): Promise<void> {
    const below = this.hooks.horizon()
    if (below === undefined || below === this.compactedBelow) return
    // The snapshot may hold updates still queued: harmless, as applying an update twice changes nothing.
    const compacted = await compactDocument(this.db, {
      councilId: this.councilId,
      documentName: this.name,
      kind: this.kind,
      auditId: this.auditId,
      state: Y.encodeStateAsUpdate(this.doc),
      below,
    })
    if (compacted === undefined) return
    this.compactedBelow = below
    // Rows above the horizon stay in the log (their content is in the snapshot too), and other
    // servers' rows may be among those folded.
    this.updatesSinceSnapshot = Math.max(0, this.updatesSinceSnapshot - compacted.rows)
    this.bytesSinceSnapshot = Math.max(0, this.bytesSinceSnapshot - compacted.bytes)
    this.snapshotBytes = compacted.snapshotBytes
  }

  /** Waits until every accepted update is stored (or the retries give up at shutdown). */
  async drain(): Promise<void> {
    while (this.hasPendingWrites && !this.closed) {
      if (this.flushing) await this.flushing
      else this.scheduleFlush()
    }
    if (this.compacting) await this.compacting
  }

  destroy(): void {
    if (this.closed) return
    this.closed = true
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** Updates read back from the log, written by another server. */
const STORED_ORIGIN = Symbol('stored')

/**
 * No page makes a trillion edits under one client id (a new one is drawn on every page load); past
 * 2^53 a clock is not even a whole number any more in JavaScript. Only a forged update gets there.
 */
const MAX_CLOCK = 2 ** 40

/**
 * Whether a transaction took in what no page sends and Yjs then mishandles: a clock past MAX_CLOCK
 * (copies drift apart), or an edit of no length (whose encoding the next editor to sync cannot
 * read: Yjs throws on it). Both were found by the fuzz test. Only the structs the transaction
 * added, at the end of each client's list, are looked at.
 */
function isForged(doc: Y.Doc, transaction: Y.Transaction): boolean {
  const { beforeState, afterState } = transaction
  for (const [client, clock] of afterState) {
    const before = beforeState.get(client)
    if (clock > MAX_CLOCK && clock !== before) return true
    const structs = doc.store.clients.get(client) ?? []
    for (let i = structs.length - 1; i >= 0; i -= 1) {
      const struct = structs[i]!
      if (struct.id.clock < (before ?? 0)) break
      if (struct.length === 0) return true
    }
  }
  return false
}

/** Forgets content (and deletions) waiting for what the document lacks; true if there was any. */
function dropWaiting(doc: Y.Doc): boolean {
  const { store } = doc
  if (store.pendingStructs === null && store.pendingDs === null) return false
  store.pendingStructs = null
  store.pendingDs = null
  return true
}

/** The clients whose clock a transaction moved on, and to where: the structs it added. */
function advancedBy(transaction: Y.Transaction): Advanced {
  const { beforeState, afterState } = transaction
  const advanced: Advanced = []
  for (const [client, clock] of afterState) {
    if ((beforeState.get(client) ?? 0) !== clock) advanced.push([client, clock])
  }
  return advanced
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}
