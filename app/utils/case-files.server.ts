import type { Db } from '../../db/client'
import { importAuditsCsv } from '../../db/import-audits'
import { upsertCaseFiles } from '../../db/queries/case-files'
import { getCouncil, listServices, listTeams } from '../../db/queries/organisation'
import { listUsers } from '../../db/queries/users'
import { parseCaseList } from '../../shared/case-list-import'
import type { ImportProblem } from '../../shared/historical-import'

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

/** The text of an uploaded CSV, or why it cannot be read. */
export async function readUploadedText(
  file: FormDataEntryValue | null,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  if (!file || typeof file === 'string' || file.size === 0)
    return { ok: false, message: 'Select a CSV file' }
  if (file.size > MAX_UPLOAD_BYTES)
    return { ok: false, message: 'The file must be smaller than 50 MB' }
  const text = await file.text()
  if (text.includes('\u0000'))
    return { ok: false, message: 'The file must be a CSV file saved as text (UTF-8)' }
  return { ok: true, text }
}

export type CaseListOutcome =
  | { ok: true; created: number; updated: number }
  | { ok: false; message: string; problems: ImportProblem[] }

/** Checks the whole list against the council's services, teams and practitioners, then writes it all. */
export async function importCaseList(
  db: Db,
  councilId: string,
  text: string,
): Promise<CaseListOutcome> {
  const [services, teams, users] = await Promise.all([
    listServices(db, { councilId }),
    listTeams(db, { councilId }),
    listUsers(db, { councilId }),
  ])
  const parsed = parseCaseList(text, { services })
  const fail = (problems: ImportProblem[]): CaseListOutcome => ({
    ok: false,
    message: `The file has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}, so nothing was imported.`,
    problems,
  })
  if (!parsed.ok) return fail(parsed.problems)
  const teamByCode = new Map(teams.map((t) => [t.code.toLowerCase(), t]))
  const serviceByCode = new Map(services.map((s) => [s.code, s]))
  const workerByEmail = new Map(
    users.filter((u) => u.roles.includes('practitioner')).map((u) => [u.email.toLowerCase(), u]),
  )
  const problems: ImportProblem[] = []
  const cases = parsed.cases.flatMap((entry) => {
    const team = teamByCode.get(entry.team.toLowerCase())
    const worker = entry.worker ? workerByEmail.get(entry.worker.toLowerCase()) : undefined
    if (!team)
      problems.push({
        row: entry.row,
        column: 'team',
        message: `"${entry.team}" is not one of the council’s teams`,
      })
    if (entry.worker && !worker) {
      problems.push({
        row: entry.row,
        column: 'worker',
        message: `"${entry.worker}" is not a practitioner’s email address`,
      })
    }
    const service = serviceByCode.get(entry.service)
    if (!team || !service || (entry.worker && !worker)) return []
    return [
      {
        caseRef: entry.caseRef,
        teamId: team.id,
        serviceId: service.id,
        workerId: worker?.id ?? null,
        ageBand: entry.ageBand ?? null,
      },
    ]
  })
  if (problems.length > 0) return fail(problems)
  const result = await db.transaction((tx) => upsertCaseFiles(tx, { councilId, cases }))
  return { ok: true, ...result }
}

/** The lead's upload of historical audits always goes into their own council. */
export async function importAuditsForCouncil(db: Db, councilId: string, text: string) {
  const council = await getCouncil(db, councilId)
  if (!council) throw new Response('Not found', { status: 404 })
  return importAuditsCsv(db, { text, councilCode: council.code })
}
