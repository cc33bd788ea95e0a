// Residents' keys in custody (客户托管钥匙) in the office: the register with
// each key's next weekly check (overdue ones marked), and one key in full:
// its uses with who signed each step for each side (signed on the two
// people's own phones, never here), its checks and its loans. The desk
// lends a key against an ID; an ID number and the resident's name are
// shown only to those who see residents' data (the server blanks them for
// the others). What the signed-in person may do is the server's answer.

import { get, newRecordId, post } from './api.js';
import { ctx, personName, unitNumber } from './app.js';
import {
  keySideLabel,
  keySides,
  keySignStepLabel,
  keySignSteps,
  keySiteStepLabel,
  keyUseStatusLabel,
  statusLabel,
  time,
} from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, table } from './forms.js';

const yesNo = (ok) => (ok ? '是 yes' : h('strong', { class: 'badge danger' }, '否 no'));

export async function renderKeys(main) {
  const rows = await get(`/v1/keys?estate=${encodeURIComponent(ctx.estate)}`);
  const held = rows.filter((r) => r.open).sort((a, b) => a.due_at - b.due_at);
  main.replaceChildren(
    h('h1', {}, ...bi('托管钥匙', 'Deposited keys')),
    section(
      '钥匙托管表',
      'Key register',
      h(
        'div',
        { id: 'keys' },
        table(
          [['房号', 'Unit'], ['钥匙', 'Key'], ['封条', 'Seal'], ['状态', 'Status'], ['下次核对', 'Next check'], ['', '']],
          held.map((r) =>
            h(
              'tr',
              { dataset: { id: r.id, status: r.status, overdue: String(r.due_at < Date.now()) } },
              h('td', {}, unitNumber(r.unit_id)),
              h('td', {}, r.title),
              h('td', {}, r.facts.seal_no),
              h('td', {}, statusLabel('key_custody', r.status)),
              h('td', { class: 'check-due' }, time(r.due_at), ' ', deadline(r.due_at)),
              h('td', {}, h('a', { href: `#/key/${r.id}` }, ...bi('详情', 'Details'))),
            ),
          ),
          bi('没有托管钥匙', 'No keys in custody'),
        ),
      ),
    ),
  );
}

function usesTable(v) {
  const signer = (u, step, side) => {
    const who = u.signed_by[step]?.[side];
    return who ? personName(who) : '—';
  };
  const steps = (useId) =>
    v.key.use_steps
      .filter((s) => s.use_id === useId)
      .map((s) => h('div', {}, `${time(s.at)} ${keySiteStepLabel(s.step)} · ${personName(s.by)}`, s.note ? ` · ${s.note}` : ''));
  const headers = [['事由', 'Reason'], ['在场', 'Present'], ['登记', 'Registered'], ['状态', 'Status']];
  for (const step of keySignSteps()) {
    for (const side of keySides()) headers.push([`${keySignStepLabel(step)}`, keySideLabel(side)]);
  }
  headers.push(['现场', 'On site']);
  return table(
    headers,
    v.key.uses.map((u) => {
      const view = v.uses.find((x) => x.id === u.id);
      return h(
        'tr',
        { dataset: { id: u.id, status: view.status } },
        h('td', {}, u.reason),
        h('td', {}, u.present.join('、'), u.contractor ? ` (施工 ${u.contractor})` : ''),
        h('td', {}, time(u.requested_at), ' ', personName(u.requested_by)),
        h('td', { class: 'use-status' }, keyUseStatusLabel(view.status)),
        keySignSteps().flatMap((step) =>
          keySides().map((side) => h('td', { dataset: { step, side } }, signer(view, step, side))),
        ),
        h('td', {}, steps(u.id)),
      );
    }),
    bi('没有使用记录', 'No uses'),
  );
}

function checksTable(v) {
  return table(
    [['核对时间', 'Checked'], ['核对人', 'By'], ['钥匙在箱', 'Key present'], ['封条完好', 'Seal intact'], ['说明', 'Note']],
    [...v.key.checks]
      .sort((a, b) => b.at - a.at)
      .map((c) =>
        h(
          'tr',
          { dataset: { id: c.id } },
          h('td', {}, time(c.at)),
          h('td', {}, personName(c.by)),
          h('td', {}, yesNo(c.present)),
          h('td', {}, yesNo(c.seal_intact)),
          h('td', {}, c.note),
        ),
      ),
    bi('尚未核对', 'Not checked yet'),
  );
}

