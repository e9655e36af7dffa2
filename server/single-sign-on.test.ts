import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../shared/session'
import { linkIdentity } from '../db/queries/sign-in'
import { makeCouncil, makeUser } from '../test/factories'
import {
  addTestProvider,
  TestBrowser,
  type TestAccount,
  type TestProvider,
} from '../test/oidc/test-provider'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { startTestServer } from '../test/setup/test-server'
import { signInOverHttp } from '../test/sync-client'
import type { RunningServer } from './start'

/**
 * Single sign-on against a real OpenID provider (oidc-provider, in its own process on loopback)
 * and the real server: every answer the provider gives is a real one, and the ways it can be
 * wrong are made the way an attacker or a clock would make them.
 */
let database: TestDatabase
let server: RunningServer
let provider: TestProvider
let base: string
let providerId: string
let councilId: string
const COUNCIL_TENANT = '11111111-1111-1111-1111-111111111111'
const PARTNER_TENANT = '22222222-2222-2222-2222-222222222222'
const OTHER_TENANT = '33333333-3333-3333-3333-333333333333'
let lead: { id: string; email: string }

/** An Entra-like account: the tenant in the issuer's `tid`, the person in `oid`. */
function entraAccount(oid: string, tid = COUNCIL_TENANT, extra: Partial<TestAccount> = {}) {
  return {
    sub: `pairwise-${oid}`,
    oid,
    tid,
    preferred_username: `${oid}@council.test`,
    name: `Person ${oid}`,
    ...extra,
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  const council = await makeCouncil(database.db)
  councilId = council.councilId
  lead = await makeUser(database.db, { councilId, roles: ['lead'] })
  server = await startTestServer(database.url)
  base = `http://localhost:${server.port}`
  ;({ provider, providerId } = await addTestProvider(database.db, {
    councilId,
    base,
    allowedTenants: [COUNCIL_TENANT, PARTNER_TENANT],
  }))
}, 60_000)
afterAll(async () => {
  await provider?.stop()
  await server?.close()
  await database?.drop()
})

const atCallback = (next: URL) => next.pathname === '/sso/callback'

/** Starts signing in and stops where the provider sends the browser back: the app has not seen it. */
async function answerFromProvider(browser: TestBrowser, path = `/sso/${providerId}`) {
  const { url } = await browser.follow(`${base}${path}`, atCallback)
  return new URL(url)
}

async function whoIsSignedIn(browser: TestBrowser): Promise<string | null> {
  const response = await browser.request(`${base}/account`)
  if (response.status !== 200) return null
  const page = await response.text()
  return /data-testid="account-email">([^<]*)</.exec(page)?.[1] ?? null
}

async function trail(action: string) {
  return database.db.$client<{ user_id: string | null; detail: Record<string, unknown> }[]>`
    select user_id, detail from access_events where action = ${action} order by id`
}

async function link(userId: string, account: ReturnType<typeof entraAccount>) {
  await linkIdentity(database.db, {
    userId,
    providerId,
    issuer: provider.issuer,
    subject: account.oid,
    tenant: account.tid,
    label: account.preferred_username,
  })
}

