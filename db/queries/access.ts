import { sql } from 'drizzle-orm'
import type { AccessAction } from '../../shared/access-trail'
import type { Queryable } from '../client'

export type AccessEvent = {
  councilId: string | null
  userId: string | null
  action: AccessAction
  method?: string | null
  path?: string | null
  /** An audit seen or changed: its case file is recorded with it. */
  auditId?: string | null
  subjectUserId?: string | null
  address?: string | null
  detail?: Record<string, unknown> | null
}

/** Appends one event. An audit of another council is recorded as the address asked, without its case. */
export async function recordAccess(db: Queryable, event: AccessEvent): Promise<void> {
  await db.execute(sql`
    insert into access_events
      (council_id, user_id, action, method, path, audit_id, case_file_id, subject_user_id, address, detail)
    values (${event.councilId}, ${event.userId}, ${event.action}, ${event.method ?? null},
      ${event.path ?? null}, ${event.auditId ?? null},
      (select case_file_id from audits where id = ${event.auditId ?? null}::uuid
        and council_id = ${event.councilId}::uuid),
      ${event.subjectUserId ?? null}, ${event.address ?? null},
      ${event.detail ? JSON.stringify(event.detail) : null}::jsonb)`)
}

export type AccessQuery = {
  councilId: string
  /** Who has seen this case: events on the case file or any of its audits. */
  caseFileId?: string
  /** What this user has looked at and done. */
  userId?: string
  /** Inclusive dates, `YYYY-MM-DD`, in UTC. */
  from: string
  to: string
  limit: number
}

export type AccessRow = {
  at: Date
  action: AccessAction
  userName: string | null
  userEmail: string | null
  path: string | null
  caseRef: string | null
  auditId: string | null
  subjectName: string | null
  address: string | null
  detail: Record<string, unknown> | null
}

/** Newest first; `more` says the limit cut the list. */
export async function listAccess(
  db: Queryable,
  query: AccessQuery,
): Promise<{ rows: AccessRow[]; more: boolean }> {
  const rows = await db.execute<AccessRow & Record<string, unknown>>(sql`
    select e.at, e.action, u.name as "userName", u.email as "userEmail", e.path,
      c.case_ref as "caseRef", e.audit_id as "auditId", s.name as "subjectName", e.address, e.detail
    from access_events e
    left join users u on u.id = e.user_id
    left join users s on s.id = e.subject_user_id
    left join case_files c on c.id = e.case_file_id
    where e.council_id = ${query.councilId}
      and e.at >= ${query.from}::date and e.at < ${query.to}::date + 1
      ${query.caseFileId ? sql`and e.case_file_id = ${query.caseFileId}` : sql``}
      ${query.userId ? sql`and e.user_id = ${query.userId}` : sql``}
    order by e.at desc, e.id desc
    limit ${query.limit + 1}`)
  const list = [...rows].map((row) => ({ ...row, at: new Date(row.at) }))
  return { rows: list.slice(0, query.limit), more: list.length > query.limit }
}

/** Removes the council's events older than `keepDays` (the database records that it did). */
export async function expireAccessEvents(
  db: Queryable,
  params: { councilId: string; keepDays: number },
): Promise<number> {
  const [row] = await db.execute<{ removed: string }>(
    sql`select expire_access_events(${params.councilId}, ${params.keepDays}) as removed`,
  )
  return Number(row?.removed ?? 0)
}
