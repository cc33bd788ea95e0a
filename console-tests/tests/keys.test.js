// Residents' keys in custody in the office: the register with each key's
// next weekly check (the overdue one marked), one key with its use signed
// by both sides on their phones, its checks and its loans; the desk lends a
// key against an ID, and a guard sees the loan but never the ID number nor
// the resident's name.

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

test('the key register shows each check due, one key in full, and lends against an ID hidden from the guard', () =>
  withPage(browser, 'keys', async (page) => {
    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/keys`);
    await page.locator('#keys tr[data-id]').first().waitFor();
    // The demo's key whose weekly check was missed is marked overdue.
    const late = page.locator('#keys tr[data-overdue=true]');
    assert.equal(await late.count(), 1);
    assert.match(await late.locator('.deadline').textContent(), /超时/);
    assert.ok(await late.locator('.deadline.overdue').count());

    // The key used once: both sides signed the use and its resealing.
    const used = page.locator('#keys tr[data-status=in_custody]', { hasText: '2 把' });
    await used.locator('a').click();
    const use = page.locator('#uses tr[data-status=resealed]');
    await use.waitFor();
    assert.match(await use.locator('.use-status').textContent(), /封存/);
    assert.match(await use.locator('td[data-step=approve][data-side=property]').textContent(), /陈晨/);
    assert.match(await use.locator('td[data-step=approve][data-side=security]').textContent(), /孙强/);
    assert.match(await use.locator('td[data-step=reseal][data-side=security]').textContent(), /孙强/);
    assert.match(await page.locator('#key-facts .resident').textContent(), /王女士/);
    assert.ok((await page.locator('#checks tr[data-id]').count()) >= 4, 'weekly checks listed');

    // Reception lends it: an ID number is asked for, beside its field.
    await page.fill('#lend-form [name=borrower]', '王女士之子');
    await page.click('#lend-form button[type=submit]');
    await page.locator('#lend-form [data-error-for=id_number]:not(:empty)').waitFor();
    assert.equal(await page.inputValue('#lend-form [name=borrower]'), '王女士之子', 'what was typed is kept');
    await page.fill('#lend-form [name=id_number]', '110101199001011234');
    await page.click('#lend-form button[type=submit]');
    await page.locator('#key-facts .status', { hasText: '已外借' }).waitFor();
    const loan = page.locator('#loans tr[data-id]');
    assert.match(await loan.locator('.id-number').textContent(), /110101199001011234/);
    const keyUrl = page.url();

    // The guard sees the key lent, not who borrowed it nor the ID number.
    await signIn(page, 'security');
    await page.goto(keyUrl);
    await page.locator('#loans tr[data-id]').waitFor();
    const seen = await page.locator('#loans').textContent();
    assert.doesNotMatch(seen, /110101199001011234|王女士之子/);
    assert.match(await page.locator('#loans .id-number').textContent(), /不显示/);
    assert.match(await page.locator('#key-facts .resident').textContent(), /不显示/);
    assert.equal(await page.locator('#lend-form').count(), 0, 'a guard does not lend');
    assert.equal(await page.locator('.return-loan').count(), 0);

    // Back at the desk, the key is returned and the loan closed.
    await signIn(page, 'reception');
    await page.goto(keyUrl);
    await page.click('#loans .return-loan');
    await page.locator('#key-facts .status', { hasText: '封存在箱' }).waitFor();
    assert.match(await page.locator('#loans tr[data-id]').textContent(), /李静/);

    // Last month's report counts the keys held and their checks.
    await page.goto(`${BASE}/#/report`);
    const keys = page.locator('#key-figures');
    await keys.waitFor();
    assert.ok(Number(await keys.locator('.figure-value').textContent()) >= 1);
    assert.match(await keys.textContent(), /核对 checks \d+ · 逾期 late \d+/);
  }));
