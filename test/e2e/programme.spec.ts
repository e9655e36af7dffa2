import { expect, test } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

test('a lead plans a cycle from a random sample, and the assigned auditor sees it in My audits', async ({
  page,
  browser,
}) => {
  await signIn(page, 'lead@demo.test')
  await page.getByRole('link', { name: 'Programme', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Audit programme' })).toBeVisible()
  await expectAccessible(page)

  await page.getByRole('button', { name: 'Plan a cycle' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Plan a cycle' })).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Month (YYYY-MM)').fill('2027-01')
  await page
    .getByLabel('Template')
    .selectOption({ label: "The child's lived experience and voice (version 1)" })
  await page.getByLabel('Due date (YYYY-MM-DD)').fill('2027-01-29')
  await page.getByLabel('Draw a random sample').check()
  await page.getByLabel('Children in Need North (Children in need)').check()
  await page.getByLabel('Cases per team (random sample)').fill('2')
  await page.getByLabel('Seed').fill('board-demo')
  await page.getByRole('button', { name: 'Show cases' }).click()

  await expect(
    page.getByText('Random sample for January 2027 with seed board-demo: 2 cases.'),
  ).toBeVisible()
  await expectAccessible(page)
  const rows = page.getByRole('table').getByRole('row')
  const caseRefs = (await rows.getByRole('rowheader').allInnerTexts()).map((text) =>
    text.split('\n')[0]!.trim(),
  )
  expect(caseRefs).toHaveLength(2)
  // Amira Khan works in Children in Need North, so she is never offered these cases.
  for (const select of await page.getByLabel(/^Lead auditor for case/).all()) {
    await expect(select.locator('option', { hasText: 'Amira Khan' })).toHaveCount(0)
    await expect(select).toHaveValue(/.+/)
    await select.selectOption({ label: 'Ben Taylor' })
  }

  // The same seed draws the same cases.
  const again = await openPageAsAnotherUser(browser)
  await signIn(again, 'lead@demo.test')
  await again.goto(page.url())
  // Compared without whitespace: innerText's line breaks depend on layout, which one page may
  // not have finished when it is read (CI once saw "100300Children in Need North").
  const headers = async (p: typeof page) =>
    (await p.getByRole('table').getByRole('rowheader').allTextContents()).map((t) =>
      t.replace(/\s+/g, ''),
    )
  expect(await headers(again)).toEqual(await headers(page))
  await again.close()

  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'January 2027' })).toBeVisible()
  await expect(page.getByText('2 audits have been planned and assigned.')).toBeVisible()
  await expect(page.getByRole('row', { name: /Children in Need North/ }).first()).toContainText('0')
  await expectAccessible(page)

  const auditor = await openPageAsAnotherUser(browser)
  await signIn(auditor, 'auditor2@demo.test')
  const myAudits = auditor.getByRole('table', { name: 'Audits assigned to you' })
  for (const ref of caseRefs) {
    await expect(myAudits.getByRole('row', { name: new RegExp(ref) })).toContainText('January 2027')
  }
  await expectAccessible(auditor)
  await myAudits.getByRole('link', { name: caseRefs[0] }).click()
  await expect(
    auditor.getByRole('heading', { level: 1, name: `Case ${caseRefs[0]}` }),
  ).toBeVisible()
  await expectAccessible(auditor)
  // Another auditor, not assigned, is told the audit does not exist.
  const auditUrl = auditor.url()
  const outsider = await openPageAsAnotherUser(browser)
  await signIn(outsider, 'health.auditor@demo.test')
  const response = await outsider.goto(auditUrl)
  expect(response?.status()).toBe(404)
  await outsider.close()
  await auditor.close()
})

test('a lead cancels an audit with a reason, and a wrong input changes nothing', async ({
  page,
}) => {
  await signIn(page, 'lead@demo.test')
  await page.goto(
    '/programme/plan?cycle=2027-02&template=supervision&dueDate=2027-02-26&mode=hand&perTeam=1&seed=x',
  )
  await page
    .getByLabel(/^Audit case/)
    .first()
    .check()
  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'February 2027' })).toBeVisible()
  await page.getByRole('table', { name: 'Audits' }).getByRole('link').first().click()
  await page.getByRole('button', { name: 'Cancel audit' }).click()
  await expect(page.getByRole('alert').first()).toContainText('Enter why the audit is cancelled')
  await expectAccessible(page)
  await page.getByLabel('Why is it cancelled?').fill('Case transferred to another authority')
  await page.getByRole('button', { name: 'Cancel audit' }).click()
  await expect(page.getByText('The audit has been cancelled.')).toBeVisible()
  await expect(page.getByText('Case transferred to another authority')).toBeVisible()
})

test('historical audits import: a bad file is refused whole with every problem, a good one imports', async ({
  page,
}) => {
  await signIn(page, 'lead@demo.test')
  await page.getByRole('link', { name: 'Import', exact: true }).click()
  await expect(
    page.getByRole('heading', { level: 1, name: 'Import historical audits' }),
  ).toBeVisible()
  await expectAccessible(page)
  const header =
    'audit_ref,cycle,template,case_ref,service,team,status,auditor_grade,moderated_grade,lived_experience,strength_based,management_oversight,reflective_supervision,supervision_standards,themes'
  const bad = `${header}\nH-1,2025-13,lived-experience,100100,cin,cin-north,submitted,good,,consistently,,,,,\nH-2,2025-04,lived-experience,=cmd(),cin,cin-north,submitted,good,,consistently,,,,,\n`
  await page
    .getByLabel('Upload a CSV file')
    .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
  await page.getByRole('button', { name: 'Import audits' }).click()
  await expect(page.getByRole('alert').first()).toContainText('so nothing was imported')
  const problems = page.getByRole('table', { name: /problems in the file/ })
  await expect(problems.getByRole('row', { name: /cycle/ })).toContainText('2')
  await expect(problems.getByRole('row', { name: /case_ref/ })).toContainText('3')
  await expectAccessible(page)

  const good = `\uFEFF${header}\r\nH-1,2025-04,lived-experience,100100,cin,cin-north,moderated,good,requires-improvement,consistently,,,,,voice-of-the-child\r\n`
  await page
    .getByLabel('Upload a CSV file')
    .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
  await page.getByRole('button', { name: 'Import audits' }).click()
  await expect(page.getByText('1 audit created and 0 updated.')).toBeVisible()
  await expectAccessible(page)
  // The same file again updates the audit it created.
  await page
    .getByLabel('Upload a CSV file')
    .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
  await page.getByRole('button', { name: 'Import audits' }).click()
  await expect(page.getByText('0 audits created and 1 updated.')).toBeVisible()
})

test('a lead sets how long a case is left out of random samples', async ({ page }) => {
  await signIn(page, 'lead@demo.test')
  await page.goto('/programme')
  const months = page.getByLabel('Never draw a case audited within this many months')
  await months.fill('forty')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter a number of months')
  await expectAccessible(page)
  await page.getByLabel('Never draw a case audited within this many months').fill('4')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByLabel('Never draw a case audited within this many months')).toHaveValue(
    '4',
  )
  await page.goto('/programme/plan')
  await expect(page.getByText('Cases audited in the last 4 months are never drawn.')).toBeVisible()
})
