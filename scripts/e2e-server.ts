// The server for the end-to-end tests: `npm start`'s entry, on a fresh embedded database (so every
// run begins from the demo data alone) on a free port.
import fs from 'node:fs'
import path from 'node:path'
import { findFreePort, stopEmbeddedPostgresIn } from '../db/embedded-postgres'

const dataDir = path.resolve(process.env.EMBEDDED_PG_DIR ?? '.data/e2e-postgres')
await stopEmbeddedPostgresIn(dataDir)
fs.rmSync(dataDir, { recursive: true, force: true })
fs.rmSync(`${dataDir}.password`, { force: true })
process.env.EMBEDDED_PG_DIR = dataDir
process.env.EMBEDDED_PG_PORT ||= String(await findFreePort())

await import('../server/index')
