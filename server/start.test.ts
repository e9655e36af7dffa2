import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCouncil, makeUser, TEST_PASSWORD } from '../test/factories'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { startTestServer } from '../test/setup/test-server'
import type { RunningServer } from './start'

let database: TestDatabase
let server: RunningServer
let base: string
let auditorEmail: string
let adminEmail: string
let otherCouncilUserId: string

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  auditorEmail = (await makeUser(database.db, { councilId: council.councilId, roles: ['auditor'] }))
    .email
  adminEmail = (await makeUser(database.db, { councilId: council.councilId, roles: ['admin'] }))
    .email
  const other = await makeCouncil(database.db)
  otherCouncilUserId = (
    await makeUser(database.db, { councilId: other.councilId, roles: ['auditor'] })
  ).id
  server = await startTestServer(database.url)
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.close()
  await database.drop()
})

async function signInAs(email: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: TEST_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status).toBe(302)
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

describe('the HTTP server', () => {
  it('answers /healthz with 200 while the database answers', async () => {
    const response = await fetch(`${base}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' })
  })

  it('sends an enforced CSP with a fresh nonce, and refuses framing', async () => {
    const first = await fetch(`${base}/login`)
    const second = await fetch(`${base}/login`)
    const csp = first.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toBe(second.headers.get('content-security-policy'))
    expect(first.headers.get('x-frame-options')).toBe('DENY')
    expect(first.headers.get('x-content-type-options')).toBe('nosniff')
    const nonce = /nonce-([^']+)/.exec(csp)?.[1]
    const html = await first.text()
    // Every inline script carries this response's nonce.
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes] of scripts) expect(attributes).toContain(`nonce="${nonce}"`)
  })

  it('refuses a state-changing request from another origin or with no origin', async () => {
    const body = new URLSearchParams({ email: auditorEmail, password: TEST_PASSWORD })
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const foreign = await fetch(`${base}/login`, {
      method: 'POST',
      body,
      headers: { ...headers, Origin: 'https://evil.test' },
    })
    expect(foreign.status).toBe(403)
    const crossSite = await fetch(`${base}/login`, {
      method: 'POST',
      body,
      headers: { ...headers, Origin: base, 'Sec-Fetch-Site': 'cross-site' },
    })
    expect(crossSite.status).toBe(403)
    const none = await fetch(`${base}/login`, { method: 'POST', body, headers })
    expect(none.status).toBe(403)
  })

  it('signs in, shows the role’s home page, and signs out so the cookie no longer works', async () => {
    const cookie = await signInAs(auditorEmail)
    const home = await fetch(`${base}/`, { headers: { Cookie: cookie } })
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('My audits')
    expect(home.headers.get('cache-control')).toBe('no-store')
    const out = await fetch(`${base}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, Origin: base },
    })
    expect(out.status).toBe(302)
    const after = await fetch(`${base}/`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toBe('/login?redirectTo=%2F')
  })

  it('answers a wrong password with one generic message and status 400', async () => {
    const response = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'nobody@test.invalid', password: 'nope' }),
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Enter a correct email address and password')
  })

  it('answers 404 for an unknown page and 403 for a forbidden one', async () => {
    const cookie = await signInAs(auditorEmail)
    const missing = await fetch(`${base}/no-such-page`, { headers: { Cookie: cookie } })
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('Page not found')
    const forbidden = await fetch(`${base}/admin/users`, { headers: { Cookie: cookie } })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toContain('You do not have permission to see this page')
  })

  it('lets an admin see only their own council’s users and not change another council’s', async () => {
    const cookie = await signInAs(adminEmail)
    const page = await (await fetch(`${base}/admin/users`, { headers: { Cookie: cookie } })).text()
    expect(page).toContain(auditorEmail)
    const foreign = await fetch(`${base}/admin/users`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: base,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ intent: 'deactivate', userId: otherCouncilUserId }),
    })
    expect(foreign.status).toBe(404)
  })

  it('refuses a websocket upgrade anywhere but the sync path', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/elsewhere`, {
      headers: { origin: base },
    })
    const outcome = await new Promise<string>((resolve) => {
      socket.on('open', () => resolve('open'))
      socket.on('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`))
      socket.on('error', () => resolve('error'))
    })
    expect(outcome).toBe('status 404')
  })

  it('answers /healthz with 503 when the database stops answering', async () => {
    await database.drop()
    const response = await fetch(`${base}/healthz`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 'unavailable', database: 'down' })
  })
})
