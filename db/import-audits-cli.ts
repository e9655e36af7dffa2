import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from './client'
import { DatabaseConfigSchema, parseEnv } from './config'
import { locateDatabase } from './connect'
import { importAuditsCsv } from './import-audits'
import { migrateDatabase } from './migrate'
import { countOf } from '../shared/text'

// `npm run audits:import -- FILE.csv [--council CODE]`: historical audits into DATABASE_URL or the
// embedded database. Exit code 1 and every problem listed when the file is refused.
const USAGE = 'Usage: npm run audits:import -- FILE.csv [--council CODE]'

const { values, positionals } = parseArgs({
  options: { council: { type: 'string' }, help: { type: 'boolean' } },
  allowPositionals: true,
})
if (values.help || positionals.length !== 1 || !positionals[0]) {
  console.error(USAGE)
  process.exit(values.help ? 0 : 2)
}
const file = positionals[0]
let text: string
try {
  text = fs.readFileSync(file, 'utf8')
} catch (error) {
  console.error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  process.exit(2)
}

const database = await locateDatabase(parseEnv(DatabaseConfigSchema, process.env))
const handle = openDatabase(database.url, { max: 2 })
try {
  await migrateDatabase(database.url)
  const started = performance.now()
  const outcome = await importAuditsCsv(handle.db, { text, councilCode: values.council })
  if (!outcome.ok) {
    console.error(outcome.message)
    for (const problem of outcome.problems) {
      console.error(
        `  row ${problem.row}${problem.column ? `, ${problem.column}` : ''}: ${problem.message}`,
      )
    }
    process.exitCode = 1
  } else {
    const { report } = outcome
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Imported ${file} into council ${report.council.code}${report.council.created ? ' (created, with the default services and themes)' : ''} in ${seconds} s:`,
    )
    console.log(`  ${countOf(report.created, 'audit')} created, ${report.updated} updated`)
    const teams = report.createdTeams
    console.log(
      `  ${countOf(teams.length, 'team')} created${teams.length ? `: ${teams.join(', ')}` : ''}`,
    )
    console.log(`  ${countOf(report.createdCaseFiles.length, 'case file')} created`)
  }
} finally {
  await handle.close()
  await database.stop()
}
