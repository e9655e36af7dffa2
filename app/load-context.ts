import type { Db } from '../db/client'

export type LiveKind = 'audit' | 'moderation'

/** What the server hands every loader and action (server/app.ts, getLoadContext). */
declare module '@remix-run/node' {
  interface AppLoadContext {
    db: Db
    cspNonce: string
    clientAddress: string
    /**
     * The sync server's hold on an audit's live documents (server/sync): the audit form's
     * (`audit`) or the moderation workspace's (`moderation`). Submission and the moderator's
     * decision freeze them, read what is stored, and close them for good.
     */
    realtime: {
      freeze: (kind: LiveKind, auditId: string) => Promise<void>
      unfreeze: (kind: LiveKind, auditId: string) => void
      closeForGood: (kind: LiveKind, auditId: string) => void
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
