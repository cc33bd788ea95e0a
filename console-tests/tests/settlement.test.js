// Paid services in the office: last month's settlement for finance, per
// estate and technician, with its CSV; a job still owed is opened from it
// and its fee recorded at the revisit, refused beside the field when it is
// more than was charged, and once taken it is settled and cannot be taken
// again.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('the month’s settlement lists each technician’s paid jobs and a fee owed is taken at the revisit', () =>
  withPage(browser, 'settlement', async (page) => {
    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/settlement`);
    const line = page.locator('#settlement tr[data-estate=e-sunshine][data-technician=s-tech]');
    await line.waitFor();
    assert.match(await line.textContent(), /张伟/);
    const total = page.locator('#settlement tr[data-total]');
    assert.match(await total.textContent(), /合计/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^\uFEFF月份 month,小区 estate,维修人员 technician/);
    assert.match(csv, /张伟 \(s-tech\)/);
    assert.match(csv, /合计 total/);

    // The job still owed in 阳光花园 (the demo's clothes rack).
    const owed = page.locator('#owed tr[data-owed]', { hasText: '阳光花园' }).first();
    const id = await owed.getAttribute('data-owed');
    await owed.locator('a').click();
    await page.waitForSelector('#fee-form');
    assert.match(await page.locator('#order-fee').textContent(), /未收/);

    await page.fill('#fee-form [name=collected_fen]', '999');
    await page.fill('#fee-form [name=receipt_no]', `SJ-e2e-${Date.now()}`);
    await page.click('#fee-form button[type=submit]');
    await assert.doesNotReject(page.locator('#fee-form [data-error-for=collected_fen]:not(:empty)').waitFor());

    await page.fill('#fee-form [name=collected_fen]', '170');
    await page.selectOption('#fee-form [name=method]', 'wechat');
    await page.click('#fee-form button[type=submit]');
    await page.waitForSelector('#order-fee:has-text("¥170.00")');
    assert.match(await page.locator('#order-fee').textContent(), /微信支付/);
    assert.equal(await page.locator('#fee-form').count(), 0, 'a fee is recorded once');

    await page.goto(`${BASE}/#/settlement`);
    await page.locator('#settlement tr[data-total]').waitFor();
    assert.equal(await page.locator(`#owed tr[data-owed="${id}"]`).count(), 0, 'no longer owed');
  }));
