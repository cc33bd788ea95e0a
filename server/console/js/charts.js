// Small inline SVG charts for the monthly report: bars for counts, and
// progress bars against a quota or a target. No library: a few shapes.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** Horizontal bars: [{label, value}] scaled to the largest value. */
export function bars(items, { title, unit = '' } = {}) {
  const rowH = 26;
  const labelW = 170;
  const width = 520;
  const max = Math.max(1, ...items.map((i) => i.value));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${items.length * rowH + 8}`,
    class: 'chart',
    role: 'img',
    'aria-label': title ?? '',
  });
  items.forEach((item, i) => {
    const y = i * rowH + 4;
    const w = ((width - labelW - 50) * item.value) / max;
    svg.append(
      s('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'label' }, item.label),
      s('rect', { x: labelW, y, width: Math.max(w, 1), height: rowH - 8, class: 'bar' }),
      s('text', { x: labelW + w + 6, y: y + 16, class: 'value' }, `${item.value}${unit}`),
    );
  });
  return svg;
}

/** Progress against a goal: [{label, done, goal}]; a bar that meets its goal is green. */
export function progress(items, { title } = {}) {
  const rowH = 28;
  const labelW = 170;
  const width = 520;
  const barW = width - labelW - 80;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${items.length * rowH + 8}`,
    class: 'chart',
    role: 'img',
    'aria-label': title ?? '',
  });
  items.forEach((item, i) => {
    const y = i * rowH + 4;
    const share = item.goal > 0 ? Math.min(item.done / item.goal, 1) : 1;
    const met = item.done >= item.goal;
    svg.append(
      s('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'label' }, item.label),
      s('rect', { x: labelW, y, width: barW, height: rowH - 10, class: 'track' }),
      s('rect', { x: labelW, y, width: Math.max(barW * share, 1), height: rowH - 10, class: met ? 'bar met' : 'bar short' }),
      s('text', { x: labelW + barW + 6, y: y + 15, class: 'value' }, `${item.done}/${item.goal}`),
    );
  });
  return svg;
}
