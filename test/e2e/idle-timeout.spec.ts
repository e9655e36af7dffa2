import { expect, test } from '@playwright/test'
import { expectAccessible, signIn } from './helpers'

test('warns two minutes before the idle timeout, and "Stay signed in" keeps the session', async ({
  page,
}) => {
  await page.clock.install()
  await signIn(page, 'auditor@demo.test')
  const dialog = page.getByRole('dialog', { name: 'You are about to be signed out' })
  await expect(dialog).toBeHidden()

  await page.clock.fastForward('27:50')
  await expect(dialog).toBeHidden()
  await page.clock.fastForward('00:20')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('we will sign you out in 1 minute')
  await expectAccessible(page)

  await dialog.getByRole('button', { name: 'Stay signed in' }).click()
  await expect(dialog).toBeHidden()
  // The clock started again: 29 minutes on, still signed in and no timeout yet.
  await page.clock.fastForward('27:00')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible()
})

test('signs the user out when the idle timeout passes, and says why', async ({ page }) => {
  await page.clock.install()
  await signIn(page, 'moderator@demo.test')
  await page.clock.fastForward('28:30')
  await expect(page.getByRole('dialog', { name: 'You are about to be signed out' })).toBeVisible()
  await page.clock.fastForward('01:31')
  await expect(page).toHaveURL(/\/login\?reason=idle$/)
  await expect(
    page.getByText('You were signed out because you were inactive for 30 minutes.'),
  ).toBeVisible()
  await expectAccessible(page)
  // The session is gone on the server too, not only in this page.
  await page.goto('/')
  await expect(page).toHaveURL(/\/login\?redirectTo=%2F$/)
})
