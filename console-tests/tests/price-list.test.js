// The company's price list (价目表) on the director's rules page: items are
// added and retired, never edited, so quotes already made keep their price;
// a bad item is refused beside its field with what was typed kept. A paid
// job's order page shows the lines it was quoted from.

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

async function call(page, path) {
  return page.evaluate(async (path) => {
    const { token } = JSON.parse(sessionStorage.getItem('rounds.console'));
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    return res.json();
  }, path);
}

test('the director adds an item to the price list, is refused a code used twice, and retires the item', () =>
  withPage(browser, 'price-list', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/company`);
    const lock = page.locator('#price-list tr[data-item="P-07"]');
    await lock.waitFor();
    assert.match(await lock.textContent(), /更换门锁锁芯.*¥150\.00/);
    assert.match(await page.locator('#price-list tr[data-item="P-08"]').textContent(), /面议/);

    const code = `P-E2E-${Date.now() % 100000}`;
    const form = '#price-item-form';
    await page.fill(`${form} [name=id]`, 'P-07');
    await page.fill(`${form} [name=name_zh]`, '更换马桶盖');
    await page.fill(`${form} [name=name_en]`, 'Replace a toilet seat');
    await page.fill(`${form} [name=unit]`, '个');
    await page.fill(`${form} [name=price_yuan]`, '25');
    await page.click(`${form} button[type=submit]`);
    const refused = page.locator(`${form} [data-error-for="id"]`);
    await refused.locator('text=/项目编号重复/').waitFor();
    assert.match(await refused.textContent(), /the code is used twice/);
    assert.equal(await page.inputValue(`${form} [name=name_zh]`), '更换马桶盖', 'what was typed is kept');
    let rules = await call(page, '/v1/company/rules');
    assert.equal(rules.rules.price_list.filter((p) => p.name_zh === '更换马桶盖').length, 0, 'nothing was saved');

    await page.fill(`${form} [name=id]`, code);
    await page.click(`${form} button[type=submit]`);
    const added = page.locator(`#price-list tr[data-item="${code}"]`);
    await added.waitFor();
    assert.match(await added.textContent(), /更换马桶盖.*¥25\.00/);

    await added.locator('button.retire').click();
    await page.locator(`#price-list tr[data-item="${code}"]:has-text("已停用")`).waitFor();
    rules = await call(page, '/v1/company/rules');
    const item = rules.rules.price_list.find((p) => p.id === code);
    assert.equal(item.price_fen, 2500);
    assert.ok(item.retired_at > 0, 'retired, not removed');
  }));

test('a paid job quoted from the list shows its lines on the order page', () =>
  withPage(browser, 'quote-lines', async (page) => {
    await signIn(page, 'reception');
    const orders = await call(page, '/v1/orders?estate=e-sunshine');
    const tap = (orders.rows ?? orders).find((o) => (o.title ?? '').includes('更换厨房水龙头'));
    assert.ok(tap, 'the demo keeps last month’s tap job');
    await page.goto(`${BASE}/#/order/${tap.id}`);
    const lines = page.locator('#order-quote-lines');
    await lines.waitFor();
    const text = await lines.textContent();
    assert.match(text, /P-01 更换水龙头\(人工\) ¥40\.00 × 1次/);
    assert.match(text, /P-02 水龙头\(普通\) ¥60\.00 × 1个/);
  }));
