import fs from 'node:fs'

/**
 * What Linux's /proc tells of a process and of the machine, for the benchmarks' figures of what
 * else was going on in a run. NaN where there is no /proc.
 */

/**
 * How often a process's main thread went to sleep and was woken again (voluntary context
 * switches), or was taken off a core (involuntary): each wake-up is a chance for a busy machine to
 * be late.
 */
export function contextSwitches(pid: number | 'self' = 'self'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    return [...status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    )
  } catch {
    return NaN
  }
}

/**
 * The machine's CPU time in clock ticks: all of it, and what its hypervisor gave to others while
 * this machine's CPUs were waiting to run (`steal`).
 */
export function machineTicks(): { steal: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const fields = line.trim().split(/\s+/).slice(1).map(Number)
    return { steal: fields[7] ?? NaN, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) }
  } catch {
    return { steal: NaN, total: NaN }
  }
}
