// Renovations in the office (二次装修, seed 003 第6篇): a head registers an
// application for a unit (a missing contractor is refused beside its
// field), approves it and issues the permit (a permit without a number is
// refused beside it), takes the deposit and reports the works finished, so
// acceptance is due; a failed acceptance names its defects. Until it
// passes, the application and the unit's resident file say nobody moves in.

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

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function step(page, name, fill = {}) {
  const form = page.locator(`#renovation-steps form[data-step=${name}]`);
  for (const [field, value] of Object.entries(fill)) {
    const input = form.locator(`[name=${field}]`);
    if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  await form.locator('button[type=submit]').click();
  return form;
}

test('an application is approved, permitted, finished and fails its acceptance, and nobody moves in meanwhile', () =>
  withPage(browser, 'renovations', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/renovations`);
    // The demo's works finished two days ago, awaiting acceptance: its due time counts down.
    const awaiting = page.locator('#renovations tr[data-status=awaiting_acceptance]').first();
    await awaiting.waitFor();
    assert.match(await awaiting.locator('.deadline').textContent(), /剩/);
    const form = page.locator('#renovation-apply');
    await form.waitFor();
    const unit = await form.locator('[name=place] option:nth-child(2)').getAttribute('value');
    await form.locator('[name=place]').selectOption(unit);
    await form.locator('[name=owner_name]').fill('王女士');
    await form.locator('[name=owner_phone]').fill('13800138000');
    await form.locator('[name=work]').fill('厨卫翻新、铺地板');
    await form.locator('[name=planned_start]').fill(day(0));
    await form.locator('[name=planned_end]').fill(day(20));
    await form.locator('[name=deposit_yuan]').fill('2000');
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=contractor]:not(:empty)').waitFor();
    assert.equal(await form.locator('[name=work]').inputValue(), '厨卫翻新、铺地板', 'what was typed is kept');

    await form.locator('[name=contractor]').fill('安居装饰公司');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/#\/renovation\//);
    const status = page.locator('#renovation-status');
    await page.waitForSelector('#renovation-status:has-text("待审批")');

    await step(page, 'approve');
    await page.waitForSelector('#renovation-status:has-text("已批准")');
    const permit = await step(page, 'permit');
    await permit.locator('[data-error-for=permit_no]:not(:empty)').waitFor();
    await step(page, 'permit', { permit_no: 'ZX-e2e-001' });
    await page.waitForSelector('#renovation-status:has-text("施工中")');
    assert.match(await page.locator('#renovation #move-in-barred').textContent(), /不得入住/);

    await step(page, 'take_deposit');
    await page.waitForSelector('#renovation:has-text("已收")');
    await step(page, 'finished');
    await page.waitForSelector('#renovation-status:has-text("待验收")');
    assert.match(await page.locator('#renovation .deadline').textContent(), /剩/);

    const accept = await step(page, 'accept', { passed: 'false' });
    await accept.locator('[data-error-for=defects]:not(:empty)').waitFor();
    await step(page, 'accept', { passed: 'false', defects: '卫生间闭水试验渗漏' });
    await page.waitForSelector('#renovation-status:has-text("整改中")');
    assert.equal(await page.locator('#renovation-steps form[data-step=refund_deposit]').count(), 0, 'no refund before a pass');
    assert.match(await status.textContent(), /整改中/);

    await page.goto(`${BASE}/#/renovations`);
    const row = page.locator('#renovations tr[data-status=rectifying]', { hasText: '厨卫翻新' }).first();
    await row.waitFor();
    assert.match(await row.textContent(), /安居装饰公司/);

    await page.goto(`${BASE}/#/unit/${unit}`);
    await page.waitForSelector('#unit-title');
    assert.match(await page.locator('#move-in-barred').textContent(), /不得入住/);
  
    // Last month's demo renovation in the monthly report: accepted on time, its deposit refunded.
    await page.goto(`${BASE}/#/report`);
    const figures = page.locator('#renovation-figures');
    await figures.waitFor();
    assert.match(await figures.textContent(), /合格 1 passed/);
    assert.match(await figures.textContent(), /退押金 1 refunded/);
  }));
