import type * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  decodeSaved,
  decodeStorage,
  mergeSaved,
  MESSAGE_SAVED,
  MESSAGE_STARTED,
  MESSAGE_STORAGE,
} from '../shared/sync-protocol'
import { TEST_PASSWORD } from './factories'

/** Signs in through the real login form and returns the session cookie (`name=value`). */
export async function signInOverHttp(
  base: string,
  email: string,
  password = TEST_PASSWORD,
  /** A cookie the browser already holds (a session id fixed by an attacker, say). */
  cookie?: string,
): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      Origin: base,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  })
  const issued = response.headers.get('set-cookie')?.split(';')[0]
  if (response.status !== 302 || !issued) throw new Error(`sign-in failed: ${response.status}`)
  return issued
}

export type Editor = {
  doc: Y.Doc
  provider: WebsocketProvider
  /** The stored clock of this editor's own client id: the highest any MESSAGE_SAVED named. */
  storedClock: () => number
  localClock: () => number
  /** The server has said every edit made here so far is stored ("Saved" on the page). */
  saved: () => boolean
  /** Every MESSAGE_SAVED received, as sent: the clocks each named. */
  savedMessages: Map<number, number>[]
  /** The server said the audit is under way (MESSAGE_STARTED). */
  started: () => boolean
  /** The server said it cannot store edits for now (MESSAGE_STORAGE). */
  paused: () => boolean
  closed: Promise<{ code: number; reason: string }>
  destroy: () => void
}

/** A real y-websocket client in Node, with the headers a browser would send. */
export function connectEditor(params: {
  port: number
  documentName: string
  cookie?: string
  origin?: string
}): Editor {
  const headers: Record<string, string> = {
    origin: params.origin ?? `http://127.0.0.1:${params.port}`,
  }
  if (params.cookie) headers.cookie = params.cookie
  class HeaderedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers })
    }
  }
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(
    `ws://127.0.0.1:${params.port}/sync`,
    params.documentName,
    doc,
    {
      WebSocketPolyfill: HeaderedWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    },
  )
  const stored = new Map<number, number>()
  const savedMessages: Map<number, number>[] = []
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder: decoding.Decoder) => {
    const told = decodeSaved(decoder)
    savedMessages.push(told)
    mergeSaved(stored, told)
  }
  let started = false
  provider.messageHandlers[MESSAGE_STARTED] = () => {
    started = true
  }
  let paused = false
  provider.messageHandlers[MESSAGE_STORAGE] = (_encoder, decoder: decoding.Decoder) => {
    paused = decodeStorage(decoder)
  }
  // As the page does: a new connection's server says so itself if it cannot store.
  provider.on('sync', (synced: boolean) => {
    if (!synced) paused = false
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event) resolve({ code: event.code, reason: event.reason })
    })
  })
  return {
    doc,
    provider,
    storedClock: () => stored.get(doc.clientID) ?? 0,
    localClock: () => Y.getState(doc.store, doc.clientID),
    saved: () => (stored.get(doc.clientID) ?? 0) >= Y.getState(doc.store, doc.clientID),
    savedMessages,
    started: () => started,
    paused: () => paused,
    closed,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
