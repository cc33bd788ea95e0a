// The office console, driven as the office would: reception registers and
// dispatches a request, a technician's phone completes it with the
// resident's signature, the supervisor sees it signed, approves an
// extension, and opens the monthly report.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BASE, localDateTime, openBrowser, signIn, withPage } from '../lib/browser.js';

let browser;
let orderId;
const CONTENT = `卫生间水管漏水 e2e ${Date.now()}`;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('reception registers a request, is told beside the field what is wrong, and dispatches it', () =>
  withPage(browser, 'register-and-dispatch', async (page) => {
    await signIn(page, 'reception');
    await page.waitForSelector('#intake');
    await page.selectOption('#intake [name=unit_id]', { label: '2-2-302' });
    await page.fill('#intake [name=resident_name]', '赵女士');
    await page.fill('#intake [name=phone]', '12ab');
    await page.selectOption('#intake [name=category]', 'pipe_leak');
    await page.fill('#intake [name=content]', CONTENT);
    await page.click('#intake button[type=submit]');

    const phoneError = page.locator('#intake [data-error-for=phone]');
    await assert.doesNotReject(phoneError.waitFor());
    assert.match(await phoneError.textContent(), /电话|phone/);
    assert.equal(await page.inputValue('#intake [name=content]'), CONTENT, 'what was typed is kept');

    await page.fill('#intake [name=phone]', '13912345678');
    await page.click('#intake button[type=submit]');
    await page.waitForSelector('#notice:has-text("已登记")');

    const row = page.locator('#reception-lists tr', { hasText: CONTENT });
    await row.waitFor();
    orderId = await row.getAttribute('data-id');
    assert.match(await row.locator('.deadline').textContent(), /剩|left/, 'the deadline counts down');

    await row.locator('[name=assignee]').selectOption('s-tech');
    await row.locator('form[data-action=dispatch] button').click();
    await page.waitForSelector(`#reception-lists tr[data-id="${orderId}"][data-status=dispatched]`);
    assert.match(await page.locator(`tr[data-id="${orderId}"] .assignee`).textContent(), /张伟/);
    // The status in core's words, as GET /v1/labels sent them.
    assert.match(await page.locator(`tr[data-id="${orderId}"] .status`).textContent(), /已派工 Dispatched/);
  }));

test("the technician's phone completes it and the office sees the signature and a valid sign-off", () =>
  withPage(browser, 'phone-completion', async (page) => {
    assert.ok(orderId, 'the first test registered an order');
    const out = execFileSync(process.env.DEVICE_SIM, ['--base', BASE, '--order', orderId], { encoding: 'utf8' });
    assert.match(out, /signed off/);

    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/order/${orderId}`);
    await page.waitForSelector('#order-status:has-text("业主已验收")');
    assert.match(await page.locator('#signoff-state').textContent(), /签字有效/);
    const signature = page.locator('img.signature');
    await page.waitForFunction(() => document.querySelector('img.signature')?.naturalWidth > 0);
    assert.ok((await signature.evaluate((img) => img.naturalWidth)) > 0, 'the signature image shows');
    const history = await page.locator('#history').textContent();
    assert.match(history, /sign off/);
    assert.match(history, /张伟/);

    await page.fill('#review-form [name=comment]', '材料费用核对无误');
    await page.click('#review-form button[type=submit]');
    await page.waitForSelector('#order-status:has-text("主管已审核")');
  }));

test('the supervisor approves an extension, and one needing the resident is refused until they agree', () =>
  withPage(browser, 'extensions', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/supervisor`);
    const plain = page.locator('#extensions tr', { hasText: '外墙瓷砖脱落' });
    await plain.waitFor();
    await plain.locator('button[value=approve]').click();
    await plain.waitFor({ state: 'detached' });

    const consent = page.locator('#extensions tr', { hasText: '主水管漏水' });
    await consent.locator('button[value=approve]').click();
    await assert.doesNotReject(consent.locator('[data-error-for=resident_consent]:has-text("业主同意")').waitFor());
    await consent.locator('button[value=consent]').click();
    await page.locator('#extensions tr', { hasText: '主水管漏水' }).locator('button[value=approve]').click();
    await page.locator('#extensions tr', { hasText: '主水管漏水' }).waitFor({ state: 'detached' });

    const stages = await page.locator('#complaints [data-stage]').evaluateAll((rows) => rows.map((r) => r.dataset.stage));
    for (const stage of ['escalated', 'overdue', 'due_soon', 'normal']) {
      assert.ok(stages.includes(stage), `a complaint at stage ${stage}`);
    }
  }));

