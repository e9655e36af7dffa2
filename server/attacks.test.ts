import { pathToFileURL } from 'node:url'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { SESSION_COOKIE } from '../shared/session'
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED } from '../shared/sync-protocol'
import { addAction } from '../db/queries/actions'
import { createProvider } from '../db/queries/sign-in'
import {
  makeAudit,
  makeCaseFile,
  makeCouncil,
  makeSubmittedAudit,
  makeUser,
  TEST_PASSWORD,
} from '../test/factories'
import { addTestProvider, type TestProvider } from '../test/oidc/test-provider'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { startTestServer } from '../test/setup/test-server'
import { signInOverHttp } from '../test/sync-client'
import type { RunningServer } from './start'

/**
 * The attack checklist (issue 9), against the real server on a real database: every page of the
 * build is walked, so a page added later is covered without anyone remembering to add it here.
 */
let database: TestDatabase
let server: RunningServer
let base: string
/** The council's identity provider, real, for the sign-in routes. */
let identityProvider: TestProvider
let providerId: string
let auditId: string
let councils: Record<'ours' | 'theirs', Awaited<ReturnType<typeof makeCouncil>>>
let ids: Record<'auditor' | 'elsewhere', string>
let caseRef: string
let themeCode: string
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>'
const cookies: Record<'lead' | 'admin' | 'auditor' | 'stranger' | 'elsewhere', string> = {
  lead: '',
  admin: '',
  auditor: '',
  stranger: '',
  elsewhere: '',
}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  const other = await makeCouncil(database.db)
  councils = { ours: council, theirs: other }
  const people = {
    lead: await makeUser(database.db, { councilId: council.councilId, roles: ['lead'], name: XSS }),
    admin: await makeUser(database.db, { councilId: council.councilId, roles: ['admin'] }),
    auditor: await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] }),
    // Same council, not assigned to the audit.
    stranger: await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] }),
    elsewhere: await makeUser(database.db, { councilId: other.councilId, roles: ['lead'] }),
  }
  ids = { auditor: people.auditor.id, elsewhere: people.elsewhere.id }
  const caseFile = await makeCaseFile(database.db, {
    councilId: council.councilId,
    teamId: council.teamId,
  })
  caseRef = caseFile.caseRef
  auditId = await makeAudit(database.db, {
    councilId: council.councilId,
    caseFile,
    leadAuditorId: people.auditor.id,
  })
  const [theme] = await database.db.$client<{ code: string }[]>`
    select code from themes where council_id = ${council.councilId} limit 1`
  themeCode = theme?.code ?? 'none'
  server = await startTestServer(database.url)
  base = `http://127.0.0.1:${server.port}`
  ;({ provider: identityProvider, providerId } = await addTestProvider(database.db, {
    councilId: council.councilId,
    base,
  }))
  for (const who of Object.keys(cookies) as (keyof typeof cookies)[]) {
    cookies[who] = await signInOverHttp(base, people[who].email)
  }
})
afterAll(async () => {
  await identityProvider?.stop()
  await server?.close()
  await database.drop()
})

function get(pathname: string, cookie: string) {
  return fetch(`${base}${pathname}`, { redirect: 'manual', headers: { Cookie: cookie } })
}

/** Every page path of the build, its parameters filled with real values. */
async function pagePaths(): Promise<string[]> {
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild
  const values: Record<string, string> = {
    auditId: '',
    code: '',
    version: '1',
    kpi: 'A1.1',
    cycle: '2026-11',
    providerId,
    token: 'an-invitation-nobody-was-sent',
  }
  const paths: string[] = []
  for (const route of Object.values(build.routes)) {
    if (route.id === 'root' || route.path === '*') continue
    const filled = (route.path ?? '').replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'auditId') return auditId
      if (name === 'code')
        return route.id.startsWith('routes/themes') ? themeCode : 'lived-experience'
      const value = values[name]
      if (!value) throw new Error(`attacks.test.ts: no value for :${name} in ${route.id}`)
      return value
    })
    paths.push(`/${filled}`)
  }
  return [...new Set(paths)].filter((p) => p !== '/logout')
}

