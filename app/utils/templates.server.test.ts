import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getBuiltInTemplate } from '../../shared/templates/index'
import { makeCouncil, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { publishTemplateFromJson } from './templates.server'

let database: TestDatabase
let councilId: string
let adminId: string
beforeAll(async () => {
  database = await createTestDatabase()
  ;({ councilId } = await makeCouncil(database.db))
  adminId = (await makeUser(database.db, { councilId, roles: ['admin'] })).id
})
afterAll(() => database.drop())

describe('publishing a template from JSON', () => {
  it('explains a file that is not JSON', async () => {
    const result = await publishTemplateFromJson(database.db, {
      councilId,
      userId: adminId,
      text: '{ nope',
    })
    expect(!result.ok && result.problems[0]?.message).toMatch(/^The file is not valid JSON/)
  })

  it('lists schema problems by their path in the JSON', async () => {
    const template = structuredClone(getBuiltInTemplate('lived-experience'))
    const draft = { ...template, version: 2, title: '' }
    draft.sections[0]!.questions[0]!.measure = 'lived-experience'
    const result = await publishTemplateFromJson(database.db, {
      councilId,
      userId: adminId,
      text: JSON.stringify(draft),
    })
    expect(result.ok).toBe(false)
    const paths = !result.ok ? result.problems.map((p) => p.path) : []
    expect(paths).toContain('title')
    expect(paths).toContain('sections[0].questions[0].measure')
  })

  it('publishes the next version, and refuses one out of sequence', async () => {
    const next = { ...getBuiltInTemplate('supervision'), version: 2 }
    expect(
      await publishTemplateFromJson(database.db, {
        councilId,
        userId: adminId,
        text: JSON.stringify(next),
      }),
    ).toEqual({
      ok: true,
      code: 'supervision',
      version: 2,
    })
    const skipped = await publishTemplateFromJson(database.db, {
      councilId,
      userId: adminId,
      text: JSON.stringify({ ...next, version: 5 }),
    })
    expect(!skipped.ok && skipped.problems).toEqual([
      {
        path: 'version',
        message: 'This would be version 5 of "supervision", but the next version is 3.',
      },
    ])
  })
})
