// The company's rules and calendar (公司规则与工作日历): every setting with
// its words from core (GET /v1/labels), the director's changes checked by the
// server as a rules file is, the refusal beside the setting it names and
// everything typed kept; and the calendar replaced whole from pasted or
// uploaded JSON in the format of calendar-cn.json. What is saved reaches
// every phone at its next sync.

import { api, get } from './api.js';
import { roleLabel, settingLabels } from './format.js';
import { bi, field, formError, h, onSubmit, section } from './forms.js';

/** rules["repairs"]["urgent_deadline"] for "repairs.urgent_deadline". */
function at(rules, code) {
  return code.split('.').reduce((v, k) => (v == null ? undefined : v[k]), rules);
}

/** One input per setting; quotas one per role the rules list. */
function inputs(rules, editable) {
  const out = [];
  for (const s of settingLabels()) {
    const value = at(rules, s.code);
    if (s.code === 'monthly_quotas') {
      for (const [role, n] of Object.entries(value ?? {})) {
        const input = h('input', { type: 'number', min: '0', step: '1', value: String(n), disabled: !editable });
        out.push(field(`monthly_quotas.${role}`, `${s.zh}:${roleLabel(role)}`, s.en, input));
      }
      out.push(h('div', { class: 'error', 'data-error-for': 'monthly_quotas', role: 'alert' }));
      continue;
    }
    const number = typeof value === 'number';
    const input = h('input', {
      type: number ? 'number' : 'text',
      step: number ? 'any' : null,
      value: value == null ? '' : String(value),
      disabled: !editable,
    });
    out.push(field(s.code, s.zh, s.en, input));
  }
  return out;
}

/** The form's dotted values as the rules' nested settings; numbers as
 *  numbers where they read as one (the server names what does not). */
function nested(form) {
  const rules = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const value = el.type === 'number' && el.value.trim() !== '' && !Number.isNaN(Number(el.value))
      ? Number(el.value)
      : el.value;
    const keys = el.name.split('.');
    let into = rules;
    for (const k of keys.slice(0, -1)) into = into[k] ??= {};
    into[keys.at(-1)] = value;
  }
  return rules;
}

function calendarSummary(view) {
  return h(
    'div',
    { id: 'calendar-summary' },
    h('p', {}, ...bi('覆盖年份', 'Years covered'), ':', h('span', { id: 'calendar-years' }, view.calendar_years.join(', '))),
    view.provisional_years.length
      ? h('p', {}, ...bi('暂定年份', 'Provisional years'), ':', view.provisional_years.join(', '))
      : null,
    view.calendar_behind_zh
      ? h('p', { class: 'error', id: 'calendar-behind' }, `${view.calendar_behind_zh} / ${view.calendar_behind_en}`)
      : null,
  );
}

export async function renderCompany(view) {
  const rules = await get('/v1/company/rules');
  const notice = h('p', { class: 'notice', id: 'company-notice', role: 'status' });
  const editable = rules.may_edit;

  const rulesForm = onSubmit(
    h(
      'form',
      { id: 'rules-form', class: 'grid' },
      inputs(rules.rules, editable),
      formError(),
      editable ? h('button', { type: 'submit' }, ...bi('保存规则', 'Save the rules')) : null,
    ),
    async () => {
      const saved = await api('PUT', '/v1/company/rules', { rules: nested(rulesForm) });
      notice.textContent = '规则已保存,手机下次同步后生效 / Saved: phones apply them after their next sync';
      summary.replaceWith((summary = calendarSummary(saved)));
    },
  );

  const text = h('textarea', { rows: '12', spellcheck: 'false', disabled: !editable });
  text.value = JSON.stringify(rules.calendar, null, 2);
  const upload = h('input', { type: 'file', accept: 'application/json,.json', disabled: !editable });
  upload.addEventListener('change', async () => {
    const file = upload.files?.[0];
    if (file) text.value = await file.text();
  });
  const calendarForm = onSubmit(
    h(
      'form',
      { id: 'calendar-form' },
      field('calendar', '日历 JSON(calendar-cn.json 格式)', 'Calendar JSON (calendar-cn.json format)', text),
      field('calendar_file', '或上传文件', 'or upload a file', upload),
      formError(),
      editable ? h('button', { type: 'submit' }, ...bi('替换日历', 'Replace the calendar')) : null,
    ),
    async () => {
      let calendar;
      try {
        calendar = JSON.parse(text.value);
      } catch (e) {
        throw { field: 'calendar', zh: `不是有效的 JSON:${e.message}`, en: `not valid JSON: ${e.message}` };
      }
      const saved = await api('PUT', '/v1/company/calendar', calendar);
      notice.textContent = '日历已替换,手机下次同步后生效 / Calendar replaced: phones apply it after their next sync';
      summary.replaceWith((summary = calendarSummary(saved)));
    },
  );

  let summary = calendarSummary(rules);
  view.replaceChildren(
    h('h1', {}, ...bi('公司规则与工作日历', "The company's rules and calendar")),
    editable ? null : h('p', { class: 'empty' }, ...bi('只有主任可以修改', 'Only the director changes them')),
    notice,
    section('规则', 'Rules', rulesForm),
    section('工作日历', 'Working calendar', summary, calendarForm),
  );
}
