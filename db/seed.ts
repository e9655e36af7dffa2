import { hash } from '@node-rs/argon2'
import type { Role } from '../shared/roles'
import type { Db } from './client'
import { councils } from './schema/index'
import {
  createCouncilWithDefaults,
  createTeam,
  listAgencies,
  listServices,
} from './queries/organisation'
import { upsertCaseFiles } from './queries/case-files'
import { createUser } from './queries/users'

export const DEMO_PASSWORD = 'demo-audit-2026'

export const DEMO_TEAMS = [
  { code: 'eh-hub', name: 'Early Help Hub', serviceCode: 'early-help' },
  { code: 'front-door', name: 'Front Door and MASH', serviceCode: 'front-door' },
  { code: 'cin-north', name: 'Children in Need North', serviceCode: 'cin' },
  { code: 'cin-south', name: 'Children in Need South', serviceCode: 'cin' },
  { code: 'cp-east', name: 'Child Protection East', serviceCode: 'cp' },
  { code: 'cic-1', name: 'Children in Care 1', serviceCode: 'cic' },
  { code: 'leaving-care', name: 'Leaving Care', serviceCode: 'care-leavers' },
  { code: 'cwd', name: 'Children with Disabilities', serviceCode: 'disabled-children' },
] as const

type DemoUser = { email: string; name: string; roles: Role[]; agency: string; team?: string }

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'auditor@demo.test',
    name: 'Amira Khan',
    roles: ['auditor'],
    agency: 'csc',
    team: 'cin-north',
  },
  {
    email: 'auditor2@demo.test',
    name: 'Ben Taylor',
    roles: ['auditor'],
    agency: 'csc',
    team: 'cp-east',
  },
  { email: 'health.auditor@demo.test', name: 'Hannah Lewis', roles: ['auditor'], agency: 'health' },
  { email: 'police.auditor@demo.test', name: 'Paul Okafor', roles: ['auditor'], agency: 'police' },
  { email: 'moderator@demo.test', name: 'Maria Santos', roles: ['moderator'], agency: 'csc' },
  { email: 'lead@demo.test', name: 'Leah Morgan', roles: ['lead'], agency: 'csc' },
  {
    email: 'practitioner@demo.test',
    name: 'Priya Shah',
    roles: ['practitioner'],
    agency: 'csc',
    team: 'cin-north',
  },
  { email: 'admin@demo.test', name: 'Adam Wright', roles: ['admin'], agency: 'csc' },
]

/** Case references as a case management system issues them (a person id); no child's name anywhere. */
const DEMO_CASES_PER_TEAM = 6
const AGE_BANDS_CYCLE = ['0-4', '5-9', '10-15', '16-17'] as const

export class SeedRefusedError extends Error {}

/** Demo data, only ever into an empty database: it never mixes with a council's real records. */
export async function seedDemoData(db: Db): Promise<void> {
  const existing = await db.$count(councils)
  if (existing > 0) {
    throw new SeedRefusedError(
      'The database already has data; demo data is only seeded into an empty one.',
    )
  }
  const passwordHash = await hash(DEMO_PASSWORD)
  await db.transaction(async (tx) => {
    const councilId = await createCouncilWithDefaults(tx, {
      code: 'demo',
      name: 'Demo Borough Council',
      serviceName: 'Case file audit',
    })
    const teamIds = new Map<string, string>()
    for (const team of DEMO_TEAMS)
      teamIds.set(team.code, await createTeam(tx, { councilId, ...team }))
    const agencyIds = new Map((await listAgencies(tx, { councilId })).map((a) => [a.code, a.id]))
    const userIds = new Map<string, string>()
    for (const user of DEMO_USERS) {
      const id = await createUser(tx, {
        councilId,
        email: user.email,
        name: user.name,
        roles: user.roles,
        agencyId: agencyIds.get(user.agency) ?? null,
        teamId: user.team ? (teamIds.get(user.team) ?? null) : null,
        passwordHash,
      })
      userIds.set(user.email, id)
    }
    const serviceIds = new Map((await listServices(tx, { councilId })).map((s) => [s.code, s.id]))
    const practitionerId = userIds.get('practitioner@demo.test') ?? null
    await upsertCaseFiles(tx, {
      councilId,
      cases: DEMO_TEAMS.flatMap((team, t) =>
        Array.from({ length: DEMO_CASES_PER_TEAM }, (_, i) => ({
          caseRef: String(100_100 + t * 100 + i * 7),
          teamId: teamIds.get(team.code) ?? '',
          serviceId: serviceIds.get(team.serviceCode) ?? '',
          // The demo practitioner holds the first three cases of their own team.
          workerId: team.code === 'cin-north' && i < 3 ? practitionerId : null,
          ageBand: AGE_BANDS_CYCLE[(t + i) % AGE_BANDS_CYCLE.length] ?? null,
        })),
      ),
    })
  })
}
