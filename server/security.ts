import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import helmet from 'helmet'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A fresh nonce per response: the only inline scripts allowed are Remix's own, which carry it. */
export function cspNonce(): RequestHandler {
  return (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  }
}

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    // Case data must never sit in a shared cache or be framed by another site.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  })
}

/** The origin a browser would send for a page of this server, as the request reached us. */
function expectedOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`
}

/**
 * CSRF defence for every state-changing request: browsers say where a request comes from in
 * `Sec-Fetch-Site` and `Origin`; anything not from our own pages is refused before Remix sees it.
 * A request that says neither is refused too (every browser we support sends `Origin` on POST).
 */
export function sameOriginWrites(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const site = req.get('sec-fetch-site')
    const origin = req.get('origin')
    const allowed =
      (site === undefined || site === 'same-origin') &&
      origin !== undefined &&
      origin === expectedOrigin(req)
    if (allowed) return next()
    res.status(403).type('text/plain').send('Forbidden: this request did not come from this site.')
  }
}

/** Pages show case data: keep them out of every cache, including the back-forward one on shared PCs. */
export function noStoreForPages(): RequestHandler {
  return (_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  }
}

export const MAX_FORM_BYTES = 1024 * 1024
/** A CSV upload (case lists, historical audits, templates) is at most 50 MB; the form around it, a little more. */
export const MAX_UPLOAD_REQUEST_BYTES = 51 * 1024 * 1024

/**
 * Refuses an oversized request body before anything reads it: pages parse a form whole, in memory.
 * A file upload (multipart) may be as large as an upload may be; any other form 1 MB. A body of
 * unstated length (chunked) is refused too: browsers state the length of every form they send.
 */
export function limitRequestBodies(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const declared = req.get('content-length')
    if (declared === undefined) {
      if (req.get('transfer-encoding') === undefined) return next()
      res.status(411).type('text/plain').send('Send the length of the request (Content-Length).')
      return
    }
    const multipart = typeof req.is('multipart/form-data') === 'string'
    const limit = multipart ? MAX_UPLOAD_REQUEST_BYTES : MAX_FORM_BYTES
    if (!/^\d+$/.test(declared) || Number(declared) > limit) {
      res
        .status(413)
        .type('text/plain')
        .send(
          multipart
            ? 'This upload is too large: a file may be at most 50 MB.'
            : 'This request is too large: a form may be at most 1 MB.',
        )
      return
    }
    next()
  }
}
