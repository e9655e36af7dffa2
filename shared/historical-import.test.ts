import { describe, expect, it } from 'vitest'
import {
  formatProblem,
  HISTORICAL_COLUMNS,
  type ImportProblem,
  parseHistoricalAudits,
  TEMPLATE_MEASURES,
} from './historical-import'
import { DEFAULT_SERVICES, DEFAULT_THEMES } from './organisation'
import { TEMPLATE_CODES } from './templates/schema'

const CONTEXT = {
  services: [...DEFAULT_SERVICES],
  themes: DEFAULT_THEMES.map((t) => t.code),
}
const HEADER = HISTORICAL_COLUMNS.join(',')

type Row = Partial<Record<(typeof HISTORICAL_COLUMNS)[number], string>>

const GOOD: Row = {
  audit_ref: 'TA-001',
  cycle: '2024-04',
  template: 'lived-experience',
  case_ref: '100200',
  service: 'cin',
  team: 'T-CIN-1',
  status: 'submitted',
  auditor_grade: 'good',
  lived_experience: 'consistently',
}

function line(row: Row): string {
  return HISTORICAL_COLUMNS.map((c) => row[c] ?? '').join(',')
}

/** A file of the header and these rows, each starting from a valid audit with its own reference. */
function file(...rows: Row[]): string {
  return [
    HEADER,
    ...rows.map((row, i) => line({ ...GOOD, audit_ref: `TA-${i + 1}`, ...row })),
  ].join('\r\n')
}

function problemsOf(text: string): ImportProblem[] {
  const result = parseHistoricalAudits(text, CONTEXT)
  if (result.ok) throw new Error('expected the file to be refused')
  return result.problems
}

function where(text: string): string[] {
  return problemsOf(text).map((p) => `${p.row}:${p.column}`)
}

describe('parseHistoricalAudits: a valid file', () => {
  it('reads every column into an audit, with its spreadsheet row', () => {
    const result = parseHistoricalAudits(
      file(
        {
          status: 'moderated',
          auditor_grade: 'good',
          moderated_grade: 'requires-improvement',
          themes: 'voice-of-the-child; chronology',
        },
        {
          template: 'supervision',
          auditor_grade: 'outstanding',
          lived_experience: '',
          reflective_supervision: 'consistently',
          supervision_standards: 'not',
        },
      ),
      CONTEXT,
    )
    expect(result).toEqual({
      ok: true,
      audits: [
        {
          auditRef: 'TA-1',
          cycle: '2024-04',
          template: 'lived-experience',
          caseRef: '100200',
          service: 'cin',
          team: 'T-CIN-1',
          status: 'moderated',
          auditorGrade: 'good',
          moderatedGrade: 'requires-improvement',
          judgements: { 'lived-experience': 'consistently' },
          themes: ['voice-of-the-child', 'chronology'],
          row: 2,
        },
        {
          auditRef: 'TA-2',
          cycle: '2024-04',
          template: 'supervision',
          caseRef: '100200',
          service: 'cin',
          team: 'T-CIN-1',
          status: 'submitted',
          auditorGrade: 'outstanding',
          moderatedGrade: null,
          judgements: { 'reflective-supervision': 'consistently', 'supervision-standards': 'not' },
          themes: [],
          row: 3,
        },
      ],
    })
  })

  it('accepts columns in any order, any case, with spaces, a BOM and quoted cells', () => {
    const columns = [...HISTORICAL_COLUMNS].reverse()
    const header = columns.map((c) => ` ${c.toUpperCase()} `).join(',')
    const values = columns.map((c) => (c === 'audit_ref' ? '"TA-9"' : ` ${GOOD[c] ?? ''} `))
    const result = parseHistoricalAudits(`\uFEFF${header}\n${values.join(',')}\n`, CONTEXT)
    expect(result.ok && result.audits[0]).toMatchObject({
      auditRef: 'TA-9',
      cycle: '2024-04',
      status: 'submitted',
      row: 2,
    })
  })

  it('accepts codes and labels case-insensitively, and RI', () => {
    const result = parseHistoricalAudits(
      file(
        {
          template: 'MANAGEMENT OVERSIGHT',
          service: 'Child protection',
          status: 'In moderation',
          auditor_grade: 'RI',
          lived_experience: 'Consistently evidenced',
          management_oversight: 'PARTLY',
        },
        {
          template: 'Strength-based',
          service: 'CIC',
          status: 'moderated',
          auditor_grade: 'requires improvement',
          moderated_grade: 'Requires improvement to be good',
          strength_based: 'not applicable',
          lived_experience: 'N/A',
          themes: 'Voice-Of-The-Child;voice-of-the-child;;',
        },
        {
          template: 'multi-agency',
          status: 'IN-PROGRESS',
          auditor_grade: '',
          lived_experience: '',
        },
        { template: 'Multi-agency', status: 'Cancelled', auditor_grade: '', lived_experience: '' },
        { template: 'supervision', lived_experience: '', auditor_grade: 'Inadequate' },
        { template: 'Lived Experience', auditor_grade: 'OUTSTANDING' },
      ),
      CONTEXT,
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.audits.map((a) => [a.template, a.service, a.status, a.auditorGrade])).toEqual([
      ['management-oversight', 'cp', 'in-moderation', 'requires-improvement'],
      ['strength-based', 'cic', 'moderated', 'requires-improvement'],
      ['multi-agency', 'cin', 'in-progress', null],
      ['multi-agency', 'cin', 'cancelled', null],
      ['supervision', 'cin', 'submitted', 'inadequate'],
      ['lived-experience', 'cin', 'submitted', 'outstanding'],
    ])
    expect(result.audits[0]?.judgements).toEqual({
      'lived-experience': 'consistently',
      'management-oversight': 'partly',
    })
    expect(result.audits[1]?.moderatedGrade).toBe('requires-improvement')
    expect(result.audits[1]?.judgements).toEqual({
      'strength-based': 'n/a',
      'lived-experience': 'n/a',
    })
    expect(result.audits[1]?.themes).toEqual(['voice-of-the-child'])
  })

  it('skips empty lines and rows of empty cells, keeping spreadsheet row numbers', () => {
    const text = [
      HEADER,
      '',
      line({ ...GOOD, audit_ref: 'A' }),
      ',,,,,,,,,,,,,,',
      line({ ...GOOD, audit_ref: 'B' }),
    ].join('\n')
    const result = parseHistoricalAudits(text, CONTEXT)
    expect(result.ok && result.audits.map((a) => [a.auditRef, a.row])).toEqual([
      ['A', 3],
      ['B', 5],
    ])
  })

  it('knows which measures each template carries', () => {
    expect(Object.keys(TEMPLATE_MEASURES).sort()).toEqual([...TEMPLATE_CODES].sort())
    expect(TEMPLATE_MEASURES.supervision).toEqual([
      'reflective-supervision',
      'supervision-standards',
    ])
  })
})

