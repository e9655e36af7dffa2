import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Role } from '../../shared/roles'
import type { Queryable } from '../client'
import { agencies, sessions, teams, users } from '../schema/index'

export async function findUserForSignIn(db: Queryable, email: string) {
  const [row] = await db
    .select({
      id: users.id,
      councilId: users.councilId,
      passwordHash: users.passwordHash,
      active: users.active,
    })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
  return row
}

export async function listUsers(db: Queryable, params: { councilId: string }) {
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      roles: users.roles,
      active: users.active,
      agency: agencies.label,
      team: teams.name,
    })
    .from(users)
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(users.councilId, params.councilId))
    .orderBy(desc(users.active), asc(users.name))
}

export async function emailIsTaken(db: Queryable, email: string): Promise<boolean> {
  const found = await findUserForSignIn(db, email)
  return found !== undefined
}

export type NewUser = {
  councilId: string
  name: string
  email: string
  roles: Role[]
  agencyId: string | null
  teamId: string | null
  /** Null: signs in only through the council's identity provider. */
  passwordHash: string | null
}

export async function createUser(db: Queryable, user: NewUser): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .returning({ id: users.id })
  if (!row) throw new Error('insert returned no row')
  return row.id
}

/** Deactivates a user of this council and ends their sessions in the same transaction. */
export async function deactivateUser(
  db: Queryable,
  params: { councilId: string; userId: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ active: false, deactivatedAt: sql`now()` })
      .where(and(eq(users.id, params.userId), eq(users.councilId, params.councilId)))
      .returning({ id: users.id })
    if (updated.length === 0) return false
    await tx.delete(sessions).where(eq(sessions.userId, params.userId))
    return true
  })
}

export async function reactivateUser(
  db: Queryable,
  params: { councilId: string; userId: string },
): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ active: true, deactivatedAt: null })
    .where(and(eq(users.id, params.userId), eq(users.councilId, params.councilId)))
    .returning({ id: users.id })
  return updated.length > 0
}

/** Active users who can be assigned audits, with the team and agency the assignment rules need. */
export async function listAuditors(db: Queryable, params: { councilId: string }) {
  return db
    .select({
      id: users.id,
      name: users.name,
      teamId: users.teamId,
      team: teams.name,
      agencyCode: agencies.code,
      agency: agencies.label,
    })
    .from(users)
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(
      and(
        eq(users.councilId, params.councilId),
        eq(users.active, true),
        sql`'auditor' = any(${users.roles})`,
      ),
    )
    .orderBy(asc(users.name))
}
