/** `countOf(1, 'audit')` → `1 audit`; `countOf(2, 'audit')` → `2 audits`; irregular plurals passed in. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? singular : plural}`
}
