//! Every word a screen shows for a code, zh-CN first with English beside it:
//! the statuses of every record kind, a conflict, sign-off states, complaint
//! stages and clocks, repair categories and roles. The one table: the phone
//! asks the types (`OrderStatus::label`), the server sends [`Labels`] at
//! `GET /v1/labels`, and the console shows what it was sent.

use serde::Serialize;

use crate::admin::{AccountState, AuditAction};
use crate::departments::Department;
use crate::documents::complaint::{ComplaintStatus, ComplaintStep};
use crate::documents::desk_log::{DeskLogStatus, EntryKind, Outcome as DeskOutcome, Shift};
use crate::documents::inspection::{InspectionStatus, ItemResult};
use crate::documents::key_custody::{KeyStatus, Side, SignStep, SiteStep, UseStatus};
use crate::documents::lifecycle::Status;
use crate::documents::rectification::RectificationStatus;
use crate::documents::renovation::RenovationStatus;
use crate::documents::revisit::RevisitStatus;
use crate::documents::revisit::{Method, RevisitReason};
use crate::documents::survey::{Occasion, SurveyStatus, Via};
use crate::documents::template;
use crate::documents::work_order::{OrderStatus, PaymentMethod};
use crate::documents::RecordKind;
use crate::import::estate_sheet::EstateColumn;
use crate::import::staff_sheet::StaffColumn;
use crate::import::Outcome;
use crate::people::Role;
use crate::rules::{ClockKind, ClockState, EscalationStage, Satisfaction};
use crate::rules::{CustomerTier, VisitSeries};
use crate::session::{FollowUpNeed, Reinspection};
use crate::signoff::SignOffValidity;

/// A name to show, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub zh: &'static str,
    pub en: &'static str,
}

const fn l(zh: &'static str, en: &'static str) -> Label {
    Label { zh, en }
}

impl RecordKind {
    pub fn label(self) -> Label {
        match self {
            RecordKind::Estate => l("小区", "Estate"),
            RecordKind::Template => l("检查表", "Checklist"),
            RecordKind::Inspection => l("巡查记录", "Inspection"),
            RecordKind::Rectification => l("整改通知", "Rectification notice"),
            RecordKind::PatrolRoute => l("巡更路线", "Patrol route"),
            RecordKind::PatrolRun => l("巡更记录", "Patrol run"),
            RecordKind::WorkOrder => l("维修单", "Work order"),
            RecordKind::Revisit => l("回访", "Revisit"),
            RecordKind::Complaint => l("投诉", "Complaint"),
            RecordKind::CompanyRules => l("公司规则与工作日历", "Company rules and calendar"),
            RecordKind::KeyCustody => l("托管钥匙", "Deposited key"),
            RecordKind::DeskLog => l("前台工作日志", "Front-desk work log"),
            RecordKind::Renovation => l("装修申请", "Renovation application"),
            RecordKind::Survey => l("满意度调查", "Satisfaction survey"),
            RecordKind::Customer => l("公司客户", "Company customer"),
        }
    }
}

impl SurveyStatus {
    pub fn label(self) -> Label {
        match self {
            SurveyStatus::Draft => l("已抽样,待发放", "Sample drawn, forms not out"),
            SurveyStatus::Collecting => l("回收中", "Collecting forms"),
            SurveyStatus::Closed => l("已统计", "Counted"),
        }
    }
}

impl Occasion {
    pub fn label(self) -> Label {
        match self {
            Occasion::Regular => l("半年度调查", "Half-yearly survey"),
            Occasion::NewService => l("新增服务项目调查", "New service survey"),
            Occasion::Special => l("专题调查", "Special survey"),
        }
    }
}

impl Via {
    pub fn label(self) -> Label {
        match self {
            Via::Door => l("上门收集", "Collected at the door"),
            Via::Desk => l("前台录入纸质表", "Paper form entered at the desk"),
        }
    }
}

/// The service items a new survey starts from (第8篇 §3 b: the kinds of
/// service the office provides); the office edits them for its estate.
pub const SURVEY_ITEMS: [(&str, Label); 7] = [
    ("customer_service", l("客户服务", "Customer service")),
    ("repairs", l("维修服务", "Repairs")),
    ("security", l("安全管理", "Security")),
    ("cleaning", l("环境保洁", "Cleaning")),
    ("landscaping", l("绿化养护", "Landscaping")),
    ("facilities", l("公共设施维护", "Common facilities")),
    ("parking", l("停车管理", "Parking")),
];

/// What a survey's result marks (第8篇 §6.1): valid or not, and the items
/// to act on.
pub const SURVEY_FINDINGS: [(&str, Label); 5] = [
    ("valid", l("调查有效", "Valid survey")),
    (
        "invalid",
        l("回收率不足,调查无效", "Too few forms back: not valid"),
    ),
    ("lowest", l("满意率最低", "Lowest satisfaction")),
    (
        "most_dissatisfied",
        l("不满意比率最高", "Most dissatisfied"),
    ),
    (
        "fallen",
        l("较上次调查下降", "Fallen since the last survey"),
    ),
];

impl Shift {
    pub fn label(self) -> Label {
        match self {
            Shift::Day => l("白班", "Day shift"),
            Shift::Night => l("夜班", "Night shift"),
        }
    }
}

impl EntryKind {
    pub fn label(self) -> Label {
        match self {
            EntryKind::Visitor => l("来访", "Visitor"),
            EntryKind::Call => l("来电", "Call"),
            EntryKind::Matter => l("事项", "Matter"),
        }
    }
}

