import { APP_ROLE, openDatabase } from '../db/client'
import { createUpdateWriter } from '../server/sync/update-writer'
import { documentName } from '../shared/live-document'
import { withBenchDatabase, type BenchDatabase } from './database'
import { prepare } from './sync'
import { percentile } from './stats'

/**
 * What storing one edit costs the database and us: the sync server's update writer
 * (server/sync/update-writer.ts) appends updates one statement at a time, as it does below a few
 * hundred edits a second, and the database's CPU (all its processes) and this process's CPU are
 * divided by the statements. `select 1` is the floor of a round trip. In the co-auditing benchmark
 * the database shares the machine's two cores with the editors and the servers, and its CPU per edit
 * is what ours' propagation tail pays for (see the README); this measures it in seconds, where the
 * co-auditing benchmark needs tens of minutes to tell 10% apart.
 */
const STATEMENTS = Number(process.env.BENCH_WRITES_STATEMENTS ?? 5_000)
const REPEATS = Number(process.env.BENCH_WRITES_REPEATS ?? 3)
/** Updates in a batch: ten documents' edits in one statement, as under heavier load. */
const BATCH = 10
/** A typical keystroke's update, as the editors of the co-auditing benchmark send. */
const UPDATE_BYTES = 40

type Figures = { pgUs: number; oursUs: number; p50Us: number; p99Us: number }

async function measure(
  database: BenchDatabase,
  statement: () => Promise<unknown>,
): Promise<Figures> {
  for (let i = 0; i < 300; i += 1) await statement()
  const times: number[] = []
  const pgBefore = database.usage().cpuSeconds
  const oursBefore = process.cpuUsage()
  for (let i = 0; i < STATEMENTS; i += 1) {
    const started = performance.now()
    await statement()
    times.push(performance.now() - started)
  }
  const ours = process.cpuUsage(oursBefore)
  const pgSeconds = database.usage().cpuSeconds - pgBefore
  return {
    pgUs: (pgSeconds * 1e6) / STATEMENTS,
    oursUs: (ours.user + ours.system) / STATEMENTS,
    p50Us: percentile(times, 50) * 1000,
    p99Us: percentile(times, 99) * 1000,
  }
}

export async function benchWrites(): Promise<void> {
  await withBenchDatabase('writes', async (url, database) => {
    await prepare(url, BATCH * 3)
    const { sql, close } = openDatabase(url, { role: APP_ROLE, max: 1 })
    try {
      const audits = await sql<{ id: string; councilId: string }[]>`
        select id, council_id as "councilId" from audits order by id limit ${BATCH}`
      const writer = createUpdateWriter(sql, { origin: 1, ringDoorbell: () => false })
      const update = new Uint8Array(UPDATE_BYTES).fill(7)
      const append = (audit: { id: string; councilId: string }) =>
        writer.append({
          councilId: audit.councilId,
          documentName: documentName(audit.id),
          kind: 'audit',
          auditId: audit.id,
          updates: [update],
        })
      const kinds: [string, number, () => Promise<unknown>][] = [
        ['select 1 (a round trip)', 1, () => sql`select 1`],
        ['one update', 1, () => append(audits[0]!)],
        [`${BATCH} documents' updates`, BATCH, () => Promise.all(audits.map(append))],
      ]
      const runs = new Map<string, Figures[]>(kinds.map(([name]) => [name, []]))
      // Taken in turns, REPEATS times: a checkpoint or a stall of the machine falls in one turn.
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const [name, , statement] of kinds)
          runs.get(name)!.push(await measure(database, statement))
      }
      console.log(
        `Storing edits: ${STATEMENTS} statements, one at a time, ${REPEATS} turns (medians); ` +
          `${UPDATE_BYTES}-byte updates through the sync server's writer; PostgreSQL (embedded) through its Unix socket`,
      )
      console.log(
        'statement                  DB CPU/stmt  DB CPU/update  ours CPU/stmt  wall p50   wall p99',
      )
      for (const [name, updates] of kinds) {
        const figures = runs.get(name)!
        const pick = (key: keyof Figures) =>
          percentile(
            figures.map((f) => f[key]),
            50,
          )
        const us = (value: number) => `${value.toFixed(0)} µs`.padStart(9)
        console.log(
          `${name.padEnd(25)} ${us(pick('pgUs'))}    ${us(pick('pgUs') / updates)}      ${us(pick('oursUs'))}  ${us(pick('p50Us'))}  ${us(pick('p99Us'))}`,
        )
      }
    } finally {
      await close()
    }
  })
}

if (process.argv[1]?.endsWith('writes.ts')) await benchWrites()
