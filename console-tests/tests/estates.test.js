// A director sets up an estate from the office's sheet in the console: the
// preview lists the bad row with its error by column and saves nothing;
// importing with the bad row skipped builds the tree; a form refuses a
// duplicate name beside the field and keeps what was typed; a unit opens its
// resident file, which an order's page also links to.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;
const ESTATE = `测试苑 ${Date.now()}`;
const SHEET = `楼栋,单元,房号,业主姓名,电话,是否空置
1栋,1单元,101,王芳,13800138000,否
1栋,1单元,102,赵六,1234,
1栋,2单元,201,,,是
`;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

async function chooseSheet(page) {
  await page.setInputFiles('#import-form [name=file]', {
    name: 'units.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(SHEET, 'utf8'),
  });
}

test('a director imports a sheet: bad rows listed and nothing saved, then applied skipping them', () =>
  withPage(browser, 'estate-import', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/estates`);
    await page.fill('#new-estate [name=name]', ESTATE);
    await page.click('#new-estate button[type=submit]');
    await page.waitForSelector(`#estate-name:has-text("${ESTATE}")`);

    await page.goto(`${BASE}/#/import`);
    await chooseSheet(page);
    await page.click('#import-form button[type=submit]');
    const bad = page.locator('#import-result tr[data-outcome=bad]');
    await bad.waitFor();
    assert.equal(await bad.getAttribute('data-row'), '3');
    assert.match(await bad.locator('[data-column=phone]').textContent(), /电话.*1234/);
    assert.equal(await page.locator('#import-result tr[data-outcome=created]').count(), 2);
    assert.match(await page.textContent('#import-notice'), /尚未保存/);

    await page.goto(`${BASE}/#/estates`);
    await page.waitForSelector('#estate-name');
    assert.equal(await page.locator('#buildings .building').count(), 0, 'the preview saved nothing');

    await page.goto(`${BASE}/#/import`);
    await chooseSheet(page);
    await page.click('#import-form button[type=submit]');
    await page.click('#import-skip');
    await page.waitForSelector('#import-notice:has-text("已导入")');

    await page.goto(`${BASE}/#/estates`);
    await page.waitForSelector('#buildings .building');
    const units = await page.locator('#buildings tr[data-unit] a').allTextContents();
    assert.deepEqual(units, ['101', '201']);

    // A second building of the same name is refused beside the field, as typed.
    await page.fill('form[data-action=add-building] [name=name]', '1栋');
    await page.click('form[data-action=add-building] button[type=submit]');
    const err = page.locator('form[data-action=add-building] [data-error-for=name]');
    await page.waitForFunction(() => document.querySelector('form[data-action=add-building] [data-error-for=name]')?.textContent);
    assert.match(await err.textContent(), /已有楼栋/);
    assert.equal(await page.inputValue('form[data-action=add-building] [name=name]'), '1栋');

    await page.click('#buildings tr[data-unit] a:text-is("101")');
    await page.waitForSelector('#unit-title:has-text("1栋 1单元 101")');
    assert.match(await page.textContent('#residents'), /王芳.*13800138000/);
  }));

test("an order's unit opens the unit's resident file, with the order in its history", () =>
  withPage(browser, 'resident-file', async (page) => {
    await signIn(page, 'reception');
    await page.waitForSelector('#reception-lists tr[data-id]');
    const orderId = await page.locator('#reception-lists tr[data-id]').first().getAttribute('data-id');
    await page.goto(`${BASE}/#/order/${orderId}`);
    await page.click('a.unit-file');
    await page.waitForSelector('#unit-title');
    assert.ok(await page.locator(`tr[data-id="${orderId}"][data-kind=work_order]`).count(), 'the order is in the unit history');
    // Reception takes residents' calls, so their phones are shown.
    assert.equal(await page.locator('#residents .personal.hidden').count(), 0);
  }));
