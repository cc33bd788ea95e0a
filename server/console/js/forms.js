// Building pages without innerHTML (staff and residents type free text), and
// forms that put the server's refusal beside the field it names while
// keeping everything already typed.

import { countdown } from './format.js';

/** h('td', {class: 'x'}, 'text', childNode, …): text is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** "中文" with the English beside it, lighter. */
export function bi(zh, en) {
  return [zh, ' ', h('span', { class: 'en' }, en)];
}

/** A labelled field with the place its error is shown. */
export function field(name, zh, en, input) {
  input.name = name;
  input.id ||= `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: input.id }, ...bi(zh, en)),
    input,
    h('div', { class: 'error', 'data-error-for': name, role: 'alert' }),
  );
}

export function select(options, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map(([value, text]) => h('option', { value }, text)),
  );
}

export function clearErrors(form) {
  for (const e of form.querySelectorAll('[data-error-for]')) e.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

/** Shows `err` beside its field, or at the form's foot when it names none. */
export function showError(form, err) {
  const named = err.field && form.querySelector(`[data-error-for="${CSS.escape(err.field)}"]`);
  const target = named || form.querySelector('[data-error-for="_form"]');
  const text = err.zh ? `${err.zh} / ${err.en}` : String(err.message || err);
  if (target) target.textContent = text;
  else alert(text);
  const input = err.field && form.querySelector(`[name="${CSS.escape(err.field)}"]`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

/** The form's values, with checkboxes as booleans. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

/** Runs `send(values)` on submit; a refusal is shown and the input kept. */
export function onSubmit(form, send) {
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      await send(values(form));
    } catch (err) {
      showError(form, err);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

/** The form's own error line, for refusals that name no field. */
export function formError() {
  return h('div', { class: 'error', 'data-error-for': '_form', role: 'alert' });
}

/** A deadline that counts down every second (see tick()). */
export function deadline(due) {
  const el = h('span', { class: 'deadline', dataset: { due: String(due) } });
  paint(el);
  return el;
}

function paint(el) {
  const { zh, en, overdue } = countdown(Number(el.dataset.due));
  // Each half stays whole; a narrow column breaks between them.
  if (el.childElementCount !== 2) el.replaceChildren(h('span'), ' / ', h('span'));
  el.children[0].textContent = zh;
  el.children[1].textContent = en;
  el.classList.toggle('overdue', overdue);
}

/** Repaints every countdown on the page. */
export function tick() {
  for (const el of document.querySelectorAll('[data-due]')) paint(el);
}

export function table(headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'empty' }, ...empty);
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, headers.map(([zh, en]) => h('th', {}, ...bi(zh, en))))),
    h('tbody', {}, rows),
  );
}

export function section(zh, en, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, ...bi(zh, en)), ...children);
}
