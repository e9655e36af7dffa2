import { z } from 'zod'
import {
  cellAt,
  identifierProblem,
  type ImportProblem,
  readImportTable,
  serviceLookup,
  serviceProblem,
  show,
} from './historical-import'

/** Age bands as the Annex A lists report them. */
export const AGE_BANDS = ['0-4', '5-9', '10-15', '16-17', '18+'] as const
export const AgeBandSchema = z.enum(AGE_BANDS)
export type AgeBand = z.infer<typeof AgeBandSchema>

export const CASE_LIST_COLUMNS = ['case_ref', 'service', 'team', 'worker'] as const
export const CASE_LIST_OPTIONAL_COLUMNS = ['age_band'] as const

export const MAX_CASE_LIST_ROWS = 200_000

export type CaseListEntry = {
  caseRef: string
  /** A service code of the council. */
  service: string
  /** The team's id in the case management system. */
  team: string
  /** The allocated practitioner's email address; null when the case is unallocated. */
  worker: string | null
  ageBand: AgeBand | null
  row: number
}

const AGE_BAND_SET: ReadonlySet<string> = new Set(AGE_BANDS)
function isAgeBand(value: string): value is AgeBand {
  return AGE_BAND_SET.has(value)
}

// Deliberately narrower than RFC 5321: it must start with a letter or digit, so no formula gets in.
const EMAIL = /^[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/

/** Checks a whole case list (Annex A style); every problem is listed by row and column. */
export function parseCaseList(
  text: string,
  context: { services: readonly { code: string; label: string }[] },
): { ok: true; cases: CaseListEntry[] } | { ok: false; problems: ImportProblem[] } {
  const table = readImportTable(text, {
    columns: CASE_LIST_COLUMNS,
    optionalColumns: CASE_LIST_OPTIONAL_COLUMNS,
    noun: 'cases',
    maxRows: MAX_CASE_LIST_ROWS,
  })
  if (!table.ok) return table

  const findService = serviceLookup(context.services)
  const problems = table.problems
  const firstRowOfCase = new Map<string, number>()
  const cases: CaseListEntry[] = []

  const at = (column: string) => table.columnIndex(column)
  const columns = {
    caseRef: at('case_ref'),
    service: at('service'),
    team: at('team'),
    worker: at('worker'),
    ageBand: at('age_band'),
  }
  for (const line of table.rows) {
    const { row } = line
    const get = (column: keyof typeof columns) => cellAt(line, columns[column])
    const add = (column: string, message: string) => problems.push({ row, column, message })

    const caseRef = get('caseRef')
    const refProblem = identifierProblem(caseRef, 'case reference')
    if (refProblem) add('case_ref', refProblem)
    else {
      const first = firstRowOfCase.get(caseRef)
      if (first === undefined) firstRowOfCase.set(caseRef, row)
      else add('case_ref', `"${caseRef}" is also on row ${first}; list each case only once`)
    }

    const serviceCell = get('service')
    const service = findService(serviceCell)
    if (!service) add('service', serviceProblem(serviceCell, context.services))

    const team = get('team')
    const teamProblem = identifierProblem(team, 'team id')
    if (teamProblem) add('team', teamProblem)

    const worker = get('worker')
    if (worker !== '' && (worker.length > 254 || !EMAIL.test(worker))) {
      add(
        'worker',
        `"${show(worker)}" is not an email address; write the allocated practitioner’s work email, or leave it blank`,
      )
    }

    const band = get('ageBand')
    if (band !== '' && !isAgeBand(band)) {
      add(
        'age_band',
        `"${show(band)}" is not an age band; use one of ${AGE_BANDS.join(', ')}, or leave it blank (format the column as text so a spreadsheet does not turn 5-9 into a date)`,
      )
    }

    if (problems.length > 0 || !service) continue
    cases.push({
      caseRef,
      service,
      team,
      worker: worker === '' ? null : worker,
      ageBand: isAgeBand(band) ? band : null,
      row,
    })
  }

  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.row - b.row) }
  return { ok: true, cases }
}
