// Satisfaction surveys (满意度调查, seed 003 第8篇) in the office: the
// estate's surveys and when the next half-yearly one is due; a new survey
// with its service items and sample size (the server draws the households);
// and one survey in full: sending the forms, typing in paper forms, counting
// it, the half-yearly report of each item's satisfaction rate with a chart
// beside the survey before, and the actions (整改) on the worst items. What
// the signed-in person may do is the server's answer.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import { compare } from './charts.js';
import {
  findingLabel,
  occasionLabel,
  occasionOptions,
  percent,
  satisfactionLabel,
  satisfactionOptions,
  statusLabel,
  time,
  viaLabel,
} from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

function openForm(items) {
  const names = h('textarea', { rows: 7 }, items.map((i) => i.name).join('\n'));
  const started = h('input', { type: 'date' });
  const form = h(
    'form',
    { id: 'survey-open' },
    field('title', '调查名称', 'Title', h('input', { value: `${new Date().getFullYear()}年顾客满意度调查` })),
    field('occasion', '调查类别', 'Occasion', select(occasionOptions())),
    field('service_started', '新增服务开始日期', 'New service started on', started),
    field('items', '服务内容(每行一项)', 'Service items (one a line)', names),
    field('sample_size', '抽样户数', 'Households to sample', h('input', { type: 'number', min: 1, value: 30 })),
    formError(),
    h('button', { type: 'submit' }, ...bi('抽样并建立调查', 'Draw the sample and open')),
  );
  let id = newRecordId();
  return onSubmit(form, async (v) => {
    // A line keeps its item's code when its name is unchanged, so the
    // survey compares with the one before item by item.
    const lines = v.items.split('\n').map((l) => l.trim()).filter(Boolean);
    const body = {
      id,
      estate_id: ctx.estate,
      title: v.title,
      occasion: v.occasion,
      service_started: v.service_started || null,
      items: lines.map((name, n) => ({ id: items.find((i) => i.name === name)?.id ?? `item-${n + 1}`, name })),
      sample_size: Number(v.sample_size) || 0,
    };
    const opened = await post('/v1/surveys', body);
    id = newRecordId();
    location.hash = `#/survey/${opened.id}`;
  });
}

export async function renderSurveys(main) {
  const q = `estate=${encodeURIComponent(ctx.estate)}`;
  const [rows, due, items] = await Promise.all([
    get(`/v1/surveys?${q}`),
    get('/v1/surveys/due'),
    get(`/v1/surveys/items?${q}`),
  ]);
  const mine = due.find((d) => d.estate_id === ctx.estate);
  main.replaceChildren(
    h('h1', {}, ...bi('满意度调查', 'Satisfaction surveys')),
    h(
      'p',
      { id: 'survey-due', class: mine?.due_now ? 'badge danger' : 'badge ok' },
      mine?.due
        ? [`下次半年度调查 ${mine.due} `, h('span', { class: 'en' }, `next half-yearly survey due ${mine.due}`)]
        : bi('尚未做过半年度调查,应即开展', 'never surveyed: a half-yearly survey is due now'),
    ),
    section(
      '本小区的调查',
      'Surveys of this estate',
      h(
        'div',
        { id: 'surveys' },
        table(
          [['调查', 'Survey'], ['类别', 'Occasion'], ['状态', 'Status'], ['回收', 'Back'], ['回收期限', 'Due back'], ['', '']],
          rows.map((r) =>
            h(
              'tr',
              { dataset: { id: r.id, status: r.status } },
              h('td', {}, r.title),
              h('td', {}, occasionLabel(r.category)),
              h('td', {}, statusLabel('survey', r.status)),
              h('td', {}, `${r.facts.returned}/${r.facts.sample}`),
              h('td', {}, r.status === 'collecting' && r.due_at ? deadline(r.due_at) : time(r.facts.due_at)),
              h('td', {}, h('a', { href: `#/survey/${r.id}` }, ...bi('详情', 'Details'))),
            ),
          ),
          bi('还没有调查', 'No surveys yet'),
        ),
      ),
    ),
    await yearlySection(items, new Date().getFullYear()),
    section('新建调查', 'New survey', openForm(items)),
  );
}

/** The yearly report (年度满意度调查分析): the year's surveys side by side,
 *  each item's rate in each and over the year (valid surveys only), the
 *  lowest and the fallen, charted as the server compared them: the year's
 *  first valid survey against its last. */
async function yearlySection(items, year) {
  const body = h('div', {}, await yearReport(items, year));
  const yearInput = h('input', { type: 'number', name: 'year', value: String(year), min: 2000, max: 2100 });
  // Only the latest year asked for is shown, however the answers arrive.
  let asked = 0;
  return section(
    '年度调查报告',
    'Yearly survey report',
    h(
      'form',
      {
        id: 'survey-year-form',
        class: 'inline',
        onsubmit: async (ev) => {
          ev.preventDefault();
          const mine = ++asked;
          const report = await yearReport(items, Number(yearInput.value) || year);
          if (mine === asked) body.replaceChildren(report);
        },
      },
      h('label', {}, ...bi('年份', 'Year'), ' ', yearInput),
      h('button', { type: 'submit' }, ...bi('查看', 'Show')),
    ),
    body,
  );
}

