import * as Y from 'yjs'
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm'
import type { Queryable } from '../client'
import { documentSnapshots, documentUpdates } from '../schema/index'

export type StoredDocument = {
  snapshot: Uint8Array | null
  coversUpdateId: number
  updates: Uint8Array[]
  lastUpdateId: number
}

/** A document as stored: its latest snapshot and every update logged after it, in order. */
export async function readStoredDocument(
  db: Queryable,
  documentName: string,
): Promise<StoredDocument> {
  const [snapshot] = await db
    .select({ state: documentSnapshots.state, coversUpdateId: documentSnapshots.coversUpdateId })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentName, documentName))
  const coversUpdateId = snapshot?.coversUpdateId ?? 0
  const rows = await db
    .select({ id: documentUpdates.id, update: documentUpdates.update })
    .from(documentUpdates)
    .where(
      and(eq(documentUpdates.documentName, documentName), gt(documentUpdates.id, coversUpdateId)),
    )
    .orderBy(asc(documentUpdates.id))
  return {
    snapshot: snapshot?.state ?? null,
    coversUpdateId,
    updates: rows.map((row) => row.update),
    lastUpdateId: rows.at(-1)?.id ?? coversUpdateId,
  }
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
 * Folds the log into a snapshot: `state` must contain every update up to `coversUpdateId`. The
 * snapshot is written and the covered rows deleted in one transaction, so a reader sees one or the other.
 */
export async function compactDocument(
  db: Queryable,
  params: { councilId: string; documentName: string; state: Uint8Array; coversUpdateId: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(documentSnapshots)
      .values({ ...params, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: documentSnapshots.documentName,
        set: { state: params.state, coversUpdateId: params.coversUpdateId, updatedAt: sql`now()` },
        where: sql`${documentSnapshots.coversUpdateId} < ${params.coversUpdateId}`,
      })
    await tx
      .delete(documentUpdates)
      .where(
        and(
          eq(documentUpdates.documentName, params.documentName),
          lte(documentUpdates.id, params.coversUpdateId),
        ),
      )
  })
}

/** A stored document as a Y.Doc (snapshot, then the log): what submission reads. */
export async function loadStoredDoc(db: Queryable, documentName: string): Promise<Y.Doc> {
  const stored = await readStoredDocument(db, documentName)
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}
