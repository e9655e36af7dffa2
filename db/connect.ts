import path from 'node:path'
import { splitSocket } from './client'
import type { DatabaseConfig } from './config'
import { startEmbeddedPostgres } from './embedded-postgres'

export type DatabaseLocation = {
  url: string
  /** Where it is, for the start-up message: never the password. */
  description: string
  stop: () => Promise<void>
}

const APP_DATABASE = 'case_file_audit'

/** DATABASE_URL when it is set; otherwise the embedded PostgreSQL, started on its own port. */
export async function locateDatabase(
  config: DatabaseConfig,
  log: (line: string) => void = () => {},
): Promise<DatabaseLocation> {
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL)
    return {
      url: config.DATABASE_URL,
      description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL)`,
      stop: async () => {},
    }
  }
  const dataDir = path.resolve(config.EMBEDDED_PG_DIR)
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: config.EMBEDDED_PG_PORT,
    database: APP_DATABASE,
    log,
  })
  return {
    url: embedded.url,
    description: `embedded PostgreSQL at 127.0.0.1:${config.EMBEDDED_PG_PORT}/${APP_DATABASE}${splitSocket(embedded.url).socketPath ? ', reached through its Unix socket' : ''} (data in ${path.relative(process.cwd(), dataDir) || dataDir})`,
    stop: embedded.stop,
  }
}
