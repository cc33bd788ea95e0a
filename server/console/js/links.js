// Where each kind of record is shown in the console: one answer for every
// list that links to a record.

import { reasonLabel } from './format.js';
import { h } from './forms.js';

const PAGES = {
  work_order: (id) => `#/order/${id}`,
  complaint: (id) => `#/complaint/${id}`,
  inspection: (id) => `#/inspection/${id}`,
  revisit: () => '#/revisits',
  renovation: (id) => `#/renovation/${id}`,
};

/** A record's title (a revisit's reason: it has none), linked to its page
 *  when it has one. */
export function recordLink(r) {
  const page = PAGES[r.kind]?.(r.id);
  const text = r.title || (r.kind === 'revisit' ? reasonLabel(r.category) : r.id);
  return page ? h('a', { href: page }, text) : text;
}
