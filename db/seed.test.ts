import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { agencies, councils, services, teams, users } from './schema/index'
import { DEMO_USERS, SeedRefusedError, seedDemoData } from './seed'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('seedDemoData', () => {
  it('creates a council with teams across services, the partner agencies, and a user for every role', async () => {
    await seedDemoData(database.db)
    expect(await database.db.$count(councils)).toBe(1)
    const teamRows = await database.db.select({ serviceId: teams.serviceId }).from(teams)
    expect(teamRows.length).toBeGreaterThanOrEqual(6)
    expect(new Set(teamRows.map((t) => t.serviceId)).size).toBe(await database.db.$count(services))
    expect(
      (await database.db.select({ code: agencies.code }).from(agencies)).map((a) => a.code).sort(),
    ).toEqual(['csc', 'early-help', 'education', 'health', 'police'])
    const emails = (await database.db.select({ email: users.email }).from(users))
      .map((u) => u.email)
      .sort()
    expect(emails).toEqual(DEMO_USERS.map((u) => u.email).sort())
  })

  it('never seeds a database that has data', async () => {
    await expect(seedDemoData(database.db)).rejects.toThrow(SeedRefusedError)
    expect(await database.db.$count(councils)).toBe(1)
  })
})
