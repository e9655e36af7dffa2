import { describe, expect, it } from 'vitest'
import { seededRandom } from '../test/seeded-random'
import { reconnectDelay, RECONNECT_BASE_MS, RECONNECT_CAP_MS, RECONNECT_FLOOR_MS } from './backoff'

/** The largest float below 1, the most `Math.random` ever returns. */
const ALMOST_ONE = 1 - Number.EPSILON

describe('reconnectDelay', () => {
  it('draws the first attempt from [floor, base): never at once, never longer than the base', () => {
    expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_FLOOR_MS)
    expect(reconnectDelay(0, () => ALMOST_ONE)).toBe(RECONNECT_BASE_MS - 1)
    expect(reconnectDelay(0, () => 0.5)).toBe(
      Math.floor(RECONNECT_FLOOR_MS + 0.5 * (RECONNECT_BASE_MS - RECONNECT_FLOOR_MS)),
    )
  })

  it('stays within [floor, min(cap, base × 2^attempt)) for every attempt and draw', () => {
    const random = seededRandom(20260401)
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt)
      for (let i = 0; i < 200; i += 1) {
        const delay = reconnectDelay(attempt, random)
        expect(delay).toBeGreaterThanOrEqual(RECONNECT_FLOOR_MS)
        expect(delay).toBeLessThan(ceiling)
        expect(Number.isInteger(delay)).toBe(true)
      }
    }
  })

  it('doubles the ceiling with each attempt until the cap', () => {
    const longest = (attempt: number) => reconnectDelay(attempt, () => ALMOST_ONE) + 1
    expect([0, 1, 2, 3, 4, 5].map(longest)).toEqual([250, 500, 1000, 2000, 4000, 8000])
    expect(longest(6)).toBe(RECONNECT_CAP_MS)
    expect(longest(7)).toBe(RECONNECT_CAP_MS)
    expect(longest(1_000)).toBe(RECONNECT_CAP_MS)
    expect(longest(Number.POSITIVE_INFINITY)).toBe(RECONNECT_CAP_MS)
  })

  it('draws the whole wait at random (full jitter), so clients that lost the server together spread out', () => {
    expect(reconnectDelay(6, () => 0.1)).not.toBe(reconnectDelay(6, () => 0.9))
    expect(reconnectDelay(6, () => 0.1)).toBeLessThan(reconnectDelay(6, () => 0.9))
    // A thousand pages reconnecting after a restart: their waits cover the window, not one instant.
    const random = seededRandom(7)
    const waits = Array.from({ length: 1_000 }, () => reconnectDelay(6, random))
    expect(new Set(waits).size).toBeGreaterThan(900)
    const early = waits.filter((w) => w < RECONNECT_CAP_MS / 2).length
    expect(early).toBeGreaterThan(400)
    expect(early).toBeLessThan(600)
  })

  it('takes its base, cap and floor from the options', () => {
    const options = { baseMs: 1_000, capMs: 3_000, floorMs: 0 }
    expect(reconnectDelay(0, () => 0, options)).toBe(0)
    expect(reconnectDelay(0, () => ALMOST_ONE, options)).toBe(999)
    expect(reconnectDelay(1, () => ALMOST_ONE, options)).toBe(1_999)
    expect(reconnectDelay(5, () => ALMOST_ONE, options)).toBe(2_999)
    // A floor above the ceiling wins: never sooner than the floor.
    expect(reconnectDelay(0, () => ALMOST_ONE, { baseMs: 50, floorMs: 100 })).toBe(100)
  })

  it('reads a nonsense attempt as the first, and a random source out of bounds as its nearest bound', () => {
    for (const attempt of [-1, Number.NaN, 0.5]) {
      expect(reconnectDelay(attempt, () => ALMOST_ONE)).toBe(RECONNECT_BASE_MS - 1)
    }
    expect(reconnectDelay(3, () => 1)).toBe(1_999)
    expect(reconnectDelay(3, () => 7)).toBe(1_999)
    expect(reconnectDelay(3, () => -1)).toBe(RECONNECT_FLOOR_MS)
    expect(reconnectDelay(3, () => Number.NaN)).toBe(RECONNECT_FLOOR_MS)
  })
})