impl DeskOutcome {
    pub fn label(self) -> Label {
        match self {
            DeskOutcome::Handled => l("已处理", "Handled"),
            DeskOutcome::Pending => l("待跟进", "To follow up"),
            DeskOutcome::PassedOn => l("已转交部门", "Passed to a department"),
        }
    }
}

impl DeskLogStatus {
    pub fn label(self) -> Label {
        match self {
            DeskLogStatus::Open => l("当班中", "On shift"),
            DeskLogStatus::HandedOver => l("已交班,待接班", "Handed over, awaiting takeover"),
            DeskLogStatus::TakenOver => l("已接班", "Taken over"),
        }
    }
}

/// A matter whose department has not reported within the working days
/// the rules give (§5.3.2).
pub const REPORT_OVERDUE: Label = l("部门通报逾期", "Department report overdue");
/// A matter the next shift did not accept: it stays with the shift that had it.
/// A unit whose renovation is not yet accepted (seed 003 第6篇 item 7).
pub const MOVE_IN_BARRED: Label = l(
    "装修未验收合格,不得入住",
    "Renovation not accepted: no moving in yet",
);

pub const NOT_ACCEPTED: Label = l(
    "未被接班接收,仍属本班",
    "Not accepted by the next shift; still this shift's",
);

/// A record whose transitions disagree, until a head chooses.
pub const CONFLICT: Label = l("记录有冲突", "In conflict");

/// What a phone says, before it starts afresh, when its store no longer
/// opens: the key the platform kept for it is gone (a reset keystore, a
/// restored backup) or does not fit. Nothing in the old store can be read.
pub const STORE_KEY_LOST: Label = l(
    "本机数据无法解密:保存它的密钥已丢失。重新登录后,本机会从服务器重新同步记录;尚未同步的更改无法恢复,将会丢失。",
    "This phone's data cannot be decrypted: the key it was kept with is lost. After signing in again the phone syncs its records from the server again; changes not yet synced cannot be recovered and are lost.",
);

/// The button that accepts [`STORE_KEY_LOST`].
pub const START_AFRESH: Label = l(
    "清除本机数据并重新登录",
    "Clear this phone's data and sign in again",
);

impl OrderStatus {
    pub fn label(self) -> Label {
        use OrderStatus::*;
        match self {
            Registered => l("已登记", "Registered"),
            Dispatched => l("已派工", "Dispatched"),
            Accepted => l("已接单", "Accepted"),
            InProgress => l("维修中", "In progress"),
            Completed => l("已完工", "Completed"),
            SignedOff => l("业主已验收", "Signed off"),
            Reviewed => l("主管已审核", "Reviewed"),
            Revisited => l("已回访", "Revisited"),
            Closed => l("已关闭", "Closed"),
            Returned => l("已退单", "Returned"),
        }
    }
}

impl PaymentMethod {
    pub fn label(self) -> Label {
        match self {
            PaymentMethod::Cash => l("现金", "Cash"),
            PaymentMethod::Wechat => l("微信支付", "WeChat Pay"),
            PaymentMethod::Alipay => l("支付宝", "Alipay"),
            PaymentMethod::BankCard => l("银行卡", "Bank card"),
            PaymentMethod::Transfer => l("转账", "Bank transfer"),
        }
    }
}

impl ComplaintStatus {
    pub fn label(self) -> Label {
        use ComplaintStatus::*;
        match self {
            Received => l("已受理", "Received"),
            Dispatched => l("已派单", "Dispatched"),
            Resolved => l("已处理", "Resolved"),
            ReportedBack => l("已反馈", "Reported back"),
            Revisited => l("已回访", "Revisited"),
            Closed => l("已关闭", "Closed"),
        }
    }
}

impl RevisitStatus {
    pub fn label(self) -> Label {
        match self {
            RevisitStatus::Planned => l("待回访", "Planned"),
            RevisitStatus::Done => l("已完成", "Done"),
            RevisitStatus::Cancelled => l("已取消", "Cancelled"),
        }
    }
}

impl InspectionStatus {
    pub fn label(self) -> Label {
        match self {
            InspectionStatus::InProgress => l("巡查中", "In progress"),
            InspectionStatus::Submitted => l("已提交", "Submitted"),
            InspectionStatus::Reviewed => l("主管已审核", "Reviewed"),
        }
    }
}

impl RectificationStatus {
    pub fn label(self) -> Label {
        use RectificationStatus::*;
        match self {
            AwaitingRectification => l("待整改", "Awaiting rectification"),
            AwaitingReinspection => l("待复查", "Awaiting re-inspection"),
            Rectified => l("已整改", "Rectified"),
            SecondRectification => l("二次整改", "Second rectification"),
            ClosedWithPenalty => l("处罚关闭", "Closed with penalty"),
        }
    }
}

impl RenovationStatus {
    pub fn label(self) -> Label {
        use RenovationStatus::*;
        match self {
            Applied => l("待审批", "Awaiting approval"),
            Refused => l("不批准", "Refused"),
            Approved => l("已批准,待发许可证", "Approved, permit not issued"),
            Permitted => l("施工中", "Works under way"),
            AwaitingAcceptance => l("已完工,待验收", "Finished, awaiting acceptance"),
            Rectifying => l("验收不合格,整改中", "Failed acceptance, rectifying"),
            Accepted => l("验收合格,押金未退", "Accepted, deposit held"),
            Closed => l("已结案", "Closed"),
        }
    }
}

impl KeyStatus {
    pub fn label(self) -> Label {
        match self {
            KeyStatus::InCustody => l("封存在箱", "Sealed in the box"),
            KeyStatus::InUse => l("使用中(未封存)", "In use (not resealed)"),
            KeyStatus::Lent => l("已外借", "Lent"),
            KeyStatus::HandedBack => l("已交还业主", "Handed back to the resident"),
        }
    }
}

