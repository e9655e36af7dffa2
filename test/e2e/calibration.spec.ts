import fs from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import { addMonths, cycleOf, formatCycle } from '../../shared/programme'
import { expectAccessible, signIn } from './helpers'

// The demo history (db/seed.ts) is the same on every start: its audits sit in the two months
// before this one, and its answers and decisions come from a fixed seed, so its figures are fixed.
const lastMonth = addMonths(cycleOf(new Date()), -1)
const olderMonth = addMonths(cycleOf(new Date()), -2)

const CSV_HEADER =
  'dimension,group,audits,judgements_moderated,judgements_agreed,judgements_changed,judgements_lowered,judgements_raised,judgements_steps_lowered,judgements_steps_raised,judgements_agreement_percent,overall_moderated,overall_agreed,overall_changed,overall_lowered,overall_raised,overall_steps_lowered,overall_steps_raised,overall_agreement_percent'

async function expectDemoHistory(page: Page) {
  await expect(page.getByRole('heading', { level: 1, name: 'Calibration' })).toBeVisible()
  const headline = page.locator('.app-counts')
  await expect(headline).toContainText('Judgements agreed94.2%244 of 259')
  await expect(headline).toContainText('Overall grades agreed78.9%15 of 19 audits')
  await expect(headline).toContainText('Overall grades lowered3by 4 steps in all')
  await expect(headline).toContainText('Overall grades raised1by 1 step in all')

  const chart = page.getByRole('img', {
    name: 'Moderators’ decisions on each lead auditor’s judgements',
  })
  await expect(chart).toBeVisible()
  await expect(chart).toHaveAccessibleDescription(
    'Amira Khan: 126 agreed, 10 lowered, 0 raised. Ben Taylor: 118 agreed, 2 lowered, 3 raised.',
  )
  const byAuditor = page.getByRole('table', {
    name: 'Moderated judgements and overall grades by lead auditor',
  })
  await expect(byAuditor.getByRole('row', { name: /Amira Khan/ })).toHaveText(
    /^Amira Khan\s*10\s*136\s*126\s*10\s*11 steps\s*0\s*92\.6%\s*7\s*3\s*4 steps\s*0\s*70\.0%$/,
  )
  await expect(byAuditor.getByRole('row', { name: /Ben Taylor/ })).toContainText('95.9%')
  const lowered = page.getByRole('table', { name: /share of their judgements lowered/ })
  await expect(lowered.getByRole('row').nth(1)).toContainText('Amira Khan')
  await expect(lowered.getByRole('row').nth(2)).toContainText('Ben Taylor')
  const byMonth = page.getByRole('table', {
    name: 'Moderated judgements and overall grades by month',
  })
  await expect(
    byMonth.getByRole('row', { name: new RegExp(formatCycle(olderMonth)) }),
  ).toBeVisible()
  await expect(byMonth.getByRole('row', { name: new RegExp(formatCycle(lastMonth)) })).toBeVisible()
}

test('a moderator sees the calibration of the demo history, filters it by month and downloads it', async ({
  page,
}) => {
  await signIn(page, 'moderator@demo.test')
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Calibration' })
    .click()
  await expectDemoHistory(page)
  await expectAccessible(page)

  await page.getByLabel('From', { exact: true }).selectOption({ label: formatCycle(olderMonth) })
  await page.getByLabel('To', { exact: true }).selectOption({ label: formatCycle(olderMonth) })
  await page.getByRole('button', { name: 'Show these months' }).click()
  await expect(page).toHaveURL(new RegExp(`from=${olderMonth}&to=${olderMonth}`))
  await expect(page.locator('.app-counts')).toContainText('92.7%178 of 192')
  const byMonth = page.getByRole('table', {
    name: 'Moderated judgements and overall grades by month',
  })
  await expect(byMonth.getByRole('row')).toHaveCount(3)
  await expect(byMonth.getByRole('row').nth(2)).toContainText(formatCycle(olderMonth))
  await expectAccessible(page)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as CSV' }).click(),
  ])
  expect(download.suggestedFilename()).toBe(`calibration-${olderMonth}-to-${olderMonth}.csv`)
  const lines = (await fs.readFile(await download.path(), 'utf8')).split('\r\n')
  expect(lines[0]).toBe(CSV_HEADER)
  expect(lines).toContain(`cycle,${olderMonth},14,192,178,14,11,3,12,3,92.7,14,10,4,3,1,4,1,71.4`)
  expect(lines.filter((line) => line.startsWith('cycle,'))).toHaveLength(1)

  // Months with nothing moderated say so.
  await page.goto('/calibration?from=2020-01&to=2020-03')
  await expect(page.getByText('Nothing has been moderated in these months.')).toBeVisible()
  await expect(page.getByRole('img')).toHaveCount(0)
  await expectAccessible(page)

  // A range that runs backwards is explained, not guessed at.
  await page.goto(`/calibration?from=${lastMonth}&to=${olderMonth}`)
  await expect(page.getByRole('alert')).toContainText(
    'The first month must be the same as or before the last month',
  )
  await expectAccessible(page)
})

test('a lead sees the same figures; an auditor is refused the page and the CSV', async ({
  page,
}) => {
  await signIn(page, 'lead@demo.test')
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Calibration' })
    .click()
  await expectDemoHistory(page)
  await expectAccessible(page)
  const csv = await page.request.get('/calibration.csv')
  expect(csv.status()).toBe(200)
  expect(csv.headers()['content-type']).toContain('text/csv')
  expect((await csv.text()).split('\r\n')[0]).toBe(CSV_HEADER)

  await page.getByRole('button', { name: 'Sign out' }).click()
  await signIn(page, 'auditor@demo.test')
  await expect(page.getByRole('link', { name: 'Calibration', exact: true })).toHaveCount(0)
  const refused = await page.goto('/calibration')
  expect(refused?.status()).toBe(403)
  await expect(
    page.getByRole('heading', { name: 'You do not have permission to see this page' }),
  ).toBeVisible()
  await expectAccessible(page)
  expect((await page.request.get('/calibration.csv')).status()).toBe(403)
})
