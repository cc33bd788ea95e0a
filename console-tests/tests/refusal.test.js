// Reception refuses (拒收) a record the technician's phone completed: an
// empty reason is refused beside the field, and once given, the order is
// back at work with the reason beside its status on reception's list, where
// whoever calls the resident or sends it back out reads it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('a record refused at the desk shows why on reception’s list', () =>
  withPage(browser, 'refusal-reason', async (page) => {
    const content = `门锁失灵 e2e ${Date.now()}`;
    await signIn(page, 'reception');
    await page.waitForSelector('#intake');
    await page.selectOption('#intake [name=unit_id]', { label: '2-2-302' });
    await page.fill('#intake [name=resident_name]', '张伟');
    await page.fill('#intake [name=phone]', '13912345678');
    await page.selectOption('#intake [name=category]', 'door_lock');
    await page.fill('#intake [name=content]', content);
    await page.click('#intake button[type=submit]');
    const registered = page.locator('#reception-lists tr', { hasText: content });
    await registered.waitFor();
    const id = await registered.getAttribute('data-id');
    await registered.locator('[name=assignee]').selectOption('s-tech');
    await registered.locator('form[data-action=dispatch] button').click();
    await page.waitForSelector(`#reception-lists tr[data-id="${id}"][data-status=dispatched]`);

    // The technician's phone does the work but forgets the resident's signature.
    const out = execFileSync(process.env.DEVICE_SIM, ['--base', BASE, '--order', id, '--unsigned'], { encoding: 'utf8' });
    assert.match(out, /unsigned/);
    await page.reload();
    const row = page.locator(`#reception-lists tr[data-id="${id}"]`);
    await row.locator('form[data-action=refuse]').waitFor();
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
