import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { Role } from '../../shared/roles'
import { agencies, councils, teams } from './councils'

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().$type<Role[]>().notNull(),
    agencyId: uuid('agency_id').references(() => agencies.id),
    teamId: uuid('team_id').references(() => teams.id),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    // An email signs in to exactly one council, so it is unique across the installation.
    uniqueIndex('users_email').on(sql`lower(${t.email})`),
    index('users_council').on(t.councilId),
    check(
      'users_roles_known',
      sql`${t.roles} <@ array['auditor','moderator','lead','practitioner','admin']::text[] and cardinality(${t.roles}) > 0`,
    ),
  ],
)

export const sessions = pgTable(
  'sessions',
  {
    // sha256 of the cookie's token: a copy of this table signs nobody in.
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the user last gave their password in this session: bulk exports and access changes ask again after a while. */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user').on(t.userId)],
)

/** Failed sign-ins, keyed by account (`account:<email>`) and by address (`address:<ip>`). */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
})

/**
 * The access trail: every view of an audit or case, every change, every export, every sign-in and
 * permission change, with who, what, when and from where. Append-only: the application's database
 * role may insert and read it, never update or delete it (migration 0012); only the retention
 * function, run by the owner's rights, removes what has expired, and records that it did.
 */
export const accessEvents = pgTable(
  'access_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Unknown for a refused sign-in with an email nobody has. */
    councilId: uuid('council_id').references(() => councils.id),
    /** No foreign key: the trail outlives the user. */
    userId: uuid('user_id'),
    /** What kind of access (shared/access-trail.ts). */
    action: text('action').notNull(),
    method: text('method'),
    path: text('path'),
    auditId: uuid('audit_id'),
    caseFileId: uuid('case_file_id'),
    /** The user whose access changed, for a permission change. */
    subjectUserId: uuid('subject_user_id'),
    address: text('address'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('access_events_council_at').on(t.councilId, t.at),
    index('access_events_user_at').on(t.userId, t.at),
    index('access_events_audit').on(t.auditId),
    index('access_events_case').on(t.caseFileId),
  ],
)
