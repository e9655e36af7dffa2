import { createCookie } from '@remix-run/node'
import * as Y from 'yjs'
import { openDatabase } from '../db/client'
import { createSession, touchSession } from '../db/queries/sessions'
import { createLogger } from '../server/logger'
import { ANSWERS_MAP, documentName } from '../shared/live-document'
import { SESSION_COOKIE } from '../shared/session'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../test/factories'
import {
  documentContents,
  fuzzAtHandler,
  fuzzOverWebSocket,
  realFrames,
  sameContents,
} from '../test/fuzz'
import { connectEditor, waitFor, type Editor } from '../test/sync-client'
import { withBenchDatabase } from './database'
import { ask, startTarget } from './sync'

/**
 * The longer fuzz run (the test sends 2,000 frames over websockets and 100,000 through the message
 * handler, with a fixed seed), with BENCH_FUZZ_SEED (a new seed each run unless set; it is printed,
 * so that a failure can be replayed):
 * - BENCH_FUZZ_FRAMES (20,000) frames sent by a signed-in editor over websockets to our server in
 *   a process of its own; prints the rate and the server's CPU and memory, and checks what the test
 *   checks: the server is up, an honest editor was never dropped, what it held is what it stored;
 * - BENCH_FUZZ_HANDLER_FRAMES (500,000) frames through the message handler, on a document with its
 *   real log, checked the same way.
 */
const FRAMES = Number(process.env.BENCH_FUZZ_FRAMES ?? 20_000)
const HANDLER_FRAMES = Number(process.env.BENCH_FUZZ_HANDLER_FRAMES ?? 500_000)
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? Date.now() % 2 ** 31)
const CONCURRENCY = 8

