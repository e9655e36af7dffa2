import { parseArgs } from 'node:util'
import { toCsv } from '../shared/csv'
import { kpiTableRows, parsePeriod } from '../shared/kpis'
import { openDatabase } from './client'
import { DatabaseConfigSchema, parseEnv } from './config'
import { locateDatabase } from './connect'
import { migrateDatabase } from './migrate'
import { kpisForPeriod } from './queries/kpis'
import { councils } from './schema/index'

// `npm run kpis -- --from YYYY-MM --to YYYY-MM [--council CODE] [--format csv|table]`: the KPI
// table for scheduled exports to a council's BI tools. Prints only the table; anything wrong goes to
// standard error with exit code 2.
const USAGE =
  'Usage: npm run kpis -- --from YYYY-MM --to YYYY-MM [--council CODE] [--format csv|table]'

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      council: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      help: { type: 'boolean' },
    },
  }))
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!values.from || !values.to) fail('Give both --from and --to.')
if (values.format !== 'csv' && values.format !== 'table') fail('--format is csv or table.')
const { period, errors } = parsePeriod({ from: values.from, to: values.to }, new Date())
if (errors.length > 0) fail(errors.map((e) => `--${e.field}: ${e.message}`).join('\n'))

const database = await locateDatabase(parseEnv(DatabaseConfigSchema, process.env))
const handle = openDatabase(database.url, { max: 2 })
try {
  await migrateDatabase(database.url)
  const all = await handle.db.select({ id: councils.id, code: councils.code }).from(councils)
  const council = values.council
    ? all.find((c) => c.code === values.council)
    : all.length === 1
      ? all[0]
      : undefined
  if (!council) {
    console.error(
      values.council
        ? `No council has the code ${values.council}; there are: ${all.map((c) => c.code).join(', ') || 'none'}.`
        : `The database has ${all.length} councils (${all.map((c) => c.code).join(', ')}): name one with --council CODE.`,
    )
    process.exitCode = 2
  } else {
    const results = await kpisForPeriod(handle.db, { councilId: council.id, period })
    const rows = kpiTableRows(results)
    if (values.format === 'csv') process.stdout.write(toCsv(rows))
    else {
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)))
      for (const row of rows) {
        console.log(
          row
            .map((cell, c) =>
              typeof cell === 'number'
                ? String(cell).padStart(widths[c]!)
                : String(cell).padEnd(widths[c]!),
            )
            .join('  ')
            .trimEnd(),
        )
      }
    }
  }
} finally {
  await handle.close()
  await database.stop()
}
