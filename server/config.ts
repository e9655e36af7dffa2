import path from 'node:path'
import { z } from 'zod'
import { ConfigError, DatabaseConfigSchema, parseEnv } from '../db/config'

export { ConfigError }

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')

/** Every variable the server reads, validated once at start-up; `.env.example` documents each. */
export const ConfigSchema = DatabaseConfigSchema.extend({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  SEED_DEMO_DATA: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 60),
  SESSION_IDLE_WARNING_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .default(2 * 60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_PAUSE_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  TRUST_PROXY: booleanFlag.default(false),
  // How often the sessions behind open websockets are swept in one statement (an idle session's
  // connection closes within this time). Access changes are announced by PostgreSQL and act at once.
  SYNC_ACCESS_RECHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  // How long the access trail keeps an entry (seven years by default); a daily job removes older
  // ones and records that it did.
  ACCESS_TRAIL_RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(2_557),
  // How long a finished audit (submitted, moderated or cancelled) is kept, in years; the same job
  // removes older ones with all that is kept of them, and records how many. Unset: kept for ever
  // (a council's own retention schedule decides; imported history can be years old).
  AUDIT_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).optional(),
})
export type Config = z.infer<typeof ConfigSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseEnv(ConfigSchema, env)
  if (config.SESSION_IDLE_WARNING_SECONDS >= config.SESSION_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_IDLE_WARNING_SECONDS: must be less than SESSION_IDLE_TIMEOUT_SECONDS',
    )
  }
  // An open audit page keeps its session alive by the sweep, which writes a mark once it is older
  // than a quarter of the timeout at most: a sweep every half of it keeps every mark in time.
  if (config.SYNC_ACCESS_RECHECK_SECONDS * 2 > config.SESSION_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigError(
      'Invalid configuration:\n  SYNC_ACCESS_RECHECK_SECONDS: must be at most half of SESSION_IDLE_TIMEOUT_SECONDS',
    )
  }
  return { ...config, EMBEDDED_PG_DIR: path.resolve(config.EMBEDDED_PG_DIR) }
}
