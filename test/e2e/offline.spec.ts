import { expect, test, type Page, type WebSocketRoute } from '@playwright/test'
import { expectAccessible, openPageAsAnotherUser, signIn } from './helpers'

const OFFLINE = 'Offline — your changes will be sent when the connection returns'

/**
 * Plans one lived-experience audit, for April 2027, of a Children in Care 1 case not audited before
 * (co-auditing.spec.ts plans March 2027 in Children in Need South, so the two never share an audit;
 * a repeat of this test takes the next case): Amira Khan leads, Ben Taylor co-audits.
 */
async function planAudit(page: Page): Promise<string> {
  await signIn(page, 'lead@demo.test')
  await page.goto(
    '/programme/plan?cycle=2027-04&template=lived-experience&dueDate=2027-04-30&mode=hand&perTeam=1&seed=offline',
  )
  const row = page
    .getByRole('row', { name: /Children in Care 1/ })
    .filter({ hasNotText: 'last audited' })
    .first()
  const caseRef = (await row.getByRole('rowheader').innerText()).split('\n')[0]!.trim()
  await row.getByRole('checkbox').check()
  await row.getByLabel(/^Lead auditor for case/).selectOption({ label: 'Amira Khan' })
  await row.getByLabel(/^Co-auditor for case/).selectOption({ label: 'Ben Taylor' })
  await page.getByRole('button', { name: 'Plan these audits' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'April 2027' })).toBeVisible()
  await page
    .getByRole('table', { name: 'Audits' })
    .getByRole('link', { name: caseRef, exact: true })
    .click()
  await expect(page.getByText('Amira Khan, Lead auditor')).toBeVisible()
  await expect(page.getByText('Ben Taylor, Co-auditor')).toBeVisible()
  return new URL(page.url()).pathname
}

/**
 * Passes the page's sync websockets through Playwright, so that the test can lose the network under
 * them (Chromium's offline emulation, context.setOffline, leaves an open websocket open). A cut
 * closes the page's end as a lost network does (1006, abnormal closure) and the server's end (as the
 * server notices a dead connection); while cut, every attempt to reconnect is refused before it opens.
 */
async function cuttableSync(page: Page) {
  let online = true
  let refused = 0
  const open: { page: WebSocketRoute; server: WebSocketRoute }[] = []
  await page.routeWebSocket(/\/sync\//, (ws) => {
    if (!online) {
      refused += 1
      void ws.close({ code: 1006, reason: 'network lost' })
      return
    }
    const server = ws.connectToServer()
    // Closing one end closes the other, as without the route; a cut closes each end itself (1006 is
    // not a code a browser's close() accepts, so it cannot be passed on to the server's end).
    ws.onClose((code, reason) => {
      if (online) void server.close({ code, reason })
    })
    server.onClose((code, reason) => {
      if (online) void ws.close({ code, reason })
    })
    open.push({ page: ws, server })
  })
  return {
    refused: () => refused,
    async cut() {
      online = false
      for (const ends of open.splice(0)) {
        await ends.page.close({ code: 1006, reason: 'network lost' })
        await ends.server.close()
      }
    },
    restore() {
      online = true
    },
  }
}

test('an auditor who loses the connection keeps editing; the page reconnects by itself and the server gets the edits', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000)
  const auditPath = await planAudit(page)

  const ben = await openPageAsAnotherUser(browser)
  await signIn(ben, 'auditor2@demo.test')
  await ben.goto(`${auditPath}/form`)
  const amira = await openPageAsAnotherUser(browser)
  const sync = await cuttableSync(amira)
  await signIn(amira, 'auditor@demo.test')
  await amira.goto(`${auditPath}/form`)
  for (const p of [ben, amira]) await expect(p.getByRole('status')).toHaveText('Saved')
  await expect(amira.getByText('Also here: Ben Taylor')).toBeVisible()
  // Marks this page (in memory: a reload would clear it), to tell it came back without a reload.
  await amira.evaluate(() => Object.assign(window, { notReloaded: true }))

  await sync.cut()
  await expect(amira.getByRole('status')).toHaveText(OFFLINE)
  await expect(amira.getByText('Nobody else is in this audit.')).toBeVisible()
  await expect(ben.getByText('Nobody else is in this audit.')).toBeVisible()
  await expectAccessible(amira)

  // Amira keeps working while offline; her answers stay on the page, and Ben cannot have them yet.
  const wishes = (p: Page) => p.getByRole('region', { name: "2. The child's wishes and feelings" })
  const advocate = (p: Page) =>
    wishes(p).getByRole('group', { name: /^Was the child offered an advocate/ })
  const workingWell = (p: Page) => wishes(p).getByLabel(/^What is working well\?/)
  await advocate(amira).getByLabel('Yes', { exact: true }).check()
  await workingWell(amira).pressSequentially('Her words about school are quoted on 4 April.')
  await expect(workingWell(amira)).toHaveValue('Her words about school are quoted on 4 April.')
  // The page keeps trying, and stays offline while each attempt is refused.
  await expect.poll(sync.refused).toBeGreaterThanOrEqual(2)
  await expect(amira.getByRole('status')).toHaveText(OFFLINE)
  await expect(advocate(ben).getByLabel('Yes', { exact: true })).not.toBeChecked()
  await expect(workingWell(ben)).toHaveValue('')

  // The network returns: the next attempt (at most the 10-second cap away) sends what the server lacks.
  sync.restore()
  await expect(amira.getByRole('status')).toHaveText('Saved', { timeout: 15_000 })
  expect(await amira.evaluate(() => 'notReloaded' in window)).toBe(true)
  await expect(advocate(ben).getByLabel('Yes', { exact: true })).toBeChecked()
  await expect(workingWell(ben)).toHaveValue('Her words about school are quoted on 4 April.')
  await expect(amira.getByText('Also here: Ben Taylor')).toBeVisible()

  // Stored, not only passed on: a fresh page loads the edits from the server.
  await ben.reload()
  await expect(ben.getByRole('status')).toHaveText('Saved')
  await expect(advocate(ben).getByLabel('Yes', { exact: true })).toBeChecked()
  await expect(workingWell(ben)).toHaveValue('Her words about school are quoted on 4 April.')
  await amira.context().close()
  await ben.context().close()
})
