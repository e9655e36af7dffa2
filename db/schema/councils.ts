import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

export const councils = pgTable('councils', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  serviceName: text('service_name').notNull(),
  // A random sample never draws a case audited within this many months.
  sampleExclusionMonths: integer('sample_exclusion_months').notNull().default(3),
  // Whether the council's users may sign in with a password; off once everyone signs in with the
  // council's identity provider (single sign-on).
  passwordSignIn: boolean('password_sign_in').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    code: text('code').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('services_council_code').on(t.councilId, t.code)],
)

export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    code: text('code').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('agencies_council_code').on(t.councilId, t.code)],
)

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
  },
  (t) => [
    uniqueIndex('teams_council_code').on(t.councilId, t.code),
    index('teams_service').on(t.serviceId),
  ],
)

export const themes = pgTable(
  'themes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    code: text('code').notNull(),
    label: text('label').notNull(),
    // Words and phrases that suggest this theme for an excerpt (shared/themes.ts); the council tunes them.
    keywords: text('keywords')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('themes_council_code').on(t.councilId, t.code)],
)