function loansTable(v, refresh) {
  const hidden = h('span', { class: 'hidden-personal' }, '不显示 hidden');
  return table(
    [['借用人', 'Borrower'], ['证件', 'ID document'], ['证件号', 'ID number'], ['借出', 'Lent'], ['归还', 'Returned'], ['', '']],
    v.key.loans.map((l) =>
      h(
        'tr',
        { dataset: { id: l.id } },
        h('td', {}, v.personal_shown ? l.borrower : hidden.cloneNode(true)),
        h('td', {}, l.id_document),
        h('td', { class: 'id-number' }, v.personal_shown ? l.id_number : hidden.cloneNode(true)),
        h('td', {}, time(l.lent_at), ' ', personName(l.lent_by)),
        h('td', {}, l.returned_at ? `${time(l.returned_at)} ${personName(l.returned_to)}` : '未还 out'),
        h(
          'td',
          {},
          !l.returned_at && v.personal_shown
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'return-loan',
                  onclick: async () => {
                    await post(`/v1/keys/${v.key.id}/loans/${encodeURIComponent(l.id)}/return`);
                    await refresh();
                  },
                },
                ...bi('已归还', 'Returned'),
              )
            : null,
        ),
      ),
    ),
    bi('没有外借记录', 'No loans'),
  );
}

function forms(v, refresh) {
  const out = [];
  const base = `/v1/keys/${v.key.id}`;
  if (v.may_check) {
    let checkId = newRecordId();
    out.push(
      section(
        '每周核对',
        'Weekly check',
        onSubmit(
          h(
            'form',
            { id: 'check-form', class: 'inline' },
            h('label', {}, h('input', { type: 'checkbox', name: 'present', checked: true }), ...bi('钥匙在箱', 'Key present')),
            h('label', {}, h('input', { type: 'checkbox', name: 'seal_intact', checked: true }), ...bi('封条完好', 'Seal intact')),
            field('note', '说明', 'Note', h('input', {})),
            formError(),
            h('button', { type: 'submit' }, ...bi('登记核对', 'Record the check')),
          ),
          async (f) => {
            await post(`${base}/checks`, { check_id: checkId, present: f.present, seal_intact: f.seal_intact, note: f.note });
            checkId = newRecordId();
            await refresh();
          },
        ),
      ),
    );
  }
  if (v.may_lend) {
    let loanId = newRecordId();
    out.push(
      section(
        '凭证件借出',
        'Lend against an ID',
        onSubmit(
          h(
            'form',
            { id: 'lend-form' },
            field('borrower', '借用人', 'Borrower', h('input', {})),
            field('id_document', '证件', 'ID document', h('input', { value: '身份证' })),
            field('id_number', '证件号', 'ID number', h('input', { autocomplete: 'off' })),
            formError(),
            h('button', { type: 'submit' }, ...bi('借出', 'Lend')),
          ),
          async (f) => {
            await post(`${base}/loans`, { loan_id: loanId, ...f });
            loanId = newRecordId();
            await refresh();
          },
        ),
      ),
    );
  }
  return out;
}

export async function renderKey(main, id) {
  const refresh = () => renderKey(main, id);
  const v = await get(`/v1/keys/${encodeURIComponent(id)}`);
  const k = v.key;
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/keys' }, '← ', ...bi('托管钥匙', 'Deposited keys'))),
    h('h1', {}, `${unitNumber(k.place.unit_id)} · ${k.description}`),
    h(
      'dl',
      { class: 'facts', id: 'key-facts' },
      h('dt', {}, ...bi('业主', 'Resident')),
      h('dd', { class: 'resident' }, v.personal_shown ? k.resident_name : '不显示 hidden'),
      h('dt', {}, ...bi('状态', 'Status')),
      h('dd', { class: 'status' }, statusLabel('key_custody', v.status)),
      h('dt', {}, ...bi('封条号', 'Seal')),
      h('dd', { class: 'seal' }, v.current_seal),
      h('dt', {}, ...bi('收存', 'Received')),
      h('dd', {}, `${time(k.received_at)} ${personName(k.received_by)}`),
      v.status === 'handed_back'
        ? [h('dt', {}, ...bi('交还业主', 'Handed back')), h('dd', {}, `${time(k.handed_back_at)} ${personName(k.handed_back_by)}`)]
        : [h('dt', {}, ...bi('下次核对', 'Next check')), h('dd', { class: 'check-due' }, time(v.check_due_at), ' ', deadline(v.check_due_at))],
    ),
    section('使用登记', 'Uses', h('div', { id: 'uses' }, usesTable(v))),
    section('核对记录', 'Checks', h('div', { id: 'checks' }, checksTable(v))),
    section('外借记录', 'Loans', h('div', { id: 'loans' }, loansTable(v, refresh))),
    ...forms(v, refresh),
  );
}
