// Patrols (巡查) in the office: the estate's inspections filtered by status,
// the open rectification notices with their deadlines, and one inspection
// in full: each item's result, note and photos, the head's review or
// send-back, a notice for a defect, and each notice's cycle (the party's
// report, then the re-inspection: passed, a second round, or penalty
// points). What the signed-in person may do is the server's answer.

import { blobUrl, get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import { itemResultLabel, statusLabel, time, verdictOptions } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

function photo(hash) {
  const img = h('img', { alt: '缺陷照片 defect photo', class: 'photo', dataset: { hash } });
  blobUrl(hash).then((url) => {
    img.src = url;
  }).catch(() => {
    img.alt = '无法加载 / could not load';
  });
  return img;
}

function placeName(place) {
  return unitNumber(place.unit_id || place.common_area_id) || place.detail;
}

export async function renderPatrols(main, status = '') {
  const q = `estate=${encodeURIComponent(ctx.estate)}`;
  const [inspections, notices] = await Promise.all([
    get(`/v1/inspections?${q}${status ? `&status=${encodeURIComponent(status)}` : ''}`),
    get(`/v1/rectifications?${q}`),
  ]);
  const filter = select(
    [['', '全部 all'], ...['in_progress', 'submitted', 'reviewed'].map((s) => [s, statusLabel('inspection', s)])],
    { id: 'patrol-status', 'aria-label': '状态 Status' },
  );
  filter.value = status;
  filter.addEventListener('change', () => renderPatrols(main, filter.value));
  inspections.sort((a, b) => b.created_at - a.created_at);
  main.replaceChildren(
    h('h1', {}, ...bi('巡查', 'Patrols')),
    section(
      '巡查记录',
      'Inspections',
      h('label', {}, ...bi('状态', 'Status'), ' ', filter),
      h(
        'div',
        { id: 'inspections' },
        table(
          [['开始', 'Started'], ['表单', 'Checklist'], ['状态', 'Status'], ['缺陷', 'Defects'], ['', '']],
          inspections.map((i) =>
            h(
              'tr',
              { dataset: { id: i.id, status: i.status } },
              h('td', {}, time(i.created_at)),
              h('td', {}, i.title),
              h('td', {}, statusLabel('inspection', i.status)),
              h('td', {}, `${i.facts.defects ?? 0}`, i.facts.defects_without_follow_up ? ` (${i.facts.defects_without_follow_up} 待处理 to follow up)` : ''),
              h('td', {}, h('a', { href: `#/inspection/${i.id}` }, ...bi('详情', 'Details'))),
            ),
          ),
          bi('没有巡查记录', 'No inspections'),
        ),
      ),
    ),
    section(
      '整改通知',
      'Rectification notices',
      h(
        'div',
        { id: 'notices' },
        table(
          [['问题', 'Problem'], ['地点', 'Where'], ['责任方', 'Responsible'], ['状态', 'Status'], ['期限', 'Due'], ['', '']],
          notices
            .filter((r) => r.open)
            .map((r) =>
              h(
                'tr',
                { dataset: { id: r.id, status: r.status } },
                h('td', {}, r.title),
                h('td', {}, unitNumber(r.unit_id)),
                h('td', {}, r.facts.responsible_party),
                h('td', {}, statusLabel('rectification', r.status)),
                h('td', {}, deadline(r.due_at)),
                h('td', {}, h('a', { href: `#/inspection/${r.facts.inspection_id}` }, ...bi('详情', 'Details'))),
              ),
            ),
          bi('没有未结整改', 'No open notices'),
        ),
      ),
    ),
  );
}

function localValue(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const asMs = (v) => (v ? new Date(v).getTime() : null);

function noticeForms(r, refresh) {
  const id = r.rectification.id;
  const forms = [];
  if (r.may_report) {
    let reportId = newRecordId();
    forms.push(
      onSubmit(
        h('form', { class: 'report-form' }, field('note', '整改情况', 'What was done', h('input', {})), formError(),
          h('button', { type: 'submit' }, ...bi('登记整改完成', 'Report it done'))),
        async (f) => {
          await post(`/v1/rectifications/${id}/report`, { report_id: reportId, note: f.note });
          reportId = newRecordId();
          await refresh();
        },
      ),
    );
  }
  if (r.may_reinspect) {
    forms.push(
      onSubmit(
        h(
          'form',
          { class: 'reinspect-form' },
          field('verdict', '复查结果', 'Re-inspection', select([['', '— 请选择 choose —'], ...verdictOptions()])),
          field('text', '复查意见 / 理由', 'Note or reason', h('input', {})),
          field('due_at', '新的整改期限(再次整改)', 'New deadline (rectify again)', h('input', { type: 'datetime-local' })),
          field('points', '处罚分(处罚)', 'Penalty points (penalty)', h('input', { type: 'number', min: '1' })),
          formError(),
          h('button', { type: 'submit' }, ...bi('提交复查', 'Record the re-inspection')),
        ),
        async (f) => {
          await post(`/v1/rectifications/${id}/reinspect`, {
            verdict: f.verdict,
            text: f.text,
            due_at: asMs(f.due_at),
            points: f.points ? Number(f.points) : null,
          });
          await refresh();
        },
      ),
    );
  }
  return forms;
}

function noticePanel(r, refresh) {
  const n = r.rectification;
  return h(
    'div',
    { class: 'notice-card', dataset: { id: n.id, item: n.item_id, status: r.status } },
    h('h3', {}, n.problem, ' ', h('span', { class: 'badge notice-status' }, statusLabel('rectification', r.status))),
    h('p', {}, ...bi('责任方', 'Responsible'), `: ${n.responsible_party} · `, ...bi('期限', 'Due'), ': ', time(n.due_at), ' ', r.status === 'rectified' || r.status === 'closed_with_penalty' ? '' : deadline(n.due_at)),
    n.reports.length
      ? h('ul', {}, n.reports.map((rep) => h('li', {}, `${time(rep.at)} ${personName(rep.by)}: ${rep.note}`, rep.photos.map(photo))))
      : null,
    n.penalty.points ? h('p', { class: 'penalty' }, `处罚 ${n.penalty.points} 分 / ${n.penalty.points} points: ${n.penalty.reason}`) : null,
    noticeForms(r, refresh),
  );
}

function issueForm(v, refresh) {
  const open = v.inspection.items
    ? Object.values(v.inspection.items).filter((i) => i.result === 'defect' && !v.inspection.follow_ups.some((f) => f.item_id === i.id))
    : [];
  let id = newRecordId();
  const week = localValue(Date.now() + 7 * 86_400_000);
  return onSubmit(
    h(
      'form',
      { id: 'issue-form', class: 'grid' },
      field('item_id', '缺陷项', 'Defect', select([['', '— 请选择 choose —'], ...open.map((i) => [i.id, `${i.title_zh} ${i.title_en}`])])),
      field('problem', '整改内容', 'What must be put right', h('input', {})),
      field('responsible_party', '责任方', 'Responsible party', h('input', {})),
      field('due_at', '整改期限', 'Deadline', h('input', { type: 'datetime-local', value: week })),
      formError(),
      h('button', { type: 'submit' }, ...bi('发出整改通知', 'Issue the notice')),
    ),
    async (f) => {
      await post(`/v1/inspections/${v.inspection.id}/rectifications`, {
        id,
        item_id: f.item_id,
        problem: f.problem,
        responsible_party: f.responsible_party,
        due_at: asMs(f.due_at),
      });
      id = newRecordId();
      await refresh();
    },
  );
}

export async function renderInspection(main, id) {
  const v = await get(`/v1/inspections/${encodeURIComponent(id)}`);
  const i = v.inspection;
  const refresh = () => renderInspection(main, id);
  const items = Object.values(i.items).sort((a, b) => a.position - b.position);
  const sentBack = [...i.events].reverse().find((e) => e.to === 'in_progress' && e.reason);
  const headForms = [];
  if (v.may_review) {
    headForms.push(
      onSubmit(
        h('form', { id: 'review-inspection' }, field('text', '审核意见', 'Review comment', h('input', {})), formError(),
          h('button', { type: 'submit' }, ...bi('审核通过', 'Reviewed'))),
        async (f) => {
          await post(`/v1/inspections/${i.id}/review`, { text: f.text });
          await refresh();
        },
      ),
    );
  }
  if (v.may_send_back) {
    headForms.push(
      onSubmit(
        h('form', { id: 'send-back-inspection' }, field('text', '退回理由', 'Why it goes back', h('input', {})), formError(),
          h('button', { type: 'submit', class: 'warn' }, ...bi('退回补充', 'Send back'))),
        async (f) => {
          await post(`/v1/inspections/${i.id}/send-back`, { text: f.text });
          await refresh();
        },
      ),
    );
  }
  main.replaceChildren(
    ...[
      h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => history.back() }, '← 返回 Back')),
      h('h1', {}, i.title_zh, ' ', h('span', { class: 'badge', id: 'inspection-status' }, statusLabel('inspection', v.status))),
      h('p', {}, ...bi('地点', 'Where'), `: ${placeName(i.place)} · `, ...bi('巡查人', 'By'), `: ${personName(i.started_by)} · ${time(i.started_at)}`),
      h('p', { id: 'inspection-template', dataset: { version: String(i.template_version) } }, ...bi('检查表', 'Checklist'), ': ',
        h('a', { href: `#/template/${i.template_id}` }, `第${i.template_version}版 version ${i.template_version}`)),
      sentBack ? h('p', { id: 'sent-back-reason', class: 'error' }, ...bi('退回理由', 'Sent back'), `: ${sentBack.reason}`) : null,
      section(
        '检查项',
        'Checklist',
        h(
          'div',
          { id: 'items' },
          table(
            [['项目', 'Item'], ['结果', 'Result'], ['说明', 'Note'], ['照片', 'Photos']],
            items.map((it) =>
              h(
                'tr',
                { dataset: { item: it.id, result: it.result }, class: it.result === 'defect' ? 'defect' : null },
                h('td', {}, it.title_zh, ' ', h('span', { class: 'en' }, it.title_en)),
                h('td', {}, itemResultLabel(it.result)),
                h('td', {}, it.note),
                h('td', {}, it.photos.map(photo)),
              ),
            ),
            [],
          ),
        ),
      ),
      headForms.length ? section('审核', 'Review', ...headForms) : null,
      section(
        '整改',
        'Rectification',
        h(
          'div',
          { id: 'rectifications' },
          v.rectifications.length ? v.rectifications.map((r) => noticePanel(r, refresh)) : h('p', { class: 'empty' }, ...bi('没有整改通知', 'No notices')),
        ),
        v.may_issue ? issueForm(v, refresh) : null,
      ),
    ].filter(Boolean),
  );
}
