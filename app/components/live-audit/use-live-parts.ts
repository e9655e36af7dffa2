import type * as decoding from 'lib0/decoding'
import { useEffect, useReducer, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { reconnectDelay } from '../../../shared/backoff'
import { ANSWERS_MAP } from '../../../shared/live-document'
import { THEMES_MAP } from '../../../shared/themes'
import {
  decodeStorage,
  mergeSaved,
  MESSAGE_SAVED,
  MESSAGE_STARTED,
  MESSAGE_STORAGE,
} from '../../../shared/sync-protocol'

/** Local edits carry this origin, so that undo and redo take back only your own. */
export const LOCAL_ORIGIN = 'local-edit'

export type Presence = {
  clientId: number
  userId: string
  name: string
  agency: string | null
  focus: string | null
}

export type LivePart = {
  part: string
  access: 'edit' | 'read'
  doc: Y.Doc
  answers: Y.Map<unknown>
  provider: WebsocketProvider
  undo: Y.UndoManager
  stored: Map<number, number>
  /** The connection was lost (or never made) and has not synced since: the page is offline. */
  lost: boolean
  /** The server says it cannot store edits for now (its database is away). */
  paused: boolean
}

export type SaveStatus = 'saved' | 'saving' | 'paused' | 'offline' | 'connecting'

/**
 * One Yjs document and y-websocket provider per part of the audit, live for as long as the page is
 * open. Nothing about the case is kept in browser storage: the documents live in memory only.
 */
export function useLiveParts(params: {
  parts: { part: string; name: string; access: 'edit' | 'read' }[]
  me: { id: string; name: string; agency: string | null }
  /** The server closed the documents for good (the audit was submitted, or access ended). */
  onClosedForGood: () => void
  /** The server said the audit is under way (its first edit is stored): on connecting, or then. */
  onStarted?: () => void
}) {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [parts, setParts] = useState<LivePart[]>([])
  const onClosed = useRef(params.onClosedForGood)
  const onStarted = useRef(params.onStarted)
  useEffect(() => {
    onClosed.current = params.onClosedForGood
    onStarted.current = params.onStarted
  })

  useEffect(() => {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/sync`
    let scheduled = false
    // Many updates may arrive in one frame; render once per frame.
    const refresh = () => {
      if (scheduled) return
      scheduled = true
      requestAnimationFrame(() => {
        scheduled = false
        rerender()
      })
    }
    const retries = new Set<ReturnType<typeof setTimeout>>()
    const live = params.parts.map(({ part, name, access }) => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(url, name, doc, { disableBc: true })
      const entry: LivePart = {
        part,
        access,
        doc,
        answers: doc.getMap(ANSWERS_MAP),
        provider,
        undo: new Y.UndoManager([doc.getMap(ANSWERS_MAP), doc.getMap(THEMES_MAP)], {
          trackedOrigins: new Set([LOCAL_ORIGIN]),
        }),
        stored: new Map(),
        lost: false,
        paused: false,
      }
      provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder: decoding.Decoder) => {
        mergeSaved(entry.stored, decoder)
        refresh()
      }
      provider.messageHandlers[MESSAGE_STARTED] = () => onStarted.current?.()
      provider.messageHandlers[MESSAGE_STORAGE] = (_encoder, decoder: decoding.Decoder) => {
        entry.paused = decodeStorage(decoder)
        refresh()
      }
      provider.awareness.setLocalStateField('user', params.me)
      provider.on('status', refresh)
      // Attempts since the connection last synced: a server that accepts the connection but drops
      // it before syncing is backed off like one that refuses it.
      let attempt = 0
      provider.on('sync', (synced: boolean) => {
        if (synced) {
          attempt = 0
          entry.lost = false
        }
        // A new connection's server says so itself if it cannot store.
        if (!synced) entry.paused = false
        refresh()
      })
      provider.on('connection-close', (event: { code: number } | null) => {
        // 4400–4499: the server decided (submitted, signed out, access ended); retrying cannot help,
        // and y-websocket stops by itself.
        if (event && event.code >= 4400 && event.code < 4500) {
          onClosed.current()
          refresh()
          return
        }
        // We closed it ourselves (the page is going away): stay closed.
        if (!provider.shouldConnect) return
        entry.lost = true
        // y-websocket would retry on its own schedule, which has no jitter: every page that lost the
        // server together would come back together. Clearing shouldConnect turns the retry it has
        // just scheduled into nothing; connect() sets it again. (disconnect() would clear it too,
        // but inside this event the closing socket is still provider.ws, so it re-enters
        // y-websocket's close handling: a second connection-close and a second retry scheduled.)
        // On reconnection the server sends sync step 1, and the provider answers with every local
        // edit the server lacks.
        provider.shouldConnect = false
        const retry = setTimeout(
          () => {
            retries.delete(retry)
            freshPresence(provider.awareness)
            provider.connect()
          },
          reconnectDelay(attempt, Math.random),
        )
        retries.add(retry)
        attempt += 1
        refresh()
      })
      provider.awareness.on('change', refresh)
      // Your own edits render at once (a radio must show checked as it is clicked); others' per frame.
      doc.on('update', (_update: Uint8Array, origin: unknown) =>
        origin === LOCAL_ORIGIN ? rerender() : refresh(),
      )
      entry.undo.on('stack-item-added', refresh)
      entry.undo.on('stack-item-popped', refresh)
      return entry
    })
    // The providers are an external system made on mount; the first render waits for them.
    setParts(live)
    return () => {
      for (const retry of retries) clearTimeout(retry)
      for (const entry of live) {
        entry.undo.destroy()
        entry.provider.destroy()
        entry.doc.destroy()
      }
    }
    // The parts of an audit do not change while its page is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return parts
}

/**
 * y-websocket drops everyone else's presence when the connection is lost, but y-protocols keeps their
 * clocks: the server's greeting on reconnection (the same states with the same clocks) would be
 * ignored, and "Also here" stay empty until each peer next renews its presence. Forget those clocks;
 * and move our own on, so that the server, which also kept ours, takes our presence afresh.
 */
function freshPresence(awareness: Awareness) {
  for (const clientId of [...awareness.meta.keys()]) {
    if (!awareness.states.has(clientId)) awareness.meta.delete(clientId)
  }
  awareness.setLocalState(awareness.getLocalState())
}

/** "Saved" only when the server has durably stored every edit this page made. */
export function saveStatusOf(parts: LivePart[]): SaveStatus {
  const editable = parts.filter((p) => p.access === 'edit')
  if (parts.length === 0) return 'connecting'
  const down = parts.filter((p) => !p.provider.wsconnected)
  if (down.length > 0) {
    // "Connecting" only while the page first opens; an attempt to come back after the connection
    // was lost is still offline (it may hang for long on a dead network, and edits are waiting).
    return down.every((p) => p.provider.wsconnecting && !p.lost) ? 'connecting' : 'offline'
  }
  const unsaved = editable.filter(
    (p) => (p.stored.get(p.doc.clientID) ?? 0) < Y.getState(p.doc.store, p.doc.clientID),
  )
  if (unsaved.some((p) => p.paused)) return 'paused'
  return unsaved.length > 0 || parts.some((p) => !p.provider.synced) ? 'saving' : 'saved'
}

/** Everyone on the audit (across its parts), once each, with the question they are on. */
export function presenceOf(parts: LivePart[], myId: string): Presence[] {
  const people = new Map<string, Presence>()
  for (const part of parts) {
    for (const [clientId, state] of part.provider.awareness.getStates()) {
      if (clientId === part.doc.clientID) continue
      const user = (state as { user?: { id?: string; name?: string; agency?: string | null } }).user
      if (!user?.id || !user.name || user.id === myId) continue
      const focus = (state as { focus?: string | null }).focus ?? null
      const earlier = people.get(user.id)
      if (!earlier || (focus && !earlier.focus)) {
        people.set(user.id, {
          clientId,
          userId: user.id,
          name: user.name,
          agency: user.agency ?? null,
          focus,
        })
      }
    }
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name))
}
