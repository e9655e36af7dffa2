import { openDatabase } from './client'
import { DatabaseConfigSchema, parseEnv } from './config'
import { locateDatabase } from './connect'
import { migrateDatabase } from './migrate'
import { SeedRefusedError, seedDemoData } from './seed'

// `npm run db:seed`: demo data into an empty database (migrating it first); refuses one with data.
const database = await locateDatabase(parseEnv(DatabaseConfigSchema, process.env))
await migrateDatabase(database.url)
const handle = openDatabase(database.url, { max: 2 })
try {
  await seedDemoData(handle.db)
  console.log(`Seeded demo data into ${database.description}`)
} catch (error) {
  if (!(error instanceof SeedRefusedError)) throw error
  console.error(error.message)
  process.exitCode = 1
} finally {
  await handle.close()
  await database.stop()
}
