// What waits for the person signed in (我的待办): the work orders,
// complaints (as first contact) and revisits assigned to them that are late
// or due by tonight, late first. The server decides "today" in the
// company's time zone (`?due=true&mine=true`); each row counts down live.

import { get } from './api.js';
import { recordKindLabel, statusLabel } from './format.js';
import { bi, deadline, h, section, table } from './forms.js';
import { recordLink } from './links.js';
import { unitNumber } from './app.js';

const KINDS = ['orders', 'complaints', 'revisits'];
const HEAD = [['类型', 'Kind'], ['房号', 'Unit'], ['事项', 'What'], ['状态', 'Status'], ['期限', 'Due']];

export async function myWork(estate) {
  const q = `estate=${encodeURIComponent(estate)}&due=true&mine=true`;
  const rows = (await Promise.all(KINDS.map((k) => get(`/v1/${k}?${q}`))))
    .flat()
    .sort((a, b) => (a.due_at ?? 0) - (b.due_at ?? 0));
  const now = Date.now();
  const late = rows.filter((r) => r.due_at < now).length;
  const today = rows.length - late;
  return section(
    '我的待办',
    'My work: due today and late',
    h('p', { id: 'my-work-summary', class: late ? 'summary late' : 'summary' }, `已逾期 ${late} 项 · 今天到期 ${today} 项 / ${late} late · ${today} due today`),
    h(
      'div',
      { id: 'my-work' },
      table(
        HEAD,
        rows.map((r) =>
          h(
            'tr',
            { dataset: { id: r.id, kind: r.kind }, class: r.due_at < now ? 'late' : 'today' },
            h('td', {}, recordKindLabel(r.kind)),
            h('td', {}, unitNumber(r.unit_id)),
            h('td', {}, recordLink(r)),
            h('td', {}, statusLabel(r.kind, r.status)),
            h('td', {}, deadline(r.due_at)),
          ),
        ),
        bi('今天没有到期的事项', 'Nothing of yours is due today'),
      ),
    ),
  );
}
