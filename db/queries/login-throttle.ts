import { inArray, sql } from 'drizzle-orm'
import type { Queryable } from '../client'
import { loginThrottle } from '../schema/index'

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`
}

export function addressKey(address: string): string {
  return `address:${address}`
}

/** The latest time until which any of these keys is paused, or undefined when none is. */
export async function getLoginPause(db: Queryable, keys: string[]): Promise<Date | undefined> {
  const rows = await db
    .select({ until: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(sql`${inArray(loginThrottle.key, keys)} and ${loginThrottle.lockedUntil} > now()`)
  const times = rows.flatMap((row) => (row.until ? [row.until.getTime()] : []))
  return times.length > 0 ? new Date(Math.max(...times)) : undefined
}

/**
 * Counts one failure against a key, starting the count afresh once an earlier pause or counting
 * window has passed, and pauses the key when the count reaches `maxFailures`.
 */
export async function recordLoginFailure(
  db: Queryable,
  params: { key: string; maxFailures: number; pauseMinutes: number },
): Promise<void> {
  const stale = sql`(login_throttle.locked_until is not null and login_throttle.locked_until <= now())
    or login_throttle.window_started_at <= now() - make_interval(mins => ${params.pauseMinutes})`
  await db
    .insert(loginThrottle)
    .values({
      key: params.key,
      failures: 1,
      lockedUntil:
        params.maxFailures <= 1 ? sql`now() + make_interval(mins => ${params.pauseMinutes})` : null,
    })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${stale} then 1 else login_throttle.failures + 1 end`,
        windowStartedAt: sql`case when ${stale} then now() else login_throttle.window_started_at end`,
        lockedUntil: sql`case
          when (case when ${stale} then 1 else login_throttle.failures + 1 end) >= ${params.maxFailures}
          then now() + make_interval(mins => ${params.pauseMinutes})
          else null end`,
      },
    })
}

export async function clearLoginFailures(db: Queryable, key: string): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [key]))
}
