import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { ANSWERS_MAP } from '../../../shared/live-document'
import { saveStatusOf, type LivePart } from './use-live-parts'

/** A part of an audit as the page holds it; the provider stands still at the state given. */
function part(state: {
  connected?: boolean
  synced?: boolean
  unsaved?: boolean
  paused?: boolean
  lost?: boolean
}): LivePart {
  const doc = new Y.Doc()
  doc.getMap(ANSWERS_MAP).set('seeing-the-child.judgement', 'good')
  const stored = new Map([
    [doc.clientID, Y.getState(doc.store, doc.clientID) - (state.unsaved ? 1 : 0)],
  ])
  const provider = {
    wsconnected: state.connected ?? true,
    wsconnecting: false,
    synced: state.synced ?? true,
  } as unknown as LivePart['provider']
  return {
    part: 'lead',
    access: 'edit',
    doc,
    answers: doc.getMap(ANSWERS_MAP),
    provider,
    undo: new Y.UndoManager(doc.getMap(ANSWERS_MAP)),
    stored,
    lost: state.lost ?? false,
    paused: state.paused ?? false,
  }
}

describe('saveStatusOf', () => {
  it('says Saved only when the server has stored every edit', () => {
    expect(saveStatusOf([part({})])).toBe('saved')
    expect(saveStatusOf([part({}), part({ unsaved: true })])).toBe('saving')
  })

  it('says saving is paused while the server cannot store and edits wait', () => {
    expect(saveStatusOf([part({ unsaved: true, paused: true })])).toBe('paused')
    // Nothing waiting: nothing is at risk, so the page is Saved.
    expect(saveStatusOf([part({ paused: true })])).toBe('saved')
  })

  it('says Offline when a connection is lost, whatever the server said before', () => {
    expect(
      saveStatusOf([part({ connected: false, lost: true, paused: true, unsaved: true })]),
    ).toBe('offline')
  })
})
