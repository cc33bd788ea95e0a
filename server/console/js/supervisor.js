// Supervisor and director (主管 / 主任): overdue work, complaints with their
// escalation stage, extensions waiting for a decision, records in conflict
// or waiting for review, revisits due, and each person's revisits this month
// against quota.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import { clockLabel, isHead, lastMonth, roleLabel, stageLabel, statusLabel, thisMonth, time } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';
import { progress } from './charts.js';
import { myWork } from './mywork.js';

function link(r) {
  return h('a', { href: `#/order/${r.id}` }, ...bi('详情', 'Details'));
}

function orderRows(rows) {
  return rows.map((r) =>
    h(
      'tr',
      { dataset: { id: r.id } },
      h('td', {}, unitNumber(r.unit_id)),
      h('td', {}, r.title),
      h('td', {}, statusLabel('work_order', r.status)),
      h('td', {}, deadline(r.due_at)),
      h('td', {}, personName(r.assignee)),
      h('td', {}, link(r)),
    ),
  );
}

const ORDER_HEAD = [['房号', 'Unit'], ['内容', 'Content'], ['状态', 'Status'], ['期限', 'Deadline'], ['负责人', 'Assignee'], ['', '']];

function classifyButtons(c, refresh) {
  if (!isHead(ctx.me.role)) return c.valid == null ? '未分类 unclassified' : c.valid ? '有效 valid' : '无效 not valid';
  const form = h(
    'form',
    { class: 'inline', dataset: { action: 'classify' } },
    h('button', { type: 'submit', name: 'valid', value: 'true', class: c.valid === true ? 'chosen' : null }, '有效 Valid'),
    h('button', { type: 'submit', name: 'valid', value: 'false', class: c.valid === false ? 'chosen' : null }, '无效 Not valid'),
    formError(),
  );
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await post(`/v1/complaints/${c.id}/classify`, { valid: ev.submitter.value === 'true' });
      await refresh();
    } catch (err) {
      form.querySelector('[data-error-for=_form]').textContent = err.message;
    }
  });
  return form;
}

function complaintRows(list, refresh) {
  return list.map((c) =>
    h(
      'tr',
      { dataset: { id: c.id, stage: c.stage }, class: `stage-${c.stage}` },
      h('td', {}, h('span', { class: `badge stage ${c.stage}` }, stageLabel(c.stage))),
      h('td', {}, unitNumber(c.unit_id)),
      h('td', {}, c.subject, ' · ', c.content),
      h('td', {}, statusLabel('complaint', c.status)),
      h(
        'td',
        { class: 'clocks' },
        c.clocks
          .filter((k) => k.state !== 'met')
          .map((k) => h('div', { class: k.state }, `${clockLabel(k.kind)}: `, deadline(k.due_at))),
      ),
      h('td', {}, personName(c.department) || '—', ' / ', personName(c.first_contact)),
      h('td', {}, classifyButtons(c, refresh), ' ', h('a', { href: `#/complaint/${c.id}` }, ...bi('详情', 'Details'))),
    ),
  );
}

function extensionRows(list, refresh) {
  return list.map((p) => {
    const e = p.extension;
    const needsConsent = e.needs_resident_consent && e.resident_consent !== true;
    const form = h(
      'form',
      { class: 'inline', dataset: { action: 'decide', ext: e.id } },
      needsConsent ? h('button', { type: 'submit', value: 'consent' }, '业主已同意 Resident agreed') : null,
      h('button', { type: 'submit', value: 'approve', disabled: !p.may_decide }, '批准 Approve'),
      h('button', { type: 'submit', value: 'refuse', class: 'warn', disabled: !p.may_decide }, '驳回 Refuse'),
      h('div', { class: 'error', 'data-error-for': 'resident_consent' }),
      formError(),
    );
    onSubmit(form, async () => {
      // The clicked button decides; onSubmit passes the form's values.
      const which = form.dataset.clicked;
      if (which === 'consent') {
        await post(`/v1/orders/${p.order_id}/extensions/${e.id}/consent`, { consent: true });
      } else {
        await post(`/v1/orders/${p.order_id}/extensions/${e.id}/decision`, { approve: which === 'approve' });
      }
      await refresh();
    });
    form.addEventListener('click', (ev) => {
      if (ev.target.closest('button')) form.dataset.clicked = ev.target.closest('button').value;
    });
    return h(
      'tr',
      { dataset: { id: p.order_id, ext: e.id } },
      h('td', {}, unitNumber(p.unit_id)),
      h('td', {}, p.title),
      h('td', {}, e.reason),
      h('td', {}, time(p.current_due_at), ' → ', time(e.requested_due)),
      h(
        'td',
        {},
        roleLabel(e.approver),
        e.needs_resident_consent ? h('div', {}, e.resident_consent ? '业主已同意 resident agreed' : '需业主同意 needs resident consent') : null,
      ),
      h('td', {}, form),
    );
  });
}

function revisitRows(list) {
  return list.map((r) =>
    h(
      'tr',
      { dataset: { id: r.id } },
      h('td', {}, unitNumber(r.unit_id)),
      h('td', {}, r.title),
      h('td', {}, personName(r.assignee)),
      h('td', {}, deadline(r.due_at)),
    ),
  );
}

function quotaTable(quota) {
  return table(
    [['人员', 'Who'], ['指标', 'Quota'], ['已完成', 'Done'], ['已安排', 'Planned'], ['待安排', 'Still to plan']],
    quota.map((p) =>
      h(
        'tr',
        { dataset: { staff: p.staff_id } },
        h('td', {}, personName(p.staff_id)),
        h('td', {}, p.quota),
        h('td', {}, p.done),
        h('td', { class: 'planned' }, p.planned),
        h('td', { class: 'to-plan' }, p.to_plan),
      ),
    ),
    [],
  );
}

