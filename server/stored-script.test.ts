import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '../db/seed'
import { createTestDatabase, type TestDatabase } from '../test/setup/test-database'
import { startTestServer } from '../test/setup/test-server'
import { signInOverHttp } from '../test/sync-client'
import type { RunningServer } from './start'

/**
 * Stored script and spreadsheet formulas in every free-text field, in every view and every export
 * (issue 9's checklist). The demo data is seeded, then every column a person's words reach is
 * prefixed with a payload that is both HTML and a formula; every page and CSV is then read as
 * every demo user. A text column added later fails the first test until it is sorted into one of
 * the two lists below.
 */
const PAYLOAD = `=HYPERLINK("https://evil.test")<img src=x onerror=alert(1)><script>alert(2)</script>`

/** Columns whose words come from people (typed, imported, or sent by an identity provider). */
const FREE_TEXT: Record<string, string | null> = {
  'access_events.path': null,
  'agencies.label': null,
  'audit_actions.completion_note': null,
  'audit_actions.description': null,
  // Answers to free-text questions; a grade or judgement is one of a few codes.
  'audit_answers.auditor_value': `question_type = 'text'`,
  'audit_answers.moderated_value': `question_type = 'text'`,
  'audit_answers.moderation_rationale': null,
  'audits.cancelled_reason': null,
  'audits.external_ref': null,
  'audits.family_feedback': null,
  'audits.flagged_reason': null,
  'audits.moderation_feedback': null,
  'audits.practitioner_reflection': null,
  'case_files.case_ref': null,
  'councils.name': null,
  'councils.service_name': null,
  'identity_providers.name': null,
  'moderation_disputes.reason': null,
  'moderation_disputes.resolution': null,
  'moderation_events.note': null,
  'services.label': null,
  'teams.name': null,
  'themes.label': null,
  'user_identities.label': null,
  'users.name': null,
}

/** Text columns that hold codes, states, hashes or addresses the app itself chose or checked. */
const NOT_FREE_TEXT = new Set([
  'access_events.action',
  'access_events.address',
  'access_events.detail',
  'access_events.method',
  'agencies.code',
  'audit_actions.status',
  'audit_answers.moderation_outcome',
  'audit_answers.question_key',
  'audit_answers.question_type',
  'audit_assignments.agency_code',
  'audit_assignments.role',
  'audit_judgements.auditor_value',
  'audit_judgements.measure',
  'audit_judgements.moderated_value',
  'audit_themes.kind',
  'audit_themes.question_key',
  'audit_themes.source',
  'audits.auditor_grade',
  'audits.cycle',
  'audits.moderated_grade',
  'audits.moderation_sample',
  'audits.status',
  'case_files.age_band',
  'councils.code',
  'document_snapshots.document_name',
  'document_updates.document_name',
  'identity_providers.allowed_tenants',
  'identity_providers.client_id',
  'identity_providers.client_secret',
  'identity_providers.issuer',
  'kpi_audit_facts.cycle',
  'kpi_audit_facts.template_code',
  'kpi_monthly.cycle',
  'kpi_monthly.template_code',
  'login_throttle.key',
  'manual_measures.cycle',
  'manual_measures.measure',
  'moderation_disputes.outcome',
  'moderation_events.kind',
  'moderation_policies.template_code',
  'services.code',
  'sessions.token_hash',
  'sign_in_attempts.code_verifier',
  'sign_in_attempts.nonce',
  'sign_in_attempts.purpose',
  'sign_in_attempts.redirect_to',
  'sign_in_attempts.state',
  'sign_in_attempts.token_hash',
  'sign_in_invitations.token_hash',
  'teams.code',
  // Published from the templates in shared/ (and immutable once published), not typed here.
  'template_versions.code',
  'template_versions.title',
  'template_versions.definition',
  'template_versions.kind',
  'themes.code',
  'themes.keywords',
  'user_identities.issuer',
  'user_identities.subject',
  'user_identities.tenant',
  'users.email',
  'users.password_hash',
  'users.roles',
])

let database: TestDatabase
let server: RunningServer
let base: string
const cookies = new Map<string, string>()
let audits: Record<'form' | 'moderate', string>
let themeCode: string

