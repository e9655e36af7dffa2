import { AUDIT_STATUS_LABELS, AUDIT_STATUSES, type AuditStatus } from './audit-status'
import { scanCsv } from './csv'
import { EVIDENCE_JUDGEMENTS, type Evidence, type Grade, GRADES } from './grading'
import type { Measure } from './measures'
import { TEMPLATE_CODES, type TemplateCode } from './templates/schema'

/** A reason a file is refused, where a spreadsheet user would look for it (header = row 1). */
export type ImportProblem = { row: number; column: string | null; message: string }

/** `Row 7, column cycle: "2024-13" is not a month; …`, for logs and plain-text reports. */
export function formatProblem(problem: ImportProblem): string {
  const where = problem.column === null ? '' : `, column ${problem.column}`
  return `Row ${problem.row}${where}: ${problem.message}`
}

// ---------------------------------------------------------------------------------------------------
// Reading a whole file into checked rows: shared by every CSV import.

export type ImportRow = {
  /** Spreadsheet row number. */
  row: number
  /** Trimmed cells, in the file's column order. */
  cells: string[]
}

export type ReadTableResult =
  | {
      ok: true
      rows: ImportRow[]
      /** Where each column is; a missing optional column is -1, whose cells read as blank. */
      columnIndex: (column: string) => number
      problems: ImportProblem[]
    }
  | { ok: false; problems: ImportProblem[] }

/** A row's cell, '' when the row stops short of it or the column is absent. */
export function cellAt(row: ImportRow, index: number): string {
  return row.cells[index] ?? ''
}

/**
 * The header and rows of an import file. Problems that stop the rows being read at all (an unclosed
 * quote, a wrong header, no rows, too many) end it; flaws within rows are returned alongside them so
 * the caller can list them with its own checks of every cell.
 */
export function readImportTable(
  text: string,
  spec: {
    columns: readonly string[]
    optionalColumns?: readonly string[]
    /** What a row is, for messages: "audits", "cases". */
    noun: string
    maxRows: number
  },
): ReadTableResult {
  const scan = scanCsv(text)
  const [header = [], ...data] = scan.rows
  const dataRowNumbers = scan.rowNumbers.slice(1)
  const headerRow = scan.rowNumbers[0] ?? 1
  const names = header.map((name) => name.trim().toLowerCase())
  const columnName = (index: number | null) => (index === null ? null : names[index] || null)
  const csvProblems = scan.problems.map((p) => ({
    row: p.row,
    column: columnName(p.column),
    message: p.message,
  }))
  if (scan.fatal) return { ok: false, problems: csvProblems }

  if (scan.rows.length === 0) {
    return {
      ok: false,
      problems: [
        {
          row: 1,
          column: null,
          message: `The file is empty; its first row must be the header: ${spec.columns.join(', ')}`,
        },
      ],
    }
  }

  const allowed = new Set([...spec.columns, ...(spec.optionalColumns ?? [])])
  const index = new Map<string, number>()
  const problems: ImportProblem[] = csvProblems.filter((p) => p.row === headerRow)
  names.forEach((name, i) => {
    // Spreadsheets often write empty columns at the end; they matter only if a row uses them.
    if (name === '') return
    if (!allowed.has(name)) {
      const written = (header[i] ?? '').trim()
      problems.push({
        row: headerRow,
        column: written,
        message: `There is no column "${show(written)}"; check the spelling. The columns are ${[...allowed].join(', ')}`,
      })
      return
    }
    const earlier = index.get(name)
    if (earlier !== undefined) {
      problems.push({
        row: headerRow,
        column: name,
        message: `The column ${name} appears twice, as columns ${earlier + 1} and ${i + 1}; keep one of them`,
      })
      return
    }
    index.set(name, i)
  })
  for (const column of spec.columns) {
    if (!index.has(column)) {
      problems.push({
        row: headerRow,
        column,
        message: `The column ${column} is missing from the header row`,
      })
    }
  }
  if (problems.length > 0) return { ok: false, problems }

  const rows: ImportRow[] = []
  const rowProblems = csvProblems.filter((p) => p.row !== headerRow)
  let count = 0
  for (let r = 0; r < data.length; r += 1) {
    const cells = data[r]!
    const rowNumber = dataRowNumbers[r]!
    let blank = true
    for (let c = 0; c < cells.length; c += 1) {
      const cell = cells[c]!.trim()
      cells[c] = cell
      if (cell !== '') blank = false
    }
    // A row of empty cells (",,,,") is what spreadsheets leave after deleted rows: not an entry.
    if (blank) continue
    count += 1
    if (count > spec.maxRows) {
      return {
        ok: false,
        problems: [
          {
            row: rowNumber,
            column: null,
            message: `The file has more than ${spec.maxRows.toLocaleString('en-GB')} ${spec.noun}; split it into smaller files`,
          },
        ],
      }
    }
    for (let c = 0; c < cells.length; c += 1) {
      if (cells[c] !== '' && (c >= names.length || names[c] === '')) {
        rowProblems.push({
          row: rowNumber,
          column: null,
          message: `Column ${c + 1} has a value but no column name in the header; a cell may hold a comma that needs quotes around it`,
        })
        break
      }
    }
    // NOTE: a row shorter than the header reads its missing cells as blank, as spreadsheets
    // sometimes drop trailing empty cells; required cells are still checked.
    rows.push({ row: rowNumber, cells })
  }
  if (count === 0) {
    return {
      ok: false,
      problems: [{ row: headerRow, column: null, message: `The file has no ${spec.noun}` }],
    }
  }
  return { ok: true, rows, columnIndex: (column) => index.get(column) ?? -1, problems: rowProblems }
}