/** Plan a home visit (家访) for someone with a quota. */
function homeVisitForm(quota, refresh) {
  const e = ctx.estates.find((x) => x.id === ctx.estate);
  // Made when the form opens, so a retried submit plans one visit.
  let id = newRecordId();
  return onSubmit(
    h(
      'form',
      { id: 'home-visit-form', class: 'grid' },
      field('assignee', '回访人', 'Who visits', select([['', '— 请选择 choose —'], ...quota.map((p) => [p.staff_id, `${personName(p.staff_id)} (待安排 ${p.to_plan} to plan)`])])),
      field('unit_id', '房号', 'Unit', select([['', '— 请选择 choose —'], ...e.units.map((u) => [u.id, u.number])])),
      field('due_at', '回访日期', 'Visit by', h('input', { type: 'datetime-local' })),
      formError(),
      h('button', { type: 'submit' }, ...bi('安排上门回访', 'Plan a home visit')),
    ),
    async (f) => {
      await post('/v1/revisits/home-visits', {
        id,
        estate_id: ctx.estate,
        unit_id: f.unit_id || null,
        assignee: f.assignee,
        due_at: f.due_at ? new Date(f.due_at).getTime() : null,
      });
      id = newRecordId();
      await refresh();
    },
  );
}

/** Draw a month's complaint sample (last month by default). */
function sampleForm() {
  const last = lastMonth();
  const result = h('p', { id: 'sample-result', role: 'status' });
  return onSubmit(
    h(
      'form',
      { id: 'sample-form', class: 'inline' },
      field('month', '月份', 'Month', h('input', { type: 'month', value: last })),
      h('button', { type: 'submit' }, ...bi('抽取本月投诉回访样本', "Draw the month's sample")),
      formError(),
      result,
    ),
    async (f) => {
      const out = await post('/v1/revisits/complaint-sample', { estate_id: ctx.estate, month: f.month });
      result.textContent = `已安排 ${out.ids.length} 个回访 / ${out.ids.length} revisits planned`;
    },
  );
}

export async function renderSupervisor(main) {
  const q = `estate=${encodeURIComponent(ctx.estate)}`;
  const [mine, overdue, orders, board, extensions, revisits, report] = await Promise.all([
    myWork(ctx.estate),
    get(`/v1/orders?${q}&overdue=true`),
    get(`/v1/orders?${q}`),
    get('/v1/complaints/board'),
    get('/v1/extensions'),
    get(`/v1/revisits?${q}&due=true`),
    get(`/v1/reports/monthly?${q}&month=${thisMonth()}`),
  ]);
  const refresh = () => renderSupervisor(main);
  const here = (x) => x.estate_id === ctx.estate;
  const conflicts = orders.filter((r) => r.status === 'conflict');
  const toReview = orders.filter((r) => r.status === 'signed_off');
  main.replaceChildren(
    h('h1', {}, ...bi('主管工作台', 'Supervisor and director')),
    mine,
    section(
      '待审批延期',
      'Extensions waiting for approval',
      h(
        'div',
        { id: 'extensions' },
        table(
          [['房号', 'Unit'], ['工单', 'Order'], ['理由', 'Reason'], ['期限', 'Deadline'], ['审批人', 'Approver'], ['决定', 'Decision']],
          extensionRows(extensions.filter(here), refresh),
          bi('没有待审批的延期', 'No extensions waiting'),
        ),
      ),
    ),
    section(
      '投诉及升级',
      'Complaints and escalation',
      h(
        'div',
        { id: 'complaints' },
        table(
          [['阶段', 'Stage'], ['房号', 'Unit'], ['投诉', 'Complaint'], ['状态', 'Status'], ['时限', 'Clocks'], ['部门 / 首问', 'Department / first contact'], ['有效性', 'Validity']],
          complaintRows(board.filter(here), refresh),
          bi('没有未结投诉', 'No open complaints'),
        ),
      ),
    ),
    h(
      'div',
      { class: 'columns' },
      section('超时工单', 'Overdue work orders', h('div', { id: 'overdue' }, table(ORDER_HEAD, orderRows(overdue), bi('没有超时工单', 'Nothing overdue')))),
      section('冲突待处理', 'Conflicts to resolve', h('div', { id: 'conflicts' }, table(ORDER_HEAD, orderRows(conflicts), bi('没有冲突', 'No conflicts')))),
      section('待审核(业主已验收)', 'Signed off, waiting for review', h('div', { id: 'review' }, table(ORDER_HEAD, orderRows(toReview), bi('没有待审核', 'Nothing to review')))),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        '待回访',
        'Revisits due',
        table([['房号', 'Unit'], ['回访', 'Revisit'], ['负责人', 'Assignee'], ['期限', 'Due']], revisitRows(revisits), bi('没有待回访', 'No revisits due')),
      ),
      section(
        '本月上门回访对照指标',
        'In-person revisits this month against quota',
        h(
          'div',
          { id: 'quota' },
          report.quota.length
            ? [
                progress(report.quota.map((p) => ({ label: `${personName(p.staff_id)} ${roleLabel(p.role)}`, done: p.done, goal: p.quota }))),
                quotaTable(report.quota),
                homeVisitForm(report.quota, refresh),
              ]
            : h('p', { class: 'empty' }, '无 none'),
        ),
      ),
      section('投诉抽样回访', 'Complaint sample', sampleForm()),
    ),
  );
}
