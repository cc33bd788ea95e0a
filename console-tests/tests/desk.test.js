// The front desk's work log in the office: today's shift with its entries,
// an entry added (refused beside the field when a matter passed on names no
// department), the handover listing every open item, the supervisor taking
// over part of it, what was not accepted marked on the day's log; and the
// departments' status reports due, per department, the overdue one marked.

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

test('today’s shift is logged, handed over with every open item and taken over; reports due per department', () =>
  withPage(browser, 'desk', async (page) => {
    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/desk`);
    const log = page.locator('#desk-log[data-status=open]');
    await log.waitFor();
    const dayId = await log.getAttribute('data-id');
    assert.match(await log.textContent(), /快递员/);
    assert.match(await log.locator('tr[data-outcome=pending]').textContent(), /物业费/);

    // Engineering never reported on last week's lift: overdue on its list.
    const engineering = page.locator('#reports-due [data-department=engineering]');
    const lift = engineering.locator('tr', { hasText: '电梯' });
    assert.equal(await lift.getAttribute('data-overdue'), 'true');
    assert.match(await lift.textContent(), /部门通报逾期/);
    assert.equal(await page.locator('#reports-due [data-department=cleaning] tr[data-overdue=false]').count(), 1);

    // A matter passed on must name its department; the text typed stays.
    await page.selectOption('#entry-form [name=kind]', 'matter');
    await page.fill('#entry-form [name=summary]', '5栋地下室积水');
    await page.selectOption('#entry-form [name=outcome]', 'passed_on');
    await page.click('#entry-form button[type=submit]');
    await page.locator('#entry-form [data-error-for=department]:not(:empty)').waitFor();
    assert.equal(await page.inputValue('#entry-form [name=summary]'), '5栋地下室积水');
    await page.selectOption('#entry-form [name=department]', 'engineering');
    await page.click('#entry-form button[type=submit]');
    const water = log.locator('tr', { hasText: '5栋地下室积水' });
    await water.waitFor();
    assert.ok(await water.locator('.deadline').count(), 'its report is due');
    await engineering.locator('tr', { hasText: '5栋地下室积水' }).waitFor();

    // The handover lists every item still open: the call, two matters.
    const open = page.locator('.open-items li');
    assert.equal(await open.count(), 3);
    await page.fill('#hand-over-form [name=note]', '积水请工程部跟进');
    await page.click('#hand-over-form button[type=submit]');
    await page.locator('#desk-log[data-status=handed_over]').waitFor();
    assert.equal(await page.locator('.outstanding li').count(), 3);
    assert.equal(await page.locator('#take-over-form').count(), 0, 'not by the one handing over');

    // The supervisor takes over the two matters, not the call.
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/desk/${dayId}`);
    const form = page.locator('#take-over-form');
    await form.waitFor();
    assert.equal(await form.locator('input[name=accepted]').count(), 3);
    await form.locator('li', { hasText: '物业费' }).locator('input').uncheck();
    await form.locator('button[type=submit]').click();
    const carried = page.locator('#carried li');
    await carried.first().waitFor();
    assert.equal(await carried.count(), 2);
    assert.match(await page.locator('#carried').textContent(), /5栋地下室积水/);

    // The day's log keeps the call nobody accepted.
    await page.goto(`${BASE}/#/desk/${dayId}`);
    await page.locator('#desk-log[data-status=taken_over]').waitFor();
    const call = page.locator('.outstanding li', { hasText: '物业费' });
    assert.match(await call.textContent(), /未被接班接收/);
  }));
