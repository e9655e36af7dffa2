import http from 'node:http'
import { createCookie } from '@remix-run/node'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../db/queries/sessions'
import { deactivateUser } from '../../db/queries/users'
import { auditAssignments } from '../../db/schema/index'
import { documentName } from '../../shared/live-document'
import { SESSION_COOKIE } from '../../shared/session'
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED } from '../../shared/sync-protocol'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { connectEditor, waitFor, type Editor } from '../../test/sync-client'
import { createLogger } from '../logger'
import { createSyncServer } from './sync-server'

// The sync server alone, with its rechecks and idle unloading made quick enough to watch.
let database: TestDatabase
let httpServer: http.Server
let sync: ReturnType<typeof createSyncServer>
let port: number
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
  for (const who of ['lead', 'co', 'leaver']) {
    const { id } = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const token = await createSession(database.db, { userId: id, councilId })
    people[who] = { id, cookie: (await cookie.serialize(token)).split(';')[0] ?? '' }
  }
  auditId = await makeAudit(database.db, {
    councilId,
    caseFile,
    leadAuditorId: people.lead!.id,
    coAuditorIds: [people.co!.id, people.leaver!.id],
  })
  sync = createSyncServer({
    db: database.db,
    logger: createLogger('silent'),
    idleTimeoutSeconds: 1800,
    recheckAccessMs: 200,
    idleUnloadMs: 200,
  })
  httpServer = http.createServer()
  httpServer.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head))
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  port = (httpServer.address() as { port: number }).port
})

afterAll(async () => {
  for (const e of editors) e.destroy()
  await sync.close()
  httpServer.close()
  await database.drop()
})

function editor(who: string): Editor {
  const e = connectEditor({
    port,
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

  it('unloads a document from memory once nobody has it open, keeping what was stored', async () => {
    const lead = editor('lead')
    await waitFor(() => lead.provider.synced, 5_000, 'sync')
    lead.doc.getMap('answers').set('seeing-the-child.judgement', 'good')
    await waitFor(() => lead.storedClock() >= lead.localClock(), 5_000, 'saved')
    expect(sync.documentsInMemory()).toBe(1)
    lead.provider.disconnect()
    await waitFor(() => sync.documentsInMemory() === 0, 5_000, 'unload')
    const again = editor('lead')
    await waitFor(() => again.provider.synced, 5_000, 'sync again')
    expect(again.doc.getMap('answers').get('seeing-the-child.judgement')).toBe('good')
  })
})
