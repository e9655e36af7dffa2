import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { eq } from 'drizzle-orm'
import {
  agencies,
  auditActions,
  auditThemes,
  audits,
  caseFiles,
  councils,
  services,
  teams,
  users,
} from './schema/index'
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

  it('gives the history tagged excerpts of both kinds, and the practitioner an audited case with an action', async () => {
    const kinds = await database.db
      .selectDistinct({ kind: auditThemes.kind, source: auditThemes.source })
      .from(auditThemes)
    expect(kinds.map((k) => `${k.kind}/${k.source}`).sort()).toEqual([
      'development/auditor',
      'strength/auditor',
    ])
    const [priya] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, 'practitioner@demo.test'))
    const audited = await database.db
      .select({ status: audits.status })
      .from(audits)
      .innerJoin(caseFiles, eq(caseFiles.id, audits.caseFileId))
      .where(eq(caseFiles.workerId, priya?.id ?? ''))
    expect(audited.map((a) => a.status)).not.toEqual([])
    expect(
      await database.db.$count(auditActions, eq(auditActions.ownerId, priya?.id ?? '')),
    ).toBeGreaterThan(0)
  })

  it('never seeds a database that has data', async () => {
    await expect(seedDemoData(database.db)).rejects.toThrow(SeedRefusedError)
    expect(await database.db.$count(councils)).toBe(1)
  })
})
