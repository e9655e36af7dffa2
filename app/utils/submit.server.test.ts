import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createInitialSnapshot } from '../../db/queries/documents'
import { getTemplateDefinitionById } from '../../db/queries/templates'
import { auditThemes, audits, themes } from '../../db/schema/index'
import {
  ANSWERS_MAP,
  buildSkeleton,
  documentName,
  LEAD_PART,
  OVERALL_KEY,
} from '../../shared/live-document'
import { tagKey, THEMES_MAP } from '../../shared/themes'
import {
  completeAnswers,
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeLoadContext,
  makeUser,
} from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { submitLiveAudit } from './submit.server'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

describe('submitLiveAudit', () => {
  it('stores the tags the auditors ticked, not the suggestions they dismissed nor tags off excerpts', async () => {
    const db = database.db
    const council = await makeCouncil(db)
    const lead = await makeUser(db, { councilId: council.councilId, roles: ['auditor'] })
    const caseFile = await makeCaseFile(db, {
      councilId: council.councilId,
      teamId: council.teamId,
    })
    const auditId = await makeAudit(db, {
      councilId: council.councilId,
      caseFile,
      leadAuditorId: lead.id,
    })
    const [row] = await db
      .select({ templateVersionId: audits.templateVersionId })
      .from(audits)
      .where(eq(audits.id, auditId))
    const template = await getTemplateDefinitionById(db, {
      councilId: council.councilId,
      id: row?.templateVersionId ?? '',
    })
    if (!template) throw new Error('no template')

    // The live document as two auditors left it: every answer, and the themes they chose.
    const doc = buildSkeleton(template, LEAD_PART)
    const answers = completeAnswers(template)
    doc.transact(() => {
      const map = doc.getMap(ANSWERS_MAP)
      for (const [key, value] of Object.entries(answers)) {
        const current = map.get(key)
        if (current instanceof Y.Text) current.insert(0, value)
        else map.set(key, value)
      }
      map.set(OVERALL_KEY, 'good')
      const tags = doc.getMap(THEMES_MAP)
      tags.set(tagKey('seeing-the-child.strengths', 'voice-of-the-child'), true)
      tags.set(tagKey('seeing-the-child.strengths', 'chronology'), false)
      tags.set(tagKey('seeing-the-child.areas-for-development', 'smart-planning'), true)
      tags.set(tagKey('seeing-the-child.judgement-reason', 'identity'), true)
    })
    await createInitialSnapshot(db, {
      councilId: council.councilId,
      documentName: documentName(auditId, LEAD_PART),
      state: Y.encodeStateAsUpdate(doc),
    })

    const result = await submitLiveAudit(makeLoadContext(db), {
      councilId: council.councilId,
      auditId,
      userId: lead.id,
      template,
    })
    expect(result).toEqual({ ok: true })
    const stored = await db
      .select({ key: auditThemes.questionKey, theme: themes.code, kind: auditThemes.kind })
      .from(auditThemes)
      .innerJoin(themes, eq(themes.id, auditThemes.themeId))
      .where(eq(auditThemes.auditId, auditId))
    expect(stored.map((s) => `${s.key} ${s.theme} ${s.kind}`).sort()).toEqual([
      'seeing-the-child.areas-for-development smart-planning development',
      'seeing-the-child.strengths voice-of-the-child strength',
    ])
  })
})
