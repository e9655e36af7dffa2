import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listCaseFiles } from '../../db/queries/case-files'
import { makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { importCaseList } from './case-files.server'

let database: TestDatabase
let councilId: string
let practitionerEmail: string
beforeAll(async () => {
  database = await createTestDatabase()
  ;({ councilId } = await makeCouncil(database.db))
  practitionerEmail = (await makeUser(database.db, { councilId, roles: ['practitioner'] })).email
})
afterAll(() => database.drop())

describe('importing a case list', () => {
  it('adds the cases, then updates them on a second import', async () => {
    const text = `case_ref,service,team,worker\r\n700001,cin,cin-1,${practitionerEmail}\r\n700002,Children in need,CIN-1,\r\n`
    expect(await importCaseList(database.db, councilId, text)).toEqual({
      ok: true,
      created: 2,
      updated: 0,
    })
    expect(await importCaseList(database.db, councilId, text)).toEqual({
      ok: true,
      created: 0,
      updated: 2,
    })
    const cases = await listCaseFiles(database.db, { councilId })
    expect(cases.map((c) => [c.caseRef, c.worker !== null])).toEqual([
      ['700001', true],
      ['700002', false],
    ])
  })

  it('refuses the whole list when a team or worker is unknown, naming row and column', async () => {
    const before = (await listCaseFiles(database.db, { councilId })).length
    const text = `case_ref,service,team,worker\n700010,cin,cin-1,\n700011,cin,no-such-team,\n700012,cin,cin-1,stranger@test.invalid\n`
    const outcome = await importCaseList(database.db, councilId, text)
    expect(outcome.ok).toBe(false)
    expect(!outcome.ok && outcome.problems.map((p) => `${p.row}:${p.column}`)).toEqual([
      '3:team',
      '4:worker',
    ])
    expect((await listCaseFiles(database.db, { councilId })).length).toBe(before)
  })
})