describe('the attack checklist', () => {
  it('sends the security headers on every page, to every role and to nobody', async () => {
    const paths = await pagePaths()
    expect(paths.length).toBeGreaterThan(30)
    for (const pathname of paths) {
      for (const cookie of [cookies.lead, cookies.admin, '']) {
        const response = await get(pathname, cookie)
        const where = `${pathname} (${response.status})`
        expect(response.status, where).toBeLessThan(500)
        const csp = response.headers.get('content-security-policy') ?? ''
        expect(csp, where).toContain("frame-ancestors 'none'")
        expect(csp, where).toMatch(/script-src 'self' 'nonce-[^']+'/)
        expect(response.headers.get('x-frame-options'), where).toBe('DENY')
        expect(response.headers.get('x-content-type-options'), where).toBe('nosniff')
        expect(response.headers.get('referrer-policy'), where).toBe('same-origin')
        expect(response.headers.get('cache-control'), where).toContain('no-store')
        await response.arrayBuffer()
      }
    }
  })

  it('escapes stored script in free text on every page (a user’s name shown on all of them)', async () => {
    for (const pathname of await pagePaths()) {
      const response = await get(pathname, cookies.lead)
      const body = await response.text()
      expect(body, pathname).not.toContain('<img src=x onerror')
      expect(body, pathname).not.toContain('<script>alert(2)')
    }
    const home = await (await get('/', cookies.lead)).text()
    expect(home).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('answers a guessed or another council’s audit id with 403 or 404, never the audit', async () => {
    const auditPaths = (await pagePaths()).filter((p) => p.includes(auditId))
    expect(auditPaths.length).toBeGreaterThanOrEqual(5)
    for (const pathname of auditPaths) {
      for (const [who, cookie] of [
        ['another council’s lead', cookies.elsewhere],
        ['an unassigned auditor', cookies.stranger],
      ] as const) {
        const response = await get(pathname, cookie)
        expect([403, 404], `${pathname} as ${who}`).toContain(response.status)
        expect(await response.text(), `${pathname} as ${who}`).not.toContain(caseRef)
      }
      for (const guess of [
        crypto.randomUUID(),
        'not-an-id',
        '00000000-0000-0000-0000-000000000000',
      ]) {
        const response = await get(pathname.replace(auditId, guess), cookies.lead)
        expect([400, 403, 404], `${pathname} with ${guess}`).toContain(response.status)
        await response.arrayBuffer()
      }
    }
  })

  it('refuses every state-changing request from another origin, another site or no origin', async () => {
    const [before] = await database.db.$client<{ events: string }[]>`
      select count(*) as events from access_events`
    for (const pathname of await pagePaths()) {
      for (const [how, headers] of [
        ['another origin', { Origin: 'https://evil.test' }],
        ['another site', { Origin: base, 'Sec-Fetch-Site': 'cross-site' }],
        ['no origin', {}],
      ] as const) {
        const response = await fetch(`${base}${pathname}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            Cookie: cookies.lead,
            'Content-Type': 'application/x-www-form-urlencoded',
            ...headers,
          },
          body: 'intent=anything',
        })
        expect(response.status, `${pathname} from ${how}`).toBe(403)
        await response.arrayBuffer()
      }
    }
    // Refused before any page's action ran: not even a line in the access trail.
    const [after] = await database.db.$client<{ events: string }[]>`
      select count(*) as events from access_events`
    expect(after?.events).toBe(before?.events)
  })

  it('refuses another council’s objects named in a form, and changes none of them', async () => {
    const db = database.db
    const sql = db.$client
    // Theirs: an audit with an agreed action, a team, a user, an identity provider.
    const theirAuditor = await makeUser(db, {
      councilId: councils.theirs.councilId,
      roles: ['auditor'],
    })
    const theirCase = await makeCaseFile(db, {
      councilId: councils.theirs.councilId,
      teamId: councils.theirs.teamId,
    })
    const { auditId: theirAudit } = await makeSubmittedAudit(db, {
      councilId: councils.theirs.councilId,
      caseFile: theirCase,
      leadAuditorId: theirAuditor.id,
    })
    const theirAction = await addAction(db, {
      councilId: councils.theirs.councilId,
      userId: theirAuditor.id,
      auditId: theirAudit,
      description: 'Their action',
      ownerId: theirAuditor.id,
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    })
    if (!theirAction.ok) throw new Error(theirAction.failure)
    const theirProvider = await createProvider(db, {
      councilId: councils.theirs.councilId,
      name: 'Their provider',
      issuer: identityProvider.issuer,
      clientId: 'theirs',
      clientSecret: 'theirs',
      allowedTenants: ['theirs'],
    })
    // Ours: a submitted audit whose lead auditor may agree and complete actions.
    const { auditId: ourAudit } = await makeSubmittedAudit(db, {
      councilId: councils.ours.councilId,
      caseFile: await makeCaseFile(db, {
        councilId: councils.ours.councilId,
        teamId: councils.ours.teamId,
      }),
      leadAuditorId: ids.auditor,
    })

    const attempts: [string, keyof typeof cookies, Record<string, string>][] = [
      [
        `/audits/${ourAudit}/impact`,
        'auditor',
        { intent: 'complete', actionId: theirAction.id, note: 'Done, says who?' },
      ],
      [
        `/audits/${ourAudit}/impact`,
        'auditor',
        {
          intent: 'add',
          description: 'Theirs to do',
          ownerId: ids.elsewhere,
          dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        },
      ],
      [`/audits/${auditId}`, 'lead', { intent: 'reassign', leadAuditorId: theirAuditor.id }],
      [`/admin/users`, 'admin', { intent: 'deactivate', userId: ids.elsewhere }],
      [
        `/admin/users`,
        'admin',
        { intent: 'invite', userId: ids.elsewhere, providerId: theirProvider },
      ],
      [`/admin/sign-in`, 'admin', { intent: 'remove', providerId: theirProvider }],
      [
        `/admin/sign-in`,
        'admin',
        {
          intent: 'save',
          providerId: theirProvider,
          name: 'Taken over',
          issuer: identityProvider.issuer,
          clientId: 'ours',
          clientSecret: 'ours',
          allowedTenants: 'ours',
        },
      ],
      [`/account`, 'lead', { intent: 'unlink', providerId: theirProvider }],
      [
        `/cases`,
        'lead',
        {
          intent: 'add',
          caseRef: 'IDOR-1',
          teamId: councils.theirs.teamId,
          workerId: '',
          ageBand: '',
        },
      ],
    ]
    for (const [pathname, who, form] of attempts) {
      const response = await fetch(`${base}${pathname}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: cookies[who],
          Origin: base,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form),
      })
      expect([400, 403, 404], `${form.intent} at ${pathname}`).toContain(response.status)

      console.log(
        pathname,
        form.intent,
        response.status,
        (await response.clone().text())
          .replace(/<[^>]*>/g, ' ')
          .match(
            /There is a problem.{0,200}|[A-Z][^.]{0,80}cannot be found|Not found|Choose an owner[^.]*/,
          )?.[0],
      )
      await response.arrayBuffer()
    }
    const [action] = await sql<{ status: string; completion_note: string | null }[]>`
      select status, completion_note from audit_actions where id = ${theirAction.id}`
    expect(action).toEqual({ status: 'open', completion_note: null })
    expect((await sql`select 1 from audit_actions where owner_id = ${ids.elsewhere}`).length).toBe(
      0,
    )
    expect(
      (
        await sql`select 1 from audit_assignments where user_id = ${theirAuditor.id}
        and audit_id = ${auditId}`
      ).length,
    ).toBe(0)
    const [elsewhere] = await sql<{ active: boolean }[]>`
      select active from users where id = ${ids.elsewhere}`
    expect(elsewhere?.active).toBe(true)
    expect((await sql`select 1 from sign_in_invitations`).length).toBe(0)
    const [provider] = await sql<{ name: string }[]>`
      select name from identity_providers where id = ${theirProvider}`
    expect(provider?.name).toBe('Their provider')
    expect((await sql`select 1 from case_files where case_ref = 'IDOR-1'`).length).toBe(0)
  })

  it('takes SQL in every filter and sort parameter as data', async () => {
    const [before] = await database.db.$client<{ audits: string }[]>`
      select count(*) as audits from audits`
    const payloads = ["' or '1'='1", '1); drop table audits; --', "2026-11' union select 1 --"]
    const names = [
      'from',
      'to',
      'period',
      'cycle',
      'team',
      'service',
      'template',
      'status',
      'sort',
      'order',
      'q',
      'case',
      'user',
      'kpi',
      'theme',
      'state',
      'owner',
      'page',
      'agency',
      'auditor',
    ]
    for (const pathname of await pagePaths()) {
      for (const payload of payloads) {
        const query = new URLSearchParams(names.map((name) => [name, payload]))
        const response = await get(`${pathname}?${query}`, cookies.lead)
        expect(response.status, `${pathname} with ${payload}`).toBeLessThan(500)
        await response.arrayBuffer()
      }
    }
    const [after] = await database.db.$client<{ audits: string }[]>`
      select count(*) as audits from audits`
    expect(after?.audits).toBe(before?.audits)
  })

  it('refuses a websocket to the audit from another council, another origin, or a signed-out session', async () => {
    const closeCode = (cookie: string, origin = base, name = `audit.${auditId}`) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${name}`, {
          headers: { cookie, origin },
        })
        socket.on('close', (code) => resolve(code))
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        socket.on('error', () => {})
      })
    expect(await closeCode(cookies.elsewhere)).toBe(CLOSE_FORBIDDEN)
    expect(await closeCode(cookies.stranger)).toBe(CLOSE_FORBIDDEN)
    expect(await closeCode(cookies.lead, 'https://evil.test')).toBe(403)
    expect(await closeCode('')).toBe(CLOSE_UNAUTHENTICATED)
    expect(await closeCode(cookies.lead, base, 'audit.not-a-document')).toBe(CLOSE_NOT_FOUND)
    const leaving = await signInOverHttp(
      base,
      (
        await makeUser(database.db, {
          councilId: (await makeCouncil(database.db)).councilId,
          roles: ['lead'],
        })
      ).email,
    )
    await fetch(`${base}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: base, Cookie: leaving },
    })
    expect(await closeCode(leaving)).toBe(CLOSE_UNAUTHENTICATED)
  })

  it('never honours a session id fixed before sign-in', async () => {
    const fixed = `${SESSION_COOKIE}=attacker-chosen-token`
    const issued = await signInOverHttp(
      base,
      (
        await makeUser(database.db, {
          councilId: (await makeCouncil(database.db)).councilId,
          roles: ['auditor'],
        })
      ).email,
      TEST_PASSWORD,
      fixed,
    )
    expect(issued).not.toBe(fixed)
    const withFixed = await get('/', fixed)
    expect(withFixed.status).toBe(302)
    expect(withFixed.headers.get('location')).toMatch(/^\/login/)
  })

  it('sends nobody elsewhere through redirectTo', async () => {
    for (const target of [
      'https://evil.test/',
      '//evil.test/',
      '/\\evil.test/',
      '/%5Cevil.test',
      'javascript:alert(1)',
      ' //evil.test',
      '\t/\\evil.test',
    ]) {
      const response = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email: (
            await makeUser(database.db, {
              councilId: (await makeCouncil(database.db)).councilId,
              roles: ['auditor'],
            })
          ).email,
          password: TEST_PASSWORD,
          redirectTo: target,
        }),
      })
      const location = response.headers.get('location') ?? ''
      expect(new URL(location, base).origin, target).toBe(base)
      expect(location, target).toMatch(/^\/(?![/\\])/)
    }
  })

  it('refuses oversized bodies before reading them, and bodies of unstated length', async () => {
    const big = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(2 * 1024 * 1024)}`,
    })
    expect(big.status).toBe(413)
    expect(await big.text()).toContain('at most 1 MB')
    const upload = new FormData()
    upload.append('file', new Blob([new Uint8Array(52 * 1024 * 1024)]), 'huge.csv')
    const huge = await fetch(`${base}/imports`, {
      method: 'POST',
      headers: { Origin: base, Cookie: cookies.lead },
      body: upload,
    })
    expect(huge.status).toBe(413)
    expect(await huge.text()).toContain('at most 50 MB')
    const chunked = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('email=a'))
          controller.close()
        },
      }),
      duplex: 'half',
    })
    expect(chunked.status).toBe(411)
  })
})
