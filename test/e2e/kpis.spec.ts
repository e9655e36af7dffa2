import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './helpers'

test('a lead reads the KPIs for a period, opens the audits behind a figure, and downloads the table', async ({
  page,
}) => {
  await signIn(page, 'lead@demo.test')
  await page.goto('/kpis')
  await expect(page.getByRole('heading', { level: 1, name: 'Improvement plan KPIs' })).toBeVisible()
  const table = page.getByRole('table', { name: 'KPIs against the improvement plan’s targets' })
  await expect(table.getByRole('row')).toHaveCount(11)
  // RAG is a word as well as a colour.
  await expect(table.getByText(/^(Green|Amber|Red|No rating)$/).first()).toBeVisible()
  await expectAccessible(page)

  // A wrong month is named, and the default period is shown instead.
  await page.getByLabel('From month').fill('2026-13')
  await page.getByRole('button', { name: 'Show this period' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter the first month as YYYY-MM')
  await expectAccessible(page)

  // Every figure opens onto its audits: the denominator's count is the list's length.
  await page.goto('/kpis?from=2025-01&to=2027-12')
  const a11 = table.getByRole('row', { name: /A1\.1/ })
  const a11Link = a11.getByRole('link', { name: /audits in A1\.1$/ })
  const denominator = Number((await a11Link.textContent())?.match(/\d+/)?.[0])
  await a11Link.click()
  await expect(
    page.getByRole('heading', { level: 1, name: '100% of audits completed' }),
  ).toBeVisible()
  await expect(page.getByText(`The ${denominator} audits in the denominator`)).toBeVisible()
  await expectAccessible(page)

  // A breakdown's figure opens onto that team's audits.
  await page.goto('/kpis?from=2025-01&to=2027-12&by=team')
  await page
    .getByRole('table', { name: /KPIs by team/ })
    .getByRole('link', { name: /audits in A1\.1 for / })
    .first()
    .click()
  await expect(page.getByText(/^Only the team:/)).toBeVisible()

  const download = await page.request.get('/kpis.csv?from=2025-01&to=2027-12')
  expect(download.headers()['content-type']).toContain('text/csv')
  const csv = await download.text()
  expect(csv.split('\r\n')[0]).toBe('kpi,title,numerator,denominator,percent,target,rag')
  expect(csv).toContain(`A1.1,100% of audits completed,`)
  const refused = await page.request.get('/kpis.csv?from=2027-12&to=2025-01')
  expect(refused.status()).toBe(400)

  // The board pack: one page to print.
  await page.goto('/kpis?from=2025-01&to=2027-12')
  await page.getByRole('link', { name: 'Board pack (to print)' }).click()
  await expect(page.getByRole('table', { name: 'The improvement plan’s audit KPIs' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Headline themes' })).toBeVisible()
  await expectAccessible(page)
})

test('the KPIs are for leads', async ({ page }) => {
  await signIn(page, 'auditor@demo.test')
  const response = await page.goto('/kpis')
  expect(response?.status()).toBe(403)
})