describe('parseHistoricalAudits: the header', () => {
  it('refuses a file with no rows, or only a header', () => {
    expect(problemsOf('')).toEqual([
      { row: 1, column: null, message: expect.stringMatching(/empty/) as unknown },
    ])
    expect(problemsOf(`${HEADER}\r\n`)).toEqual([
      { row: 1, column: null, message: 'The file has no audits' },
    ])
    expect(problemsOf(`${HEADER}\r\n,,,\r\n`)[0]?.message).toBe('The file has no audits')
  })

  it('names an unknown, a missing and a duplicate column, all at once', () => {
    const header = HISTORICAL_COLUMNS.map<string>((c) => (c === 'cycle' ? 'cylce' : c))
      .concat(['Team'])
      .join(',')
    const problems = problemsOf(`${header}\n${line(GOOD)}`)
    expect(problems).toEqual([
      { row: 1, column: 'cylce', message: expect.stringMatching(/no column "cylce"/) as unknown },
      { row: 1, column: 'team', message: expect.stringMatching(/appears twice/) as unknown },
      { row: 1, column: 'cycle', message: 'The column cycle is missing from the header row' },
    ])
  })

  it('allows an unnamed empty column but not a value in one', () => {
    const ok = parseHistoricalAudits(`${HEADER},\n${line(GOOD)},`, CONTEXT)
    expect(ok.ok).toBe(true)
    expect(where(`${HEADER},\n${line(GOOD)},oops`)).toEqual(['2:null'])
  })
})

