// Checklist templates in the console: a supervisor starts a template from
// one of the manuals' checklists, is told beside the field what is missing,
// then drafts the next version (renames, reorders, removes and adds items),
// is told beside the line that a new item has no words, and publishes it
// as version 2, with version 1 still readable as it was. An inspection's
// page says which version it was made on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;
const NAME = `5号楼空置房巡查 ${Date.now()}`;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

const titles = (page, selector) =>
  page.$$eval(selector, (inputs) => inputs.map((i) => i.value));

test('a supervisor authors a template and publishes its second version', () =>
  withPage(browser, 'template-authoring', async (page) => {
    await signIn(page, 'supervisor');
    await page.click('#nav a[data-nav=templates]');
    await page.waitForSelector('#templates tr[data-id]');
    assert.match(await page.locator('#templates').textContent(), /楼宇巡查表.*第1版/s);

    // Start from the manuals' vacant-unit checklist, without a name.
    await page.selectOption('#template-start', { label: '空置房单元巡查记录表 Vacant-unit patrol' });
    await page.fill('#new-template [name=name_zh]', '');
    const kept = await titles(page, '#new-template .items-editor input[name$=".title_zh"]');
    assert.equal(kept[0], '门窗关闭完好');
    await page.click('#new-template button[type=submit]');
    await assert.doesNotReject(page.locator('#new-template [data-error-for=name_zh]:not(:empty)').waitFor());
    assert.deepEqual(await titles(page, '#new-template .items-editor input[name$=".title_zh"]'), kept, 'the items are kept');

    await page.fill('#new-template [name=name_zh]', NAME);
    await page.click('#new-template button[type=submit]');
    await page.waitForSelector('#template-version:has-text("第1版")');
    assert.match(await page.locator('h1').textContent(), new RegExp(NAME));

    // The draft of version 2: rename the first, move the third up, remove
    // the last, and add one left blank at first.
    const draft = page.locator('#draft');
    await draft.locator('[name="items[0].title_zh"]').fill('门窗关闭完好,玻璃无破损');
    await draft.locator('tbody tr').nth(2).locator('button.up').click();
    await draft.locator('tbody tr').last().locator('button.remove').click();
    await draft.locator('button.add-item').click();
    const count = await draft.locator('tbody tr').count();
    assert.equal(count, 7);
    await draft.locator('button[type=submit]').click();
    const blank = draft.locator(`[data-error-for="items[${count - 1}].title_zh"]`);
    await assert.doesNotReject(blank.waitFor());
    assert.match(await blank.textContent(), /第7项|line 7/);
    assert.equal(await draft.locator('[name="items[0].title_zh"]').inputValue(), '门窗关闭完好,玻璃无破损', 'the draft is kept');

    await draft.locator(`[name="items[${count - 1}].title_zh"]`).fill('燃气阀门关闭');
    await draft.locator(`[name="items[${count - 1}].title_en"]`).fill('Gas valve shut');
    await draft.locator('button[type=submit]').click();
    await page.waitForSelector('#template-version:has-text("第2版")');

    const v2 = await page.locator('#version-items li').allTextContents();
    assert.equal(v2.length, 7);
    assert.match(v2[0], /玻璃无破损/);
    assert.match(v2[1], /地漏/, 'the third item moved up');
    assert.match(v2[6], /燃气阀门关闭/);
    assert.ok(!v2.some((t) => t.includes('无擅自进入痕迹')), 'the last item is removed');

    await page.locator('#versions tr[data-version="1"] button.view-version').click();
    await page.waitForSelector('#version-items[data-version="1"]');
    const v1 = await page.locator('#version-items li').allTextContents();
    assert.equal(v1.length, 7);
    assert.match(v1[0], /^门窗关闭完好 /);
    assert.match(v1[6], /无擅自进入痕迹/);

    await page.goto(`${BASE}/#/templates`);
    await page.waitForSelector(`#templates tr:has-text("${NAME}") .version:has-text("第2版")`);
  }));

test("an inspection's page says which version of its checklist it was made on", () =>
  withPage(browser, 'inspection-version', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/patrols`);
    await page.locator('#inspections a', { hasText: '详情' }).first().click();
    const version = page.locator('#inspection-template');
    await version.waitFor();
    assert.match(await version.textContent(), /第1版/);
    await version.locator('a').click();
    await page.waitForSelector('#versions tr[data-version="1"]');
  }));
