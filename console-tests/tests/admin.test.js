// Administration in the console, as a director does it: a new colleague is
// added (a taken username refused beside the field, what was typed kept),
// their temporary password shown once; they sign in, are made to set their
// own first; the director disables them, resets their password, and reads
// each change in the audit log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;
const USERNAME = `wang${Date.now()}`;
let temporary;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('a director adds a colleague, refused beside the field first, and sees the temporary password once', () =>
  withPage(browser, 'admin-create', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/admin`);
    await page.waitForSelector('#staff-create');
    assert.ok(await page.locator('#admin tr[data-username=tech]').count(), 'the staff are listed');

    await page.fill('#staff-create [name=username]', 'tech');
    await page.fill('#staff-create [name=name]', '王小明');
    await page.selectOption('#staff-create [name=role]', 'technician');
    await page.check('#staff-create [name=estate][value=e-sunshine]');
    await page.click('#staff-create button[type=submit]');
    const error = page.locator('#staff-create [data-error-for=username]');
    await assert.doesNotReject(error.waitFor());
    assert.match(await error.textContent(), /用户名已被使用/);
    assert.equal(await page.inputValue('#staff-create [name=name]'), '王小明', 'what was typed is kept');

    await page.fill('#staff-create [name=username]', USERNAME);
    await page.click('#staff-create button[type=submit]');
    temporary = (await page.locator('#temporary-password code').textContent()).trim();
    assert.ok(temporary.length >= 8, 'a temporary password is shown');
    const row = page.locator(`#admin tr[data-username="${USERNAME}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'must_change_password');
    assert.match(await row.locator('.state').textContent(), /须修改密码/, "the state in core's words");
  }));

test('the colleague must set their own password before anything else', () =>
  withPage(browser, 'admin-first-sign-in', async (page) => {
    assert.ok(temporary, 'the first test made the account');
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#login-form');
    await page.fill('#login-form [name=username]', USERNAME);
    await page.fill('#login-form [name=password]', temporary);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#new-password-form');
    assert.equal(await page.locator('#nav').getAttribute('hidden'), '', 'nothing else before the new password');

    await page.fill('#new-password-form [name=new_password]', 'short');
    await page.fill('#new-password-form [name=again]', 'short');
    await page.click('#new-password-form button[type=submit]');
    await assert.doesNotReject(page.locator('#new-password-form [data-error-for=new_password]:has-text("8")').waitFor());

    await page.fill('#new-password-form [name=new_password]', 'wang-own-pass');
    await page.fill('#new-password-form [name=again]', 'wang-own-pass');
    await page.click('#new-password-form button[type=submit]');
    await page.waitForSelector('#nav:not([hidden])');
    assert.equal(await page.locator('[data-nav=admin]').isVisible(), false, 'a technician has no administration');
  }));

test('the director disables the colleague, resets their password, and reads it all in the audit log', () =>
  withPage(browser, 'admin-disable-reset-audit', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/admin`);
    const row = () => page.locator(`#admin tr[data-username="${USERNAME}"]`);
    await row().waitFor();
    await row().locator('form[data-action=disable] button').click();
    await page.waitForSelector(`#admin tr[data-username="${USERNAME}"][data-state=disabled]`);

    await row().locator('form[data-action=reset-password] button').click();
    const shown = (await page.locator('#temporary-password code').textContent()).trim();
    assert.ok(shown.length >= 8 && shown !== temporary, 'a new temporary password');

    await row().locator('button', { hasText: '修改' }).click();
    await page.selectOption('.staff-edit [name=role]', 'security');
    await page.click('.staff-edit button[type=submit]');
    await page.waitForSelector(`#admin tr[data-username="${USERNAME}"] .role:has-text("秩序维护")`);

    const actions = await page.locator('#audit-log tbody tr').evaluateAll((rows) => rows.slice(0, 5).map((r) => r.dataset.action));
    assert.deepEqual(actions, ['staff_changed', 'password_reset', 'staff_disabled', 'password_changed', 'staff_created']);
    const top = await page.locator('#audit-log tbody tr').first().textContent();
    assert.match(top, /修改员工资料/);
    assert.match(top, /刘洋/);
    assert.ok(!(await page.locator('#audit-log').textContent()).includes(shown), 'no password in the log');
  }));
