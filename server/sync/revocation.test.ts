import http from 'node:http'
import { createCookie } from '@remix-run/node'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { deactivateUser } from '../../db/queries/users'
import { auditAssignments, sessions } from '../../db/schema/index'
import { documentName } from '../../shared/live-document'
import { SESSION_COOKIE } from '../../shared/session'
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED } from '../../shared/sync-protocol'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { connectEditor, waitFor, type Editor } from '../../test/sync-client'
import { createLogger } from '../logger'
import { createSyncServer } from './sync-server'

// The sync server alone, with idle unloading made quick enough to watch. Its session sweep is set
// too slow to matter, so a closed socket here was closed by the database's announcement of the change.
let database: TestDatabase
let sync: ReturnType<typeof createSyncServer>
let port: number
const servers: { close: () => Promise<void> }[] = []
let councilId: string
let auditId: string
const people: Record<string, { id: string; cookie: string }> = {}
const editors: Editor[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  const caseFile = await makeCaseFile(database.db, { councilId, teamId: council.teamId })
  const cookie = createCookie(SESSION_COOKIE)
  for (const who of ['lead', 'co', 'leaver', 'idle', 'signs-out']) {
    const { id } = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const token = await createSession(database.db, { userId: id, councilId })
    people[who] = { id, cookie: (await cookie.serialize(token)).split(';')[0] ?? '' }
  }
  auditId = await makeAudit(database.db, {
    councilId,
    caseFile,
    leadAuditorId: people.lead!.id,
    coAuditorIds: [people.co!.id, people.leaver!.id, people.idle!.id, people['signs-out']!.id],
  })
  ;({ sync, port } = await startSync(600_000))
})

async function startSync(recheckAccessMs: number) {
  const sync = createSyncServer({
    db: database.db,
    logger: createLogger('silent'),
    idleTimeoutSeconds: 1800,
    recheckAccessMs,
    idleUnloadMs: 200,
  })
  const httpServer = http.createServer()
  httpServer.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const port = (httpServer.address() as { port: number }).port
  servers.push({
    close: async () => {
      await sync.close()
      httpServer.close()
    },
  })
  return { sync, port }
}

afterAll(async () => {
  for (const e of editors) e.destroy()
  for (const server of servers) await server.close()
  await database.drop()
})

function editor(who: string, onPort = port): Editor {
  const e = connectEditor({
    port: onPort,
    documentName: documentName(auditId),
    cookie: people[who]!.cookie,
  })
  editors.push(e)
  return e
}

describe('access that ends while connected', () => {
  it('closes the socket of a user whose assignment is removed', async () => {
    const co = editor('co')
    await waitFor(() => co.provider.synced, 5_000, 'sync')
    await database.db
      .delete(auditAssignments)
      .where(and(eq(auditAssignments.auditId, auditId), eq(auditAssignments.userId, people.co!.id)))
    expect((await co.closed).code).toBe(CLOSE_FORBIDDEN)
  })

  it('closes the socket of a user who is deactivated', async () => {
    const leaver = editor('leaver')
    await waitFor(() => leaver.provider.synced, 5_000, 'sync')
    await deactivateUser(database.db, { councilId, userId: people.leaver!.id })
    expect((await leaver.closed).code).toBe(CLOSE_UNAUTHENTICATED)
  })

  it('closes the socket of a user who signs out in another tab', async () => {
    const leaving = editor('signs-out')
    await waitFor(() => leaving.provider.synced, 5_000, 'sync')
    await database.db.delete(sessions).where(eq(sessions.userId, people['signs-out']!.id))
    expect((await leaving.closed).code).toBe(CLOSE_UNAUTHENTICATED)
  })

  it('closes, at the next sweep, the socket of a session that has gone idle', async () => {
    const quick = await startSync(200)
    const idle = editor('idle', quick.port)
    await waitFor(() => idle.provider.synced, 5_000, 'sync')
    // Nothing announces an idle timeout: it is only time passing.
    await database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '2 hours'` })
      .where(eq(sessions.userId, people.idle!.id))
    expect((await idle.closed).code).toBe(CLOSE_UNAUTHENTICATED)
  })

  it('unloads a document from memory once nobody has it open, keeping what was stored', async () => {
    const lead = editor('lead')
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    lead.doc.getMap('answers').set('seeing-the-child.judgement', 'good')
    await waitFor(() => lead.saved(), 5_000, 'saved')
    expect(sync.documentsInMemory()).toBe(1)
    lead.provider.disconnect()
    await waitFor(() => sync.documentsInMemory() === 0, 5_000, 'unload')
    const again = editor('lead')
    await waitFor(() => again.provider.synced, 5_000, 'sync again')
    expect(again.doc.getMap('answers').get('seeing-the-child.judgement')).toBe('good')
  })
})
