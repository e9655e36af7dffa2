import { defineConfig } from 'drizzle-kit'

// Used only by `npm run db:generate`, which diffs the schema against the committed migrations and
// needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
})
