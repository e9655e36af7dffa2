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
import { encodeSaved, MESSAGE_SYNC } from '../../shared/sync-protocol'
import type { Logger } from '../logger'
import type { UpdateLog, UpdateWrite, UpdateWriter } from './update-writer'

/** A connection's view of a document, enough for fan-out and acknowledgement. */
export type Peer = {
  send: (message: Uint8Array) => void
  close: (code: number, reason: string) => void
}

/** An accepted update on its way to the log. */
class Write implements UpdateWrite {
  /** Held: not sent yet (or sent, failed, and waiting for the retry). */
  state: 'held' | 'sent' | 'stored' = 'held'

  constructor(
    readonly log: LiveDocument,
    readonly update: Uint8Array,
    readonly from: Peer,
    /** The document's state vector once the update was applied: stored when it and all before it are. */
    readonly covered: Map<number, number>,
  ) {}
}

const COMPACT_AFTER_UPDATES = 500
const RETRY_BASE_MS = 200
const RETRY_MAX_MS = 5_000

/**
 * One document in memory: the Y.Doc every connection edits, its awareness, and the updates on their
 * way to the log. Peers get each update as soon as it is applied; its sender is told it is saved
 * only after the INSERT that holds it, and every one applied before it, have committed.
 */
export class LiveDocument implements UpdateLog {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly peers = new Set<Peer>()
  /** Which connection announced each awareness client id: presence is taken only from its owner. */
  readonly awarenessOwners = new Map<number, Peer>()
  /** The state vector of everything durably stored. */
  readonly stored = new Map<number, number>()
  /** Accepted updates not yet acknowledged, in the order they were applied. */
  private writes: Write[] = []
  /**
   * Peers that resent what the document already holds (after a reconnect) while it was still on
   * its way to the log: they are told when it is stored, as its first sender may be gone.
   */
  private resent = new Set<Peer>()
  private acknowledging = false
  private whenDrained: (() => void)[] = []
  private lastTransaction: Y.Transaction | null = null
  private lastUpdateId = 0
  private updatesSinceSnapshot = 0
  private compacting: Promise<void> | null = null
  /** While an audit is being submitted (or after), nobody may write to it. */
  frozen = false
  private retryMs = RETRY_BASE_MS
  private retryTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    readonly name: string,
    readonly councilId: string,
    private readonly db: Db,
    private readonly writer: UpdateWriter,
    private readonly logger: Logger,
    /** Set while the audit is scheduled: its first stored edit starts it. */
    public startsAuditId: string | undefined,
  ) {
    // The awareness's own local state is the server's, which has none.
    this.awareness.setLocalState(null)
    // NOTE: no 'update' listener: Yjs would encode every applied update again for it. What a peer
    // sent is passed on and stored as it came; the transaction only tells whether it changed anything.
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
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot)
      for (const update of stored.updates) Y.applyUpdate(this.doc, update)
    })
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc)))
      this.stored.set(client, clock)
    this.lastUpdateId = stored.lastUpdateId
    this.updatesSinceSnapshot = stored.updates.length
  }

  /**
   * Applies a peer's update (already checked to parse, and allowed), passes `message` (the update
   * as a sync message) on to the other peers, and queues the update for the log. An update that
   * changes nothing (an echo, or the empty reply to a sync step) goes nowhere.
   */
  receive(update: Uint8Array, message: Uint8Array, from: Peer): void {
    const { store } = this.doc
    const pendingBefore = store.pendingStructs?.update
    const pendingDsBefore = store.pendingDs
    this.lastTransaction = null
    let applied = false
    try {
      Y.applyUpdate(this.doc, update, from)
      applied = true
    } finally {
      const transaction = this.takeLastTransaction()
      const changed =
        transaction !== null &&
        (transaction.deleteSet.clients.size > 0 ||
          hasNewStructs(transaction) ||
          // Content waiting for what it builds on changes nothing yet, but must be kept all the same.
          store.pendingStructs?.update !== pendingBefore ||
          store.pendingDs !== pendingDsBefore)
      if (changed) {
        // NOTE: an update that threw part-way may not load again as it came: what Yjs did apply
        // is taken re-encoded instead, so that memory and log agree.
        const kept = applied
          ? update
          : Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(transaction.beforeState))
        this.accept(kept, applied ? message : encodeUpdateMessage(kept), from, transaction)
      } else if (this.writes.length > 0) {
        this.resent.add(from)
      }
    }
  }

  private takeLastTransaction(): Y.Transaction | null {
    const transaction = this.lastTransaction
    this.lastTransaction = null
    return transaction
  }

  private accept(
    update: Uint8Array,
    message: Uint8Array,
    from: Peer,
    transaction: Y.Transaction,
  ): void {
    for (const peer of this.peers) if (peer !== from) peer.send(message)
    const write = new Write(this, update, from, transaction.afterState)
    this.writes.push(write)
    // While the database is away, new updates wait for the retry rather than fail one by one.
    if (this.retryTimer === undefined && !this.closed) this.send(write)
  }

  private send(write: Write): void {
    write.state = 'sent'
    this.writer.append(write)
  }

  /** For the writer. */
  onStored(write: UpdateWrite, lastUpdateId: number): void {
    if (write instanceof Write) write.state = 'stored'
    if (lastUpdateId > this.lastUpdateId) this.lastUpdateId = lastUpdateId
    this.startsAuditId = undefined
    this.retryMs = RETRY_BASE_MS
    this.updatesSinceSnapshot += 1
    // The writer reports a statement's writes one after another: acknowledge once, after them all.
    if (this.acknowledging) return
    this.acknowledging = true
    queueMicrotask(() => {
      this.acknowledging = false
      this.acknowledge()
    })
  }

  /** For the writer: the database is away. Keep the update, acknowledge nothing, retry with back-off. */
  onFailed(write: UpdateWrite, error: unknown): void {
    if (write instanceof Write) write.state = 'held'
    if (this.retryTimer !== undefined || this.closed) return
    this.logger.warn({ err: error, document: this.name }, 'could not store updates; retrying')
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.closed) return
      for (const held of this.writes) if (held.state === 'held') this.send(held)
    }, this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
  }

  /**
   * Tells the senders of the stored updates at the head of the queue that they are saved. An update
   * stored after one that is not yet (two statements may commit in either order, and a failed one is
   * retried) waits: what the document held when it was applied includes the earlier one.
   */
  private acknowledge(): void {
    let count = 0
    while (this.writes[count]?.state === 'stored') count += 1
    if (count === 0) return
    const done = this.writes.splice(0, count)
    // State vectors only grow: the last one stored covers those before it.
    for (const [client, clock] of done[count - 1]!.covered) {
      if ((this.stored.get(client) ?? 0) < clock) this.stored.set(client, clock)
    }
    // One message for every sender: how far the document is stored, their own clocks included.
    const saved = encodeSaved(this.stored)
    const senders = new Set([...done.map((write) => write.from), ...this.resent])
    for (const peer of senders) if (this.peers.has(peer)) peer.send(saved)
    if (this.writes.length === 0) {
      this.resent.clear()
      for (const resolve of this.whenDrained.splice(0)) resolve()
    }
    if (this.updatesSinceSnapshot >= COMPACT_AFTER_UPDATES && !this.compacting && !this.closed) {
      this.compacting = this.compact()
        .catch((error: unknown) => {
          // The log still holds everything: compaction is tried again after the next stored update.
          this.logger.warn({ err: error, document: this.name }, 'could not compact')
        })
        .finally(() => (this.compacting = null))
    }
  }

  private async compact(): Promise<void> {
    const counted = this.updatesSinceSnapshot
    // The snapshot may hold updates still on their way: harmless, as applying an update twice
    // changes nothing. Every row up to lastUpdateId, committed or still in flight, is in it.
    await compactDocument(this.db, {
      councilId: this.councilId,
      documentName: this.name,
      state: Y.encodeStateAsUpdate(this.doc),
      coversUpdateId: this.lastUpdateId,
    })
    this.updatesSinceSnapshot -= counted
  }

  /** Waits until every accepted update is stored (or the retries give up at shutdown). */
  async drain(): Promise<void> {
    while (this.writes.length > 0 && !this.closed) {
      await new Promise<void>((resolve) => this.whenDrained.push(resolve))
    }
    await this.compacting
  }

  destroy(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    for (const resolve of this.whenDrained.splice(0)) resolve()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** Whether a transaction added anything: a client's clock moved. */
function hasNewStructs(transaction: Y.Transaction): boolean {
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true
  }
  return false
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}
