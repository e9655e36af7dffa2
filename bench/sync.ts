import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createCookie } from '@remix-run/node'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { openDatabase } from '../db/client'
import { withBenchDatabase, type BenchDatabase } from './database'
import { contextSwitches, machineTicks, stolenPercentSince, type ProcessUsage } from './proc'
import { planAudits } from '../db/queries/audits'
import { upsertCaseFiles } from '../db/queries/case-files'
import { createCouncilWithDefaults, createTeam, listTeams } from '../db/queries/organisation'
import { createSession } from '../db/queries/sessions'
import { listLatestTemplateVersions } from '../db/queries/templates'
import { caseFiles, users } from '../db/schema/index'
import { documentName } from '../shared/live-document'
import { decodeSaved, MESSAGE_SAVED, MESSAGE_SYNC } from '../shared/sync-protocol'
import { SESSION_COOKIE } from '../shared/session'
import { percentile } from './stats'

/**
 * Co-auditing under load: editors in groups of three per audit, 350 updates a second in total,
 * at several numbers of connected editors; propagation and acknowledgement latency, server CPU and
 * memory, and missed deliveries — for our server and for @y/websocket-server 0.1.1 in the same run.
 */
const LEVELS = (process.env.BENCH_SYNC_LEVELS ?? '30,150,510,1500').split(',').map(Number)
const UPDATES_PER_SECOND = Number(process.env.BENCH_SYNC_RATE ?? 350)
const LOAD_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 10)
const GROUP = 3
const SETTLE_MS = 2_000
/**
 * BENCH_SYNC_AGAINST=<another checkout, built, with its node_modules> adds its server as `before`,
 * taking turns with the other two: a change to the sync server measured against the code it
 * replaces in the same run, as the machine is too noisy for figures from different runs to compare.
 */
const AGAINST = process.env.BENCH_SYNC_AGAINST
/** BENCH_SYNC_TCP=1: our servers reach PostgreSQL through loopback TCP rather than its socket. */
const OVER_TCP = process.env.BENCH_SYNC_TCP === '1'
/**
 * BENCH_SYNC_PAIR=1 adds `pair`: two of our servers on the one database, each group's editors
 * split between them (editor i on server i mod 2), so that updates cross by the log.
 */
const PAIR = process.env.BENCH_SYNC_PAIR === '1'
/**
 * BENCH_SYNC_AGAIN=1 adds `again`: the baseline a second time, taking turns with the others. Its
 * ratio to the baseline is the benchmark's own noise: two runs of the same server, on this shared
 * machine, differ by this much.
 */
const AGAIN = process.env.BENCH_SYNC_AGAIN === '1'
/**
 * BENCH_SYNC_INTERLEAVE=<blocks> (40; 0 to take turns instead) measures each level with the servers
 * interleaved: all of them started together, each with its own editors connected, and the load sent to
 * one server at a time, in slices of BENCH_SYNC_SLICE_MS (500), one slice per server in each block,
 * in a random order (with BENCH_SYNC_PAIR, which needs turns, 0 unless set). The machine sees the same 350 updates a second throughout. A stall of the
 * host, which lasts from a fraction of a second to a few seconds, then falls on every server alike,
 * where runs taking turns (10 s each) caught it in one server's run and not the next. Each of the
 * BENCH_SYNC_RUNS rounds starts the servers afresh; the figures pool every round's deliveries, and
 * each ratio comes with a 95% bootstrap interval (rounds resampled, then blocks within them): the
 * range the ratio would likely fall in if the whole measurement were made again.
 */
const INTERLEAVE = Number(process.env.BENCH_SYNC_INTERLEAVE ?? (PAIR ? 0 : 40))
/** Rounds of the servers interleaved, or runs of each server taking turns. */
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? (INTERLEAVE > 0 ? 3 : 5))
const SLICE_MS = Number(process.env.BENCH_SYNC_SLICE_MS ?? 500)
const RESAMPLES = 1_000
type Mode = 'baseline' | 'again' | 'before' | 'ours' | 'pair'
const MODES: Mode[] = [
  'baseline',
  ...(AGAIN ? (['again'] as const) : []),
  ...(AGAINST ? (['before'] as const) : []),
  'ours',
  ...(PAIR ? (['pair'] as const) : []),
]

