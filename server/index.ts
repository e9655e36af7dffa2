import { ConfigError, readConfig } from './config'
import { EmbeddedPostgresError } from '../db/embedded-postgres'
import { createLogger } from './logger'
import { startServer, StartupError } from './start'

// The Node entry: configuration, then the app, then signals. See server/start.ts for the order of parts.
let config
try {
  config = readConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const logger = createLogger(config.LOG_LEVEL)

let running
try {
  running = await startServer(config, logger)
} catch (error) {
  if (error instanceof StartupError || error instanceof EmbeddedPostgresError) {
    console.error(error.message)
  } else {
    console.error('The app could not start:', error instanceof Error ? error.message : error)
  }
  process.exit(1)
}

logger.info({ url: running.url, database: running.database }, 'listening')
console.log(`Case file audit is listening on ${running.url}`)
console.log(`Database: ${running.database}`)

const server = running
// A second signal soon after the first is the same Ctrl-C relayed by npm; one later means "now".
const REPEAT_SIGNAL_GRACE_MS = 2_000
let firstSignalAt: number | undefined
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < REPEAT_SIGNAL_GRACE_MS) return
      console.error('Stopping now.')
      process.exit(1)
    }
    firstSignalAt = Date.now()
    console.log('Shutting down: finishing requests, then stopping the database…')
    server
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error('Shutdown failed:', error)
        process.exit(1)
      })
  })
}