impl UseStatus {
    pub fn label(self) -> Label {
        match self {
            UseStatus::Requested => l("待双方签字", "Awaiting both signatures"),
            UseStatus::Approved => l("已批准,待开封", "Approved, not yet opened"),
            UseStatus::Opened => l("已开封", "Opened"),
            UseStatus::Resealed => l("已共同封存", "Resealed jointly"),
        }
    }
}

impl Side {
    pub fn label(self) -> Label {
        match self {
            Side::Property => l("物业部", "Property"),
            Side::Security => l("保安部", "Security"),
        }
    }
}

impl SignStep {
    pub fn label(self) -> Label {
        match self {
            SignStep::Approve => l("批准使用", "Approve the use"),
            SignStep::Reseal => l("共同封存", "Reseal jointly"),
        }
    }
}

impl SiteStep {
    pub fn label(self) -> Label {
        match self {
            SiteStep::Opened => l("现场开封", "Opened on site"),
            SiteStep::Entered => l("入室登记", "Entry registered"),
        }
    }
}

impl SignOffValidity {
    pub fn label(&self) -> Label {
        match self {
            SignOffValidity::Unsigned => l("未签字", "not signed"),
            SignOffValidity::Valid => l("签字有效", "signature valid"),
            SignOffValidity::Changed { .. } => l(
                "签字后内容已改,签字失效",
                "changed after signing; no longer valid",
            ),
            SignOffValidity::BadSignature => l("设备签名不符", "device signature does not verify"),
        }
    }
}

impl Role {
    pub fn label(self) -> Label {
        match self {
            Role::Receptionist => l("接待员", "Receptionist"),
            Role::Technician => l("维修工", "Technician"),
            Role::PropertyAssistant => l("物业助理", "Property assistant"),
            Role::Supervisor => l("客服主管", "Supervisor"),
            Role::Director => l("服务中心主任", "Director"),
            Role::Security => l("秩序维护", "Security"),
            Role::Cleaning => l("清洁", "Cleaning"),
            Role::Landscaping => l("绿化", "Landscaping"),
        }
    }
}

impl EscalationStage {
    pub fn label(self) -> Label {
        match self {
            EscalationStage::Normal => l("正常", "Normal"),
            EscalationStage::DueSoon => l("即将超时", "Due soon"),
            EscalationStage::Overdue => l("已超时·主管跟进", "Overdue: supervisor"),
            EscalationStage::Escalated => l("已升级·主任处理", "Escalated: director"),
        }
    }
}

impl Satisfaction {
    pub fn label(self) -> Label {
        match self {
            Satisfaction::VerySatisfied => l("非常满意", "Very satisfied"),
            Satisfaction::Satisfied => l("满意", "Satisfied"),
            Satisfaction::Neutral => l("一般", "Neutral"),
            Satisfaction::Dissatisfied => l("不满意", "Dissatisfied"),
            Satisfaction::VeryDissatisfied => l("非常不满意", "Very dissatisfied"),
        }
    }
}

impl RevisitReason {
    pub fn label(self) -> Label {
        match self {
            RevisitReason::Repair => l("维修回访", "After a repair"),
            RevisitReason::Complaint => l("投诉回访", "After a complaint"),
            RevisitReason::HomeVisit => l("上门走访", "Home visit"),
            RevisitReason::Customer => l("公司客户回访", "Company customer revisit"),
        }
    }
}

impl CustomerTier {
    pub fn label(self) -> Label {
        match self {
            CustomerTier::Ordinary => l("普通客户", "Ordinary customer"),
            CustomerTier::Key => l("重点客户", "Key customer"),
            CustomerTier::Large => l("大客户", "Large customer"),
        }
    }
}

impl VisitSeries {
    pub fn label(self) -> Label {
        match self {
            VisitSeries::Phone => l("电话回访", "Phone revisit"),
            VisitSeries::OnSite => l(
                "现场回访(客户签字)",
                "On-site revisit (signed by the customer)",
            ),
        }
    }
}

/// Words of the customer revisit's paperwork on the lists.
pub const CUSTOMER_REPORT_DUE: Label = l("回访报告待写", "Revisit report due");
pub const CUSTOMER_FILE_DUE: Label = l("回访资料待提交主管", "Papers due with the head");

impl Method {
    pub fn label(self) -> Label {
        match self {
            Method::Phone => l("电话", "By phone"),
            Method::InPerson => l("上门", "In person"),
        }
    }
}

impl AuditAction {
    pub fn label(self) -> Label {
        use AuditAction::*;
        match self {
            StaffCreated => l("新建员工账号", "Staff account created"),
            StaffChanged => l("修改员工资料", "Staff details changed"),
            StaffDisabled => l("停用账号", "Account disabled"),
            StaffEnabled => l("重新启用账号", "Account re-enabled"),
            PasswordReset => l("重置密码", "Password reset"),
            PasswordChanged => l("修改密码", "Password changed"),
            DeviceRevoked => l("停用设备", "Device revoked"),
            EstateCreated => l("新建小区", "Estate created"),
            PlacesEdited => l("修改小区房屋或住户", "Estate places or residents edited"),
            PlacesImported => l("导入小区表格", "Estate sheet imported"),
            TemplateCreated => l("新建检查表", "Checklist created"),
            TemplatePublished => l("发布检查表新版本", "Checklist version published"),
            RulesChanged => l("修改公司规则", "Company rules changed"),
            CalendarReplaced => l("更换工作日历", "Working calendar replaced"),
        }
    }
}

impl AccountState {
    pub fn label(self) -> Label {
        match self {
            AccountState::Active => l("正常", "Active"),
            AccountState::MustChangePassword => l("须修改密码", "Must change password"),
            AccountState::Disabled => l("已停用", "Disabled"),
        }
    }
}

