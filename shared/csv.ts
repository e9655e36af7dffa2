/**
 * CSV as RFC 4180 describes it and as spreadsheets write it: UTF-8, with or without a byte-order
 * mark, LF, CRLF or a lone CR between rows, `"` around cells that hold commas, quotes or line breaks.
 */

const QUOTE = 0x22
const COMMA = 0x2c
const LF = 0x0a
const CR = 0x0d
const BOM = 0xfeff

/** A flaw found while reading; `column` is the 0-based cell index, when there is one. */
export type CsvProblem = { row: number; column: number | null; message: string }

export type CsvScan = {
  rows: string[][]
  /** The spreadsheet row number (header = 1) of each row; differs from index + 2 after empty lines. */
  rowNumbers: number[]
  problems: CsvProblem[]
  /** True when the file could not be read to its end, so later rows are missing or wrong. */
  fatal: boolean
}

const STRAY_QUOTE =
  'a " appears inside a cell that does not start with one; put the whole cell in quotes and write the " twice ("")'
const AFTER_QUOTE =
  'text follows the closing " of a quoted cell; put the whole cell in quotes and write any " inside it twice ("")'

/**
 * Reads every row, noting flaws instead of stopping at them, so an import can list every problem in
 * a file at once. A stray quote is kept as text (as spreadsheets do); only a quote that is never
 * closed stops the scan, since everything after it is swallowed into one cell.
 */
export function scanCsv(text: string): CsvScan {
  const rows: string[][] = []
  const rowNumbers: number[] = []
  const problems: CsvProblem[] = []
  const n = text.length
  let i = text.charCodeAt(0) === BOM ? 1 : 0
  let rowNumber = 0

  while (i < n) {
    rowNumber += 1
    const first = text.charCodeAt(i)
    // Empty lines are skipped, but still counted: a spreadsheet shows them as rows.
    if (first === LF) {
      i += 1
      continue
    }
    if (first === CR) {
      i += text.charCodeAt(i + 1) === LF ? 2 : 1
      continue
    }

    const row: string[] = []
    for (;;) {
      let value: string
      if (text.charCodeAt(i) === QUOTE) {
        value = ''
        let from = i + 1
        for (;;) {
          const close = text.indexOf('"', from)
          if (close === -1) {
            problems.push({
              row: rowNumber,
              column: row.length,
              message:
                'a quoted cell is never closed: a " is missing, so the rest of the file cannot be read',
            })
            return { rows, rowNumbers, problems, fatal: true }
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1)
            from = close + 2
            continue
          }
          value += text.slice(from, close)
          i = close + 1
          break
        }
        // Anything between the closing quote and the end of the cell is kept, but is a flaw.
        let j = i
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === COMMA || c === LF || c === CR) break
          j += 1
        }
        if (j > i) {
          problems.push({ row: rowNumber, column: row.length, message: AFTER_QUOTE })
          value += text.slice(i, j)
          i = j
        }
      } else {
        let j = i
        let stray = false
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === COMMA || c === LF || c === CR) break
          if (c === QUOTE) stray = true
          j += 1
        }
        if (stray) problems.push({ row: rowNumber, column: row.length, message: STRAY_QUOTE })
        value = text.slice(i, j)
        i = j
      }
      row.push(value)
      if (i < n && text.charCodeAt(i) === COMMA) {
        i += 1
        continue
      }
      break
    }

    rows.push(row)
    rowNumbers.push(rowNumber)
    if (i < n) i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
  }
  return { rows, rowNumbers, problems, fatal: false }
}

export type CsvParseResult =
  | { ok: true; rows: string[][]; rowNumbers: number[] }
  | { ok: false; problem: { row: number; message: string } }

/** Strict reading: the first flaw, by spreadsheet row (header = 1), or every row. */
export function parseCsv(text: string): CsvParseResult {
  const scan = scanCsv(text)
  const problem = scan.problems[0]
  if (problem) {
    const where = problem.column === null ? '' : `Column ${problem.column + 1}: `
    const message = `${where}${problem.message}`
    return { ok: false, problem: { row: problem.row, message } }
  }
  return { ok: true, rows: scan.rows, rowNumbers: scan.rowNumbers }
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r'])

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"); the
 * leading `'` makes it text, and the spreadsheet hides the quote mark.
 */
export function escapeFormula(cell: string): string {
  return cell.length > 0 && FORMULA_START.has(cell[0]!) ? `'${cell}` : cell
}

const NEEDS_QUOTES = /[",\r\n]/

function writeCell(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return ''
  // Numbers are the product's own values, never user text, and -5 must stay a number.
  if (typeof cell === 'number') return String(cell)
  const text = escapeFormula(cell)
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** RFC 4180 with CRLF after every row; every text cell is escaped against formula injection. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  let out = ''
  for (const row of rows) out += `${row.map(writeCell).join(',')}\r\n`
  return out
}
