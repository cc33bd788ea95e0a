// The console's shell: who is signed in, which estate they look at, and
// which screen the address (#/reception, #/supervisor, #/order/ID,
// #/complaint/ID, #/revisits, #/patrols, #/inspection/ID, #/report, #/admin,
// #/password, #/surveys, #/survey/ID, #/templates, #/template/ID, #/company, #/estates, #/import,
// #/unit/ID, #/customers, #/customer/ID, #/keys, #/key/ID, #/desk, #/desk/ID) asks for.

import { clearSession, get, post, session } from './api.js';
import { isHead, loadLabels } from './format.js';
import { h, tick } from './forms.js';
import { renderLogin } from './login.js';
import { renderReception } from './reception.js';
import { renderComplaint } from './complaint.js';
import { renderCompany } from './company.js';
import { renderCustomer, renderCustomers } from './customers.js';
import { renderInspection, renderPatrols } from './patrols.js';
import { renderRecord } from './record.js';
import { renderRevisits } from './revisits.js';
import { renderReport } from './report.js';
import { renderSettlement } from './settlement.js';
import { renderRenovation, renderRenovations } from './renovations.js';
import { renderSurvey, renderSurveys } from './surveys.js';
import { renderSupervisor } from './supervisor.js';
import { renderAdmin, renderMyPassword } from './admin.js';
import { renderTemplate, renderTemplates } from './templates.js';
import { renderEstates } from './estates.js';
import { renderImport } from './import.js';
import { renderUnit } from './unit.js';
import { renderKey, renderKeys } from './keys.js';
import { renderDesk } from './desk.js';

/** What every screen may read: the person, their estates, people's names. */
export const ctx = {
  me: null,
  estates: [],
  estate: null,
  people: new Map(),
  departments: [],
  refresh: () => route(),
};

export function personName(id) {
  const p = ctx.people.get(id);
  if (p) return p.name;
  const d = ctx.departments.find((x) => x.id === id);
  return d ? `${d.name_zh} ${d.name_en}` : id ?? '';
}

export function unitNumber(unitId) {
  for (const e of ctx.estates) {
    const u = e.units.find((x) => x.id === unitId);
    if (u) return u.number;
    const a = e.common_areas.find((x) => x.id === unitId);
    if (a) return a.name;
  }
  return unitId ?? '';
}

/** A record's place: a unit links to its resident file. */
export function placeLink(place) {
  if (!place.unit_id) return unitNumber(place.common_area_id);
  return h('a', { href: `#/unit/${place.unit_id}`, class: 'unit-file' }, unitNumber(place.unit_id));
}

async function loadContext() {
  await loadLabels();
  ctx.me = await get('/v1/me');
  ctx.estates = await get('/v1/estates');
  ctx.departments = await get('/v1/departments');
  const saved = sessionStorage.getItem('rounds.estate');
  ctx.estate = ctx.estates.some((e) => e.id === saved) ? saved : ctx.estates[0]?.id ?? null;
  ctx.people = new Map();
  for (const e of ctx.estates) {
    for (const p of await get(`/v1/staff?estate=${encodeURIComponent(e.id)}`)) ctx.people.set(p.id, p);
  }
}

function showShell(signedIn) {
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  document.getElementById('estate-pick').hidden = !signedIn;
  document.getElementById('who').textContent = signedIn
    ? `${ctx.me.name} · ${ctx.me.role_zh} ${ctx.me.role_en}`
    : '';
  if (!signedIn) return;
  const pick = document.getElementById('estate');
  pick.replaceChildren(...ctx.estates.map((e) => h('option', { value: e.id }, `${e.name} (${e.id})`)));
  pick.value = ctx.estate;
}

function home() {
  return ctx.me && isHead(ctx.me.role) ? '#/supervisor' : '#/reception';
}

async function route() {
  const main = document.getElementById('app');
  const [, screen, arg] = (location.hash || '#/').split('/');
  if (!session()) {
    ctx.me = null;
    showShell(false);
    ++routed;
    return renderLogin(main, async () => {
      await loadContext();
      location.hash = home();
    });
  }
  try {
    if (!ctx.me) await loadContext();
  } catch {
    return; // a 401 has sent us to the login
  }
  showShell(true);
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === screen);
  }
  for (const a of document.querySelectorAll('[data-heads-only]')) a.hidden = !isHead(ctx.me.role);
  const screens = {
    reception: (view) => renderReception(view),
    supervisor: (view) => renderSupervisor(view),
    order: (view) => renderRecord(view, arg),
    complaint: (view) => renderComplaint(view, arg),
    revisits: (view) => renderRevisits(view),
    customers: (view) => renderCustomers(view),
    customer: (view) => renderCustomer(view, arg),
    patrols: (view) => renderPatrols(view),
    inspection: (view) => renderInspection(view, arg),
    report: (view) => renderReport(view),
    settlement: (view) => renderSettlement(view),
    renovations: (view) => renderRenovations(view),
    renovation: (view) => renderRenovation(view, arg),
    surveys: (view) => renderSurveys(view),
    survey: (view) => renderSurvey(view, arg),
    admin: (view) => renderAdmin(view),
    password: (view) => renderMyPassword(view),
    templates: (view) => renderTemplates(view),
    template: (view) => renderTemplate(view, arg),
    company: (view) => renderCompany(view),
    estates: (view) => renderEstates(view),
    import: (view) => renderImport(view),
    unit: (view) => renderUnit(view, arg),
    keys: (view) => renderKeys(view),
    key: (view) => renderKey(view, arg),
    desk: (view) => renderDesk(view, arg),
  };
  const render = screens[screen];
  if (!render) {
    location.hash = home();
    return;
  }
  main.replaceChildren(h('p', { class: 'loading' }, '加载中… Loading…'));
  // Each screen renders into its own element, shown only if no later
  // navigation has started meanwhile: a slow screen never covers the one
  // the user went on to.
  const mine = ++routed;
  const view = h('div', { class: 'screen' });
  try {
    await render(view);
  } catch (err) {
    view.replaceChildren(h('p', { class: 'error' }, err.message || String(err)));
  }
  if (mine === routed) main.replaceChildren(view);
}

let routed = 0;

document.getElementById('estate').addEventListener('change', (ev) => {
  ctx.estate = ev.target.value;
  sessionStorage.setItem('rounds.estate', ctx.estate);
  route();
});

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await post('/v1/console/logout');
  } finally {
    clearSession();
    ctx.me = null;
    location.hash = '#/login';
  }
});

window.addEventListener('hashchange', route);
setInterval(tick, 1000);
route();
