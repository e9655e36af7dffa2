import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findFreePort, startEmbeddedPostgres } from '../db/embedded-postgres'
import { migrateDatabase } from '../db/migrate'

/** A fresh, migrated embedded PostgreSQL for one benchmark, removed afterwards whatever happens. */
export async function withBenchDatabase<T>(
  name: string,
  run: (url: string) => Promise<T>,
): Promise<T> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cfa-bench-${name}-`))
  // As root, PostgreSQL runs as the postgres user, who must be able to enter the folder.
  fs.chmodSync(root, 0o755)
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(root, 'pg'),
    port: await findFreePort(),
    database: 'bench',
  })
  try {
    await migrateDatabase(pg.url)
    return await run(pg.url)
  } finally {
    await pg.stop()
    fs.rmSync(root, { recursive: true, force: true })
  }
}
