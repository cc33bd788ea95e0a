// Satisfaction surveys in the office: the supervisor reads last month's
// half-yearly report of 阳光花园 with its chart beside the spring survey,
// sees the fallen repairs item marked and security still to act on, and
// assigns it; reception opens a new survey (a blank title refused beside
// the field), the server draws the sample, the forms go out, and a paper
// form typed in counts toward the return rate. The yearly report sets the
// year's surveys side by side with each item's rate over the year.

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

test('the half-yearly report charts each item beside the survey before, and the worst gets its owner', () =>
  withPage(browser, 'survey-report', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/surveys`);
    const autumn = page.locator('#surveys tr', { hasText: '下半年顾客满意度调查' });
    await autumn.waitFor();
    assert.equal(await autumn.getAttribute('data-status'), 'closed');
    assert.match(await autumn.textContent(), /27\/30/);
    await autumn.locator('a').click();

    await page.waitForSelector('#survey-chart svg');
    assert.match(await page.locator('#survey-validity').textContent(), /调查有效/);
    // One row per item in the chart, the fallen one marked.
    assert.equal(await page.locator('#survey-chart svg g.row').count(), 7);
    assert.equal(await page.locator('#survey-chart svg g.row.fell[data-item=repairs]').count(), 1);
    assert.match(await page.locator('#survey-chart svg').textContent(), /上次 上半年顾客满意度调查/);
    const repairs = page.locator('#survey-rates tr[data-item=repairs]');
    assert.match(await repairs.locator('.rate').textContent(), /51\.9%/);
    assert.match(await repairs.locator('.previous').textContent(), /82\.8%/);
    assert.equal(await repairs.locator('[data-finding=fallen]').count(), 1);

    assert.match(await page.locator('#survey-to-act').textContent(), /安全管理/);
    await page.selectOption('#survey-action [name=item]', 'security');
    await page.selectOption('#survey-action [name=owner]', 's-security');
    await page.fill('#survey-action [name=measure]', '夜间巡逻加密至每两小时一次');
    await page.click('#survey-action button[type=submit]');
    await page.waitForSelector('#survey-actions tr[data-item=security]');
    assert.equal(await page.locator('#survey-to-act').count(), 0, 'nothing left to act on');
  }));

test('reception opens a survey, sends the forms and types in a paper form', () =>
  withPage(browser, 'survey-collect', async (page) => {
    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/surveys`);
    await page.waitForSelector('#survey-open');
    // The items start from the estate's last survey.
    assert.match(await page.inputValue('#survey-open [name=items]'), /维修服务/);
    await page.fill('#survey-open [name=title]', ' ');
    await page.click('#survey-open button[type=submit]');
    await page.locator('#survey-open [data-error-for=title]:not(:empty)').waitFor();

    const title = `专项调查 e2e ${Date.now()}`;
    await page.fill('#survey-open [name=title]', title);
    await page.selectOption('#survey-open [name=occasion]', 'special');
    await page.fill('#survey-open [name=sample_size]', '3');
    await page.click('#survey-open button[type=submit]');
    await page.waitForSelector('#survey-status[data-status=draft]');
    assert.match(await page.locator('h1').textContent(), new RegExp(title));

    await page.click('#survey-send');
    await page.waitForSelector('#survey-status[data-status=collecting]');
    assert.match(await page.locator('#survey-validity').textContent(), /回收率不足/);
    const unit = await page.inputValue('#survey-form [name=unit_id]');
    await page.selectOption('#survey-form [name="rating:repairs"]', 'dissatisfied');
    await page.fill('#survey-form [name=comments]', '维修等了三天');
    await page.click('#survey-form button[type=submit]');
    await page.waitForSelector(`#survey-forms tr[data-unit="${unit}"]`);
    assert.match(await page.locator(`#survey-forms tr[data-unit="${unit}"]`).textContent(), /前台录入纸质表/);
    assert.match(await page.locator('#survey-validity').textContent(), /回收 1\/3/);
    assert.match(await page.locator('#survey-rates tr[data-item=repairs] .rate').textContent(), /0\.0%/);
  }));

test('the yearly report sets the year’s surveys side by side, each item’s rate over the year and what fell', () =>
  withPage(browser, 'survey-year', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/surveys`);
    await page.waitForSelector('#survey-year-form');
    // The year of the demo's autumn survey (the demo is anchored to today).
    const rows = await page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('rounds.console'));
      const res = await fetch('/v1/surveys?estate=e-sunshine', { headers: { Authorization: `Bearer ${token}` } });
      return res.json();
    });
    const autumn = rows.find((r) => r.title.includes('下半年顾客满意度调查'));
    const year = new Date(autumn.facts.sent_at + 8 * 3_600_000).getUTCFullYear();
    await page.fill('#survey-year-form [name=year]', String(year));
    await page.click('#survey-year-form button[type=submit]');
    await page.locator(`#survey-year-summary:has-text("${year}年")`).waitFor();

    const repairs = page.locator('#survey-year tr[data-item=repairs]');
    const text = await repairs.textContent();
    assert.match(text, /82\.8%/, 'the spring survey’s rate');
    assert.match(text, /51\.9%/, 'the autumn survey’s rate');
    const yearRate = parseFloat(await repairs.locator('.rate').textContent());
    assert.ok(yearRate > 51.9 && yearRate < 82.8, `the year’s rate ${yearRate} pools both`);
    assert.match(await page.locator('#survey-year-summary').textContent(), /下降 fell: .*维修/);
    assert.equal(await page.locator('#survey-year-chart svg g.row.fell[data-item=repairs]').count(), 1);
    // The chart sets the year's last valid survey against its first, however
    // many special surveys are still collecting forms.
    const legend = await page.locator('#survey-year-chart svg > text.label').allTextContents();
    assert.deepEqual(legend, ['年内最后 下半年顾客满意度调查', '年内首次 上半年顾客满意度调查']);

    // A year without surveys says so.
    await page.fill('#survey-year-form [name=year]', String(year - 5));
    await page.click('#survey-year-form button[type=submit]');
    await page.locator('#survey-year-summary:has-text("调查 0 surveys")').waitFor();
  }));