describe('signing in with the council’s identity provider', () => {
  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const browser = new TestBrowser()
    const response = await browser.request(`${base}/sso/${providerId}`)
    expect(response.status).toBe(302)
    const to = new URL(response.headers.get('location')!)
    expect(to.origin).toBe(provider.issuer)
    expect(to.searchParams.get('code_challenge_method')).toBe('S256')
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(to.searchParams.get('state')).toMatch(/^[\w-]{20,}$/)
    expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/)
    expect(to.searchParams.get('redirect_uri')).toBe(`${base}/sso/callback`)
    expect(browser.cookieFor(base)).toMatch(/case_audit_sign_in=/)
  })

  it('signs in the user linked to the account, matched by issuer and object id', async () => {
    const account = entraAccount('aaaaaaaa-0000-0000-0000-000000000001')
    await link(lead.id, account)
    await provider.next(account)
    const browser = new TestBrowser()
    const callback = await answerFromProvider(
      browser,
      `/sso/${providerId}?redirectTo=${encodeURIComponent('/kpis')}`,
    )
    const answered = await browser.request(callback.href)
    expect(answered.status).toBe(302)
    expect(answered.headers.get('location')).toBe('/kpis')
    expect(await whoIsSignedIn(browser)).toBe(lead.email)
    const [signIn] = (await trail('sign-in')).filter((e) => e.detail?.provider)
    expect(signIn).toMatchObject({
      user_id: lead.id,
      detail: { provider: 'Council Entra', account: account.preferred_username },
    })
  })

  it('sends nobody elsewhere after signing in, whatever redirectTo says', async () => {
    for (const elsewhere of ['//evil.test/x', 'https://evil.test/', '/\\evil.test']) {
      await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
      const browser = new TestBrowser()
      const callback = await answerFromProvider(
        browser,
        `/sso/${providerId}?${new URLSearchParams({ redirectTo: elsewhere })}`,
      )
      const answered = await browser.request(callback.href)
      expect(answered.headers.get('location'), elsewhere).toBe('/')
    }
  })

  it('never matches by email: an unlinked account with a user’s email is not signed in', async () => {
    await provider.next(
      entraAccount('aaaaaaaa-0000-0000-0000-000000000002', COUNCIL_TENANT, {
        email: lead.email,
        preferred_username: lead.email,
      }),
    )
    const browser = new TestBrowser()
    const answered = await browser.request((await answerFromProvider(browser)).href)
    expect(answered.status).toBe(403)
    expect(await answered.text()).toContain('Your account is not set up here')
    expect(await whoIsSignedIn(browser)).toBeNull()
  })

  it('refuses a tampered state, and the untampered answer is then used up', async () => {
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
    const browser = new TestBrowser()
    const callback = await answerFromProvider(browser)
    const tampered = new URL(callback)
    tampered.searchParams.set('state', 'an-attackers-state-value')
    const refused = await browser.request(tampered.href)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('could not be checked')
    expect(await whoIsSignedIn(browser)).toBeNull()
    // The refusal forgets the attempt in the browser too.
    expect(browser.cookieFor(base)).not.toMatch(/case_audit_sign_in=/)
    // The attempt was used by the first answer; the real one cannot be replayed after it.
    const replayed = await browser.request(callback.href)
    expect(replayed.status).toBe(403)
    expect(await replayed.text()).toContain('Start signing in again')
    expect(await whoIsSignedIn(browser)).toBeNull()
  })

  it('refuses an ID token whose nonce is not the one this sign-in expects', async () => {
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
    const browser = new TestBrowser()
    const callback = await answerFromProvider(browser)
    // As if the token had been minted for another sign-in and slipped into this one.
    await database.db.$client`update sign_in_attempts set nonce = 'another-sign-ins-nonce'`
    const refused = await browser.request(callback.href)
    expect(refused.status).toBe(403)
    expect(await whoIsSignedIn(browser)).toBeNull()
    const [last] = (await trail('sign-in-refused')).slice(-1)
    expect(last?.detail).toMatchObject({ refusal: 'untrusted-answer', claim: 'nonce' })
  })

  it('refuses an expired ID token', async () => {
    // The provider's clock is five minutes behind: its one-minute token has expired on arrival.
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'), {
      clockOffsetSeconds: -300,
      idTokenSeconds: 60,
    })
    const browser = new TestBrowser()
    const refused = await browser.request((await answerFromProvider(browser)).href)
    expect(refused.status).toBe(403)
    expect(await whoIsSignedIn(browser)).toBeNull()
    const [last] = (await trail('sign-in-refused')).slice(-1)
    expect(last?.detail).toMatchObject({ refusal: 'untrusted-answer', claim: 'exp' })
  })

  it('refuses an account of a tenant the council has not admitted, and admits a partner’s', async () => {
    const outsider = entraAccount('bbbbbbbb-0000-0000-0000-000000000001', OTHER_TENANT)
    const partner = await makeUser(database.db, { councilId, roles: ['auditor'] })
    // Even linked, an account of a tenant no longer admitted does not sign in.
    await link(partner.id, outsider)
    await provider.next(outsider)
    const browser = new TestBrowser()
    const refused = await browser.request((await answerFromProvider(browser)).href)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('Your organisation’s accounts cannot sign in here')
    expect(await whoIsSignedIn(browser)).toBeNull()
    const [last] = (await trail('sign-in-refused')).slice(-1)
    expect(last?.detail).toMatchObject({ refusal: 'tenant-not-allowed', tenant: OTHER_TENANT })

    const admitted = entraAccount('bbbbbbbb-0000-0000-0000-000000000002', PARTNER_TENANT)
    await link(partner.id, admitted)
    await provider.next(admitted)
    const again = new TestBrowser()
    expect((await again.request((await answerFromProvider(again)).href)).status).toBe(302)
    expect(await whoIsSignedIn(again)).toBe(partner.email)
  })

  it('refuses an answer brought to another browser than the one that started', async () => {
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
    const victim = new TestBrowser()
    const callback = await answerFromProvider(new TestBrowser())
    const refused = await victim.request(callback.href)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('Start signing in again')
    expect(await whoIsSignedIn(victim)).toBeNull()
  })

  it('says what the provider said when it signed nobody in', async () => {
    const browser = new TestBrowser()
    const started = await browser.request(`${base}/sso/${providerId}`)
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!
    const refused = await browser.request(
      `${base}/sso/callback?${new URLSearchParams({
        error: 'access_denied',
        error_description: 'The user cancelled',
        state,
        iss: provider.issuer,
      })}`,
    )
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('The user cancelled')
  })

  it('refuses a deactivated user', async () => {
    const leaver = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const account = entraAccount('cccccccc-0000-0000-0000-000000000001')
    await link(leaver.id, account)
    await database.db.$client`update users set active = false where id = ${leaver.id}`
    await provider.next(account)
    const browser = new TestBrowser()
    const refused = await browser.request((await answerFromProvider(browser)).href)
    expect(refused.status).toBe(403)
    expect(await whoIsSignedIn(browser)).toBeNull()
  })
})

