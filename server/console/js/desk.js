// The front desk's work log (前台工作日志, §7.4) in the office: a shift's
// entries, a new entry, the handover listing every item still open, the
// next shift accepting what it takes over; and the matters passed to
// departments whose status reports are due (§5.3.2), per department, the
// overdue ones marked. Every rule (what is open, when a report is due, who
// may write, hand over or take over) is core's, asked of the server.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import {
  departmentLabel,
  departmentOptions,
  deskEntryKindLabel,
  deskEntryKindOptions,
  deskNotAcceptedLabel,
  deskOutcomeLabel,
  deskOutcomeOptions,
  deskReportOverdueLabel,
  deskShiftLabel,
  deskShiftOptions,
  statusLabel,
  time,
} from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

const pad = (n) => String(n).padStart(2, '0');

/** Today's date in the office's time zone, as the log names its shift. */
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An item of the log (an entry or one carried from the shift before), by id. */
function itemSummary(log, id) {
  const e = log.entries.find((x) => x.id === id) ?? log.carried.find((x) => x.id === id);
  return e ? e.summary : id;
}

function entriesTable(v) {
  const log = v.log;
  const reported = (e) => log.reports.filter((r) => r.entry === e.id).sort((a, b) => a.at - b.at)[0];
  return table(
    [['时间', 'Time'], ['类别', 'Kind'], ['来访/来电', 'Party'], ['事项', 'Summary'], ['处理', 'Outcome'], ['部门通报', 'Department report']],
    log.entries.map((e) => {
      const r = reported(e);
      return h(
        'tr',
        { dataset: { id: e.id, outcome: e.outcome } },
        h('td', {}, time(e.at)),
        h('td', {}, deskEntryKindLabel(e.kind)),
        h('td', {}, e.party, e.unit_id ? ` ${unitNumber(e.unit_id)}` : ''),
        h('td', {}, e.summary),
        h('td', {}, deskOutcomeLabel(e.outcome), e.department ? ` → ${departmentLabel(e.department)}` : ''),
        h(
          'td',
          { class: 'report' },
          r ? `${time(r.at)} ${personName(r.by)}: ${r.note}` : e.report_due_at ? deadline(e.report_due_at) : '',
        ),
      );
    }),
    bi('本班尚无记录', 'Nothing logged this shift'),
  );
}

function entryForm(v, refresh) {
  let entryId = newRecordId();
  return section(
    '新增记录',
    'Add an entry',
    onSubmit(
      h(
        'form',
        { id: 'entry-form' },
        field('kind', '类别', 'Kind', select(deskEntryKindOptions())),
        field('party', '来访/来电人', 'Visitor or caller', h('input', {})),
        field('summary', '事项', 'Summary', h('input', {})),
        field('outcome', '处理', 'Outcome', select(deskOutcomeOptions())),
        field('department', '转交部门', 'Passed to', select([['', '— 无 none —'], ...departmentOptions()])),
        formError(),
        h('button', { type: 'submit' }, ...bi('记录', 'Log it')),
      ),
      async (f) => {
        await post(`/v1/desk-logs/${v.log.id}/entries`, {
          id: entryId,
          kind: f.kind,
          party: f.party,
          summary: f.summary,
          outcome: f.outcome,
          department: f.department || null,
        });
        entryId = newRecordId();
        await refresh();
      },
    ),
  );
}

function handOverForm(v, refresh) {
  return section(
    '交班',
    'Hand over',
    h(
      'ul',
      { class: 'open-items' },
      v.open_items.map((id) => h('li', { dataset: { id } }, itemSummary(v.log, id))),
    ),
    onSubmit(
      h(
        'form',
        { id: 'hand-over-form' },
        field('note', '交班说明', 'Handover note', h('input', {})),
        formError(),
        h('button', { type: 'submit' }, ...bi('交班', 'Hand over')),
      ),
      async (f) => {
        await post(`/v1/desk-logs/${v.log.id}/hand-over`, { note: f.note });
        await refresh();
      },
    ),
  );
}

/** The handover as the next shift sees it: every outstanding item, each to accept. */
function handover(v) {
  const log = v.log;
  const items = log.outstanding.map((id) =>
    h(
      'li',
      { dataset: { id } },
      v.may_take_over
        ? h('label', {}, h('input', { type: 'checkbox', name: 'accepted', value: id, checked: true }), ' ', itemSummary(log, id))
        : itemSummary(log, id),
      v.unaccepted.includes(id) ? [' ', h('span', { class: 'badge danger' }, deskNotAcceptedLabel())] : null,
    ),
  );
  const head = [
    h('p', {}, `${time(log.handed_at)} ${personName(log.handed_by)}`, log.handover_note ? ` · ${log.handover_note}` : ''),
    items.length ? h('ul', { class: 'outstanding' }, items) : h('p', { class: 'empty' }, ...bi('没有待交接事项', 'Nothing outstanding')),
  ];
  if (log.taken_by) {
    head.push(h('p', { class: 'taken' }, ...bi('已接班', 'Taken over'), ` ${time(log.taken_at)} ${personName(log.taken_by)}`,
      log.next_log ? [' ', h('a', { href: `#/desk/${log.next_log}` }, ...bi('下一班', 'Next shift'))] : null));
  }
  if (!v.may_take_over) return section('交接班', 'Handover', ...head);
  const shifts = select(deskShiftOptions());
  shifts.value = log.shift === 'day' ? 'night' : 'day';
  const form = h(
    'form',
    { id: 'take-over-form' },
    h('ul', { class: 'outstanding' }, items),
    field('date', '日期', 'Date', h('input', { type: 'date', value: today() })),
    field('shift', '班次', 'Shift', shifts),
    formError(),
    h('button', { type: 'submit' }, ...bi('接班', 'Take over')),
  );
  onSubmit(form, async (f) => {
    const accepted = [...form.querySelectorAll('input[name=accepted]:checked')].map((i) => i.value);
    const next = newRecordId();
    await post(`/v1/desk-logs/${log.id}/take-over`, { accepted, next_id: next, date: f.date, shift: f.shift });
    location.hash = `#/desk/${next}`;
  });
  return section('交接班', 'Handover', head[0], form);
}

