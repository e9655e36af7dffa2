import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './helpers'

const HOMES = [
  { email: 'auditor@demo.test', heading: 'My audits' },
  { email: 'auditor2@demo.test', heading: 'My audits' },
  { email: 'health.auditor@demo.test', heading: 'My audits' },
  { email: 'police.auditor@demo.test', heading: 'My audits' },
  { email: 'moderator@demo.test', heading: 'Moderation queue' },
  { email: 'lead@demo.test', heading: 'KPIs and learning themes' },
  { email: 'practitioner@demo.test', heading: 'Findings and actions for my cases' },
  { email: 'admin@demo.test', heading: 'Users' },
]

test('the sign-in page explains a mistake without saying whether the account exists', async ({
  page,
}) => {
  await page.goto('/login')
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible()
  await expectAccessible(page)

  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('link', { name: 'Enter your email address' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Enter your password' })).toBeVisible()
  await expectAccessible(page)

  await page.getByLabel('Email address').fill('auditor@demo.test')
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('Enter a correct email address and password')

  await page.getByLabel('Email address').fill('no-such-person@demo.test')
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('Enter a correct email address and password')
  await expectAccessible(page)
})

for (const { email, heading } of HOMES) {
  test(`${email} signs in to their home page and signs out`, async ({ page }) => {
    await signIn(page, email)
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Demo Borough Council' })).toBeVisible()
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible()
    await page.goto('/')
    await expect(page).toHaveURL(/\/login\?redirectTo=%2F$/)
  })
}

test('signing in returns to the page that asked for it', async ({ page }) => {
  await page.goto('/admin/users')
  await expect(page).toHaveURL(/redirectTo=%2Fadmin%2Fusers/)
  await page.getByLabel('Email address').fill('admin@demo.test')
  await page.getByLabel('Password').fill('demo-audit-2026')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible()
})

test('unknown and forbidden pages answer 404 and 403 with a way home', async ({ page }) => {
  await signIn(page, 'auditor@demo.test')
  const missing = await page.goto('/no-such-page')
  expect(missing?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expectAccessible(page)

  const forbidden = await page.goto('/admin/users')
  expect(forbidden?.status()).toBe(403)
  await expect(
    page.getByRole('heading', { name: 'You do not have permission to see this page' }),
  ).toBeVisible()
  await expect(page.getByRole('link', { name: 'Go to your home page' })).toBeVisible()
  await expectAccessible(page)
})

test('ten failed attempts in a row pause signing in, and the page says until when', async ({
  page,
}) => {
  // An address nobody has: the pause must look the same whether or not the account exists.
  await page.goto('/login')
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    await page.getByLabel('Email address').fill('not.a.user@demo.test')
    await page.getByLabel('Password').fill(`guess ${attempt}`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByRole('alert')).toBeVisible()
  }
  await expect(page.getByRole('alert')).toContainText(
    /too many attempts to sign in\. Signing in is paused until \d{1,2}:\d{2}\s?(am|pm)/,
  )
  await expectAccessible(page)
})
