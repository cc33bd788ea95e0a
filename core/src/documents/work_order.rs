//! The work order (报修 / 维修单): intake, dispatch, the technician's record,
//! the resident's signed acceptance, the head's review, revisit and close.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{
    self, not_allowed, role_in, Current, Status, Transition, TransitionError, Who,
};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::labels::Label;
use crate::message::Explain;
use crate::people::Role;
use crate::places::{Personal, Place};
use crate::rules::price_list::{self, QuoteLine};
use crate::rules::ExtensionApproval;
use crate::signoff::{AcceptedMaterial, AcceptedWork, DeviceKey, SignOff, SignOffValidity};
use crate::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Registered,
    Dispatched,
    Accepted,
    InProgress,
    Completed,
    SignedOff,
    Reviewed,
    Revisited,
    Closed,
    Returned,
}

impl OrderStatus {
    /// Still waiting for someone's work.
    pub fn is_open(self) -> bool {
        !matches!(self, OrderStatus::Closed | OrderStatus::Returned)
    }

    /// The repair itself is finished (the deadline clock has stopped).
    pub fn work_finished(self) -> bool {
        use OrderStatus::*;
        matches!(self, Completed | SignedOff | Reviewed | Revisited | Closed)
    }
}

impl Status for OrderStatus {
    const INITIAL: Self = OrderStatus::Registered;
    const ALL: &'static [Self] = &[
        OrderStatus::Registered,
        OrderStatus::Dispatched,
        OrderStatus::Accepted,
        OrderStatus::InProgress,
        OrderStatus::Completed,
        OrderStatus::SignedOff,
        OrderStatus::Reviewed,
        OrderStatus::Revisited,
        OrderStatus::Closed,
        OrderStatus::Returned,
    ];

    fn name(self) -> &'static str {
        use OrderStatus::*;
        match self {
            Registered => "registered",
            Dispatched => "dispatched",
            Accepted => "accepted",
            InProgress => "in_progress",
            Completed => "completed",
            SignedOff => "signed_off",
            Reviewed => "reviewed",
            Revisited => "revisited",
            Closed => "closed",
            Returned => "returned",
        }
    }

    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError> {
        use OrderStatus::*;
        let office = [Role::Receptionist, Role::Supervisor, Role::Director];
        let heads = [Role::Supervisor, Role::Director];
        let field = [
            Role::Technician,
            Role::Security,
            Role::Cleaning,
            Role::Landscaping,
        ];
        let revisitors = [
            Role::Receptionist,
            Role::PropertyAssistant,
            Role::Supervisor,
            Role::Director,
        ];
        match (from, to) {
            // Dispatch, and re-dispatch before the work has started.
            (Registered | Dispatched | Accepted, Dispatched) => role_in(to, role, &office),
            (Dispatched, Accepted) | (Accepted, InProgress) | (InProgress, Completed) => {
                role_in(to, role, &field)
            }
            // Reception refuses (拒收) an incomplete record: back to the technician.
            (Completed, InProgress) => role_in(to, role, &office),
            // A sign-off, or a fresh one after the old one was invalidated.
            (Completed | SignedOff, SignedOff) => {
                if field.contains(&role) || office.contains(&role) {
                    Ok(())
                } else {
                    Err(TransitionError::RoleMayNot {
                        role,
                        to: to.name(),
                    })
                }
            }
            (SignedOff, Reviewed) => role_in(to, role, &heads),
            (Reviewed, Revisited) => role_in(to, role, &revisitors),
            (Revisited, Closed) | (Returned, Closed) | (Returned, Registered) => {
                role_in(to, role, &office)
            }
            // A return (退单) is signed by the department head.
            (Registered | Dispatched | Accepted | InProgress, Returned) => {
                role_in(to, role, &heads)
            }
            _ => Err(not_allowed(from, to)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    ResidentRequest,
    Complaint,
    PatrolFinding,
    Staff,
}

/// Where the order came from, linked back so a case can be followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The complaint or inspection this order came from.
    #[serde(default)]
    pub record_id: Option<String>,
    /// The inspection item, for a patrol finding.
    #[serde(default)]
    pub item_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Contact {
    pub name: Personal<String>,
    pub phone: Personal<String>,
}

/// The deadline the rules gave at registration (or an approved extension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    /// The repair class it was computed from (`rules::RepairClass`).
    pub class: String,
    pub due_at: Millis,
    /// A head-set category's deadline: the head who set it. Until one has,
    /// the deadline is the standard one, provisionally.
    #[serde(default)]
    pub set_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WorkRecord {
    pub work_done: String,
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    /// Preparation time, counted in the total hours.
    pub prep_minutes: i64,
}

impl WorkRecord {
    pub fn total_minutes(&self) -> Option<i64> {
        Some((self.ended_at? - self.started_at?) / 60_000 + self.prep_minutes)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub quantity: f64,
    pub unit: String,
    #[serde(default)]
    pub unit_price_fen: i64,
}

/// How a resident paid a fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Wechat,
    Alipay,
    BankCard,
    Transfer,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Cash,
        PaymentMethod::Wechat,
        PaymentMethod::Alipay,
        PaymentMethod::BankCard,
        PaymentMethod::Transfer,
    ];

    /// The name in JSON ("bank_card").
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Wechat => "wechat",
            PaymentMethod::Alipay => "alipay",
            PaymentMethod::BankCard => "bank_card",
            PaymentMethod::Transfer => "transfer",
        }
    }
}

