import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { splitSocket } from './client'

export const MIGRATIONS_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'migrations',
)

/** Migrations run on a single connection of their own, never through the app's pool. */
export async function migrateDatabase(url: string): Promise<void> {
  const { url: address, socketPath } = splitSocket(url)
  const sql = postgres(address, {
    max: 1,
    onnotice: () => {},
    ...(socketPath ? { path: socketPath } : {}),
  })
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER })
  } finally {
    await sql.end({ timeout: 5 })
  }
}