describe('parseHistoricalAudits: bad rows', () => {
  it('reports each bad cell by row and column, with plain messages', () => {
    const cases: [Row, string, RegExp][] = [
      [{ audit_ref: '' }, 'audit_ref', /audit reference is missing/],
      [
        { cycle: '2024-13' },
        'cycle',
        /^"2024-13" is not a month; write it as YYYY-MM, for example 2024-04$/,
      ],
      [{ cycle: '2024-4' }, 'cycle', /not a month/],
      [{ cycle: 'Apr-24' }, 'cycle', /format the column as text/],
      [{ cycle: '1999-12' }, 'cycle', /2000 to 2099/],
      [{ cycle: '' }, 'cycle', /missing/],
      [{ template: 'lived' }, 'template', /not a template/],
      [{ case_ref: '' }, 'case_ref', /case reference is missing/],
      [{ case_ref: '12 34' }, 'case_ref', /not a valid case reference/],
      [{ case_ref: 'x'.repeat(61) }, 'case_ref', /longer than 60/],
      [{ service: 'social care' }, 'service', /not one of the council’s services/],
      [{ team: '' }, 'team', /team id is missing/],
      [{ team: '_T' }, 'team', /starts with a letter or digit/],
      [{ status: 'done' }, 'status', /not a status/],
      [{ auditor_grade: 'Goodish' }, 'auditor_grade', /not a grade/],
      [{ status: 'moderated', moderated_grade: 'meh' }, 'moderated_grade', /not a grade/],
      [{ lived_experience: 'yes' }, 'lived_experience', /not an evidence judgement/],
      [
        { themes: 'voice-of-the-child;unknown-theme' },
        'themes',
        /"unknown-theme" is not on the council’s list of themes/,
      ],
    ]
    for (const [row, column, message] of cases) {
      const problems = problemsOf(file(row))
      expect(problems, JSON.stringify(row)).toEqual([
        { row: 2, column, message: expect.stringMatching(message) as unknown },
      ])
    }
  })

  it('refuses a judgement for a measure the template does not carry', () => {
    const problems = problemsOf(
      file(
        {
          template: 'supervision',
          lived_experience: 'consistently',
          reflective_supervision: 'partly',
        },
        { template: 'lived-experience', strength_based: 'partly', management_oversight: 'not' },
      ),
    )
    expect(problems).toEqual([
      {
        row: 2,
        column: 'lived_experience',
        message: 'The supervision template does not record lived experience; leave this cell blank',
      },
      {
        row: 3,
        column: 'strength_based',
        message: expect.stringMatching(/lived-experience template/) as unknown,
      },
      {
        row: 3,
        column: 'management_oversight',
        message: expect.stringMatching(/does not record/) as unknown,
      },
    ])
  })

  it('refuses grades and judgements on an audit that is scheduled, in progress or cancelled', () => {
    const problems = problemsOf(
      file(
        { status: 'scheduled', auditor_grade: 'good', lived_experience: '' },
        { status: 'in-progress', auditor_grade: '', lived_experience: 'partly' },
        {
          status: 'cancelled',
          auditor_grade: 'good',
          moderated_grade: 'good',
          lived_experience: 'not',
        },
      ),
    )
    expect(problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [
        2,
        'auditor_grade',
        'a scheduled audit has no grades yet; leave this cell blank or correct the status',
      ],
      [
        3,
        'lived_experience',
        'an audit in progress has no judgements yet; leave this cell blank or correct the status',
      ],
      [
        4,
        'auditor_grade',
        'a cancelled audit has no grades; leave this cell blank or correct the status',
      ],
      [
        4,
        'moderated_grade',
        'a cancelled audit has no grades; leave this cell blank or correct the status',
      ],
      [
        4,
        'lived_experience',
        'a cancelled audit has no judgements; leave this cell blank or correct the status',
      ],
    ])
  })

  it('refuses a moderated grade unless the audit is moderated', () => {
    expect(problemsOf(file({ status: 'submitted', moderated_grade: 'good' }))).toEqual([
      {
        row: 2,
        column: 'moderated_grade',
        message: 'A moderated grade needs the status moderated, but this audit is submitted',
      },
    ])
    expect(where(file({ status: 'in-moderation', moderated_grade: 'good' }))).toEqual([
      '2:moderated_grade',
    ])
  })

  it('refuses a repeated audit_ref, naming the first row', () => {
    const problems = problemsOf(
      file({ audit_ref: 'TA-7' }, { audit_ref: 'TA-8' }, { audit_ref: 'TA-7' }),
    )
    expect(problems).toEqual([
      {
        row: 4,
        column: 'audit_ref',
        message: '"TA-7" is also on row 2; each audit_ref may appear only once',
      },
    ])
  })

  it('refuses formula-like references, case references and teams', () => {
    const text = [
      HEADER,
      line({ ...GOOD, audit_ref: '"=HYPERLINK(""http://evil.test"",""x"")"' }),
      line({ ...GOOD, audit_ref: 'B', case_ref: '+441611234567' }),
      line({ ...GOOD, audit_ref: 'C', team: '@SUM(A1:A9)' }),
      line({ ...GOOD, audit_ref: 'D', case_ref: '-1+1' }),
    ].join('\n')
    const problems = problemsOf(text)
    expect(problems.map((p) => `${p.row}:${p.column}`)).toEqual([
      '2:audit_ref',
      '3:case_ref',
      '4:team',
      '5:case_ref',
    ])
    for (const problem of problems)
      expect(problem.message).toMatch(/looks like a spreadsheet formula/)
  })

  it('lists every problem in the file, not just the first', () => {
    const text = [
      HEADER,
      line({ ...GOOD, audit_ref: 'TA-100' }),
      'TA-101,2025-13,lived-experience,=HYPERLINK("http://evil.test"),cin,T-CIN-1,submitted,good,,consistently,,,,,',
      line({
        ...GOOD,
        audit_ref: 'TA-102',
        status: 'scheduled',
        lived_experience: '',
        themes: 'unknown-theme',
      }),
      line({ ...GOOD, audit_ref: 'TA-100', service: 'nope', auditor_grade: 'great' }),
    ].join('\n')
    expect(where(text)).toEqual([
      '3:case_ref', // the stray quote
      '3:cycle',
      '3:case_ref', // the formula
      '4:auditor_grade',
      '4:themes',
      '5:audit_ref',
      '5:service',
      '5:auditor_grade',
    ])
  })

  it('refuses a row with a value beyond the header, and stops at an unclosed quote', () => {
    expect(where(`${HEADER}\n${line(GOOD)},extra`)).toEqual(['2:null'])
    const unclosed = problemsOf(`${HEADER}\n${line(GOOD)}\n"TA-2,2024-04\n${line(GOOD)}`)
    expect(unclosed).toEqual([
      { row: 3, column: 'audit_ref', message: expect.stringMatching(/never closed/) as unknown },
    ])
  })

  it('refuses a file of more than 200,000 audits', () => {
    const row = line(GOOD)
    const text = `${HEADER}\n${`${row}\n`.repeat(200_001)}`
    expect(problemsOf(text)).toEqual([
      {
        row: 200_002,
        column: null,
        message: 'The file has more than 200,000 audits; split it into smaller files',
      },
    ])
  })

  it('formats a problem for a plain-text report', () => {
    expect(formatProblem({ row: 7, column: 'cycle', message: '"2024-13" is not a month' })).toBe(
      'Row 7, column cycle: "2024-13" is not a month',
    )
    expect(formatProblem({ row: 1, column: null, message: 'The file has no audits' })).toBe(
      'Row 1: The file has no audits',
    )
  })
})

