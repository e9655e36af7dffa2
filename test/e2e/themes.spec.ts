import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './helpers'

test('a lead reads the themes, opens one and its excerpts, and tunes a theme’s keywords', async ({
  page,
}) => {
  test.setTimeout(90_000)
  await signIn(page, 'lead@demo.test')
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Themes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Learning themes' })).toBeVisible()
  const table = page.getByRole('table', { name: /^Themes in audits from / })
  await expect(table.getByRole('row', { name: /Voice of the child/ })).toBeVisible()
  await expectAccessible(page)

  // A wrong month is named, and the default period is shown instead.
  await page.getByLabel('From month').fill('2026-13')
  await page.getByRole('button', { name: 'Show this period' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter the first month as YYYY-MM')
  await expectAccessible(page)

  // The breakdown by team, and the CSV of the same table.
  await page.goto('/themes?from=2025-01&to=2027-12')
  await page.getByLabel('Break the counts down by').selectOption('team')
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(page.getByRole('table', { name: /completed audits$/ }).first()).toBeVisible()
  await expectAccessible(page)
  const download = await page.request.get('/themes.csv?from=2025-01&to=2027-12&by=team')
  expect(download.headers()['content-disposition']).toContain('themes-2025-01-to-2027-12-by-team')
  expect((await download.text()).split('\r\n')[0]).toMatch(/^team,code,label,strengths,/)

  // The most raised theme (the table's first row) opens onto its excerpts, depersonalised.
  await page.goto('/themes?from=2025-01&to=2027-12')
  const first = table.getByRole('row').nth(1)
  const label = (await first.getByRole('link').first().textContent()) ?? ''
  await first.getByRole('link').first().click()
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible()
  await expect(page.getByRole('table', { name: `${label} by month` })).toBeVisible()
  await expect(page.getByRole('link', { name: /^Open the audit/ }).first()).toBeVisible()
  // The demo excerpts name a child (Jayden); the page never does, nor any case reference.
  await expect(page.getByText('Jayden')).toHaveCount(0)
  await expect(page.locator('main')).not.toContainText(/\b\d{6}\b/)
  await expectAccessible(page)
  await page.getByLabel('Show', { exact: true }).selectOption('development')
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(page).toHaveURL(/kind=development/)
  await expectAccessible(page)

  // Settings: a bad keyword changes nothing; a good one is saved.
  await page.goto('/themes')
  await page.getByRole('link', { name: 'Change the council’s themes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'The council’s themes' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Change Life-story work' }).click()
  // The list has its own Keywords box (to add a theme): wait for the edit page.
  await expect(
    page.getByRole('heading', { level: 1, name: 'Change Life-story work' }),
  ).toBeVisible()
  const keywords = page.getByLabel('Keywords')
  const before = await keywords.inputValue()
  expect(before).toContain('memory box')
  await keywords.fill(`${before}\nx`)
  await page.getByRole('button', { name: 'Save the theme' }).click()
  await expect(page.getByRole('alert')).toContainText('A keyword must be at least 2 characters')
  await expectAccessible(page)
  await keywords.fill(`${before}\nphoto album`)
  await page.getByRole('button', { name: 'Save the theme' }).click()
  await expect(page.getByText('Life-story work was changed')).toBeVisible()
  await expect(page.getByRole('row', { name: /Life-story work/ })).toContainText('photo album')
  await expectAccessible(page)

  // Put the keywords back as they were, for the other tests.
  await page.getByRole('link', { name: 'Change Life-story work' }).click()
  await expect(
    page.getByRole('heading', { level: 1, name: 'Change Life-story work' }),
  ).toBeVisible()
  await keywords.fill(before)
  await page.getByRole('button', { name: 'Save the theme' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'The council’s themes' })).toBeVisible()
  await expect(page.getByRole('row', { name: /Life-story work/ })).not.toContainText('photo album')
})

test('the themes are for leads', async ({ page }) => {
  await signIn(page, 'auditor@demo.test')
  expect((await page.goto('/themes'))?.status()).toBe(403)
  expect((await page.goto('/themes/settings'))?.status()).toBe(403)
})
