// The resident file (住户档案) of one unit: where it is, who lives there
// (names and phones only when the server sends them; otherwise marked
// hidden), and everything recorded there, newest first, each linking to its
// page. A head keeps the unit here: its number, vacancy and residents.

import { get, newRecordId, post } from './api.js';
import { moveInBarredLabel, recordKindLabel, statusLabel, time } from './format.js';
import { bi, field, formError, h, onSubmit, section, table } from './forms.js';
import { recordLink } from './links.js';

const hidden = () => h('span', { class: 'personal hidden' }, ...bi('已隐藏', 'hidden'));

async function edit(file, edits, refresh) {
  await post(`/v1/estates/${encodeURIComponent(file.estate_id)}/places`, { edits });
  await refresh();
}

function residentForm(file, r, refresh) {
  const form = h(
    'form',
    { class: 'inline', dataset: { action: r ? 'change-resident' : 'add-resident' } },
    field('name', '姓名', 'Name', h('input', { value: r?.name ?? '' })),
    field('phone', '电话', 'Phone', h('input', { value: r?.phone ?? '', inputmode: 'tel' })),
    h('div', { class: 'field check' }, h('label', {}, h('input', { type: 'checkbox', name: 'owner', checked: r ? r.owner : true }), ' ', ...bi('业主', 'Owner'))),
    formError(),
    h('button', { type: 'submit' }, ...(r ? bi('保存', 'Save') : bi('添加住户', 'Add the resident'))),
  );
  const id = newRecordId();
  return onSubmit(form, (f) =>
    edit(
      file,
      [
        r
          ? { edit: 'change_resident', unit_id: file.unit.id, resident_id: r.id, name: f.name, phone: f.phone, owner: f.owner }
          : { edit: 'add_resident', unit_id: file.unit.id, id, name: f.name, phone: f.phone, owner: f.owner },
      ],
      refresh,
    ),
  );
}

function residents(file, mayEdit, refresh) {
  const rows = file.unit.residents.map((r) =>
    h(
      'tr',
      { dataset: { resident: r.id }, class: r.moved_out ? 'moved-out' : null },
      h('td', { class: 'personal' }, r.name ?? hidden()),
      h('td', { class: 'personal' }, r.phone ?? hidden()),
      h('td', {}, r.owner ? bi('业主', 'Owner') : bi('住户', 'Tenant')),
      h('td', {}, r.moved_out ? bi('已迁出', 'Moved out') : ''),
      h(
        'td',
        {},
        mayEdit && !r.moved_out && file.personal_shown && [
          residentForm(file, r, refresh),
          h(
            'button',
            {
              type: 'button',
              dataset: { action: 'move-out' },
              onclick: () => edit(file, [{ edit: 'move_out', unit_id: file.unit.id, resident_id: r.id }], refresh),
            },
            ...bi('迁出', 'Move out'),
          ),
        ],
      ),
    ),
  );
  return table(
    [['姓名', 'Name'], ['电话', 'Phone'], ['身份', 'Owner or tenant'], ['', ''], ['', '']],
    rows,
    bi('没有住户记录', 'No residents on file'),
  );
}

function unitForm(file, refresh) {
  const form = h(
    'form',
    { id: 'unit-form', class: 'inline' },
    field('number', '房号', 'Unit number', h('input', { value: file.unit.number })),
    h('div', { class: 'field check' }, h('label', {}, h('input', { type: 'checkbox', name: 'vacant', checked: file.unit.vacant }), ' ', ...bi('空置', 'Vacant'))),
    formError(),
    h('button', { type: 'submit' }, ...bi('保存', 'Save')),
  );
  return onSubmit(form, (f) =>
    edit(
      file,
      [
        { edit: 'renumber_unit', unit_id: file.unit.id, number: f.number },
        { edit: 'set_vacant', unit_id: file.unit.id, vacant: f.vacant },
      ],
      refresh,
    ),
  );
}

export async function renderUnit(view, unitId) {
  const file = await get(`/v1/units/${encodeURIComponent(unitId)}`);
  const places = await get(`/v1/estates/${encodeURIComponent(file.estate_id)}/places`);
  const mayEdit = places.may_edit;
  const refresh = async () => {
    const fresh = h('div', { class: 'screen' });
    await renderUnit(fresh, unitId);
    view.replaceChildren(...fresh.childNodes);
  };
  view.append(
    h('h1', { id: 'unit-title' }, `${file.estate_name} ${file.building} ${file.entrance} ${file.unit.number}`),
    h('p', {}, file.unit.vacant ? bi('空置', 'Vacant') : bi('已入住', 'Occupied'), ' · ', h('a', { href: '#/estates' }, ...bi('小区管理', 'Estate'))),
    file.move_in_barred && h('p', { id: 'move-in-barred', class: 'warning' }, moveInBarredLabel()),
    section(
      '住户',
      'Residents',
      !file.personal_shown && h('p', { class: 'note' }, ...bi('住户个人信息仅对前台、主管和管理员显示', "Residents' personal data is shown only to the office and area administrators")),
      h('div', { id: 'residents' }, residents(file, mayEdit, refresh)),
      mayEdit && file.personal_shown && residentForm(file, null, refresh),
    ),
    mayEdit && section('房号', 'Unit', unitForm(file, refresh)),
    section(
      '记录',
      'History',
      table(
        [['时间', 'When'], ['类型', 'Kind'], ['状态', 'Status'], ['内容', 'What']],
        file.history.map((r) =>
          h(
            'tr',
            { dataset: { id: r.id, kind: r.kind } },
            h('td', {}, time(r.created_at)),
            h('td', {}, recordKindLabel(r.kind)),
            h('td', {}, statusLabel(r.kind, r.status)),
            h('td', {}, recordLink(r)),
          ),
        ),
        bi('这个房号还没有记录', 'Nothing recorded at this unit yet'),
      ),
    ),
  );
}
