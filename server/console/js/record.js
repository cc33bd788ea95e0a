// One work order in full: what was asked and done, the resident's signed
// acceptance with its validity, photos, extensions, a conflict to resolve,
// and every change with who made it, when and on which device.

import { blobUrl, get, newRecordId, post } from './api.js';
import { ctx, personName, placeLink } from './app.js';
import { categoryLabel, isHead, paymentMethodLabel, paymentMethodOptions, roleLabel, statusLabel, time, yuan } from './format.js';
import { bi, deadline, field, formError, h, onSubmit, section, select, table } from './forms.js';

function dl(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).flatMap(([zh, en, v]) => [h('dt', {}, ...bi(zh, en)), h('dd', {}, v ?? '—')]),
  );
}

function image(hash, alt, cls) {
  const img = h('img', { alt, class: cls, dataset: { hash } });
  blobUrl(hash)
    .then((url) => {
      img.src = url;
    })
    .catch(() => {
      img.alt = `${alt} (无法加载 / could not load)`;
    });
  return img;
}

function signoffPanel(v) {
  const s = v.signoff;
  return section(
    '业主验收签字',
    'Resident sign-off',
    h('p', { id: 'signoff-state', class: `badge ${s.state === 'valid' ? 'ok' : 'danger'}` }, `${s.label_zh} / ${s.label_en}`),
    s.signature_image
      ? [
          image(s.signature_image, '业主签字 resident signature', 'signature'),
          dl([
            ['签字人', 'Signed by', s.resident_name],
            ['签字时间', 'Signed at', time(s.signed_at)],
            ['签字设备', 'Device', s.device_id?.slice(0, 8)],
          ]),
        ]
      : null,
  );
}

