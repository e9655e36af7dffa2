import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

/** Plans one lived-experience audit of a Children with Disabilities case, led by Amira Khan. */
async function planAudit(page: Page): Promise<string> {
  await signIn(page, 'lead@demo.test')
  await page.goto(
    '/programme/plan?cycle=2027-05&template=lived-experience&dueDate=2027-05-31&mode=hand&perTeam=1&seed=moderation',
  )
  const row = page.getByRole('row', { name: /Children with Disabilities/ }).first()
  await row.getByRole('checkbox').check()
  await row.getByLabel(/^Lead auditor for case/).selectOption({ label: 'Amira Khan' })
  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'May 2027' })).toBeVisible()
  await page.getByRole('table', { name: 'Audits' }).getByRole('link').first().click()
  await expect(page.getByText('Amira Khan, Lead auditor')).toBeVisible()
  return new URL(page.url()).pathname
}

/** The lead auditor answers every question (every grade Good) and submits. */
async function completeAndSubmit(page: Page, auditPath: string): Promise<void> {
  await page.goto(`${auditPath}/form`)
  await expect(page.getByRole('status')).toHaveText('Saved')
  for (const group of await page.locator('fieldset').all()) {
    const radios = group.getByRole('radio')
    if ((await radios.count()) > 0 && !(await group.locator('input:checked').count()))
      await radios.nth(1).check()
  }
  for (const box of await page.locator('textarea').all()) {
    if ((await box.inputValue()) === '') await box.fill('Evidenced in the record.')
  }
  await expect(page.getByRole('status')).toHaveText('Saved')
  await page.getByRole('button', { name: 'Submit the audit' }).click()
  await expect(page.getByText('Submitted', { exact: true })).toBeVisible()
}

