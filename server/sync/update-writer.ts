import type postgres from 'postgres'
import type { LiveKind } from '../../app/load-context'
import { LIVE_OPEN_STATUSES } from '../../shared/audit-status'

type Pending = {
  councilId: string
  documentName: string
  kind: LiveKind
  auditId: string
  updates: Uint8Array[]
  /** A scheduled audit whose first edit this is: it is started once the edit is stored. */
  startsAuditId?: string
  resolve: (result: WriteResult) => void
  reject: (error: unknown) => void
}

export type WriteResult =
  /** Stored: `lastId` is at or above the last of the rows and below any of the document's later ones. */
  | { stored: true; lastId: number }
  /** Refused: the audit is no longer open to this kind of document (submitted or decided elsewhere). */
  | { stored: false }

/**
 * One INSERT at a time: updates that arrive while it is in flight wait for it and go out together
 * in the next. The first update after a quiet spell goes out at once, in the same turn of the
 * event loop as the message that brought it (after the other messages read with it), with no timer
 * to wait for: each wake-up of the process costs about as much CPU as the whole statement (on these
 * machines ~0.17 ms), and a fixed group-commit wait of 3 ms cost a wake-up of its own on top of the
 * reply's, and 3 ms of every acknowledgement. Batches then grow with the load by themselves.
 */
const MAX_IN_FLIGHT = 1
const MAX_ROWS_PER_INSERT = 2_000
export const LOG_CHANNEL = 'document_log'

/**
 * One writer for every live document on this server: updates queued while an INSERT is in flight go
 * out together in the next one, across documents. At a few hundred updates a second spread over
 * hundreds of audits, that is a handful of statements instead of one per update.
 */
export function createUpdateWriter(
  sql: postgres.Sql,
  options: {
    /** This server process, written on every row so that other servers can follow the log. */
    origin: number
    /** Whether other servers follow the log now: if so, each statement rings their doorbell. */
    ringDoorbell: () => boolean
  },
) {
  const queue: Pending[] = []
  let inFlight = 0
  let scheduled = false

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      const starting = batch.flatMap((item) => (item.startsAuditId ? [item.startsAuditId] : []))
      if (starting.length > 0) {
        await sql`update audits set status = 'in-progress', updated_at = now()
          where id = any(${starting}::uuid[]) and status = 'scheduled'`
      }
      const [only] = batch
      if (batch.length === 1 && only?.updates.length === 1) {
        only.resolve(await storeOne(only, only.updates[0]!))
        return
      }
      const { lastId, storedNames } = await storeMany(batch)
      for (const item of batch) {
        item.resolve(
          !storedNames || storedNames.has(item.documentName)
            ? { stored: true, lastId }
            : { stored: false },
        )
      }
    } catch (error) {
      for (const item of batch) item.reject(error)
    }
  }

  /**
   * One update of one document, what nearly every statement holds below a few hundred updates a
   * second: scalar parameters, and about a third less CPU (ours and the database's) than the
   * batch's statement, as measured on these machines. The same rule and lock as `storeMany`.
   */
  async function storeOne(item: Pending, update: Uint8Array): Promise<WriteResult> {
    const [row] = await sql<{ id: string | null }[]>`
      with open as (
        select status from audits where id = ${item.auditId}::uuid for key share
      ), stored as (
        insert into document_updates (council_id, document_name, update, origin)
        select ${item.councilId}::uuid, ${item.documentName}, ${update}::bytea, ${options.origin}
        from open where status = any(${LIVE_OPEN_STATUSES[item.kind]}::text[])
        returning id
      )
      select max(id) as id,
        case when ${options.ringDoorbell()} and count(*) > 0
          then pg_notify(${LOG_CHANNEL}, ${`u:${options.origin}`}) end as rang
      from stored`
    return row?.id == null ? { stored: false } : { stored: true, lastId: Number(row.id) }
  }

  /**
   * Any number of updates of any documents in one statement, whose text is the same whatever the
   * batch holds, so it is prepared once. The updates travel as one bytea cut up by offset and
   * length; a row per value through postgres.js's helper costs twice the CPU per statement.
   * `storedNames`: the documents stored, when some were refused (undefined: every one was stored).
   */
  async function storeMany(
    batch: Pending[],
  ): Promise<{ lastId: number; storedNames: Set<string> | undefined }> {
    const councils: string[] = []
    const names: string[] = []
    const auditIds: string[] = []
    const kinds: string[] = []
    const offsets: number[] = []
    const lengths: number[] = []
    const parts: Uint8Array[] = []
    let offset = 1
    for (const item of batch) {
      for (const update of item.updates) {
        councils.push(item.councilId)
        names.push(item.documentName)
        auditIds.push(item.auditId)
        kinds.push(item.kind)
        offsets.push(offset)
        lengths.push(update.byteLength)
        parts.push(update)
        offset += update.byteLength
      }
    }
    const blob = Buffer.concat(parts)
    // A document's rows are stored only while its audit is open to that kind of document. The
    // audit row is locked (key share) so that a submission or decision, which locks it for update
    // before reading what is stored, sees these rows, or these rows see it and are refused.
    const [row] = await sql<{ id: string | null; stored: string; names: string[] | null }[]>`
      with open as (
        select id, status from audits where id = any(${auditIds}::uuid[]) for key share
      ), stored as (
        insert into document_updates (council_id, document_name, update, origin)
        select b.council_id, b.document_name, substring(${blob}::bytea from b.start for b.length),
          ${options.origin}
        from unnest(${councils}::uuid[], ${names}::text[], ${auditIds}::uuid[], ${kinds}::text[],
            ${offsets}::int[], ${lengths}::int[])
          with ordinality as b(council_id, document_name, audit_id, kind, start, length, n)
        join open on open.id = b.audit_id
        where (b.kind = 'audit' and open.status = any(${LIVE_OPEN_STATUSES.audit}::text[]))
          or (b.kind = 'moderation' and open.status = any(${LIVE_OPEN_STATUSES.moderation}::text[]))
        order by b.n
        returning id, document_name
      )
      select max(id) as id, count(*) as stored,
        case when count(*) < ${names.length}
          then coalesce(array_agg(distinct document_name), '{}') end as names,
        case when ${options.ringDoorbell()} and count(*) > 0
          then pg_notify(${LOG_CHANNEL}, ${`u:${options.origin}`}) end as rang
      from stored`
    return {
      lastId: Number(row?.id ?? 0),
      storedNames: row?.names ? new Set(row.names) : undefined,
    }
  }

  function pump(): void {
    scheduled = false
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
    /** Resolves once the INSERT holding the updates has committed, or refused them. */
    append(params: Omit<Pending, 'resolve' | 'reject'>): Promise<WriteResult> {
      return new Promise((resolve, reject) => {
        queue.push({ ...params, resolve, reject })
        if (!scheduled && inFlight < MAX_IN_FLIGHT) {
          scheduled = true
          setImmediate(pump)
        }
      })
    },
  }
}

export type UpdateWriter = ReturnType<typeof createUpdateWriter>
