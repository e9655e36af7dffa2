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
import { councils } from './councils'

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
})

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
  },
  (t) => [index('document_updates_name_id').on(t.documentName, t.id)],
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