/// A complaint clock's state (`ClockState::name`).
pub fn clock_state(name: &str) -> Option<Label> {
    match name {
        "met" => Some(l("按时完成", "on time")),
        "pending" => Some(l("进行中", "running")),
        "breached" => Some(l("已超时", "late")),
        _ => None,
    }
}

/// A re-inspection's verdict (`Reinspection::VERDICTS`).
/// What an acceptance of renovation works found.
pub fn acceptance_verdict(name: &str) -> Option<Label> {
    match name {
        "passed" => Some(l("验收合格", "Passed")),
        "failed" => Some(l("验收不合格", "Failed")),
        _ => None,
    }
}

pub fn verdict(name: &str) -> Option<Label> {
    match name {
        "passed" => Some(l("复查合格", "Passed")),
        "again" => Some(l("再次整改", "Rectify again")),
        "penalty" => Some(l("处罚并关闭", "Penalty, closed")),
        _ => None,
    }
}

impl ItemResult {
    pub fn label(self) -> Label {
        match self {
            ItemResult::Unchecked => l("未检查", "Unchecked"),
            ItemResult::Ok => l("合格", "OK"),
            ItemResult::Defect => l("缺陷", "Defect"),
            ItemResult::NotApplicable => l("不适用", "N/A"),
        }
    }
}

impl FollowUpNeed {
    pub fn label(self) -> Label {
        match self {
            FollowUpNeed::SendAdministrator => l(
                "说法不符,立即派管理员上门",
                "Accounts differ: send an administrator now",
            ),
            FollowUpNeed::Reply => l("承诺回复", "Reply promised"),
        }
    }
}

impl ComplaintStep {
    /// The words of the button that takes the step.
    pub fn label(self) -> Label {
        use ComplaintStep::*;
        match self {
            Dispatch => l("派单", "Dispatch"),
            Answer => l("登记部门答复", "Log the department's answer"),
            Resolve => l("处理完成", "Resolved"),
            ReportBack => l("已反馈业主", "Reported back to the resident"),
            Close => l("关闭", "Close"),
            Classify => l("判定有效性", "Classify"),
            NotifyDepartments => l("已通知相关部门", "Departments told"),
            EscalateSite => l("上报管理处", "Escalate to the site"),
            EscalateCompany => l("上报公司", "Escalate to the company"),
            SiteReport => l("提交管理处书面报告", "Site written report"),
            CompanyReport => l("提交公司书面报告", "Company written report"),
            Verify => l("完成后核实", "Verify the result"),
        }
    }
}

impl ClockKind {
    pub fn label(self) -> Label {
        use ClockKind::*;
        match self {
            RelayToFrontDesk => l("转前台", "relay to desk"),
            Dispatch => l("派单", "dispatch"),
            DepartmentAnswer => l("部门答复", "department answer"),
            ReportBack => l("完成反馈", "report back"),
            Revisit => l("回访", "revisit"),
            Resolve => l("解决", "resolve"),
            NotifyDepartments => l("通知相关部门", "notify departments"),
            SiteEscalation => l("现场上报", "site escalation"),
            SiteWrittenReport => l("现场书面报告", "site written report"),
            CompanyEscalation => l("公司上报", "company escalation"),
            CompanyWrittenReport => l("公司书面报告", "company written report"),
            Verification => l("完成后核实", "verification"),
        }
    }
}

/// The repair categories reception registers under, in the order a list
/// offers them. "general" is the standard 3-working-day repair; the others
/// are the categories the rules give their own deadlines
/// (`RepairRules::categories`).
pub const CATEGORIES: [(&str, Label); 10] = [
    ("general", l("一般维修", "General repair")),
    ("pipe_leak", l("水管漏水", "Leaking pipe")),
    ("drain_blocked", l("下水道堵塞", "Blocked drain")),
    ("toilet_blocked", l("马桶堵塞", "Blocked toilet")),
    ("lamp", l("灯具更换", "Lamp replacement")),
    ("door_lock", l("门锁损坏", "Broken door lock")),
    ("move_in_cleaning", l("入住前保洁", "Move-in cleaning")),
    (
        "internal_equipment",
        l(
            "设备故障(主管定期限)",
            "Equipment fault (head sets deadline)",
        ),
    ),
    (
        "internal_repair",
        l(
            "内部维修(主管定期限)",
            "Internal repair (head sets deadline)",
        ),
    ),
    (
        "leak_sealing",
        l("堵漏工程(主管定期限)", "Leak sealing (head sets deadline)"),
    ),
];