export async function benchFuzz(): Promise<void> {
  await withBenchDatabase('fuzz', async (url) => {
    const handle = openDatabase(url, { max: 2 })
    const council = await makeCouncil(handle.db)
    const lead = await makeUser(handle.db, { councilId: council.councilId, roles: ['auditor'] })
    const co = await makeUser(handle.db, { councilId: council.councilId, roles: ['auditor'] })
    const audit = async () =>
      makeAudit(handle.db, {
        councilId: council.councilId,
        caseFile: await makeCaseFile(handle.db, {
          councilId: council.councilId,
          teamId: council.teamId,
        }),
        leadAuditorId: lead.id,
        coAuditorIds: [co.id],
      })
    const auditId = await audit()
    const handlerAuditId = await audit()
    const cookie = createCookie(SESSION_COOKIE)
    const cookieOf = async (userId: string) =>
      (
        await cookie.serialize(
          await createSession(handle.db, { userId, councilId: council.councilId }),
        )
      ).split(';')[0]!
    const leadCookie = await cookieOf(lead.id)
    const coCookie = await cookieOf(co.id)

    console.log(
      `Fuzzing at the message handler: ${HANDLER_FRAMES.toLocaleString('en-GB')} frames, seed ${SEED}`,
    )
    const userOf = async (userId: string) => {
      const token = await createSession(handle.db, { userId, councilId: council.councilId })
      const user = await touchSession(handle.db, { token, idleSeconds: 3600 })
      if (!user) throw new Error('no session')
      return user
    }
    const atHandler = await fuzzAtHandler({
      db: handle.db,
      logger: createLogger('error'),
      councilId: council.councilId,
      auditId: handlerAuditId,
      fuzzer: await userOf(lead.id),
      honest: await userOf(co.id),
      seed: SEED,
      count: HANDLER_FRAMES,
      onProgress: (done) => {
        if (done > 0 && done % (HANDLER_FRAMES / 10) < 10_000) {
          process.stdout.write(`  ${Math.round((done / HANDLER_FRAMES) * 100)} %\n`)
        }
      },
    })
    const handlerIntact =
      atHandler.honestFailures === 0 &&
      sameContents(atHandler.honestCopy, atHandler.held) &&
      sameContents(atHandler.reloaded, atHandler.held)
    console.log(
      `  ${HANDLER_FRAMES.toLocaleString('en-GB')} frames in ${atHandler.seconds.toFixed(1)} s (${(HANDLER_FRAMES / atHandler.seconds).toFixed(0)}/s): ` +
        `${atHandler.refused.toLocaleString('en-GB')} refused, ${atHandler.reloads} forged updates (document loaded again), ${atHandler.honestFailures} the honest page could not apply; ` +
        `the honest copy, what the server held and what it stored are ${handlerIntact ? 'the same (intact)' : 'NOT the same'}`,
    )
    if (!handlerIntact) process.exitCode = 1
    await handle.close()

    let target = await startTarget('ours', url)
    const name = documentName(auditId)
    const editors: Editor[] = []
    const open = () => {
      const editor = connectEditor({ port: target.port, documentName: name, cookie: coCookie })
      editors.push(editor)
      return editor
    }
    try {
      const honest = open()
      await waitFor(() => honest.provider.synced, 10_000, 'sync')
      // Sent away for a reload (1001 'reloading', after a forged update) is by design: the page
      // reconnects by itself. Any other close of the honest editor is a failure.
      let honestClosed: string | undefined
      void honest.closed.then(({ code, reason }) => (honestClosed = `${code} ${reason}`))
      const before = await ask<{ rssMb: number }>(target.child, 'measure')
      await ask(target.child, 'mark')
      console.log(
        `Fuzzing over websockets: ${FRAMES.toLocaleString('en-GB')} random and mutated frames, seed ${SEED}, ${CONCURRENCY} connections at a time`,
      )
      let reported = 0
      const result = await fuzzOverWebSocket({
        url: `ws://127.0.0.1:${target.port}/sync/${name}`,
        headers: { cookie: leadCookie, origin: `http://127.0.0.1:${target.port}` },
        seed: SEED,
        count: FRAMES,
        real: realFrames(Y.encodeStateAsUpdate(honest.doc), lead.id, SEED),
        concurrency: CONCURRENCY,
        onProgress: (handled) => {
          if (handled - reported < FRAMES / 10) return
          reported = handled
          process.stdout.write(`  ${Math.round((handled / FRAMES) * 100)} %\n`)
        },
      })
      const after = await ask<{ cpuPercent: number; rssMb: number }>(target.child, 'measure')
      honest.doc.getMap('notes').set('after', 'Written after the fuzzing.')
      await waitFor(() => honest.saved(), 10_000, 'honest edit saved')
      const expected = documentContents(honest.doc)
      honest.destroy()
      target.child.kill('SIGINT')
      await new Promise((resolve) => target.child.once('exit', resolve))
      target = await startTarget('ours', url)
      const fresh = open()
      await waitFor(() => fresh.provider.synced, 10_000, 'sync after restart')
      const intact = sameContents(documentContents(fresh.doc), expected)
      const unexpected = [...result.unexpected].map(([code, n]) => `${n} closed ${code}`)
      const honestDropped = honestClosed !== undefined && !honestClosed.startsWith('1001 reloading')
      console.log(
        `  ${result.handled.toLocaleString('en-GB')} frames read in ${result.seconds.toFixed(1)} s (${(result.handled / result.seconds).toFixed(0)}/s): ` +
          `${result.refused.toLocaleString('en-GB')} refused as invalid (the connection closed), ` +
          `${(result.handled - result.refused).toLocaleString('en-GB')} read and kept; ${result.connections.toLocaleString('en-GB')} connections (${(result.connections / result.seconds).toFixed(0)}/s)`,
      )
      console.log(
        `  server: CPU ${after.cpuPercent.toFixed(0)} % of a core, RSS ${before.rssMb.toFixed(0)} MB before, ${after.rssMb.toFixed(0)} MB after; ` +
          `${result.sentAway} connections sent away for a reload; other closes: ${unexpected.length > 0 ? unexpected.join(', ') : 'none'}`,
      )
      console.log(
        `  honest editor ${honestDropped ? `DROPPED (${honestClosed})` : honestClosed ? 'sent away for a reload, and back' : 'never dropped'}; after a restart the document is ${intact ? 'what it held (intact)' : 'NOT what it held'}; ` +
          `${fresh.doc.getMap(ANSWERS_MAP).size} answers`,
      )
      if (unexpected.length > 0 || honestDropped || !intact || result.handled !== FRAMES) {
        process.exitCode = 1
      }
    } finally {
      for (const editor of editors) editor.destroy()
      target.child.kill('SIGINT')
      await new Promise((resolve) => target.child.once('exit', resolve))
    }
  })
}

if (process.argv[1]?.endsWith('fuzz.ts')) await benchFuzz()
