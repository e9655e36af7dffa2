import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { benchFuzz } from './fuzz'
import { benchImport } from './import'
import { benchKills } from './kills'
import { benchKpis } from './kpis'
import { benchSync } from './sync'
import { benchWrites } from './writes'

/**
 * `npm run bench`: prints the figures the issues ask for. How long the app takes from
 * `node server/index.ts` to its first page, on a new embedded database (initdb, migrations, demo
 * seed) and on an existing one; the historical import of 100,000 audits (bench/import.ts); and co-auditing under load against the
 * in-memory @y/websocket-server baseline (bench/sync.ts) and what storing one edit costs (bench/writes.ts); the longer fuzz run (bench/fuzz.ts); kill cycles (bench/kills.ts); and the KPI page's reads on 1,000,000 audits
 * (bench/kpis.ts). Needs `npm run build` first (npm start and npm test do it).
 */
async function timeToFirstPage(dataDir: string, pgPort: number): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  try {
    for (;;) {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
      if (url) {
        const response = await fetch(`${url}/login`)
        if (response.status !== 200) throw new Error(`first page answered ${response.status}`)
        await response.text()
        return performance.now() - started
      }
      if (child.exitCode !== null) throw new Error(`server exited:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    child.kill('SIGINT')
    await exited
  }
}

const RUNS = 3
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-bench-'))
fs.chmodSync(root, 0o755)
try {
  const cold: number[] = []
  const warm: number[] = []
  for (let run = 0; run < RUNS; run += 1) {
    const dataDir = path.join(root, `pg-${run}`)
    const port = 56000 + run
    cold.push(await timeToFirstPage(dataDir, port))
    warm.push(await timeToFirstPage(dataDir, port))
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
  console.log(
    'Start-up to the first page served (median of %d runs, %d cores)',
    RUNS,
    os.cpus().length,
  )
  console.log(`  new embedded database (initdb, migrate, seed): ${median(cold).toFixed(0)} ms`)
  console.log(`  existing embedded database:                    ${median(warm).toFixed(0)} ms`)
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}

await benchImport()
await benchSync()
await benchWrites()
await benchFuzz()
await benchKills()
await benchKpis()
