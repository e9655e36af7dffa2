import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { audits } from './schema/index'

const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'

let database: TestDatabase
let dir: string
beforeAll(async () => {
  database = await createTestDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-cli-'))
})
afterAll(async () => {
  await database.drop()
  fs.rmSync(dir, { recursive: true, force: true })
})

function runImport(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'db/import-audits-cli.ts', ...args], {
    env: {
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: database.url,
    },
    encoding: 'utf8',
  })
}

describe('npm run audits:import', () => {
  it('imports a file into a new council and reports what it created', () => {
    const file = path.join(dir, 'good.csv')
    fs.writeFileSync(
      file,
      `${HEADER}\nX-1,2025-04,lived-experience,900001,cin,T-1,submitted,good,,consistently,,,,,\n`,
    )
    const result = runImport([file, '--council', 'wigan'])
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(
      'into council wigan (created, with the default services and themes)',
    )
    expect(result.stdout).toContain('1 audit created, 0 updated')
    expect(result.stdout).toContain('1 team created: T-1')
  })

  it('refuses a bad file with exit code 1, every problem on its own line, and imports nothing', async () => {
    const file = path.join(dir, 'bad.csv')
    fs.writeFileSync(
      file,
      `${HEADER}\nX-2,2025-4,lived-experience,900002,cin,T-1,submitted,good,,consistently,,,,,\nX-3,2025-04,nonsense,900003,cin,T-1,submitted,good,,,,,,,\n`,
    )
    const before = await database.db.$count(audits)
    const result = runImport([file])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('The file has 2 problems, so nothing was imported.')
    expect(result.stderr).toMatch(/row 2, cycle: /)
    expect(result.stderr).toMatch(/row 3, template: /)
    expect(await database.db.$count(audits)).toBe(before)
  })

  it('explains its usage and a missing file', () => {
    expect(runImport([]).stderr).toContain(
      'Usage: npm run audits:import -- FILE.csv [--council CODE]',
    )
    const missing = runImport([path.join(dir, 'nope.csv')])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('ENOENT')
  })
})
