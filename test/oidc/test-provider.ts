import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Db } from '../../db/client'
import { createProvider } from '../../db/queries/sign-in'

export type TestAccount = Record<string, unknown> & { sub: string }

export type TestProvider = {
  issuer: string
  clientId: string
  clientSecret: string
  /** The account the next sign-in at the provider signs in as, and how its clock and tokens behave. */
  next: (
    claims: TestAccount,
    options?: { clockOffsetSeconds?: number; idTokenSeconds?: number },
  ) => Promise<void>
  stop: () => Promise<void>
}

/** Starts test/oidc/provider.ts in its own process and waits for it to listen. */
export async function startTestProvider(params: {
  redirectUris: string[]
  clientId?: string
  clientSecret?: string
}): Promise<TestProvider> {
  const clientId = params.clientId ?? 'case-audit'
  const clientSecret = params.clientSecret ?? 'a test client secret'
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./provider.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        CLIENT_ID: clientId,
        CLIENT_SECRET: clientSecret,
        REDIRECT_URIS: params.redirectUris.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let errors = ''
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const lines = createInterface({ input: child.stdout! })
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`the test provider exited: ${errors}`)
    }),
  ])) as [string]
  const { issuer } = JSON.parse(first) as { issuer: string }
  return {
    issuer,
    clientId,
    clientSecret,
    async next(claims, options = {}) {
      const response = await fetch(`${issuer}/_test/next`, {
        method: 'POST',
        body: JSON.stringify({ claims, ...options }),
      })
      if (response.status !== 204) throw new Error(`the test provider said ${response.status}`)
    },
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/**
 * What a browser keeps between requests: cookies per origin, and redirects followed one at a time
 * so that a test can stop at any of them (to change the provider's answer before the app sees it).
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>()

  cookieFor(url: string): string {
    const cookies = this.jar.get(new URL(url).host) ?? new Map<string, string>()
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  setCookie(url: string, cookie: string): void {
    const [name, ...rest] = cookie.split('=')
    const host = new URL(url).host
    const cookies = this.jar.get(host) ?? new Map<string, string>()
    cookies.set(name!, rest.join('='))
    this.jar.set(host, cookies)
  }

  /** Drops every cookie of `url`'s host: signed out there. */
  forget(url: string): void {
    this.jar.delete(new URL(url).host)
  }

  /** One request, its cookies kept; redirects not followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.cookieFor(url)
    if (cookie) headers.set('Cookie', cookie)
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';')
      const [name, ...value] = pair!.trim().split('=')
      const cookies = this.jar.get(new URL(url).host) ?? new Map<string, string>()
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a))
      if (expired || value.join('=') === '') cookies.delete(name!)
      else cookies.set(name!, value.join('='))
      this.jar.set(new URL(url).host, cookies)
    }
    return response
  }

  /**
   * Follows redirects from `url` until one would reach an address for which `stop` says true (that
   * address is returned, not requested), or a page answers.
   */
  async follow(
    url: string,
    stop: (next: URL) => boolean = () => false,
  ): Promise<{ response: Response | undefined; url: string }> {
    let current = url
    for (let hop = 0; hop < 20; hop++) {
      const response = await this.request(current)
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) {
        return { response, url: current }
      }
      const next = new URL(location, current)
      if (stop(next)) return { response: undefined, url: next.href }
      current = next.href
    }
    throw new Error(`too many redirects from ${url}`)
  }
}

/**
 * A council's identity provider, real and running (test/oidc/provider.ts), registered for the app
 * at `base`, that admits the given tenants (by default the provider's own issuer: every account).
 */
export async function addTestProvider(
  db: Db,
  params: { councilId: string; base: string; name?: string; allowedTenants?: string[] },
): Promise<{ provider: TestProvider; providerId: string }> {
  const provider = await startTestProvider({ redirectUris: [`${params.base}/sso/callback`] })
  const providerId = await createProvider(db, {
    councilId: params.councilId,
    name: params.name ?? 'Council Entra',
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    allowedTenants: params.allowedTenants ?? [provider.issuer],
  })
  return { provider, providerId }
}
