// Reception (前台): register a resident's request or complaint, dispatch it,
// watch each open order's deadline count down, and refuse (拒收) a record
// that comes back incomplete.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import { categories, categoryLabel, doesFieldWork, localInput, mayDispatch, mayRefuse, statusLabel } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';
import { myWork } from './mywork.js';

function estate() {
  return ctx.estates.find((e) => e.id === ctx.estate);
}

function fieldWorkers() {
  return [...ctx.people.values()].filter(
    (p) => doesFieldWork(p.role) && p.estates.includes(ctx.estate),
  );
}

/** One form for both: a request becomes a work order, a complaint a complaint. */
function intakeForm(done) {
  const e = estate();
  const kind = select([
    ['request', '报修 Repair request'],
    ['complaint', '投诉 Complaint'],
  ]);
  const category = field(
    'category',
    '类别',
    'Category',
    select([['', '— 请选择 choose —'], ...categories().map((c) => [c, categoryLabel(c)])]),
  );
  const subject = field('subject', '投诉主题', 'Subject', h('input', {}));
  subject.hidden = true;
  const paid = h(
    'div',
    { class: 'field check' },
    h('label', {}, h('input', { type: 'checkbox', name: 'paid_service' }), ' ', ...bi('有偿服务(先报价后施工)', 'Paid service: quote before work')),
  );
  const agreed = field(
    'agreed_due_at',
    '约定期限(入住保洁;主管登记主管定期限类别时)',
    'Agreed deadline (move-in cleaning; head-set categories when a head registers)',
    h('input', { type: 'datetime-local' }),
  );
  const form = h(
    'form',
    { id: 'intake', class: 'grid' },
    field('kind', '登记类型', 'Kind', kind),
    field('received_at', '受理时间', 'Received at', h('input', { type: 'datetime-local', value: localInput(Date.now()) })),
    field(
      'unit_id',
      '房号',
      'Unit',
      select([['', '— 公共区域 common area —'], ...e.units.map((u) => [u.id, u.number])]),
    ),
    field(
      'common_area_id',
      '公共区域',
      'Common area',
      select([['', '—'], ...e.common_areas.map((a) => [a.id, a.name])]),
    ),
    field('resident_name', '业主姓名', 'Resident name', h('input', { autocomplete: 'off' })),
    field('phone', '联系电话', 'Phone', h('input', { type: 'tel', autocomplete: 'off' })),
    category,
    subject,
    agreed,
    paid,
    field('content', '反映内容', 'What the resident reports', h('textarea', { rows: 3 })),
    h(
      'div',
      { class: 'field check' },
      h('label', {}, h('input', { type: 'checkbox', name: 'emergency' }), ' ', ...bi('紧急(先处理后补单)', 'Emergency: handle first, write up after')),
    ),
    formError(),
    h('button', { type: 'submit' }, ...bi('登记', 'Register')),
  );
  // The id is made when the form opens: a retried submit names the same record.
  let id = newRecordId();
  kind.addEventListener('change', () => {
    const complaint = kind.value === 'complaint';
    category.hidden = complaint;
    agreed.hidden = complaint;
    paid.hidden = complaint;
    subject.hidden = !complaint;
  });
  return onSubmit(form, async (v) => {
    const body = {
      id,
      estate_id: ctx.estate,
      unit_id: v.unit_id || null,
      common_area_id: v.common_area_id || null,
      received_at: v.received_at ? new Date(v.received_at).getTime() : null,
      resident_name: v.resident_name,
      phone: v.phone,
      content: v.content,
      emergency: v.emergency,
    };
    const complaint = v.kind === 'complaint';
    const saved = complaint
      ? await post('/v1/complaints', { ...body, subject: v.subject })
      : await post('/v1/orders', {
          ...body,
          category: v.category,
          agreed_due_at: v.agreed_due_at ? new Date(v.agreed_due_at).getTime() : null,
          paid_service: v.paid_service,
        });
    id = newRecordId();
    form.reset();
    form.elements.received_at.value = localInput(Date.now());
    kind.dispatchEvent(new Event('change'));
    await done(saved, complaint);
  });
}

/** Dispatch to a person, inline in the order's row. */
function dispatchForm(row, done) {
  const people = fieldWorkers();
  const form = h(
    'form',
    { class: 'inline', dataset: { action: 'dispatch' } },
    select([['', '— 派给 dispatch to —'], ...people.map((p) => [p.id, `${p.name} ${p.role_zh}`])], {
      name: 'assignee',
      'aria-label': '派工人员 Assignee',
    }),
    h('button', { type: 'submit' }, ...bi('派工', 'Dispatch')),
    h('div', { class: 'error', 'data-error-for': 'assignee' }),
    formError(),
  );
  return onSubmit(form, async (v) => {
    await post(`/v1/orders/${row.id}/dispatch`, { assignee: v.assignee });
    await done();
  });
}

/** Refuse (拒收) a completed record that is incomplete or unsigned. */
function refuseForm(row, done) {
  const form = h(
    'form',
    { class: 'inline', dataset: { action: 'refuse' } },
    h('input', { name: 'reason', placeholder: '拒收理由 reason for refusal', 'aria-label': '拒收理由 Reason' }),
    h('button', { type: 'submit', class: 'warn' }, ...bi('拒收', 'Refuse')),
    h('div', { class: 'error', 'data-error-for': 'reason' }),
    formError(),
  );
  return onSubmit(form, async (v) => {
    await post(`/v1/orders/${row.id}/refuse`, { reason: v.reason });
    await done();
  });
}

