// Administration (管理), for directors and, to look and revoke devices,
// supervisors: the staff with their state and devices, a form to add
// someone, editing, disabling and re-enabling, password resets (the
// temporary password shown once), and the audit log. Also the page where
// anyone changes their own password (#/password).

import { get, post } from './api.js';
import { ctx } from './app.js';
import { accountStateLabel, auditActionLabel, roleLabel, roleOptions, staffSheetColumnLabel, staffSheetColumns, time } from './format.js';
import { sheetImport } from './import.js';
import { bi, field, formError, h, onSubmit, section, select, table } from './forms.js';

function estateChoices(estates, chosen) {
  return h(
    'div',
    { class: 'field' },
    h('span', {}, ...bi('小区', 'Estates')),
    h(
      'div',
      { class: 'estate-choices' },
      estates.map((e) =>
        h(
          'label',
          {},
          h('input', { type: 'checkbox', name: 'estate', value: e.id, checked: chosen.includes(e.id) }),
          ` ${e.name}`,
        ),
      ),
    ),
    h('div', { class: 'error', 'data-error-for': 'estates', role: 'alert' }),
  );
}

/** The ticked estates: `values()` keeps one value per name. */
const ticked = (form) => [...form.querySelectorAll('[name=estate]:checked')].map((i) => i.value);

/** A password shown once, with what to do with it. */
function temporaryNotice(who, password) {
  return h(
    'div',
    { id: 'temporary-password', class: 'card notice', role: 'status' },
    ...bi(`${who} 的临时密码(只显示这一次,请交给本人;登录时须改为自己的密码):`, "Temporary password (shown once; hand it over, it must be changed at sign-in):"),
    ' ',
    h('code', { class: 'password' }, password),
  );
}

function createForm(list, done) {
  const form = h(
    'form',
    { id: 'staff-create', class: 'grid' },
    field('username', '用户名', 'Username', h('input', { autocomplete: 'off' })),
    field('name', '姓名', 'Name', h('input', {})),
    field('role', '角色', 'Role', select([['', '— 请选择 choose —'], ...roleOptions()])),
    field('password', '初始密码(留空则自动生成)', 'Initial password (left empty: one is made)', h('input', { type: 'text', autocomplete: 'off' })),
    estateChoices(list.estates, []),
    formError(),
    h('button', { type: 'submit' }, ...bi('新建员工', 'Add a member of staff')),
  );
  return onSubmit(form, async (v) => {
    const made = await post('/v1/admin/staff', {
      username: v.username,
      name: v.name,
      role: v.role,
      estates: ticked(form),
      password: v.password,
    });
    await done(made.temporary_password ? temporaryNotice(made.account.name, made.temporary_password) : null);
  });
}

function editForm(a, list, done) {
  const form = h(
    'form',
    { class: 'grid staff-edit', dataset: { staff: a.id } },
    field('name', '姓名', 'Name', h('input', { value: a.name })),
    field('role', '角色', 'Role', select(roleOptions())),
    estateChoices(list.estates, a.estates),
    formError(),
    h('button', { type: 'submit' }, ...bi('保存', 'Save')),
  );
  form.querySelector('[name=role]').value = a.role;
  return onSubmit(form, async (v) => {
    await post(`/v1/admin/staff/${encodeURIComponent(a.id)}`, { name: v.name, role: v.role, estates: ticked(form) });
    await done(null);
  });
}

/** One button that posts, with its refusal shown beside it. */
function action(name, zh, en, path, done, cls) {
  const form = h(
    'form',
    { class: 'inline', dataset: { action: name } },
    h('button', { type: 'submit', class: cls }, ...bi(zh, en)),
    formError(),
  );
  return onSubmit(form, async () => done(await post(path)));
}

