// The revisit desk (回访): what done revisits still ask (an administrator
// to send at once where the accounts differ, a reply promised), every open
// revisit of the estate that is due today or late, then those coming up,
// and for a phone revisit the form the receptionist fills in on the call:
// the resident's satisfaction, what they said, whether their account
// differs from the department's, and when a promised reply is due.

import { get, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import { administersAnArea, followUpLabel, methodLabel, reasonLabel, satisfactionOptions } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

function phoneForm(r, refresh) {
  const form = h(
    'form',
    { class: 'phone-revisit', dataset: { action: 'phone-revisit' } },
    field('satisfaction', '满意度', 'Satisfaction', select([['', '— 请选择 choose —'], ...satisfactionOptions()])),
    field('comments', '业主意见', 'What the resident said', h('input', {})),
    h(
      'div',
      { class: 'field check' },
      h('label', {}, h('input', { type: 'checkbox', name: 'discrepancy' }), ' ', ...bi('业主说法与部门反馈不符', "The resident's account differs from the department's")),
    ),
    field('promised_reply_at', '承诺回复时间(未当场答复时)', 'Reply promised by (if not answered on the call)', h('input', { type: 'datetime-local' })),
    formError(),
    h('button', { type: 'submit' }, ...bi('记录电话回访', 'Record the phone revisit')),
  );
  return onSubmit(form, async (f) => {
    await post(`/v1/revisits/${r.id}/phone`, {
      satisfaction: f.satisfaction,
      comments: f.comments,
      discrepancy: f.discrepancy,
      promised_reply_at: f.promised_reply_at ? new Date(f.promised_reply_at).getTime() : null,
    });
    await refresh();
  });
}

function rows(list, refresh) {
  return list.map((r) => {
    const method = r.facts.planned_method ?? 'phone';
    return h(
      'tr',
      { dataset: { id: r.id, method, subject: r.facts.subject_id ?? '' } },
      h('td', {}, unitNumber(r.unit_id)),
      h('td', {}, reasonLabel(r.category)),
      h('td', {}, methodLabel(method)),
      h('td', {}, personName(r.assignee)),
      h('td', {}, deadline(r.due_at)),
      // In person is field work, done on the phone with the resident's signature.
      h('td', {}, method === 'phone' ? phoneForm(r, refresh) : bi('上门回访在手机上完成', 'Done on the phone, in person')),
    );
  });
}

function followUpForm(f, refresh) {
  const id = f.revisit.id;
  if (f.need === 'send_administrator') {
    const admins = [...ctx.people.values()].filter((p) => administersAnArea(p.role) && p.estates.includes(ctx.estate));
    return onSubmit(
      h(
        'form',
        { class: 'inline', dataset: { action: 'send-administrator' } },
        field('administrator', '管理员', 'Administrator', select([['', '— 请选择 choose —'], ...admins.map((p) => [p.id, p.name])])),
        formError(),
        h('button', { type: 'submit', class: 'warn' }, ...bi('派管理员上门', 'Send to site')),
      ),
      async (v) => {
        await post(`/v1/revisits/${id}/send-administrator`, { administrator: v.administrator });
        await refresh();
      },
    );
  }
  return onSubmit(
    h(
      'form',
      { class: 'inline', dataset: { action: 'reply' } },
      field('reply', '回复内容', 'The reply given', h('input', {})),
      formError(),
      h('button', { type: 'submit' }, ...bi('已回复', 'Replied')),
    ),
    async (v) => {
      await post(`/v1/revisits/${id}/reply`, { text: v.reply });
      await refresh();
    },
  );
}

function followUpRows(list, refresh) {
  return list.map((f) =>
    h(
      'tr',
      { dataset: { id: f.revisit.id, need: f.need, subject: f.revisit.facts.subject_id ?? '' } },
      h('td', {}, followUpLabel(f.need)),
      h('td', {}, unitNumber(f.revisit.unit_id)),
      h('td', {}, f.revisit.title),
      h('td', {}, deadline(f.due_at)),
      h('td', {}, followUpForm(f, refresh)),
    ),
  );
}

const HEAD = [['房号', 'Unit'], ['回访', 'Revisit'], ['方式', 'How'], ['负责人', 'Assignee'], ['期限', 'Due'], ['记录', 'Record']];

export async function renderRevisits(main) {
  const q = `estate=${encodeURIComponent(ctx.estate)}`;
  const [followUps, due, open] = await Promise.all([
    get(`/v1/revisits/follow-ups?${q}`),
    get(`/v1/revisits?${q}&due=true`),
    get(`/v1/revisits?${q}&status=planned`),
  ]);
  const refresh = () => renderRevisits(main);
  const dueIds = new Set(due.map((r) => r.id));
  const later = open.filter((r) => !dueIds.has(r.id)).sort((a, b) => a.due_at - b.due_at);
  due.sort((a, b) => a.due_at - b.due_at);
  main.replaceChildren(
    h('h1', {}, ...bi('回访', 'Revisits')),
    section(
      '回访后跟进',
      'Follow-ups after a revisit',
      h(
        'div',
        { id: 'follow-ups' },
        table(
          [['跟进', 'What'], ['房号', 'Unit'], ['业主意见', 'What the resident said'], ['期限', 'Due'], ['处理', 'Act']],
          followUpRows(followUps, refresh),
          bi('没有待跟进', 'Nothing to follow up'),
        ),
      ),
    ),
    section(
      '今日到期及逾期',
      'Due today and late',
      h('div', { id: 'revisits-due' }, table(HEAD, rows(due, refresh), bi('今天没有到期的回访', 'Nothing due today'))),
    ),
    section(
      '即将到期',
      'Coming up',
      h('div', { id: 'revisits-later' }, table(HEAD, rows(later, refresh), bi('没有', 'None'))),
    ),
  );
}
