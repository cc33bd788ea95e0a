// Words and times as the office reads them: zh-CN first, English beside it.

import { get } from './api.js';

// The words for every code come from core's one table (GET /v1/labels),
// loaded once before a screen renders: the console keeps no copy, so it
// shows what the phones show.
let words = null;

const byCode = (entries) => new Map(entries.map((e) => [e.code, e]));

export async function loadLabels() {
  if (words) return;
  const l = await get('/v1/labels');
  words = {
    status: new Map(l.statuses.map((k) => [k.kind, byCode(k.statuses)])),
    conflict: l.conflict,
    stage: byCode(l.stages),
    clock: byCode(l.clocks),
    step: byCode(l.complaint_steps),
    clockState: byCode(l.clock_states),
    followUp: byCode(l.follow_ups),
    itemResult: byCode(l.item_results),
    satisfaction: byCode(l.satisfaction),
    reason: byCode(l.revisit_reasons),
    method: byCode(l.revisit_methods),
    category: byCode(l.categories),
    checklistKind: byCode(l.checklist_kinds),
    role: byCode(l.roles),
    fieldRoles: l.field_roles,
    headRoles: l.head_roles,
    administratorRoles: l.administrator_roles,
    verdict: byCode(l.verdicts),
    dispatchFrom: l.dispatch_from,
    refuseFrom: l.refuse_from,
    auditAction: byCode(l.audit_actions),
    accountState: byCode(l.account_states),
    settings: l.settings,
    areaKind: byCode(l.common_area_kinds),
    recordKind: byCode(l.record_kinds),
    sheetColumn: byCode(l.sheet_columns),
    staffSheetColumn: byCode(l.staff_sheet_columns),
    importOutcome: byCode(l.import_outcomes),
    paymentMethod: byCode(l.payment_methods),
    moveInBarred: l.renovation_move_in_barred,
    surveyOccasion: byCode(l.survey_occasions),
    surveyVia: byCode(l.survey_vias),
    surveyItems: l.survey_items,
    surveyFinding: byCode(l.survey_findings),
    customerTier: byCode(l.customer_tiers),
    customerReportDue: l.customer_report_due,
    customerFileDue: l.customer_file_due,
    department: byCode(l.departments),
    keyUseStatus: byCode(l.key_use_statuses),
    keySide: byCode(l.key_sides),
    keySignStep: byCode(l.key_sign_steps),
    keySiteStep: byCode(l.key_site_steps),
    deskShift: byCode(l.desk_shifts),
    deskEntryKind: byCode(l.desk_entry_kinds),
    deskOutcome: byCode(l.desk_outcomes),
    deskReportOverdue: l.desk_report_overdue,
    deskNotAccepted: l.desk_not_accepted,
  };
}

/** "中文 English" for a table's entry, or the code itself if it has none. */
function show(entry, code) {
  return entry ? `${entry.zh} ${entry.en}` : code ?? '';
}

/** The company's settings in the order the rules page shows them: {code, zh, en}. */
export const settingLabels = () => words.settings;
/** Whether reception may dispatch an order in this status (core's order lifecycle). */
export const mayDispatch = (status) => words.dispatchFrom.includes(status);
/** Whether reception may refuse (拒收) an order in this status. */
export const mayRefuse = (status) => words.refuseFrom.includes(status);

/** A record's status: `kind` is work_order, complaint, revisit, … */
export function statusLabel(kind, code) {
  return code === 'conflict' ? show(words.conflict, code) : show(words.status.get(kind)?.get(code), code);
}