/// The company's settings (`RulesConfig`) the director's page edits, by the
/// dotted names of the rules file and of `RulesConfig::validate`'s refusals,
/// in the order the page shows them. `monthly_quotas` is a map of roles.
#[rustfmt::skip] // a table reads best one setting a line
pub const SETTINGS: [(&str, Label); 45] = [
    ("time_zone", l("时区", "Time zone")),
    ("repairs.standard_working_days", l("一般维修期限(工作日)", "General repair deadline (working days)")),
    ("repairs.urgent_deadline", l("紧急维修期限(管道漏水、堵塞)", "Urgent repair deadline (leaks, blockages)")),
    ("repairs.working_day_deadline", l("灯具门锁维修期限(按工作时间)", "Lamp and lock repair deadline (working time)")),
    ("repairs.move_in_cleaning_cutoff_hour", l("入住保洁当日截止时刻(时)", "Move-in cleaning same-day cut-off (hour)")),
    ("repairs.move_in_cleaning_working_days", l("入住保洁期限(工作日)", "Move-in cleaning deadline (working days)")),
    ("repairs.emergency_deadline", l("抢修期限", "Emergency repair deadline")),
    ("repairs.director_approval_after", l("延期超过此时长须主任批准", "Extensions past this need the director")),
    ("complaints.relay_to_front_desk", l("投诉转前台时限", "Complaint relayed to the front desk within")),
    ("complaints.dispatch", l("投诉派单时限", "Complaint dispatched within")),
    ("complaints.department_answer", l("部门答复时限", "Department answers within")),
    ("complaints.report_back", l("向住户反馈时限", "Reported back to the resident within")),
    ("complaints.resolve", l("投诉处理时限", "Complaint resolved within")),
    ("complaints.due_soon_warning", l("临近到期提醒", "Due-soon warning")),
    ("complaints.escalate_after", l("超时多久上报主任", "Escalated to the director after")),
    ("emergency.notify_departments", l("紧急事件通知部门时限", "Emergency: departments notified within")),
    ("emergency.site_escalation", l("紧急事件上报主任时限", "Emergency: escalated on site within")),
    ("emergency.site_written_report", l("紧急事件书面报告(本处)", "Emergency: written report on site within")),
    ("emergency.company_escalation", l("紧急事件上报公司时限", "Emergency: escalated to the company within")),
    ("emergency.company_written_report", l("紧急事件书面报告(公司)", "Emergency: written report to the company within")),
    ("emergency.verification", l("紧急事件核实时限", "Emergency: verified within")),
    ("emergency.revisit_working_days", l("紧急事件回访(工作日)", "Emergency: revisited within (working days)")),
    ("revisits.after_repair_working_days", l("维修后回访(工作日)", "Revisit after a repair (working days)")),
    ("revisits.after_complaint_working_days", l("投诉后回访(工作日)", "Revisit after a complaint (working days)")),
    ("revisits.effect_revisit_months", l("投诉效果回访(月)", "Complaint effect revisit (months)")),
    ("revisits.complaint_sample_percent", l("投诉抽样回访比例(%)", "Complaints sampled for revisits (%)")),
    ("revisits.in_person_percent_of_sample", l("抽样中上门回访比例(%)", "Of the sample, in person (%)")),
    ("monthly_quotas", l("每月上门回访数量", "Home visits a month")),
    ("targets.survey_return_percent", l("满意度调查有效回收率(%)", "Survey valid above return rate (%)")),
    ("targets.valid_complaint_percent", l("有效投诉率上限(%)", "Valid complaints per unit below (%)")),
    ("targets.revisit_handling_percent", l("回访处理率目标(%)", "Revisit handling target (%)")),
    ("patrol.clock_tolerance", l("巡查时钟允许偏差", "Patrol clock tolerance")),
    ("keys.check_every_days", l("托管钥匙核对周期(天)", "Deposited keys checked every (days)")),
    ("desk.status_report_working_days", l("部门向前台通报处理情况期限(工作日)", "Department status report to the front desk (working days)")),
    ("price_list", l("有偿服务价目表", "Price list for paid services")),
    ("renovation.acceptance_working_days", l("装修完工后申请验收期限(工作日)", "Renovation acceptance applied for within (working days of completion)")),
    ("surveys.every_months", l("满意度调查周期(月)", "Satisfaction survey every (months)")),
    ("surveys.new_service_within_months", l("新增服务项目调查期限(月)", "New service surveyed within (months)")),
    ("surveys.return_days", l("调查表回收期限(天)", "Survey forms due back within (days)")),
    ("customers.first_phone_months", l("公司客户首次电话回访(交付后月数)", "Company customer: first phone revisit (months after handover)")),
    ("customers.phone_every_months", l("公司客户常规电话回访间隔(月)", "Company customer: phone revisit every (months)")),
    ("customers.large_on_site_every_months", l("大客户现场回访间隔(月)", "Large customer: on-site revisit every (months)")),
    ("customers.key_on_site_every_months", l("重点客户现场回访间隔(月)", "Key customer: on-site revisit every (months)")),
    ("customers.report_working_days", l("客户回访报告期限(工作日)", "Customer revisit report within (working days)")),
    ("customers.file_working_days", l("客户回访资料提交主管期限(工作日)", "Customer revisit papers to the head within (working days)")),
];

/// The words for a repair category code; None for a code not in the table.
pub fn category(code: &str) -> Option<Label> {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// The kinds of checklist the manuals name (an administrator may add others,
/// shown by their code).
pub const CHECKLIST_KINDS: [(&str, Label); 4] = [
    (template::BUILDING_PATROL, l("楼宇巡查", "Building patrol")),
    (
        template::WEEKLY_ESTATE_PATROL,
        l("小区周巡", "Weekly estate patrol"),
    ),
    (
        template::VACANT_UNIT_PATROL,
        l("空置房巡查", "Vacant-unit patrol"),
    ),
    (
        template::RENOVATION_PATROL,
        l("装修巡查", "Renovation patrol"),
    ),
];

/// The kinds of common area (公共区域) an estate has, in the order a list
/// offers them.
pub const COMMON_AREA_KINDS: [(&str, Label); 7] = [
    ("lift", l("电梯", "Lift")),
    ("car_park", l("停车场", "Car park")),
    ("plant_room", l("设备房", "Plant room")),
    ("garden", l("花园绿地", "Garden")),
    ("lobby", l("大堂", "Lobby")),
    ("corridor", l("楼道", "Stairs and corridors")),
    ("other", l("其他", "Other")),
];

/// The words for a common-area kind; None for a code not in the table.
pub fn common_area_kind(code: &str) -> Option<Label> {
    COMMON_AREA_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// One code of a table and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

fn entries<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> Label,
) -> Vec<Entry> {
    all.iter()
        .map(|&t| {
            let Label { zh, en } = label(t);
            Entry {
                code: code(t),
                zh,
                en,
            }
        })
        .collect()
}

/// The statuses from which `role` may move a record to `to`.
fn moves_to<S: Status>(to: S, role: Role) -> Vec<&'static str> {
    S::ALL
        .iter()
        .filter(|&&from| S::check(from, to, role).is_ok())
        .map(|&s| s.name())
        .collect()
}

