import type { Role } from './roles'

/**
 * Permissions are `action:entity:access`, after the Epic Stack's permissions. What each role may do is
 * data (ROLE_PERMISSIONS); `can` is the one function that decides, used by loaders, actions, the
 * websocket and the UI alike.
 */
export const PERMISSIONS = [
  'read:audit:assigned',
  'edit:audit:assigned',
  'read:audit:moderating',
  'moderate:audit:any',
  'read:audit:any',
  'plan:programme:any',
  'read:kpi:any',
  'read:theme:any',
  'manage:theme:any',
  'read:action:any',
  'read:audit:own-case',
  'read:user:any',
  'manage:user:any',
  'read:template:any',
  'publish:template:any',
  'manage:case:any',
  'import:audit:any',
  'resolve:dispute:any',
  'read:calibration:any',
  'read:access:any',
] as const
export type Permission = (typeof PERMISSIONS)[number]

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  auditor: ['read:audit:assigned', 'edit:audit:assigned'],
  moderator: ['read:audit:moderating', 'moderate:audit:any', 'read:calibration:any'],
  lead: [
    'read:audit:any',
    'plan:programme:any',
    'manage:case:any',
    'import:audit:any',
    'read:template:any',
    'read:kpi:any',
    'read:theme:any',
    'manage:theme:any',
    'read:action:any',
    'resolve:dispute:any',
    'read:calibration:any',
    'read:access:any',
  ],
  practitioner: ['read:audit:own-case'],
  admin: [
    'read:user:any',
    'manage:user:any',
    'read:template:any',
    'publish:template:any',
    'read:access:any',
  ],
}

export type Actor = { readonly roles: readonly Role[]; readonly active: boolean }

export function permissionsOf(actor: Actor): ReadonlySet<Permission> {
  if (!actor.active) return new Set()
  return new Set(actor.roles.flatMap((role) => ROLE_PERMISSIONS[role]))
}

export function can(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).has(permission)
}
