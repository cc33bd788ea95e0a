// Each person's home page opens on what is theirs to do (我的待办): the
// records assigned to them that are late or due by tonight, late first,
// never a colleague's. Reception's late phone revisit, once recorded at the
// revisit desk, leaves the list and the count of late work drops by one.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

const lateCount = async (page) => {
  const text = await page.locator('#my-work-summary').textContent();
  return Number(/已逾期 (\d+) 项/.exec(text)[1]);
};

test('reception sees its own late and due work, and a revisit done leaves it', () =>
  withPage(browser, 'my-work', async (page) => {
    await signIn(page, 'reception');
    await page.waitForSelector('#my-work-summary');
    const late = page.locator('#my-work tr.late');
    const lateBefore = await lateCount(page);
    assert.equal(await late.count(), lateBefore, 'the summary counts the late rows');
    const revisitRow = page.locator('#my-work tr.late[data-kind=revisit]').first();
    const revisit = await revisitRow.getAttribute('data-id');
    assert.ok(revisit, "the demo's complaint revisit owed by the desk is late");
    const mine = await page.locator('#my-work tr[data-id]').evaluateAll((rows) => rows.map((r) => r.dataset.id));

    // The estate's revisit desk lists colleagues' in-person visits due too:
    // none of them is on reception's own list.
    await revisitRow.locator('a').click();
    await page.waitForSelector(`#revisits-due tr[data-id="${revisit}"]`);
    const others = await page
      .locator('#revisits-due tr[data-method=in_person]')
      .evaluateAll((rows) => rows.map((r) => r.dataset.id));
    assert.ok(others.length > 0, 'the demo has in-person visits due for the assistant and the director');
    for (const id of others) assert.ok(!mine.includes(id), `${id} is someone else's`);

    const row = page.locator(`#revisits-due tr[data-id="${revisit}"]`);
    await row.locator('[name=satisfaction]').selectOption('satisfied');
    await row.locator('[name=comments]').fill('已回访 e2e');
    await row.locator('button[type=submit]').click();
    await page.waitForFunction((id) => !document.querySelector(`#revisits-due tr[data-id="${id}"]`), revisit);

    await page.goto(`${BASE}/#/reception`);
    await page.waitForSelector('#my-work-summary');
    assert.equal(await page.locator(`#my-work tr[data-id="${revisit}"]`).count(), 0, 'done, so no longer waiting');
    assert.equal(await lateCount(page), lateBefore - 1);
  }));