describe('parseHistoricalAudits: a large file', () => {
  it('checks 100,000 rows', () => {
    const templates = [
      'lived-experience',
      'management-oversight',
      'strength-based',
      'supervision',
      'multi-agency',
    ]
    const lines = [HEADER]
    for (let i = 0; i < 100_000; i += 1) {
      const template = templates[i % 5]!
      const supervision = template === 'supervision'
      lines.push(
        line({
          audit_ref: `H-${i}`,
          cycle: `20${19 + (i % 7)}-${String((i % 12) + 1).padStart(2, '0')}`,
          template,
          case_ref: String(500_000 + (i % 40_000)),
          service: DEFAULT_SERVICES[i % DEFAULT_SERVICES.length]!.code,
          team: `T-${i % 40}`,
          status: i % 3 === 0 ? 'moderated' : 'submitted',
          auditor_grade: 'good',
          moderated_grade: i % 3 === 0 ? 'requires-improvement' : '',
          lived_experience: supervision ? '' : 'consistently',
          reflective_supervision: supervision ? 'partly' : '',
          supervision_standards: supervision ? 'not' : '',
          themes: i % 2 === 0 ? 'voice-of-the-child;chronology' : '',
        }),
      )
    }
    const result = parseHistoricalAudits(lines.join('\r\n'), CONTEXT)
    expect(result.ok).toBe(true)
    expect(result.ok && result.audits.length).toBe(100_000)
  })
})
