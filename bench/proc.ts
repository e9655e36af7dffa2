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

export type ProcessUsage = { cpuSeconds: number; contextSwitches: number }

/**
 * What a process and its children have used so far: CPU seconds of the process, with the children
 * it has reaped, and of its live children; and the context switches of the process and its live
 * children (a reaped child's are not kept).
 */
export function processTreeUsage(parent: number): ProcessUsage {
  let ticks = 0
  let switches = 0
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // After the command name (in parentheses, which may hold spaces): state, ppid, ... utime is
    // the 14th field, stime the 15th, cutime and cstime the 16th and 17th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const pid = Number(entry)
    if (pid !== parent && Number(fields[1]) !== parent) continue
    ticks += Number(fields[11]) + Number(fields[12])
    if (pid === parent) ticks += Number(fields[13]) + Number(fields[14])
    switches += contextSwitches(pid) || 0
  }
  // USER_HZ, 100 on every Linux this runs on.
  return { cpuSeconds: ticks / 100, contextSwitches: switches }
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

/** The share of the machine's CPU time its hypervisor gave to others since `before`, in %. */
export function stolenPercentSince(before: { steal: number; total: number }): number {
  const now = machineTicks()
  return ((now.steal - before.steal) / (now.total - before.total)) * 100
}
