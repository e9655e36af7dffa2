import { describe, expect, it } from 'vitest'
import { ConfigError, readConfig } from './config'

describe('readConfig', () => {
  it('has defaults that run the app with no variables set', () => {
    const config = readConfig({})
    expect(config.PORT).toBe(3000)
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.EMBEDDED_PG_PORT).not.toBe(5432)
    expect(config.SESSION_IDLE_TIMEOUT_SECONDS).toBe(1800)
    expect(config.SESSION_IDLE_WARNING_SECONDS).toBe(120)
  })

  it('treats an empty variable as unset', () => {
    expect(readConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined()
  })

  it.each([
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EMBEDDED_PG_PORT: '80' }, 'EMBEDDED_PG_PORT'],
    [{ SEED_DEMO_DATA: 'maybe' }, 'SEED_DEMO_DATA'],
    [
      { SESSION_IDLE_TIMEOUT_SECONDS: '600', SESSION_IDLE_WARNING_SECONDS: '600' },
      'SESSION_IDLE_WARNING_SECONDS',
    ],
    [
      { SESSION_IDLE_TIMEOUT_SECONDS: '300', SYNC_ACCESS_RECHECK_SECONDS: '151' },
      'SYNC_ACCESS_RECHECK_SECONDS',
    ],
  ])('refuses %o, naming %s', (env, name) => {
    expect(() => readConfig(env)).toThrow(ConfigError)
    expect(() => readConfig(env)).toThrow(name)
  })
})
