import type { Db } from '../../db/client'

type Pending = {
  councilId: string
  documentName: string
  updates: Uint8Array[]
  /** A scheduled audit whose first edit this is: it is started in the same statement. */
  startsAuditId?: string
  resolve: (lastUpdateId: number) => void
  reject: (error: unknown) => void
}

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
 */
export function createUpdateWriter(db: Db) {
  const queue: Pending[] = []
  let inFlight = 0
  let timer: NodeJS.Timeout | undefined

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      // The hot path of every edit: postgres.js directly, and one statement text whatever the batch
      // holds, so it is prepared once. The updates travel as one bytea cut up by offset and length;
      // a row per value through postgres.js's helper costs twice the CPU per statement.
      const sql = db.$client
      const councils: string[] = []
      const names: string[] = []
      const offsets: number[] = []
      const lengths: number[] = []
      const parts: Uint8Array[] = []
      let offset = 1
      for (const item of batch) {
        for (const update of item.updates) {
          councils.push(item.councilId)
          names.push(item.documentName)
          offsets.push(offset)
          lengths.push(update.byteLength)
          parts.push(update)
          offset += update.byteLength
        }
      }
      const blob = Buffer.concat(parts)
      const starting = batch.flatMap((item) => (item.startsAuditId ? [item.startsAuditId] : []))
      // A data-modifying WITH runs whether or not it is referenced: one statement does both.
      // Each document's rows in this statement are its newest: the statement's last id covers them.
      const [row] = await sql<{ id: string }[]>`
        with started as (
          update audits set status = 'in-progress', updated_at = now()
          where id = any(${starting}::uuid[]) and status = 'scheduled'
        ), stored as (
          insert into document_updates (council_id, document_name, update)
          select council_id, document_name, substring(${blob}::bytea from start for length)
          from unnest(${councils}::uuid[], ${names}::text[], ${offsets}::int[], ${lengths}::int[])
            with ordinality as batch(council_id, document_name, start, length, n)
          order by n
          returning id
        )
        select max(id) as id from stored`
      const lastId = Number(row?.id ?? 0)
      for (const item of batch) item.resolve(lastId)
    } catch (error) {
      for (const item of batch) item.reject(error)
    }
  }

  function pump(): void {
    clearTimeout(timer)
    timer = undefined
    while (inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const batch: Pending[] = []
      let rows = 0
      while (queue.length > 0 && rows < MAX_ROWS_PER_INSERT) {
        const next = queue.shift()
        if (!next) break
        batch.push(next)
        rows += next.updates.length
      }
      inFlight += 1
      void writeBatch(batch).finally(() => {
        inFlight -= 1
        pump()
      })
    }
  }

  return {
    /**
     * Resolves once the INSERT holding the updates has committed, with an id at or above the last of
     * them and below any row of the document written later (what a snapshot may say it covers).
     */
    append(params: Omit<Pending, 'resolve' | 'reject'>): Promise<number> {
      return new Promise((resolve, reject) => {
        queue.push({ ...params, resolve, reject })
        timer ??= setTimeout(pump, GROUP_COMMIT_MS)
      })
    },
  }
}

export type UpdateWriter = ReturnType<typeof createUpdateWriter>
