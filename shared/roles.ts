import { z } from 'zod'

export const ROLES = ['auditor', 'moderator', 'lead', 'practitioner', 'admin'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

export const ROLE_LABELS: Record<Role, string> = {
  auditor: 'Auditor',
  moderator: 'Moderator',
  lead: 'Practice-improvement lead',
  practitioner: 'Practitioner',
  admin: 'Administrator',
}