function reportsDue(rows) {
  const byDepartment = new Map();
  for (const r of rows) {
    if (!byDepartment.has(r.department)) byDepartment.set(r.department, []);
    byDepartment.get(r.department).push(r);
  }
  if (!byDepartment.size) return h('p', { class: 'empty' }, ...bi('没有待通报事项', 'No reports due'));
  return [...byDepartment].map(([department, due]) =>
    h(
      'div',
      { class: 'department', dataset: { department } },
      h('h3', {}, departmentLabel(department), ` (${due.filter((r) => r.overdue).length}/${due.length})`),
      table(
        [['事项', 'Matter'], ['转交', 'Passed on'], ['通报期限', 'Report due'], ['', '']],
        due.map((r) =>
          h(
            'tr',
            { dataset: { entry: r.entry, overdue: String(r.overdue) } },
            h('td', {}, r.summary),
            h('td', {}, time(r.passed_at)),
            h('td', {}, time(r.due_at), ' ', deadline(r.due_at)),
            h('td', {}, r.overdue ? h('span', { class: 'badge danger' }, deskReportOverdueLabel()) : '',
              ' ', h('a', { href: `#/desk/${r.log_id}` }, ...bi('日志', 'Log'))),
          ),
        ),
        [],
      ),
    ),
  );
}

function openForm() {
  return section(
    '开班',
    'Open a shift',
    onSubmit(
      h(
        'form',
        { id: 'open-form', class: 'inline' },
        field('date', '日期', 'Date', h('input', { type: 'date', value: today() })),
        field('shift', '班次', 'Shift', select(deskShiftOptions())),
        formError(),
        h('button', { type: 'submit' }, ...bi('开班', 'Open the log')),
      ),
      async (f) => {
        const id = newRecordId();
        await post('/v1/desk-logs', { id, estate_id: ctx.estate, date: f.date, shift: f.shift });
        location.hash = `#/desk/${id}`;
      },
    ),
  );
}

/** The desk: one shift's log (by default the newest still open), the
 *  reports due per department, and the recent shifts. */
export async function renderDesk(main, id) {
  const estate = encodeURIComponent(ctx.estate);
  const [logs, due] = await Promise.all([get(`/v1/desk-logs?estate=${estate}`), get('/v1/desk-reports')]);
  const current = id ?? logs.find((r) => r.status === 'open')?.id;
  // After a change the same shift stays on the page, even once handed over.
  const refresh = () => renderDesk(main, current);
  const v = current ? await get(`/v1/desk-logs/${encodeURIComponent(current)}`) : null;
  const shift = v
    ? [
        h(
          'section',
          { class: 'card' },
          h('h2', {}, `${v.log.date} ${deskShiftLabel(v.log.shift)} · ${statusLabel('desk_log', v.status)}`),
          h('div', { id: 'desk-log', dataset: { id: v.log.id, status: v.status } }, entriesTable(v)),
          v.log.carried.length
            ? h('div', { id: 'carried' }, h('h3', {}, ...bi('上一班移交', 'Carried over')),
                h('ul', {}, v.log.carried.map((c) => h('li', { dataset: { id: c.id } }, c.summary))))
            : null,
        ),
        v.may_write ? entryForm(v, refresh) : null,
        v.may_hand_over ? handOverForm(v, refresh) : null,
        v.log.handed_by ? handover(v) : null,
      ]
    : [openForm()];
  main.replaceChildren(
    h('h1', {}, ...bi('前台工作日志', 'Front desk log')),
    ...shift,
    section('部门通报', 'Department status reports', h('div', { id: 'reports-due' }, reportsDue(due))),
    section(
      '近期班次',
      'Recent shifts',
      table(
        [['日期', 'Date'], ['班次', 'Shift'], ['状态', 'Status'], ['', '']],
        logs.slice(0, 14).map((r) =>
          h(
            'tr',
            { dataset: { id: r.id, status: r.status } },
            h('td', {}, r.facts.date),
            h('td', {}, deskShiftLabel(r.facts.shift)),
            h('td', {}, statusLabel('desk_log', r.status)),
            h('td', {}, h('a', { href: `#/desk/${r.id}` }, ...bi('查看', 'Open'))),
          ),
        ),
        bi('没有日志', 'No logs'),
      ),
    ),
  );
}
