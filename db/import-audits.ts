import { parseHistoricalAudits, type ImportProblem } from '../shared/historical-import'
import type { Db } from './client'
import {
  importHistoricalAudits,
  ImportTargetError,
  resolveImportTarget,
  type ImportReport,
} from './queries/historical-import'

export type ImportOutcome =
  { ok: true; report: ImportReport } | { ok: false; message: string; problems: ImportProblem[] }

/**
 * The historical audits CSV, end to end: check the whole file, and only if every row is valid write
 * it all in one transaction. Used by `npm run audits:import` and by the lead's upload page.
 */
export async function importAuditsCsv(
  db: Db,
  params: { text: string; councilCode?: string },
): Promise<ImportOutcome> {
  let target
  try {
    target = await resolveImportTarget(db, params.councilCode)
  } catch (error) {
    if (error instanceof ImportTargetError)
      return { ok: false, message: error.message, problems: [] }
    throw error
  }
  const parsed = parseHistoricalAudits(params.text, {
    services: target.services,
    themes: target.themes,
  })
  if (!parsed.ok) {
    const count = parsed.problems.length
    return {
      ok: false,
      message: `The file has ${count} ${count === 1 ? 'problem' : 'problems'}, so nothing was imported.`,
      problems: parsed.problems,
    }
  }
  const report = await db.transaction((tx) =>
    importHistoricalAudits(tx, { target, audits: parsed.audits }),
  )
  return { ok: true, report }
}