/** The servers that store what they are sent (the others keep it in memory). */
const durable = (mode: Mode) => mode === 'before' || mode === 'ours' || mode === 'pair'

type Editor = {
  index: number
  doc: Y.Doc
  socket: WebSocket
  synced: boolean
  /** Local update time by the clock value it brought this editor to, until acknowledged. */
  unacked: Map<number, number>
}

type Stats = {
  propagation: number[]
  /** With two servers: deliveries from an editor on the other server (through the log). */
  crossServer: number[]
  /** How many servers the editors are spread over (editor i on server i mod servers). */
  servers: number
  ack: number[]
  sent: number
  /** Deliveries due: for each update, the other editors of its audit who are connected. */
  expected: number
  delivered: number
  since: number
  /** The slice being sent (BENCH_SYNC_INTERLEAVE), and the slice of each latency above. */
  slice: number
  propagationSlice: number[]
  ackSlice: number[]
}

export function startTarget(
  mode: Mode,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const root = mode === 'before' && AGAINST ? path.resolve(AGAINST) : process.cwd()
  const target = mode === 'before' ? 'ours' : mode === 'again' ? 'baseline' : mode
  const child = fork(path.join(root, 'bench/sync-target.ts'), [target], {
    cwd: root,
    // BENCH_PROFILE=1 writes a CPU profile of each server under .data/profiles (for chrome://inspect).
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=.data/profiles'] : []),
    ],
    env: {
      ...process.env,
      ...env,
      BENCH_DATABASE_URL: OVER_TCP ? databaseUrl.replace(/\?host=.*$/, '') : databaseUrl,
    },
  })
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }))
    child.once('exit', (code) => reject(new Error(`target ${mode} exited with ${code}`)))
  })
}

/** Stops servers under test, each exiting normally (so that a --cpu-prof profile is written). */
async function stopTargets(children: ChildProcess[]): Promise<void> {
  for (const child of children) {
    // One that has exited already (it failed) would never say so again.
    if (child.exitCode !== null || child.signalCode !== null) continue
    child.kill('SIGINT')
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

export function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply: T) => resolve(reply))
    child.send(message)
  })
}

