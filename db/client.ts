import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema/index'

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql }
/** A transaction handle has the same query API; queries take either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type Queryable = Db | Tx

export type DbHandle = { db: Db; sql: postgres.Sql; close: () => Promise<void> }

const POOL_SIZE = 10
/**
 * The database role the application runs as (created by migration 0012): it may read and write what
 * the product keeps, but may only insert into and read the access trail. Migrations and the
 * command-line tools run as the login role itself.
 */
export const APP_ROLE = 'case_audit_app'
const CONNECT_TIMEOUT_S = 5

/** One pool per process, made once at start-up and passed to everything that needs it. */
export function openDatabase(
  url: string,
  options: { max?: number; role?: typeof APP_ROLE } = {},
): DbHandle {
  const { url: address, socketPath } = splitSocket(url)
  const sql = postgres(address, {
    ...(socketPath ? { path: socketPath } : {}),
    // Set at connection start-up, as `SET ROLE` would be: every statement has the role's rights.
    ...(options.role ? { connection: { role: options.role } } : {}),
    max: options.max ?? POOL_SIZE,
    connect_timeout: CONNECT_TIMEOUT_S,
    onnotice: () => {},
  })
  const db = drizzle(sql, { schema })
  return { db, sql, close: () => sql.end({ timeout: 5 }) }
}

/**
 * libpq's way of naming a Unix socket, `?host=/its/directory` (postgres.js reads only `path`). A
 * database on the same machine is cheaper to talk to through its socket than through loopback TCP.
 */
export function splitSocket(url: string): { url: string; socketPath?: string } {
  const parsed = new URL(url)
  const directory = parsed.searchParams.get('host')
  if (!directory?.startsWith('/')) return { url }
  parsed.searchParams.delete('host')
  const port = parsed.port || '5432'
  return { url: parsed.toString(), socketPath: `${directory}/.s.PGSQL.${port}` }
}
