import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { makeAudit, makeCaseFile, makeCouncil, makeUser } from '../test/factories'
import { addTestProvider, type TestProvider } from '../test/oidc/test-provider'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { startTestServer } from '../test/setup/test-server'
import { signInOverHttp } from '../test/sync-client'
import type { RunningServer } from './start'

/**
 * Least privilege, proven: every page (GET) and action (POST) of the build and every kind of live
 * document, for every kind of user, against the table in docs/access-rules.md, which is the
 * statement of who may do what. A route or column the table lacks fails the test, so the table
 * grows with the product. ACCESS_RULES_PRINT=1 prints the table as observed, to review and paste.
 */
const TABLE_FILE = path.resolve('docs/access-rules.md')
const COLUMNS = [
  'anonymous',
  'lead auditor',
  'co-auditor',
  'agency auditor',
  'unassigned auditor',
  'moderator',
  'lead',
  'practitioner (their case)',
  'practitioner (other case)',
  'admin',
  'deactivated lead',
  'other council’s lead',
] as const
type Column = (typeof COLUMNS)[number]

let database: TestDatabase
let server: RunningServer
let base: string
/** The council's identity provider, real, for the sign-in routes. */
let identityProvider: TestProvider
let providerId: string
const cookies = new Map<Column, string>()
const userIds = new Map<Column, string>()
/** The audit being written (multi-agency, with an agency section) and the one in moderation. */
let openAudit: string
let moderatedAudit: string

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  const council = await makeCouncil(db)
  const other = await makeCouncil(db)
  const csc = council.agencies.get('csc')
  const make = (roles: Parameters<typeof makeUser>[1]['roles'], agencyId = csc) =>
    makeUser(db, { councilId: council.councilId, roles, agencyId })
  const people: Record<Column, { id: string; email: string } | null> = {
    anonymous: null,
    'lead auditor': await make(['auditor']),
    'co-auditor': await make(['auditor']),
    'agency auditor': await make(['auditor'], council.agencies.get('health')),
    'unassigned auditor': await make(['auditor']),
    moderator: await make(['moderator']),
    lead: await make(['lead']),
    'practitioner (their case)': await make(['practitioner']),
    'practitioner (other case)': await make(['practitioner']),
    admin: await make(['admin']),
    'deactivated lead': await make(['lead']),
    'other council’s lead': await makeUser(db, { councilId: other.councilId, roles: ['lead'] }),
  }
  const caseFile = await makeCaseFile(db, {
    councilId: council.councilId,
    teamId: council.teamId,
    workerId: people['practitioner (their case)']!.id,
  })
  const assigned = {
    councilId: council.councilId,
    caseFile,
    leadAuditorId: people['lead auditor']!.id,
    coAuditorIds: [people['co-auditor']!.id],
    agencyAuditors: [{ agencyCode: 'health', userId: people['agency auditor']!.id }],
    template: 'multi-agency',
  }
  openAudit = await makeAudit(db, assigned)
  moderatedAudit = await makeAudit(db, { ...assigned, cycle: '2026-10' })
  // Submitted and picked up by the moderator: set as the owner would find it, not through pages.
  await db.$client`update audits set status = 'in-moderation', submitted_at = now(),
    moderator_id = ${people.moderator!.id}, moderation_sample = 'flagged'
    where id = ${moderatedAudit}`

  server = await startTestServer(database.url)
  base = `http://127.0.0.1:${server.port}`
  ;({ provider: identityProvider, providerId } = await addTestProvider(db, {
    councilId: council.councilId,
    base,
  }))
  for (const column of COLUMNS) {
    const person = people[column]
    if (person) userIds.set(column, person.id)
    cookies.set(column, person ? await signInOverHttp(base, person.email) : '')
  }
  await db.$client`update users set active = false, deactivated_at = now()
    where id = ${people['deactivated lead']!.id}`
})
afterAll(async () => {
  await identityProvider?.stop()
  await server?.close()
  await database.drop()
})

type Row = { route: string; method: 'GET' | 'POST' | 'WS'; path: string }

