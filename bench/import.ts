import { openDatabase } from '../db/client'
import { withBenchDatabase } from './database'
import { importAuditsCsv } from '../db/import-audits'
import { DEFAULT_SERVICES } from '../shared/organisation'
import { parseHistoricalAudits } from '../shared/historical-import'

/**
 * The historical import at the size the issue names: 100,000 audits into an empty, migrated database
 * (a new council, its teams and case files created on the way), then the same file again (all updates).
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)
const HEADER =
  'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'
const TEMPLATES = [
  'lived-experience',
  'management-oversight',
  'strength-based',
  'supervision',
  'multi-agency',
] as const
const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const
const EVIDENCE = ['consistently', 'partly', 'not', 'n/a'] as const
const STATUSES = ['submitted', 'moderated', 'in-moderation', 'scheduled', 'cancelled'] as const

export function generateHistoricalCsv(rows: number): string {
  const lines = [HEADER]
  for (let i = 0; i < rows; i += 1) {
    const template = TEMPLATES[i % TEMPLATES.length]!
    const status = STATUSES[i % 17 === 0 ? 3 : i % 23 === 0 ? 4 : i % 3]!
    const done = status !== 'scheduled' && status !== 'cancelled'
    const service = DEFAULT_SERVICES[i % DEFAULT_SERVICES.length]!.code
    const grade = done ? GRADES[i % 4]! : ''
    const moderated = done && status === 'moderated' && i % 5 === 0 ? GRADES[(i + 1) % 4]! : ''
    const ev = (k: number) => (done ? EVIDENCE[(i + k) % 4]! : '')
    const measures: Record<string, string> = {
      'lived-experience': template === 'supervision' ? '' : ev(0),
      'strength-based': template === 'strength-based' || template === 'multi-agency' ? ev(1) : '',
      'management-oversight':
        template === 'management-oversight' || template === 'multi-agency' ? ev(2) : '',
      'reflective-supervision': template === 'supervision' ? ev(3) : '',
      'supervision-standards': template === 'supervision' ? ev(1) : '',
    }
    const year = 2019 + Math.floor(i / 20_000)
    const month = String((i % 12) + 1).padStart(2, '0')
    lines.push(
      [
        `H-${i}`,
        `${year}-${month}`,
        template,
        String(500_000 + (i % 40_000)),
        service,
        `T-${service}-${i % 4}`,
        status,
        grade,
        moderated,
        measures['lived-experience'],
        measures['strength-based'],
        measures['management-oversight'],
        measures['reflective-supervision'],
        measures['supervision-standards'],
        done && i % 2 === 0 ? 'voice-of-the-child;chronology' : '',
      ].join(','),
    )
  }
  return lines.join('\n')
}

export async function benchImport(): Promise<void> {
  await withBenchDatabase('import', async (url) => {
    const handle = openDatabase(url, { max: 2 })
    const text = generateHistoricalCsv(ROWS)
    const parseStarted = performance.now()
    const parsed = parseHistoricalAudits(text, {
      services: [...DEFAULT_SERVICES],
      themes: ['voice-of-the-child', 'chronology'],
    })
    const parseMs = performance.now() - parseStarted
    if (!parsed.ok)
      throw new Error(`generated file invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`)
    const first = performance.now()
    const created = await importAuditsCsv(handle.db, { text, councilCode: 'bench' })
    const firstMs = performance.now() - first
    const second = performance.now()
    const updated = await importAuditsCsv(handle.db, { text })
    const secondMs = performance.now() - second
    if (!created.ok || !updated.ok) throw new Error('import failed')
    console.log(
      `Historical import of ${ROWS.toLocaleString('en-GB')} audits (${(text.length / 1e6).toFixed(1)} MB)`,
    )
    console.log(`  parse and check the whole file:          ${parseMs.toFixed(0)} ms`)
    console.log(
      `  first import (all created, new council): ${(firstMs / 1000).toFixed(1)} s (${created.report.created} created)`,
    )
    console.log(
      `  same file again (all updated):           ${(secondMs / 1000).toFixed(1)} s (${updated.report.updated} updated)`,
    )
    await handle.close()
  })
}
