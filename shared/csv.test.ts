import { describe, expect, it } from 'vitest'
import { escapeFormula, parseCsv, scanCsv, toCsv } from './csv'

function rows(text: string): string[][] {
  const result = parseCsv(text)
  if (!result.ok) throw new Error(`row ${result.problem.row}: ${result.problem.message}`)
  return result.rows
}

describe('parseCsv', () => {
  it('reads plain rows with LF, CRLF or a lone CR', () => {
    expect(rows('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(rows('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(rows('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('drops a byte-order mark at the start', () => {
    expect(rows('\uFEFFaudit_ref,cycle\r\nA,2024-04')).toEqual([
      ['audit_ref', 'cycle'],
      ['A', '2024-04'],
    ])
  })

  it('keeps empty cells, including at the end of a row', () => {
    expect(rows('a,,c,\n,,,')).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ])
  })

  it('reads quoted cells holding commas, quotes and line breaks', () => {
    expect(rows('"a,b","say ""hi""","line 1\r\nline 2",""\n"x"')).toEqual([
      ['a,b', 'say "hi"', 'line 1\r\nline 2', ''],
      ['x'],
    ])
    expect(rows('"""=1"""')).toEqual([['"=1"']])
  })

  it('skips empty lines but counts them as spreadsheet rows', () => {
    const result = parseCsv('h\n\na\r\n\r\n"b\nc"\nd\n')
    expect(result).toEqual({
      ok: true,
      rows: [['h'], ['a'], ['b\nc'], ['d']],
      rowNumbers: [1, 3, 5, 6],
    })
  })

  it('reads an empty file as no rows', () => {
    expect(rows('')).toEqual([])
    expect(rows('\uFEFF')).toEqual([])
    expect(rows('\r\n\n')).toEqual([])
  })

  it('reports an unterminated quote by the row it starts on', () => {
    const result = parseCsv('h1,h2\r\nA,1\r\nB,"never closed\r\nC,3\r\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problem.row).toBe(3)
    expect(result.problem.message).toMatch(/never closed/)
  })

  it('reports a quote in the middle of an unquoted cell, and text after a closing quote', () => {
    const stray = parseCsv('h1,h2\nA,=HYPERLINK("x")\n')
    expect(stray).toEqual({
      ok: false,
      problem: { row: 2, message: expect.stringMatching(/^Column 2: a "/) as unknown },
    })
    const after = parseCsv('h1\n"ab"c\n')
    expect(after.ok).toBe(false)
    if (!after.ok) expect(after.problem.row).toBe(2)
  })

  it('scanCsv reads on past a stray quote, noting every one', () => {
    const scan = scanCsv('a,b\nx"y,1\n2,"z"w\n')
    expect(scan.fatal).toBe(false)
    expect(scan.rows).toEqual([
      ['a', 'b'],
      ['x"y', '1'],
      ['2', 'zw'],
    ])
    expect(scan.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 0],
      [3, 1],
    ])
  })

  it('round-trips what toCsv writes', () => {
    const table = [
      ['plain', 'with, comma', 'with "quotes"', 'two\nlines', ''],
      ['x', 'y', 'z', 'w', 'v'],
    ]
    expect(rows(toCsv(table))).toEqual(table)
  })
})

describe('toCsv', () => {
  it('ends every row with CRLF and quotes only when needed', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'x\ny', 'x\ry']])).toBe(
      'a,"b,c","say ""hi""","x\ny","x\ry"\r\n',
    )
    expect(toCsv([])).toBe('')
  })

  it('writes null and undefined as empty cells, and numbers as numbers', () => {
    expect(toCsv([[null, undefined, 0, 81.3, -5, 1e21]])).toBe(',,0,81.3,-5,1e+21\r\n')
  })

  it('escapes text that a spreadsheet would run as a formula', () => {
    expect(toCsv([['=1+1', '+44 161', '-5', '@SUM(A1)', '\tx', '\rx', 'a=b']])).toBe(
      `'=1+1,'+44 161,'-5,'@SUM(A1),'\tx,"'\rx",a=b\r\n`,
    )
    expect(toCsv([['=HYPERLINK("http://evil.test","x")']])).toBe(
      `"'=HYPERLINK(""http://evil.test"",""x"")"\r\n`,
    )
  })

  it('leaves a negative number alone but escapes the same text', () => {
    expect(toCsv([[-5, '-5']])).toBe(`-5,'-5\r\n`)
  })
})

describe('escapeFormula', () => {
  it('prefixes a quote mark to each formula start and nothing else', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(escapeFormula(`${start}x`)).toBe(`'${start}x`)
    }
    expect(escapeFormula('')).toBe('')
    expect(escapeFormula('Good')).toBe('Good')
    expect(escapeFormula(' =1')).toBe(' =1')
  })
})
