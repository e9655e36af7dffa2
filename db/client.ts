import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema/index'

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql }
/** A transaction handle has the same query API; queries take either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type Queryable = Db | Tx

export type DbHandle = { db: Db; sql: postgres.Sql; close: () => Promise<void> }

const POOL_SIZE = 10
const CONNECT_TIMEOUT_S = 5

/** One pool per process, made once at start-up and passed to everything that needs it. */
export function openDatabase(url: string, options: { max?: number } = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? POOL_SIZE,
    connect_timeout: CONNECT_TIMEOUT_S,
    onnotice: () => {},
  })
  const db = drizzle(sql, { schema })
  return { db, sql, close: () => sql.end({ timeout: 5 }) }
}
