/**
 * How long a page waits before its next attempt to reconnect to the sync server: exponential backoff
 * with "full jitter" (the whole wait is drawn at random below a ceiling that doubles per attempt).
 * After a server restart every open audit loses its connection at the same moment; drawing the whole
 * wait spreads their return over the window instead of bringing them back in waves.
 */

export type BackoffOptions = {
  /** The ceiling of the first attempt's wait; it doubles with each failed attempt. */
  baseMs?: number
  /** The ceiling never grows past this, however long the server has been gone. */
  capMs?: number
  /** Never wait less than this, so a page whose attempts fail at once does not hammer the server. */
  floorMs?: number
}

export const RECONNECT_BASE_MS = 250
export const RECONNECT_CAP_MS = 10_000
export const RECONNECT_FLOOR_MS = 100

/**
 * The wait in whole milliseconds before reconnection attempt `attempt` (0 for the first after a
 * connection was lost): drawn by `random` (a source of floats in [0, 1), such as `Math.random`) from
 * [floor, min(cap, base × 2^attempt)).
 */
export function reconnectDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const base = options.baseMs ?? RECONNECT_BASE_MS
  const cap = options.capMs ?? RECONNECT_CAP_MS
  const floor = Math.min(options.floorMs ?? RECONNECT_FLOOR_MS, cap)
  // A count that is not a count (negative, NaN) is read as the first attempt; a huge one makes
  // 2^n Infinity, which the cap takes care of.
  const n = attempt > 0 ? Math.floor(attempt) : 0
  const ceiling = Math.max(floor, Math.min(cap, base * 2 ** n))
  // Clamped, so that a source that strays outside [0, 1) (or gives NaN) still stays in bounds.
  const drawn = random()
  const r = drawn > 0 ? Math.min(drawn, 1 - Number.EPSILON) : 0
  return Math.floor(floor + r * (ceiling - floor))
}
