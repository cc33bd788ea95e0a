// Reception refuses (拒收) a completed record at the desk: an empty reason is
// refused beside the field, and once given, the order is back at work with
// the reason beside its status on reception's list, where whoever calls the
// resident or sends it back out reads it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('a record refused at the desk shows why on reception’s list', () =>
  withPage(browser, 'refusal-reason', async (page) => {
    await signIn(page, 'reception');
    const refusable = page.locator('#reception-lists tr:has(form[data-action=refuse])').first();
    await refusable.waitFor();
    const id = await refusable.getAttribute('data-id');
    const row = page.locator(`#reception-lists tr[data-id="${id}"]`);
    assert.equal(await row.locator('.reason').count(), 0, 'no reason before it is refused');

    await row.locator('form[data-action=refuse] button[type=submit]').click();
    const error = row.locator('[data-error-for=reason]:not(:empty)');
    await assert.doesNotReject(error.waitFor());

    const reason = `缺少业主签字 e2e ${Date.now()}`;
    await row.locator('form[data-action=refuse] [name=reason]').fill(reason);
    await row.locator('form[data-action=refuse] button[type=submit]').click();
    await page.waitForSelector(`#reception-lists tr[data-id="${id}"][data-status=in_progress]`);
    assert.equal(await page.locator(`#reception-lists tr[data-id="${id}"] .reason`).textContent(), reason);
  }));
