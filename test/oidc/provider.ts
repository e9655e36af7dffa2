/**
 * A real OpenID provider (oidc-provider) on loopback, in a process of its own, for the tests of
 * single sign-on. It signs in whichever account the test names (POST /_test/next, JSON: the
 * account's claims, and optionally a clock offset and an ID token lifetime), without a login form:
 * the app never sees the provider's pages, only its redirects and its tokens, which are real.
 *
 * Its own process, so that its clock can be set back (for an expired ID token) without the app's.
 * Start: `node --import tsx test/oidc/provider.ts`, with CLIENT_ID, CLIENT_SECRET and
 * REDIRECT_URIS (comma-separated) in the environment; the first line it prints is
 * `{"issuer": "http://127.0.0.1:<port>"}`.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync } from 'node:crypto'
import Provider, { type Configuration } from 'oidc-provider'

type Next = {
  claims: Record<string, unknown> & { sub: string }
  /** Seconds added to this process's clock (negative: behind the app's). */
  clockOffsetSeconds?: number
  idTokenSeconds?: number
}

let next: Next = { claims: { sub: 'nobody' } }
const accounts = new Map<string, Next['claims']>()

const realNow = Date.now.bind(Date)
let offsetMs = 0
Date.now = () => realNow() + offsetMs

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

let handle: http.RequestListener = (_req, res) => res.writeHead(503).end()
const server = http.createServer((req, res) => handle(req, res))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const configuration: Configuration = {
  clients: [
    {
      client_id: process.env.CLIENT_ID ?? 'case-audit',
      client_secret: process.env.CLIENT_SECRET ?? 'secret',
      redirect_uris: (process.env.REDIRECT_URIS ?? '').split(',').filter(Boolean),
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: {
    keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }],
  },
  cookies: { keys: ['a test provider’s cookie key'] },
  claims: {
    openid: ['sub', 'tid', 'oid'],
    email: ['email'],
    profile: ['name', 'preferred_username'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, id) => {
    const claims = accounts.get(id)
    return claims ? { accountId: id, claims: () => claims } : undefined
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    Grant: 600,
    IdToken: () => next.idTokenSeconds ?? 600,
    Interaction: 600,
    Session: 600,
  },
}
const provider = new Provider(issuer, configuration)
const callback = provider.callback()

handle = (req, res) => {
  void (async () => {
    if (req.method === 'POST' && req.url === '/_test/next') {
      next = JSON.parse(await readBody(req)) as Next
      accounts.set(next.claims.sub, next.claims)
      offsetMs = (next.clockOffsetSeconds ?? 0) * 1000
      res.writeHead(204).end()
      return
    }
    if (req.url?.startsWith('/interaction/')) {
      // The person at the provider signs in as the account the test named, and agrees.
      const details = await provider.interactionDetails(req, res)
      const accountId = next.claims.sub
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) })
      grant.addOIDCScope(String(details.params.scope))
      const grantId = await grant.save()
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    await callback(req, res)
  })().catch((error: unknown) => {
    console.error(error)
    if (!res.headersSent) res.writeHead(500)
    res.end()
  })
}

process.stdout.write(`${JSON.stringify({ issuer })}\n`)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
