import { describe, expect, it } from 'vitest'
import { can, PERMISSIONS, permissionsOf, ROLE_PERMISSIONS } from './permissions'
import { ROLES } from './roles'

describe('permissions', () => {
  it('gives each role only the permissions its table lists', () => {
    for (const role of ROLES) {
      for (const permission of PERMISSIONS) {
        expect(can({ roles: [role], active: true }, permission)).toBe(
          ROLE_PERMISSIONS[role].includes(permission),
        )
      }
    }
  })

  it('lets only admins manage users', () => {
    expect(can({ roles: ['admin'], active: true }, 'manage:user:any')).toBe(true)
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(can({ roles: [role], active: true }, 'manage:user:any')).toBe(false)
    }
  })

  it('unions the permissions of several roles', () => {
    const both = permissionsOf({ roles: ['auditor', 'moderator'], active: true })
    expect(both.has('edit:audit:assigned')).toBe(true)
    expect(both.has('moderate:audit:any')).toBe(true)
    expect(both.has('manage:user:any')).toBe(false)
  })

  it('gives a deactivated user nothing', () => {
    for (const permission of PERMISSIONS) {
      expect(can({ roles: [...ROLES], active: false }, permission)).toBe(false)
    }
  })
})
