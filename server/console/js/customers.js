// Company customers (公司客户, seed 003 第1篇): the list with each one's next
// revisit due or overdue, a new customer registered; one customer with its
// revisits, and after a visit its report and its papers to the head, due in
// working days. The schedule and every rule are core's.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, placeLink } from './app.js';
import {
  customerFileDue,
  customerReportDue,
  customerTierLabel,
  customerTierOptions,
  methodLabel,
  statusLabel,
  time,
} from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

function nextVisit(row) {
  if (!row.next) return h('span', { class: 'empty' }, ...bi('无待回访', 'nothing planned'));
  return [methodLabel(row.next.facts.planned_method), ' ', deadline(row.next.due_at)];
}

function registerForm(done) {
  const staff = [...ctx.people.values()].filter((p) => p.estates?.includes?.(ctx.estate) ?? true);
  const form = h(
    'form',
    { id: 'customer-form', class: 'grid' },
    field('name', '客户名称', 'Name', h('input', { type: 'text' })),
    field('tier', '客户类别', 'Rank', select(customerTierOptions())),
    field('premises', '场所', 'Premises', h('input', { type: 'text', placeholder: '1号楼底商 101-103' })),
    field('handover_date', '交付日期', 'Handover date', h('input', { type: 'date' })),
    field('contact_name', '联系人', 'Contact', h('input', { type: 'text' })),
    field('contact_title', '职务', 'Title', h('input', { type: 'text' })),
    field('contact_phone', '联系电话', 'Phone', h('input', { type: 'tel' })),
    field('manager', '回访负责人', 'Revisited by', select(staff.map((p) => [p.id, p.name]))),
    h('button', { type: 'submit' }, ...bi('登记', 'Register')),
    formError(),
  );
  return onSubmit(form, async (v) => {
    const { id } = await post('/v1/customers', { ...v, id: newRecordId(), estate_id: ctx.estate, unit_ids: [] });
    done(id);
  });
}

export async function renderCustomers(main) {
  const rows = await get(`/v1/customers?estate=${encodeURIComponent(ctx.estate)}`);
  const list = table(
    [
      ['客户', 'Customer'],
      ['类别', 'Rank'],
      ['下次回访', 'Next revisit'],
    ],
    rows.map((r) =>
      h(
        'tr',
        { dataset: { customer: r.customer.id }, class: r.overdue ? 'overdue' : '' },
        h('td', {}, h('a', { href: `#/customer/${r.customer.id}` }, r.customer.title)),
        h('td', {}, customerTierLabel(r.customer.category)),
        h('td', {}, nextVisit(r), r.overdue ? h('span', { class: 'badge danger' }, ...bi('逾期', 'overdue')) : null),
      ),
    ),
    bi('还没有公司客户', 'no company customers yet'),
  );
  main.replaceChildren(
    h('h1', {}, ...bi('公司客户', 'Company customers')),
    section('客户与下次回访', 'Customers and their next revisit', h('div', { id: 'customers' }, list)),
    section(
      '登记客户',
      'Register a customer',
      registerForm((id) => {
        location.hash = `#/customer/${id}`;
      }),
    ),
  );
}

function paperwork(v) {
  const p = v.paperwork;
  if (!p) return null;
  if (p.filed) return h('span', { class: 'badge ok' }, ...bi('资料已提交', 'papers filed'));
  const owed = p.reported ? customerFileDue() : customerReportDue();
  return [h('span', {}, `${owed.zh} ${owed.en} `), deadline(p.reported ? p.file_due_at : p.report_due_at)];
}

function paperworkForm(id, v, refresh) {
  const p = v.paperwork;
  if (!p || p.filed) return null;
  if (p.reported) {
    const form = h(
      'form',
      { class: 'inline file-form' },
      h('button', { type: 'submit' }, ...bi('资料已提交主管', 'Papers filed with the head')),
      formError(),
    );
    return onSubmit(form, async () => {
      await post(`/v1/revisits/${v.revisit.id}/customer-file`);
      await refresh();
    });
  }
  const form = h(
    'form',
    { class: 'inline report-form' },
    field('report', '回访报告', 'Revisit report', h('textarea', { rows: 2 })),
    h('button', { type: 'submit' }, ...bi('保存报告', 'Save report')),
    formError(),
  );
  return onSubmit(form, async (values) => {
    await post(`/v1/revisits/${v.revisit.id}/customer-report`, values);
    await refresh();
  });
}

export async function renderCustomer(main, id) {
  const refresh = () => renderCustomer(main, id);
  const view = await get(`/v1/customers/${encodeURIComponent(id)}`);
  const c = view.customer;
  const visits = table(
    [
      ['方式', 'Method'],
      ['应回访', 'Due'],
      ['状态', 'Status'],
      ['回访人', 'By'],
      ['报告与资料', 'Report and papers'],
    ],
    view.visits.map((v) =>
      h(
        'tr',
        { dataset: { revisit: v.revisit.id }, class: v.overdue ? 'overdue' : '' },
        h('td', {}, methodLabel(v.revisit.facts.planned_method)),
        h('td', {}, v.revisit.status === 'planned' ? deadline(v.revisit.due_at) : time(v.revisit.due_at)),
        h('td', {}, statusLabel('revisit', v.revisit.status), v.revisit.done_at ? ` ${time(v.revisit.done_at)}` : ''),
        h('td', {}, personName(v.revisit.facts.done_by ?? v.revisit.assignee)),
        h('td', {}, paperwork(v), paperworkForm(id, v, refresh)),
      ),
    ),
    bi('没有回访', 'no revisits'),
  );
  main.replaceChildren(
    h('h1', {}, c.name, ' ', h('span', { class: 'badge' }, customerTierLabel(c.tier))),
    section(
      '客户资料',
      'Customer',
      h(
        'dl',
        { id: 'customer' },
        h('dt', {}, ...bi('场所', 'Premises')),
        h('dd', {}, c.unit_ids[0] ? placeLink({ unit_id: c.unit_ids[0] }) : '', ' ', c.premises),
        h('dt', {}, ...bi('交付日期', 'Handover')),
        h('dd', {}, c.handover_date),
        h('dt', {}, ...bi('联系人', 'Contact')),
        h('dd', {}, `${c.contact_name} ${c.contact_title} ${c.contact_phone}`),
        h('dt', {}, ...bi('回访负责人', 'Revisited by')),
        h('dd', {}, personName(c.manager)),
      ),
    ),
    section('回访', 'Revisits', h('div', { id: 'customer-visits' }, visits)),
  );
}
