import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.E2E_PORT ?? 3100)
export const BASE_URL = `http://localhost:${PORT}`

/**
 * End-to-end tests drive Debian's Chromium (no browser download works on our machines) against the
 * real server, started as `npm start` starts it, on a fresh embedded PostgreSQL seeded with demo data.
 */
export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: a test walks several pages, each through axe, on a shared two-core machine; a page
  // slow under load is not a failure, a wrong one is.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx scripts/e2e-server.ts',
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGINT lets the server stop its embedded PostgreSQL; the default SIGKILL would orphan it.
    gracefulShutdown: { signal: 'SIGINT', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      EMBEDDED_PG_DIR: '.data/e2e-postgres',
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  },
})
