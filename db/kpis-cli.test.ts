import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { importAuditsCsv } from './import-audits'

const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
  const outcome = await importAuditsCsv(database.db, {
    councilCode: 'bolton',
    text: [
      HEADER,
      'B-1,2025-04,lived-experience,900001,cin,T-1,moderated,good,inadequate,consistently,,,,,',
      'B-2,2025-05,lived-experience,900002,cin,T-1,submitted,good,,partly,,,,,',
      'B-3,2025-05,lived-experience,900003,cp,T-2,cancelled,,,,,,,,',
    ].join('\n'),
  })
  if (!outcome.ok) throw new Error(outcome.message)
})
afterAll(() => database.drop())

function kpis(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'db/kpis-cli.ts', ...args], {
    env: {
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: database.url,
    },
    encoding: 'utf8',
  })
}

describe('npm run kpis', () => {
  it('prints only the KPI table as CSV', () => {
    const result = kpis(['--from', '2025-04', '--to', '2025-06', '--council', 'bolton'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const lines = result.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toBe('kpi,title,numerator,denominator,percent,target,rag')
    expect(lines).toHaveLength(11)
    expect(lines).toContain('A1.1,100% of audits completed,2,2,100.0,100,green')
    // The moderated grade replaces the auditor's: one of two is RI or better.
    expect(lines).toContain(
      'A1.3,70% of case file audits judged Requires Improvement or better,1,2,50.0,70,red',
    )
  })

  it('prints an aligned table on asking', () => {
    const result = kpis(['--from', '2025-04', '--to', '2025-06', '--format', 'table'])
    expect(result.status).toBe(0)
    expect(result.stdout.split('\n')[0]).toMatch(/^kpi\s+title\s+numerator/)
  })

  it('refuses a wrong month or format with a clear message and exit code 2', () => {
    const month = kpis(['--from', '2025-4', '--to', '2025-06'])
    expect(month.status).toBe(2)
    expect(month.stderr).toContain('--from: Enter the first month as YYYY-MM')
    expect(month.stdout).toBe('')
    const format = kpis(['--from', '2025-04', '--to', '2025-06', '--format', 'xlsx'])
    expect(format.status).toBe(2)
    expect(format.stderr).toContain('--format is csv or table.')
    const council = kpis(['--from', '2025-04', '--to', '2025-06', '--council', 'nowhere'])
    expect(council.status).toBe(2)
    expect(council.stderr).toContain('No council has the code nowhere')
  })
})
