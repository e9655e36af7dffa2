import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
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
