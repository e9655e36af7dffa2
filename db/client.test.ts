import { describe, expect, it } from 'vitest'
import { splitSocket } from './client'

describe('splitSocket', () => {
  it('turns libpq’s ?host=/directory into the socket’s path, and drops it from the URL', () => {
    expect(splitSocket('postgres://app:pw@127.0.0.1:5433/audit?host=%2Fdata%2Fpg')).toEqual({
      url: 'postgres://app:pw@127.0.0.1:5433/audit',
      socketPath: '/data/pg/.s.PGSQL.5433',
    })
  })

  it('uses PostgreSQL’s port when the URL names none', () => {
    expect(splitSocket('postgres://app@localhost/audit?host=/run/postgresql').socketPath).toBe(
      '/run/postgresql/.s.PGSQL.5432',
    )
  })

  it('leaves a TCP address, and any other parameter, as it is', () => {
    const url = 'postgres://app@db.example:5432/audit?sslmode=require'
    expect(splitSocket(url)).toEqual({ url })
    expect(splitSocket('postgres://app@db/audit?host=db2').socketPath).toBeUndefined()
  })
})
