/**
 * Single sign-on's rules, pure: which account an ID token names, and whether its tenant is admitted.
 */

/** Why a sign-in at an identity provider is the purpose it is. */
export const SIGN_IN_PURPOSES = ['sign-in', 'link', 'confirm', 'invitation'] as const
export type SignInPurpose = (typeof SIGN_IN_PURPOSES)[number]

/** An account at an identity provider, as the app keys it. */
export type ProviderAccount = {
  issuer: string
  subject: string
  /** Entra's tenant id; null for a provider without tenants. */
  tenant: string | null
  /** What to show for the account: its user name or email, as the provider gave it. */
  label: string
}

function claimText(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/**
 * The account an ID token's claims name. On Entra (a `tid` claim) the account is the object id
 * (`oid`) within the tenant, which the issuer names: Microsoft's advice, since `sub` differs per
 * application. Elsewhere it is `sub` within the issuer. Never the email, which a tenant's
 * administrator can set to anything.
 */
export function accountFromClaims(claims: Record<string, unknown>): ProviderAccount {
  const issuer = claimText(claims, 'iss')
  const sub = claimText(claims, 'sub')
  if (!issuer || !sub) throw new Error('An ID token without an issuer or subject')
  const tenant = claimText(claims, 'tid') ?? null
  const subject = (tenant && claimText(claims, 'oid')) || sub
  const label =
    claimText(claims, 'preferred_username') ??
    claimText(claims, 'email') ??
    claimText(claims, 'name') ??
    subject
  return { issuer, subject, tenant, label }
}

/** The tenant an account belongs to: Entra's tenant id, or the issuer of a provider without. */
export function tenantOf(account: ProviderAccount): string {
  return account.tenant ?? account.issuer
}

export function isTenantAllowed(allowedTenants: readonly string[], account: ProviderAccount) {
  const tenant = tenantOf(account).toLowerCase()
  return allowedTenants.some((allowed) => allowed.trim().toLowerCase() === tenant)
}

/** Allowed tenants as an administrator types them: one per line or separated by commas. */
export function parseTenantList(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,]+/)) {
    const tenant = part.trim()
    if (tenant) seen.add(tenant)
  }
  return [...seen]
}