fn statuses<S: Status>(label: impl Fn(S) -> Label) -> Vec<Entry> {
    entries(S::ALL, S::name, label)
}

/// The statuses of one record kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindStatuses {
    /// `work_order`, `complaint`, `revisit`, `inspection`, `rectification`,
    /// `key_custody`.
    pub kind: &'static str,
    pub statuses: Vec<Entry>,
}

/// Every table, as `GET /v1/labels` sends it. Each table is a list in the
/// order a screen offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub statuses: Vec<KindStatuses>,
    /// The status shown for a record in conflict (its status code is "conflict").
    pub conflict: Label,
    pub signoff: Vec<Entry>,
    pub stages: Vec<Entry>,
    pub clocks: Vec<Entry>,
    /// The steps of a complaint, as buttons.
    pub complaint_steps: Vec<Entry>,
    pub clock_states: Vec<Entry>,
    /// What a done revisit still asks of the office.
    pub follow_ups: Vec<Entry>,
    /// An inspection item's result.
    pub item_results: Vec<Entry>,
    /// What a re-inspection finds.
    pub verdicts: Vec<Entry>,
    pub satisfaction: Vec<Entry>,
    pub revisit_reasons: Vec<Entry>,
    pub revisit_methods: Vec<Entry>,
    pub categories: Vec<Entry>,
    /// The kinds of checklist template.
    pub checklist_kinds: Vec<Entry>,
    pub roles: Vec<Entry>,
    /// Roles that receive dispatched work (`Role::does_field_work`).
    pub field_roles: Vec<&'static str>,
    /// Department heads (`Role::is_head`): they review and decide.
    pub head_roles: Vec<&'static str>,
    /// Area administrators (`Role::administers_an_area`).
    pub administrator_roles: Vec<&'static str>,
    /// The departments complaints are dispatched to.
    pub departments: Vec<Entry>,
    /// Order statuses reception may dispatch (or re-dispatch) from, and
    /// refuse (拒收) a finished job from: the order lifecycle's own moves.
    pub dispatch_from: Vec<&'static str>,
    pub refuse_from: Vec<&'static str>,
    /// What the audit log records (`crate::admin::AuditAction`).
    pub audit_actions: Vec<Entry>,
    /// Where an account stands (`crate::admin::AccountState`).
    pub account_states: Vec<Entry>,
    /// The company's settings, by their dotted names (`SETTINGS`).
    pub settings: Vec<Entry>,
    pub common_area_kinds: Vec<Entry>,
    /// The kinds of record, as a unit's history names them.
    pub record_kinds: Vec<Entry>,
    /// The columns of an estate's import sheet, by the header a template shows.
    pub sheet_columns: Vec<Entry>,
    /// The columns of the staff import sheet.
    pub staff_sheet_columns: Vec<Entry>,
    /// What an import row does: created, updated, unchanged, bad.
    pub import_outcomes: Vec<Entry>,
    /// Where one use of a deposited key stands.
    pub key_use_statuses: Vec<Entry>,
    /// The two sides that sign each use of a deposited key.
    pub key_sides: Vec<Entry>,
    /// What a pair of signatures of a key use approves.
    pub key_sign_steps: Vec<Entry>,
    /// What is registered on site during a key use.
    pub key_site_steps: Vec<Entry>,
    /// How a resident paid a fee (有偿服务收费).
    pub payment_methods: Vec<Entry>,
    /// The front desk's shifts, what its log records, and how it left each.
    pub desk_shifts: Vec<Entry>,
    pub desk_entry_kinds: Vec<Entry>,
    pub desk_outcomes: Vec<Entry>,
    /// Words of the desk's lists: a report overdue, an item not accepted.
    pub desk_report_overdue: Label,
    pub desk_not_accepted: Label,
    /// The unit's resident file: no moving in before a passed acceptance.
    pub renovation_move_in_barred: Label,
    /// An acceptance's verdicts.
    pub renovation_acceptance: Vec<Entry>,
    /// Why a survey is made, how a form came in, the items a survey starts
    /// from, and what its result marks.
    pub survey_occasions: Vec<Entry>,
    pub survey_vias: Vec<Entry>,
    pub survey_items: Vec<Entry>,
    pub survey_findings: Vec<Entry>,
    /// Company customers: their ranks, the two kinds of scheduled revisit,
    /// and the paperwork after a visit.
    pub customer_tiers: Vec<Entry>,
    pub customer_visit_series: Vec<Entry>,
    pub customer_report_due: Label,
    pub customer_file_due: Label,
}