async function yearReport(items, year) {
  const v = await get(`/v1/surveys/yearly?estate=${encodeURIComponent(ctx.estate)}&year=${year}`);
  const name = (code) => items.find((i) => i.id === code)?.name ?? code;
  const r = v.result;
  const [first, last] = r.compared ?? [];
  return h(
    'div',
    {},
    h(
      'p',
      { id: 'survey-year-summary' },
      `${v.year}年 · 调查 ${r.surveys} surveys · 有效 ${r.valid} valid · 全年满意率 year's rate ${percent(r.overall_rate)}`,
      r.lowest.length ? ` · 最低 lowest: ${r.lowest.map(name).join('、')}` : '',
      r.fallen.length ? ` · 下降 fell: ${r.fallen.map(name).join('、')}` : '',
    ),
    h(
      'div',
      { id: 'survey-year' },
      table(
        [['服务内容', 'Item'], ...v.surveys.map((s) => [s.title, `${time(s.sent_at)}${s.valid ? '' : ' (无效 invalid)'}`]), ['全年', 'Year']],
        r.items.map((i) =>
          h(
            'tr',
            { dataset: { item: i.item } },
            h('td', {}, name(i.item)),
            i.rates.map((rate) => h('td', {}, percent(rate))),
            h('td', { class: 'rate' }, percent(i.year_rate)),
          ),
        ),
        bi('这一年没有调查', 'No surveys in this year'),
      ),
    ),
    r.compared
      ? h(
          'div',
          { id: 'survey-year-chart' },
          compare(
            r.items.map((i) => ({ code: i.item, label: name(i.item), now: i.rates[last], before: i.rates[first] })),
            {
              title: 'satisfaction rate by item, the year’s last valid survey beside its first',
              nowName: `年内最后 ${v.surveys[last].title}`,
              beforeName: `年内首次 ${v.surveys[first].title}`,
            },
          ),
        )
      : null,
  );
}

function itemName(survey, code) {
  return survey.items.find((i) => i.id === code)?.name ?? code;
}

function findings(result, code) {
  const marks = ['lowest', 'most_dissatisfied', 'fallen'].filter((f) => result[f].includes(code));
  return marks.map((f) => h('span', { class: 'badge danger', dataset: { finding: f } }, findingLabel(f)));
}

function paperForm(v, refresh) {
  const survey = v.survey;
  const form = h(
    'form',
    { id: 'survey-form' },
    field('unit_id', '住户', 'Household', select(v.outstanding.map((u) => [u, unitNumber(u)]))),
    ...survey.items.map((i) => field(`rating:${i.id}`, i.name, '', select(satisfactionOptions()))),
    field('comments', '意见与建议', 'Comments', h('input', {})),
    formError(),
    h('button', { type: 'submit' }, ...bi('录入纸质调查表', 'Enter the paper form')),
  );
  for (const s of form.querySelectorAll('select[name^="rating:"]')) s.value = 'satisfied';
  let id = newRecordId();
  return onSubmit(form, async (values) => {
    const ratings = survey.items.map((i) => ({ item: i.id, rating: values[`rating:${i.id}`] }));
    await post(`/v1/surveys/${survey.id}/forms`, { id, unit_id: values.unit_id, ratings, comments: values.comments });
    id = newRecordId();
    await refresh();
  });
}

function actionForm(v, refresh) {
  const survey = v.survey;
  const first = [...v.without_action, ...survey.items.map((i) => i.id).filter((i) => !v.without_action.includes(i))];
  const people = [...ctx.people.values()].filter((p) => p.estates?.includes(survey.estate_id) ?? true);
  const form = h(
    'form',
    { id: 'survey-action' },
    field('item', '服务内容', 'Item', select(first.map((i) => [i, itemName(survey, i)]))),
    field('owner', '负责人', 'Owner', select(people.map((p) => [p.id, p.name]))),
    field('measure', '整改措施', 'Measure', h('input', {})),
    formError(),
    h('button', { type: 'submit' }, ...bi('安排整改', 'Assign the action')),
  );
  let id = newRecordId();
  return onSubmit(form, async (values) => {
    await post(`/v1/surveys/${survey.id}/actions`, { id, ...values });
    id = newRecordId();
    await refresh();
  });
}

