// The month's settlement of paid services (有偿服务结算) for finance: what was
// quoted, charged, collected and is still owed, per estate and technician,
// for the jobs finished in the month (seed 003 §6.5), with a CSV export from
// the server. The sums are the core's; this page only shows them.

import { download, get } from './api.js';
import { ctx } from './app.js';
import { lastMonth, yuan } from './format.js';
import { bi, field, formError, h, onSubmit, section, select, table } from './forms.js';

const HEADERS = [
  ['小区', 'Estate'],
  ['维修人员', 'Technician'],
  ['单数', 'Orders'],
  ['报价', 'Quoted'],
  ['应收', 'Charged'],
  ['实收', 'Collected'],
  ['未收', 'Outstanding'],
];

function money(t) {
  return [t.orders, yuan(t.quoted_fen), yuan(t.charged_fen), yuan(t.collected_fen), yuan(t.outstanding_fen)].map((v) =>
    h('td', { class: 'number' }, String(v)),
  );
}

function render(out, s) {
  const rows = s.lines.map((l) =>
    h(
      'tr',
      { dataset: { estate: l.estate_id, technician: l.technician } },
      h('td', {}, l.estate_name || l.estate_id),
      h('td', {}, l.technician_name || l.technician || '—'),
      ...money(l),
    ),
  );
  if (rows.length) {
    rows.push(h('tr', { class: 'total', dataset: { total: '' } }, h('td', { colspan: 2 }, ...bi('合计', 'Total')), ...money(s.total)));
  }
  const owed = s.outstanding.map((o) =>
    h(
      'tr',
      { dataset: { owed: o.order_id } },
      h('td', {}, h('a', { href: `#/order/${o.order_id}` }, o.order_id.slice(0, 8))),
      h('td', {}, o.estate_name),
      h('td', {}, o.technician_name),
      h('td', { class: 'number' }, yuan(o.charged_fen)),
      h('td', { class: 'number' }, yuan(o.collected_fen)),
    ),
  );
  out.replaceChildren(
    h('h2', {}, `${s.month} `, ...bi('有偿服务结算', 'Paid-service settlement')),
    table(HEADERS, rows, bi('本月没有完工的有偿服务', 'No paid job was finished this month')),
    section(
      '待收费用(回访时收取)',
      'Still owed (collected at the revisit)',
      h(
        'div',
        { id: 'owed' },
        table(
          [['工单', 'Order'], ['小区', 'Estate'], ['维修人员', 'Technician'], ['应收', 'Charged'], ['实收', 'Collected']],
          owed,
          bi('无', 'None'),
        ),
      ),
    ),
  );
}

export async function renderSettlement(main) {
  const out = h('div', { id: 'settlement' });
  const form = h(
    'form',
    { class: 'inline no-print', id: 'settlement-form' },
    field('estate', '小区', 'Estate', select([['', '全部 All'], ...ctx.estates.map((e) => [e.id, e.name])])),
    field('month', '月份', 'Month', h('input', { type: 'month', value: lastMonth() })),
    h('button', { type: 'submit' }, ...bi('查看', 'Show')),
    h('button', { type: 'button', id: 'csv' }, ...bi('导出CSV', 'Export CSV')),
    formError(),
  );
  const query = (v) => `month=${encodeURIComponent(v.month)}${v.estate ? `&estate=${encodeURIComponent(v.estate)}` : ''}`;
  const show = async (v) => {
    if (!/^\d{4}-\d{2}$/.test(v.month)) {
      throw { field: 'month', zh: '请选择月份', en: 'choose a month' };
    }
    render(out, await get(`/v1/settlement?${query(v)}`));
  };
  onSubmit(form, show);
  form.querySelector('#csv').addEventListener('click', async () => {
    const v = { estate: form.elements.estate.value, month: form.elements.month.value };
    try {
      await download(`/v1/settlement.csv?${query(v)}`, `rounds-settlement-${v.month}.csv`);
    } catch (err) {
      form.querySelector('[data-error-for=_form]').textContent = err.message;
    }
  });
  main.replaceChildren(h('h1', { class: 'no-print' }, ...bi('结算', 'Settlement')), form, out);
  await show({ estate: '', month: lastMonth() });
}