impl Labels {
    pub fn all() -> Labels {
        let kind = |k: RecordKind, statuses| KindStatuses {
            kind: k.as_str(),
            statuses,
        };
        let roles_where = |p: fn(Role) -> bool| {
            Role::ALL
                .into_iter()
                .filter(|&r| p(r))
                .map(Role::as_str)
                .collect()
        };
        let signoff = [
            SignOffValidity::Unsigned,
            SignOffValidity::Valid,
            SignOffValidity::Changed {
                signed_digest: String::new(),
                current_digest: String::new(),
            },
            SignOffValidity::BadSignature,
        ];
        Labels {
            statuses: vec![
                kind(RecordKind::WorkOrder, statuses(OrderStatus::label)),
                kind(RecordKind::Complaint, statuses(ComplaintStatus::label)),
                kind(RecordKind::Revisit, statuses(RevisitStatus::label)),
                kind(RecordKind::Inspection, statuses(InspectionStatus::label)),
                kind(
                    RecordKind::Rectification,
                    statuses(RectificationStatus::label),
                ),
                kind(
                    RecordKind::KeyCustody,
                    entries(&KeyStatus::ALL, KeyStatus::name, KeyStatus::label),
                ),
                kind(
                    RecordKind::Renovation,
                    entries(
                        &RenovationStatus::ALL,
                        RenovationStatus::name,
                        RenovationStatus::label,
                    ),
                ),
                kind(
                    RecordKind::Survey,
                    entries(&SurveyStatus::ALL, SurveyStatus::name, SurveyStatus::label),
                ),
                kind(
                    RecordKind::DeskLog,
                    entries(
                        &DeskLogStatus::ALL,
                        DeskLogStatus::name,
                        DeskLogStatus::label,
                    ),
                ),
            ],
            conflict: CONFLICT,
            signoff: signoff
                .iter()
                .map(|s| {
                    let Label { zh, en } = s.label();
                    Entry {
                        code: s.code(),
                        zh,
                        en,
                    }
                })
                .collect(),
            stages: entries(
                &EscalationStage::ALL,
                EscalationStage::as_str,
                EscalationStage::label,
            ),
            clocks: entries(&ClockKind::ALL, ClockKind::as_str, ClockKind::label),
            complaint_steps: entries(
                &ComplaintStep::ALL,
                ComplaintStep::name,
                ComplaintStep::label,
            ),
            clock_states: entries(
                &ClockState::NAMES,
                |n| n,
                |n| clock_state(n).expect("every clock state has words"),
            ),
            follow_ups: entries(&FollowUpNeed::ALL, FollowUpNeed::name, FollowUpNeed::label),
            item_results: entries(&ItemResult::ALL, ItemResult::name, ItemResult::label),
            verdicts: entries(
                &Reinspection::VERDICTS,
                |n| n,
                |n| verdict(n).expect("every verdict has words"),
            ),
            satisfaction: entries(
                &Satisfaction::ALL,
                Satisfaction::as_str,
                Satisfaction::label,
            ),
            revisit_reasons: entries(
                &RevisitReason::ALL,
                RevisitReason::name,
                RevisitReason::label,
            ),
            revisit_methods: entries(&Method::ALL, Method::name, Method::label),
            categories: entries(&CATEGORIES, |(c, _)| c, |(_, label)| label),
            checklist_kinds: entries(&CHECKLIST_KINDS, |(c, _)| c, |(_, label)| label),
            roles: entries(&Role::ALL, Role::as_str, Role::label),
            field_roles: roles_where(Role::does_field_work),
            head_roles: roles_where(Role::is_head),
            administrator_roles: roles_where(Role::administers_an_area),
            departments: entries(&Department::ALL, Department::as_str, Department::label),
            dispatch_from: moves_to(OrderStatus::Dispatched, Role::Receptionist),
            refuse_from: moves_to(OrderStatus::InProgress, Role::Receptionist),
            audit_actions: entries(&AuditAction::ALL, AuditAction::as_str, AuditAction::label),
            account_states: entries(
                &AccountState::ALL,
                AccountState::as_str,
                AccountState::label,
            ),
            settings: entries(&SETTINGS, |(c, _)| c, |(_, label)| label),
            record_kinds: entries(&RecordKind::ALL, RecordKind::as_str, RecordKind::label),
            common_area_kinds: entries(&COMMON_AREA_KINDS, |(c, _)| c, |(_, label)| label),
            sheet_columns: entries(&EstateColumn::ALL, EstateColumn::code, EstateColumn::label),
            staff_sheet_columns: entries(&StaffColumn::ALL, StaffColumn::code, StaffColumn::label),
            import_outcomes: entries(&Outcome::ALL, Outcome::code, Outcome::label),
            key_use_statuses: entries(&UseStatus::ALL, UseStatus::name, UseStatus::label),
            key_sides: entries(&Side::ALL, Side::as_str, Side::label),
            key_sign_steps: entries(&SignStep::ALL, SignStep::as_str, SignStep::label),
            key_site_steps: entries(&SiteStep::ALL, SiteStep::as_str, SiteStep::label),
            payment_methods: entries(
                &PaymentMethod::ALL,
                PaymentMethod::as_str,
                PaymentMethod::label,
            ),
            desk_shifts: entries(&Shift::ALL, Shift::as_str, Shift::label),
            desk_entry_kinds: entries(&EntryKind::ALL, EntryKind::as_str, EntryKind::label),
            desk_outcomes: entries(&DeskOutcome::ALL, DeskOutcome::as_str, DeskOutcome::label),
            desk_report_overdue: REPORT_OVERDUE,
            desk_not_accepted: NOT_ACCEPTED,
            renovation_move_in_barred: MOVE_IN_BARRED,
            renovation_acceptance: entries(
                &["passed", "failed"],
                |n| n,
                |n| acceptance_verdict(n).expect("every verdict has words"),
            ),
            survey_occasions: entries(&Occasion::ALL, Occasion::as_str, Occasion::label),
            survey_vias: entries(&Via::ALL, Via::as_str, Via::label),
            survey_items: entries(&SURVEY_ITEMS, |(c, _)| c, |(_, label)| label),
            survey_findings: entries(&SURVEY_FINDINGS, |(c, _)| c, |(_, label)| label),
            customer_tiers: entries(&CustomerTier::ALL, CustomerTier::name, CustomerTier::label),
            customer_visit_series: entries(
                &VisitSeries::ALL,
                VisitSeries::name,
                VisitSeries::label,
            ),
            customer_report_due: CUSTOMER_REPORT_DUE,
            customer_file_due: CUSTOMER_FILE_DUE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulesConfig;

    fn json_name<T: Serialize>(t: T) -> String {
        serde_json::to_value(t)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The codes in the table are the ones records and the API carry, so a
    /// screen finds the words for every code it is sent.
    #[test]
    fn codes_are_the_json_names() {
        for k in ClockKind::ALL {
            assert_eq!(k.as_str(), json_name(k));
        }
        for s in EscalationStage::ALL {
            assert_eq!(s.as_str(), json_name(s));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str(), json_name(r));
        }
        for s in Labels::all().signoff {
            let v: SignOffValidity = match s.code {
                "changed" => SignOffValidity::Changed {
                    signed_digest: String::new(),
                    current_digest: String::new(),
                },
                code => serde_json::from_value(serde_json::json!({ "state": code })).unwrap(),
            };
            assert_eq!(v.code(), s.code);
        }
        for o in OrderStatus::ALL {
            assert_eq!(o.name(), json_name(*o));
        }
        for s in Shift::ALL {
            assert_eq!(s.as_str(), json_name(s));
        }
        for k in EntryKind::ALL {
            assert_eq!(k.as_str(), json_name(k));
        }
        for o in DeskOutcome::ALL {
            assert_eq!(o.as_str(), json_name(o));
        }
        for s in DeskLogStatus::ALL {
            assert_eq!(s.name(), json_name(s));
        }
        for s in SurveyStatus::ALL {
            assert_eq!(s.name(), json_name(s));
        }
        for o in Occasion::ALL {
            assert_eq!(o.as_str(), json_name(o));
        }
        for v in Via::ALL {
            assert_eq!(v.as_str(), json_name(v));
        }
        for s in ComplaintStep::ALL {
            assert_eq!(s.name(), json_name(s));
        }
        for s in Satisfaction::ALL {
            assert_eq!(s.as_str(), json_name(s));
        }
        for r in RevisitReason::ALL {
            assert_eq!(r.name(), json_name(r));
        }
        for m in Method::ALL {
            assert_eq!(m.name(), json_name(m));
        }
        for t in CustomerTier::ALL {
            assert_eq!(t.name(), json_name(t));
        }
        for v in VisitSeries::ALL {
            assert_eq!(v.name(), json_name(v));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(m.as_str(), json_name(m));
        }
        for f in FollowUpNeed::ALL {
            assert_eq!(f.name(), json_name(f));
        }
        for r in ItemResult::ALL {
            assert_eq!(r.name(), json_name(r));
        }
        let verdicts = [
            Reinspection::Passed {
                note: String::new(),
            },
            Reinspection::Again {
                reason: String::new(),
                due_at: 0,
            },
            Reinspection::Penalty {
                points: 1,
                reason: String::new(),
            },
        ];
        for (name, v) in Reinspection::VERDICTS.iter().zip(verdicts) {
            assert_eq!(serde_json::to_value(v).unwrap()["verdict"], *name);
        }
    }

    /// Every category the rules give a deadline can be named on a screen.
    #[test]
    fn every_configured_category_has_words() {
        for code in RulesConfig::default().repairs.categories.keys() {
            assert!(category(code).is_some(), "{code} has no label");
        }
    }

    /// No table names a code twice, and no word is left empty.
    #[test]
    fn tables_are_complete_and_unambiguous() {
        let all = Labels::all();
        let mut tables: Vec<&Vec<Entry>> = all.statuses.iter().map(|k| &k.statuses).collect();
        tables.extend([
            &all.signoff,
            &all.stages,
            &all.clocks,
            &all.categories,
            &all.roles,
            &all.departments,
            &all.audit_actions,
            &all.account_states,
            &all.common_area_kinds,
            &all.record_kinds,
            &all.sheet_columns,
            &all.staff_sheet_columns,
            &all.import_outcomes,
        ]);
        for table in tables {
            let mut codes: Vec<_> = table.iter().map(|e| e.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), table.len(), "{table:?}");
            assert!(table.iter().all(|e| !e.zh.is_empty() && !e.en.is_empty()));
        }
        assert_eq!(all.statuses[0].statuses.len(), OrderStatus::ALL.len());
        assert_eq!(all.head_roles, ["supervisor", "director"]);
    }

    /// Reception's buttons follow the order lifecycle: dispatch until the
    /// work has started, refuse only a finished job.
    #[test]
    fn reception_moves_come_from_the_lifecycle() {
        let all = Labels::all();
        assert_eq!(all.dispatch_from, ["registered", "dispatched", "accepted"]);
        assert_eq!(all.refuse_from, ["completed"]);
    }

    /// Every setting of the rules has its words (the repair categories,
    /// a map of codes, have theirs in `CATEGORIES`), and every labelled
    /// setting is one the rules have.
    #[test]
    fn every_setting_of_the_rules_has_words() {
        let rules = serde_json::to_value(crate::rules::RulesConfig::default()).unwrap();
        let mut settings = vec![];
        for (key, value) in rules.as_object().unwrap() {
            match value.as_object() {
                Some(section) if key != "monthly_quotas" => settings.extend(
                    section
                        .keys()
                        .filter(|k| *k != "categories")
                        .map(|k| format!("{key}.{k}")),
                ),
                _ => settings.push(key.clone()),
            }
        }
        let mut labelled: Vec<String> = SETTINGS.iter().map(|(c, _)| c.to_string()).collect();
        settings.sort();
        labelled.sort();
        assert_eq!(settings, labelled);
    }
}
