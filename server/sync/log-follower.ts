import type { Db } from '../../db/client'
import type { Logger } from '../logger'
import { LOG_CHANNEL } from './update-writer'

export type LoggedUpdate = { documentName: string; update: Uint8Array }
export type PresenceKind = 'a' | 'q'
/** NOTIFY's payload must stay under 8,000 bytes; presence larger than this is left to renewals. */
const MAX_PRESENCE_PAYLOAD = 7_000

/** However the doorbell fares, the log is read this often. */
const POLL_MS = 1_000
/** Each server says it is there this often, so that the others ring it when they write. */
const HELLO_MS = 5_000
const PEER_TIMEOUT_MS = 3 * HELLO_MS

/**
 * Follows the update log for the rows other servers wrote, so that an edit accepted by one server
 * reaches the editors connected to every other. The log is read by transaction id, up to the oldest
 * transaction still running (`pg_snapshot_xmin`): below it no row can still appear, so each row is
 * read once, in commit-safe order, and none is skipped. A NOTIFY on `document_log` is only a
 * doorbell (`u:<origin>`): nothing depends on its payload or its delivery, as the log is also read
 * every second. Servers greet each other on the same channel (`h:<origin>`); one alone rings nobody.
 */
export function createLogFollower(options: {
  db: Db
  logger: Logger
  origin: number
  /** Applies rows to the documents in memory, in order; the horizon moves once it resolves. */
  apply: (rows: LoggedUpdate[]) => Promise<void>
  /**
   * Another server's presence news for a document: `a`, an awareness update of its editors; `q`,
   * a server that has just opened the document asking who is there.
   */
  onPresence: (kind: PresenceKind, documentName: string, update: Uint8Array | undefined) => void
}) {
  const sql = options.db.$client
  const me = String(options.origin)
  /** Every row of a transaction below this one (a `xid8`, as text) is applied. */
  let horizon: string | undefined
  let polling: Promise<void> | null = null
  let again = false
  let closed = false
  const peers = new Map<string, number>()
  let pollTimer: NodeJS.Timeout | undefined
  let helloTimer: NodeJS.Timeout | undefined

  function hello(): void {
    sql`select pg_notify(${LOG_CHANNEL}, ${`h:${me}`})`.catch((error: unknown) =>
      options.logger.warn({ err: error }, 'could not greet the other sync servers'),
    )
  }

  function onMessage(payload: string): void {
    const [kind, origin, documentName, data] = payload.split(':')
    if (!origin || origin === me) return
    const known = (peers.get(origin) ?? 0) > Date.now() - PEER_TIMEOUT_MS
    peers.set(origin, Date.now())
    if (kind === 'h' && !known) hello()
    if (kind === 'u') pollSoon()
    if ((kind === 'a' || kind === 'q') && documentName) {
      options.onPresence(kind, documentName, data ? Buffer.from(data, 'base64') : undefined)
    }
  }

  async function poll(): Promise<void> {
    if (horizon === undefined) return
    const rows = await sql<
      { horizon: string; document_name: string | null; update: Buffer | null }[]
    >`
      with h as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
      select h.xmin::text as horizon, u.document_name, u.update
      from h left join document_updates u
        on u.xid >= ${horizon}::xid8 and u.xid < h.xmin and u.origin <> ${options.origin}
      order by u.xid, u.id`
    const next = rows[0]?.horizon
    const updates: LoggedUpdate[] = []
    for (const row of rows) {
      if (row.document_name === null || row.update === null) continue
      updates.push({
        documentName: row.document_name,
        update: new Uint8Array(row.update.buffer, row.update.byteOffset, row.update.byteLength),
      })
    }
    if (updates.length > 0) await options.apply(updates)
    if (next !== undefined) horizon = next
  }

  function pollSoon(): void {
    if (closed) return
    if (polling) {
      again = true
      return
    }
    polling = poll()
      .catch((error: unknown) =>
        options.logger.warn({ err: error }, 'could not read the update log'),
      )
      .finally(() => {
        polling = null
        if (again) {
          again = false
          pollSoon()
        }
      })
  }

  const listening = sql
    .listen(LOG_CHANNEL, onMessage, () => {
      // On every (re)connection: doorbells rung while it was away are lost, so read now.
      hello()
      pollSoon()
    })
    .catch((error: unknown) => {
      options.logger.warn({ err: error }, 'cannot listen for other servers; reading every second')
      return undefined
    })

  const ready = (async () => {
    const [row] = await sql<{ xmin: string }[]>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`
    horizon = row?.xmin
    pollTimer = setInterval(pollSoon, POLL_MS)
    pollTimer.unref()
    helloTimer = setInterval(hello, HELLO_MS)
    helloTimer.unref()
  })()

  return {
    /** Documents load only after this: whatever committed before it is in what they load. */
    ready,
    /** Whether other servers follow the log now, and so want the doorbell rung. */
    hasPeers(): boolean {
      const since = Date.now() - PEER_TIMEOUT_MS
      for (const heard of peers.values()) if (heard > since) return true
      return false
    },
    /**
     * Tells the other servers (if any) who is in a document here (`a`, with an awareness update),
     * or asks them who is there (`q`). Presence is news, not record: nothing is stored, and a lost
     * message is made good by the editors' own renewals every 15 seconds.
     */
    presence(kind: PresenceKind, documentName: string, update?: Uint8Array): void {
      if (closed || !this.hasPeers()) return
      const payload = `${kind}:${me}:${documentName}:${update ? Buffer.from(update).toString('base64') : ''}`
      if (payload.length > MAX_PRESENCE_PAYLOAD) return
      sql`select pg_notify(${LOG_CHANNEL}, ${payload})`.catch((error: unknown) =>
        options.logger.warn({ err: error }, 'could not share presence'),
      )
    },
    /** Every row of a transaction below this is in memory (with the documents loaded). */
    horizon: (): string | undefined => horizon,
    /** Reads the log now (tests, and after a write refused for a reason another server knows). */
    catchUp: async (): Promise<void> => {
      pollSoon()
      while (polling) await polling
    },
    async close(): Promise<void> {
      closed = true
      clearInterval(pollTimer)
      clearInterval(helloTimer)
      await listening.then((meta) => meta?.unlisten()).catch(() => {})
      await polling
    },
  }
}

export type LogFollower = ReturnType<typeof createLogFollower>