export const stageLabel = (code) => show(words.stage.get(code), code);
export const clockLabel = (code) => show(words.clock.get(code), code);
export const clockStateLabel = (code) => show(words.clockState.get(code), code);
export const categoryLabel = (code) => show(words.category.get(code), code);
/** The words of a complaint step's button, as [zh, en]. */
export const stepWords = (code) => {
  const e = words.step.get(code);
  return e ? [e.zh, e.en] : [code, code];
};
export const itemResultLabel = (code) => show(words.itemResult.get(code), code);
export const followUpLabel = (code) => show(words.followUp.get(code), code);
export const reasonLabel = (code) => show(words.reason.get(code), code);
export const methodLabel = (code) => show(words.method.get(code), code);
/** The satisfaction ratings as [code, words], best first. */
export const satisfactionOptions = () => [...words.satisfaction.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const roleLabel = (code) => show(words.role.get(code), code);
/** Every role as [code, words], in the order offered. */
export const roleOptions = () => [...words.role.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const auditActionLabel = (code) => show(words.auditAction.get(code), code);
export const accountStateLabel = (code) => show(words.accountState.get(code), code);

/** A checklist template's kind (a company's own kind shows its code). */
export const checklistKindLabel = (code) => show(words.checklistKind.get(code), code);
/** The manuals' checklist kinds as [code, words]. */
export const checklistKinds = () => [...words.checklistKind.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);

/** The repair categories in the order reception is offered them. */
export const categories = () => [...words.category.keys()];

/** Receives dispatched work (technicians, security, cleaning, landscaping). */
export const doesFieldWork = (role) => words.fieldRoles.includes(role);

/** An area administrator (管理员): sent to site when accounts differ. */
export const administersAnArea = (role) => words.administratorRoles.includes(role);

/** A re-inspection's verdicts as [code, words], in the order offered. */
export const verdictOptions = () => [...words.verdict.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);

/** The kinds of common area as [code, words], in the order offered. */
export const areaKindOptions = () => [...words.areaKind.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const areaKindLabel = (code) => show(words.areaKind.get(code), code);
/** A record kind (work_order, complaint, …) as a unit's history names it. */
export const recordKindLabel = (code) => show(words.recordKind.get(code), code);
/** A column of the estate import sheet, by its code. */
export const sheetColumnLabel = (code) => show(words.sheetColumn.get(code), code);
/** The columns of the estate import sheet, in a template's order. */
export const sheetColumns = () => [...words.sheetColumn.values()];

export const staffSheetColumnLabel = (code) => show(words.staffSheetColumn.get(code), code);
export const staffSheetColumns = () => [...words.staffSheetColumn.values()];
/** What an import row does: created, updated, unchanged, bad. */
/** How a resident paid a fee (cash, wechat, …). */
export const paymentMethodLabel = (code) => show(words.paymentMethod.get(code), code);
export const paymentMethodOptions = () => [...words.paymentMethod.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const customerTierLabel = (code) => show(words.customerTier.get(code), code);
export const customerTierOptions = () => [...words.customerTier.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
/** Words of a customer visit's paperwork owed: the report, the papers. */
export const customerReportDue = () => words.customerReportDue;
export const customerFileDue = () => words.customerFileDue;
export const importOutcomeLabel = (code) => show(words.importOutcome.get(code), code);

/** A unit whose renovation is not yet accepted: nobody moves in. */
export const moveInBarredLabel = () => `${words.moveInBarred.zh} ${words.moveInBarred.en}`;
/** Why a survey is made, as [code, words], in the order offered. */
export const occasionOptions = () => [...words.surveyOccasion.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const occasionLabel = (code) => show(words.surveyOccasion.get(code), code);
/** How a survey form came in: at the door, or typed in at the desk. */
export const viaLabel = (code) => show(words.surveyVia.get(code), code);
/** What a survey's result marks: valid, lowest, most dissatisfied, fallen. */
export const findingLabel = (code) => show(words.surveyFinding.get(code), code);
export const satisfactionLabel = (code) => show(words.satisfaction.get(code), code);
/** The departments matters are passed to, as [code, words]. */
export const departmentOptions = () => [...words.department.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const departmentLabel = (code) => show(words.department.get(code), code);
/** Where a deposited key's use stands, who signs it, what each signing and site step is. */
export const keyUseStatusLabel = (code) => show(words.keyUseStatus.get(code), code);
export const keySideLabel = (code) => show(words.keySide.get(code), code);
export const keySides = () => [...words.keySide.keys()];
export const keySignStepLabel = (code) => show(words.keySignStep.get(code), code);
export const keySignSteps = () => [...words.keySignStep.keys()];
export const keySiteStepLabel = (code) => show(words.keySiteStep.get(code), code);
/** The front desk's shifts, what its log records, and how each was left, as [code, words]. */
export const deskShiftOptions = () => [...words.deskShift.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const deskShiftLabel = (code) => show(words.deskShift.get(code), code);
export const deskEntryKindOptions = () => [...words.deskEntryKind.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const deskEntryKindLabel = (code) => show(words.deskEntryKind.get(code), code);
export const deskOutcomeOptions = () => [...words.deskOutcome.values()].map((e) => [e.code, `${e.zh} ${e.en}`]);
export const deskOutcomeLabel = (code) => show(words.deskOutcome.get(code), code);
/** The desk's words for a report overdue and an item nobody took over. */
export const deskReportOverdueLabel = () => show(words.deskReportOverdue);
export const deskNotAcceptedLabel = () => show(words.deskNotAccepted);

/** A department head: reviews, decides extensions, classifies complaints. */
export const isHead = (role) => words.headRoles.includes(role);

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
  if (due == null) return { text: '', zh: '', en: '', overdue: false };
  const left = due - now;
  const [zh, en] = span(left);
  const [zhPart, enPart] = left >= 0 ? [`剩 ${zh}`, `${en} left`] : [`超时 ${zh}`, `${en} overdue`];
  return { text: `${zhPart} / ${enPart}`, zh: zhPart, en: enPart, overdue: left < 0 };
}

/** An amount in fen (分) as yuan: "¥130.00". */
export function yuan(fen) {
  return fen == null ? '—' : `¥${(fen / 100).toFixed(2)}`;
}

export function percent(r) {
  return r == null ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** This month as YYYY-MM. */
export function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/** Last month as YYYY-MM: the month a report at the start of this one is about. */
export function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}