function staffRows(list, refresh, editing) {
  const estateName = (id) => list.estates.find((e) => e.id === id)?.name ?? id;
  return list.staff.map((a) => {
    const live = a.devices.filter((d) => d.revoked_at == null && !d.console).length;
    const controls = list.may_manage
      ? [
          h('button', { type: 'button', onclick: () => editing(a) }, ...bi('修改', 'Edit')),
          a.state === 'disabled'
            ? action('enable', '重新启用', 'Re-enable', `/v1/admin/staff/${encodeURIComponent(a.id)}/enable`, () => refresh(null))
            : action('disable', '停用', 'Disable', `/v1/admin/staff/${encodeURIComponent(a.id)}/disable`, () => refresh(null), 'warn'),
          action('reset-password', '重置密码', 'Reset password', `/v1/admin/staff/${encodeURIComponent(a.id)}/reset-password`, (r) =>
            refresh(temporaryNotice(a.name, r.temporary_password)),
          ),
        ]
      : [];
    return h(
      'tr',
      { dataset: { staff: a.id, username: a.username, state: a.state } },
      h('td', {}, a.username),
      h('td', {}, a.name),
      h('td', { class: 'role' }, roleLabel(a.role)),
      h('td', { class: 'department' }, departmentName(a.department)),
      h('td', {}, a.estates.map(estateName).join('、')),
      h('td', { class: 'state' }, h('span', { class: `badge ${a.state === 'disabled' ? 'danger' : a.state === 'active' ? 'ok' : ''}` }, accountStateLabel(a.state))),
      h('td', {}, live),
      h('td', { class: 'controls' }, controls),
    );
  });
}

function deviceRows(list, refresh) {
  const rows = [];
  for (const a of list.staff) {
    for (const d of a.devices) {
      // Console sessions end at sign-out; only live ones are worth a line.
      if (d.console && d.revoked_at != null) continue;
      rows.push(
        h(
          'tr',
          { dataset: { device: d.id, staff: a.id } },
          h('td', {}, a.name),
          h('td', {}, d.name, d.console ? h('span', { class: 'en' }, ' (网页 console)') : null),
          h('td', {}, time(d.created_at)),
          h('td', { class: 'last-sync' }, d.last_sync_at == null ? '—' : time(d.last_sync_at)),
          h(
            'td',
            { class: 'revoked' },
            d.revoked_at != null
              ? ['已停用 revoked ', time(d.revoked_at)]
              : action('revoke', '停用设备', 'Revoke', `/v1/devices/${encodeURIComponent(d.id)}/revoke`, () => refresh(null), 'warn'),
          ),
        ),
      );
    }
  }
  return rows;
}

function detailText(e) {
  const d = e.detail || {};
  if (d.before && d.after) {
    const show = (x) => `${x.name} · ${roleLabel(x.role)} · ${(x.estates || []).join(',')}`;
    return `${d.username ?? ''}: ${show(d.before)} → ${show(d.after)}`;
  }
  const parts = [d.username, d.name, d.role && roleLabel(d.role), d.owner_name, d.estates?.join(',')];
  return parts.filter(Boolean).join(' · ');
}

function auditRows(entries, names) {
  return entries.map((e) =>
    h(
      'tr',
      { dataset: { action: e.action, target: e.target } },
      h('td', {}, time(e.at)),
      h('td', {}, e.actor_name || e.actor),
      h('td', { class: 'action' }, auditActionLabel(e.action)),
      h('td', {}, names.get(e.target) ?? e.target),
      h('td', { class: 'detail' }, detailText(e)),
    ),
  );
}

async function auditSection(names) {
  const body = h('tbody', {});
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, ...bi('更早的记录', 'Older entries'));
  let before = null;
  const load = async () => {
    const page = await get(`/v1/admin/audit${before ? `?before=${before}` : ''}`);
    body.append(...auditRows(page.entries, names));
    before = page.next_before;
    more.hidden = before == null;
  };
  more.addEventListener('click', load);
  await load();
  const head = [['时间', 'When'], ['操作人', 'Who'], ['操作', 'What'], ['对象', 'Whom'], ['内容', 'Details']];
  return section(
    '操作记录',
    'Audit log',
    h('table', { id: 'audit-log' }, h('thead', {}, h('tr', {}, head.map(([zh, en]) => h('th', {}, ...bi(zh, en))))), body),
    more,
  );
}

/** A person's department follows their role (core's departments); the
 *  service centre's heads and administrators have none. */
function departmentName(id) {
  const d = ctx.departments.find((x) => x.id === id);
  return d ? `${d.name_zh} ${d.name_en}` : '—';
}

