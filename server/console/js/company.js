// The company's rules and calendar (公司规则与工作日历): every setting with
// its words from core (GET /v1/labels), the director's changes checked by the
// server as a rules file is, the refusal beside the setting it names and
// everything typed kept; and the calendar replaced whole from pasted or
// uploaded JSON in the format of calendar-cn.json. What is saved reaches
// every phone at its next sync.

import { api, get } from './api.js';
import { roleLabel, settingLabels, time, yuan } from './format.js';
import { bi, field, formError, h, onSubmit, section, table } from './forms.js';

/** rules["repairs"]["urgent_deadline"] for "repairs.urgent_deadline". */
function at(rules, code) {
  return code.split('.').reduce((v, k) => (v == null ? undefined : v[k]), rules);
}

/** One input per setting; quotas one per role the rules list. */
function inputs(rules, editable) {
  const out = [];
  for (const s of settingLabels()) {
    // The price list is a table of its own (priceListSection).
    if (s.code === 'price_list') continue;
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

/** Saves `list` as the whole price list; a refusal of the item at `index`
 *  is shown beside the field it names in `form`. */
async function savePriceList(list, index) {
  try {
    return await api('PUT', '/v1/company/rules', { rules: { price_list: list } });
  } catch (err) {
    const prefix = `price_list[${index}].`;
    if (err.field?.startsWith(prefix)) err.field = err.field.slice(prefix.length);
    throw err;
  }
}

/** Yuan typed as "12.5" in fen; empty is a price agreed on site (面议). */
function fenOf(text) {
  if (text.trim() === '') return null;
  const yuanValue = Number(text);
  if (!Number.isFinite(yuanValue)) {
    throw { field: 'price_yuan', zh: '价格须为数字(元)', en: 'the price is a number of yuan' };
  }
  return Math.round(yuanValue * 100);
}

/** The price list (价目表): items are added, and retired rather than edited
 *  or removed, so quotes already made keep the price they were made at. */
function priceListSection(rules, editable, refresh) {
  const words = settingLabels().find((s) => s.code === 'price_list');
  const list = rules.price_list ?? [];
  const rows = list.map((item, i) =>
    h(
      'tr',
      { dataset: { item: item.id } },
      h('td', {}, item.id),
      h('td', {}, item.name_zh, ' ', h('span', { class: 'en' }, item.name_en)),
      h('td', {}, item.unit),
      h('td', {}, item.price_fen == null ? '面议 agreed on site' : yuan(item.price_fen)),
      h(
        'td',
        {},
        item.retired_at
          ? `已停用 retired ${time(item.retired_at)}`
          : editable
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'retire',
                  onclick: async () => {
                    const next = list.map((p, j) => (j === i ? { ...p, retired_at: Date.now() } : p));
                    try {
                      await savePriceList(next, i);
                    } catch (err) {
                      alert(`${err.zh} / ${err.en}`);
                    }
                    await refresh();
                  },
                },
                ...bi('停用', 'Retire'),
              )
            : '在用 offered',
      ),
    ),
  );
  const addForm = onSubmit(
    h(
      'form',
      { id: 'price-item-form', class: 'grid' },
      field('id', '项目编号', 'Code', h('input', { required: true })),
      field('name_zh', '项目名称', 'Name (Chinese)', h('input', { required: true })),
      field('name_en', '英文名称', 'Name (English)', h('input')),
      field('unit', '计价单位', 'Unit', h('input', { required: true, placeholder: '次 / 个 / 米' })),
      field('price_yuan', '单价(元,空为面议)', 'Price (yuan; empty: agreed on site)', h('input', { inputmode: 'decimal' })),
      formError(),
      h('button', { type: 'submit' }, ...bi('添加项目', 'Add the item')),
    ),
    async (v) => {
      const item = { id: v.id.trim(), name_zh: v.name_zh.trim(), name_en: v.name_en.trim(), unit: v.unit.trim(), price_fen: fenOf(v.price_yuan) };
      await savePriceList([...list, item], list.length);
      await refresh();
    },
  );
  return section(
    words.zh,
    words.en,
    h('div', { id: 'price-list' },
      table(
        [['编号', 'Code'], ['名称', 'Name'], ['单位', 'Unit'], ['单价', 'Price'], ['状态', 'State']],
        rows,
        bi('尚无价目表:有偿服务按金额报价', 'No price list yet: paid jobs are quoted as an amount'),
      ),
    ),
    editable ? addForm : null,
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
    priceListSection(rules.rules, editable, () => renderCompany(view)),
    section('工作日历', 'Working calendar', summary, calendarForm),
  );
}