// ---------------------------------------------------------------------------------------------------
// Cell checks shared by the imports.

/** A cell quoted in a message, cut short so that a pasted paragraph does not swamp the list. */
export function show(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ')
  return oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$/
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * References and team ids from the case management system. The narrow alphabet also keeps out
 * cells a spreadsheet would run as a formula when the data is exported again.
 */
export function identifierProblem(value: string, what: string): string | null {
  if (IDENTIFIER.test(value)) return null
  if (value === '') return `The ${what} is missing`
  const rule = `a ${what} uses only letters, digits, ".", "_", "/" and "-", and starts with a letter or digit`
  if (FORMULA_START.test(value)) {
    return `"${show(value)}" looks like a spreadsheet formula, which is not allowed; ${rule}`
  }
  if (value.length > 60) return `"${show(value)}" is longer than 60 characters`
  return `"${show(value)}" is not a valid ${what}; ${rule}`
}

/** Lower-case, single spaces: how codes and labels are matched. */
function key(value: string): string {
  return value.toLowerCase().replace(/\s+/g, ' ')
}

/** Finds the code a cell names by its code or any of its labels, case-insensitively. */
export function codeLookup<T extends string>(
  entries: readonly { code: T; labels: readonly string[] }[],
): (value: string) => T | undefined {
  const map = new Map<string, T>()
  for (const entry of entries) {
    for (const name of [entry.code, ...entry.labels]) {
      const k = key(name)
      if (!map.has(k)) map.set(k, entry.code)
    }
  }
  // Most cells hold the code exactly: try that before making lower-case copies.
  return (value) => map.get(value) ?? map.get(value.toLowerCase()) ?? map.get(key(value))
}

export function serviceLookup(
  services: readonly { code: string; label: string }[],
): (value: string) => string | undefined {
  // Codes first, so that a label equal to another service's code never hides that code.
  return codeLookup([
    ...services.map((s) => ({ code: s.code, labels: [] })),
    ...services.map((s) => ({ code: s.code, labels: [s.label] })),
  ])
}

export function serviceProblem(
  value: string,
  services: readonly { code: string; label: string }[],
): string {
  if (value === '') return 'The service is missing'
  return `"${show(value)}" is not one of the council’s services; use one of ${services.map((s) => s.code).join(', ')}`
}

// ---------------------------------------------------------------------------------------------------
// The historical audits file (DOMAIN.md, "Historical audits: the CSV exchange format").

export const HISTORICAL_COLUMNS = [
  'audit_ref',
  'cycle',
  'template',
  'case_ref',
  'service',
  'team',
  'status',
  'auditor_grade',
  'moderated_grade',
  'lived_experience',
  'strength_based',
  'management_oversight',
  'reflective_supervision',
  'supervision_standards',
  'themes',
] as const
export type HistoricalColumn = (typeof HISTORICAL_COLUMNS)[number]

export const MAX_HISTORICAL_ROWS = 200_000

/** The KPI measures each built-in template carries (DOMAIN.md, "Audit templates"). */
export const TEMPLATE_MEASURES: Readonly<Record<TemplateCode, readonly Measure[]>> = {
  'lived-experience': ['lived-experience'],
  'management-oversight': ['management-oversight', 'lived-experience'],
  'strength-based': ['strength-based', 'lived-experience'],
  supervision: ['reflective-supervision', 'supervision-standards'],
  'multi-agency': ['lived-experience', 'management-oversight', 'strength-based'],
}

const JUDGEMENT_COLUMNS = [
  ['lived_experience', 'lived-experience'],
  ['strength_based', 'strength-based'],
  ['management_oversight', 'management-oversight'],
  ['reflective_supervision', 'reflective-supervision'],
  ['supervision_standards', 'supervision-standards'],
] as const satisfies readonly (readonly [HistoricalColumn, Measure])[]

export type HistoricalAudit = {
  auditRef: string
  /** `YYYY-MM` */
  cycle: string
  template: TemplateCode
  caseRef: string
  /** A service code of the council. */
  service: string
  /** The team's id in the case management system. */
  team: string
  status: AuditStatus
  auditorGrade: Grade | null
  moderatedGrade: Grade | null
  /** Final values; a measure the file leaves blank is absent. */
  judgements: Partial<Record<Measure, Evidence>>
  /** Theme codes, each once. */
  themes: string[]
  row: number
}

const TEMPLATE_LABELS: Record<TemplateCode, readonly string[]> = {
  'lived-experience': ['Lived experience'],
  'management-oversight': ['Management oversight'],
  'strength-based': ['Strength-based', 'Strength based'],
  supervision: ['Supervision'],
  'multi-agency': ['Multi-agency', 'Multi agency', 'MACFA'],
}
const findTemplate = codeLookup(
  TEMPLATE_CODES.map((code) => ({ code, labels: TEMPLATE_LABELS[code] })),
)
const findStatus = codeLookup(
  AUDIT_STATUSES.map((code) => ({ code, labels: [AUDIT_STATUS_LABELS[code]] })),
)
const findGrade = codeLookup<Grade>(
  GRADES.map((g) => ({
    code: g.code,
    labels: g.code === 'requires-improvement' ? [g.label, 'Requires improvement', 'RI'] : [g.label],
  })),
)
const findEvidence = codeLookup<Evidence>(
  EVIDENCE_JUDGEMENTS.map((e) => ({ code: e.code, labels: [e.label] })),
)

const CYCLE = /^(\d{4})-(\d{2})$/

function cycleProblem(value: string): string | null {
  const example = 'write it as YYYY-MM, for example 2024-04'
  if (value === '') return `The month (cycle) is missing; ${example}`
  const match = CYCLE.exec(value)
  const year = Number(match?.[1])
  const month = Number(match?.[2])
  if (!match || month < 1 || month > 12) {
    const hint = /[a-z/]/i.test(value)
      ? ' (format the column as text so the spreadsheet keeps it)'
      : ''
    return `"${show(value)}" is not a month; ${example}${hint}`
  }
  if (year < 2000 || year > 2099) return `"${value}" is outside the years 2000 to 2099`
  return null
}

/** How messages name an audit that may not carry grades or judgements in its status. */
const UNGRADED: Partial<Record<AuditStatus, string>> = {
  scheduled: 'a scheduled audit has no {what} yet',
  'in-progress': 'an audit in progress has no {what} yet',
  cancelled: 'a cancelled audit has no {what}',
}

function report(
  problems: ImportProblem[],
  row: number,
  column: HistoricalColumn,
  message: string,
): void {
  problems.push({ row, column, message })
}

type RowContext = {
  at: Readonly<Record<HistoricalColumn, number>>
  findService: (value: string) => string | undefined
  services: readonly { code: string; label: string }[]
  themeCodes: ReadonlyMap<string, string>
  themeList: string
  firstRowOfRef: Map<string, number>
  problems: ImportProblem[]
}

// NOTE: a 100,000-row file is checked in a fraction of a second only while each row allocates
// little besides its audit, so cells are read by index and the lookups are built once per file.
function checkAudit(line: ImportRow, ctx: RowContext): HistoricalAudit | null {
  const { row } = line
  const { at, problems } = ctx
  const before = problems.length

  const auditRef = cellAt(line, at.audit_ref)
  const refProblem = identifierProblem(auditRef, 'audit reference')
  if (refProblem) report(problems, row, 'audit_ref', refProblem)
  else {
    const first = ctx.firstRowOfRef.get(auditRef)
    if (first === undefined) ctx.firstRowOfRef.set(auditRef, row)
    else
      report(
        problems,
        row,
        'audit_ref',
        `"${auditRef}" is also on row ${first}; each audit_ref may appear only once`,
      )
  }

  const cycle = cellAt(line, at.cycle)
  const badCycle = cycleProblem(cycle)
  if (badCycle) report(problems, row, 'cycle', badCycle)

  const templateCell = cellAt(line, at.template)
  const template = findTemplate(templateCell)
  if (!template) {
    report(
      problems,
      row,
      'template',
      templateCell === ''
        ? 'The template is missing'
        : `"${show(templateCell)}" is not a template; use one of ${TEMPLATE_CODES.join(', ')}`,
    )
  }

  const caseRef = cellAt(line, at.case_ref)
  const caseProblem = identifierProblem(caseRef, 'case reference')
  if (caseProblem) report(problems, row, 'case_ref', caseProblem)

  const serviceCell = cellAt(line, at.service)
  const service = ctx.findService(serviceCell)
  if (!service) report(problems, row, 'service', serviceProblem(serviceCell, ctx.services))

  const team = cellAt(line, at.team)
  const teamProblem = identifierProblem(team, 'team id')
  if (teamProblem) report(problems, row, 'team', teamProblem)

  const statusCell = cellAt(line, at.status)
  const status = findStatus(statusCell)
  if (!status) {
    report(
      problems,
      row,
      'status',
      statusCell === ''
        ? 'The status is missing'
        : `"${show(statusCell)}" is not a status; use one of ${AUDIT_STATUSES.join(', ')}`,
    )
  }
  const ungraded = status ? UNGRADED[status] : undefined

  let auditorGrade: Grade | null = null
  let moderatedGrade: Grade | null = null
  for (const column of ['auditor_grade', 'moderated_grade'] as const) {
    const cell = cellAt(line, at[column])
    if (cell === '') continue
    const found = findGrade(cell)
    if (!found) {
      report(
        problems,
        row,
        column,
        `"${show(cell)}" is not a grade; use Outstanding, Good, Requires improvement (or RI) or Inadequate`,
      )
      continue
    }
    if (ungraded) {
      report(
        problems,
        row,
        column,
        `${ungraded.replace('{what}', 'grades')}; leave this cell blank or correct the status`,
      )
    } else if (column === 'moderated_grade' && status && status !== 'moderated') {
      report(
        problems,
        row,
        column,
        `A moderated grade needs the status moderated, but this audit is ${AUDIT_STATUS_LABELS[status].toLowerCase()}`,
      )
    }
    if (column === 'auditor_grade') auditorGrade = found
    else moderatedGrade = found
  }

  const judgements: Partial<Record<Measure, Evidence>> = {}
  for (const [column, measure] of JUDGEMENT_COLUMNS) {
    const cell = cellAt(line, at[column])
    if (cell === '') continue
    const found = findEvidence(cell)
    if (!found) {
      report(
        problems,
        row,
        column,
        `"${show(cell)}" is not an evidence judgement; use Consistently evidenced, Partly evidenced, Not evidenced or Not applicable`,
      )
    } else if (template && !TEMPLATE_MEASURES[template].includes(measure)) {
      report(
        problems,
        row,
        column,
        `The ${template} template does not record ${column.replace('_', ' ')}; leave this cell blank`,
      )
    } else if (ungraded) {
      report(
        problems,
        row,
        column,
        `${ungraded.replace('{what}', 'judgements')}; leave this cell blank or correct the status`,
      )
    } else {
      judgements[measure] = found
    }
  }

  const themes: string[] = []
  const themesCell = cellAt(line, at.themes)
  if (themesCell !== '') {
    for (const part of themesCell.split(';')) {
      const name = part.trim()
      if (name === '') continue
      const code = ctx.themeCodes.get(name.toLowerCase())
      if (!code)
        report(
          problems,
          row,
          'themes',
          `"${show(name)}" is not on the council’s list of themes${ctx.themeList}`,
        )
      else if (!themes.includes(code)) themes.push(code)
    }
  }

  if (problems.length > before || !template || !service || !status) return null
  return {
    auditRef,
    cycle,
    template,
    caseRef,
    service,
    team,
    status,
    auditorGrade,
    moderatedGrade,
    judgements,
    themes,
    row,
  }
}

/**
 * Checks a whole historical audits file. Nothing is imported unless every row is right, so every
 * problem in the file is listed, each by spreadsheet row and column.
 */
export function parseHistoricalAudits(
  text: string,
  context: { services: readonly { code: string; label: string }[]; themes: readonly string[] },
): { ok: true; audits: HistoricalAudit[] } | { ok: false; problems: ImportProblem[] } {
  const table = readImportTable(text, {
    columns: HISTORICAL_COLUMNS,
    noun: 'audits',
    maxRows: MAX_HISTORICAL_ROWS,
  })
  if (!table.ok) return table

  const ctx: RowContext = {
    at: Object.fromEntries(HISTORICAL_COLUMNS.map((c) => [c, table.columnIndex(c)])) as Record<
      HistoricalColumn,
      number
    >,
    findService: serviceLookup(context.services),
    services: context.services,
    themeCodes: new Map(context.themes.map((code) => [code.toLowerCase(), code])),
    themeList: context.themes.length <= 15 ? `; use one of ${context.themes.join(', ')}` : '',
    firstRowOfRef: new Map(),
    problems: table.problems,
  }
  const audits: HistoricalAudit[] = []
  for (const line of table.rows) {
    const audit = checkAudit(line, ctx)
    if (audit) audits.push(audit)
  }

  const { problems } = ctx
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.row - b.row) }
  return { ok: true, audits }
}
