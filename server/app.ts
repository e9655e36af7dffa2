import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { sql } from 'drizzle-orm'
import express from 'express'
import { pinoHttp } from 'pino-http'
import type { Db } from '../db/client'
import type { Config } from './config'
import type { Logger } from './logger'
import {
  cspNonce,
  limitRequestBodies,
  noStoreForPages,
  sameOriginWrites,
  securityHeaders,
} from './security'

const HEALTH_TIMEOUT_MS = 2_000
const PUBLIC_DIR = path.resolve('public')

export function createApp(params: {
  config: Config
  db: Db
  logger: Logger
  build: ServerBuild
  realtime: AppLoadContext['realtime']
}) {
  const { config, db, logger, build, realtime } = params
  const app = express()

  // Behind a load balancer the client's address and scheme come from X-Forwarded-* headers.
  app.set('trust proxy', config.TRUST_PROXY)
  app.disable('x-powered-by')

  // A request id on every log line and response, so a user's report can be traced.
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = randomUUID()
        res.setHeader('X-Request-Id', id)
        return id
      },
      // Path only: query strings can carry identifiers, and headers carry cookies.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url?.startsWith('/build/') ?? false },
    }),
  )

  app.use(cspNonce())
  app.use(securityHeaders())

  // Load balancers ask this; it answers 503 when the database does not.
  app.get('/healthz', async (_req, res) => {
    try {
      await Promise.race([
        db.execute(sql`select 1`),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS),
        ),
      ])
      res.status(200).json({ status: 'ok', database: 'up' })
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'down' })
    }
  })

  // Fingerprinted build output never changes under its name; the rest may.
  app.use(
    '/build',
    express.static(path.join(PUBLIC_DIR, 'build'), { immutable: true, maxAge: '1y' }),
  )
  app.use(express.static(PUBLIC_DIR, { maxAge: '1h' }))

  app.use(sameOriginWrites())
  app.use(limitRequestBodies())
  app.use(noStoreForPages())

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.NODE_ENV,
      getLoadContext: (req, res) => ({
        db,
        cspNonce: String(res.locals.cspNonce),
        clientAddress: req.ip ?? 'unknown',
        realtime,
        settings: {
          idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
          idleWarningSeconds: config.SESSION_IDLE_WARNING_SECONDS,
          loginMaxFailures: config.LOGIN_MAX_FAILURES,
          loginPauseMinutes: config.LOGIN_PAUSE_MINUTES,
          loginMaxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        },
      }),
    }),
  )

  app.use(
    (error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      req.log.error({ err: error }, 'unhandled error')
      if (!res.headersSent) res.status(500).type('text/plain').send('Sorry, something went wrong.')
    },
  )

  return app
}
