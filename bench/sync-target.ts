import http from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { WebSocketServer } from 'ws'
import { readConfig } from '../server/config'
import { createLogger } from '../server/logger'
import { startServer } from '../server/start'
import { contextSwitches } from './proc'

/**
 * The server under test, in a process of its own so that its CPU and memory are measured alone:
 * `ours` is the real app (sync server, PostgreSQL durability, auth); `baseline` is
 * @y/websocket-server 0.1.1 in memory (no durability, no auth) on the same workload.
 */
const mode = process.argv[2]

async function startBaseline(): Promise<number> {
  const { setupWSConnection } = (await import('@y/websocket-server/utils')) as {
    setupWSConnection: (
      ws: unknown,
      req: http.IncomingMessage,
      options: { docName: string },
    ) => void
  }
  const server = http.createServer((_req, res) => res.end('baseline'))
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const docName = (req.url ?? '/').slice('/sync/'.length)
      setupWSConnection(ws, req, { docName })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}

async function startOurs(): Promise<number> {
  const config = readConfig({
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    // A server killed and started again listens where its editors reconnect (bench/kills.ts).
    PORT: process.env.BENCH_TARGET_PORT ?? '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'error',
    SYNC_ACCESS_RECHECK_SECONDS: process.env.SYNC_ACCESS_RECHECK_SECONDS,
  })
  const running = await startServer(config, createLogger('error'))
  return running.port
}

const port = mode === 'baseline' ? await startBaseline() : await startOurs()
let cpu = process.cpuUsage()
let since = performance.now()
let switches = contextSwitches()
// How long the event loop was kept from turning: what every relayed edit waits behind.
const loopDelay = monitorEventLoopDelay({ resolution: 1 })
loopDelay.enable()
process.on('message', (message: string) => {
  if (message === 'mark') {
    cpu = process.cpuUsage()
    since = performance.now()
    switches = contextSwitches()
    loopDelay.reset()
    process.send?.({ marked: true })
  } else if (message === 'heap') {
    // Live memory, after a full collection (the target runs with --expose-gc).
    const collect = (globalThis as { gc?: () => void }).gc
    collect?.()
    collect?.()
    const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage()
    process.send?.({
      liveMb: (heapUsed + external - arrayBuffers) / 1024 / 1024,
      buffersMb: arrayBuffers / 1024 / 1024,
      rssMb: rss / 1024 / 1024,
    })
  } else if (message === 'measure') {
    const used = process.cpuUsage(cpu)
    const wallMs = performance.now() - since
    process.send?.({
      cpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100,
      switches: contextSwitches() - switches,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      loopP99Ms: loopDelay.percentile(99) / 1e6,
      loopMaxMs: loopDelay.max / 1e6,
    })
  }
})
process.send?.({ port })
// Exit normally on SIGINT, so that a --cpu-prof profile is written.
process.on('SIGINT', () => process.exit(0))
