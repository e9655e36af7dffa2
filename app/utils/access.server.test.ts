import { describe, expect, it } from 'vitest'
import type { AccessRow } from '../../db/queries/access'
import { describeAccess } from './access.server'

const row = (action: AccessRow['action'], detail: Record<string, unknown> | null): AccessRow => ({
  at: new Date('2026-11-29T10:00:00Z'),
  action,
  userName: null,
  userEmail: null,
  path: '/somewhere',
  caseRef: null,
  auditId: null,
  subjectName: null,
  address: '127.0.0.1',
  detail,
})

describe('describeAccess', () => {
  it('says through which provider, as which account, and why a sign-in was refused', () => {
    expect(
      describeAccess(
        row('sign-in-refused', {
          provider: 'Council Entra',
          refusal: 'untrusted-answer',
          claim: 'nonce',
        }),
      ),
    ).toBe('Through Council Entra as an unknown account: the answer failed a check (nonce)')
    expect(
      describeAccess(
        row('sign-in-refused', {
          provider: 'Council Entra',
          refusal: 'tenant-not-allowed',
          account: 'someone@elsewhere.test',
        }),
      ),
    ).toBe('Through Council Entra as someone@elsewhere.test: their organisation is not admitted')
    expect(
      describeAccess(row('sign-in-refused', { email: 'a@b.test', refusal: 'password-off' })),
    ).toBe('As a@b.test: password sign-in is off')
    expect(describeAccess(row('sign-in-refused', { email: 'a@b.test' }))).toBe('As a@b.test')
  })

  it('says how someone signed in, linked an account, or changed how people sign in', () => {
    expect(
      describeAccess(row('sign-in', { provider: 'Council Entra', account: 'amira@council.test' })),
    ).toBe('Through Council Entra as amira@council.test')
    expect(describeAccess(row('sign-in', null))).toBe('/somewhere')
    expect(
      describeAccess(row('account-linked', { provider: 'Council Entra', account: 'amira@c.test' })),
    ).toBe('Council Entra: amira@c.test')
    expect(
      describeAccess(
        row('sign-in-settings', { change: 'provider added', provider: 'Council Entra' }),
      ),
    ).toBe('provider added: Council Entra')
    expect(describeAccess(row('sign-in-settings', { change: 'passwords turned off' }))).toBe(
      'passwords turned off',
    )
  })
})
