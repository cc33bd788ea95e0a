// Company customers in the office: reception registers a large customer
// handed over a year ago, refused beside the date while it is not one; the
// customer page shows the on-site revisit due today and the next phone call,
// and the list shows the on-site one as its next revisit.

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

/** A year before today in Shanghai, as the date input writes it. */
function aYearAgo() {
  const today = new Date(Date.now() + 8 * 3600 * 1000);
  today.setUTCFullYear(today.getUTCFullYear() - 1);
  return today.toISOString().slice(0, 10);
}

test('a large customer registered in the office has its yearly visit due and its phone calls planned', () =>
  withPage(browser, 'customers', async (page) => {
    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/customers`);
    const form = page.locator('#customer-form');
    await form.waitFor();
    const name = `锦江酒店 ${Date.now()}`;
    await form.locator('[name=name]').fill(name);
    await form.locator('[name=tier]').selectOption('large');
    await form.locator('[name=premises]').fill('3号楼裙楼');
    await form.locator('[name=contact_name]').fill('周经理');
    await form.locator('[name=contact_phone]').fill('13500135000');
    await form.locator('[name=manager]').selectOption('s-assistant');
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=handover_date]:not(:empty)').waitFor();

    await form.locator('[name=handover_date]').fill(aYearAgo());
    await form.locator('button[type=submit]').click();
    const visits = page.locator('#customer-visits tr[data-revisit]');
    await visits.first().waitFor();
    assert.match(await page.locator('h1').textContent(), /大客户/);
    assert.equal(await visits.count(), 2);
    assert.match(await visits.nth(0).textContent(), /上门/);
    assert.match(await visits.nth(1).textContent(), /电话/);
    assert.match(await page.locator('#customer').textContent(), /周经理/);

    await page.goto(`${BASE}/#/customers`);
    const row = page.locator('#customers tr[data-customer]', { hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /大客户/);
    assert.match(await row.textContent(), /上门/);
  }));
