import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findFreePort, startEmbeddedPostgres } from '../db/embedded-postgres'
import { migrateDatabase } from '../db/migrate'
import postgres from 'postgres'
import { processTreeUsage, type ProcessUsage } from './proc'

export type BenchDatabase = {
  usage: () => ProcessUsage
  /** Another database, migrated, in the same PostgreSQL: its URL. */
  another: (name: string) => Promise<string>
}

/** A fresh, migrated embedded PostgreSQL for one benchmark, removed afterwards whatever happens. */
export async function withBenchDatabase<T>(
  name: string,
  run: (url: string, database: BenchDatabase) => Promise<T>,
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
    const dataDir = path.join(root, 'pg')
    const another = async (database: string) => {
      const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} })
      try {
        await admin`create database ${admin(database)}`
      } finally {
        await admin.end()
      }
      const url = new URL(pg.url)
      url.pathname = `/${database}`
      await migrateDatabase(url.href)
      return url.href
    }
    return await run(pg.url, { usage: () => postgresUsage(dataDir), another })
  } finally {
    await pg.stop()
    fs.rmSync(root, { recursive: true, force: true })
  }
}

/**
 * What the PostgreSQL on `dataDir` has used so far (see `processTreeUsage`), read in one pass over
 * /proc. Linux only; NaN elsewhere.
 */
function postgresUsage(dataDir: string): ProcessUsage {
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    )
    return processTreeUsage(postmaster)
  } catch {
    return { cpuSeconds: NaN, contextSwitches: NaN }
  }
}
