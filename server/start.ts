import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { APP_ROLE, openDatabase } from '../db/client'
import { startRetention } from './retention'
import { locateDatabase } from '../db/connect'
import { migrateDatabase } from '../db/migrate'
import { countCouncils } from '../db/queries/organisation'
import { seedDemoData } from '../db/seed'
import { createApp } from './app'
import { createSyncServer } from './sync/sync-server'
import type { Config } from './config'
import type { Logger } from './logger'

const BUILD_PATH = path.resolve('build/index.js')
const SHUTDOWN_GRACE_MS = 10_000

export class StartupError extends Error {}

export type RunningServer = {
  port: number
  url: string
  close: () => Promise<void>
}

async function loadBuild(): Promise<ServerBuild> {
  try {
    return (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild
  } catch (error) {
    throw new StartupError(
      `Could not load the Remix build at ${BUILD_PATH} (${(error as Error).message}). Run \`npm run build\` first; \`npm start\` does.`,
    )
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new StartupError(
            `Port ${port} is already in use. Stop what uses it, or set PORT to another port.`,
          ),
        )
      } else if (error.code === 'EACCES') {
        reject(
          new StartupError(`Not allowed to listen on port ${port}. Set PORT to a port above 1023.`),
        )
      } else reject(error)
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/**
 * Brings the whole app up: database (embedded unless DATABASE_URL), migrations, demo data into an
 * empty database, Express with Remix, and the HTTP server. `close` takes it all down in reverse.
 */
export async function startServer(
  config: Config,
  logger: Logger,
): Promise<RunningServer & { database: string }> {
  const build = await loadBuild()
  const database = await locateDatabase(config, (line) => logger.debug({ postgres: line }))
  let handle: ReturnType<typeof openDatabase> | undefined
  try {
    await migrateDatabase(database.url).catch((error: unknown) => {
      throw new StartupError(
        `Could not migrate ${database.description}: ${error instanceof Error ? error.message : String(error)}`,
      )
    })
    handle = openDatabase(database.url, { role: APP_ROLE })
    if (config.SEED_DEMO_DATA && (await countCouncils(handle.db)) === 0) {
      await seedDemoData(handle.db)
      logger.info('Seeded demo data into the empty database')
    }
    const sync = createSyncServer({
      db: handle.db,
      logger,
      idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
      recheckAccessMs: config.SYNC_ACCESS_RECHECK_SECONDS * 1000,
      trustProxy: config.TRUST_PROXY,
    })
    const retention = startRetention({
      db: handle.db,
      logger,
      settings: {
        trailDays: config.ACCESS_TRAIL_RETENTION_DAYS,
        auditYears: config.AUDIT_RETENTION_YEARS,
      },
    })
    const app = createApp({ config, db: handle.db, logger, build, realtime: sync })
    const server = http.createServer(app)
    server.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
    const port = await listen(server, config.PORT, config.HOST)
    const db = handle
    let closing: Promise<void> | undefined
    const close = () => {
      closing ??= (async () => {
        // Live documents first: every accepted edit is stored before the database goes.
        await sync.close()
        await retention.stop()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
        await closed
        clearTimeout(timer)
        await db.close()
        await database.stop()
      })()
      return closing
    }
    const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST
    return { port, url: `http://${host}:${port}`, close, database: database.description }
  } catch (error) {
    await handle?.close()
    await database.stop()
    throw error
  }
}
