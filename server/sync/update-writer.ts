import type { Db } from '../../db/client'

/** Where updates are appended, and who hears how each went: a live document. */
export type UpdateLog = {
  readonly councilId: string
  readonly name: string
  /** A scheduled audit whose first edit this is: it is started in the same statement. */
  readonly startsAuditId: string | undefined
  /** The INSERT holding the write has committed; its document's last row in it has this id. */
  onStored(write: UpdateWrite, lastUpdateId: number): void
  onFailed(write: UpdateWrite, error: unknown): void
}

/** One update to append. */
export type UpdateWrite = { readonly log: UpdateLog; readonly update: Uint8Array }

const MAX_IN_FLIGHT = 2
const MAX_ROWS_PER_INSERT = 2_000
/**
 * How long the first queued update waits for others to join its INSERT. Every statement costs a
 * round trip and a socket write on both sides; a few milliseconds of waiting turns hundreds of
 * statements a second into a few dozen, well inside the acknowledgement's budget.
 */
const GROUP_COMMIT_MS = Number(process.env.SYNC_GROUP_COMMIT_MS ?? 3)

/**
 * One writer for every live document on this server: updates queued while an INSERT is in flight go
 * out together in the next one, across documents. At a few hundred updates a second spread over
 * hundreds of audits, that is a handful of statements instead of one per update.
 *
 * NOTE: two statements may be in flight on different connections, so they may commit in either
 * order, even for one document; the log does not care (Yjs updates apply in any order), and the
 * live document acknowledges its updates only in the order it applied them.
 */
export function createUpdateWriter(db: Db) {
  let queue: UpdateWrite[] = []
  let inFlight = 0
  let timer: NodeJS.Timeout | undefined
  /** The oldest queued update's window has closed: the queue goes as soon as a connection is free. */
  let due = false

  async function writeBatch(batch: UpdateWrite[]): Promise<void> {
    // The hot path of every edit: postgres.js directly, and one statement text whatever the batch
    // holds, so it is prepared once. The updates travel as one bytea cut up by offset and length;
    // a row per value through postgres.js's helper costs twice the CPU per statement.
    const sql = db.$client
    const councils: string[] = []
    const names: string[] = []
    const offsets: number[] = []
    const lengths: number[] = []
    const parts: Uint8Array[] = []
    const starting = new Set<string>()
    let offset = 1
    for (const { log, update } of batch) {
      councils.push(log.councilId)
      names.push(log.name)
      offsets.push(offset)
      lengths.push(update.byteLength)
      parts.push(update)
      offset += update.byteLength
      if (log.startsAuditId) starting.add(log.startsAuditId)
    }
    let rows: { id: string; document_name: string }[]
    try {
      // A data-modifying WITH runs whether or not it is referenced: one statement does both.
      rows = await sql<{ id: string; document_name: string }[]>`
        with started as (
          update audits set status = 'in-progress', updated_at = now()
          where id = any(${[...starting]}::uuid[]) and status = 'scheduled'
        ), stored as (
          insert into document_updates (council_id, document_name, update)
          select council_id, document_name, substring(${Buffer.concat(parts)}::bytea from start for length)
          from unnest(${councils}::uuid[], ${names}::text[], ${offsets}::int[], ${lengths}::int[])
            with ordinality as batch(council_id, document_name, start, length, n)
          order by n
          returning id, document_name
        )
        select max(id) as id, document_name from stored group by document_name`
    } catch (error) {
      for (const write of batch) write.log.onFailed(write, error)
      return
    }
    const lastByDocument = new Map(rows.map((row) => [row.document_name, Number(row.id)]))
    for (const write of batch) write.log.onStored(write, lastByDocument.get(write.log.name) ?? 0)
  }

  /**
   * Sends what is queued once its window has closed, as far as MAX_IN_FLIGHT allows. A statement
   * that finishes sends only what was held back for a free connection, never a window still open:
   * that would cut the window short and cost a statement for an update or two.
   */
  function pump(): void {
    while (due && inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const batch = queue.length <= MAX_ROWS_PER_INSERT ? queue : queue.slice(0, MAX_ROWS_PER_INSERT)
      queue = queue.length <= MAX_ROWS_PER_INSERT ? [] : queue.slice(MAX_ROWS_PER_INSERT)
      inFlight += 1
      void writeBatch(batch).finally(() => {
        inFlight -= 1
        pump()
      })
    }
    if (queue.length === 0) {
      due = false
      // Whatever the timer was waiting for has gone out with the held-back updates.
      clearTimeout(timer)
      timer = undefined
    }
  }

  function closeWindow(): void {
    timer = undefined
    due = true
    pump()
  }

  return {
    /** Queues an update; its log is told once the INSERT holding it has committed, or has failed. */
    append(write: UpdateWrite): void {
      queue.push(write)
      timer ??= setTimeout(closeWindow, GROUP_COMMIT_MS)
    },
  }
}

export type UpdateWriter = ReturnType<typeof createUpdateWriter>
