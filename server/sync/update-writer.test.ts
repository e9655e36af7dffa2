import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { documentName } from '../../shared/live-document'
import { createUpdateWriter, type WriteResult } from './update-writer'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

/**
 * The writer has two statements: one for a lone update (nearly every statement below a few hundred
 * updates a second) and one for a batch. Both must store and refuse alike, and answer the same.
 */
describe('the update writer', () => {
  async function openAudits(count: number) {
    const db = database.db
    const { councilId, teamId } = await makeCouncil(db)
    const lead = await makeUser(db, { councilId, roles: ['auditor'] })
    const audits = []
    for (let i = 0; i < count; i += 1) {
      const caseFile = await makeCaseFile(db, { councilId, teamId })
      const auditId = await makeAudit(db, { councilId, caseFile, leadAuditorId: lead.id })
      audits.push({ councilId, auditId, documentName: documentName(auditId) })
    }
    return audits
  }
  const rowsOf = async (name: string) =>
    (
      await database.db.$client<{ id: string; update: Buffer }[]>`
        select id, "update" from document_updates where document_name = ${name} order by id`
    ).map((row) => ({ id: Number(row.id), update: [...row.update] }))
  const setStatus = (auditId: string, status: string) =>
    database.db.$client`update audits set status = ${status} where id = ${auditId}`

  it('stores a lone update, and a batch across documents, answering an id at or above their rows', async () => {
    const [a, b] = await openAudits(2)
    const writer = createUpdateWriter(database.db.$client, { origin: 7, ringDoorbell: () => false })
    const lone = await writer.append({ ...a!, kind: 'audit', updates: [Uint8Array.of(1, 2, 3)] })
    const loneRows = await rowsOf(a!.documentName)
    expect(loneRows.map((row) => row.update)).toEqual([[1, 2, 3]])
    expect(lone).toEqual({ stored: true, lastId: loneRows[0]!.id })

    // Appended in one turn: they go out together, in one statement.
    const results = await Promise.all([
      writer.append({ ...a!, kind: 'audit', updates: [Uint8Array.of(4), Uint8Array.of(5, 6)] }),
      writer.append({ ...b!, kind: 'audit', updates: [Uint8Array.of(7)] }),
    ])
    const [rowsA, rowsB] = [await rowsOf(a!.documentName), await rowsOf(b!.documentName)]
    expect(rowsA.map((row) => row.update)).toEqual([[1, 2, 3], [4], [5, 6]])
    expect(rowsB.map((row) => row.update)).toEqual([[7]])
    const last = Math.max(rowsA[2]!.id, rowsB[0]!.id)
    expect(results).toEqual([
      { stored: true, lastId: last },
      { stored: true, lastId: last },
    ])
    const [origins] = await database.db.$client<{ origins: string[] }[]>`
      select array_agg(distinct origin::text) as origins from document_updates
      where document_name in (${a!.documentName}, ${b!.documentName})`
    expect(origins?.origins).toEqual(['7'])
  })

  it('refuses a lone update, and a batch’s updates, to an audit no longer open to them, and stores the rest', async () => {
    const [open, submitted, moderated] = await openAudits(3)
    await setStatus(submitted!.auditId, 'submitted')
    await setStatus(moderated!.auditId, 'in-moderation')
    const writer = createUpdateWriter(database.db.$client, { origin: 1, ringDoorbell: () => false })

    const refused: WriteResult = { stored: false }
    expect(
      await writer.append({ ...submitted!, kind: 'audit', updates: [Uint8Array.of(1)] }),
    ).toEqual(refused)
    // The moderation workspace of an audit in moderation is open; its audit form is not.
    expect(
      await writer.append({ ...moderated!, kind: 'audit', updates: [Uint8Array.of(2)] }),
    ).toEqual(refused)
    const workspace = { ...moderated!, documentName: `moderation.${moderated!.auditId}` }
    expect(
      await writer.append({ ...workspace, kind: 'moderation', updates: [Uint8Array.of(3)] }),
    ).toMatchObject({ stored: true })

    const results = await Promise.all([
      writer.append({
        ...submitted!,
        kind: 'audit',
        updates: [Uint8Array.of(4), Uint8Array.of(5)],
      }),
      writer.append({ ...open!, kind: 'audit', updates: [Uint8Array.of(6)] }),
      writer.append({ ...workspace, kind: 'moderation', updates: [Uint8Array.of(7)] }),
    ])
    expect(results[0]).toEqual(refused)
    expect(results[1]).toMatchObject({ stored: true })
    expect(results[2]).toMatchObject({ stored: true })
    expect(await rowsOf(submitted!.documentName)).toEqual([])
    expect(await rowsOf(moderated!.documentName)).toEqual([])
    expect((await rowsOf(open!.documentName)).map((row) => row.update)).toEqual([[6]])
    expect((await rowsOf(workspace.documentName)).map((row) => row.update)).toEqual([[3], [7]])
  })

  it('starts a scheduled audit with its first stored edit, alone or in a batch', async () => {
    const [alone, batched] = await openAudits(2)
    const writer = createUpdateWriter(database.db.$client, { origin: 1, ringDoorbell: () => false })
    await writer.append({
      ...alone!,
      kind: 'audit',
      updates: [Uint8Array.of(1)],
      startsAuditId: alone!.auditId,
    })
    await Promise.all([
      writer.append({ ...batched!, kind: 'audit', updates: [Uint8Array.of(2)] }),
      writer.append({
        ...batched!,
        kind: 'audit',
        updates: [Uint8Array.of(3)],
        startsAuditId: batched!.auditId,
      }),
    ])
    const statuses = await database.db.$client<{ status: string }[]>`
      select status from audits where id in (${alone!.auditId}, ${batched!.auditId})`
    expect(statuses.map((row) => row.status)).toEqual(['in-progress', 'in-progress'])
  })
})
