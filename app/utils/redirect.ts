/**
 * Only a path on this site: `//evil.test`, `/\evil.test` and absolute URLs all fall back to home,
 * so `redirectTo` can never be used to send a signed-in user elsewhere.
 */
export function safeRedirectPath(
  to: FormDataEntryValue | string | null | undefined,
  fallback = '/',
): string {
  if (
    typeof to !== 'string' ||
    !to.startsWith('/') ||
    to.startsWith('//') ||
    to.startsWith('/\\')
  ) {
    return fallback
  }
  try {
    const url = new URL(to, 'http://app.invalid')
    if (url.origin !== 'http://app.invalid') return fallback
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return fallback
  }
}
