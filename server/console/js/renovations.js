// Renovations (二次装修, seed 003 第6篇): the applications of the estate with
// their acceptance due and overdue, a new application, and one application's
// page: its permit, workers' passes, extensions, completion, acceptance on
// site, deposit and the renovation patrols that checked it. Which steps a
// person may take is the server's answer (core's write policy).

import { get, newRecordId, post } from './api.js';
import { ctx, placeLink } from './app.js';
import { moveInBarredLabel, statusLabel, time, yuan } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';
import { recordLink } from './links.js';

const dateMs = (v) => (v ? new Date(v).getTime() : NaN);

function applyForm() {
  const estate = ctx.estates.find((e) => e.id === ctx.estate) ?? ctx.estates[0];
  const id = newRecordId();
  const form = h(
    'form',
    { id: 'renovation-apply', class: 'stack' },
    field('place', '房号', 'Unit', select([['', '—'], ...(estate?.units ?? []).map((u) => [u.id, u.number])])),
    field('owner_name', '业主姓名', 'Owner', h('input')),
    field('owner_phone', '业主电话', 'Owner’s phone', h('input', { inputmode: 'tel' })),
    field('contractor', '装修单位', 'Contractor', h('input')),
    field('contractor_phone', '装修单位电话', 'Contractor’s phone', h('input', { inputmode: 'tel' })),
    field('work', '装修项目', 'Planned work', h('textarea', { rows: 2 })),
    field('planned_start', '开工日期', 'Start', h('input', { type: 'date' })),
    field('planned_end', '完工日期', 'End', h('input', { type: 'date' })),
    field('deposit_yuan', '装修押金(元)', 'Deposit (yuan)', h('input', { inputmode: 'decimal', value: '0' })),
    formError(),
    h('button', { type: 'submit' }, ...bi('登记申请', 'Register the application')),
  );
  return onSubmit(form, async (v) => {
    const deposit = Number(v.deposit_yuan || 0);
    if (!Number.isFinite(deposit)) throw { field: 'deposit_yuan', zh: '请填写金额', en: 'enter an amount' };
    if (Number.isNaN(dateMs(v.planned_start))) throw { field: 'planned_start', zh: '请选择日期', en: 'choose a date' };
    if (Number.isNaN(dateMs(v.planned_end))) throw { field: 'planned_end', zh: '请选择日期', en: 'choose a date' };
    await post('/v1/renovations', {
      id,
      estate_id: estate.id,
      unit_id: v.place,
      owner_name: v.owner_name,
      owner_phone: v.owner_phone,
      contractor: v.contractor,
      contractor_phone: v.contractor_phone,
      work: v.work,
      planned_start: dateMs(v.planned_start),
      planned_end: dateMs(v.planned_end) + 86_399_000,
      deposit_fen: Math.round(deposit * 100),
    });
    location.hash = `#/renovation/${id}`;
  });
}

export async function renderRenovations(main) {
  const estate = ctx.estate ? `?estate=${encodeURIComponent(ctx.estate)}` : '';
  const rows = (await get(`/v1/renovations${estate}`)).map((r) =>
    h(
      'tr',
      { dataset: { renovation: r.id, status: r.status } },
      h('td', {}, placeLink({ unit_id: r.unit_id })),
      h('td', {}, h('a', { href: `#/renovation/${r.id}` }, r.title)),
      h('td', {}, r.facts.contractor),
      h('td', {}, statusLabel('renovation', r.status)),
      h('td', {}, r.due_at ? deadline(r.due_at) : ''),
      h('td', {}, r.facts.move_in_barred ? moveInBarredLabel() : ''),
    ),
  );
  main.replaceChildren(
    h('h1', {}, ...bi('装修管理', 'Renovations')),
    section(
      '装修申请',
      'Applications',
      h(
        'div',
        { id: 'renovations' },
        table(
          [['房号', 'Unit'], ['装修项目', 'Work'], ['装修单位', 'Contractor'], ['状态', 'Status'], ['验收期限', 'Acceptance due'], ['', '']],
          rows,
          bi('没有装修申请', 'No applications'),
        ),
      ),
    ),
    section('新的装修申请', 'New application', applyForm()),
  );
}

/** The form of one step; `fields` are its inputs, `body` makes the request. */
function stepForm(id, step, zh, en, fields, body, refresh) {
  const form = h(
    'form',
    { class: 'inline', dataset: { step } },
    ...fields,
    formError(),
    h('button', { type: 'submit' }, ...bi(zh, en)),
  );
  return onSubmit(form, async (v) => {
    await post(`/v1/renovations/${id}/steps`, { step, ...body(v) });
    await refresh();
  });
}

