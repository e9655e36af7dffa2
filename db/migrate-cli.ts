import { DatabaseConfigSchema, parseEnv } from './config'
import { locateDatabase } from './connect'
import { migrateDatabase } from './migrate'

// `npm run db:migrate`: applies the committed migrations to DATABASE_URL or the embedded database.
const database = await locateDatabase(parseEnv(DatabaseConfigSchema, process.env))
try {
  await migrateDatabase(database.url)
  console.log(`Migrated ${database.description}`)
} finally {
  await database.stop()
}
