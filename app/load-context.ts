import type { Db } from '../db/client'

/** What the server hands every loader and action (server/app.ts, getLoadContext). */
declare module '@remix-run/node' {
  interface AppLoadContext {
    db: Db
    cspNonce: string
    clientAddress: string
    /** The sync server's hold on live documents (server/sync), for submission. */
    realtime: {
      freezeAudit: (auditId: string) => Promise<void>
      unfreezeAudit: (auditId: string) => void
      auditSubmitted: (auditId: string) => void
    }
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
