// The director imports the office's staff list on the administration
// page: the preview lists a bad row by its column and saves nothing; the
// import leaving it out makes the accounts, shows each new person's
// temporary password once, and the staff table lists them.

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

test('the staff list is imported with a preview, its bad row left out, and temporary passwords shown once', () =>
  withPage(browser, 'staff-import', async (page) => {
    const stamp = Date.now();
    const csv = [
      '用户名,姓名,岗位,小区',
      `imp-a-${stamp},导入甲,维修工,e-sunshine`,
      `imp-b-${stamp},导入乙,厨师,e-sunshine`,
    ].join('\n');
    const file = { name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

    await signIn(page, 'director');
    await page.goto(`${process.env.ROUNDS_BASE ?? 'http://127.0.0.1:8080'}/#/admin`);
    await page.waitForSelector('#import-form');
    await page.setInputFiles('#import-form input[type=file]', file);
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('#import-result tr[data-outcome=bad]');
    assert.match(await page.locator('#import-result tr[data-outcome=bad] [data-column=role]').textContent(), /岗位|Role/);
    assert.equal(await page.locator(`#admin tr[data-staff][data-username="imp-a-${stamp}"]`).count(), 0, 'the preview saved nothing');

    await page.click('#import-skip');
    await page.waitForSelector(`#import-result tr[data-imported="imp-a-${stamp}"] code.password`);
    assert.equal(await page.locator('#import-result tr[data-imported] code.password').count(), 1, 'one new account, one password');
    await page.waitForSelector(`#admin tr[data-staff][data-username="imp-a-${stamp}"]`);
    assert.match(await page.locator(`#admin tr[data-staff][data-username="imp-a-${stamp}"] .department`).textContent(), /工程部/, "a technician is in engineering");
    assert.equal(await page.locator(`#admin tr[data-staff][data-username="imp-b-${stamp}"]`).count(), 0, 'the bad row made no account');
  }));