test('a supervisor resolves the conflict two phones left, seeing who did what on which device', () =>
  withPage(browser, 'conflict', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/supervisor`);
    await page.locator('#conflicts a', { hasText: '详情' }).first().click();
    await page.waitForSelector('#resolve-form');
    const sides = await page.locator('#resolve-form tbody').textContent();
    assert.match(sides, /Completed/);
    assert.match(sides, /Returned/);

    await page.selectOption('#resolve-form [name=to]', 'returned');
    await page.click('#resolve-form button[type=submit]');
    await assert.doesNotReject(page.locator('#resolve-form [data-error-for=reason]:not(:empty)').waitFor());

    await page.fill('#resolve-form [name=reason]', '厂家负责维修');
    await page.click('#resolve-form button[type=submit]');
    await page.waitForSelector('#order-status:has-text("已退单")');
    assert.match(await page.locator('#history').textContent(), /resolve conflict/);
  }));

test('the monthly report shows the figures, charts, a CSV and a printable page', () =>
  withPage(browser, 'monthly-report', async (page) => {
    await signIn(page, 'director');
    await page.goto(`${BASE}/#/report`);
    await page.waitForSelector('#figures');
    const figures = await page.locator('#figures').textContent();
    for (const name of ['报修总数', '及时率', '返修率', '有效投诉率', '回访处理率', '满意率']) {
      assert.ok(figures.includes(name), `the report shows ${name}`);
    }
    assert.ok((await page.locator('#report svg.chart').count()) >= 2, 'charts are drawn');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^\uFEFFfigure,指标,value/);
    assert.match(csv, /requests_total,报修总数,\d+/);

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#report-form').isVisible(), false, 'the print view hides the form');
    assert.equal(await page.locator('#figures').isVisible(), true);
  }));

test('a paid request is registered, a supervisor returns it with the reason the resident is told, and reception closes it', () =>
  withPage(browser, 'return-and-close', async (page) => {
    const content = `更换入户门锁(有偿) e2e ${Date.now()}`;
    await signIn(page, 'reception');
    await page.waitForSelector('#intake');
    await page.selectOption('#intake [name=unit_id]', { label: '2-2-302' });
    await page.fill('#intake [name=resident_name]', '钱先生');
    await page.fill('#intake [name=phone]', '13912345678');
    await page.selectOption('#intake [name=category]', 'general');
    await page.check('#intake [name=paid_service]');
    await page.fill('#intake [name=content]', content);
    await page.click('#intake button[type=submit]');
    await page.waitForSelector('#notice:has-text("已登记")');
    const row = page.locator('#reception-lists tr', { hasText: content });
    await row.waitFor();
    const id = await row.getAttribute('data-id');

    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/order/${id}`);
    await page.waitForSelector('#return-form');
    await page.click('#return-form button[type=submit]');
    const reasonError = page.locator('#return-form [data-error-for=reason]');
    await assert.doesNotReject(reasonError.waitFor());
    assert.match(await reasonError.textContent(), /\S/, 'an empty reason is refused beside the field');
    const reason = '门锁为业主自购品牌,已告知联系厂家';
    await page.fill('#return-form [name=reason]', reason);
    await page.click('#return-form button[type=submit]');
    await page.waitForSelector('#order-status:has-text("退单")');
    assert.equal(await page.locator('#order-reason').textContent(), reason);

    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/order/${id}`);
    await page.click('#close-form button[type=submit]');
    await page.waitForSelector('#order-status:has-text("已关闭")');
  }));

