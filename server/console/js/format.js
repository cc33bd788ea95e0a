// Words and times as the office reads them: zh-CN first, English beside it.

export const STATUS = {
  registered: ['已登记', 'Registered'],
  dispatched: ['已派工', 'Dispatched'],
  accepted: ['已接单', 'Accepted'],
  in_progress: ['维修中', 'In progress'],
  completed: ['已完工', 'Completed'],
  signed_off: ['业主已验收', 'Signed off'],
  reviewed: ['主管已审核', 'Reviewed'],
  revisited: ['已回访', 'Revisited'],
  closed: ['已关闭', 'Closed'],
  returned: ['已退单', 'Returned'],
  conflict: ['记录有冲突', 'Conflict'],
  received: ['已受理', 'Received'],
  resolved: ['已处理', 'Resolved'],
  reported_back: ['已反馈', 'Reported back'],
  planned: ['待回访', 'Planned'],
  done: ['已完成', 'Done'],
  cancelled: ['已取消', 'Cancelled'],
};

export const CATEGORY = {
  general: ['一般维修', 'General repair'],
  pipe_leak: ['水管漏水', 'Leaking pipe'],
  drain_blocked: ['下水道堵塞', 'Blocked drain'],
  toilet_blocked: ['马桶堵塞', 'Blocked toilet'],
  lamp: ['灯具更换', 'Lamp replacement'],
  door_lock: ['门锁损坏', 'Broken door lock'],
  move_in_cleaning: ['入住前保洁', 'Move-in cleaning'],
  internal_equipment: ['设备故障(主管定期限)', 'Equipment fault (head sets deadline)'],
};

export const STAGE = {
  normal: ['正常', 'Normal'],
  due_soon: ['即将超时', 'Due soon'],
  overdue: ['已超时·主管跟进', 'Overdue: supervisor'],
  escalated: ['已升级·主任处理', 'Escalated: director'],
};

export const CLOCK = {
  relay_to_front_desk: ['转前台', 'relay to desk'],
  dispatch: ['派单', 'dispatch'],
  department_answer: ['部门答复', 'department answer'],
  report_back: ['完成反馈', 'report back'],
  revisit: ['回访', 'revisit'],
  resolve: ['解决', 'resolve'],
};

export const ROLE = {
  receptionist: ['接待员', 'Receptionist'],
  technician: ['维修工', 'Technician'],
  property_assistant: ['物业助理', 'Property assistant'],
  supervisor: ['客服主管', 'Supervisor'],
  director: ['服务中心主任', 'Director'],
  security: ['秩序维护', 'Security'],
  cleaning: ['清洁', 'Cleaning'],
  landscaping: ['绿化', 'Landscaping'],
};

export const FIELD_ROLES = ['technician', 'security', 'cleaning', 'landscaping'];

/** "中文 English" for a code from one of the tables above. */
export function label(table, code) {
  const l = table[code];
  return l ? `${l[0]} ${l[1]}` : code ?? '';
}

const pad = (n) => String(n).padStart(2, '0');

/** 11-26 14:05 in the browser's time zone (the office's). */
export function time(ms) {
  if (ms == null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an <input type=datetime-local> for `ms`. */
export function localInput(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function span(ms) {
  const m = Math.floor(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d > 0) return [`${d}天${h}小时`, `${d}d ${h}h`];
  if (h > 0) return [`${h}小时${min}分`, `${h}h ${min}m`];
  return [`${min}分${Math.floor((Math.abs(ms) / 1000) % 60)}秒`, `${min}m ${Math.floor((Math.abs(ms) / 1000) % 60)}s`];
}

/** How long until `due` (or how long past it), and whether it is overdue. */
export function countdown(due, now = Date.now()) {
  if (due == null) return { text: '', overdue: false };
  const left = due - now;
  const [zh, en] = span(left);
  return left >= 0
    ? { text: `剩 ${zh} / ${en} left`, overdue: false }
    : { text: `超时 ${zh} / ${en} overdue`, overdue: true };
}

export function percent(r) {
  return r == null ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** This month as YYYY-MM. */
export function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}