describe('a signed-in user and their council account', () => {
  it('links their account, and then signs in with it', async () => {
    const auditor = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const browser = new TestBrowser()
    browser.setCookie(base, await signInOverHttp(base, auditor.email))
    const account = entraAccount('dddddddd-0000-0000-0000-000000000001')
    await provider.next(account)
    const callback = await answerFromProvider(browser, `/sso/${providerId}?purpose=link`)
    const linked = await browser.request(callback.href)
    expect(linked.status).toBe(302)
    expect(linked.headers.get('location')).toBe('/account?linked=1')
    expect(await (await browser.request(`${base}/account`)).text()).toContain(
      account.preferred_username,
    )
    expect((await trail('account-linked')).at(-1)?.user_id).toBe(auditor.id)

    await provider.next(account)
    const fresh = new TestBrowser()
    expect((await fresh.request((await answerFromProvider(fresh)).href)).status).toBe(302)
    expect(await whoIsSignedIn(fresh)).toBe(auditor.email)
  })

  it('cannot link an account that is already someone else’s', async () => {
    const other = await makeUser(database.db, { councilId, roles: ['auditor'] })
    const browser = new TestBrowser()
    browser.setCookie(base, await signInOverHttp(base, other.email))
    // The lead's account (linked in an earlier test).
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
    const callback = await answerFromProvider(browser, `/sso/${providerId}?purpose=link`)
    const refused = await browser.request(callback.href)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('linked to someone else')
  })

  it('signing in again at the provider counts as giving the password again', async () => {
    const account = entraAccount('aaaaaaaa-0000-0000-0000-000000000001')
    await provider.next(account)
    const browser = new TestBrowser()
    await browser.request((await answerFromProvider(browser)).href)
    expect(await whoIsSignedIn(browser)).toBe(lead.email)
    await database.db.$client`
      update sessions set confirmed_at = now() - interval '1 hour' where user_id = ${lead.id}`
    const asked = await browser.request(`${base}/kpis.csv`)
    expect(asked.status).toBe(302)
    expect(asked.headers.get('location')).toMatch(/^\/confirm-password/)
    const confirmPage = await (
      await browser.request(new URL(asked.headers.get('location')!, base).href)
    ).text()
    expect(confirmPage).toContain(`/sso/${providerId}?purpose=confirm`)

    // Signing in again as someone else (the provider's session ended first) does not confirm.
    browser.forget(provider.issuer)
    await provider.next(entraAccount('dddddddd-0000-0000-0000-000000000001'))
    const wrongAnswer = await answerFromProvider(
      browser,
      `/sso/${providerId}?purpose=confirm&redirectTo=/access`,
    )
    const wrong = await browser.request(wrongAnswer.href)
    expect(wrong.status).toBe(403)
    expect(await wrong.text()).toContain('That is not your account')
    expect((await browser.request(`${base}/kpis.csv`)).status).toBe(302)

    browser.forget(provider.issuer)
    await provider.next(account)
    const started = await browser.request(
      `${base}/sso/${providerId}?purpose=confirm&redirectTo=/access`,
    )
    const to = new URL(started.headers.get('location')!)
    expect(to.searchParams.get('prompt')).toBe('login')
    expect(to.searchParams.get('max_age')).toBe('0')
    const { url } = await browser.follow(to.href, atCallback)
    const confirmed = await browser.request(url)
    expect(confirmed.status).toBe(302)
    expect(confirmed.headers.get('location')).toBe('/access')
    expect((await browser.request(`${base}/kpis.csv`)).status).toBe(200)
    expect((await trail('signed-in-again')).at(-1)?.user_id).toBe(lead.id)
  })
})