function actionForms(v, refresh) {
  const forms = [];
  const id = v.order.id;
  // Made when the page opens, so a retried submit asks once.
  const extensionId = newRecordId();
  /** A form of one reason (and optional other fields) that posts and refreshes. */
  const reasonForm = (formId, zh, en, send, extra = null, label = ['理由', 'Reason']) =>
    onSubmit(
      h('form', { id: formId }, extra, field('reason', label[0], label[1], h('input', {})), formError(),
        h('button', { type: 'submit' }, ...bi(zh, en))),
      async (f) => {
        await send(f);
        await refresh();
      },
    );
  if (v.may_set_deadline) {
    forms.push(
      onSubmit(
        h(
          'form',
          { id: 'deadline-form' },
          h('p', {}, ...bi('此类别的期限由主管设定(现为暂定的标准期限)', "This category's deadline is the head's to set (the standard one for now)")),
          field('due_at', '期限', 'Deadline', h('input', { type: 'datetime-local' })),
          formError(),
          h('button', { type: 'submit' }, ...bi('设定期限', 'Set the deadline')),
        ),
        async (f) => {
          await post(`/v1/orders/${id}/deadline`, { due_at: f.due_at ? new Date(f.due_at).getTime() : null });
          await refresh();
        },
      ),
    );
  }
  if (v.status === 'completed') {
    forms.push(
      onSubmit(
        h(
          'form',
          { id: 'refuse-form' },
          field('reason', '拒收理由(记录不全或缺签字)', 'Refuse: what is missing', h('input', {})),
          formError(),
          h('button', { type: 'submit', class: 'warn' }, ...bi('拒收', 'Refuse')),
        ),
        async (f) => {
          await post(`/v1/orders/${id}/refuse`, { reason: f.reason });
          await refresh();
        },
      ),
    );
  }
  if (v.status === 'signed_off' && isHead(ctx.me.role)) {
    forms.push(
      onSubmit(
        h(
          'form',
          { id: 'review-form' },
          field('comment', '审核意见(人工、材料、费用)', 'Review: labour, materials, fees', h('input', {})),
          h('div', { class: 'error', 'data-error-for': 'signoff' }),
          formError(),
          h('button', { type: 'submit' }, ...bi('审核签字', 'Review and sign')),
        ),
        async (f) => {
          await post(`/v1/orders/${id}/review`, { comment: f.comment });
          await refresh();
        },
      ),
    );
  }
  if (['registered', 'dispatched', 'accepted', 'in_progress'].includes(v.status)) {
    forms.push(
      reasonForm('extension-form', '申请延期', 'Ask for more time', async (f) => {
        await post(`/v1/orders/${id}/extensions`, {
          id: extensionId,
          requested_due_at: f.requested_due_at ? new Date(f.requested_due_at).getTime() : null,
          reason: f.reason,
        });
      }, field('requested_due_at', '新的期限', 'New deadline', h('input', { type: 'datetime-local' }))),
    );
    if (isHead(ctx.me.role)) {
      forms.push(
        reasonForm('return-form', '退单', 'Return', (f) => post(`/v1/orders/${id}/return`, { reason: f.reason }), null,
          ['退单理由(将告知业主)', 'Why it is returned (the resident is told)']),
      );
    }
  }
  if (['reviewed', 'revisited', 'returned'].includes(v.status)) {
    forms.push(
      onSubmit(
        h('form', { id: 'close-form' }, formError(), h('button', { type: 'submit' }, ...bi('结单', 'Close'))),
        async () => {
          await post(`/v1/orders/${id}/close`, {});
          await refresh();
        },
      ),
    );
  }
  const finished = ['completed', 'signed_off', 'reviewed', 'revisited', 'closed'].includes(v.status);
  if (v.order.fees.paid_service && v.order.fees.collected_fen == null && finished) {
    // The fee taken at the revisit (seed 003 §6.5); the core refuses a
    // second collection or more than was charged.
    forms.push(
      onSubmit(
        h(
          'form',
          { id: 'fee-form' },
          field('collected_fen', '实收金额(元)', 'Amount collected (yuan)', h('input', { type: 'number', step: '0.01', min: '0' })),
          field('method', '收款方式', 'Paid by', select(paymentMethodOptions())),
          field('receipt_no', '收据号', 'Receipt no.', h('input', {})),
          formError(),
          h('button', { type: 'submit' }, ...bi('登记收费', 'Record the fee')),
        ),
        async (f) => {
          const amount = f.collected_fen === '' ? null : Math.round(Number(f.collected_fen) * 100);
          await post(`/v1/orders/${id}/fee`, { collected_fen: amount, method: f.method, receipt_no: f.receipt_no });
          await refresh();
        },
      ),
    );
  }
  if (v.conflict.length) {
    forms.push(
      onSubmit(
        h(
          'form',
          { id: 'resolve-form' },
          h('p', {}, ...bi('两台手机离线时做了不同的修改,请选择:', 'Two phones changed this offline in different ways; choose one:')),
          table(
            [['状态', 'Status'], ['人员', 'By'], ['时间', 'At'], ['设备', 'Device'], ['理由', 'Reason']],
            v.conflict.map((c) =>
              h('tr', {}, h('td', {}, statusLabel('work_order', c.to)), h('td', {}, personName(c.by)), h('td', {}, time(c.at)), h('td', {}, c.device.slice(0, 8)), h('td', {}, c.reason ?? '')),
            ),
            [],
          ),
          field('to', '采用状态', 'Keep status', select([['', '—'], ...v.conflict.map((c) => [c.to, statusLabel('work_order', c.to)])])),
          field('reason', '理由', 'Reason', h('input', {})),
          formError(),
          h('button', { type: 'submit' }, ...bi('解决冲突', 'Resolve conflict')),
        ),
        async (f) => {
          await post(`/v1/orders/${id}/resolve-conflict`, { to: f.to, reason: f.reason });
          await refresh();
        },
      ),
    );
  }
  return forms;
}

/** Why the order was last refused, returned or reopened, shown with its status. */
function lastReason(v) {
  const last = v.order.events[v.order.events.length - 1];
  return last?.reason ? [['理由', 'Reason', h('span', { id: 'order-reason' }, last.reason)]] : [];
}

