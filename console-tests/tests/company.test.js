// The director's page on the company's rules: a setting the rules refuse is
// refused beside its field with what was typed kept and nothing saved; a
// valid change is saved, and the deadline of a request registered after it
// follows it where the office shows one. The rules are put back after.

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

async function call(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const { token } = JSON.parse(sessionStorage.getItem('rounds.console'));
      const res = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === null ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    [method, path, body ?? null],
  );
}

test('the director changes the rules: an invalid value is refused beside its field, a valid one sets new deadlines', () =>
  withPage(browser, 'company-rules', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/company`);
    await page.waitForSelector('#rules-form');
    const days = '#rules-form [name="repairs.standard_working_days"]';
    const dispatch = '#rules-form [name="complaints.dispatch"]';
    assert.equal(await page.inputValue(days), '3', "the manuals' three working days");
    // Each setting carries core's words.
    assert.match(await page.locator('#rules-form').textContent(), /一般维修期限/);

    await page.fill(days, '10');
    await page.fill(dispatch, '0h');
    await page.click('#rules-form button[type=submit]');
    const refused = page.locator('#rules-form [data-error-for="complaints.dispatch"]');
    await refused.locator('text=/必须大于零/').waitFor();
    assert.match(await refused.textContent(), /must be greater than zero/);
    assert.equal(await page.inputValue(dispatch), '0h', 'what was typed is kept');
    assert.equal(await page.inputValue(days), '10');
    const unchanged = await call(page, 'GET', '/v1/company/rules');
    assert.equal(unchanged.body.rules.repairs.standard_working_days, 3, 'nothing was saved');

    await page.fill(dispatch, '12h');
    await page.click('#rules-form button[type=submit]');
    await page.waitForSelector('#company-notice:has-text("已保存")');
    try {
      const received = Date.now();
      const order = await call(page, 'POST', '/v1/orders', {
        estate_id: 'e-sunshine',
        unit_id: 'e-sunshine-1-1-101',
        resident_name: '钱先生',
        phone: '13812345678',
        content: `门框松动 rules e2e ${received}`,
        category: 'general',
        emergency: false,
        received_at: received,
      });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      await page.goto(`${BASE}/#/order/${order.body.id}`);
      const shown = await page.locator('#order-deadline').textContent();
      const due = new Date(shown.replace(' ', 'T')).getTime();
      // Ten working days span two weekends at least: twelve days or more;
      // the manuals' three would be five at most in December.
      assert.ok(due - received > 12 * 86_400_000, `the deadline ${shown} follows the ten working days`);
    } finally {
      const back = await call(page, 'PUT', '/v1/company/rules', {
        rules: { repairs: { standard_working_days: 3 } },
      });
      assert.equal(back.status, 200, JSON.stringify(back.body));
    }
  }));

test('a calendar the rules refuse is refused beside the calendar, the one in force kept', () =>
  withPage(browser, 'company-calendar', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/company`);
    await page.waitForSelector('#calendar-form');
    const years = await page.locator('#calendar-years').textContent();
    const year = new Date().getFullYear();
    const bad = {
      name: 'x',
      years: [year],
      makeup_workdays: [{ date: `${year}-12-02`, name_zh: '调休' }],
    };
    // December 2nd that is a weekday is no make-up working day.
    const weekday = [1, 2, 3, 4, 5].includes(new Date(`${year}-12-02T12:00:00`).getDay());
    if (!weekday) bad.makeup_workdays[0].date = `${year}-12-04`;
    await page.fill('#calendar-form textarea', JSON.stringify(bad));
    await page.click('#calendar-form button[type=submit]');
    const refused = page.locator('#calendar-form [data-error-for="calendar"]');
    await refused.locator('text=/不是周六或周日/').waitFor();
    await page.fill('#calendar-form textarea', '{ not json');
    await page.click('#calendar-form button[type=submit]');
    await refused.locator('text=/JSON/').waitFor();
    await page.goto(`${BASE}/#/company`);
    await page.waitForSelector('#calendar-years');
    assert.equal(await page.locator('#calendar-years').textContent(), years, 'the calendar in force is kept');
  }));