/** The new accounts' temporary passwords from an import, shown this once. */
function importedPasswords(report) {
  if (!report.passwords.length) return [];
  return [
    h('p', { class: 'notice' }, ...bi('新账号的临时密码(只显示这一次,请交给本人;登录时须改为自己的密码):', 'Temporary passwords of the new accounts (shown once; hand each over, it must be changed at sign-in):')),
    table(
      [['用户名', 'Username'], ['临时密码', 'Temporary password']],
      report.passwords.map((p) => h('tr', { dataset: { imported: p.username } }, h('td', {}, p.username), h('td', {}, h('code', { class: 'password' }, p.temporary_password)))),
      bi('没有新账号', 'No new accounts'),
    ),
  ];
}

export async function renderAdmin(view) {
  let notice = null;
  let editing = null;
  // Made once: the page redraws around it, so a preview or an import's
  // passwords stay on screen while the staff table catches up.
  let importer = null;
  const draw = async () => {
    const list = await get('/v1/admin/staff');
    const refresh = async (n) => {
      notice = n;
      editing = null;
      await draw();
    };
    const names = new Map(list.staff.map((a) => [a.id, a.name]));
    for (const a of list.staff) for (const d of a.devices) names.set(d.id, `${d.name} (${a.name})`);
    const parts = [h('h1', {}, ...bi('账号管理', 'Administration')), notice];
    if (editing) {
      parts.push(section(`修改 ${editing.name}`, `Edit ${editing.username}`, editForm(editing, list, refresh)));
    }
    parts.push(
      section(
        '员工',
        'Staff',
        table(
          [['用户名', 'Username'], ['姓名', 'Name'], ['角色', 'Role'], ['部门', 'Department'], ['小区', 'Estates'], ['状态', 'State'], ['手机', 'Phones'], ['', '']],
          staffRows(list, refresh, (a) => {
            editing = a;
            notice = null;
            draw();
          }),
          bi('没有员工', 'No staff'),
        ),
      ),
    );
    if (list.may_manage) {
      parts.push(section('新建员工', 'Add a member of staff', createForm(list, refresh)));
      importer ??= section(
        '导入员工表',
        'Import the staff list',
        ...sheetImport({
          preview: '/v1/admin/staff/import/preview',
          apply: '/v1/admin/staff/import',
          what: (row) => row.username,
          whatHeader: ['用户名', 'Username'],
          columnLabel: staffSheetColumnLabel,
          columns: staffSheetColumns(),
          note: bi('每行一位员工;按用户名更新已有账号,不会重复新建。可用的表头:', 'One row per person; an existing username is updated, never made twice. Headers read:'),
          applied: (report) => {
            draw();
            return importedPasswords(report);
          },
        }),
      );
      parts.push(importer);
    }
    parts.push(
      section(
        '设备',
        'Devices',
        table([['员工', 'Whose'], ['设备', 'Device'], ['首次登录', 'First signed in'], ['最近同步', 'Last sync'], ['', '']], deviceRows(list, refresh), bi('没有设备', 'No devices')),
      ),
    );
    if (list.may_manage) parts.push(await auditSection(names));
    view.replaceChildren(h('div', { id: 'admin' }, ...parts.filter(Boolean)));
  };
  await draw();
}

/** The signed-in person's own password. */
export function renderMyPassword(view) {
  const form = h(
    'form',
    { id: 'my-password', class: 'card' },
    h('h1', {}, ...bi('修改密码', 'Change your password')),
    field('current_password', '当前密码', 'Current password', h('input', { type: 'password', autocomplete: 'current-password' })),
    field('new_password', '新密码(至少 8 个字符)', 'New password (8 characters or more)', h('input', { type: 'password', autocomplete: 'new-password' })),
    formError(),
    h('div', { class: 'notice', role: 'status' }),
    h('button', { type: 'submit' }, ...bi('修改密码', 'Change password')),
  );
  onSubmit(form, async (v) => {
    await post('/v1/me/password', { current_password: v.current_password, new_password: v.new_password });
    form.reset();
    form.querySelector('.notice').textContent = '密码已修改 / Password changed';
  });
  view.replaceChildren(form);
}