test('a moderator lowers a grade with a reason while the auditor follows the discussion live; the auditor sees the outcome', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000)
  const auditPath = await planAudit(page)
  const caseRef = (await page.getByRole('heading', { level: 1 }).textContent())?.replace(
    'Case ',
    '',
  )

  const amira = await openPageAsAnotherUser(browser)
  await signIn(amira, 'auditor@demo.test')
  await completeAndSubmit(amira, auditPath)

  // The audit waits in Maria's queue; she picks it up.
  const maria = await openPageAsAnotherUser(browser)
  await signIn(maria, 'moderator@demo.test')
  await maria.goto('/moderation')
  const waiting = maria.getByRole('table', { name: /Waiting for moderation/ })
  await expect(waiting.getByRole('link', { name: caseRef ?? '' })).toBeVisible()
  await expectAccessible(maria)
  await waiting.getByRole('link', { name: caseRef ?? '' }).click()
  await expect(maria.getByRole('heading', { level: 1, name: `Case ${caseRef}` })).toBeVisible()
  await expect(maria.getByText('Sampled', { exact: true })).toBeVisible()
  await expectAccessible(maria)
  await maria.getByRole('button', { name: 'Start moderating' }).click()
  await expect(maria.getByRole('heading', { level: 1, name: `Case ${caseRef}` })).toBeVisible()
  await expect(maria.getByRole('status')).toHaveText('Saved')

  // Amira opens the workspace from her audit and sees Maria there.
  await amira.goto(auditPath)
  await amira.getByRole('link', { name: 'Open the moderation workspace' }).click()
  await expect(amira.getByText('Also here: Maria Santos')).toBeVisible()
  await expect(maria.getByText('Also here: Amira Khan')).toBeVisible()
  await expectAccessible(amira)

  // Maria agrees every judgement but the overall grade, which she lowers with a reason.
  for (const agree of await maria.getByLabel('Agree', { exact: true }).all()) await agree.check()
  const overall = maria.locator('#q-overall')
  await overall.getByLabel('Change it').check()
  await overall.getByLabel('Requires improvement to be good').check()
  await overall.getByLabel('Why change it?').fill('The plan has no timescales.')
  await overall.getByLabel('Add a comment').fill('Can you point me to the plan’s timescales?')
  await overall.getByRole('button', { name: 'Add comment' }).click()
  await maria.getByLabel('What went well, and what to do differently').fill('Clear analysis.')
  await expectAccessible(maria)

  // Amira watches: the decision and the question arrive live; she answers in the thread.
  const amiraOverall = amira.locator('#q-overall')
  await expect(amiraOverall.getByText('Can you point me to the plan’s timescales?')).toBeVisible()
  await expect(
    amiraOverall.getByText(
      /Changed to Requires improvement to be good — The plan has no timescales/,
    ),
  ).toBeVisible()
  await amiraOverall.getByLabel('Add a comment').fill('They are in the review notes, not the plan.')
  await amiraOverall.getByRole('button', { name: 'Add comment' }).click()
  await expect(overall.getByText('They are in the review notes, not the plan.')).toBeVisible()
  // Amira can comment but not decide.
  await expect(amira.getByLabel('Agree', { exact: true })).toHaveCount(0)
  await expect(amira.getByRole('status')).toHaveText('Saved')
  await expect(maria.getByRole('status')).toHaveText('Saved')

  await maria.getByRole('button', { name: 'Record the decision' }).click()
  await expect(maria.getByText('The moderation decision is recorded.')).toBeVisible()
  await expect(maria.getByText('Moderated', { exact: true })).toBeVisible()
  await expectAccessible(maria)
  // The calibration page counts it: in May 2027 one overall grade, lowered one step.
  await maria.goto('/calibration?from=2027-05&to=2027-05')
  await expect(maria.locator('.app-counts')).toContainText(
    'Overall grades lowered1by 1 step in all',
  )
  await expectAccessible(maria)

  // Amira's workspace turns read-only by itself; her report shows both grades and the feedback.
  await expect(amira.getByLabel('Add a comment')).toHaveCount(0, { timeout: 10_000 })
  await amira.goto(`${auditPath}/form`)
  await expect(amira.getByText('Moderated by Maria Santos')).toBeVisible()
  await expect(
    amira.getByText(
      /Overall grade: Requires improvement to be good \(the auditor graded it Good\)/,
    ),
  ).toBeVisible()
  await expect(amira.getByText('Clear analysis.')).toBeVisible()
  await expect(amira.getByText('Moderator’s reason: The plan has no timescales.')).toBeVisible()
  await expectAccessible(amira)

  // She disputes it once; the lead resolves it, finally.
  await amira.goto(auditPath)
  await amira.getByLabel('Dispute the moderation decision').fill('The timescales are recorded.')
  await amira.getByRole('button', { name: 'Dispute the decision' }).click()
  await expect(
    amira.getByText('Your dispute has gone to a practice-improvement lead.'),
  ).toBeVisible()
  await expect(amira.getByRole('button', { name: 'Dispute the decision' })).toHaveCount(0)
  await page.goto('/moderation/disputes')
  await expectAccessible(page)
  await page.getByRole('link', { name: caseRef ?? '' }).click()
  await page.getByRole('button', { name: 'Record the resolution' }).click()
  await expect(
    page.getByText('Choose whether the moderator’s decision stands').first(),
  ).toBeVisible()
  await page.getByLabel('The moderator’s decision stands').check()
  await page.getByLabel('Your reasons').fill('Timescales belong in the plan itself.')
  await page.getByRole('button', { name: 'Record the resolution' }).click()
  await expect(page.getByText('The dispute is resolved.')).toBeVisible()
  await expectAccessible(page)
})

test('a guessed workspace address is not found, and a moderator cannot set the sample', async ({
  page,
}) => {
  await signIn(page, 'moderator@demo.test')
  const response = await page.goto('/audits/00000000-0000-4000-8000-000000000000/moderate')
  expect(response?.status()).toBe(404)
  const forbidden = await page.goto('/moderation/policy')
  expect(forbidden?.status()).toBe(403)
  await expect(
    page.getByRole('heading', { name: 'You do not have permission to see this page' }),
  ).toBeVisible()
})