function complaintDispatchForm(c, done) {
  const form = h(
    'form',
    { class: 'inline', dataset: { action: 'dispatch-complaint' } },
    select([['', '— 部门 department —'], ...ctx.departments.map((d) => [d.id, `${d.name_zh} ${d.name_en}`])], {
      name: 'department',
      'aria-label': '部门 Department',
    }),
    h('button', { type: 'submit' }, ...bi('派单', 'Dispatch')),
    h('div', { class: 'error', 'data-error-for': 'department' }),
    formError(),
  );
  return onSubmit(form, async (v) => {
    await post(`/v1/complaints/${c.id}/dispatch`, { department: v.department });
    await done();
  });
}

function orderRow(r, refresh) {
  const actions = [];
  if (mayDispatch(r.status)) actions.push(dispatchForm(r, refresh));
  if (mayRefuse(r.status)) actions.push(refuseForm(r, refresh));
  return h(
    'tr',
    { dataset: { id: r.id, status: r.status }, class: r.emergency ? 'emergency' : null },
    h('td', {}, unitNumber(r.unit_id)),
    h('td', {}, r.emergency ? h('strong', { class: 'badge danger' }, '紧急 Emergency') : null, ' ', r.title),
    h(
      'td',
      { class: 'status' },
      statusLabel('work_order', r.status),
      // Refused at the desk or returned: why, for whoever calls the resident or redoes it.
      r.facts?.status_reason ? h('div', { class: 'reason' }, r.facts.status_reason) : null,
    ),
    h('td', {}, r.done_at ? '—' : deadline(r.due_at)),
    h('td', { class: 'assignee' }, personName(r.assignee)),
    h('td', {}, actions, h('a', { href: `#/order/${r.id}` }, ...bi('详情', 'Details'))),
  );
}

/** The lists refresh after each action; the intake form beside them keeps what is typed. */
async function renderLists(lists) {
  const q = `estate=${encodeURIComponent(ctx.estate)}`;
  const [orders, complaints] = await Promise.all([
    get(`/v1/orders?${q}`),
    get(`/v1/complaints?${q}`),
  ]);
  const refresh = () => renderLists(lists);
  const open = orders
    .filter((r) => r.open)
    .sort((a, b) => Number(b.emergency) - Number(a.emergency) || (a.due_at ?? 0) - (b.due_at ?? 0));
  const openComplaints = complaints
    .filter((c) => c.open)
    .sort((a, b) => Number(b.emergency) - Number(a.emergency) || a.created_at - b.created_at);
  lists.replaceChildren(
    section(
      '未完成工单',
      'Open work orders',
      table(
        [['房号', 'Unit'], ['内容', 'Content'], ['状态', 'Status'], ['期限', 'Deadline'], ['派工', 'Assignee'], ['操作', 'Actions']],
        open.map((r) => orderRow(r, refresh)),
        bi('没有未完成的工单', 'No open orders'),
      ),
    ),
    section(
      '未结投诉',
      'Open complaints',
      h(
        'div',
        { id: 'open-complaints' },
        table(
          [['房号', 'Unit'], ['主题', 'Subject'], ['状态', 'Status'], ['期限', 'Deadline'], ['操作', 'Actions']],
          openComplaints.map((c) =>
            h(
              'tr',
              { dataset: { id: c.id, status: c.status }, class: c.emergency ? 'emergency' : null },
              h('td', {}, unitNumber(c.unit_id)),
              h('td', {}, c.emergency ? h('strong', { class: 'badge danger' }, '紧急 Emergency') : null, ' ', c.category, ' · ', c.title),
              h('td', { class: 'status' }, statusLabel('complaint', c.status)),
              h('td', {}, c.done_at ? '—' : deadline(c.due_at)),
              h(
                'td',
                {},
                c.status === 'received' ? complaintDispatchForm(c, refresh) : null,
                h('a', { href: `#/complaint/${c.id}` }, ...bi('详情', 'Details')),
              ),
            ),
          ),
          bi('没有未结投诉', 'No open complaints'),
        ),
      ),
    ),
  );
}

export async function renderReception(main) {
  const lists = h('div', { id: 'reception-lists' });
  const [mine] = await Promise.all([myWork(ctx.estate), renderLists(lists)]);
  const notice = h('p', { class: 'notice', id: 'notice', role: 'status' });
  main.replaceChildren(
    h('h1', {}, ...bi('前台', 'Reception')),
    mine,
    h(
      'div',
      { class: 'columns' },
      section(
        '登记报修或投诉',
        'Register a request or complaint',
        notice,
        intakeForm(async (saved, complaint) => {
          notice.textContent = complaint
            ? `已受理投诉 / complaint received (${saved.id.slice(0, 8)})`
            : `已登记工单 / order registered (${saved.id.slice(0, 8)})`;
          await renderLists(lists);
        }),
      ),
      lists,
    ),
  );
}
