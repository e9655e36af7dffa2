import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getBuiltInTemplate } from '../../shared/templates/index'
import { makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { templateVersions } from '../schema/index'
import {
  getTemplateVersion,
  listLatestTemplateVersions,
  publishNextTemplateVersion,
  TemplateVersionError,
} from './templates'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('template versions', () => {
  it('gives a new council version 1 of the five built-in templates', async () => {
    const { councilId } = await makeCouncil(database.db)
    const latest = await listLatestTemplateVersions(database.db, { councilId })
    expect(latest.map((t) => `${t.code}@${t.version}`).sort()).toEqual([
      'lived-experience@1',
      'management-oversight@1',
      'multi-agency@1',
      'strength-based@1',
      'supervision@1',
    ])
  })

  it('publishes only the next version, and keeps every earlier one as it was', async () => {
    const { councilId } = await makeCouncil(database.db)
    const admin = await makeUser(database.db, { councilId, roles: ['admin'] })
    const v1 = getBuiltInTemplate('supervision')
    const v2 = { ...v1, version: 2, title: `${v1.title} (revised)` }
    await publishNextTemplateVersion(database.db, {
      councilId,
      template: v2,
      publishedBy: admin.id,
    })
    await expect(
      publishNextTemplateVersion(database.db, {
        councilId,
        template: { ...v1, version: 4 },
        publishedBy: admin.id,
      }),
    ).rejects.toThrow(TemplateVersionError)
    await expect(
      publishNextTemplateVersion(database.db, { councilId, template: v1, publishedBy: admin.id }),
    ).rejects.toThrow('the next version is 3')
    expect(
      (await getTemplateVersion(database.db, { councilId, code: 'supervision', version: 1 }))
        ?.definition.title,
    ).toBe(v1.title)
    const latest = await listLatestTemplateVersions(database.db, { councilId })
    expect(latest.find((t) => t.code === 'supervision')?.version).toBe(2)
  })

  it('refuses to change or delete a published version, whoever asks', async () => {
    const { councilId } = await makeCouncil(database.db)
    const causeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'no error',
        (error: { cause?: { message?: string } }) => error.cause?.message ?? 'no cause',
      )
    expect(
      await causeOf(
        database.db
          .update(templateVersions)
          .set({ title: 'changed' })
          .where(eq(templateVersions.councilId, councilId)),
      ),
    ).toMatch(/immutable/)
    expect(
      await causeOf(
        database.db.delete(templateVersions).where(eq(templateVersions.councilId, councilId)),
      ),
    ).toMatch(/immutable/)
    const [row] = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from template_versions where council_id = ${councilId} and title = 'changed'`,
    )
    expect(row?.n).toBe(0)
  })
})
