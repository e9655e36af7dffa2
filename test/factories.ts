import { randomBytes } from 'node:crypto'
import { hash } from '@node-rs/argon2'
import type { AppLoadContext } from '@remix-run/node'
import type { Db } from '../db/client'
import { createCouncilWithDefaults, createTeam, listAgencies } from '../db/queries/organisation'
import { createUser } from '../db/queries/users'
import type { Role } from '../shared/roles'

export const TEST_PASSWORD = 'correct horse battery staple'
let passwordHash: Promise<string> | undefined

export async function makeCouncil(db: Db, code = `c${randomBytes(4).toString('hex')}`) {
  const councilId = await createCouncilWithDefaults(db, {
    code,
    name: `Council ${code}`,
    serviceName: 'Case file audit',
  })
  const teamId = await createTeam(db, {
    councilId,
    serviceCode: 'cin',
    code: 'cin-1',
    name: 'CIN 1',
  })
  const agencies = new Map((await listAgencies(db, { councilId })).map((a) => [a.code, a.id]))
  return { councilId, code, teamId, agencies }
}

export async function makeUser(
  db: Db,
  params: {
    councilId: string
    roles: Role[]
    email?: string
    agencyId?: string | null
    teamId?: string | null
  },
) {
  passwordHash ??= hash(TEST_PASSWORD)
  const email =
    params.email ?? `${params.roles.join('-')}.${randomBytes(4).toString('hex')}@test.invalid`
  const id = await createUser(db, {
    councilId: params.councilId,
    name: `Test ${params.roles.join(' ')}`,
    email,
    roles: params.roles,
    agencyId: params.agencyId ?? null,
    teamId: params.teamId ?? null,
    passwordHash: await passwordHash,
  })
  return { id, email }
}

/** The load context the server builds (server/app.ts), around a real database. */
export function makeLoadContext(
  db: Db,
  overrides: Partial<AppLoadContext['settings']> = {},
  clientAddress = '127.0.0.1',
): AppLoadContext {
  return {
    db,
    cspNonce: 'test',
    clientAddress,
    settings: {
      idleTimeoutSeconds: 1800,
      idleWarningSeconds: 120,
      loginMaxFailures: 10,
      loginPauseMinutes: 15,
      loginMaxFailuresPerAddress: 100,
      ...overrides,
    },
  }
}
