import * as Y from 'yjs'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { LIVE_OPEN_STATUSES } from '../../shared/audit-status'
import type { Queryable } from '../client'
import { audits, documentSnapshots, documentUpdates } from '../schema/index'

export type StoredDocument = {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
}

/**
 * A document as stored: its snapshot and every update still in the log (some may be in the
 * snapshot too, which is harmless: Yjs applies an update twice as once). One statement, so that a
 * compaction by another server is seen whole or not at all, inside a transaction or not.
 */
export async function readStoredDocument(
  db: Queryable,
  documentName: string,
): Promise<StoredDocument> {
  const rows = await db.execute<{ part: number; data: Buffer }>(sql`
    select 0 as part, 0::bigint as id, state as data from ${documentSnapshots}
    where ${documentSnapshots.documentName} = ${documentName}
    union all
    select 1, id, "update" from ${documentUpdates}
    where ${documentUpdates.documentName} = ${documentName}
    order by part, id`)
  let snapshot: Uint8Array | null = null
  const updates: Uint8Array[] = []
  for (const row of rows) {
    const data = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
    if (row.part === 0) snapshot = data
    else updates.push(data)
  }
  return { snapshot, updates }
}

/** The first snapshot of a new document; if another server made one first, theirs stands. */
export async function createInitialSnapshot(
  db: Queryable,
  params: { councilId: string; documentName: string; state: Uint8Array },
): Promise<void> {
  await db
    .insert(documentSnapshots)
    .values({ ...params, coversUpdateId: 0 })
    .onConflictDoNothing({ target: documentSnapshots.documentName })
}

/**
 * Folds the log into the snapshot. `state` (a server's document in memory) holds every update
 * written by a transaction below `below` (the server's horizon in the log, a `xid8`): those rows
 * are deleted. The snapshot becomes the old one merged with `state`, under a lock, so that what
 * another server folded in is never lost; both happen in one transaction. Answers the new
 * snapshot's size and the rows folded in (how many, and their bytes), or undefined (and changes
 * nothing) once the audit is closed to the document.
 */
export async function compactDocument(
  db: Queryable,
  params: {
    councilId: string
    documentName: string
    kind: 'audit' | 'moderation'
    auditId: string
    state: Uint8Array
    below: string
  },
): Promise<{ snapshotBytes: number; rows: number; bytes: number } | undefined> {
  return db.transaction(async (tx) => {
    // A compaction stores nothing that is not stored already (the rows it folds in stay until it
    // commits, in the same WAL), so it need not wait for the disk: if a crash loses it, the old
    // snapshot and the rows are still there. Waiting made its flush of the snapshot's bytes one
    // more in front of the edits being acknowledged meanwhile.
    await tx.execute(sql`set local synchronous_commit = off`)
    // `state` may hold updates not yet stored: folded in only while the audit is open to them, as
    // the update writer decides (server/sync/update-writer.ts), and under the same lock.
    const open = await tx
      .select({ id: audits.id })
      .from(audits)
      .where(
        and(
          eq(audits.id, params.auditId),
          inArray(audits.status, [...LIVE_OPEN_STATUSES[params.kind]]),
        ),
      )
      .for('key share')
    if (open.length === 0) return undefined
    const [current] = await tx
      .select({ state: documentSnapshots.state, coversUpdateId: documentSnapshots.coversUpdateId })
      .from(documentSnapshots)
      .where(eq(documentSnapshots.documentName, params.documentName))
      .for('update')
    // Folded rows are counted in the database, not sent back: up to COMPACT_AFTER_UPDATES ids
    // parsed on the thread that relays every edit would delay the edits waiting behind them.
    const [folded] = await tx.execute<{ newest: string | null; rows: number; bytes: number }>(sql`
      with folded as (
        delete from ${documentUpdates}
        where ${documentUpdates.documentName} = ${params.documentName}
          and ${documentUpdates.xid} < ${params.below}::xid8
        returning ${documentUpdates.id}, octet_length(${documentUpdates.update}) as bytes
      )
      select max(id) as newest, count(*)::int as rows, coalesce(sum(bytes), 0)::int as bytes
      from folded`)
    const state = current ? Y.mergeUpdates([current.state, params.state]) : params.state
    // Informational: the newest row folded in so far.
    const coversUpdateId = Math.max(Number(folded?.newest ?? 0), current?.coversUpdateId ?? 0)
    await tx
      .insert(documentSnapshots)
      .values({
        councilId: params.councilId,
        documentName: params.documentName,
        state,
        coversUpdateId,
      })
      .onConflictDoUpdate({
        target: documentSnapshots.documentName,
        set: { state, coversUpdateId, updatedAt: sql`now()` },
      })
    return { snapshotBytes: state.byteLength, rows: folded?.rows ?? 0, bytes: folded?.bytes ?? 0 }
  })
}

/**
 * Locks an audit's row for the rest of the transaction, before its live documents are read for a
 * submission or decision: a sync server (any of them) stores an edit only while holding the row
 * (key share) and seeing the audit still open, so with the row locked the stored documents are
 * the whole of what was acknowledged, and whatever comes after the status changes is refused.
 */
export async function lockAuditForLiveRead(tx: Queryable, auditId: string): Promise<void> {
  await tx.execute(sql`select 1 from audits where id = ${auditId} for update`)
}

/** A stored document as a Y.Doc (snapshot, then the log): what submission reads. */
export async function loadStoredDoc(db: Queryable, documentName: string): Promise<Y.Doc> {
  const stored = await readStoredDocument(db, documentName)
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}
