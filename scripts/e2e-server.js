// Starts the server for the end-to-end tests on a fresh embedded database, so every run begins
// from the demo data alone.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const dataDir = path.resolve(process.env.EMBEDDED_PG_DIR ?? '.data/e2e-postgres')
const pidFile = path.join(dataDir, 'postmaster.pid')
if (fs.existsSync(pidFile)) {
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
fs.rmSync(dataDir, { recursive: true, force: true })
fs.rmSync(`${dataDir}.password`, { force: true })

const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
