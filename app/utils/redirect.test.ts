import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from './redirect'

describe('safeRedirectPath', () => {
  it.each([
    ['/admin/users', '/admin/users'],
    ['/audits?cycle=2026-04', '/audits?cycle=2026-04'],
  ])('keeps the local path %s', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected)
  })

  it.each([
    '//evil.test',
    '/\\evil.test',
    'https://evil.test/',
    'javascript:alert(1)',
    '',
    null,
    undefined,
  ])('sends %s home', (input) => {
    expect(safeRedirectPath(input)).toBe('/')
  })
})
