import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

// y-websocket's message types, and one of ours.
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Ours: how far the server has durably stored the document, as `clientID → clock` pairs. The
 * greeting names every client; later ones only the clients whose stored clock moved on, so a page
 * keeps the highest clock it has been told of each (`mergeSaved`). A page is "Saved" when the stored
 * clock of its own client id has reached its local one.
 */
export const MESSAGE_SAVED = 4
/**
 * Ours: whether the server can store edits now (0) or cannot (1: its database is away). Edits are
 * still taken and passed on while paused, and stored when the database is back.
 */
export const MESSAGE_STORAGE = 5
/**
 * Ours: the audit has been started (its first edit is stored). Sent to every page of the audit's
 * form when it happens, and on connecting once it has: a page loaded while the audit was scheduled
 * shows it in progress without reloading. No body.
 */
export const MESSAGE_STARTED = 6

// Close codes: 4400–4499 tell y-websocket's provider not to reconnect (the answer will not change).
export const CLOSE_UNAUTHENTICATED = 4401
export const CLOSE_FORBIDDEN = 4403
export const CLOSE_NOT_FOUND = 4404
/** The audit was submitted: the page reloads as the read-only report. */
export const CLOSE_SUBMITTED = 4410
// 1008 (policy violation) and 1007 (invalid data) let the provider reconnect after its back-off.
export const CLOSE_POLICY = 1008
export const CLOSE_INVALID_DATA = 1007
export const CLOSE_GOING_AWAY = 1001

export function encodeSaved(stateVector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SAVED)
  encoding.writeVarUint(encoder, stateVector.size)
  for (const [client, clock] of stateVector) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
  }
  return encoding.toUint8Array(encoder)
}

/** Reads a MESSAGE_SAVED body (after its type): the clocks it says are stored. */
export function decodeSaved(decoder: decoding.Decoder): Map<number, number> {
  const saved = new Map<number, number>()
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i += 1)
    saved.set(decoding.readVarUint(decoder), decoding.readVarUint(decoder))
  return saved
}

/** Takes a MESSAGE_SAVED (its body, or decoded) into `stored`, keeping each client's highest clock. */
export function mergeSaved(
  stored: Map<number, number>,
  saved: decoding.Decoder | Map<number, number>,
): void {
  for (const [client, clock] of saved instanceof Map ? saved : decodeSaved(saved)) {
    if ((stored.get(client) ?? 0) < clock) stored.set(client, clock)
  }
}

export function encodeStarted(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_STARTED)
  return encoding.toUint8Array(encoder)
}

export function encodeStorage(paused: boolean): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_STORAGE)
  encoding.writeVarUint(encoder, paused ? 1 : 0)
  return encoding.toUint8Array(encoder)
}

/** Reads a MESSAGE_STORAGE body (after its type): true while storing is paused. */
export function decodeStorage(decoder: decoding.Decoder): boolean {
  return decoding.readVarUint(decoder) === 1
}
