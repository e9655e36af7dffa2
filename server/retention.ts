import type { Db } from '../db/client'
import { expireAccessEvents } from '../db/queries/access'
import { councils } from '../db/schema/index'
import type { Logger } from './logger'

const DAY_MS = 24 * 60 * 60 * 1000

/** One pass: every council's access trail loses what is older than `keepDays` (each removal recorded). */
export async function expireAccessTrail(db: Db, keepDays: number): Promise<number> {
  let removed = 0
  for (const council of await db.select({ id: councils.id }).from(councils)) {
    removed += await expireAccessEvents(db, { councilId: council.id, keepDays })
  }
  return removed
}

/** Runs the retention pass at start and then daily; a failed pass is logged and tried the next day. */
export function startRetention(params: { db: Db; logger: Logger; keepDays: number }) {
  const run = () =>
    expireAccessTrail(params.db, params.keepDays)
      .then((removed) => {
        if (removed > 0) params.logger.info({ removed }, 'expired access trail entries removed')
      })
      .catch((error: unknown) =>
        params.logger.warn({ err: error }, 'access trail retention failed'),
      )
  const first = run()
  const timer = setInterval(() => void run(), DAY_MS)
  timer.unref()
  return {
    async stop(): Promise<void> {
      clearInterval(timer)
      await first
    },
  }
}