beforeAll(async () => {
  database = await createTestDatabase()
  await seedDemoData(database.db)
  server = await startTestServer(database.url)
  base = `http://127.0.0.1:${server.port}`
  // Signed in before the poison: a user's name is in it.
  for (const user of DEMO_USERS) {
    cookies.set(user.email, await signInOverHttp(base, user.email, DEMO_PASSWORD))
  }
  const sql = database.db.$client
  const pick = async (statuses: string[]) =>
    (
      await sql<{ id: string }[]>`
        select id from audits where status in ${sql(statuses)} order by created_at desc limit 1`
    )[0]?.id ?? crypto.randomUUID()
  audits = {
    form: await pick(['in-progress', 'scheduled']),
    moderate: await pick(['moderated', 'in-moderation', 'submitted']),
  }
  themeCode = (await sql<{ code: string }[]>`select code from themes limit 1`)[0]?.code ?? 'none'
  // Every free-text column, as the owner would find it written: the payload first, so that a
  // spreadsheet would take the cell for a formula.
  await sql`insert into access_events (council_id, action, path)
    select id, 'view', ${`/${PAYLOAD}`} from councils`
  for (const [column, where] of Object.entries(FREE_TEXT)) {
    if (column === 'access_events.path') continue
    const [table, name] = column.split('.') as [string, string]
    await sql.unsafe(
      `update ${table} set ${name} = $1 || ${name} where ${name} is not null ${where ? `and ${where}` : ''}`,
      [PAYLOAD],
    )
  }
}, 120_000)
afterAll(async () => {
  await server?.close()
  await database?.drop()
})

/** Every page and export of the build, its parameters filled from the demo data. */
async function addresses(): Promise<string[]> {
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild
  const sql = database.db.$client
  const [someone] = await sql<{ id: string }[]>`select id from users where roles @> '{lead}'`
  const [someCase] = await sql<{ case_ref: string }[]>`select case_ref from case_files limit 1`
  const [provider] = await sql<{ id: string }[]>`select id from identity_providers limit 1`
  const found = new Set<string>()
  for (const route of Object.values(build.routes)) {
    if (route.id === 'root' || route.path === '*' || route.path === 'logout') continue
    const pattern = route.path ?? ''
    const filled = pattern.replace(/:(\w+)/g, (_, name: string) => {
      const values: Record<string, string> = {
        auditId: /_?\/?(moderate|impact|themes)$/.test(pattern) ? audits.moderate : audits.form,
        code: route.id.startsWith('routes/themes') ? themeCode : 'lived-experience',
        version: '1',
        kpi: 'A1.1',
        cycle: '2026-11',
        providerId: provider?.id ?? crypto.randomUUID(),
        token: 'none',
      }
      return values[name] ?? 'none'
    })
    found.add(`/${filled}`)
  }
  // The access trail answers once asked about someone or a case.
  for (const query of [
    `user=${someone?.id ?? ''}`,
    `case=${encodeURIComponent(someCase?.case_ref ?? '')}`,
  ]) {
    found.add(`/access?${query}`)
    found.add(`/access.csv?${query}`)
  }
  found.add(`/audits/${audits.moderate}`)
  return [...found]
}

describe('stored script and formulas in free text', () => {
  it('knows every text column as free text or not', async () => {
    const columns = await database.db.$client<{ column: string }[]>`
      select table_name || '.' || column_name as column from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'jsonb', 'ARRAY', 'character varying')`
    const unsorted = columns
      .map((c) => c.column)
      .filter((column) => !(column in FREE_TEXT) && !NOT_FREE_TEXT.has(column))
    expect(unsorted).toEqual([])
  })

  it('is escaped on every page for every user, and disarmed in every export', async () => {
    const paths = await addresses()
    let pagesWithPayload = 0
    let exportsWithPayload = 0
    for (const [email, cookie] of cookies) {
      for (const pathname of paths) {
        const response = await fetch(`${base}${pathname}`, {
          redirect: 'manual',
          headers: { Cookie: cookie },
        })
        const where = `${pathname} as ${email} (${response.status})`
        expect(response.status, where).toBeLessThan(500)
        const body = await response.text()
        const type = response.headers.get('content-type') ?? ''
        if (type.startsWith('text/csv')) {
          // Data, downloaded, never rendered: tags are harmless there, formulas are not. Every
          // cell starting with the payload is prefixed, so no spreadsheet runs it.
          expect(response.headers.get('content-disposition'), where).toMatch(/^attachment/)
          expect(body, where).not.toMatch(/(^|,|\r\n)"?=HYPERLINK/)
          if (body.includes('HYPERLINK')) exportsWithPayload++
        } else {
          expect(body, where).not.toContain('<img src=x onerror')
          expect(body, where).not.toContain('<script>alert(2)')
          if (body.includes('=HYPERLINK')) pagesWithPayload++
        }
      }
    }
    // The payload did reach the pages and exports: the checks above were not vacuous.
    expect(pagesWithPayload).toBeGreaterThan(50)
    expect(exportsWithPayload).toBeGreaterThan(3)
  }, 300_000)
})
