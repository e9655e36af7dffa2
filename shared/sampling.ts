/**
 * A reproducible random sample of case files for a monthly audit cycle: the same cases, seed and
 * settings always draw the same sample, so a lead (or an inspector) can show how it was chosen.
 */

/** Months from cycle `a` to cycle `b` (`YYYY-MM`): 2026-02 → 2026-05 is 3; negative when b is earlier. */
export function monthsBetween(a: string, b: string): number {
  return monthIndex(b) - monthIndex(a)
}

function monthIndex(cycle: string): number {
  const year = Number(cycle.slice(0, 4))
  const month = Number(cycle.slice(5, 7))
  if (!/^\d{4}-\d{2}$/.test(cycle) || month < 1 || month > 12) {
    throw new Error(`"${cycle}" is not a cycle (YYYY-MM)`)
  }
  return year * 12 + month - 1
}

/** A short random seed for a new draw, such as `k3x9q2m1f7`; shown to the lead and kept with the plan. */
export function newSeed(): string {
  const words = globalThis.crypto.getRandomValues(new Uint32Array(2))
  return Array.from(words, (w) => w.toString(36).padStart(7, '0'))
    .join('')
    .slice(0, 10)
}

/** xmur3: spreads a string over a 32-bit seed, so similar seeds give unrelated draws. */
function hashSeed(text: string): number {
  let h = 1779033703 ^ text.length
  for (let i = 0; i < text.length; i += 1) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507)
  h = Math.imul(h ^ (h >>> 13), 3266489909)
  return (h ^ (h >>> 16)) >>> 0
}

/** mulberry32: a small, fast generator of floats in [0, 1); plenty for choosing case files. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function byCodeUnits(a: string, b: string): number {
  // Not localeCompare: the order, and so the draw, must not depend on the machine's locale.
  return a < b ? -1 : a > b ? 1 : 0
}

export type SampleCase = {
  id: string
  teamId: string
  serviceCode: string
  /** The latest cycle of any audit of the case that was not cancelled. */
  lastAuditedCycle: string | null
}

export type SampleParams = {
  cases: readonly SampleCase[]
  /** Teams to draw from; empty = every team that holds a case. */
  teamIds: readonly string[]
  /** Services to draw from; empty = all. */
  serviceCodes: readonly string[]
  perTeam: number
  /** The `YYYY-MM` cycle being planned. */
  cycle: string
  /** A case audited in the cycle or the N months before it is left out; 0 leaves none out. */
  excludeAuditedWithinMonths: number
  seed: string
}

export type Sample = {
  /** Case ids, team by team. */
  selected: string[]
  /** Teams with fewer eligible cases than asked for. */
  shortfalls: { teamId: string; wanted: number; available: number }[]
}

export function drawSample(params: SampleParams): Sample {
  const perTeam = Math.max(0, Math.floor(params.perTeam))
  const months = Math.max(0, Math.floor(params.excludeAuditedWithinMonths))
  const wantedTeams = new Set(params.teamIds)
  const wantedServices = new Set(params.serviceCodes)
  const planned = monthIndex(params.cycle)

  // A case already audited in a later cycle (or scheduled for one) is left out too: auditing it
  // now as well would spend an auditor on a file that is about to be, or has been, looked at.
  const eligible = (c: SampleCase) =>
    months === 0 || c.lastAuditedCycle === null || planned - monthIndex(c.lastAuditedCycle) > months

  const byTeam = new Map<string, SampleCase[]>()
  for (const team of params.teamIds) byTeam.set(team, [])
  const cases = params.cases
    .filter((c) => wantedTeams.size === 0 || wantedTeams.has(c.teamId))
    .filter((c) => wantedServices.size === 0 || wantedServices.has(c.serviceCode))
    .sort((a, b) => byCodeUnits(a.id, b.id))
  for (const c of cases) {
    const list = byTeam.get(c.teamId)
    if (list) list.push(c)
    else byTeam.set(c.teamId, [c])
  }

  const selected: string[] = []
  const shortfalls: Sample['shortfalls'] = []
  for (const teamId of [...byTeam.keys()].sort(byCodeUnits)) {
    const pool = (byTeam.get(teamId) ?? []).filter(eligible)
    // Each team has its own stream, so one team's cases never change another team's draw.
    const random = mulberry32(hashSeed(`${params.seed}\u0000${teamId}`))
    const take = Math.min(perTeam, pool.length)
    // Fisher–Yates, stopped once the first `take` places are filled.
    for (let i = 0; i < take; i += 1) {
      const j = i + Math.floor(random() * (pool.length - i))
      const picked = pool[j]!
      pool[j] = pool[i]!
      pool[i] = picked
      selected.push(picked.id)
    }
    if (pool.length < perTeam) {
      shortfalls.push({ teamId, wanted: perTeam, available: pool.length })
    }
  }
  return { selected, shortfalls }
}
