import { openDatabase } from '../db/client'
import { createCouncilWithDefaults, createTeam } from '../db/queries/organisation'
import {
  kpiAudits,
  kpisBy,
  kpisByScan,
  kpisForPeriod,
  kpisForPeriodByScan,
} from '../db/queries/kpis'
import { addMonths } from '../shared/programme'
import { withBenchDatabase } from './database'
import { percentile } from './stats'

/**
 * The KPI page's reads at scale: 1,000,000 audits across several councils and years; the loader's
 * queries for one council and one year (the KPI table, the breakdown by team, 12-month trends) and
 * the drill-down's first page, timed as the page runs them.
 */
const TOTAL = Number(process.env.BENCH_KPI_AUDITS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_KPI_RUNS ?? 30)
const TEAMS = 30
const COUNCILS = 3

async function time(
  run: () => Promise<unknown>,
  runs = RUNS,
): Promise<{ p50: number; p95: number }> {
  await run()
  const samples: number[] = []
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) }
}

export async function benchKpis(): Promise<void> {
  await withBenchDatabase('kpis', async (url) => {
    const handle = openDatabase(url, { max: 4 })
    const { db } = handle
    const sql = db.$client
    try {
      const loading = performance.now()
      const councilIds: string[] = []
      for (let c = 0; c < COUNCILS; c += 1) {
        const councilId = await createCouncilWithDefaults(db, {
          code: `bench${c}`,
          name: `Bench ${c}`,
          serviceName: 'Bench',
        })
        councilIds.push(councilId)
        for (let t = 0; t < TEAMS; t += 1) {
          await createTeam(db, {
            councilId,
            serviceCode: ['cin', 'cp', 'cic', 'early-help', 'care-leavers'][t % 5]!,
            code: `t${t}`,
            name: `Team ${String(t).padStart(2, '0')}`,
          })
        }
        await sql`
          insert into case_files (council_id, case_ref, service_id, team_id)
          select t.council_id, 'C' || t.code || '-' || g, t.service_id, t.id
          from teams t, generate_series(1, 200) g
          where t.council_id = ${councilId}`
      }
      // The first council holds a third of the audits, all in one year: the year the page reads.
      const perCouncil = [
        Math.round(TOTAL / 3),
        Math.round(TOTAL / 3),
        TOTAL - 2 * Math.round(TOTAL / 3),
      ]
      for (let c = 0; c < COUNCILS; c += 1) {
        const years = c === 0 ? 1 : 3
        await sql`
          with cases as (
            select cf.id, cf.team_id, cf.service_id, row_number() over () as n
            from case_files cf where cf.council_id = ${councilIds[c]!}
          ), templates as (
            select id, row_number() over (order by code) as n
            from template_versions where council_id = ${councilIds[c]!}
          )
          insert into audits (council_id, cycle, template_version_id, case_file_id, team_id,
            service_id, status, auditor_grade, moderated_grade, cancelled_reason)
          select ${councilIds[c]!},
            to_char(date '2025-04-01' + ((g % (12 * ${years})) || ' months')::interval, 'YYYY-MM'),
            tpl.id, cs.id, cs.team_id, cs.service_id,
            (array['moderated','moderated','moderated','submitted','in-moderation','in-progress','scheduled','cancelled'])[1 + g % 8],
            case when g % 8 < 5 then (array['outstanding','good','requires-improvement','inadequate'])[1 + (g / 8) % 4] end,
            case when g % 8 < 3 and g % 5 = 0 then (array['good','requires-improvement','inadequate','outstanding'])[1 + (g / 3) % 4] end,
            case when g % 8 = 7 then 'Case closed' end
          from generate_series(1, ${perCouncil[c]!}) g
          join cases cs on cs.n = 1 + g % (select count(*) from cases)
          join templates tpl on tpl.n = 1 + (g / 7) % 5`
      }
      await sql`
        insert into audit_judgements (audit_id, measure, auditor_value, moderated_value)
        select a.id, m.measure,
          (array['consistently','partly','not','n/a'])[1 + abs(hashtext(a.id::text || m.measure)) % 4],
          case when abs(hashtext(a.id::text)) % 6 = 0 then 'consistently' end
        from audits a
        join template_versions tv on tv.id = a.template_version_id
        join lateral (values ('lived-experience'), ('management-oversight'), ('strength-based'),
          ('reflective-supervision'), ('supervision-standards')) m(measure)
          on (tv.kind = 'supervision') = (m.measure in ('reflective-supervision', 'supervision-standards'))
        where a.status in ('submitted', 'in-moderation', 'moderated')`
      await sql`analyze`
      const [{ audits } = { audits: 0 }] = await sql<
        { audits: number }[]
      >`select count(*)::int as audits from audits`
      const [{ year } = { year: 0 }] = await sql<{ year: number }[]>`
        select count(*)::int as year from audits where council_id = ${councilIds[0]!} and cycle between '2025-04' and '2026-03'`
      console.log(
        `KPIs: ${audits.toLocaleString('en-GB')} audits (${year.toLocaleString('en-GB')} in the council-year read), loaded in ${((performance.now() - loading) / 1000).toFixed(0)} s; ${RUNS} runs each`,
      )
      const councilId = councilIds[0]!
      const period = { from: '2025-04', to: '2026-03' }
      const loader = () =>
        Promise.all([
          kpisForPeriod(db, { councilId, period }),
          kpisBy(db, { councilId, period, by: 'team' }),
          kpisBy(db, {
            councilId,
            period: { from: addMonths(period.to, -11), to: period.to },
            by: 'cycle',
          }),
        ])
      const page = await time(loader)
      // The same figures counted from the audits themselves, without the roll-up: what it buys.
      const scan = await time(
        () =>
          Promise.all([
            kpisForPeriodByScan(db, { councilId, period }),
            kpisByScan(db, { councilId, period, by: 'team' }),
            kpisByScan(db, {
              councilId,
              period: { from: addMonths(period.to, -11), to: period.to },
              by: 'cycle',
            }),
          ]),
        3,
      )
      const drill = await time(() =>
        kpiAudits(db, { councilId, period, kpi: 'A1.3', limit: 50, offset: 0 }),
      )
      const ms = (v: number) => `${v.toFixed(1)} ms`
      console.log(
        `  KPI page loader (table, by team, 12-month trend): p50 ${ms(page.p50)}, p95 ${ms(page.p95)}`,
      )
      console.log(
        `  the same counted from the audits, no roll-up:     p50 ${ms(scan.p50)}, p95 ${ms(scan.p95)} (3 runs; ${(scan.p50 / page.p50).toFixed(0)}x the roll-up)`,
      )
      console.log(
        `  drill-down, first page of 50:                    p50 ${ms(drill.p50)}, p95 ${ms(drill.p95)}`,
      )
    } finally {
      await handle.close()
    }
  })
}

if (process.argv[1]?.endsWith('kpis.ts')) await benchKpis()