/// Fees of a paid service (有偿服务): quoted from the price list before work
/// starts, charged after, and collected once: by the technician at
/// completion, or by the service centre at the revisit (seed 003 §6.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Fees {
    pub paid_service: bool,
    pub quoted_fen: Option<i64>,
    pub quoted_at: Option<Millis>,
    /// The quote's lines from the company's price list; empty for a free
    /// amount, which stands only while the company keeps no list.
    #[serde(default)]
    pub quote_lines: Vec<QuoteLine>,
    pub materials_fee_fen: i64,
    pub labour_fee_fen: i64,
    #[serde(default)]
    pub collected_fen: Option<i64>,
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    #[serde(default)]
    pub collected_by: Option<String>,
    #[serde(default)]
    pub collected_at: Option<Millis>,
    /// The receipt (收据) number handed to the resident.
    #[serde(default)]
    pub receipt_no: Option<String>,
}

impl Fees {
    /// What the resident owes: materials and labour.
    pub fn charged_fen(&self) -> i64 {
        self.materials_fee_fen + self.labour_fee_fen
    }

    /// Charged and not yet collected.
    pub fn outstanding_fen(&self) -> i64 {
        if !self.paid_service {
            return 0;
        }
        (self.charged_fen() - self.collected_fen.unwrap_or(0)).max(0)
    }

    /// Why a collection cannot be recorded against these fees, if it cannot:
    /// one check for the phone, the office and the write policy.
    pub fn collection_refused(&self, amount_fen: i64) -> Option<(&'static str, Label)> {
        let refuse = |field, zh, en| Some((field, Label { zh, en }));
        if !self.paid_service {
            return refuse(
                "collected_fen",
                "不是有偿服务,无费用可收",
                "not a paid service: nothing to collect",
            );
        }
        if self.collected_fen.is_some() {
            return refuse(
                "collected_fen",
                "费用已收取,不能重复登记",
                "the fee is already collected; it is recorded once",
            );
        }
        if amount_fen <= 0 {
            return refuse(
                "collected_fen",
                "收费金额必须大于0",
                "the amount must be more than zero",
            );
        }
        if amount_fen > self.charged_fen() {
            return refuse(
                "collected_fen",
                "收费金额超过应收(材料费+人工费)",
                "more than charged (materials and labour)",
            );
        }
        None
    }
}

/// A fee collected from the resident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeCollection {
    pub amount_fen: i64,
    pub method: PaymentMethod,
    pub receipt_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    pub by: String,
    pub at: Millis,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub id: String,
    /// SHA-256 of the blob.
    pub hash: String,
    pub by: String,
    pub at: Millis,
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Review {
    pub by: Option<String>,
    pub at: Option<Millis>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub id: String,
    pub requested_by: String,
    pub requested_at: Millis,
    pub reason: String,
    pub requested_due: Millis,
    /// The least senior role that may approve, from the rules.
    pub approver: Role,
    pub needs_resident_consent: bool,
    pub resident_consent: Option<bool>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Millis>,
    pub approved: Option<bool>,
}

impl Extension {
    /// Who must sign, as the rules named when it was requested.
    pub fn approval(&self) -> ExtensionApproval {
        ExtensionApproval {
            approver: self.approver,
            needs_resident_consent: self.needs_resident_consent,
        }
    }

    /// Whether `role` is senior enough to approve or refuse it.
    pub fn may_be_decided_by(&self, role: Role) -> bool {
        self.approval().may_decide(role)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Links {
    pub complaint_id: Option<String>,
    /// The order this one repairs again (返修).
    pub rework_of: Option<String>,
    pub revisit_ids: Vec<String>,
}

/// A work order as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkOrder {
    pub id: String,
    pub estate_id: String,
    pub received_at: Millis,
    pub registered_by: String,
    pub source: Source,
    pub category: String,
    pub place: Place,
    pub emergency: bool,
    pub resident: Contact,
    pub content: String,
    pub deadline: Deadline,
    pub events: Vec<Transition<OrderStatus>>,
    pub work: WorkRecord,
    pub materials: Vec<Material>,
    pub fees: Fees,
    pub notes: Vec<Note>,
    pub photos: Vec<Photo>,
    pub signoffs: Vec<SignOff>,
    pub review: Review,
    pub extensions: Vec<Extension>,
    pub links: Links,
}

impl WorkOrder {
    pub fn current(&self) -> Current<OrderStatus> {
        lifecycle::current(&self.events)
    }

