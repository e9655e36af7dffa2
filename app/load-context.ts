import type { Db } from '../db/client'

/** What the server hands every loader and action (server/app.ts, getLoadContext). */
declare module '@remix-run/node' {
  interface AppLoadContext {
    db: Db
    cspNonce: string
    clientAddress: string
    settings: {
      idleTimeoutSeconds: number
      idleWarningSeconds: number
      loginMaxFailures: number
      loginPauseMinutes: number
      loginMaxFailuresPerAddress: number
    }
  }
}

export {}