function steps(view, id, refresh) {
  const may = new Set(view.may);
  const at = (v, name) => {
    const ms = dateMs(v[name]);
    if (Number.isNaN(ms)) throw { field: name, zh: '请选择日期', en: 'choose a date' };
    return ms + 86_399_000;
  };
  const forms = [];
  const add = (step, ...rest) => may.has(step) && forms.push(stepForm(id, step, ...rest, refresh));
  add('approve', '批准', 'Approve', [], () => ({}));
  add('refuse', '不批准', 'Refuse', [field('reason', '原因', 'Reason', h('input'))], (v) => ({ reason: v.reason }));
  add('permit', '发施工许可证', 'Issue the permit', [field('permit_no', '许可证号', 'Permit no.', h('input'))], (v) => ({ permit_no: v.permit_no }));
  add('take_deposit', '收押金', 'Take the deposit', [], () => ({}));
  add(
    'pass',
    '发工作证',
    'Issue a pass',
    [
      field('name', '姓名', 'Name', h('input')),
      field('id_number', '身份证号', 'ID number', h('input')),
      field('valid_until', '有效期至', 'Valid until', h('input', { type: 'date' })),
    ],
    (v) => ({ pass_id: newRecordId(), name: v.name, id_number: v.id_number, valid_until: at(v, 'valid_until') }),
  );
  add(
    'extend',
    '延期',
    'Extend',
    [field('until', '延期至', 'Until', h('input', { type: 'date' })), field('reason', '原因', 'Reason', h('input'))],
    (v) => ({ extension_id: newRecordId(), until: at(v, 'until'), reason: v.reason }),
  );
  add('finished', '完工', 'Works finished', [], () => ({ completion_id: newRecordId() }));
  add(
    'accept',
    '验收',
    'Acceptance',
    [
      field('passed', '结果', 'Verdict', select([['true', '验收合格 Passed'], ['false', '验收不合格 Failed']])),
      field('defects', '问题', 'Defects', h('input')),
    ],
    (v) => ({ acceptance_id: newRecordId(), passed: v.passed === 'true', defects: v.defects }),
  );
  add('refund_deposit', '退押金', 'Refund the deposit', [], () => ({}));
  return forms;
}

export async function renderRenovation(main, id) {
  const refresh = () => renderRenovation(main, id);
  const v = await get(`/v1/renovations/${id}`);
  const r = v.renovation;
  const hidden = h('span', { class: 'personal hidden' }, ...bi('已隐藏', 'hidden'));
  const passes = r.passes.map((p) =>
    h('tr', { dataset: { pass: p.id } }, h('td', { class: 'personal' }, p.name || hidden.cloneNode(true)), h('td', { class: 'personal' }, p.id_number || hidden.cloneNode(true)), h('td', {}, time(p.valid_until))),
  );
  const log = [
    ...r.extensions.map((e) => [e.at, bi('延期至', 'Extended to'), `${time(e.until)} ${e.reason}`]),
    ...r.completions.map((c) => [c.at, bi('完工', 'Finished'), `${time(c.acceptance_due_at)} 前验收 / accept by`]),
    ...r.acceptances.map((a) => [a.at, a.passed ? bi('验收合格', 'Passed') : bi('验收不合格', 'Failed'), a.defects]),
  ]
    .sort((a, b) => a[0] - b[0])
    .map(([at, what, note]) => h('tr', {}, h('td', {}, time(at)), h('td', {}, ...what), h('td', {}, note)));
  const patrols = v.patrols.map((p) => h('tr', { dataset: { patrol: p.id } }, h('td', {}, time(p.created_at)), h('td', {}, recordLink(p)), h('td', {}, String(p.facts.defects ?? 0))));
  main.replaceChildren(
    h('h1', {}, ...bi('装修申请', 'Renovation application'), ' ', placeLink(r.place)),
    h(
      'dl',
      { id: 'renovation', class: 'facts', dataset: { status: v.status } },
      h('dt', {}, ...bi('状态', 'Status')),
      h('dd', { id: 'renovation-status' }, statusLabel('renovation', v.status)),
      v.move_in_barred ? h('dd', { id: 'move-in-barred', class: 'warning' }, moveInBarredLabel()) : '',
      h('dt', {}, ...bi('业主', 'Owner')),
      h('dd', { class: 'personal' }, r.owner_name || hidden.cloneNode(true), ' ', r.owner_phone || ''),
      h('dt', {}, ...bi('装修单位', 'Contractor')),
      h('dd', {}, `${r.contractor} ${r.contractor_phone}`),
      h('dt', {}, ...bi('装修项目', 'Work')),
      h('dd', {}, r.work),
      h('dt', {}, ...bi('施工期', 'Period')),
      h('dd', { id: 'renovation-period' }, `${time(r.planned_start)} – ${time(v.period_end)}`),
      h('dt', {}, ...bi('许可证号', 'Permit no.')),
      h('dd', {}, r.permit_no || '—'),
      h('dt', {}, ...bi('押金', 'Deposit')),
      h('dd', {}, yuan(r.deposit_fen), ' ', r.deposit_refunded_at ? bi('已退', 'refunded') : r.deposit_taken_at ? bi('已收', 'held') : ''),
      v.acceptance_due_at ? [h('dt', {}, ...bi('验收期限', 'Acceptance due')), h('dd', {}, deadline(v.acceptance_due_at))] : '',
    ),
    h('div', { id: 'renovation-steps' }, ...steps(v, id, refresh)),
    section('工作证', 'Workers’ passes', table([['姓名', 'Name'], ['身份证号', 'ID number'], ['有效期至', 'Valid until']], passes, bi('无', 'None'))),
    section('记录', 'Log', table([['时间', 'When'], ['事项', 'What'], ['说明', 'Note']], log, bi('无', 'None'))),
    section('装修巡查', 'Renovation patrols', h('div', { id: 'renovation-patrols' }, table([['时间', 'When'], ['巡查', 'Patrol'], ['缺陷', 'Defects']], patrols, bi('无', 'None')))),
  );
}