test('an emergency complaint is told, escalated with its report, resolved, verified, revisited at the desk (an administrator sent, a reply given) and closed', () =>
  withPage(browser, 'complaint-lifecycle', async (page) => {
    const content = `地下车库水管爆裂 e2e ${Date.now()}`;
    await signIn(page, 'reception');
    await page.waitForSelector('#intake');
    await page.selectOption('#intake [name=kind]', 'complaint');
    await page.selectOption('#intake [name=unit_id]', { label: '2-2-302' });
    await page.fill('#intake [name=resident_name]', '孙女士');
    await page.fill('#intake [name=phone]', '13712345678');
    await page.fill('#intake [name=subject]', '水管爆裂');
    await page.fill('#intake [name=content]', content);
    await page.check('#intake [name=emergency]');
    await page.click('#intake button[type=submit]');
    await page.waitForSelector('#notice:has-text("已受理投诉")');
    const row = page.locator('#open-complaints tr', { hasText: content });
    await row.waitFor();
    const id = await row.getAttribute('data-id');

    await page.goto(`${BASE}/#/complaint/${id}`);
    await page.click('#step-notify_departments button[type=submit]');
    await page.waitForSelector('#complaint-clocks tr[data-clock=notify_departments][data-state=met]');
    assert.equal(await page.locator('#step-escalate_site').count(), 0, 'the desk is not offered an escalation');

    // No department chosen: refused beside the field.
    await page.click('#step-dispatch button[type=submit]');
    await page.locator('#step-dispatch [data-error-for=department]:not(:empty)').waitFor();
    await page.selectOption('#step-dispatch [name=department]', 'engineering');
    await page.click('#step-dispatch button[type=submit]');
    await page.waitForSelector('#complaint-status:has-text("已派单")');

    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/complaint/${id}`);
    await page.click('#step-escalate_site button[type=submit]');
    await page.waitForSelector('#step-site_report');
    const report = '主阀门老化爆裂,已关阀抢修';
    await page.fill('#step-site_report [name=text]', report);
    await page.click('#step-site_report button[type=submit]');
    await page.waitForSelector(`#emergency-steps:has-text("${report}")`);

    await signIn(page, 'reception');
    await page.goto(`${BASE}/#/complaint/${id}`);
    await page.fill('#step-resolve [name=text]', '更换主阀门');
    await page.click('#step-resolve button[type=submit]');
    await page.waitForSelector('#complaint-status:has-text("已处理")');
    assert.equal(await page.locator('#complaint-resolution').textContent(), '更换主阀门');
    await page.fill('#step-verify [name=text]', '现场已恢复,无渗漏');
    await page.click('#step-verify button[type=submit]');
    await page.waitForSelector('#emergency-steps:has-text("现场已恢复")');

    // The desk calls the resident: the prompt revisit is the first of the complaint's.
    await page.goto(`${BASE}/#/revisits`);
    const revisit = page.locator(`#revisits-later tr[data-subject="${id}"]`).first();
    await revisit.waitFor();
    await revisit.locator('button[type=submit]').click();
    await revisit.locator('[data-error-for=satisfaction]:not(:empty)').waitFor();
    // The resident says nobody came, and is promised a reply.
    await revisit.locator('[name=comments]').fill('业主说没人来修过');
    await revisit.locator('[name=satisfaction]').selectOption('dissatisfied');
    await revisit.locator('[name=discrepancy]').check();
    const tomorrow = await localDateTime(page, 1, '10:00');
    await revisit.locator('[name=promised_reply_at]').fill(tomorrow);
    await revisit.locator('button[type=submit]').click();
    await page.waitForFunction(
      (subject) => document.querySelectorAll(`#revisits-later tr[data-subject="${subject}"]`).length === 1,
      id,
    );
    const send = page.locator(`#follow-ups tr[data-subject="${id}"][data-need=send_administrator]`);
    await send.locator('[name=administrator]').selectOption({ label: '陈晨' });
    await send.locator('button[type=submit]').click();
    // The administrator's visit is due today, in person.
    await page.waitForSelector(`#revisits-due tr[data-subject="${id}"][data-method=in_person]`);
    const reply = page.locator(`#follow-ups tr[data-subject="${id}"][data-need=reply]`);
    await reply.locator('[name=reply]').fill('已约工程部明早复查');
    await reply.locator('button[type=submit]').click();
    await page.waitForFunction((subject) => !document.querySelector(`#follow-ups tr[data-subject="${subject}"]`), id);

    await page.goto(`${BASE}/#/complaint/${id}`);
    await page.click('#step-report_back button[type=submit]');
    // The revisit was done before the report-back: reporting back moves it on.
    await page.waitForSelector('#complaint-status:has-text("已回访")');
    await page.click('#step-close button[type=submit]');
    await page.waitForSelector('#complaint-status:has-text("已关闭")');
    assert.equal(await page.locator('#complaint-steps form').count(), 0, 'nothing left to do');
  }));

