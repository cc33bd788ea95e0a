// The monthly report (月报) for any of the signed-in person's estates and
// any month: the DOMAIN.md figures, charts where a look beats reading, a
// CSV export from the server, and a printable page (print CSS).

import { download, get } from './api.js';
import { ctx, personName } from './app.js';
import { bars, progress } from './charts.js';
import { categoryLabel, lastMonth, percent, roleLabel, yuan } from './format.js';
import { bi, field, formError, h, onSubmit, section, select } from './forms.js';

function figure(zh, en, value, note) {
  return h(
    'div',
    { class: 'figure' },
    h('div', { class: 'figure-value' }, value),
    h('div', { class: 'figure-name' }, ...bi(zh, en)),
    note ? h('div', { class: 'figure-note' }, note) : null,
  );
}

function target(ok) {
  if (ok == null) return null;
  return ok ? h('span', { class: 'badge ok' }, '达标 on target') : h('span', { class: 'badge danger' }, '未达标 below target');
}

function render(out, estate, month, r) {
  const name = ctx.estates.find((e) => e.id === estate)?.name ?? estate;
  const categories = Object.entries(r.requests_by_category).map(([c, n]) => ({
    label: categoryLabel(c),
    value: n,
  }));
  out.replaceChildren(
    h('h2', { class: 'report-title' }, `${name} · ${month} `, ...bi('月度报表', 'Monthly report')),
    h(
      'div',
      { class: 'figures', id: 'figures' },
      figure('报修总数', 'Requests', r.requests_total),
      figure('完工', 'Completed', r.completed, `按时 ${r.completed_on_time} on time`),
      figure('及时率', 'On-time rate', percent(r.on_time_rate)),
      figure('返修率', 'Re-repair rate', percent(r.rework_rate), `返修 ${r.rework_count} rework`),
      figure('投诉', 'Complaints', r.complaints_total, `有效 ${r.valid_complaints} valid`),
      figure('有效投诉率', 'Valid-complaint rate', percent(r.valid_complaint_rate), target(r.valid_complaints_within_target)),
      figure('回访处理率', 'Revisit handling', percent(r.revisit_handling_rate), [
        `${r.revisits_done}/${r.revisits_due} `,
        target(r.revisit_handling_on_target),
      ]),
      figure('满意率', 'Satisfaction', percent(r.satisfaction_rate)),
      figure('调查满意率', 'Survey satisfaction', percent(r.survey_satisfaction_rate), `有效调查 ${r.surveys_valid}/${r.surveys_counted} valid surveys`),
      figure('有偿服务实收', 'Paid services collected', yuan(r.fees.collected_fen), [
        `${r.fees.orders} 单 jobs · 应收 charged ${yuan(r.fees.charged_fen)} · 未收 outstanding ${yuan(r.fees.outstanding_fen)}`,
      ]),
      Object.assign(
        figure('装修按时验收率', 'Renovations accepted on time', percent(r.renovations.acceptance_on_time_rate), [
          `申请 ${r.renovations.applied} applied · 应验收 ${r.renovations.acceptances_due} due · 逾期 ${r.renovations.acceptances_overdue} overdue · `,
          `合格 ${r.renovations.passed} passed · 不合格 ${r.renovations.failed} failed · 退押金 ${r.renovations.deposits_refunded} refunded`,
        ]),
        { id: 'renovation-figures' },
      ),
      figure('公司客户回访', 'Company customer revisits', `${r.customer_revisits_done}/${r.customer_revisits_due}`, [
        `现场(签字) on site, signed ${r.customer_on_site_done}/${r.customer_on_site_due} · `,
        `资料按时 papers on time ${r.customer_papers_on_time}/${r.customer_papers_due}`,
      ]),
      figure('部门按时通报率', 'Department reports on time', percent(r.desk_report_on_time_rate), [
        `${r.desk_reports_on_time}/${r.desk_reports_due} · 逾期 overdue ${r.desk_reports_overdue}`,
      ]),
      h(
        'div',
        { id: 'key-figures', class: 'figure' },
        h('div', { class: 'figure-value' }, r.keys.held),
        h('div', { class: 'figure-name' }, ...bi('托管钥匙', 'Keys held')),
        h(
          'div',
          { class: 'figure-note' },
          `核对 checks ${r.keys.checks_done} · 逾期 late ${r.keys.checks_late} · 使用 uses ${r.keys.uses} · 外借未还 lent out ${r.keys.loans_outstanding}`,
        ),
      ),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        '各类报修',
        'Requests by category',
        categories.length ? bars(categories, { title: 'requests by category' }) : h('p', { class: 'empty' }, '无 none'),
      ),
      section(
        '上门回访对照指标',
        'In-person revisits against quota',
        r.quota.length
          ? progress(
              r.quota.map((q) => ({ label: `${personName(q.staff_id)} ${roleLabel(q.role)}`, done: q.done, goal: q.quota })),
              { title: 'revisits against quota' },
            )
          : h('p', { class: 'empty' }, '无 none'),
      ),
      section(
        '指标对照',
        'Rates against targets',
        progress(
          [
            { label: '及时率 on time', done: Math.round((r.on_time_rate ?? 0) * 100), goal: 100 },
            { label: '回访率 revisits', done: Math.round((r.revisit_handling_rate ?? 0) * 100), goal: 100 },
            { label: '满意率 satisfied', done: Math.round((r.satisfaction_rate ?? 0) * 100), goal: 100 },
          ],
          { title: 'rates in percent' },
        ),
      ),
    ),
  );
}

export async function renderReport(main) {
  const out = h('div', { id: 'report' });
  const form = h(
    'form',
    { class: 'inline no-print', id: 'report-form' },
    field('estate', '小区', 'Estate', select(ctx.estates.map((e) => [e.id, e.name]))),
    field('month', '月份', 'Month', h('input', { type: 'month', value: lastMonth() })),
    h('button', { type: 'submit' }, ...bi('查看', 'Show')),
    h('button', { type: 'button', id: 'csv' }, ...bi('导出CSV', 'Export CSV')),
    h('button', { type: 'button', id: 'print' }, ...bi('打印', 'Print')),
    formError(),
  );
  form.elements.estate.value = ctx.estate;
  const query = (v) => `estate=${encodeURIComponent(v.estate)}&month=${encodeURIComponent(v.month)}`;
  const show = async (v) => {
    if (!/^\d{4}-\d{2}$/.test(v.month)) {
      throw { field: 'month', zh: '请选择月份', en: 'choose a month' };
    }
    render(out, v.estate, v.month, await get(`/v1/reports/monthly?${query(v)}`));
  };
  onSubmit(form, show);
  form.querySelector('#csv').addEventListener('click', async () => {
    const v = { estate: form.elements.estate.value, month: form.elements.month.value };
    try {
      await download(`/v1/reports/monthly.csv?${query(v)}`, `rounds-${v.estate}-${v.month}.csv`);
    } catch (err) {
      form.querySelector('[data-error-for=_form]').textContent = err.message;
    }
  });
  form.querySelector('#print').addEventListener('click', () => window.print());
  main.replaceChildren(h('h1', { class: 'no-print' }, ...bi('月报', 'Monthly report')), form, out);
  // Last month's report straight away, as reports are made at the start of
  // a month of the one before (the screen is not on the page yet, so the
  // form cannot be submitted).
  await show({ estate: ctx.estate, month: lastMonth() });
}
