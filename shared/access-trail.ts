/**
 * What the access trail records of a request: a pure function of its method and address, so that
 * every page is covered by one rule rather than by a call in each loader. A page's own loaders and
 * actions run under `requireUser`, which records what this returns before anything is answered.
 */
export const ACCESS_ACTIONS = [
  'view',
  'edit',
  'change',
  'export',
  'sign-in',
  'sign-in-refused',
  'sign-out',
  'password-confirmed',
  'password-refused',
  'permission-change',
  'signed-in-again',
  'account-linked',
  'account-unlinked',
  'sign-in-settings',
  'trail-expired',
  'audits-expired',
] as const
export type AccessAction = (typeof ACCESS_ACTIONS)[number]

export const ACCESS_ACTION_LABELS: Record<AccessAction, string> = {
  view: 'Viewed',
  edit: 'Opened to edit',
  change: 'Changed',
  export: 'Exported',
  'sign-in': 'Signed in',
  'sign-in-refused': 'Sign-in refused',
  'sign-out': 'Signed out',
  'password-confirmed': 'Gave their password again',
  'password-refused': 'Gave a wrong password',
  'permission-change': 'Changed access',
  'signed-in-again': 'Signed in again with their council account',
  'account-linked': 'Linked a council account',
  'account-unlinked': 'Unlinked a council account',
  'sign-in-settings': 'Changed how people sign in',
  'trail-expired': 'Expired entries removed',
  'audits-expired': 'Expired audits removed',
}

export type ClassifiedRequest = { action: AccessAction; path: string; auditId: string | null }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Requests that show or change nothing of anyone's: keeping a session alive. */
const NOT_RECORDED = new Set(['/session/keep-alive'])

/**
 * `pathname` as the browser asked for it: Remix's data requests (`/audits/<id>.data`, and
 * `/_root.data` for the home page) are the page they load. Null: not worth a line in the trail.
 */
export function classifyRequest(method: string, pathname: string): ClassifiedRequest | null {
  let path = pathname.endsWith('.data') ? pathname.slice(0, -'.data'.length) : pathname
  if (path === '/_root') path = '/'
  if (NOT_RECORDED.has(path)) return null
  const [, first, second] = path.split('/')
  const auditId = first === 'audits' && second && UUID.test(second) ? second.toLowerCase() : null
  const reading = method === 'GET' || method === 'HEAD'
  const action: AccessAction = !reading ? 'change' : path.endsWith('.csv') ? 'export' : 'view'
  return { action, path, auditId }
}
