import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

/** Plans one lived-experience audit of a Children in Need South case: Ben Taylor leads, Amira Khan co-audits. */
async function planAudit(page: Page): Promise<string> {
  await signIn(page, 'lead@demo.test')
  await page.goto(
    '/programme/plan?cycle=2027-03&template=lived-experience&dueDate=2027-03-31&mode=hand&perTeam=1&seed=co',
  )
  const row = page.getByRole('row', { name: /Children in Need South/ }).first()
  await row.getByRole('checkbox').check()
  await row.getByLabel(/^Lead auditor for case/).selectOption({ label: 'Ben Taylor' })
  await row.getByLabel(/^Co-auditor for case/).selectOption({ label: 'Amira Khan' })
  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'March 2027' })).toBeVisible()
  await page.getByRole('table', { name: 'Audits' }).getByRole('link').first().click()
  await expect(page.getByText('Ben Taylor, Lead auditor')).toBeVisible()
  await expect(page.getByText('Amira Khan, Co-auditor')).toBeVisible()
  return new URL(page.url()).pathname
}

test('two auditors complete one audit together, live; the lead submits and both see it read-only', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000)
  const auditPath = await planAudit(page)

  const ben = await openPageAsAnotherUser(browser)
  await signIn(ben, 'auditor2@demo.test')
  await ben.goto(`${auditPath}/form`)
  const amira = await openPageAsAnotherUser(browser)
  await signIn(amira, 'auditor@demo.test')
  await amira.goto(`${auditPath}/form`)

  for (const p of [ben, amira]) await expect(p.getByRole('status')).toHaveText('Saved')
  await expect(ben.getByText('Also here: Amira Khan')).toBeVisible()
  await expect(amira.getByText('Also here: Ben Taylor')).toBeVisible()
  await expectAccessible(ben)

  // Ben answers a question; Amira sees it. Amira types; Ben sees the words.
  for (const p of [ben, amira]) {
    await expect(p.getByText('Scheduled', { exact: true })).toBeVisible()
  }
  const seenAlone = (p: Page) => p.getByRole('group', { name: 'Was the child seen alone?' })
  await seenAlone(ben).getByLabel('Yes', { exact: true }).check()
  await expect(seenAlone(amira).getByLabel('Yes', { exact: true })).toBeChecked()
  // The first edit stored starts the audit: both pages say so without reloading.
  for (const p of [ben, amira]) {
    await expect(p.getByText('In progress', { exact: true })).toBeVisible()
  }
  const firstReason = (p: Page) => p.getByLabel('Why have you made this judgement?').first()
  await firstReason(amira).click()
  await expect(ben.getByText('Amira Khan is here')).toBeVisible()
  await firstReason(amira).pressSequentially('Seen alone at school on 3 March.')
  await expect(firstReason(ben)).toHaveValue('Seen alone at school on 3 March.')
  await expect(amira.getByRole('status')).toHaveText('Saved')

  // Undo takes back only your own edit.
  await seenAlone(amira).getByLabel('No', { exact: true }).check()
  await expect(seenAlone(ben).getByLabel('No', { exact: true })).toBeChecked()
  await amira.getByRole('button', { name: 'Undo' }).click()
  await expect(seenAlone(ben).getByLabel('Yes', { exact: true })).toBeChecked()
  await expect(firstReason(ben)).toHaveValue('Seen alone at school on 3 March.')

  // Submitting too early lists what is missing, each linked to its question.
  await ben.getByRole('button', { name: 'Submit the audit' }).click()
  const summary = ben.getByRole('alert')
  await expect(summary).toContainText('The audit cannot be submitted yet')
  await expect(summary.getByRole('link', { name: /Choose the overall grade/ })).toBeVisible()
  await expectAccessible(ben)

  // Ben completes the rest.
  for (const group of await ben.locator('fieldset').all()) {
    const radios = group.getByRole('radio')
    if ((await radios.count()) > 0 && !(await group.locator('input:checked').count()))
      await radios.nth(1).check()
  }
  for (const box of await ben.locator('textarea').all()) {
    if ((await box.inputValue()) === '') await box.fill('Evidenced in the record.')
  }
  await expect(ben.getByRole('status')).toHaveText('Saved')
  await ben.getByRole('button', { name: 'Submit the audit' }).click()
  await expect(ben.getByRole('heading', { name: 'Overall grade' })).toBeVisible()
  await expect(ben.getByText('Submitted', { exact: true })).toBeVisible()
  await expect(ben.getByRole('button', { name: 'Submit the audit' })).toHaveCount(0)
  await expect(ben.getByText('Seen alone at school on 3 March.')).toBeVisible()
  await expectAccessible(ben)
  // Amira's page turns into the read-only report by itself.
  await expect(amira.getByText('Submitted', { exact: true })).toBeVisible({ timeout: 10_000 })
  await expect(amira.getByRole('textbox')).toHaveCount(0)
})
