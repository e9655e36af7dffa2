import type { Db } from '../../db/client'

type Pending = {
  councilId: string
  documentName: string
  updates: Uint8Array[]
  resolve: (lastUpdateId: number) => void
  reject: (error: unknown) => void
}

const MAX_IN_FLIGHT = 2
const MAX_ROWS_PER_INSERT = 2_000

/**
 * One writer for every live document on this server: updates queued while an INSERT is in flight go
 * out together in the next one, across documents. At a few hundred updates a second spread over
 * hundreds of audits, that is a handful of statements instead of one per update.
 */
export function createUpdateWriter(db: Db) {
  const queue: Pending[] = []
  let inFlight = 0

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      // The hot path of every edit: postgres.js directly, without building a query per batch.
      const sql = db.$client
      const values = batch.flatMap((item) =>
        item.updates.map((update) => ({
          council_id: item.councilId,
          document_name: item.documentName,
          update: Buffer.from(update.buffer, update.byteOffset, update.byteLength),
        })),
      )
      const rows = await sql<{ id: string; document_name: string }[]>`
        insert into document_updates ${sql(values)}
        returning id, document_name`
      const lastByDocument = new Map<string, number>()
      for (const row of rows) {
        const id = Number(row.id)
        lastByDocument.set(
          row.document_name,
          Math.max(lastByDocument.get(row.document_name) ?? 0, id),
        )
      }
      for (const item of batch) item.resolve(lastByDocument.get(item.documentName) ?? 0)
    } catch (error) {
      for (const item of batch) item.reject(error)
    }
  }

  function pump(): void {
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
    /** Resolves with the id of the document's last row once the INSERT holding them has committed. */
    append(params: {
      councilId: string
      documentName: string
      updates: Uint8Array[]
    }): Promise<number> {
      return new Promise((resolve, reject) => {
        queue.push({ ...params, resolve, reject })
        // Let this tick's other documents join the same statement.
        setImmediate(pump)
      })
    },
  }
}

export type UpdateWriter = ReturnType<typeof createUpdateWriter>
