import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { importAuditsCsv } from './import-audits'
import { auditJudgements, audits, auditThemes, caseFiles, councils, teams } from './schema/index'

const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'

const VALID = [
  HEADER,
  'TA-001,2025-04,lived-experience,100200,cin,T-CIN-1,moderated,good,requires-improvement,consistently,,,,,voice-of-the-child;chronology',
  'TA-002,2025-04,Management oversight,100201,Child protection,T-CP-1,submitted,RI,,partly,,Consistently evidenced,,,',
  'TA-003,2025-05,supervision,100202,cic,T-CIC-1,Moderated,outstanding,,,,,consistently,not,reflective-supervision',
  '"TA-004",2025-05,strength-based,100200,cin,T-CIN-1,cancelled,,,,,,,,',
].join('\r\n')

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

async function counts() {
  const db = database.db
  return {
    councils: await db.$count(councils),
    teams: await db.$count(teams),
    caseFiles: await db.$count(caseFiles),
    audits: await db.$count(audits),
    judgements: await db.$count(auditJudgements),
    themes: await db.$count(auditThemes),
  }
}

describe('importing historical audits', () => {
  it('needs a council code on a database with no council, and creates that council', async () => {
    const refused = await importAuditsCsv(database.db, { text: VALID })
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringContaining('--council') as unknown,
    })

    const outcome = await importAuditsCsv(database.db, { text: VALID, councilCode: 'trafford' })
    expect(outcome.ok).toBe(true)
    if (!outcome.ok) return
    expect(outcome.report).toEqual({
      council: { code: 'trafford', created: true },
      created: 4,
      updated: 0,
      createdTeams: ['T-CIN-1', 'T-CP-1', 'T-CIC-1'],
      createdCaseFiles: ['100200', '100201', '100202'],
    })
    expect(await counts()).toMatchObject({
      councils: 1,
      teams: 3,
      caseFiles: 3,
      audits: 4,
      judgements: 5,
      themes: 3,
    })
  })

  it('updates, not duplicates, on a second import of the same references', async () => {
    const changed = VALID.replace(
      'TA-002,2025-04,Management oversight,100201,Child protection,T-CP-1,submitted,RI',
      'TA-002,2025-04,Management oversight,100201,Child protection,T-CP-1,submitted,inadequate',
    )
    const outcome = await importAuditsCsv(database.db, { text: changed })
    expect(outcome.ok && outcome.report).toMatchObject({
      created: 0,
      updated: 4,
      createdTeams: [],
      createdCaseFiles: [],
    })
    expect(await counts()).toMatchObject({
      councils: 1,
      teams: 3,
      caseFiles: 3,
      audits: 4,
      judgements: 5,
      themes: 3,
    })
    const grades = await database.db
      .select({ ref: audits.externalRef, grade: audits.auditorGrade })
      .from(audits)
    expect(grades.find((g) => g.ref === 'TA-002')?.grade).toBe('inadequate')
  })

  it('imports nothing from a file with any bad row, and lists every problem', async () => {
    const before = await counts()
    const bad = [
      HEADER,
      'TA-100,2025-06,lived-experience,100300,cin,T-CIN-1,submitted,good,,consistently,,,,,',
      'TA-101,2025-13,lived-experience,=HYPERLINK("http://evil.test"),cin,T-CIN-1,submitted,good,,consistently,,,,,',
      'TA-102,2025-06,lived-experience,100301,cin,T-CIN-1,scheduled,good,,,,,,,unknown-theme',
    ].join('\n')
    const outcome = await importAuditsCsv(database.db, { text: bad })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    const where = outcome.problems.map((p) => `${p.row}:${p.column}`)
    expect(where).toEqual(
      expect.arrayContaining(['3:cycle', '3:case_ref', '4:auditor_grade', '4:themes']),
    )
    expect(await counts()).toEqual(before)
  })
})
