import { readConfig } from '../../server/config'
import { createLogger, type Logger } from '../../server/logger'
import { startServer, type RunningServer } from '../../server/start'

/**
 * The real app (pages and sync server) on a port of its own, on the given database, as the tests
 * start it: loopback only, test settings, quiet unless TEST_LOG_LEVEL says otherwise. `env` adds or
 * overrides settings (PORT, to start again where editors reconnect). Its pages are at `url`.
 */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  logger: Logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
): Promise<RunningServer> {
  const config = readConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    ...env,
  })
  return startServer(config, logger)
}