export async function renderRecord(main, id) {
  const v = await get(`/v1/orders/${encodeURIComponent(id)}`);
  const o = v.order;
  const refresh = () => renderRecord(main, id);
  const history = table(
    [['时间', 'When'], ['人员', 'Who'], ['角色', 'Role'], ['操作', 'What'], ['设备', 'Device']],
    v.history.map((e) =>
      h(
        'tr',
        {},
        h('td', {}, time(e.at)),
        h('td', {}, personName(e.staff_id)),
        h('td', {}, roleLabel(e.role)),
        h('td', {}, e.what),
        h('td', { title: e.device_id ?? '' }, (e.device_id ?? '').slice(0, 8)),
      ),
    ),
    bi('无记录', 'No history'),
  );
  // replaceChildren would print a null as text; the optional sections drop out.
  main.replaceChildren(
    ...[
    h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => history.back() }, '← 返回 Back')),
    h('h1', {}, o.content, ' ', h('span', { class: 'badge', id: 'order-status' }, `${v.status_zh} ${v.status_en}`)),
    h(
      'div',
      { class: 'columns' },
      section(
        '工单',
        'Work order',
        dl([
          ['房号', 'Unit', placeLink(o.place)],
          ['类别', 'Category', categoryLabel(o.category)],
          ['紧急', 'Emergency', o.emergency ? '是 yes' : '否 no'],
          ['业主', 'Resident', `${o.resident.name} ${o.resident.phone}`],
          ['受理', 'Received', time(o.received_at)],
          ['期限', 'Deadline', [h('span', { id: 'order-deadline' }, time(o.deadline.due_at)), o.deadline.set_by ? ` (${personName(o.deadline.set_by)})` : '', ' ', v.order.events.length && !['completed', 'signed_off', 'reviewed', 'revisited', 'closed'].includes(v.status) ? deadline(o.deadline.due_at) : '']],
          ['负责人', 'Assignee', personName(v.assignee)],
          ...lastReason(v),
        ]),
        actionForms(v, refresh),
      ),
      section(
        '维修记录',
        'Work record',
        dl([
          ['维修内容', 'Work done', o.work.work_done],
          ['开始', 'Started', time(o.work.started_at)],
          ['完成', 'Ended', time(o.work.ended_at)],
          ['准备时间', 'Preparation', `${o.work.prep_minutes} 分钟 min`],
          ['材料', 'Materials', o.materials.map((m) => `${m.name} ×${m.quantity}${m.unit}`).join(', ')],
          ['费用', 'Fees', o.fees.paid_service ? `报价 quoted ${yuan(o.fees.quoted_fen)} · 材料 materials ${yuan(o.fees.materials_fee_fen)} · 人工 labour ${yuan(o.fees.labour_fee_fen)}` : '无偿 free'],
          o.fees.quote_lines?.length > 0 && [
            '报价明细',
            'Quote lines',
            h(
              'ul',
              { id: 'order-quote-lines' },
              o.fees.quote_lines.map((l) =>
                h('li', {}, `${l.item_id} ${l.name_zh} ${yuan(l.unit_price_fen)} × ${l.quantity}${l.unit} = ${yuan(l.unit_price_fen * l.quantity)}`),
              ),
            ),
          ],
          o.fees.paid_service && [
            '收费',
            'Collected',
            h(
              'span',
              { id: 'order-fee' },
              o.fees.collected_fen == null
                ? '未收 not yet'
                : `${yuan(o.fees.collected_fen)} · ${paymentMethodLabel(o.fees.payment_method)} · ${personName(o.fees.collected_by)} · ${time(o.fees.collected_at)} · 收据 receipt ${o.fees.receipt_no}`,
            ),
          ],
        ]),
        o.photos.length ? h('div', { class: 'photos' }, o.photos.map((p) => image(p.hash, p.caption || '现场照片 photo', 'photo'))) : null,
      ),
      signoffPanel(v),
    ),
    o.extensions.length
      ? section(
          '延期',
          'Extensions',
          table(
            [['申请人', 'Asked by'], ['理由', 'Reason'], ['新期限', 'New deadline'], ['结果', 'Decision']],
            o.extensions.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, personName(e.requested_by)),
                h('td', {}, e.reason),
                h('td', {}, time(e.requested_due)),
                h('td', {}, e.approved == null ? '待审批 waiting' : e.approved ? `已批准 approved (${personName(e.decided_by)})` : `已驳回 refused (${personName(e.decided_by)})`),
              ),
            ),
            [],
          ),
        )
      : null,
    section('修改记录', 'History: who changed what, when, on which device', h('div', { id: 'history' }, history)),
    ].filter(Boolean),
  );
}
