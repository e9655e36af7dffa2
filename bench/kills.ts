import * as Y from 'yjs'
import { openDatabase } from '../db/client'
import { findFreePort } from '../db/embedded-postgres'
import { loadStoredDoc } from '../db/queries/documents'
import { seededRandom } from '../test/seeded-random'
import {
  localClock,
  makeClient,
  openClient,
  stopClient,
  type Client,
} from '../test/reconnecting-client'
import { waitFor } from '../test/sync-client'
import { withBenchDatabase } from './database'
import { prepare, startTarget } from './sync'
import { percentile } from './stats'

/**
 * Kill cycles: editors (groups of three per audit, each a client that reconnects as the page does)
 * type while our server is killed with SIGKILL at a random moment and started again, BENCH_KILL_CYCLES
 * times (20). After each kill, every edit that was acknowledged must be in the database, before the
 * server is even back; after each restart, the time until every editor is back, has had every edit
 * acknowledged, and agrees with the others on its audit.
 */
const CYCLES = Number(process.env.BENCH_KILL_CYCLES ?? 20)
const EDITORS = Number(process.env.BENCH_KILL_EDITORS ?? 300)
const GROUP = 3
/** Edits a second across all editors while the server is up (and while it is down). */
const RATE = 200
const CONVERGE_BOUND_MS = 120_000

export async function benchKills(): Promise<void> {
  await withBenchDatabase('kills', async (url) => {
    const sessions = await prepare(url, EDITORS)
    const port = await findFreePort()
    const env = { BENCH_TARGET_PORT: String(port) }
    const db = openDatabase(url, { max: 2 })
    const random = seededRandom(0xc1c1e5)
    let target = await startTarget('ours', url, env)
    const clients: Client[] = sessions
      .slice(0, EDITORS)
      .map((s, i) => makeClient(i, s.doc, s.cookie ?? '', { port: () => port }))
    for (const client of clients) openClient(client)
    await waitFor(() => clients.every((c) => c.synced), 60_000, 'every editor synced')

    let typing = true
    let edits = 0
    const typist = setInterval(() => {
      if (!typing) return
      for (let n = 0; n < RATE / 100; n += 1) {
        const client = clients[Math.floor(random() * clients.length)]!
        edits += 1
        client.doc.getMap('kills').set(`${client.index}.${edits}`, edits)
      }
    }, 10)

    const converged = () =>
      clients.every((c) => c.synced && c.stored >= localClock(c)) &&
      clients.every((c, i) => {
        const first = clients[i - (i % GROUP)]!
        return Y.encodeStateVector(c.doc).join() === Y.encodeStateVector(first.doc).join()
      })

    console.log(
      `Kill cycles: ${EDITORS} editors (${GROUP} per audit) typing ${RATE} edits/s; the server is killed with SIGKILL ${CYCLES} times`,
    )
    // Acknowledged: every editor's acknowledged clock (its edits) so far, added up.
    console.log('cycle  acknowledged  lost  listening after  all converged after  attempts')
    let totalAcknowledged = 0
    let totalLost = 0
    const convergence: number[] = []
    try {
      for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
        typing = true
        await new Promise((resolve) => setTimeout(resolve, 1_000 + random() * 2_000))
        target.child.kill('SIGKILL')
        await new Promise((resolve) => target.child.once('exit', resolve))
        // Every acknowledgement the server sent has arrived once each editor has seen the close.
        await waitFor(() => clients.every((c) => !c.synced), 10_000, 'every editor cut off')
        const acknowledged = new Map(clients.map((c) => [c, c.stored]))
        // Before the server is back: every acknowledged edit must already be in the database.
        let lost = 0
        for (let group = 0; group < clients.length; group += GROUP) {
          const stored = Y.decodeStateVector(
            Y.encodeStateVector(await loadStoredDoc(db.db, clients[group]!.name)),
          )
          for (const client of clients.slice(group, group + GROUP)) {
            const have = stored.get(client.doc.clientID) ?? 0
            lost += Math.max(0, acknowledged.get(client)! - have)
          }
        }
        totalAcknowledged = [...acknowledged.values()].reduce((a, b) => a + b, 0)
        totalLost += lost
        // Editors go on typing while the server is down, for up to a second.
        await new Promise((resolve) => setTimeout(resolve, random() * 1_000))
        typing = false
        const attemptsBefore = clients.reduce((sum, c) => sum + c.attempts.length, 0)
        const restarted = performance.now()
        target = await startTarget('ours', url, env)
        const listening = performance.now() - restarted
        await waitFor(converged, CONVERGE_BOUND_MS, `convergence after kill ${cycle}`).catch(
          (error: unknown) => {
            // Who is behind, and how, to say why.
            for (const c of clients) {
              const first = clients[c.index - (c.index % GROUP)]!
              const agrees =
                Y.encodeStateVector(c.doc).join() === Y.encodeStateVector(first.doc).join()
              if (c.synced && c.stored >= localClock(c) && agrees) continue
              console.log(
                `  #${c.index} synced ${c.synced} stored ${c.stored}/${localClock(c)} agrees ${agrees} final ${c.final ?? '-'} socket ${c.socket?.readyState} pending ${c.doc.store.pendingStructs !== null}`,
              )
            }
            throw error
          },
        )
        const after = performance.now() - restarted
        convergence.push(after)
        const attempts = clients.reduce((sum, c) => sum + c.attempts.length, 0) - attemptsBefore
        console.log(
          `${String(cycle).padStart(5)} ${String(totalAcknowledged).padStart(13)} ${String(lost).padStart(5)} ${`${listening.toFixed(0)} ms`.padStart(16)} ${`${after.toFixed(0)} ms`.padStart(20)} ${String(attempts).padStart(9)}`,
        )
      }
      console.log(
        `  ${totalLost} of ${totalAcknowledged} acknowledged edits lost; ` +
          `restart to all converged: p50 ${percentile(convergence, 50).toFixed(0)} ms, worst ${Math.max(...convergence).toFixed(0)} ms`,
      )
      if (totalLost > 0) process.exitCode = 1
    } finally {
      clearInterval(typist)
      for (const client of clients) stopClient(client)
      target.child.kill('SIGINT')
      await new Promise((resolve) => target.child.once('exit', resolve))
      await db.close()
    }
  })
}

if (process.argv[1]?.endsWith('kills.ts')) await benchKills()
