// Checklist templates (检查模板): the estate's templates with their current
// version; one template with every version it published, each readable as
// the inspections started on it read it; a new template, from scratch or
// from one of the manuals' four; and the draft of the next version (items
// added, removed, reordered, renamed) published as that version. Who may
// author and publish is the server's answer; a refusal is shown beside the
// line it concerns and the draft is kept as typed.

import { get, newRecordId, post } from './api.js';
import { ctx, personName } from './app.js';
import { checklistKindLabel, checklistKinds, time } from './format.js';
import { bi, clearErrors, field, formError, h, section, select, showError, table } from './forms.js';

/** A new item's id: stable from version to version once published. */
const newItemId = () => `item-${newRecordId().slice(0, 8)}`;

/** The items of a draft, editable in place: `items` is changed as typed. */
function itemsEditor(items) {
  const body = h('tbody');
  const render = () => {
    body.replaceChildren(
      ...items.map((it, i) => {
        const name = (f) => `items[${i}].${f}`;
        const input = (f, label) =>
          h('input', {
            name: name(f),
            value: it[f] ?? '',
            'aria-label': label,
            oninput: (ev) => {
              it[f] = ev.target.value;
            },
          });
        const move = (to) => () => {
          [items[i], items[to]] = [items[to], items[i]];
          render();
        };
        return h(
          'tr',
          { dataset: { item: it.id } },
          h('td', { class: 'num' }, String(i + 1)),
          h('td', {}, input('title_zh', '检查内容 Item (中文)'), h('div', { class: 'error', 'data-error-for': name('title_zh') })),
          h('td', {}, input('title_en', 'Item (English)'), h('div', { class: 'error', 'data-error-for': name('title_en') })),
          h('td', { class: 'code' }, it.id, h('div', { class: 'error', 'data-error-for': name('id') })),
          h(
            'td',
            { class: 'actions' },
            h('button', { type: 'button', class: 'up', disabled: i === 0, title: '上移 Move up', onclick: move(i - 1) }, '↑'),
            h('button', { type: 'button', class: 'down', disabled: i === items.length - 1, title: '下移 Move down', onclick: move(i + 1) }, '↓'),
            h('button', {
              type: 'button',
              class: 'remove warn',
              onclick: () => {
                items.splice(i, 1);
                render();
              },
            }, ...bi('删除', 'Remove')),
          ),
        );
      }),
    );
  };
  render();
  const editor = h(
    'div',
    { class: 'items-editor' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, [['', ''], ['检查内容', 'Item'], ['英文', 'English'], ['编号', 'Id'], ['', '']].map(([zh, en]) => h('th', {}, ...bi(zh, en))))),
      body,
    ),
    h('div', { class: 'error', 'data-error-for': 'items', role: 'alert' }),
    h(
      'button',
      {
        type: 'button',
        class: 'add-item',
        onclick: () => {
          items.push({ id: newItemId(), title_zh: '', title_en: '' });
          render();
          body.querySelector('tr:last-child input')?.focus();
        },
      },
      ...bi('添加检查项', 'Add an item'),
    ),
  );
  return { editor, reset: render };
}

