import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../db/embedded-postgres'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'

// The real entry point, as `npm start` runs it, in a process of its own.
type Started = {
  child: ChildProcessWithoutNullStreams
  output: () => string
  exited: Promise<number | null>
}

function startEntry(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

async function waitForListening(started: Started): Promise<string> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(started.output())
    if (match?.[1]) return match[1]
    if (started.child.exitCode !== null) throw new Error(`exited early:\n${started.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`never listened:\n${started.output()}`)
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid')
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('npm start', () => {
  it('refuses a malformed DATABASE_URL, naming it', async () => {
    const started = startEntry({ DATABASE_URL: 'not-a-url' })
    expect(await started.exited).toBe(1)
    expect(started.output()).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL')
  })

  it('refuses a DATABASE_URL it cannot reach, saying which', async () => {
    const started = startEntry({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' })
    expect(await started.exited).toBe(1)
    expect(started.output()).toContain('PostgreSQL at 127.0.0.1:1/nothing (DATABASE_URL)')
  })

  it('says clearly when the port is in use', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const started = startEntry({ DATABASE_URL: database.url, PORT: String(port) })
      expect(await started.exited).toBe(1)
      expect(started.output()).toContain(`Port ${port} is already in use`)
    } finally {
      blocker.close()
    }
  })

  it('runs on its embedded PostgreSQL, survives a kill -9 of an earlier run, and stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-entry-'))
    fs.chmodSync(dataDir, 0o755)
    const env = {
      EMBEDDED_PG_DIR: path.join(dataDir, 'postgres'),
      // A port free now: one drawn at random in 55000-55999 was once some connection's own.
      EMBEDDED_PG_PORT: String(await findFreePort()),
      PORT: '0',
    }
    try {
      const first = startEntry(env)
      const url = await waitForListening(first)
      expect(first.output()).toContain(
        `Database: embedded PostgreSQL at 127.0.0.1:${env.EMBEDDED_PG_PORT}/case_file_audit, reached through its Unix socket`,
      )
      expect(
        fs.existsSync(path.join(env.EMBEDDED_PG_DIR, `.s.PGSQL.${env.EMBEDDED_PG_PORT}`)),
      ).toBe(true)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)

      // kill -9 leaves the embedded PostgreSQL running, holding the data folder.
      first.child.kill('SIGKILL')
      await first.exited
      const orphan = postmasterPid(env.EMBEDDED_PG_DIR)
      expect(orphan && alive(orphan)).toBe(true)

      const second = startEntry(env)
      const secondUrl = await waitForListening(second)
      expect((await fetch(`${secondUrl}/healthz`)).status).toBe(200)
      // The demo data from the first run is still there, and was not seeded twice.
      expect(second.output()).not.toContain('Seeded demo data')
      const running = postmasterPid(env.EMBEDDED_PG_DIR)

      second.child.kill('SIGINT')
      expect(await second.exited).toBe(0)
      expect(running && alive(running)).toBe(false)
      expect(postmasterPid(env.EMBEDDED_PG_DIR)).toBeUndefined()
    } finally {
      const pid = postmasterPid(env.EMBEDDED_PG_DIR)
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})