test("a supervisor plans a home visit against what is left of someone's quota and draws last month's complaint sample", () =>
  withPage(browser, 'revisit-programme', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/supervisor`);
    await page.waitForSelector('#home-visit-form');
    const planned = () => page.locator('#quota tr[data-staff="s-assistant"] .planned').textContent();
    const before = Number(await planned());

    await page.selectOption('#home-visit-form [name=assignee]', 's-assistant');
    await page.click('#home-visit-form button[type=submit]');
    await page.locator('#home-visit-form [data-error-for=unit_id]:not(:empty)').waitFor();
    assert.equal(await page.inputValue('#home-visit-form [name=assignee]'), 's-assistant', 'what was chosen is kept');

    await page.selectOption('#home-visit-form [name=unit_id]', { label: '2-2-302' });
    // Tonight, so it counts in this month whatever the date.
    const tonight = await localDateTime(page, 0, '23:00');
    await page.fill('#home-visit-form [name=due_at]', tonight);
    await page.click('#home-visit-form button[type=submit]');
    await page.waitForFunction(
      (n) => Number(document.querySelector('#quota tr[data-staff="s-assistant"] .planned')?.textContent) === n,
      before + 1,
    );

    await page.click('#sample-form button[type=submit]');
    await page.waitForSelector('#sample-result:has-text("已安排")');

    // The visit is due today on the revisit desk, done on the phone in person.
    await page.goto(`${BASE}/#/revisits`);
    await page.waitForSelector('#revisits-due tr[data-method=in_person]');
  }));

test('reception registers an equipment fault on the standard deadline and a supervisor sets its own', () =>
  withPage(browser, 'head-set-deadline', async (page) => {
    const content = `二号楼水泵异响 e2e ${Date.now()}`;
    await signIn(page, 'reception');
    await page.waitForSelector('#intake');
    await page.selectOption('#intake [name=common_area_id]', { index: 1 });
    await page.selectOption('#intake [name=category]', 'internal_equipment');
    await page.fill('#intake [name=resident_name]', '王工');
    await page.fill('#intake [name=phone]', '13612345678');
    await page.fill('#intake [name=content]', content);
    await page.click('#intake button[type=submit]');
    await page.waitForSelector('#notice:has-text("已登记")');
    const row = page.locator('#reception-lists tr', { hasText: content });
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    await page.goto(`${BASE}/#/order/${id}`);
    await page.waitForSelector('#order-status');
    assert.equal(await page.locator('#deadline-form').count(), 0, 'the desk does not set it');

    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/order/${id}`);
    await page.click('#deadline-form button[type=submit]');
    await page.locator('#deadline-form [data-error-for=due_at]:not(:empty)').waitFor();
    const due = await localDateTime(page, 10, '18:00');
    await page.fill('#deadline-form [name=due_at]', due);
    await page.click('#deadline-form button[type=submit]');
    await page.waitForSelector('#order-deadline');
    await page.waitForFunction(() => !document.querySelector('#deadline-form'));
    assert.equal(await page.locator('#order-deadline').textContent(), due.replace('T', ' '));
  }));

test("a supervisor issues a notice for a patrol's defect, reviews the patrol, and re-inspects a notice into a second round", () =>
  withPage(browser, 'patrols', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(`${BASE}/#/patrols`);
    await page.selectOption('#patrol-status', 'submitted');
    const row = page.locator('#inspections tr[data-status=submitted]').first();
    await row.waitFor();
    await row.locator('a').click();
    await page.waitForSelector('#items tr[data-result=defect]');

    // No defect chosen: refused beside the field, what was typed kept.
    await page.fill('#issue-form [name=problem]', '更换滑梯扶手');
    await page.fill('#issue-form [name=responsible_party]', '设施维保公司');
    await page.click('#issue-form button[type=submit]');
    await page.locator('#issue-form [data-error-for=item_id]:not(:empty)').waitFor();
    assert.equal(await page.inputValue('#issue-form [name=problem]'), '更换滑梯扶手');
    await page.selectOption('#issue-form [name=item_id]', { index: 1 });
    await page.click('#issue-form button[type=submit]');
    await page.waitForSelector('#rectifications .notice-card[data-status=awaiting_rectification]');
    assert.equal(await page.locator('#issue-form').count(), 0, 'its one defect is followed up');

    await page.fill('#review-inspection [name=text]', '已发整改通知');
    await page.click('#review-inspection button[type=submit]');
    await page.waitForSelector('#inspection-status:has-text("已审核")');

    // The demo's notice the contractor reported done: not yet, once more.
    await page.goto(`${BASE}/#/patrols`);
    const waiting = page.locator('#notices tr[data-status=awaiting_reinspection]').first();
    await waiting.waitFor();
    await waiting.locator('a').click();
    const card = page.locator('.notice-card[data-status=awaiting_reinspection]');
    await card.waitFor();
    await card.locator('[name=verdict]').selectOption('again');
    await card.locator('[name=text]').fill('仍有一株未补种');
    await card.locator('button[type=submit]').click();
    await card.locator('[data-error-for=due_at]:not(:empty)').waitFor();
    const due = await localDateTime(page, 3, '18:00');
    await card.locator('[name=due_at]').fill(due);
    await card.locator('button[type=submit]').click();
    await page.waitForSelector('.notice-card[data-status=second_rectification]');
  }));