/** Every page and action of the build, with the audit each is about, and every live document kind. */
async function rows(): Promise<Row[]> {
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild
  const found: Row[] = []
  for (const route of Object.values(build.routes)) {
    if (route.id === 'root' || route.path === '*') continue
    const pattern = `/${route.path ?? ''}`
    const auditId = /\/(moderate|impact|themes)$/.test(pattern) ? moderatedAudit : openAudit
    const filled = pattern.replace(/:(\w+)/g, (_, name: string) => {
      const values: Record<string, string> = {
        auditId,
        code: route.id.startsWith('routes/themes') ? 'voice-of-the-child' : 'lived-experience',
        version: '1',
        kpi: 'A1.1',
        cycle: '2026-11',
        providerId,
        token: 'an-invitation-nobody-was-sent',
      }
      const value = values[name]
      if (!value) throw new Error(`access-rules.test.ts: no value for :${name} in ${route.id}`)
      return value
    })
    found.push({ route: pattern, method: 'GET', path: filled })
    // Signing in and out, and keeping a session alive, are everyone's; a POST there changes who
    // is signed in for the rest of the walk.
    if (!['/login', '/logout', '/session/keep-alive'].includes(pattern)) {
      found.push({ route: pattern, method: 'POST', path: filled })
    }
  }
  found.push(
    { route: 'audit.<id> (lead’s part)', method: 'WS', path: `audit.${openAudit}` },
    {
      route: 'audit.<id>.<agency> (agency’s part)',
      method: 'WS',
      path: `audit.${openAudit}.health`,
    },
    { route: 'moderation.<id>', method: 'WS', path: `moderation.${moderatedAudit}` },
  )
  return found.sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method))
}

/**
 * What a user got: `yes` (answered, a validation message included), `no` (refused: 403, 404, or
 * sent to sign in), `—` (the route has no such method). Live documents: `edit`, `read` or `no`.
 */
async function observe(row: Row, column: Column): Promise<string> {
  const cookie = cookies.get(column) ?? ''
  if (row.method === 'WS') return observeLive(row.path, column, cookie)
  const response = await fetch(`${base}${row.path}`, {
    method: row.method,
    redirect: 'manual',
    headers: {
      Cookie: cookie,
      Origin: base,
      ...(row.method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(row.method === 'POST' ? { body: '' } : {}),
  })
  await response.arrayBuffer()
  if (response.status === 405) return '—'
  if (response.status === 403 || response.status === 404) return 'no'
  if (response.status >= 500) return `error ${response.status}`
  const location = response.headers.get('location') ?? ''
  if (response.status >= 300 && response.status < 400 && location.startsWith('/login')) return 'no'
  return 'yes'
}

async function observeLive(name: string, column: Column, cookie: string): Promise<string> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${name}`, {
    headers: { cookie, origin: base },
  })
  const outcome = await new Promise<'open' | 'closed'>((resolve) => {
    socket.on('message', () => resolve('open'))
    socket.on('close', () => resolve('closed'))
    socket.on('error', () => resolve('closed'))
  })
  socket.close()
  if (outcome === 'closed') return 'no'
  // The connection's line in the access trail says what it was allowed.
  const [event] = await database.db.$client<{ action: string }[]>`
    select action from access_events where user_id = ${userIds.get(column) ?? null}
      and path = ${`/sync/${name}`} order by id desc limit 1`
  return event?.action === 'edit' ? 'edit' : event?.action === 'view' ? 'read' : 'unrecorded'
}

function key(row: { route: string; method: string }): string {
  return `${row.method} ${row.route}`
}

/** The table in docs/access-rules.md: `| route | method | one cell per column |`. */
function readTable(): { columns: string[]; cells: Map<string, string[]> } {
  const lines = fs
    .readFileSync(TABLE_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| '))
  const split = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim().replaceAll('`', ''))
  const [header, , ...body] = lines
  const cells = new Map<string, string[]>()
  for (const line of body) {
    const [route = '', method = '', ...values] = split(line)
    cells.set(`${method} ${route}`, values)
  }
  return { columns: split(header ?? '').slice(2), cells }
}

function formatTable(observed: { row: Row; values: string[] }[]): string {
  const lines = [
    `| Route | Method | ${COLUMNS.join(' | ')} |`,
    `| --- | --- | ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...observed.map(
      ({ row, values }) => `| \`${row.route}\` | ${row.method} | ${values.join(' | ')} |`,
    ),
  ]
  return lines.join('\n')
}

describe('least privilege', () => {
  it('answers every route and live document, for every kind of user, as the table says', async () => {
    const table = readTable()
    expect(table.columns).toEqual([...COLUMNS])
    const observed: { row: Row; values: string[] }[] = []
    for (const row of await rows()) {
      const values: string[] = []
      for (const column of COLUMNS) values.push(await observe(row, column))
      observed.push({ row, values })
    }
    if (process.env.ACCESS_RULES_PRINT) console.log(formatTable(observed))
    const mismatches: string[] = []
    for (const { row, values } of observed) {
      const expected = table.cells.get(key(row))
      if (!expected) {
        mismatches.push(`${key(row)}: not in the table`)
        continue
      }
      COLUMNS.forEach((column, index) => {
        if (expected[index] !== values[index]) {
          mismatches.push(
            `${key(row)} as ${column}: the table says ${expected[index]}, the server ${values[index]}`,
          )
        }
      })
    }
    const walked = new Set(observed.map(({ row }) => key(row)))
    for (const listed of table.cells.keys()) {
      if (!walked.has(listed)) mismatches.push(`${listed}: in the table, but no such route`)
    }
    expect(mismatches).toEqual([])
  })
})
