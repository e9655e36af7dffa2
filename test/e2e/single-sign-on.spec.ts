import { expect, test } from '@playwright/test'
import { BASE_URL } from '../../playwright.config'
import { startTestProvider } from '../oidc/test-provider'
import { expectAccessible, signIn } from './helpers'

/**
 * An administrator sets up the council's identity provider (a real OpenID provider on loopback),
 * links their own account to it, and signs in with it, in Chromium; then removes it again.
 */
test('an administrator sets up single sign-on, links their account and signs in with it', async ({
  page,
  browser,
}) => {
  const provider = await startTestProvider({ redirectUris: [`${BASE_URL}/sso/callback`] })
  try {
    await provider.next({
      sub: 'adam-at-the-council',
      preferred_username: 'adam.wright@council.test',
    })
    await signIn(page, 'admin@demo.test')
    await page.goto('/admin/users')
    await page.getByRole('link', { name: 'How people sign in' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'How people sign in' })).toBeVisible()
    await expectAccessible(page)

    // A wrong issuer first: a message, and nothing saved.
    await page.getByLabel('Name on the button').fill('Demo Council Entra')
    await page.getByLabel('Issuer address').fill('http://login.example.test/v2.0')
    await page.getByLabel('Client (application) ID').fill(provider.clientId)
    await page.getByLabel('Client secret').fill(provider.clientSecret)
    await page.getByLabel('Allowed tenants').fill(provider.issuer)
    await page.getByRole('button', { name: 'Add identity provider' }).click()
    await expect(page.getByRole('link', { name: /full https:\/\/ address/ })).toBeVisible()
    await expectAccessible(page)

    await page.getByLabel('Issuer address').fill(provider.issuer)
    await page.getByLabel('Client secret').fill(provider.clientSecret)
    await page.getByRole('button', { name: 'Add identity provider' }).click()
    await expect(page.getByText('Demo Council Entra is saved')).toBeVisible()
    await expect(page.getByLabel('Name on the button')).toHaveValue('')
    await page.screenshot({ path: 'test-results/sign-in-settings.png', fullPage: true })

    await page.getByRole('link', { name: 'Your account: Adam Wright' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible()
    await page.getByRole('link', { name: 'Link your Demo Council Entra account' }).click()
    await expect(page.getByText('Your council account is linked')).toBeVisible()
    await expect(page.getByText('Linked to adam.wright@council.test')).toBeVisible()
    await page.screenshot({ path: 'test-results/your-account.png', fullPage: true })
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.goto('/login')
    await expectAccessible(page)
    await page.screenshot({ path: 'test-results/sign-in-with-provider.png', fullPage: true })
    await page.getByRole('button', { name: 'Sign in with Demo Council Entra' }).click()
    await expect(
      page.getByRole('heading', { level: 1, name: 'Welcome, Adam Wright' }),
    ).toBeVisible()

    // A new colleague who signs in only through the provider: added, sent a link, signed in.
    await page.goto('/admin/users/new')
    await page.getByLabel('Full name').fill('Priya Shah')
    await page.getByLabel('Email address').fill('priya.shah@demo.test')
    await page.getByLabel('Auditor').check()
    await page.getByLabel('Agency').selectOption({ index: 1 })
    await page
      .getByLabel('How they will sign in')
      .selectOption({ label: 'With Demo Council Entra' })
    await page.getByRole('button', { name: 'Add user' }).click()
    await expect(
      page.getByRole('heading', { level: 1, name: 'Priya Shah has been added' }),
    ).toBeVisible()
    await expectAccessible(page)
    const link = (await page.getByTestId('invitation-link').textContent()) ?? ''
    expect(link).toMatch(/\/sso\/invitation\//)

    const context = await browser.newContext()
    try {
      const newcomer = await context.newPage()
      await provider.next({ sub: 'priya-at-the-council', preferred_username: 'priya@council.test' })
      await newcomer.goto(link)
      await expect(
        newcomer.getByRole('heading', { level: 1, name: 'Set up your account' }),
      ).toBeVisible()
      await expectAccessible(newcomer)
      await newcomer.getByRole('button', { name: 'Sign in with Demo Council Entra' }).click()
      await expect(
        newcomer.getByRole('heading', { level: 1, name: 'Welcome, Priya Shah' }),
      ).toBeVisible()
      // The link works once; an answer nobody asked for is refused with a way on.
      await newcomer.goto(link)
      await expect(newcomer.getByText('This invitation has expired or has been used')).toBeVisible()
      await newcomer.goto('/sso/callback?code=forged&state=forged')
      await expect(
        newcomer.getByRole('heading', { level: 1, name: 'Start signing in again' }),
      ).toBeVisible()
      await expectAccessible(newcomer)
    } finally {
      await context.close()
    }

    await page.goto('/admin/sign-in')
    await page.getByRole('button', { name: 'Remove Demo Council Entra' }).click()
    await expect(page.getByText('The identity provider is removed')).toBeVisible()
  } finally {
    await provider.stop()
  }
})