/** Runs `send()` on submit: a refusal is shown beside its field, nothing typed is lost. */
function submitting(form, send) {
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await send();
    } catch (err) {
      showError(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const copy = (items) => items.map((it) => ({ id: it.id, title_zh: it.title_zh, title_en: it.title_en ?? '' }));

function newTemplateForm(defaults) {
  let id = newRecordId();
  const items = [];
  const { editor, reset } = itemsEditor(items);
  const kind = select([['', '— 请选择 choose —'], ...checklistKinds()]);
  const nameZh = h('input', {});
  const nameEn = h('input', {});
  const from = select([['', '空白 Blank'], ...defaults.map((d, n) => [String(n), `${d.name_zh} ${d.name_en}`])], {
    id: 'template-start',
    onchange: (ev) => {
      const d = defaults[Number(ev.target.value)];
      items.splice(0, items.length, ...(d ? copy(d.items) : []));
      if (d) {
        kind.value = d.checklist_kind;
        nameZh.value = d.name_zh;
        nameEn.value = d.name_en;
      }
      reset();
    },
  });
  const form = h(
    'form',
    { id: 'new-template' },
    h('div', { class: 'grid' },
      field('start', '从标准模板开始', 'Start from', from),
      field('checklist_kind', '类型', 'Kind', kind),
      field('name_zh', '名称', 'Name', nameZh),
      field('name_en', '英文名称', 'Name in English', nameEn)),
    editor,
    formError(),
    h('button', { type: 'submit' }, ...bi('发布第1版', 'Publish version 1')),
  );
  return submitting(form, async () => {
    const made = await post('/v1/templates', {
      id,
      estate_id: ctx.estate,
      checklist_kind: kind.value,
      name_zh: nameZh.value,
      name_en: nameEn.value,
      items,
    });
    id = newRecordId();
    location.hash = `#/template/${made.id}`;
  });
}

export async function renderTemplates(main) {
  const [list, defaults] = await Promise.all([
    get(`/v1/templates?estate=${encodeURIComponent(ctx.estate)}`),
    get('/v1/templates/defaults'),
  ]);
  list.templates.sort((a, b) => a.title.localeCompare(b.title, 'zh-CN'));
  main.replaceChildren(
    ...[
      h('h1', {}, ...bi('检查模板', 'Checklist templates')),
      section(
        '模板',
        'Templates',
        h(
          'div',
          { id: 'templates' },
          table(
            [['名称', 'Name'], ['类型', 'Kind'], ['当前版本', 'Current version'], ['检查项', 'Items'], ['发布时间', 'Published'], ['', '']],
            list.templates.map((t) =>
              h(
                'tr',
                { dataset: { id: t.id } },
                h('td', {}, t.title),
                h('td', {}, checklistKindLabel(t.category)),
                h('td', { class: 'version' }, `第${t.facts.latest_version}版 v${t.facts.latest_version}`, t.conflicted ? h('span', { class: 'badge danger' }, ' 版本冲突 conflict') : ''),
                h('td', {}, String(t.facts.items)),
                h('td', {}, time(t.done_at)),
                h('td', {}, h('a', { href: `#/template/${t.id}` }, ...bi('详情', 'Details'))),
              ),
            ),
            bi('本小区还没有检查模板', 'No checklist templates in this estate'),
          ),
        ),
      ),
      list.may_author ? section('新建模板', 'New template', newTemplateForm(defaults)) : null,
    ].filter(Boolean),
  );
}

function versionItems(v) {
  return h(
    'div',
    { id: 'version-items', dataset: { version: String(v.version) } },
    h('h3', {}, `第${v.version}版 Version ${v.version}`, ' ', h('span', { class: 'en' }, `${personName(v.published_by)} · ${time(v.published_at)}`)),
    h('ol', { class: 'checklist' }, v.items.map((it) => h('li', { dataset: { item: it.id } }, it.title_zh, ' ', h('span', { class: 'en' }, it.title_en)))),
  );
}

function draftForm(view, refresh) {
  const t = view.template;
  const latest = t.versions.find((v) => v.version === view.latest_version);
  const items = copy(latest?.items ?? []);
  const { editor } = itemsEditor(items);
  const next = Math.max(...t.versions.map((v) => v.version)) + 1;
  const form = h(
    'form',
    { id: 'draft' },
    h('p', { class: 'hint' }, ...bi(`已开始的巡查仍按原版本;发布后新的巡查按第${next}版。`, `Inspections already started keep their version; new ones start on version ${next}.`)),
    editor,
    formError(),
    h('button', { type: 'submit' }, ...bi(`发布为第${next}版`, `Publish as version ${next}`)),
  );
  return submitting(form, async () => {
    await post(`/v1/templates/${t.id}/versions`, { items });
    await refresh();
  });
}

export async function renderTemplate(main, id) {
  const view = await get(`/v1/templates/${encodeURIComponent(id)}`);
  const t = view.template;
  const refresh = () => renderTemplate(main, id);
  const versions = [...t.versions].sort((a, b) => b.version - a.version || b.published_at - a.published_at);
  const shown = h('div', {}, versionItems(versions[0]));
  main.replaceChildren(
    ...[
      h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => history.back() }, '← 返回 Back')),
      h('h1', {}, t.name_zh, ' ', h('span', { class: 'en' }, t.name_en), ' ',
        h('span', { class: 'badge', id: 'template-version' }, `当前第${view.latest_version}版 current v${view.latest_version}`)),
      h('p', {}, ...bi('类型', 'Kind'), `: ${checklistKindLabel(t.checklist_kind)} · `, ...bi('创建', 'Created'), `: ${personName(t.created_by)} ${time(t.created_at)}`),
      view.conflicted
        ? h('p', { class: 'error' }, ...bi('两位主管离线时发布了同一版本号,请核对后重新发布', 'Two heads published the same version number offline: check and publish again'))
        : null,
      h(
        'div',
        { class: 'columns' },
        section(
          '版本',
          'Versions',
          h(
            'div',
            { id: 'versions' },
            table(
              [['版本', 'Version'], ['发布人', 'Published by'], ['发布时间', 'Published'], ['检查项', 'Items'], ['', '']],
              versions.map((v) =>
                h(
                  'tr',
                  { dataset: { version: String(v.version) } },
                  h('td', {}, `第${v.version}版 v${v.version}`),
                  h('td', {}, personName(v.published_by)),
                  h('td', {}, time(v.published_at)),
                  h('td', {}, String(v.items.length)),
                  h('td', {}, h('button', { type: 'button', class: 'view-version', onclick: () => shown.replaceChildren(versionItems(v)) }, ...bi('查看', 'View'))),
                ),
              ),
              [],
            ),
          ),
        ),
        section('检查项', 'Checklist', shown),
      ),
      view.may_publish ? section('编辑下一版', 'Draft of the next version', draftForm(view, refresh)) : null,
    ].filter(Boolean),
  );
}
