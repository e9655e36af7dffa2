import {
  bigserial,
  bigint,
  customType,
  index,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { councils } from './councils'

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
})

/** PostgreSQL's 64-bit transaction id, carried as text (it does not fit a JS number). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' })

/**
 * The live documents' append-only update log: every Yjs update a server accepted, in order. It is
 * the truth until a snapshot covers it; compaction then deletes the rows the snapshot includes.
 */
export const documentUpdates = pgTable(
  'document_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    documentName: text('document_name').notNull(),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The transaction that wrote the row. Ids are handed out before commit, so a reader following
     * the log by id could pass a row that commits later; by transaction, below the oldest still
     * running (`pg_snapshot_xmin`), nothing more can appear.
     */
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    /** Which server process wrote it (0: none, e.g. an import): each follows only the others' rows. */
    origin: bigint('origin', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    index('document_updates_name_id').on(t.documentName, t.id),
    index('document_updates_xid').on(t.xid),
  ],
)

export const documentSnapshots = pgTable('document_snapshots', {
  documentName: text('document_name').primaryKey(),
  councilId: uuid('council_id')
    .notNull()
    .references(() => councils.id),
  state: bytea('state').notNull(),
  // Every update with an id up to this one is inside `state`.
  coversUpdateId: bigint('covers_update_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