function connect(
  port: number,
  name: string,
  cookie: string | undefined,
  index: number,
  stats: Stats,
): Promise<Editor> {
  const doc = new Y.Doc()
  const headers: Record<string, string> = { origin: `http://127.0.0.1:${port}` }
  if (cookie) headers.cookie = cookie
  const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/${name}`, { headers })
  socket.binaryType = 'nodebuffer'
  const editor: Editor = { index, doc, socket, synced: false, unacked: new Map() }
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === socket) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    socket.send(encoding.toUint8Array(encoder))
  })
  const bench = doc.getMap<number>('bench')
  bench.observe((event) => {
    if (event.transaction.origin !== socket) return
    for (const key of event.keysChanged) {
      const value = bench.get(String(key))
      // Values from an earlier level (the documents persist in our server) are not this run's.
      if (typeof value === 'number' && value >= stats.since) {
        const latency = performance.now() - value
        stats.propagation.push(latency)
        stats.propagationSlice.push(stats.slice)
        const sender = Number(String(key).slice(1))
        if (sender % stats.servers !== index % stats.servers) stats.crossServer.push(latency)
        stats.delivered += 1
      }
    }
  })
  return new Promise((resolve, reject) => {
    socket.on('error', reject)
    socket.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeSyncStep1(encoder, doc)
      socket.send(encoding.toUint8Array(encoder))
    })
    socket.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      const type = decoding.readVarUint(decoder)
      if (type === MESSAGE_SYNC) {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, socket)
        if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder))
        if (syncType === syncProtocol.messageYjsSyncStep2 && !editor.synced) {
          editor.synced = true
          resolve(editor)
        }
      } else if (type === MESSAGE_SAVED) {
        const stored = decodeSaved(decoder).get(doc.clientID) ?? 0
        for (const [clock, at] of editor.unacked) {
          if (clock <= stored) {
            stats.ack.push(performance.now() - at)
            stats.ackSlice.push(stats.slice)
            editor.unacked.delete(clock)
          }
        }
      }
    })
  })
}

function emptyStats(servers: number): Stats {
  return {
    propagation: [],
    crossServer: [],
    servers,
    ack: [],
    sent: 0,
    expected: 0,
    delivered: 0,
    since: Infinity,
    slice: 0,
    propagationSlice: [],
    ackSlice: [],
  }
}

/** Connects editors 50 at a time, editor i to the server on ports[i mod ports]. */
async function connectInBatches(
  sessions: { cookie?: string; doc: string }[],
  ports: number[],
  stats: Stats,
): Promise<Editor[]> {
  const connected: Editor[] = []
  for (let i = 0; i < sessions.length; i += 50) {
    const batch = sessions.slice(i, i + 50)
    connected.push(
      ...(await Promise.all(
        batch.map((s, j) => connect(ports[(i + j) % ports.length]!, s.doc, s.cookie, i + j, stats)),
      )),
    )
  }
  return connected
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `due` (a `performance.now()` time), give or take the timer's millisecond. */
async function waitUntil(due: number): Promise<void> {
  const wait = due - performance.now()
  if (wait > 1) await sleep(wait)
}

/**
 * Warm-up, not measured: every editor edits once, at the benchmark's rate. An audit's first edit
 * starts it (scheduled to in progress: one more statement, once in its life), and in steady use
 * nearly every edit goes to an audit already started; the servers' code is compiled hot by then, too.
 */
async function warmUp(connected: Editor[]): Promise<void> {
  const started = performance.now()
  for (const [n, editor] of connected.entries()) {
    await waitUntil(started + (n * 1000) / UPDATES_PER_SECOND)
    // Older than `stats.since`: its deliveries are not counted, and it is not waiting for an ack.
    editor.doc.getMap('bench').set(`e${editor.index}`, performance.now())
  }
}

/** One measured edit: due to reach the other editors of its audit, and to be acknowledged. */
function edit(editor: Editor, stats: Stats, editors: number): void {
  const at = performance.now()
  editor.doc.getMap('bench').set(`e${editor.index}`, at)
  editor.unacked.set(Y.getState(editor.doc.store, editor.doc.clientID), at)
  stats.sent += 1
  // The last audit has fewer editors when the level is not a multiple of the group.
  const group = Math.floor(editor.index / GROUP)
  stats.expected += Math.min(GROUP, editors - group * GROUP) - 1
}

async function runLevel(
  ports: number[],
  editors: number,
  sessions: { cookie?: string; doc: string }[],
  children: ChildProcess[],
  transactions: () => Promise<number>,
  database: { usage: () => ProcessUsage },
) {
  const stats = emptyStats(ports.length)
  const connected = await connectInBatches(sessions.slice(0, editors), ports, stats)
  await warmUp(connected)
  await sleep(SETTLE_MS)
  await Promise.all(children.map((child) => ask(child, 'mark')))
  const transactionsBefore = await transactions()
  const databaseBefore = database.usage()
  const editorsSwitchesBefore = contextSwitches()
  const ticksBefore = machineTicks()
  // The editors' own process: every delivery they time waits for its event loop too, and it
  // shares the machine's cores with the server and the database.
  const editorsCpuBefore = process.cpuUsage()
  const editorsLoop = monitorEventLoopDelay({ resolution: 1 })
  editorsLoop.enable()
  const total = UPDATES_PER_SECOND * LOAD_SECONDS
  const started = performance.now()
  stats.since = started
  for (let n = 0; n < total; n += 1) {
    await waitUntil(started + (n * 1000) / UPDATES_PER_SECOND)
    edit(connected[n % connected.length]!, stats, editors)
  }
  await sleep(SETTLE_MS)
  const usages = await Promise.all(
    children.map((child) =>
      ask<{
        cpuPercent: number
        rssMb: number
        loopP99Ms?: number
        loopMaxMs?: number
        switches?: number
      }>(child, 'measure'),
    ),
  )
  const usage = {
    cpuPercent: usages.reduce((sum, u) => sum + u.cpuPercent, 0),
    rssMb: usages.reduce((sum, u) => sum + u.rssMb, 0),
    // A checkout from before the loop was measured (BENCH_SYNC_AGAINST) answers without it.
    loopP99: Math.max(...usages.map((u) => u.loopP99Ms ?? NaN)),
    loopMax: Math.max(...usages.map((u) => u.loopMaxMs ?? NaN)),
  }
  const loadSeconds = (performance.now() - started) / 1000
  editorsLoop.disable()
  const editorsCpu = process.cpuUsage(editorsCpuBefore)
  const databaseAfter = database.usage()
  const databaseCpu = ((databaseAfter.cpuSeconds - databaseBefore.cpuSeconds) / loadSeconds) * 100
  // Wake-ups per update sent: of the servers' main threads, the database's processes, the editors'.
  const perUpdate = (count: number) => count / stats.sent
  const wakeUps = {
    servers: perUpdate(usages.reduce((sum, u) => sum + (u.switches ?? NaN), 0)),
    database: perUpdate(databaseAfter.contextSwitches - databaseBefore.contextSwitches),
    editors: perUpdate(contextSwitches() - editorsSwitchesBefore),
  }
  const stolen = stolenPercentSince(ticksBefore)
  const transactionsPerSecond = ((await transactions()) - transactionsBefore) / loadSeconds
  for (const editor of connected) editor.socket.close()
  return {
    editors,
    p50: percentile(stats.propagation, 50),
    p99: percentile(stats.propagation, 99),
    crossP50: percentile(stats.crossServer, 50),
    crossP99: percentile(stats.crossServer, 99),
    ackP50: percentile(stats.ack, 50),
    ackP99: percentile(stats.ack, 99),
    missed: stats.expected - stats.delivered,
    cpu: usage.cpuPercent,
    rss: usage.rssMb,
    loopP99: usage.loopP99,
    loopMax: usage.loopMax,
    transactionsPerSecond,
    databaseCpu,
    wakeUps,
    editorsCpu: ((editorsCpu.user + editorsCpu.system) / 1000 / (loadSeconds * 1000)) * 100,
    editorsLoopP99: editorsLoop.percentile(99) / 1e6,
    stolen,
  }
}

type LevelResult = Awaited<ReturnType<typeof runLevel>>

/**
 * One round of the servers interleaved in slices (BENCH_SYNC_INTERLEAVE): see there. Not `pair`.
 * `databases`: each server's database and editors (`before` has its own, or each would follow the
 * other's writes through the log).
 */
async function runInterleaved(
  modes: Mode[],
  editors: number,
  databases: (mode: Mode) => { url: string; sessions: { cookie?: string; doc: string }[] },
  database: BenchDatabase,
) {
  const targets = await Promise.all(modes.map((mode) => startTarget(mode, databases(mode).url)))
  try {
    const stats = modes.map(() => emptyStats(1))
    const connected: Editor[][] = []
    for (const [k, mode] of modes.entries()) {
      const sessions = databases(mode).sessions.slice(0, editors)
      connected.push(await connectInBatches(sessions, [targets[k]!.port], stats[k]!))
    }
    for (const group of connected) await warmUp(group)
    await sleep(SETTLE_MS)
    await Promise.all(targets.map(({ child }) => ask(child, 'mark')))
    const databaseBefore = database.usage()
    const ticksBefore = machineTicks()
    const perSlice = Math.round((UPDATES_PER_SECOND * SLICE_MS) / 1000)
    const started = performance.now()
    for (const s of stats) s.since = started
    let n = 0
    for (let block = 0; block < INTERLEAVE; block += 1) {
      for (const k of shuffled(modes.map((_, k) => k))) {
        const group = connected[k]!
        const own = stats[k]!
        own.slice = block
        for (let i = 0; i < perSlice; i += 1, n += 1) {
          await waitUntil(started + (n * 1000) / UPDATES_PER_SECOND)
          edit(group[own.sent % group.length]!, own, editors)
        }
      }
    }
    await sleep(SETTLE_MS)
    const usages = await Promise.all(
      targets.map(({ child }) => ask<{ cpuPercent: number }>(child, 'measure')),
    )
    const loadSeconds = (performance.now() - started) / 1000
    const databaseCpu =
      ((database.usage().cpuSeconds - databaseBefore.cpuSeconds) / loadSeconds) * 100
    const stolen = stolenPercentSince(ticksBefore)
    for (const group of connected) for (const editor of group) editor.socket.close()
    return {
      servers: stats.map((s, k) => ({
        propagation: byBlock(s.propagation, s.propagationSlice, INTERLEAVE),
        ack: byBlock(s.ack, s.ackSlice, INTERLEAVE),
        missed: s.expected - s.delivered,
        cpu: usages[k]!.cpuPercent,
      })),
      databaseCpu,
      stolen,
    }
  } finally {
    await stopTargets(targets.map((t) => t.child))
  }
}

type Round = Awaited<ReturnType<typeof runInterleaved>>

function shuffled<T>(items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

/** Latencies by block: `values[i]` was measured in the slice of block `slices[i]`. */
function byBlock(values: number[], slices: number[], blocks: number): Float64Array[] {
  const lists: number[][] = Array.from({ length: blocks }, () => [])
  for (const [i, value] of values.entries()) lists[slices[i]!]?.push(value)
  return lists.map((list) => Float64Array.from(list))
}

/** The percentile of the latencies of the picked blocks, pooled: `picks` are [round, block]. */
function pooledPercentile(
  rounds: Float64Array[][],
  picks: readonly (readonly [number, number])[],
  p: number,
): number {
  let size = 0
  for (const [r, b] of picks) size += rounds[r]![b]!.length
  const pooled = new Float64Array(size)
  let at = 0
  for (const [r, b] of picks) {
    pooled.set(rounds[r]![b]!, at)
    at += rounds[r]![b]!.length
  }
  pooled.sort()
  return pooled[Math.min(pooled.length - 1, Math.floor((p / 100) * pooled.length))] ?? NaN
}

/**
 * The ratio of two servers' pooled percentile, with a 95% interval from resampling: rounds first
 * (each started its servers afresh, and a process has moods of its own), then blocks within each
 * round picked (a block holds one slice of each server, so the two stay paired).
 */
function ratioWithInterval(
  server: Float64Array[][],
  baseline: Float64Array[][],
  p: number,
): { ratio: number; low: number; high: number } {
  const all = server.flatMap((blocks, r) => blocks.map((_, b) => [r, b] as const))
  const ratio = pooledPercentile(server, all, p) / pooledPercentile(baseline, all, p)
  const pick = (length: number) => Math.floor(Math.random() * length)
  const resampled: number[] = []
  for (let i = 0; i < RESAMPLES; i += 1) {
    const picks = server.flatMap(() => {
      const r = pick(server.length)
      return server[r]!.map(() => [r, pick(server[r]!.length)] as const)
    })
    resampled.push(pooledPercentile(server, picks, p) / pooledPercentile(baseline, picks, p))
  }
  return { ratio, low: percentile(resampled, 2.5), high: percentile(resampled, 97.5) }
}

type Heap = { liveMb: number; buffersMb: number; rssMb: number }

/**
 * Memory per open document and per connection, from live memory after a full collection: first
 * one editor in each of `documents` documents, then two more in each.
 */
async function measureMemory(
  mode: Mode,
  url: string,
  documents: number,
  sessions: { cookie?: string; doc: string }[],
) {
  const { child, port } = await startTarget(mode, url)
  const stats = emptyStats(1)
  const connected: Editor[] = []
  const join = async (picked: { cookie?: string; doc: string }[]) => {
    connected.push(...(await connectInBatches(picked, [port], stats)))
  }
  try {
    const idle = await ask<Heap>(child, 'heap')
    await join(sessions.slice(0, documents * GROUP).filter((_, i) => i % GROUP === 0))
    const one = await ask<Heap>(child, 'heap')
    await join(sessions.slice(0, documents * GROUP).filter((_, i) => i % GROUP !== 0))
    const three = await ask<Heap>(child, 'heap')
    const perConnection = ((three.liveMb - one.liveMb) * 1024) / (documents * (GROUP - 1))
    const perDocument = ((one.liveMb - idle.liveMb) * 1024) / documents - perConnection
    return {
      perConnection,
      perDocument,
      rssPerEditor: ((three.rssMb - idle.rssMb) * 1024) / (documents * GROUP),
    }
  } finally {
    for (const editor of connected) editor.socket.close()
    await stopTargets([child])
  }
}

/** Each figure's median over the runs (missed deliveries are reported as their worst instead). */
function medianOf(results: LevelResult[]): LevelResult {
  const median = (pick: (r: LevelResult) => number) => percentile(results.map(pick), 50)
  return {
    editors: results[0]?.editors ?? 0,
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    crossP50: median((r) => r.crossP50),
    crossP99: median((r) => r.crossP99),
    ackP50: median((r) => r.ackP50),
    ackP99: median((r) => r.ackP99),
    missed: Math.max(...results.map((r) => r.missed)),
    cpu: median((r) => r.cpu),
    rss: median((r) => r.rss),
    loopP99: median((r) => r.loopP99),
    loopMax: median((r) => r.loopMax),
    transactionsPerSecond: median((r) => r.transactionsPerSecond),
    databaseCpu: median((r) => r.databaseCpu),
    editorsCpu: median((r) => r.editorsCpu),
    editorsLoopP99: median((r) => r.editorsLoopP99),
    stolen: median((r) => r.stolen),
    wakeUps: {
      servers: median((r) => r.wakeUps.servers),
      database: median((r) => r.wakeUps.database),
      editors: median((r) => r.wakeUps.editors),
    },
  }
}

export async function prepare(url: string, editors: number) {
  const handle = openDatabase(url, { max: 4 })
  const db = handle.db
  const councilId = await createCouncilWithDefaults(db, {
    code: 'bench',
    name: 'Bench',
    serviceName: 'Bench',
  })
  const teamId = await createTeam(db, {
    councilId,
    serviceCode: 'cin',
    code: 'bench',
    name: 'Bench',
  })
  const auditCount = Math.ceil(editors / GROUP)
  const people = await db
    .insert(users)
    .values(
      Array.from({ length: auditCount * GROUP }, (_, i) => ({
        councilId,
        email: `editor${i}@bench.invalid`,
        name: `Editor ${i}`,
        roles: ['auditor' as const],
      })),
    )
    .returning({ id: users.id })
  const serviceId =
    (await listTeams(db, { councilId })).find((t) => t.id === teamId)?.serviceId ?? ''
  await upsertCaseFiles(db, {
    councilId,
    cases: Array.from({ length: auditCount }, (_, i) => ({
      caseRef: `B${i}`,
      teamId,
      serviceId,
      workerId: null,
      ageBand: null,
    })),
  })
  const caseRows = await db
    .select({ id: caseFiles.id, serviceId: caseFiles.serviceId })
    .from(caseFiles)
  const template = (await listLatestTemplateVersions(db, { councilId })).find(
    (t) => t.code === 'lived-experience',
  )!
  const auditIds = await planAudits(db, {
    councilId,
    cycle: '2026-12',
    templateVersionId: template.id,
    dueDate: '2026-12-31',
    audits: caseRows.map((c, i) => ({
      caseFileId: c.id,
      teamId,
      serviceId: c.serviceId,
      leadAuditorId: people[i * GROUP]!.id,
      coAuditorIds: [people[i * GROUP + 1]!.id, people[i * GROUP + 2]!.id],
      agencyAuditors: [],
    })),
  })
  const cookie = createCookie(SESSION_COOKIE)
  const sessions = []
  for (let i = 0; i < people.length; i += 1) {
    const token = await createSession(db, { userId: people[i]!.id, councilId })
    sessions.push({
      cookie: (await cookie.serialize(token)).split(';')[0],
      doc: documentName(auditIds[Math.floor(i / GROUP)]!),
    })
  }
  await handle.close()
  return sessions
}

export async function benchSync(): Promise<void> {
  await withBenchDatabase('sync', async (url, database) => {
    const sessions = await prepare(
      url,
      Math.max(...LEVELS, Number(process.env.BENCH_SYNC_MEMORY_DOCUMENTS ?? 500) * GROUP),
    )
    // Committed transactions in the database per second of load: what durability costs in statements.
    const stats = openDatabase(url, { max: 1 })
    const transactions = async () => {
      const [row] = await stats.db.$client<{ commits: string }[]>`
        select pg_stat_clear_snapshot(), xact_commit as commits
        from pg_stat_database where datname = current_database()`
      return Number(row?.commits ?? 0)
    }
    console.log(
      `Co-auditing: groups of ${GROUP} editors per audit, ${UPDATES_PER_SECOND} updates/s`,
      INTERLEAVE > 0
        ? `in ${RUNS} rounds of ${INTERLEAVE} blocks, each block one ${SLICE_MS} ms slice of load per server in a random order (servers started afresh each round),`
        : `for ${LOAD_SECONDS} s, median of ${RUNS} runs, the servers taking turns (the machine is shared and noisy),`,
      `after an unmeasured warm-up in which each editor edits once (and one unmeasured run of ours on the new database first);`,
      `PostgreSQL (embedded) through ${OVER_TCP || !url.includes('?host=') ? 'loopback TCP' : 'its Unix socket'}`,
    )
    console.log(
      INTERLEAVE > 0
        ? 'server    editors  prop p50  prop p99   ack p50   ack p99  missed   CPU %'
        : 'server    editors  prop p50  prop p99   ack p50   ack p99  missed   CPU %  RSS MB  DB tx/s  loop p99  loop max  DB CPU %  editors: CPU %  loop p99  stolen %',
    )
    const ms = (v: number) => (Number.isNaN(v) ? '       -' : `${v.toFixed(2).padStart(6)} ms`)
    // BENCH_SYNC_AGAINST, interleaved: `before` has a database of its own (see runInterleaved).
    const beforeUrl = INTERLEAVE > 0 && AGAINST ? await database.another('bench_before') : undefined
    const beforeSessions = beforeUrl ? await prepare(beforeUrl, Math.max(...LEVELS)) : []
    const measureInterleaved = async (editors: number) => {
      const modes = MODES.filter((mode) => mode !== 'pair')
      const rounds: Round[] = []
      for (let round = 0; round < RUNS; round += 1) {
        rounds.push(
          await runInterleaved(
            modes,
            editors,
            (mode) =>
              mode === 'before' && beforeUrl
                ? { url: beforeUrl, sessions: beforeSessions }
                : { url, sessions },
            database,
          ),
        )
      }
      const latencies = modes.map((_, k) => ({
        propagation: rounds.map((round) => round.servers[k]!.propagation),
        ack: rounds.map((round) => round.servers[k]!.ack),
      }))
      const every = rounds.flatMap((round, r) =>
        round.servers[0]!.propagation.map((_, b) => [r, b] as const),
      )
      const cpu = (k: number) =>
        percentile(
          rounds.map((round) => round.servers[k]!.cpu),
          50,
        )
      for (const [k, mode] of modes.entries()) {
        const { propagation, ack } = latencies[k]!
        const missed = Math.max(...rounds.map((round) => round.servers[k]!.missed))
        console.log(
          `${mode.padEnd(9)} ${String(editors).padStart(7)} ${ms(pooledPercentile(propagation, every, 50))} ${ms(pooledPercentile(propagation, every, 99))} ${ms(pooledPercentile(ack, every, 50))} ${ms(pooledPercentile(ack, every, 99))} ${String(missed).padStart(7)} ${cpu(k).toFixed(1).padStart(7)}`,
        )
      }
      const interval = ({ ratio, low, high }: { ratio: number; low: number; high: number }) =>
        `${ratio.toFixed(2)}x (95%: ${low.toFixed(2)}-${high.toFixed(2)})`
      for (const [k, mode] of modes.entries()) {
        if (k === 0) continue
        const [server, baseline] = [latencies[k]!.propagation, latencies[0]!.propagation]
        console.log(
          `  ${mode} / baseline: propagation p99 ${interval(ratioWithInterval(server, baseline, 99))}, p50 ${interval(ratioWithInterval(server, baseline, 50))}, CPU ${(cpu(k) / cpu(0)).toFixed(2)}x`,
        )
      }
      console.log(
        `  rounds: stolen % ${rounds.map((round) => round.stolen.toFixed(1)).join(', ')}; DB CPU % ${rounds.map((round) => round.databaseCpu.toFixed(1)).join(', ')}`,
      )
      for (const [k, mode] of modes.entries()) {
        if (k === 0) continue
        const perRound = rounds.map((_, r) => {
          const blocks = every.filter(([round]) => round === r)
          const p99 = (server: number) =>
            pooledPercentile(latencies[server]!.propagation, blocks, 99)
          return (p99(k) / p99(0)).toFixed(2)
        })
        console.log(`  rounds: ${mode} / baseline propagation p99 ${perRound.join(', ')}`)
      }
    }
    // One run of ours at the first level, not measured: a database just created is slower in its
    // first minutes, which a council's is not, and the first level's runs took all of it (at 30
    // editors the writes' p99 was 20 ms in the first run and 6.5 ms in the next two).
    {
      const { child, port } = await startTarget('ours', url)
      try {
        await runLevel([port], LEVELS[0] ?? 30, sessions, [child], transactions, database)
      } finally {
        await stopTargets([child])
      }
    }
    for (const editors of LEVELS) {
      if (INTERLEAVE > 0) {
        await measureInterleaved(editors)
        continue
      }
      const results: Record<Mode, LevelResult[]> = {
        baseline: [],
        again: [],
        before: [],
        ours: [],
        pair: [],
      }
      for (let run = 0; run < RUNS; run += 1) {
        for (const mode of MODES) {
          const targets = await Promise.all(
            (mode === 'pair' ? ['ours', 'ours'] : [mode]).map((m) => startTarget(m as Mode, url)),
          )
          try {
            results[mode].push(
              await runLevel(
                targets.map((t) => t.port),
                editors,
                sessions,
                targets.map((t) => t.child),
                transactions,
                database,
              ),
            )
          } finally {
            await stopTargets(targets.map((t) => t.child))
          }
        }
      }
      const summary = {
        baseline: medianOf(results.baseline),
        before: medianOf(results.before),
        ours: medianOf(results.ours),
        again: medianOf(results.again),
        pair: medianOf(results.pair),
      }
      const ratios = (mode: Mode, pick: (r: LevelResult) => number) =>
        results[mode]
          .map((r, k) => (pick(r) / pick(results.baseline[k] ?? r)).toFixed(2))
          .join(', ')
      for (const mode of MODES) {
        const r = summary[mode]
        console.log(
          `${mode.padEnd(9)} ${String(editors).padStart(7)} ${ms(r.p50)} ${ms(r.p99)} ${ms(r.ackP50)} ${ms(r.ackP99)} ${String(Math.max(...results[mode].map((x) => x.missed))).padStart(7)} ${r.cpu.toFixed(1).padStart(7)} ${r.rss.toFixed(0).padStart(7)} ${durable(mode) ? r.transactionsPerSecond.toFixed(0).padStart(8) : '       -'} ${ms(r.loopP99)} ${ms(r.loopMax)} ${durable(mode) ? r.databaseCpu.toFixed(1).padStart(9) : '        -'} ${r.editorsCpu.toFixed(1).padStart(15)} ${ms(r.editorsLoopP99)} ${r.stolen.toFixed(1).padStart(8)}`,
        )
      }
      for (const mode of MODES.filter((m) => m !== 'baseline')) {
        console.log(
          `  ${mode} / baseline: propagation p99 ${(summary[mode].p99 / summary.baseline.p99).toFixed(2)}x (runs: ${ratios(mode, (r) => r.p99)}), CPU ${(summary[mode].cpu / summary.baseline.cpu).toFixed(2)}x (runs: ${ratios(mode, (r) => r.cpu)})`,
        )
      }
      for (const mode of MODES) {
        const { servers, database: db, editors: own } = summary[mode].wakeUps
        console.log(
          `  ${mode} wake-ups per update: server ${servers.toFixed(2)}, database ${durable(mode) ? db.toFixed(2) : '-'}, editors ${own.toFixed(2)}`,
        )
      }
      for (const mode of MODES) {
        console.log(
          `  ${mode} runs: propagation p99 (stolen %) ${results[mode].map((r) => `${r.p99.toFixed(2)} (${r.stolen.toFixed(1)})`).join(', ')}`,
        )
      }
      if (PAIR) {
        console.log(
          `  pair: from an editor on the other server (through the log) p50 ${ms(summary.pair.crossP50)}, p99 ${ms(summary.pair.crossP99)}; CPU and RSS are both servers'`,
        )
      }
    }
    const documents = Number(process.env.BENCH_SYNC_MEMORY_DOCUMENTS ?? 500)
    console.log(
      `Memory (live heap after a full collection): ${documents} documents with 1 editor each, then ${GROUP} each`,
    )
    for (const mode of MODES.filter((m) => m !== 'pair' && m !== 'again')) {
      const memory = await measureMemory(mode, url, documents, sessions)
      console.log(
        `  ${mode.padEnd(9)} per open document ${memory.perDocument.toFixed(1)} KB, per connection ${memory.perConnection.toFixed(1)} KB (RSS per editor ${memory.rssPerEditor.toFixed(1)} KB)`,
      )
    }
    await stats.close()
  })
}

if (process.argv[1]?.endsWith('sync.ts')) await benchSync()