describe('password sign-in turned off for the council', () => {
  it('refuses the right password with a pointer to the council’s sign-in, and SSO still works', async () => {
    await database.db.$client`update councils set password_sign_in = false where id = ${councilId}`
    try {
      const response = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email: lead.email,
          password: 'correct horse battery staple',
        }),
      })
      expect(response.status).toBe(400)
      expect(await response.text()).toContain('has turned off signing in with a password')
      await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
      const browser = new TestBrowser()
      await browser.request((await answerFromProvider(browser)).href)
      expect(await whoIsSignedIn(browser)).toBe(lead.email)
    } finally {
      await database.db.$client`update councils set password_sign_in = true where id = ${councilId}`
    }
  })
})

describe('an administrator setting up sign-in', () => {
  async function post(cookie: string, form: Record<string, string>) {
    return fetch(`${base}/admin/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: cookie,
        Origin: base,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
    })
  }
  const valid = () => ({
    intent: 'save',
    name: 'Partner Entra',
    issuer: provider.issuer,
    clientId: 'partner-app',
    clientSecret: 'a secret never shown again',
    allowedTenants: `${PARTNER_TENANT}\n${PARTNER_TENANT}, ${COUNCIL_TENANT}`,
  })

  it('adds a provider only with every field right and an issuer that answers', async () => {
    const admin = await makeUser(database.db, { councilId, roles: ['admin'] })
    const cookie = await signInOverHttp(base, admin.email)
    const count = async () =>
      (await database.db.$client`select count(*)::int as n from identity_providers`)[0]!.n as number
    const before = await count()

    const cases: [Record<string, string>, string][] = [
      [{ ...valid(), name: '' }, 'Enter a name for the button'],
      [{ ...valid(), issuer: 'http://login.example.test/v2.0' }, 'full https:// address'],
      [{ ...valid(), issuer: 'not an address' }, 'full https:// address'],
      [{ ...valid(), clientSecret: '' }, 'Enter the client secret'],
      [{ ...valid(), allowedTenants: ' \n , ' }, 'Enter at least one allowed tenant ID'],
      // Nothing listens there: the discovery document cannot be read.
      [{ ...valid(), issuer: 'http://127.0.0.1:9/' }, 'discovery document could not be read'],
      [{ ...valid(), name: 'Council Entra' }, 'Another identity provider has this name'],
    ]
    for (const [form, message] of cases) {
      const response = await post(cookie, form)
      expect(response.status, message).toBe(400)
      expect(await response.text()).toContain(message)
    }
    // With every field empty, the error summary lists them in the order of the fields.
    const empty = await (
      await post(cookie, {
        ...valid(),
        name: '',
        issuer: '',
        clientId: '',
        clientSecret: '',
        allowedTenants: '',
      })
    ).text()
    const said = [
      'Enter a name for the button',
      'Enter the issuer address',
      'Enter the client (application) ID',
      'Enter the client secret',
      'Enter at least one allowed tenant ID',
    ].map((message) => empty.indexOf(message))
    expect(said.every((at) => at > 0)).toBe(true)
    expect(said).toEqual([...said].sort((a, b) => a - b))
    expect(await count()).toBe(before)

    const saved = await post(cookie, valid())
    expect(saved.status).toBe(302)
    const page = await (
      await fetch(`${base}/admin/sign-in`, { headers: { Cookie: cookie } })
    ).text()
    expect(page).toContain('Partner Entra')
    expect(page).toContain(`${base}/sso/callback`)
    expect(page).not.toContain('a secret never shown again')
    const [row] = await database.db.$client<{ allowed_tenants: string[] }[]>`
      select allowed_tenants from identity_providers where name = 'Partner Entra'`
    expect(row?.allowed_tenants).toEqual([PARTNER_TENANT, COUNCIL_TENANT])
    expect((await trail('sign-in-settings')).at(-1)).toMatchObject({
      user_id: admin.id,
      detail: { change: 'provider added', provider: 'Partner Entra' },
    })
  })

  it('will not turn passwords off while the administrator could not sign in without one', async () => {
    const admin = await makeUser(database.db, { councilId, roles: ['admin'] })
    const cookie = await signInOverHttp(base, admin.email)
    const refused = await post(cookie, { intent: 'passwords', passwordSignIn: 'off' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Link your own council account')
    const [council] = await database.db.$client<{ password_sign_in: boolean }[]>`
      select password_sign_in from councils where id = ${councilId}`
    expect(council?.password_sign_in).toBe(true)
  })

  it('is the administrator’s alone', async () => {
    const cookie = await signInOverHttp(base, lead.email)
    expect((await post(cookie, valid())).status).toBe(403)
  })
})

describe('inviting someone to sign in with the council’s provider', () => {
  async function postAs(cookie: string, path: string, form: Record<string, string>) {
    return fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: cookie,
        Origin: base,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
    })
  }
  const linkIn = (page: string) =>
    /data-testid="invitation-link">([^<]*)</.exec(page)?.[1]?.replaceAll('&amp;', '&')

  it('adds a user without a password, whose link signs them in once, with the account they link', async () => {
    const admin = await makeUser(database.db, { councilId, roles: ['admin'] })
    const cookie = await signInOverHttp(base, admin.email)
    const [agency] = await database.db.$client<{ id: string }[]>`
      select id from agencies where council_id = ${councilId} limit 1`
    const added = await postAs(cookie, '/admin/users/new', {
      name: 'Nina Newcomer',
      email: 'nina.newcomer@test.invalid',
      roles: 'auditor',
      agencyId: agency!.id,
      teamId: '',
      signInWith: providerId,
      password: '',
    })
    expect(added.status).toBe(200)
    const url = linkIn(await added.text())
    expect(url).toMatch(new RegExp(`^${base}/sso/invitation/[\\w-]{43}$`))
    const [nina] = await database.db.$client<{ id: string; password_hash: string | null }[]>`
      select id, password_hash from users where email = 'nina.newcomer@test.invalid'`
    expect(nina?.password_hash).toBeNull()

    const browser = new TestBrowser()
    const landing = await browser.request(url!)
    expect(landing.status).toBe(200)
    const start = /href="(\/sso\/[^"]+purpose=invitation[^"]*)"/.exec(await landing.text())?.[1]
    const account = entraAccount('eeeeeeee-0000-0000-0000-000000000001')
    await provider.next(account)
    const callback = await answerFromProvider(browser, start!.replaceAll('&amp;', '&'))
    expect((await browser.request(callback.href)).status).toBe(302)
    expect(await whoIsSignedIn(browser)).toBe('nina.newcomer@test.invalid')

    // Used once.
    expect((await new TestBrowser().request(url!)).status).toBe(404)
    // And from then on the account signs her in.
    await provider.next(account)
    const later = new TestBrowser()
    await later.request((await answerFromProvider(later)).href)
    expect(await whoIsSignedIn(later)).toBe('nina.newcomer@test.invalid')
  })

  it('makes a new link from the users list; a link older than seven days no longer works', async () => {
    const admin = await makeUser(database.db, { councilId, roles: ['admin'] })
    const someone = await makeUser(database.db, { councilId, roles: ['practitioner'] })
    const cookie = await signInOverHttp(base, admin.email)
    const answered = await postAs(cookie, '/admin/users', {
      intent: 'invite',
      userId: someone.id,
      providerId,
    })
    expect(answered.status).toBe(200)
    const url = linkIn(await answered.text())
    expect((await new TestBrowser().request(url!)).status).toBe(200)
    await database.db.$client`
      update sign_in_invitations set created_at = now() - interval '8 days' where user_id = ${someone.id}`
    expect((await new TestBrowser().request(url!)).status).toBe(404)
    // Another council's user cannot be invited by this council's admin.
    const elsewhere = await makeCouncil(database.db)
    const stranger = await makeUser(database.db, {
      councilId: elsewhere.councilId,
      roles: ['lead'],
    })
    const refused = await postAs(cookie, '/admin/users', {
      intent: 'invite',
      userId: stranger.id,
      providerId,
    })
    expect(refused.status).toBe(404)
  })

  it('lets someone unlink an account only while they have another way to sign in', async () => {
    const [nina] = await database.db.$client<{ id: string }[]>`
      select id from users where email = 'nina.newcomer@test.invalid'`
    await provider.next(entraAccount('eeeeeeee-0000-0000-0000-000000000001'))
    const browser = new TestBrowser()
    await browser.request((await answerFromProvider(browser)).href)
    expect(await whoIsSignedIn(browser)).toBe('nina.newcomer@test.invalid')
    const unlink = () =>
      browser.request(`${base}/account`, {
        method: 'POST',
        headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'unlink', providerId }),
      })
    const refused = await unlink()
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('You cannot unlink your only way to sign in')
    expect(
      (await database.db.$client`select 1 from user_identities where user_id = ${nina!.id}`).length,
    ).toBe(1)

    // With a password as well, she may.
    await database.db.$client`
      update users set password_hash = (select password_hash from users where id = ${lead.id})
      where id = ${nina!.id}`
    const unlinked = await unlink()
    expect(unlinked.status).toBe(302)
    expect(
      (await database.db.$client`select 1 from user_identities where user_id = ${nina!.id}`).length,
    ).toBe(0)
    expect((await trail('account-unlinked')).at(-1)?.user_id).toBe(nina!.id)
  })

  it('never keeps a session id fixed before signing in through the provider', async () => {
    await provider.next(entraAccount('aaaaaaaa-0000-0000-0000-000000000001'))
    const browser = new TestBrowser()
    browser.setCookie(base, `${SESSION_COOKIE}=an-attackers-fixed-token`)
    await browser.request((await answerFromProvider(browser)).href)
    expect(await whoIsSignedIn(browser)).toBe(lead.email)
    expect(browser.cookieFor(base)).not.toContain('an-attackers-fixed-token')
  })
})
