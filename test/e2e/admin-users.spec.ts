import { expect, test } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

test('an admin adds a user, who signs in; deactivating them ends their session at once', async ({
  page,
  browser,
}) => {
  await signIn(page, 'admin@demo.test')
  await page.getByRole('link', { name: 'Users', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible()
  await expectAccessible(page)

  await page.getByRole('button', { name: 'Add a user' }).click()
  await expect(page.getByRole('heading', { name: 'Add a user' })).toBeVisible()
  await expectAccessible(page)

  // Wrong input first: every problem listed, nothing created.
  await page.getByLabel('Email address').fill('amira@demo.test')
  await page.getByLabel('Initial password').fill('short')
  await page.getByRole('button', { name: 'Add user' }).click()
  const summary = page.getByRole('alert')
  await expect(summary).toContainText('Enter the user’s full name')
  await expect(summary).toContainText('Select at least one role')
  await expect(summary).toContainText('Select the user’s agency')
  await expect(summary).toContainText('Password must be at least 12 characters')
  await expect(page.getByLabel('Email address')).toHaveValue('amira@demo.test')
  await expectAccessible(page)

  await page.getByLabel('Full name').fill('Ellie Evans')
  await page.getByLabel('Email address').fill('education.auditor@demo.test')
  await page.getByLabel('Auditor').check()
  await page.getByLabel('Agency').selectOption({ label: 'Education' })
  await page.getByLabel('Initial password').fill('a long enough password')
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByText('Ellie Evans has been added.')).toBeVisible()
  await expect(page.getByRole('row', { name: /Ellie Evans/ })).toContainText('Education')

  const newcomer = await openPageAsAnotherUser(browser)
  await signIn(newcomer, 'education.auditor@demo.test', 'a long enough password')
  await expect(newcomer.getByRole('heading', { level: 2, name: 'My audits' })).toBeVisible()

  await page.getByRole('button', { name: 'Deactivate Ellie Evans' }).click()
  await expect(
    page.getByText('Ellie Evans has been deactivated and signed out everywhere.'),
  ).toBeVisible()
  await expect(page.getByRole('row', { name: /Ellie Evans/ })).toContainText('Deactivated')
  await expectAccessible(page)

  await newcomer.reload()
  await expect(newcomer).toHaveURL(/\/login\?redirectTo=%2F$/)
  await newcomer.close()
})

test('an email already in use is refused with a message by the field', async ({ page }) => {
  await signIn(page, 'admin@demo.test')
  await page.goto('/admin/users/new')
  await page.getByLabel('Full name').fill('Someone Else')
  await page.getByLabel('Email address').fill('AUDITOR@demo.test')
  await page.getByLabel('Moderator').check()
  await page.getByLabel('Agency').selectOption({ label: 'Health' })
  await page.getByLabel('Initial password').fill('a long enough password')
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.locator('#email-error')).toContainText(
    'A user with this email address already exists',
  )
  await page.goto('/admin/users')
  await expect(page.getByRole('row', { name: /Someone Else/ })).toHaveCount(0)
})
