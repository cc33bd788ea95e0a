// Small inline SVG charts for the monthly report: bars for counts, and
// progress bars against a quota or a target. No library: a few shapes.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** Horizontal bars: [{label, value}] scaled to the largest value. Each
 *  label sits above its bar, so a long name is never cut off at the edge. */
export function bars(items, { title, unit = '' } = {}) {
  const rowH = 38;
  const width = 520;
  const max = Math.max(1, ...items.map((i) => i.value));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${items.length * rowH + 4}`,
    class: 'chart',
    role: 'img',
    'aria-label': title ?? '',
  });
  items.forEach((item, i) => {
    const y = i * rowH + 2;
    const w = ((width - 50) * item.value) / max;
    svg.append(
      s('text', { x: 0, y: y + 12, class: 'label' }, item.label),
      s('rect', { x: 0, y: y + 17, width: Math.max(w, 1), height: rowH - 22, class: 'bar' }),
      s('text', { x: w + 6, y: y + 29, class: 'value' }, `${item.value}${unit}`),
    );
  });
  return svg;
}

/** Rates beside earlier ones: [{label, now, before}] as two bars per row,
 *  each a share from 0 to 1 (none drawn for a missing one), with the
 *  percentages written beside them; a row that fell is marked. */
export function compare(items, { title, nowName = '', beforeName = '' } = {}) {
  const rowH = 50;
  const width = 520;
  const barW = width - 90;
  const pct = (r) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${items.length * rowH + 38}`,
    class: 'chart compare',
    role: 'img',
    'aria-label': title ?? '',
  });
  // The legend on two lines: survey titles are too long to share one.
  svg.append(
    s('rect', { x: 0, y: 2, width: 10, height: 10, class: 'bar' }),
    s('text', { x: 14, y: 11, class: 'label' }, nowName),
    s('rect', { x: 0, y: 18, width: 10, height: 10, class: 'bar before' }),
    s('text', { x: 14, y: 27, class: 'label' }, beforeName),
  );
  items.forEach((item, i) => {
    const y = i * rowH + 36;
    const fell = item.now != null && item.before != null && item.now < item.before;
    const g = s('g', { class: fell ? 'row fell' : 'row', 'data-item': item.code ?? '' });
    g.append(s('text', { x: 0, y: y + 12, class: 'label' }, item.label));
    if (item.now != null) {
      g.append(
        s('rect', { x: 0, y: y + 16, width: Math.max(barW * item.now, 1), height: 12, class: fell ? 'bar short' : 'bar' }),
      );
    }
    g.append(s('text', { x: barW + 6, y: y + 26, class: 'value' }, pct(item.now)));
    if (item.before != null) {
      g.append(s('rect', { x: 0, y: y + 30, width: Math.max(barW * item.before, 1), height: 8, class: 'bar before' }));
    }
    g.append(s('text', { x: barW + 6, y: y + 38, class: 'value before' }, pct(item.before)));
    svg.append(g);
  });
  return svg;
}

/** Progress against a goal: [{label, done, goal}]; a bar that meets its
 *  goal is green. Labels above their bars, as in `bars`. */
export function progress(items, { title } = {}) {
  const rowH = 38;
  const width = 520;
  const barW = width - 80;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${items.length * rowH + 4}`,
    class: 'chart',
    role: 'img',
    'aria-label': title ?? '',
  });
  items.forEach((item, i) => {
    const y = i * rowH + 2;
    const share = item.goal > 0 ? Math.min(item.done / item.goal, 1) : 1;
    const met = item.done >= item.goal;
    svg.append(
      s('text', { x: 0, y: y + 12, class: 'label' }, item.label),
      s('rect', { x: 0, y: y + 17, width: barW, height: rowH - 22, class: 'track' }),
      s('rect', { x: 0, y: y + 17, width: Math.max(barW * share, 1), height: rowH - 22, class: met ? 'bar met' : 'bar short' }),
      s('text', { x: barW + 6, y: y + 29, class: 'value' }, `${item.done}/${item.goal}`),
    );
  });
  return svg;
}
