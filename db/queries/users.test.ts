import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { listTeams } from './organisation'
import { deactivateUser, listUsers, reactivateUser } from './users'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('users across councils', () => {
  it('lists only the council’s own users and teams', async () => {
    const a = await makeCouncil(database.db)
    const b = await makeCouncil(database.db)
    const inA = await makeUser(database.db, { councilId: a.councilId, roles: ['auditor'] })
    const inB = await makeUser(database.db, { councilId: b.councilId, roles: ['auditor'] })
    const listed = (await listUsers(database.db, { councilId: a.councilId })).map((u) => u.id)
    expect(listed).toContain(inA.id)
    expect(listed).not.toContain(inB.id)
    expect((await listTeams(database.db, { councilId: a.councilId })).map((t) => t.id)).toEqual([
      a.teamId,
    ])
  })

  it('cannot deactivate or reactivate another council’s user', async () => {
    const a = await makeCouncil(database.db)
    const b = await makeCouncil(database.db)
    const inB = await makeUser(database.db, { councilId: b.councilId, roles: ['auditor'] })
    expect(await deactivateUser(database.db, { councilId: a.councilId, userId: inB.id })).toBe(
      false,
    )
    expect((await listUsers(database.db, { councilId: b.councilId }))[0]?.active).toBe(true)
    expect(await deactivateUser(database.db, { councilId: b.councilId, userId: inB.id })).toBe(true)
    expect(await reactivateUser(database.db, { councilId: a.councilId, userId: inB.id })).toBe(
      false,
    )
  })

  it('refuses an email that is already used, in any case, in any council', async () => {
    const a = await makeCouncil(database.db)
    const b = await makeCouncil(database.db)
    await makeUser(database.db, {
      councilId: a.councilId,
      roles: ['auditor'],
      email: 'same@test.invalid',
    })
    await expect(
      makeUser(database.db, {
        councilId: b.councilId,
        roles: ['auditor'],
        email: 'SAME@test.invalid',
      }),
    ).rejects.toThrow()
  })

  it('refuses a role that does not exist', async () => {
    const a = await makeCouncil(database.db)
    const roles = JSON.parse('["superuser"]') as Parameters<typeof makeUser>[1]['roles']
    // The database refuses what the type already forbids, for rows written by anything else.
    await expect(makeUser(database.db, { councilId: a.councilId, roles })).rejects.toThrow()
  })
})
