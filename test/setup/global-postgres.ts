import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import {
  findFreePort,
  startEmbeddedPostgres,
  stopEmbeddedPostgresIn,
} from '../../db/embedded-postgres'
import { migrateDatabase } from '../../db/migrate'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A maintenance connection URL (database `postgres`) on the test cluster. */
    pgAdminUrl: string
    /** The migrated database every test file's database is copied from; one per run. */
    pgTemplateDatabase: string
  }
}

/**
 * One real PostgreSQL for the whole run: the embedded one in a fresh folder, or the server that
 * TEST_DATABASE_ADMIN_URL names. The migrations build a template database once; every test file then
 * gets its own copy of it (see test-database.ts).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL
  let stop = async () => {}
  if (!adminUrl) {
    const dataDir = path.resolve('.data/test-postgres')
    // A run that was killed may have left its database running on this folder.
    await stopEmbeddedPostgresIn(dataDir)
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(`${dataDir}.password`, { force: true })
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: process.env.TEST_PG_PORT ? Number(process.env.TEST_PG_PORT) : await findFreePort(),
      database: 'postgres',
    })
    adminUrl = embedded.adminUrl
    stop = embedded.stop
  }
  // Named per run, so that runs sharing one server (TEST_DATABASE_ADMIN_URL) never collide.
  const templateDatabase = `cfa_template_${process.pid}_${Date.now()}`
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await sql.unsafe(`create database ${templateDatabase}`)
  const templateUrl = new URL(adminUrl)
  templateUrl.pathname = `/${templateDatabase}`
  await migrateDatabase(templateUrl.toString())

  project.provide('pgAdminUrl', adminUrl)
  project.provide('pgTemplateDatabase', templateDatabase)
  return async () => {
    await sql.unsafe(`drop database if exists ${templateDatabase} with (force)`)
    await sql.end()
    await stop()
  }
}
