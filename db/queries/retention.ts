import { sql } from 'drizzle-orm'
import { FINISHED_STATUSES } from '../../shared/audit-status'
import type { Db } from '../client'
import { recordAccess } from './access'

/** The most audits one pass removes: a long-neglected backlog goes over several days. */
const AUDITS_PER_PASS = 1_000

/**
 * Removes a council's audits finished (submitted, moderated or cancelled) more than `keepYears`
 * ago, with everything kept of them (answers, judgements, moderation, actions, themes, through the
 * foreign keys; the live documents' log and snapshots by name; the KPI roll-up by its trigger),
 * and records in the access trail how many went. One transaction: all of it or none.
 */
export async function expireAudits(
  db: Db,
  params: { councilId: string; keepYears: number },
): Promise<number> {
  if (!Number.isInteger(params.keepYears) || params.keepYears < 1) {
    throw new Error('keepYears must be a whole number of at least 1')
  }
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ id: string }>(sql`
      select id from audits
      where council_id = ${params.councilId}
        and status in ${[...FINISHED_STATUSES]}
        and coalesce(moderated_at, submitted_at, updated_at)
          < now() - make_interval(years => ${params.keepYears})
      order by coalesce(moderated_at, submitted_at, updated_at)
      limit ${AUDITS_PER_PASS}
      for update skip locked`)
    const ids = [...expired].map((row) => row.id)
    if (ids.length === 0) return 0
    await tx.execute(sql`
      delete from document_updates
      where council_id = ${params.councilId} and split_part(document_name, '.', 2) in ${ids}`)
    await tx.execute(sql`
      delete from document_snapshots
      where council_id = ${params.councilId} and split_part(document_name, '.', 2) in ${ids}`)
    await tx.execute(sql`delete from audits where id in ${ids}`)
    await recordAccess(tx, {
      councilId: params.councilId,
      userId: null,
      action: 'audits-expired',
      detail: { removed: ids.length, keep_years: params.keepYears },
    })
    return ids.length
  })
}