    pub fn status(&self) -> Option<OrderStatus> {
        self.current().status()
    }

    pub fn assignee(&self) -> Option<String> {
        lifecycle::assignee(&self.events)
    }

    /// Why the order is where it is: the desk's reason for refusing the
    /// record, the head's for returning it (told to the resident), or why it
    /// was reopened; none on the ordinary path.
    pub fn status_reason(&self) -> Option<&str> {
        lifecycle::status_reason(&self.events)
    }

    /// Still waiting for someone's work (a conflict counts as open).
    pub fn is_open(&self) -> bool {
        self.status().is_none_or(|s| s.is_open())
    }

    /// Past its deadline and not yet completed, as its query row says too.
    pub fn is_overdue(&self, now: Millis) -> bool {
        super::index::overdue(
            self.is_open(),
            self.completed_at(),
            Some(self.deadline.due_at),
            now,
        )
    }

    /// When the work was last completed; none if the order went back to
    /// work after it (a record refused at the desk, a reopened order) or was
    /// returned: neither was done, whatever came before.
    pub fn completed_at(&self) -> Option<Millis> {
        let mut done = None;
        for e in &self.events {
            if e.to == OrderStatus::Completed {
                done = Some(e.at);
            } else if !e.to.work_finished() {
                done = None;
            }
        }
        done
    }

    /// What a sign-off covers, as the record holds it now.
    pub fn accepted_work(&self) -> AcceptedWork {
        AcceptedWork {
            order_id: self.id.clone(),
            work_done: self.work.work_done.clone(),
            materials: self
                .materials
                .iter()
                .map(|m| AcceptedMaterial {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    quantity: m.quantity,
                    unit: m.unit.clone(),
                    unit_price_fen: m.unit_price_fen,
                })
                .collect(),
            started_at: self.work.started_at,
            ended_at: self.work.ended_at,
            prep_minutes: self.work.prep_minutes,
            paid_service: self.fees.paid_service,
            quoted_fen: self.fees.quoted_fen,
            materials_fee_fen: self.fees.materials_fee_fen,
            labour_fee_fen: self.fees.labour_fee_fen,
        }
    }

    /// The latest sign-off and whether it still holds.
    pub fn signoff_validity(&self) -> SignOffValidity {
        match self.signoffs.last() {
            None => SignOffValidity::Unsigned,
            Some(s) => s.validity(&self.accepted_work()),
        }
    }

    /// What the completed record still lacks, for completion and for
    /// reception's refusal (拒收) of incomplete records.
    pub fn missing_for_completion(&self) -> Vec<&'static str> {
        let mut missing = vec![];
        if self.work.work_done.trim().is_empty() {
            missing.push("work_done 维修内容");
        }
        if self.work.started_at.is_none() {
            missing.push("started_at 开始时间");
        }
        if self.work.ended_at.is_none() {
            missing.push("ended_at 完成时间");
        }
        if self.fees.paid_service && self.fees.quoted_fen.is_none() {
            missing.push("quoted_fen 报价");
        }
        missing
    }
}

/// What reception types when registering a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDraft {
    pub id: RecordId,
    pub received_at: Millis,
    pub source: Source,
    pub category: String,
    pub place: Place,
    pub emergency: bool,
    pub resident: Contact,
    pub content: String,
    pub deadline: Deadline,
    #[serde(default)]
    pub rework_of: Option<String>,
    /// A paid service (有偿服务) known at intake: work may not start before
    /// its quote.
    #[serde(default)]
    pub paid_service: bool,
}

/// An order as the core's own tests register it.
#[cfg(test)]
pub(crate) fn sample_draft(paid_service: bool) -> OrderDraft {
    use crate::places::Personal;
    OrderDraft {
        id: RecordId::new(),
        received_at: 1,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "general".into(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some("u-1".into()),
            ..Place::default()
        },
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: "厨房水管漏水".into(),
        deadline: Deadline {
            class: "standard".into(),
            due_at: 100,
            set_by: None,
        },
        rework_of: None,
        paid_service,
    }
}

pub struct WorkOrderDoc {
    doc: RecordDoc,
}

record_view!(WorkOrderDoc, RecordKind::WorkOrder, index_row);

