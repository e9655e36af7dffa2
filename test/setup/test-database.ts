import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import { APP_ROLE, openDatabase, type DbHandle } from '../../db/client'

export type TestDatabase = DbHandle & { url: string; name: string; drop: () => Promise<void> }

/** A fresh, migrated database of its own (a copy of the template), dropped by `drop`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl')
  const name = `cfa_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${name} template ${inject('pgTemplateDatabase')}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  // As the server does: the tests see the application role's rights, not the owner's.
  const handle = openDatabase(url.toString(), { max: 5, role: APP_ROLE })
  const drop = async () => {
    await handle.close()
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} })
    try {
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
    } finally {
      await cleanup.end()
    }
  }
  return { ...handle, url: url.toString(), name, drop }
}
