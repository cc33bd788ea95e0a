// A new company in the console, on a server that `rounds-server init` has
// just given its first director and nothing else (no demo): the director
// creates the estate, imports its units from the office's sheet (the bad
// row listed, nothing saved, then left out), imports the staff list (each
// new person's temporary password shown once), publishes a checklist; the
// new technician sets their own password at the first sign-in; their phone
// then signs in and syncs the estate's units and the checklist.
// Run by scripts/test.d/40-console.sh with ROUNDS_BASE, DIRECTOR,
// DIRECTOR_PASSWORD and DEVICE_SIM set.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;

const UNITS = `楼栋,单元,房号,业主姓名,电话
1栋,1单元,101,张伟,13800000001
1栋,1单元,102,李娜,1234
1栋,2单元,201,王芳,13800000003
`;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

const sheet = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('from an empty server to a technician whose phone holds the estate', () =>
  withPage(browser, 'new-company', async (page) => {
    await signIn(page, process.env.DIRECTOR, process.env.DIRECTOR_PASSWORD);

    await page.goto(`${BASE}/#/estates`);
    await page.fill('#new-estate [name=name]', '翠湖苑');
    await page.click('#new-estate button[type=submit]');
    await page.waitForSelector('#estate-name:has-text("翠湖苑")');
    const estate = (await page.textContent('#estate-name')).match(/\((.+)\)/)[1];

    // The units: the bad phone listed by its column, nothing saved, then left out.
    await page.goto(`${BASE}/#/import`);
    await page.setInputFiles('#import-form [name=file]', sheet('units.csv', UNITS));
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('#import-result tr[data-outcome=bad] [data-column=phone]');
    await page.click('#import-skip');
    await page.waitForSelector('#import-notice:has-text("已导入")');
    await page.goto(`${BASE}/#/estates`);
    await page.waitForSelector('#buildings .building');
    assert.deepEqual(await page.locator('#buildings tr[data-unit] a').allTextContents(), ['101', '201']);

    // The staff list.
    await page.goto(`${BASE}/#/admin`);
    await page.setInputFiles('#import-form [name=file]', sheet('staff.csv', `用户名,姓名,岗位,小区\nwangshifu,王师傅,维修工,${estate}\nchenjing,陈静,前台,${estate}\n`));
    await page.click('#import-form button[type=submit]');
    await page.click('#import-apply');
    const temporary = await page.locator('#import-result tr[data-imported=wangshifu] code.password').textContent();
    await page.waitForSelector('#admin tr[data-staff][data-username=wangshifu]');

    // A checklist from the manuals' own.
    await page.goto(`${BASE}/#/templates`);
    await page.selectOption('#template-start', { index: 1 });
    await page.click('#new-template button[type=submit]');
    await page.waitForSelector('#template-version:has-text("第1版")');

    // The technician's first sign-in asks for their own password first.
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    await page.fill('#login-form [name=username]', 'wangshifu');
    await page.fill('#login-form [name=password]', temporary);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#new-password-form');
    const password = 'Wang-shifu-8';
    await page.fill('#new-password-form [name=new_password]', password);
    await page.fill('#new-password-form [name=again]', password);
    await page.click('#new-password-form button[type=submit]');
    await page.waitForSelector('#nav:not([hidden])');

    // Their phone signs in and syncs the estate.
    const out = execFileSync(process.env.DEVICE_SIM, ['--base', BASE, '--user', 'wangshifu', '--password', password], { encoding: 'utf8' });
    assert.match(out, /holds 2 units and 1 checklists/);
  }));
