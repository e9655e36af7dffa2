import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Queryable } from '../../db/client'
import { listAccess, type AccessRow } from '../../db/queries/access'
import { caseFiles, users } from '../../db/schema/index'
import { ACCESS_ACTION_LABELS } from '../../shared/access-trail'
import { todayIso } from '../../shared/actions'

/** The page shows the newest of these; the CSV holds up to the other. */
export const ACCESS_PAGE_LIMIT = 500
export const ACCESS_CSV_LIMIT = 50_000
const DEFAULT_DAYS = 30
const MAX_DAYS = 366

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD, for example 2026-11-01')
  .refine((value) => {
    // A day past the month's end (2026-02-30) parses as the next month's: it must come back the same.
    const date = new Date(`${value}T00:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  }, 'Enter a real date')

const QuerySchema = z.object({
  case: z.string().trim().max(100, 'A case reference is 100 characters or fewer').optional(),
  user: z.string().trim().optional(),
  from: IsoDate,
  to: IsoDate,
})

export type AccessFilters = { case: string; user: string; from: string; to: string }
export type AccessAnswer =
  | { state: 'unasked'; filters: AccessFilters }
  | { state: 'invalid'; filters: AccessFilters; errors: Record<string, string[]> }
  | { state: 'answered'; filters: AccessFilters; rows: AccessRow[]; more: boolean }

function daysBefore(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() - days)
  return date.toISOString().slice(0, 10)
}

/**
 * Who has seen this case, and what has this user looked at, between two dates: from the page's
 * query string, checked, with a message per field for what is wrong. Nothing is asked until a case
 * or a user is given.
 */
export async function answerAccessQuery(
  db: Queryable,
  params: { councilId: string; searchParams: URLSearchParams; limit: number },
): Promise<AccessAnswer> {
  const today = todayIso()
  const get = (name: string) => params.searchParams.get(name)?.trim() ?? ''
  const filters: AccessFilters = {
    case: get('case'),
    user: get('user'),
    from: get('from') || daysBefore(today, DEFAULT_DAYS),
    to: get('to') || today,
  }
  if (!filters.case && !filters.user) return { state: 'unasked', filters }
  const parsed = QuerySchema.safeParse(filters)
  const errors: Record<string, string[]> = parsed.success
    ? {}
    : z.flattenError(parsed.error).fieldErrors
  if (!errors.from && !errors.to) {
    if (filters.from > filters.to)
      errors.to = ['The end date must be the same as or after the start']
    else if (daysBefore(filters.to, MAX_DAYS) > filters.from) {
      errors.from = [`Ask for ${MAX_DAYS} days or fewer at a time`]
    }
  }
  let caseFileId: string | undefined
  if (filters.case && !errors.case) {
    const [found] = await db
      .select({ id: caseFiles.id })
      .from(caseFiles)
      .where(
        and(
          eq(caseFiles.councilId, params.councilId),
          sql`lower(${caseFiles.caseRef}) = lower(${filters.case})`,
        ),
      )
    if (found) caseFileId = found.id
    else errors.case = [`No case file has the reference ${filters.case}`]
  }
  if (filters.user) {
    const valid = z.uuid().safeParse(filters.user).success
    const [found] = valid
      ? await db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.id, filters.user), eq(users.councilId, params.councilId)))
      : []
    if (!found) errors.user = ['Choose a user from the list']
  }
  if (Object.keys(errors).length > 0) return { state: 'invalid', filters, errors }
  const { rows, more } = await listAccess(db, {
    councilId: params.councilId,
    caseFileId,
    userId: filters.user || undefined,
    from: filters.from,
    to: filters.to,
    limit: params.limit,
  })
  return { state: 'answered', filters, rows, more }
}

/** Why a sign-in through an identity provider was refused, in words (app/utils/single-sign-on.server.ts). */
const REFUSALS: Record<string, string> = {
  'no-attempt': 'not started in this browser, too late, or used twice',
  'provider-said-no': 'the provider did not sign them in',
  'untrusted-answer': 'the answer failed a check',
  unreachable: 'the provider did not answer',
  'tenant-not-allowed': 'their organisation is not admitted',
  'not-linked': 'the account is not linked to anyone here',
  deactivated: 'the user is deactivated',
  'linked-to-another': 'the account is linked to another user',
  'not-your-account': 'signed in again as another account',
  'invitation-used': 'the invitation had expired or was used',
}

/** What an event was about, in words: the case, the page, or the user whose access changed. */
export function describeAccess(row: AccessRow): string {
  const detail = (key: string, otherwise: string) => {
    const value = row.detail?.[key]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : otherwise
  }
  if (row.action === 'permission-change') {
    return `${row.subjectName ?? 'A user'}: ${detail('change', 'changed')}`
  }
  const provider = detail('provider', '')
  if (row.action === 'sign-in-refused' && provider) {
    const refusal = detail('refusal', '')
    const why = REFUSALS[refusal] ?? refusal
    const check = detail('claim', '')
    return `Through ${provider} as ${detail('account', 'an unknown account')}: ${why}${check ? ` (${check})` : ''}`
  }
  if (row.action === 'sign-in-refused') {
    return detail('refusal', '') === 'password-off'
      ? `As ${detail('email', 'unknown')}: password sign-in is off`
      : `As ${detail('email', 'unknown')}`
  }
  if ((row.action === 'sign-in' || row.action === 'signed-in-again') && provider) {
    return `Through ${provider} as ${detail('account', 'an unknown account')}`
  }
  if (row.action === 'account-linked') return `${provider}: ${detail('account', '')}`
  if (row.action === 'sign-in-settings') {
    return `${detail('change', 'changed')}${provider ? `: ${provider}` : ''}`
  }
  if (row.action === 'trail-expired') {
    return `${detail('removed', '0')} entries older than ${detail('keep_days', '?')} days`
  }
  if (row.action === 'audits-expired') {
    return `${detail('removed', '0')} audits finished more than ${detail('keep_years', '?')} years ago`
  }
  return row.path ?? ''
}

export function accessActionLabel(row: AccessRow): string {
  return ACCESS_ACTION_LABELS[row.action] ?? row.action
}