function report(v) {
  const { survey, result, previous } = v;
  const before = previous?.result;
  const rows = result.items.map((i) =>
    h(
      'tr',
      { dataset: { item: i.item } },
      h('td', {}, itemName(survey, i.item)),
      h('td', {}, `${i.satisfied}/${i.ratings}`),
      h('td', { class: 'rate' }, percent(i.rate)),
      h('td', {}, percent(i.dissatisfied_rate)),
      h('td', { class: 'previous' }, percent(i.previous_rate)),
      h('td', {}, findings(result, i.item)),
    ),
  );
  return section(
    '半年度调查报告',
    'Half-yearly survey report',
    h(
      'p',
      { id: 'survey-validity', class: result.valid ? 'badge ok' : 'badge danger' },
      findingLabel(result.valid ? 'valid' : 'invalid'),
      ` · 回收 ${result.returned}/${result.sample} (${percent(result.return_rate)}) · 总满意率 overall ${percent(result.overall_rate)}`,
    ),
    h(
      'div',
      { id: 'survey-rates' },
      table(
        [['服务内容', 'Item'], ['满意/评定', 'Satisfied/rated'], ['满意率', 'Rate'], ['不满意率', 'Dissatisfied'], ['上次', 'Last time'], ['', '']],
        rows,
        bi('没有服务内容', 'No items'),
      ),
    ),
    h(
      'div',
      { id: 'survey-chart' },
      compare(
        result.items.map((i) => ({ code: i.item, label: itemName(survey, i.item), now: i.rate, before: i.previous_rate })),
        {
          title: 'satisfaction rate by item, beside the previous survey',
          nowName: `本次 ${survey.title}`,
          beforeName: previous ? `上次 ${previous.title}` : '无上次调查 no previous survey',
        },
      ),
    ),
  );
}

export async function renderSurvey(main, id) {
  const refresh = () => renderSurvey(main, id);
  const v = await get(`/v1/surveys/${id}`);
  const { survey } = v;
  const buttons = [];
  const act = (path, zh, en, buttonId) => {
    const b = h('button', { type: 'button', id: buttonId }, ...bi(zh, en));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await post(`/v1/surveys/${id}/${path}`);
        await refresh();
      } catch (err) {
        b.disabled = false;
        main.querySelector('#survey-steps [data-error-for=_form]').textContent = err.message;
      }
    });
    buttons.push(b);
  };
  if (v.may_send) act('send', '发放调查表', 'Send the forms', 'survey-send');
  if (v.may_close) act('close', '结束回收并统计', 'End collection and count', 'survey-close');
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/surveys' }, ...bi('← 全部调查', '← All surveys'))),
    h('h1', {}, survey.title),
    h(
      'p',
      { id: 'survey-status', dataset: { status: v.status } },
      statusLabel('survey', v.status),
      ' · ',
      occasionLabel(survey.occasion),
      survey.due_at ? [' · 回收期限 due back ', time(survey.due_at)] : '',
      ` · 抽样 ${survey.sample.length}/${survey.population} 户 households`,
    ),
    h('div', { id: 'survey-steps' }, buttons, formError()),
    v.status === 'draft' ? null : report(v),
    v.may_record && v.outstanding.length ? section('录入纸质调查表', 'Enter a paper form', paperForm(v, refresh)) : null,
    section(
      '整改',
      'Actions',
      v.without_action.length
        ? h('p', { id: 'survey-to-act', class: 'badge danger' }, '待安排整改 to act on: ', v.without_action.map((i) => itemName(survey, i)).join('、'))
        : null,
      h(
        'div',
        { id: 'survey-actions' },
        table(
          [['服务内容', 'Item'], ['负责人', 'Owner'], ['措施', 'Measure'], ['安排', 'Assigned']],
          survey.actions.map((a) =>
            h(
              'tr',
              { dataset: { item: a.item } },
              h('td', {}, itemName(survey, a.item)),
              h('td', {}, personName(a.owner)),
              h('td', {}, a.measure),
              h('td', {}, `${personName(a.by)} ${time(a.at)}`),
            ),
          ),
          bi('尚未安排整改', 'No actions yet'),
        ),
      ),
      v.may_assign ? actionForm(v, refresh) : null,
    ),
    section(
      '回收的调查表',
      'Forms back',
      h(
        'div',
        { id: 'survey-forms' },
        table(
          [['住户', 'Household'], ['方式', 'How'], ['记录', 'Recorded'], ['评价', 'Ratings'], ['意见', 'Comments']],
          survey.forms.map((f) =>
            h(
              'tr',
              { dataset: { unit: f.unit_id } },
              h('td', {}, unitNumber(f.unit_id)),
              h('td', {}, viaLabel(f.via)),
              h('td', {}, `${personName(f.by)} ${time(f.at)}`),
              h('td', {}, f.ratings.map((r) => `${itemName(survey, r.item)}:${satisfactionLabel(r.rating)}`).join(';')),
              h('td', {}, f.comments),
            ),
          ),
          bi('还没有收回的调查表', 'No forms back yet'),
        ),
      ),
    ),
  );
}