/// A mainland phone number or a landline: digits, optional "+86", "-" or spaces.
pub fn check_phone(phone: &str) -> Result<(), RecordError> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits);
    if digits.len() >= 7 && digits.len() <= 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(RecordError::invalid(
            "phone",
            format!("“{phone}”不是有效电话号码"),
            format!("“{phone}” is not a phone number"),
        ))
    }
}

impl WorkOrderDoc {
    pub fn register(draft: &OrderDraft, device: DeviceId, who: &Who) -> Result<Self, RecordError> {
        if !who.role.registers()
            && !who.role.does_field_work()
            && who.role != Role::PropertyAssistant
        {
            return Err(TransitionError::RoleMayNot {
                role: who.role,
                to: "registered",
            }
            .into());
        }
        required("category", &draft.category)?;
        required("content", &draft.content)?;
        required("estate_id", &draft.place.estate_id)?;
        if draft.place.unit_id.is_none() && draft.place.common_area_id.is_none() {
            return Err(RecordError::invalid(
                "place",
                "需要房号或公共区域",
                "give a unit or a common area",
            ));
        }
        if !draft.resident.phone.0.is_empty() {
            check_phone(&draft.resident.phone.0)?;
        }
        let skeleton = json!({
            "received_at": draft.received_at,
            "registered_by": who.staff_id,
            "source": draft.source,
            "category": draft.category,
            "place": draft.place,
            "emergency": draft.emergency,
            "resident": draft.resident,
            "content": draft.content,
            "deadline": draft.deadline,
            "events": [],
            "work": WorkRecord::default(),
            "materials": [],
            "fees": Fees {
                paid_service: draft.paid_service,
                ..Fees::default()
            },
            "notes": [],
            "photos": [],
            "signoffs": [],
            "review": Review::default(),
            "extensions": [],
            "links": Links {
                complaint_id: (draft.source.kind == SourceKind::Complaint)
                    .then(|| draft.source.record_id.clone())
                    .flatten(),
                rework_of: draft.rework_of.clone(),
                revisit_ids: vec![],
            },
        });
        let doc = RecordDoc::create(
            RecordKind::WorkOrder,
            draft.id.clone(),
            &draft.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(WorkOrderDoc { doc })
    }

    pub fn read(&self) -> Result<WorkOrder, RecordError> {
        self.doc.read()
    }

    /// The order as the resident signed it.
    pub fn signed_version(&mut self, signoff: &SignOff) -> Result<WorkOrder, RecordError> {
        let heads = signoff
            .heads
            .iter()
            .map(|h| {
                h.parse()
                    .map_err(|_| RecordError::Malformed(format!("bad head {h}")))
            })
            .collect::<Result<Vec<automerge::ChangeHash>, _>>()?;
        self.doc.read_at(&heads)
    }

    fn transition(
        &mut self,
        order: &WorkOrder,
        to: OrderStatus,
        who: &Who,
        reason: Option<String>,
        assignee: Option<String>,
    ) -> Result<(), RecordError> {
        let t = lifecycle::next(&order.events, to, who, reason, assignee)?;
        self.doc
            .change(who, to.name(), |d| codec::append(d, &["events"], &t))
    }

    /// A move that must say why (a refusal, a return, a reopening).
    fn transition_with_reason(
        &mut self,
        to: OrderStatus,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("reason", reason)?;
        let order = self.read()?;
        self.transition(&order, to, who, Some(reason.into()), None)
    }

    fn expect_assignee(order: &WorkOrder, who: &Who) -> Result<(), RecordError> {
        match order.assignee() {
            Some(a) if a == who.staff_id => Ok(()),
            _ => Err(TransitionError::NotAssignee.into()),
        }
    }

    pub fn dispatch(&mut self, assignee: &str, who: &Who) -> Result<(), RecordError> {
        required("assignee", assignee)?;
        let order = self.read()?;
        self.transition(
            &order,
            OrderStatus::Dispatched,
            who,
            None,
            Some(assignee.into()),
        )
    }

    pub fn accept(&mut self, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::expect_assignee(&order, who)?;
        self.transition(&order, OrderStatus::Accepted, who, None, None)
    }

    /// Starts work. A paid service needs its quote first (报价在先).
    pub fn start(&mut self, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::expect_assignee(&order, who)?;
        if order.fees.paid_service && order.fees.quoted_fen.is_none() {
            return Err(TransitionError::Incomplete {
                missing: "quoted_fen 报价".into(),
            }
            .into());
        }
        let t = lifecycle::next(&order.events, OrderStatus::InProgress, who, None, None)?;
        self.doc.change(who, "in_progress", |d| {
            if order.work.started_at.is_none() {
                codec::put_fields(d, &["work"], &json!({ "started_at": who.at }))?;
            }
            codec::append(d, &["events"], &t)
        })
    }

    pub fn complete(&mut self, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::expect_assignee(&order, who)?;
        let missing = order.missing_for_completion();
        if !missing.is_empty() {
            return Err(TransitionError::Incomplete {
                missing: missing.join(", "),
            }
            .into());
        }
        self.transition(&order, OrderStatus::Completed, who, None, None)
    }

    /// Reception refuses (拒收) a completed record and sends it back.
    pub fn refuse(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        self.transition_with_reason(OrderStatus::InProgress, reason, who)
    }

    /// Returns (退单) an order that cannot be done; the head signs with a reason.
    pub fn return_order(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        self.transition_with_reason(OrderStatus::Returned, reason, who)
    }

    pub fn reopen(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        self.transition_with_reason(OrderStatus::Registered, reason, who)
    }

    fn editable_work(order: &WorkOrder) -> Result<(), RecordError> {
        use OrderStatus::*;
        match order.current() {
            Current::Conflict(_) => Err(TransitionError::InConflict.into()),
            Current::At(Dispatched | Accepted | InProgress | Completed | SignedOff) => Ok(()),
            Current::At(s) => Err(RecordError::invalid(
                "work",
                format!("{}的工单不能再修改维修记录", s.label().zh),
                format!("the work record of a {} order is closed", s.name()),
            )),
        }
    }

    /// The technician's account of the work. Editing it after a sign-off
    /// invalidates that sign-off (visibly) until the resident signs again.
    pub fn record_work(&mut self, work: &WorkRecord, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::editable_work(&order)?;
        if let (Some(s), Some(e)) = (work.started_at, work.ended_at) {
            if e < s {
                return Err(RecordError::invalid(
                    "ended_at",
                    "完成时间早于开始时间",
                    "ends before it starts",
                ));
            }
        }
        if work.prep_minutes < 0 {
            return Err(RecordError::invalid(
                "prep_minutes",
                "不能为负",
                "must not be negative",
            ));
        }
        self.doc.change(who, "record work", |d| {
            codec::put_fields(d, &["work"], work)
        })
    }

    pub fn add_material(&mut self, material: &Material, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::editable_work(&order)?;
        required("material name", &material.name)?;
        if !(material.quantity > 0.0 && material.quantity.is_finite()) {
            return Err(RecordError::invalid(
                "quantity",
                "数量必须大于0",
                "must be more than zero",
            ));
        }
        if material.unit_price_fen < 0 {
            return Err(RecordError::invalid(
                "unit_price_fen",
                "不能为负",
                "must not be negative",
            ));
        }
        if order.materials.iter().any(|m| m.id == material.id) {
            return Ok(()); // the same material added again by a retry
        }
        self.doc.change(who, "add material", |d| {
            codec::append(d, &["materials"], material)
        })
    }

    pub fn remove_material(&mut self, material_id: &str, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::editable_work(&order)?;
        self.doc.change(who, "remove material", |d| {
            if codec::remove_item(d, &["materials"], material_id)? {
                Ok(())
            } else {
                Err(RecordError::NoSuchItem {
                    what: "material",
                    id: material_id.into(),
                })
            }
        })
    }

    /// A head sets the deadline of a head-set category (internal equipment,
    /// internal repairs, leak sealing), once; later it moves only by an
    /// approved extension.
    pub fn set_deadline(&mut self, due_at: Millis, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        if order.deadline.class != crate::rules::RepairClass::HeadSet.as_str() {
            return Err(RecordError::invalid(
                "due_at",
                "此类别的期限由规则确定,不由主管设定",
                "this category's deadline comes from the rules, not a head",
            ));
        }
        if order.deadline.set_by.is_some() {
            return Err(RecordError::invalid(
                "due_at",
                "期限已设定,只能申请延期",
                "the deadline is set; only an extension moves it",
            ));
        }
        if due_at <= order.received_at {
            return Err(RecordError::invalid(
                "due_at",
                "期限须晚于受理时间",
                "the deadline must be after the request was received",
            ));
        }
        self.doc.change(who, "deadline set", |d| {
            codec::put_fields(
                d,
                &["deadline"],
                &json!({ "due_at": due_at, "set_by": who.staff_id }),
            )
        })
    }

    /// Quotes a paid service as one amount, for a company without a price
    /// list; must come before work starts.
    pub fn quote(&mut self, quoted_fen: i64, who: &Who) -> Result<(), RecordError> {
        if quoted_fen < 0 {
            return Err(RecordError::invalid(
                "quoted_fen",
                "不能为负",
                "must not be negative",
            ));
        }
        self.put_quote(&[], quoted_fen, who)
    }

    /// Quotes a paid service from lines priced from the company's price
    /// list (`rules::price_list::price`); must come before work starts.
    pub fn quote_lines(&mut self, lines: &[QuoteLine], who: &Who) -> Result<(), RecordError> {
        self.put_quote(lines, price_list::total_fen(lines), who)
    }

    fn put_quote(
        &mut self,
        lines: &[QuoteLine],
        quoted_fen: i64,
        who: &Who,
    ) -> Result<(), RecordError> {
        let order = self.read()?;
        if order.work.started_at.is_some() {
            return Err(RecordError::invalid(
                "quoted_fen",
                "开工后不能再报价",
                "quote before work starts",
            ));
        }
        self.doc.change(who, "quote", |d| {
            codec::put_fields(
                d,
                &["fees"],
                &json!({
                    "paid_service": true,
                    "quoted_fen": quoted_fen,
                    "quoted_at": who.at,
                    "quote_lines": lines,
                }),
            )
        })
    }

    pub fn charge(
        &mut self,
        materials_fee_fen: i64,
        labour_fee_fen: i64,
        who: &Who,
    ) -> Result<(), RecordError> {
        let order = self.read()?;
        Self::editable_work(&order)?;
        if materials_fee_fen < 0 || labour_fee_fen < 0 {
            return Err(RecordError::invalid(
                "fees",
                "不能为负",
                "must not be negative",
            ));
        }
        self.doc.change(who, "charge", |d| {
            codec::put_fields(d, &["fees"], &json!({ "materials_fee_fen": materials_fee_fen, "labour_fee_fen": labour_fee_fen }))
        })
    }

    /// Records the fee collected (收费): once, after the work is finished, by
    /// the technician or by whoever revisits for the service centre.
    pub fn collect_fee(&mut self, fee: &FeeCollection, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        if !order.status().is_some_and(OrderStatus::work_finished) {
            return Err(RecordError::invalid(
                "collected_fen",
                "完工后才能收费",
                "a fee is collected once the work is finished",
            ));
        }
        let may = who.role.registers()
            || who.role == Role::PropertyAssistant
            || order.assignee().as_deref() == Some(who.staff_id.as_str());
        if !may {
            return Err(TransitionError::RoleMayNot {
                role: who.role,
                to: "fee collected",
            }
            .into());
        }
        if let Some((field, why)) = order.fees.collection_refused(fee.amount_fen) {
            return Err(RecordError::invalid(field, why.zh, why.en));
        }
        required("receipt_no", &fee.receipt_no)?;
        self.doc.change(who, "collect fee", |d| {
            codec::put_fields(
                d,
                &["fees"],
                &json!({
                    "collected_fen": fee.amount_fen,
                    "payment_method": fee.method,
                    "collected_by": who.staff_id,
                    "collected_at": who.at,
                    "receipt_no": fee.receipt_no.trim(),
                }),
            )
        })
    }

    /// Corrects the resident's contact (reception's edit; merges beside the
    /// technician's, since they are different fields).
    pub fn set_contact(&mut self, contact: &Contact, who: &Who) -> Result<(), RecordError> {
        if !contact.phone.0.is_empty() {
            check_phone(&contact.phone.0)?;
        }
        self.doc.change(who, "set contact", |d| {
            codec::put_fields(d, &["resident"], contact)
        })
    }

    pub fn add_note(&mut self, id: &str, text_: &str, who: &Who) -> Result<(), RecordError> {
        required("note", text_)?;
        let note = Note {
            id: id.into(),
            by: who.staff_id.clone(),
            at: who.at,
            text: text_.into(),
        };
        self.doc.change(who, "add note", |d| {
            match codec::find_item(d, &["notes"], id)? {
                Some(_) => Ok(()),
                None => codec::append(d, &["notes"], &note),
            }
        })
    }

    /// Links a photo already stored as a blob.
    pub fn add_photo(&mut self, photo: &Photo, who: &Who) -> Result<(), RecordError> {
        crate::blobs::check_hash(&photo.hash).map_err(|e| RecordError::Invalid {
            field: "photo",
            reason: e.message(),
        })?;
        self.doc.change(who, "add photo", |d| {
            match codec::find_item(d, &["photos"], &photo.id)? {
                Some(_) => Ok(()),
                None => codec::append(d, &["photos"], photo),
            }
        })
    }

    /// Captures the resident's acceptance: the image of their signature (a
    /// blob) and the device's signature over what they accepted.
    pub fn sign_off(
        &mut self,
        resident_name: &str,
        signature_image: &str,
        key: &DeviceKey,
        who: &Who,
    ) -> Result<SignOff, RecordError> {
        required("resident_name", resident_name)?;
        crate::blobs::check_hash(signature_image).map_err(|e| RecordError::Invalid {
            field: "signature_image",
            reason: e.message(),
        })?;
        let order = self.read()?;
        if order.status() == Some(OrderStatus::SignedOff) && order.signoff_validity().is_valid() {
            return Err(RecordError::invalid(
                "signoff",
                "已有有效签字",
                "already signed and still valid",
            ));
        }
        let missing = order.missing_for_completion();
        if !missing.is_empty() {
            return Err(TransitionError::Incomplete {
                missing: missing.join(", "),
            }
            .into());
        }
        let t = lifecycle::next(&order.events, OrderStatus::SignedOff, who, None, None)?;
        let heads = self.doc.heads().iter().map(|h| h.to_string()).collect();
        let signoff = key.sign(
            who.device_id,
            &order.accepted_work(),
            signature_image,
            resident_name,
            who.at,
            heads,
        );
        self.doc.change(who, "sign off", |d| {
            codec::append(d, &["signoffs"], &signoff)?;
            codec::append(d, &["events"], &t)
        })?;
        Ok(signoff)
    }

    /// The department head reviews labour, materials and fees, and signs.
    pub fn review(&mut self, comment: &str, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        let validity = order.signoff_validity();
        if !validity.is_valid() {
            let label = validity.label();
            return Err(RecordError::invalid("signoff", label.zh, label.en));
        }
        let t = lifecycle::next(&order.events, OrderStatus::Reviewed, who, None, None)?;
        self.doc.change(who, "review", |d| {
            codec::put_fields(
                d,
                &["review"],
                &Review {
                    by: Some(who.staff_id.clone()),
                    at: Some(who.at),
                    comment: comment.into(),
                },
            )?;
            codec::append(d, &["events"], &t)
        })
    }

    /// Marks the order revisited, linking the revisit record.
    pub fn revisited(&mut self, revisit_id: &str, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        let t = lifecycle::next(&order.events, OrderStatus::Revisited, who, None, None)?;
        self.doc.change(who, "revisited", |d| {
            if !order.links.revisit_ids.iter().any(|r| r == revisit_id) {
                codec::append(d, &["links", "revisit_ids"], &revisit_id)?;
            }
            codec::append(d, &["events"], &t)
        })
    }

    /// Links a revisit without moving the order (a revisit planned ahead).
    pub fn link_revisit(&mut self, revisit_id: &str, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        if order.links.revisit_ids.iter().any(|r| r == revisit_id) {
            return Ok(());
        }
        self.doc.change(who, "link revisit", |d| {
            codec::append(d, &["links", "revisit_ids"], &revisit_id)
        })
    }

    pub fn close(&mut self, who: &Who) -> Result<(), RecordError> {
        let order = self.read()?;
        self.transition(&order, OrderStatus::Closed, who, None, None)
    }

    /// A head chooses between conflicting transitions made offline.
    pub fn resolve_conflict(
        &mut self,
        to: OrderStatus,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let order = self.read()?;
        let t = lifecycle::resolve(&order.events, to, who, Some(reason.into()))?;
        self.doc.change(who, "resolve conflict", |d| {
            codec::append(d, &["events"], &t)
        })
    }

    /// Asks for more time. `approver` and consent come from the rules
    /// (`rules::deadlines`), so the phone and the server ask the same person.
    pub fn request_extension(
        &mut self,
        id: &str,
        requested_due: Millis,
        reason: &str,
        approver: Role,
        needs_resident_consent: bool,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("reason", reason)?;
        let order = self.read()?;
        if !order
            .status()
            .is_some_and(|s| s.is_open() && !s.work_finished())
        {
            return Err(RecordError::invalid(
                "extension",
                "只有未完工的工单可以延期",
                "only unfinished orders can be extended",
            ));
        }
        if requested_due <= order.deadline.due_at {
            return Err(RecordError::invalid(
                "requested_due",
                "新期限必须晚于原期限",
                "must be later than the current deadline",
            ));
        }
        if order.extensions.iter().any(|e| e.id == id) {
            return Ok(());
        }
        let ext = Extension {
            id: id.into(),
            requested_by: who.staff_id.clone(),
            requested_at: who.at,
            reason: reason.into(),
            requested_due,
            approver,
            needs_resident_consent,
            resident_consent: None,
            decided_by: None,
            decided_at: None,
            approved: None,
        };
        self.doc.change(who, "request extension", |d| {
            codec::append(d, &["extensions"], &ext)
        })
    }

    pub fn record_resident_consent(
        &mut self,
        extension_id: &str,
        consent: bool,
        who: &Who,
    ) -> Result<(), RecordError> {
        self.doc.change(who, "resident consent", |d| {
            if codec::update_item(
                d,
                &["extensions"],
                extension_id,
                &json!({ "resident_consent": consent }),
            )? {
                Ok(())
            } else {
                Err(RecordError::NoSuchItem {
                    what: "extension",
                    id: extension_id.into(),
                })
            }
        })
    }

    /// Approves or refuses an extension; approval moves the deadline.
    pub fn decide_extension(
        &mut self,
        extension_id: &str,
        approve: bool,
        who: &Who,
    ) -> Result<(), RecordError> {
        let order = self.read()?;
        let ext = order
            .extensions
            .iter()
            .find(|e| e.id == extension_id)
            .ok_or_else(|| RecordError::NoSuchItem {
                what: "extension",
                id: extension_id.into(),
            })?;
        if ext.approved.is_some() {
            return Err(RecordError::invalid(
                "extension",
                "已经审批过",
                "already decided",
            ));
        }
        if !ext.may_be_decided_by(who.role) {
            return Err(TransitionError::RoleMayNot {
                role: who.role,
                to: "extension approved",
            }
            .into());
        }
        if approve && ext.needs_resident_consent && ext.resident_consent != Some(true) {
            return Err(TransitionError::Incomplete {
                missing: "resident_consent 业主同意".into(),
            }
            .into());
        }
        let due = ext.requested_due;
        self.doc.change(who, if approve { "approve extension" } else { "refuse extension" }, |d| {
            codec::update_item(d, &["extensions"], extension_id, &json!({ "approved": approve, "decided_by": who.staff_id, "decided_at": who.at }))?;
            if approve {
                codec::put_fields(d, &["deadline"], &json!({ "due_at": due }))?;
            }
            Ok(())
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let o: WorkOrder = doc.read()?;
    let current = o.current();
    let status = current.status();
    Ok(IndexRow {
        id: o.id.clone(),
        kind: RecordKind::WorkOrder,
        estate_id: o.estate_id.clone(),
        status: status.map_or("conflict", |s| s.name()).into(),
        open: o.is_open(),
        conflicted: status.is_none(),
        assignee: o.assignee(),
        unit_id: o.place.unit_id.clone(),
        category: Some(o.category.clone()),
        emergency: o.emergency,
        created_at: o.received_at,
        due_at: Some(o.deadline.due_at),
        done_at: o.completed_at(),
        title: o.content.chars().take(60).collect(),
        facts: json!({
            "rework": o.links.rework_of.is_some(),
            "paid_service": o.fees.paid_service,
            "quoted_fen": o.fees.quoted_fen,
            "charged_fen": o.fees.charged_fen(),
            "collected_fen": o.fees.collected_fen,
            "collected_at": o.fees.collected_at,
            "materials": o.materials.len(),
            "photos": o.photos.len(),
            "notes": o.notes.len(),
            "complaint_id": o.links.complaint_id,
            "signoff": o.signoff_validity(),
            "pending_extensions": o.extensions.iter().filter(|e| e.approved.is_none()).count(),
            "status_reason": o.status_reason(),
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    const ALL: &[OrderStatus] = <OrderStatus as Status>::ALL;

    /// The manuals' lifecycle as a table: every move and who may make it.
    fn expected(from: OrderStatus, to: OrderStatus, role: Role) -> bool {
        let office = role.registers();
        let head = role.is_head();
        let field = role.does_field_work();
        match (from, to) {
            (Registered | Dispatched | Accepted, Dispatched) => office,
            (Dispatched, Accepted) | (Accepted, InProgress) | (InProgress, Completed) => field,
            (Completed, InProgress) => office,
            (Completed | SignedOff, SignedOff) => field || office,
            (SignedOff, Reviewed) => head,
            (Reviewed, Revisited) => office || role == Role::PropertyAssistant,
            (Revisited | Returned, Closed) | (Returned, Registered) => office,
            (Registered | Dispatched | Accepted | InProgress, Returned) => head,
            _ => false,
        }
    }

    #[test]
    fn every_move_is_allowed_or_refused_as_the_manuals_say() {
        for &from in ALL {
            for &to in ALL {
                for role in Role::ALL {
                    let got = OrderStatus::check(from, to, role);
                    assert_eq!(
                        got.is_ok(),
                        expected(from, to, role),
                        "{from:?} -> {to:?} by {role:?}: {got:?}"
                    );
                    if let Err(e) = got {
                        // A refusal says why in both languages.
                        let text = e.to_string();
                        assert!(text.contains(" / "), "{text}");
                    }
                }
            }
        }
    }

    #[test]
    fn closed_and_returned_orders_are_not_open() {
        assert!(ALL
            .iter()
            .filter(|s| !s.is_open())
            .eq([Closed, Returned].iter()));
    }
}
