import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importAuditsCsv } from '../../db/import-audits'
import { createSession } from '../../db/queries/sessions'
import type { Role } from '../../shared/roles'
import { makeLoadContext, makeUser } from '../../test/factories'
import { createTestDatabase, type TestDatabase } from '../../test/setup/test-database'
import { loader as csvLoader } from '../routes/kpis[.]csv'
import { loader as drillLoader } from '../routes/kpis.$kpi'
import { loader as boardPackLoader } from '../routes/kpis.board-pack'
import { action as pageAction, loader as pageLoader } from '../routes/kpis._index'
import { sessionCookieHeader } from './auth.server'
import { councils } from '../../db/schema/index'

// The KPI pages' loaders on a real database: who may read them, and what bad input gets.
const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'

let database: TestDatabase
const tokens: Record<string, string> = {}

beforeAll(async () => {
  database = await createTestDatabase()
  const outcome = await importAuditsCsv(database.db, {
    councilCode: 'kpipages',
    text: [
      HEADER,
      'P-1,2025-04,lived-experience,900001,cin,T-1,moderated,good,inadequate,consistently,,,,,voice-of-the-child;chronology',
      'P-2,2025-05,supervision,900002,cin,T-1,submitted,good,,,,,consistently,partly,',
      'P-3,2025-05,lived-experience,900003,cp,T-2,cancelled,,,,,,,,',
    ].join('\n'),
  })
  if (!outcome.ok) throw new Error(outcome.message)
  const [council] = await database.db.select({ id: councils.id }).from(councils)
  for (const [name, roles] of Object.entries({ lead: ['lead'], auditor: ['auditor'] })) {
    const { id } = await makeUser(database.db, { councilId: council!.id, roles: roles as Role[] })
    tokens[name] = await createSession(database.db, { userId: id, councilId: council!.id })
  }
})
afterAll(() => database.drop())

async function get(who: string, path: string) {
  const cookie = (await sessionCookieHeader(new Request('http://localhost/'), tokens[who]!)).split(
    ';',
  )[0]!
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
}

async function run<T>(
  loader: (args: never) => Promise<T>,
  who: string,
  path: string,
  params = {},
  request?: Request,
) {
  try {
    const result = (await loader({
      request: request ?? (await get(who, path)),
      params,
      context: makeLoadContext(database.db),
    } as never)) as unknown
    return result instanceof Response ? result : new Response(JSON.stringify(result))
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

describe('the KPI pages', () => {
  it('show a lead the period’s KPIs, breakdown and trends', async () => {
    const response = await run(pageLoader, 'lead', '/kpis?from=2025-04&to=2025-06&by=service')
    expect(response.status).toBe(200)
    const data = (await response.json()) as {
      results: { id: string; numerator: number; denominator: number }[]
      breakdown: { key: string }[]
      trends: { points: unknown[] }[]
    }
    expect(data.results.find((r) => r.id === 'A1.1')).toMatchObject({
      numerator: 2,
      denominator: 2,
    })
    // The cp audit was cancelled: nothing to count there, so no row.
    expect(data.breakdown.map((b) => b.key).sort()).toEqual(['cin'])
    expect(data.trends[0]?.points).toHaveLength(12)
  })

  it('name a wrong period and show the default instead', async () => {
    const response = await run(pageLoader, 'lead', '/kpis?from=2025-13&to=2025-06')
    const data = (await response.json()) as { errors: { field: string }[] }
    expect(data.errors.map((e) => e.field)).toEqual(['from'])
  })

  it('list the audits behind a figure, and refuse an unknown KPI', async () => {
    const response = await run(drillLoader, 'lead', '/kpis/A1.1?from=2025-04&to=2025-06', {
      kpi: 'A1.1',
    })
    const data = (await response.json()) as { total: number }
    expect(data.total).toBe(2)
    expect((await run(drillLoader, 'lead', '/kpis/Z9', { kpi: 'Z9' })).status).toBe(404)
  })

  it('export the table as formula-safe CSV, and refuse a backwards period', async () => {
    const response = await run(csvLoader, 'lead', '/kpis.csv?from=2025-04&to=2025-06')
    expect(response.headers.get('Content-Type')).toContain('text/csv')
    const text = await response.text()
    expect(text.split('\r\n')[0]).toBe('kpi,title,numerator,denominator,percent,target,rag')
    expect((await run(csvLoader, 'lead', '/kpis.csv?from=2025-06&to=2025-04')).status).toBe(400)
  })

  it('take a lead’s monthly value for a manual measure, and refuse a wrong one', async () => {
    const post = async (who: string, body: Record<string, string>) => {
      const request = await get(who, '/kpis?from=2025-04&to=2025-06')
      return run(
        pageAction,
        who,
        '/kpis',
        {},
        new Request(request.url, {
          method: 'POST',
          headers: {
            Cookie: request.headers.get('Cookie') ?? '',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(body).toString(),
        }),
      )
    }
    expect((await post('lead', { measure: 'A3.1', cycle: '2025-05', value: '72.5' })).status).toBe(
      302,
    )
    expect((await post('lead', { measure: 'A3.1', cycle: '2025-05', value: '120' })).status).toBe(
      400,
    )
    expect((await post('lead', { measure: 'A3.6', cycle: '2025-5', value: '3' })).status).toBe(400)
    expect((await post('auditor', { measure: 'A3.6', cycle: '2025-05', value: '3' })).status).toBe(
      403,
    )
    const page = (await (
      await run(pageLoader, 'lead', '/kpis?from=2025-04&to=2025-06')
    ).json()) as {
      manual: { id: string; latest: { value: number } | null; rag: string }[]
    }
    expect(page.manual.find((m) => m.id === 'A3.1')).toMatchObject({
      latest: { value: 72.5 },
      rag: 'green',
    })
    expect(page.manual.find((m) => m.id === 'A3.6')).toMatchObject({ latest: null, rag: 'none' })
  })

  it('put the KPIs, trends and headline themes in the board pack', async () => {
    // The import's themes carry no kind; tag chronology as an area for development in both
    // completed audits, so that it heads the period's areas for development.
    await database.sql`
      insert into audit_themes (audit_id, question_key, theme_id, kind, source)
      select a.id, 'seeing-the-child.areas-for-development', t.id, 'development', 'auditor'
      from audits a join themes t on t.council_id = a.council_id and t.code = 'chronology'
      where a.status <> 'cancelled'`
    const response = await run(boardPackLoader, 'lead', '/kpis/board-pack?from=2025-04&to=2025-06')
    const data = (await response.json()) as {
      results: unknown[]
      trends: unknown[]
      themes: {
        completed: number
        top: { code: string; developments: number; developmentShare: number | null }[]
        rising: unknown[]
      }
    }
    expect(data.results).toHaveLength(10)
    expect(data.trends).toHaveLength(10)
    expect(data.themes.completed).toBe(2)
    expect(data.themes.top).toEqual([
      expect.objectContaining({ code: 'chronology', developments: 2, developmentShare: 1000 }),
    ])
    // Nothing was audited in the three months before, so nothing can be rising.
    expect(data.themes.rising).toEqual([])
  })

  it('are for leads only', async () => {
    expect((await run(pageLoader, 'auditor', '/kpis')).status).toBe(403)
    expect((await run(csvLoader, 'auditor', '/kpis.csv')).status).toBe(403)
  })
})
