import { expect, test } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

const DAY_MS = 24 * 60 * 60 * 1000

test('an auditor agrees an action with the practitioner, who records it done; the lead sees it closed', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000)
  const description = `Add the child’s own words to the plan (${Date.now()})`
  const evidence = 'The plan now quotes the child on what makes school hard.'
  const dueDate = new Date(Date.now() + 14 * DAY_MS).toISOString().slice(0, 10)

  // Priya's home: the audit of her case that was submitted last month.
  await signIn(page, 'practitioner@demo.test')
  const ownAudits = page.getByRole('table', { name: 'Audits of your cases' })
  await expect(ownAudits).toBeVisible()
  const reportLink = ownAudits.getByRole('link', { name: /: read the audit report$/ }).first()
  const caseRef = (await reportLink.textContent())?.replace(': read the audit report', '') ?? ''
  expect(caseRef).toMatch(/^\d+$/)
  await expectAccessible(page)

  // Ben Taylor led that audit: he finds it among his audits and agrees an action.
  const ben = await openPageAsAnotherUser(browser)
  await signIn(ben, 'auditor2@demo.test')
  await ben
    .getByRole('table', { name: 'Audits assigned to you' })
    .getByRole('link', { name: caseRef, exact: true })
    .click()
  await ben.getByRole('link', { name: 'Actions and reflection' }).click()
  await expect(ben.getByRole('heading', { level: 1, name: 'Actions and reflection' })).toBeVisible()
  await expect(ben.getByLabel('Owner').locator('option:checked')).toHaveText(
    'Priya Shah (case worker)',
  )
  await expectAccessible(ben)

  // A wrong form says what is wrong, and agrees nothing.
  await ben.getByLabel('Due date').fill('2027-02-30')
  await ben.getByRole('button', { name: 'Agree the action' }).click()
  const problems = ben.getByRole('alert')
  await expect(problems).toContainText('Enter what will be done')
  await expect(problems).toContainText('Enter the due date as YYYY-MM-DD')
  await expectAccessible(ben)

  await ben.getByLabel('What will be done').fill(description)
  await ben.getByLabel('Due date').fill(dueDate)
  await ben.getByRole('button', { name: 'Agree the action' }).click()
  await expect(ben.getByText('The action is agreed.')).toBeVisible()
  const agreed = ben.locator('.govuk-summary-card', { has: ben.getByText(description) })
  await expect(agreed.locator('.govuk-tag')).toHaveText('Open')
  await expect(agreed.getByText('Priya Shah')).toBeVisible()
  await expectAccessible(ben)

  // Priya sees it on her home page, with this month's digest, and records it done.
  await page.reload()
  await expect(page.getByText(/^This month: \d+ due, \d+ overdue, \d+ done$/)).toBeVisible()
  const row = page
    .getByRole('table', { name: 'Actions agreed with you' })
    .getByRole('row', { name: new RegExp(description.replace(/[()]/g, '\\$&')) })
  await expect(row.getByText('Open', { exact: true })).toBeVisible()
  await expectAccessible(page)
  await row.getByRole('link', { name: new RegExp(`^Case ${caseRef}`) }).click()
  await expect(
    page.getByRole('heading', { level: 1, name: 'Actions and reflection' }),
  ).toBeVisible()
  const card = page.locator('.govuk-summary-card', { has: page.getByText(description) })
  await card.getByRole('button', { name: 'Record as done' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter what changed')
  await expectAccessible(page)
  await card.getByLabel('What changed?').fill(evidence)
  await card.getByRole('button', { name: 'Record as done' }).click()
  await expect(page.getByText('The action is recorded done.')).toBeVisible()
  await expect(card.locator('.govuk-tag')).toHaveText('Done')
  await expect(card.getByText(evidence)).toBeVisible()
  await expectAccessible(page)

  // The lead sees it closed, with its evidence, and in the download.
  const leah = await openPageAsAnotherUser(browser)
  await signIn(leah, 'lead@demo.test')
  await leah.getByRole('link', { name: 'Actions', exact: true }).first().click()
  await expect(leah.getByRole('heading', { level: 1, name: 'Actions' })).toBeVisible()
  await expect(leah.getByRole('table', { name: /^Open actions by team and ageing/ })).toBeVisible()
  await expectAccessible(leah)
  await leah.getByLabel('State').selectOption({ label: 'Done' })
  await leah.getByRole('button', { name: 'Apply filters' }).click()
  const done = leah.getByRole('table', { name: /^Done since/ })
  const closed = done.getByRole('row', { name: new RegExp(caseRef) }).filter({ hasText: evidence })
  await expect(closed).toContainText(description)
  await expect(closed).toContainText('Priya Shah')
  await expect(leah.getByRole('table', { name: /^Open and overdue actions/ })).toHaveCount(0)
  await expectAccessible(leah)

  const download = await leah.request.get('/actions.csv?state=done')
  expect(download.headers()['content-type']).toContain('text/csv')
  const csv = await download.text()
  expect(csv.split('\r\n')[0]).toBe(
    'case_ref,template,month,team,action,owner,due_date,state,days_overdue,completed_at,completed_by,what_changed',
  )
  expect(csv).toContain(evidence)
})

test('the actions page is for leads', async ({ page }) => {
  await signIn(page, 'practitioner@demo.test')
  const response = await page.goto('/actions')
  expect(response?.status()).toBe(403)
  expect((await page.request.get('/actions.csv')).status()).toBe(403)
})
