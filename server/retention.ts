import type { Db } from '../db/client'
import { expireAccessEvents } from '../db/queries/access'
import { expireAudits } from '../db/queries/retention'
import { councils } from '../db/schema/index'
import type { Logger } from './logger'

const DAY_MS = 24 * 60 * 60 * 1000

/** `auditYears` undefined: audits are kept for ever. */
export type RetentionSettings = { trailDays: number; auditYears: number | undefined }

/**
 * One pass over every council: audits finished longer ago than their period go, then access trail
 * entries older than theirs. Each removal is recorded in the trail.
 */
export async function expireEverything(db: Db, settings: RetentionSettings) {
  let audits = 0
  let entries = 0
  for (const council of await db.select({ id: councils.id }).from(councils)) {
    if (settings.auditYears !== undefined) {
      audits += await expireAudits(db, { councilId: council.id, keepYears: settings.auditYears })
    }
    entries += await expireAccessEvents(db, {
      councilId: council.id,
      keepDays: settings.trailDays,
    })
  }
  return { audits, entries }
}

/** Runs the retention pass at start and then daily; a failed pass is logged and tried the next day. */
export function startRetention(params: { db: Db; logger: Logger; settings: RetentionSettings }) {
  const run = () =>
    expireEverything(params.db, params.settings)
      .then((removed) => {
        if (removed.audits > 0 || removed.entries > 0) {
          params.logger.info(removed, 'expired audits and access trail entries removed')
        }
      })
      .catch((error: unknown) => params.logger.warn({ err: error }, 'retention pass failed'))
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
