import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

/** Plans one lived-experience audit of a Leaving Care case in June 2027, led by Ben Taylor. */
async function planAudit(page: Page): Promise<string> {
  await signIn(page, 'lead@demo.test')
  await page.goto(
    '/programme/plan?cycle=2027-06&template=lived-experience&dueDate=2027-06-30&mode=hand&perTeam=1&seed=learn',
  )
  const row = page.getByRole('row', { name: /Leaving Care/ }).first()
  await row.getByRole('checkbox').check()
  await row.getByLabel(/^Lead auditor for case/).selectOption({ label: 'Ben Taylor' })
  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'June 2027' })).toBeVisible()
  await page.getByRole('table', { name: 'Audits' }).getByRole('link').first().click()
  await expect(page.getByText('Ben Taylor, Lead auditor')).toBeVisible()
  return new URL(page.url()).pathname
}

test('an auditor tags themes as they write; the lead sees them counted, without names', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000)
  const auditPath = await planAudit(page)
  const ben = await openPageAsAnotherUser(browser)
  await signIn(ben, 'auditor2@demo.test')
  await ben.goto(`${auditPath}/form`)
  await expect(ben.getByRole('status')).toHaveText('Saved')

  // Writing a strength suggests a theme from its words; Ben adds it.
  const strengths = ben.getByLabel('What is working well?').first()
  await strengths.fill('Kacper was seen alone and his wishes and feelings are recorded.')
  const firstThemes = ben.getByRole('group', { name: 'Learning themes of this answer' }).first()
  await expect(
    firstThemes.getByText('Voice of the child: matched “wishes and feelings”, “seen alone”'),
  ).toBeVisible()
  await expectAccessible(ben)
  await firstThemes.getByRole('button', { name: 'Add Voice of the child' }).click()
  await expect(firstThemes.getByLabel('Voice of the child')).toBeChecked()
  await expect(firstThemes.getByRole('button', { name: 'Add Voice of the child' })).toHaveCount(0)

  // A suggestion he dismisses goes, and stays gone; a theme he ticks himself is kept.
  const development = ben.getByLabel('What needs to improve?').first()
  await development.fill('There is no chronology of the visits.')
  const secondThemes = ben.getByRole('group', { name: 'Learning themes of this answer' }).nth(1)
  await secondThemes.getByRole('button', { name: 'Not this one for Chronology' }).click()
  await expect(secondThemes.getByRole('button', { name: 'Add Chronology' })).toHaveCount(0)
  await expect(secondThemes.getByLabel('Chronology')).not.toBeChecked()
  await secondThemes.getByLabel('Management oversight').check()
  await expect(ben.getByRole('status')).toHaveText('Saved')

  // Everything else, then submit.
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
  await expect(ben.getByText('Themes: Voice of the child')).toBeVisible()
  await expect(ben.getByText('Themes: Management oversight')).toBeVisible()

  // The lead sees June's themes: one audit with voice of the child as a strength; the excerpt
  // without the child's name.
  await page.goto('/themes?from=2027-06&to=2027-06')
  await expectAccessible(page)
  const voice = page.getByRole('row', { name: /Voice of the child/ })
  await expect(voice.getByRole('cell').nth(1)).toHaveText('1')
  await voice.getByRole('link', { name: 'Voice of the child' }).click()
  await expect(
    page.getByText('[name] was seen alone and his wishes and feelings are recorded.'),
  ).toBeVisible()
  await expect(page.getByText('Kacper')).toHaveCount(0)
  await expectAccessible(page)
})
