import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findFreePort, startEmbeddedPostgres } from '../db/embedded-postgres'
import { migrateDatabase } from '../db/migrate'
import { contextSwitches } from './proc'

/** A fresh, migrated embedded PostgreSQL for one benchmark, removed afterwards whatever happens. */
export async function withBenchDatabase<T>(
  name: string,
  run: (
    url: string,
    database: { cpuSeconds: () => number; contextSwitches: () => number },
  ) => Promise<T>,
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
    return await run(pg.url, {
      cpuSeconds: () => postgresUsage(dataDir).cpuSeconds,
      contextSwitches: () => postgresUsage(dataDir).contextSwitches,
    })
  } finally {
    await pg.stop()
    fs.rmSync(root, { recursive: true, force: true })
  }
}

/**
 * CPU seconds used so far by the PostgreSQL on `dataDir`: its postmaster, with the children it has
 * reaped, and its live children (backends, writers); and the context switches of the postmaster
 * and its live children (a reaped child's are not kept). Linux only; NaN elsewhere.
 */
function postgresUsage(dataDir: string): { cpuSeconds: number; contextSwitches: number } {
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    )
    let ticks = 0
    let switches = 0
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      let stat: string
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      } catch {
        continue // gone meanwhile
      }
      // After the command name (in parentheses, which may hold spaces): state, ppid, ... utime is
      // the 14th field, stime the 15th, cutime and cstime the 16th and 17th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const pid = Number(entry)
      const ppid = Number(fields[1])
      if (pid !== postmaster && ppid !== postmaster) continue
      ticks += Number(fields[11]) + Number(fields[12])
      if (pid === postmaster) ticks += Number(fields[13]) + Number(fields[14])
      switches += contextSwitches(pid) || 0
    }
    // USER_HZ, 100 on every Linux this runs on.
    return { cpuSeconds: ticks / 100, contextSwitches: switches }
  } catch {
    return { cpuSeconds: NaN, contextSwitches: NaN }
  }
}
