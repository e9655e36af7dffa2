import { describe, expect, it } from 'vitest'
import { AGE_BANDS, parseCaseList } from './case-list-import'
import { DEFAULT_SERVICES } from './organisation'

const CONTEXT = { services: [...DEFAULT_SERVICES] }

function problemsOf(text: string) {
  const result = parseCaseList(text, CONTEXT)
  if (result.ok) throw new Error('expected the list to be refused')
  return result.problems
}

describe('parseCaseList', () => {
  it('reads cases, with or without the age band column', () => {
    const result = parseCaseList(
      '\uFEFFcase_ref,service,team,worker,age_band\r\n' +
        '100200,cin,T-CIN-1,sam.jones@trafford.gov.uk,5-9\r\n' +
        '100201, Children in care ,T-CIC-1,,\r\n',
      CONTEXT,
    )
    expect(result).toEqual({
      ok: true,
      cases: [
        {
          caseRef: '100200',
          service: 'cin',
          team: 'T-CIN-1',
          worker: 'sam.jones@trafford.gov.uk',
          ageBand: '5-9',
          row: 2,
        },
        { caseRef: '100201', service: 'cic', team: 'T-CIC-1', worker: null, ageBand: null, row: 3 },
      ],
    })
    const without = parseCaseList('WORKER,Team,Service,Case_Ref\n,T1,cp,A/1', CONTEXT)
    expect(without.ok && without.cases).toEqual([
      { caseRef: 'A/1', service: 'cp', team: 'T1', worker: null, ageBand: null, row: 2 },
    ])
  })

  it('lists the age bands', () => {
    expect(AGE_BANDS).toEqual(['0-4', '5-9', '10-15', '16-17', '18+'])
  })

  it('names unknown, missing and duplicate columns', () => {
    expect(
      problemsOf('case_ref,service,team,team,age,\n1,cin,T1,T1,3,').map((p) => [p.row, p.column]),
    ).toEqual([
      [1, 'team'],
      [1, 'age'],
      [1, 'worker'],
    ])
  })

  it('refuses an empty list', () => {
    expect(problemsOf('case_ref,service,team,worker\n')).toEqual([
      { row: 1, column: null, message: 'The file has no cases' },
    ])
  })

  it('lists every bad cell by row and column', () => {
    const text = [
      'case_ref,service,team,worker,age_band',
      '100200,cin,T1,sam@example.org,0-4',
      '=cmd|calc,nowhere,,not-an-email,Sep-05',
      '100200,cp,T 2,=x@example.org,18+',
      ',cin,T1,,',
    ].join('\n')
    expect(problemsOf(text).map((p) => [p.row, p.column])).toEqual([
      [3, 'case_ref'],
      [3, 'service'],
      [3, 'team'],
      [3, 'worker'],
      [3, 'age_band'],
      [4, 'case_ref'],
      [4, 'team'],
      [4, 'worker'],
      [5, 'case_ref'],
    ])
    const [formula, , , , band] = problemsOf(text)
    expect(formula?.message).toMatch(/looks like a spreadsheet formula/)
    expect(band?.message).toMatch(/not an age band/)
    expect(problemsOf(text)[5]?.message).toBe('"100200" is also on row 2; list each case only once')
  })
})
