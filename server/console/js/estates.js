// The estate's places (小区管理), for the department heads: a new estate,
// its name, its buildings with their entrances and units, and its common
// areas, each form one list of edits the server applies through core; a
// unit opens its resident file. Others see the same tree, without forms.

import { get, newRecordId, post } from './api.js';
import { ctx } from './app.js';
import { areaKindLabel, areaKindOptions, isHead } from './format.js';
import { bi, field, formError, h, onSubmit, section, select, table } from './forms.js';

/** Applies `edits` to the estate, then shows it again. */
async function apply(estate, edits) {
  await post(`/v1/estates/${encodeURIComponent(estate)}/places`, { edits });
  await ctx.refresh();
}

/** A one-field form that sends one edit made of what was typed. */
function small(action, name, zh, en, value, button, edit) {
  const form = h(
    'form',
    { class: 'inline', dataset: { action } },
    field(name, zh, en, h('input', { value: value ?? '' })),
    formError(),
    h('button', { type: 'submit' }, ...bi(...button)),
  );
  return onSubmit(form, (f) => apply(ctx.estate, [edit(f[name].trim())]));
}

function newEstateForm() {
  const recordId = newRecordId();
  const form = h(
    'form',
    { id: 'new-estate' },
    field('name', '小区名称', 'Name of the estate', h('input', {})),
    formError(),
    h('button', { type: 'submit' }, ...bi('新建小区', 'Create the estate')),
  );
  return onSubmit(form, async (f) => {
    const made = await post('/v1/estates', { name: f.name, record_id: recordId });
    sessionStorage.setItem('rounds.estate', made.id);
    // The estates the console knows are read again, with the new one.
    ctx.me = null;
    await ctx.refresh();
  });
}

function unitRows(units) {
  return units.map((u) =>
    h(
      'tr',
      { dataset: { unit: u.id } },
      h('td', {}, h('a', { href: `#/unit/${u.id}` }, u.number)),
      h('td', {}, u.vacant ? bi('空置', 'Vacant') : ''),
      h('td', {}, String(u.residents.filter((r) => !r.moved_out).length)),
    ),
  );
}

function entranceCard(p, b, en) {
  return h(
    'div',
    { class: 'entrance', dataset: { entrance: en.id } },
    h('h4', {}, en.name),
    table(
      [['房号', 'Unit'], ['空置', 'Vacant'], ['住户', 'Residents']],
      unitRows(en.units),
      bi('还没有房号', 'No units yet'),
    ),
    p.may_edit && [
      small('add-unit', 'number', '新房号', 'New unit number', '', ['添加房号', 'Add the unit'], (number) => ({
        edit: 'add_unit', entrance_id: en.id, id: newRecordId(), number, vacant: false,
      })),
      small('rename-entrance', 'name', '单元名称', 'Entrance name', en.name, ['改名', 'Rename'], (name) => ({
        edit: 'rename_entrance', entrance_id: en.id, name,
      })),
    ],
  );
}

function buildingCard(p, b) {
  return h(
    'div',
    { class: 'building card', dataset: { building: b.id } },
    h('h3', {}, b.name),
    b.entrances.map((en) => entranceCard(p, b, en)),
    p.may_edit && [
      small('add-entrance', 'name', '新单元', 'New entrance', '', ['添加单元', 'Add the entrance'], (name) => ({
        edit: 'add_entrance', building_id: b.id, id: newRecordId(), name,
      })),
      small('rename-building', 'name', '楼栋名称', 'Building name', b.name, ['改名', 'Rename'], (name) => ({
        edit: 'rename_building', building_id: b.id, name,
      })),
    ],
  );
}

function areaForm(estate) {
  const form = h(
    'form',
    { id: 'add-area', class: 'inline' },
    field('kind', '类型', 'Kind', select(areaKindOptions())),
    field('name', '名称', 'Name', h('input', {})),
    formError(),
    h('button', { type: 'submit' }, ...bi('添加公共区域', 'Add the common area')),
  );
  return onSubmit(form, (f) =>
    apply(estate, [{ edit: 'add_common_area', id: newRecordId(), kind: f.kind, name: f.name }]),
  );
}

export async function renderEstates(view) {
  if (!ctx.estate) {
    view.append(
      isHead(ctx.me.role)
        ? section('新建小区', 'New estate', newEstateForm())
        : h('p', { class: 'empty' }, ...bi('您还没有负责的小区', 'You work on no estate yet')),
    );
    return;
  }
  const p = await get(`/v1/estates/${encodeURIComponent(ctx.estate)}/places`);
  view.append(
    h('h1', { id: 'estate-name' }, `${p.name} (${p.id})`),
    h('p', {}, h('a', { href: '#/import' }, ...bi('从表格导入楼栋、房号和住户', 'Import buildings, units and residents from a sheet'))),
    p.may_edit &&
      section(
        '小区',
        'Estate',
        small('rename-estate', 'name', '小区名称', 'Name of the estate', p.name, ['改名', 'Rename'], (name) => ({
          edit: 'rename_estate', name,
        })),
      ),
    section(
      '楼栋',
      'Buildings',
      h('div', { id: 'buildings' }, p.buildings.map((b) => buildingCard(p, b))),
      p.may_edit &&
        small('add-building', 'name', '新楼栋', 'New building', '', ['添加楼栋', 'Add the building'], (name) => ({
          edit: 'add_building', id: newRecordId(), name,
        })),
    ),
    section(
      '公共区域',
      'Common areas',
      table(
        [['名称', 'Name'], ['类型', 'Kind']],
        p.common_areas.map((a) => h('tr', { dataset: { area: a.id } }, h('td', {}, a.name), h('td', {}, areaKindLabel(a.kind)))),
        bi('还没有公共区域', 'No common areas yet'),
      ),
      p.may_edit && areaForm(p.id),
    ),
    p.may_edit && section('新建小区', 'New estate', newEstateForm()),
  );
}
