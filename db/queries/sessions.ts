import { createHash, randomBytes } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Queryable } from '../client'
import { sessions, users } from '../schema/index'

const TOKEN_BYTES = 32

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function createSession(
  db: Queryable,
  params: { userId: string; councilId: string },
): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url')
  await db.insert(sessions).values({ tokenHash: hashSessionToken(token), ...params })
  return token
}

export type SessionUser = Awaited<ReturnType<typeof touchSession>>

/** A session is marked as seen at most this often: reading it costs no write in between. */
export const TOUCH_EVERY_SECONDS = 60

/**
 * The user behind a session token, if the session is live: not idle longer than the timeout and its
 * user still active. Marks the session as seen now (at most once a minute), which is what keeps an
 * active user signed in. Reading first and writing only a stale mark keeps every page request and
 * every sync connection from writing (and flushing to disk) the same row: a thousand pages
 * reconnecting at once, or one user's many connections, would otherwise queue on its lock.
 */
export async function touchSession(db: Queryable, params: { token: string; idleSeconds: number }) {
  const tokenHash = hashSessionToken(params.token)
  const [row] = await db
    .select({
      id: users.id,
      councilId: users.councilId,
      name: users.name,
      email: users.email,
      roles: users.roles,
      agencyId: users.agencyId,
      teamId: users.teamId,
      active: users.active,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`,
      /** Seconds since the password was last given in this session (by the database's clock). */
      confirmedSecondsAgo: sql<number>`extract(epoch from now() - ${sessions.confirmedAt})::float8`,
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        eq(users.active, true),
        sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${params.idleSeconds})`,
      ),
    )
  if (!row) return undefined
  const { stale, ...user } = row
  if (stale) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(sessions.tokenHash, tokenHash),
          sql`${sessions.lastSeenAt} < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`,
        ),
      )
  }
  return user
}

/**
 * Of the given session tokens, those still live: one statement for every connection a sync server
 * holds open (their sessions stay alive while the audit page is open). The database answers with
 * the tokens no longer live, not the live ones, and a session's mark is written only once it is
 * older than its own share of the idle timeout: between an eighth and a quarter of it, by the first
 * bits of the token's hash. The marks only keep open pages' sessions from timing out, so a quarter
 * of the timeout is soon enough; and the spread keeps sessions opened together (a team starting an
 * audit, or a server's editors reconnecting after a restart) from coming due in the same sweep ever
 * after. A sweep that rewrote every mark at once was the benchmark's propagation and
 * acknowledgement tail at 1,500 editors: the edits relayed and stored meanwhile waited behind it.
 */
export async function touchSessions(
  db: Db,
  params: { tokens: string[]; idleSeconds: number },
): Promise<Set<string>> {
  if (params.tokens.length === 0) return new Set()
  const byHash = new Map(params.tokens.map((token) => [hashSessionToken(token), token]))
  const dead = await db.$client<{ token_hash: string }[]>`
    with asked as (
      select unnest(${[...byHash.keys()]}::text[]) as token_hash
    ), live as (
      select s.token_hash,
        s.last_seen_at < now() - make_interval(secs => ${params.idleSeconds} / 8.0
          * (1 + ('x' || left(s.token_hash, 4))::bit(16)::int / 65535.0)) as stale
      from sessions s join users u on u.id = s.user_id
      where s.token_hash in (select token_hash from asked) and u.active
        and s.last_seen_at > now() - make_interval(secs => ${params.idleSeconds})
    ), touched as (
      update sessions set last_seen_at = now() from live
      where sessions.token_hash = live.token_hash and live.stale
    )
    select a.token_hash from asked a
    where not exists (select 1 from live l where l.token_hash = a.token_hash)`
  const live = new Set(params.tokens)
  for (const row of dead) live.delete(byHash.get(row.token_hash) ?? '')
  return live
}

/** The user gave their password again in this session. */
export async function confirmSession(db: Queryable, token: string): Promise<void> {
  await db
    .update(sessions)
    .set({ confirmedAt: sql`now()` })
    .where(eq(sessions.tokenHash, hashSessionToken(token)))
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashSessionToken(token)))
}

export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId))
}
