// One complaint in full: what the resident said, its clocks and stage, an
// emergency's steps and written reports, and a form for each step the
// signed-in person may take now. Which steps those are is the server's
// answer (asked of core's rules and write policy), never a list kept here.

import { get, post } from './api.js';
import { ctx, personName, placeLink } from './app.js';
import { clockLabel, clockStateLabel, stageLabel, statusLabel, stepWords, time } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

/** Where each step is posted, and what of the form it sends. */
const STEPS = {
  dispatch: { path: 'dispatch', body: (f) => ({ department: f.department }), input: 'department' },
  answer: { path: 'answer', body: (f) => ({ text: f.text }), input: ['答复内容(何时能完成)', 'Answer: when it will be done'] },
  resolve: { path: 'resolve', body: (f) => ({ text: f.text }), input: ['处理结果', 'What was done'] },
  verify: { path: 'verify', body: (f) => ({ text: f.text }), input: ['核实情况', 'What was checked'] },
  site_report: { path: 'written-report', body: (f) => ({ level: 'site', text: f.text }), input: ['书面报告', 'Written report'] },
  company_report: { path: 'written-report', body: (f) => ({ level: 'company', text: f.text }), input: ['书面报告', 'Written report'] },
  notify_departments: { path: 'notify-departments', body: () => ({}) },
  escalate_site: { path: 'escalate', body: () => ({ level: 'site' }) },
  escalate_company: { path: 'escalate', body: () => ({ level: 'company' }) },
  report_back: { path: 'report-back', body: () => ({}) },
  close: { path: 'close', body: () => ({}) },
};

function stepForm(id, step, refresh) {
  const how = STEPS[step];
  if (!how) return null; // classify is on the supervisor's board
  let input = null;
  if (how.input === 'department') {
    input = field(
      'department',
      '部门',
      'Department',
      select([['', '— 部门 department —'], ...ctx.departments.map((d) => [d.id, `${d.name_zh} ${d.name_en}`])]),
    );
  } else if (how.input) {
    input = field('text', how.input[0], how.input[1], h('input', {}));
  }
  const [zh, en] = stepWords(step);
  return onSubmit(
    h('form', { id: `step-${step}`, class: input ? null : 'inline' }, input, formError(), h('button', { type: 'submit' }, ...bi(zh, en))),
    async (f) => {
      await post(`/v1/complaints/${id}/${how.path}`, how.body(f));
      await refresh();
    },
  );
}

function dl(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).flatMap(([zh, en, v]) => [h('dt', {}, ...bi(zh, en)), h('dd', {}, v || '—')]),
  );
}

function emergencyFacts(c) {
  const e = c;
  return dl([
    ['通知相关部门', 'Departments told', time(e.departments_notified_at)],
    ['上报管理处', 'Escalated to the site', time(e.site_escalated_at)],
    e.site_escalated_at && ['管理处书面报告', 'Site written report', e.site_report ? `${e.site_report} (${time(e.site_report_at)})` : ''],
    ['上报公司', 'Escalated to the company', time(e.company_escalated_at)],
    e.company_escalated_at && ['公司书面报告', 'Company written report', e.company_report ? `${e.company_report} (${time(e.company_report_at)})` : ''],
    ['完成后核实', 'Verified', e.verification ? `${e.verification} (${time(e.verified_at)})` : ''],
  ]);
}

export async function renderComplaint(main, id) {
  const v = await get(`/v1/complaints/${encodeURIComponent(id)}`);
  const c = v.complaint;
  const b = v.board;
  const refresh = () => renderComplaint(main, id);
  const resolved = c.events.find((e) => e.to === 'resolved');
  const forms = v.steps.map((s) => stepForm(c.id, s, refresh)).filter(Boolean);
  main.replaceChildren(
    ...[
      h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => history.back() }, '← 返回 Back')),
      h(
        'h1',
        {},
        c.emergency ? h('strong', { class: 'badge danger' }, '紧急 Emergency') : null,
        ' ',
        c.subject,
        ' ',
        h('span', { class: 'badge', id: 'complaint-status' }, statusLabel('complaint', b.status)),
        ' ',
        h('span', { class: `badge stage ${b.stage}`, id: 'complaint-stage' }, stageLabel(b.stage)),
      ),
      h(
        'div',
        { class: 'columns' },
        section(
          '投诉',
          'Complaint',
          dl([
            ['房号', 'Unit', placeLink(c.place)],
            ['内容', 'What the resident said', c.content],
            ['业主', 'Resident', `${c.resident.name} ${c.resident.phone}`],
            ['受理', 'Received', time(c.received_at)],
            ['首问责任人', 'First contact', personName(c.first_contact)],
            ['部门', 'Department', personName(b.department)],
            ['部门答复', 'Department answer', c.answer ? h('span', { id: 'complaint-answer' }, c.answer) : ''],
            ['处理结果', 'Resolution', resolved?.reason ? h('span', { id: 'complaint-resolution' }, resolved.reason) : ''],
            ['有效性', 'Validity', c.valid == null ? '' : c.valid ? '有效 valid' : '无效 not valid'],
          ]),
          c.emergency ? h('div', { id: 'emergency-steps' }, emergencyFacts(c)) : null,
        ),
        section(
          '下一步',
          'Next steps',
          h('div', { id: 'complaint-steps' }, forms.length ? forms : h('p', { class: 'empty' }, ...bi('您现在没有可做的步骤', 'Nothing for you to do on it now'))),
        ),
        section(
          '时限',
          'Clocks',
          h(
            'div',
            { id: 'complaint-clocks' },
            table(
              [['时限', 'Clock'], ['期限', 'Due'], ['完成', 'Done'], ['状态', 'State']],
              b.clocks.map((k) =>
                h(
                  'tr',
                  { dataset: { clock: k.kind, state: k.state }, class: k.state },
                  h('td', {}, clockLabel(k.kind)),
                  h('td', {}, time(k.due_at)),
                  h('td', {}, k.done_at ? time(k.done_at) : deadline(k.due_at)),
                  h('td', {}, clockStateLabel(k.state)),
                ),
              ),
              bi('无', 'None'),
            ),
          ),
        ),
      ),
    ].filter(Boolean),
  );
}
