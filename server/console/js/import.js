// Importing the office's sheet (导入): choose an .xlsx or .csv file, see
// what each row would do and every bad row's errors by column, with nothing
// saved; then import it, or import it leaving the bad rows out. The same
// file is sent again to be saved, and the server checks it again.

import { upload } from './api.js';
import { ctx } from './app.js';
import { importOutcomeLabel, sheetColumnLabel, sheetColumns } from './format.js';
import { bi, field, formError, h, section, showError, clearErrors, table } from './forms.js';

function errorsOf(row) {
  return row.errors.map((e) =>
    h('div', { class: 'error', dataset: { column: e.column ?? '' } }, e.column ? `${sheetColumnLabel(e.column)}: ` : '', `${e.message.zh} / ${e.message.en}`),
  );
}

function report(r) {
  const counts = h(
    'p',
    { id: 'import-counts' },
    ...bi(
      `新增 ${r.created} 行,更新 ${r.updated} 行,无变化 ${r.unchanged} 行,错误 ${r.bad} 行`,
      `${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.bad} with errors`,
    ),
  );
  const rows = r.rows.map((row) =>
    h(
      'tr',
      { dataset: { row: String(row.row), outcome: row.outcome }, class: row.outcome === 'bad' ? 'bad' : null },
      h('td', {}, String(row.row)),
      h('td', {}, row.place),
      h('td', { class: 'outcome' }, importOutcomeLabel(row.outcome)),
      h('td', {}, errorsOf(row)),
    ),
  );
  return [counts, table([['行', 'Row'], ['位置', 'Place'], ['结果', 'Outcome'], ['错误', 'Errors']], rows, bi('表格没有数据行', 'The sheet has no rows'))];
}

export async function renderImport(view) {
  if (!ctx.estate) {
    view.append(h('p', { class: 'empty' }, ...bi('请先新建小区', 'Create an estate first')));
    return;
  }
  const estate = encodeURIComponent(ctx.estate);
  const name = ctx.estates.find((e) => e.id === ctx.estate)?.name ?? ctx.estate;
  const result = h('div', { id: 'import-result' });
  const notice = h('p', { id: 'import-notice', role: 'status' });
  const file = h('input', { type: 'file', accept: '.xlsx,.csv' });
  const form = h(
    'form',
    { id: 'import-form' },
    field('file', '表格文件(.xlsx 或 .csv)', 'Sheet (.xlsx or .csv)', file),
    formError(),
    h('button', { type: 'submit' }, ...bi('预览', 'Preview')),
  );
  form.noValidate = true;

  const send = async (path, after) => {
    clearErrors(form);
    notice.textContent = '';
    const chosen = file.files[0];
    if (!chosen) {
      showError(form, { field: 'file', zh: '请选择文件', en: 'choose a file' });
      return;
    }
    try {
      after(await upload(path, chosen));
    } catch (err) {
      showError(form, err.field === 'skip_bad' ? { ...err, field: '_form' } : err);
    }
  };

  const preview = () =>
    send(`/v1/estates/${estate}/import/preview`, (r) => {
      const apply = (skip) =>
        send(`/v1/estates/${estate}/import${skip ? '?skip_bad=true' : ''}`, (done) => {
          result.replaceChildren(...report(done));
          notice.textContent = '已导入 / Imported';
        });
      result.replaceChildren(
        ...report(r),
        r.bad === 0
          ? h('button', { type: 'button', id: 'import-apply', onclick: () => apply(false) }, ...bi('导入', 'Import'))
          : h('button', { type: 'button', id: 'import-skip', onclick: () => apply(true) }, ...bi(`跳过 ${r.bad} 行错误并导入`, `Skip the ${r.bad} bad rows and import`)),
      );
      notice.textContent = '预览:尚未保存 / Preview: nothing saved yet';
    });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    preview();
  });

  view.append(
    h('h1', {}, ...bi(`导入到 ${name}`, `Import into ${name}`)),
    section(
      '表格',
      'Sheet',
      h('p', { class: 'note' }, ...bi('每行一个房号(及其一位住户)或一个公共区域。可用的表头:', 'One row per unit (and one of its residents) or per common area. Headers read:'), ' ', sheetColumns().map((c) => `${c.zh} ${c.en}`).join(' · ')),
      form,
      notice,
      result,
    ),
    h('p', {}, h('a', { href: '#/estates' }, ...bi('返回小区管理', 'Back to the estate'))),
  );
}
