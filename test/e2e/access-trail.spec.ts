import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './helpers'

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
}

test('an admin asks the access trail what a user has done, and downloads the answer', async ({
  page,
}) => {
  await signIn(page, 'admin@demo.test')
  await page.goto('/admin/users')
  await page.getByRole('link', { name: 'Access trail' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Access trail' })).toBeVisible()
  await expect(page.getByText('Enter a case reference or choose a user.')).toBeVisible()
  await expectAccessible(page)

  // Wrong input: a message for each field, and no answer.
  await page.getByLabel('Case reference').fill('NO-SUCH-CASE')
  await page.getByLabel('From (YYYY-MM-DD)').fill('2026-02-30')
  await page.getByRole('button', { name: 'Show access' }).click()
  const summary = page.getByRole('alert')
  await expect(summary).toContainText('No case file has the reference NO-SUCH-CASE')
  await expect(summary).toContainText('Enter a real date')
  await expect(page.getByRole('table')).toHaveCount(0)
  await expectAccessible(page)

  await page.getByLabel('Case reference').fill('')
  await page
    .getByLabel('User', { exact: true })
    .selectOption({ label: 'Adam Wright (admin@demo.test)' })
  await page.getByLabel('From (YYYY-MM-DD)').fill(isoDaysAgo(1))
  await page.getByRole('button', { name: 'Show access' }).click()
  const table = page.getByRole('table')
  await expect(table).toContainText('Signed in')
  await expect(table.getByRole('row', { name: /Viewed.*\/admin\/users/ }).first()).toBeVisible()
  await expectAccessible(page)

  const href = await page
    .getByRole('link', { name: 'Download these entries (CSV)' })
    .getAttribute('href')
  const csv = await page.request.get(href ?? '')
  expect(csv.status()).toBe(200)
  expect(csv.headers()['content-type']).toContain('text/csv')
  const text = await csv.text()
  expect(text.split('\r\n')[0]).toBe('at,user,email,action,case_ref,audit_id,details,address')
  expect(text).toContain('/admin/users')
})

test('an auditor may not read the access trail', async ({ page }) => {
  await signIn(page, 'auditor@demo.test')
  await expect(page.getByRole('link', { name: 'Access trail' })).toHaveCount(0)
  expect((await page.goto('/access'))?.status()).toBe(403)
  expect((await page.request.get('/access.csv?user=x')).status()).toBe(403)
})
