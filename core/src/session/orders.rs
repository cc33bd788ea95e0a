//! Work orders through a session: deadlines from the rules at registration,
//! extensions asked of the right person, and the revisit owed after a repair.

use serde::{Deserialize, Serialize};

use super::{Session, SessionError};
use crate::documents::lifecycle::Status;
use crate::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason, RevisitStatus};
use crate::documents::work_order::*;
use crate::documents::RecordError;
use crate::ids::RecordId;
use crate::places::Place;
use crate::rules::price_list::{self, PriceItem, QuotePick};
use crate::rules::{self, RepairClass};
use crate::signoff::{SignOff, SignOffValidity};
use crate::store::DocumentStore;
use crate::time::{from_millis, to_millis, Millis};

/// What reception (or a technician on a patrol) types to register a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// Made when the form opens, so a retried submit names the same order.
    pub id: RecordId,
    pub source: Source,
    pub category: String,
    pub place: Place,
    pub emergency: bool,
    pub resident: Contact,
    pub content: String,
    /// A deadline set by the head or agreed with the resident, for the
    /// classes that take one.
    pub agreed_due_at: Option<Millis>,
    pub rework_of: Option<String>,
    /// A paid service (有偿服务): quoted before work starts.
    #[serde(default)]
    pub paid_service: bool,
}

impl<S: DocumentStore> Session<S> {
    pub fn register_order(&mut self, req: &OrderRequest) -> Result<RecordId, SessionError> {
        let now = self.now();
        let class = if req.emergency {
            RepairClass::Emergency
        } else {
            RepairClass::classify(&req.category, &self.rules)
        };
        let agreed = req.agreed_due_at.map(from_millis);
        // A head-set category registered at the desk takes the standard
        // deadline until a head sets its own (`set_deadline`); a head
        // registering it sets it there and then.
        let (due, set_by) = match (class, agreed) {
            (RepairClass::HeadSet, None) => {
                let standard = rules::due_at(
                    now,
                    RepairClass::Standard,
                    None,
                    &self.rules,
                    &self.calendar,
                )?;
                (standard, None)
            }
            (RepairClass::HeadSet, Some(_)) if !self.staff.role.is_head() => {
                return Err(crate::documents::RecordError::invalid(
                    "agreed_due_at",
                    "此类别的期限由主管设定",
                    "a head sets this category's deadline",
                )
                .into())
            }
            (RepairClass::HeadSet, Some(_)) => (
                rules::due_at(now, class, agreed, &self.rules, &self.calendar)?,
                Some(self.staff.id.clone()),
            ),
            _ => (
                rules::due_at(now, class, agreed, &self.rules, &self.calendar)?,
                None,
            ),
        };
        let draft = OrderDraft {
            id: req.id.clone(),
            received_at: to_millis(now),
            source: req.source.clone(),
            category: req.category.clone(),
            place: req.place.clone(),
            emergency: req.emergency,
            resident: req.resident.clone(),
            content: req.content.clone(),
            deadline: Deadline {
                class: class.as_str().into(),
                due_at: to_millis(due),
                set_by,
            },
            rework_of: req.rework_of.clone(),
            paid_service: req.paid_service,
        };
        let order = WorkOrderDoc::register(&draft, self.store().device_id(), &self.who())?;
        self.create(order)
    }

    /// A head sets a head-set category's deadline.
    pub fn set_deadline(&mut self, id: &RecordId, due_at: Millis) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.set_deadline(due_at, who)
        })
    }

    /// Whether this person may set the order's deadline now.
    pub fn may_set_deadline(&self, id: &RecordId) -> Result<bool, SessionError> {
        let probe = self.now_ms() + 1;
        self.allows(id, |o: &mut WorkOrderDoc, who| o.set_deadline(probe, who))
    }

    pub fn order(&self, id: &RecordId) -> Result<WorkOrder, SessionError> {
        Ok(self.get::<WorkOrderDoc>(id)?.read()?)
    }

    pub fn dispatch(&mut self, id: &RecordId, assignee: &str) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.dispatch(assignee, who))
    }

    pub fn accept(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.accept(who))
    }

    pub fn start_work(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.start(who))
    }

    pub fn record_work(&mut self, id: &RecordId, work: &WorkRecord) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.record_work(work, who))
    }

    pub fn add_material(&mut self, id: &RecordId, material: &Material) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.add_material(material, who)
        })
    }

    pub fn remove_material(
        &mut self,
        id: &RecordId,
        material_id: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.remove_material(material_id, who)
        })
    }

    /// A free amount: only for a company that keeps no price list (the
    /// write policy refuses it otherwise).
    pub fn quote(&mut self, id: &RecordId, quoted_fen: i64) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.quote(quoted_fen, who))
    }

    /// Quotes a paid job from the company's price list, before work starts;
    /// returns the total in fen. A refused line is named by its index.
    pub fn quote_from_list(
        &mut self,
        id: &RecordId,
        picks: &[QuotePick],
    ) -> Result<i64, SessionError> {
        let lines =
            price_list::price(&self.rules().price_list, picks, self.who().at).map_err(|r| {
                RecordError::InvalidItem {
                    list: "quote_lines",
                    index: r.index,
                    field: r.field,
                    reason: r.why.into(),
                }
            })?;
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.quote_lines(&lines, who)
        })?;
        Ok(price_list::total_fen(&lines))
    }

    /// The price list a quote picks from: the items offered now.
    pub fn price_list(&self) -> Vec<PriceItem> {
        let now = self.who().at;
        self.rules()
            .price_list
            .iter()
            .filter(|p| p.offered_at(now))
            .cloned()
            .collect()
    }

    pub fn charge(
        &mut self,
        id: &RecordId,
        materials_fee_fen: i64,
        labour_fee_fen: i64,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.charge(materials_fee_fen, labour_fee_fen, who)
        })
    }

    /// Records the fee a resident paid (收费), once, at completion or at the
    /// revisit.
    pub fn collect_fee(&mut self, id: &RecordId, fee: &FeeCollection) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.collect_fee(fee, who))
    }

    pub fn add_order_note(
        &mut self,
        id: &RecordId,
        note_id: &str,
        text: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.add_note(note_id, text, who)
        })
    }

    /// Stores the photo and links it to the order.
    pub fn add_order_photo(
        &mut self,
        id: &RecordId,
        photo_id: &str,
        bytes: &[u8],
        mime: &str,
        caption: &str,
    ) -> Result<String, SessionError> {
        let hash = self.attach(bytes, mime)?;
        let photo = Photo {
            id: photo_id.into(),
            hash: hash.clone(),
            by: self.staff.id.clone(),
            at: self.now_ms(),
            caption: caption.into(),
        };
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.add_photo(&photo, who))?;
        Ok(hash)
    }

    pub fn set_contact(&mut self, id: &RecordId, contact: &Contact) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.set_contact(contact, who)
        })
    }

    /// Completes the repair and plans the revisit the rules owe after it.
    /// The revisit's id follows from the order's, so two devices that both
    /// plan it offline plan the same one.
    pub fn complete(&mut self, id: &RecordId) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            s.edit(id, |o: &mut WorkOrderDoc, who, _| o.complete(who))?;
            let order = s.order(id)?;
            let due = rules::revisit_due_after_repair(s.now(), &s.rules, &s.calendar);
            let plan = RevisitPlan {
                id: RecordId::derived(id, "revisit"),
                reason: RevisitReason::Repair,
                subject_id: Some(id.to_string()),
                place: order.place.clone(),
                assignee: order.registered_by.clone(),
                planned_method: Method::Phone,
                due_at: to_millis(due),
            };
            // Completed again after a refusal: the revisit is already planned.
            if s.store().index_row(plan.id.as_str())?.is_some() {
                return Ok(plan.id);
            }
            let revisit = RevisitDoc::plan(&plan, s.store().device_id(), &s.who())?;
            let revisit_id = s.create(revisit)?;
            s.edit(id, |o: &mut WorkOrderDoc, who, _| {
                o.link_revisit(revisit_id.as_str(), who)
            })?;
            Ok(revisit_id)
        })
    }

    /// Captures the resident's acceptance: the image of their signature and
    /// this device's signature over what they accepted.
    pub fn sign_off(
        &mut self,
        id: &RecordId,
        resident_name: &str,
        signature_png: &[u8],
    ) -> Result<SignOff, SessionError> {
        let image = self.attach(signature_png, "image/png")?;
        self.edit(id, |o: &mut WorkOrderDoc, who, key| {
            o.sign_off(resident_name, &image, key, who)
        })
    }

    pub fn signoff_validity(&self, id: &RecordId) -> Result<SignOffValidity, SessionError> {
        Ok(self.order(id)?.signoff_validity())
    }

    pub fn refuse(&mut self, id: &RecordId, reason: &str) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| o.refuse(reason, who))
    }

    /// Returns (退单) an order that cannot be done. A revisit its completion
    /// planned is no longer owed: it is cancelled in the same step, with the
    /// reason the resident is told.
    pub fn return_order(&mut self, id: &RecordId, reason: &str) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.edit(id, |o: &mut WorkOrderDoc, who, _| {
                o.return_order(reason, who)
            })?;
            let planned = RecordId::derived(id, "revisit");
            let owed = s
                .store()
                .index_row(planned.as_str())?
                .is_some_and(|r| r.status == RevisitStatus::Planned.name());
            if owed {
                s.edit(&planned, |r: &mut RevisitDoc, who, _| r.cancel(reason, who))?;
            }
            Ok(())
        })
    }

    /// The head's review. A revisit already done (with the manuals' monthly
    /// review cycle, the usual order of events) moves the order on to
    /// revisited in the same step.
    pub fn review(&mut self, id: &RecordId, comment: &str) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.edit(id, |o: &mut WorkOrderDoc, who, _| o.review(comment, who))?;
            s.catch_up_order_revisit(id)
        })
    }

    /// Closes the order; a reviewed one whose revisit was recorded on another
    /// device while the head reviewed is marked revisited first.
    pub fn close_order(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.catch_up_order_revisit(id)?;
            s.edit(id, |o: &mut WorkOrderDoc, who, _| o.close(who))
        })
    }

    /// Moves a reviewed order to revisited when one of its revisits is done.
    fn catch_up_order_revisit(&mut self, id: &RecordId) -> Result<(), SessionError> {
        let order = self.order(id)?;
        if order.status() != Some(OrderStatus::Reviewed) {
            return Ok(());
        }
        match self.done_revisit_among(&order.links.revisit_ids)? {
            Some(done) => self.order_revisited(id, &done),
            None => Ok(()),
        }
    }

    pub fn resolve_order_conflict(
        &mut self,
        id: &RecordId,
        to: OrderStatus,
        reason: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.resolve_conflict(to, reason, who)
        })
    }

    /// Asks for more time; the rules say who must approve and whether the
    /// resident must agree.
    pub fn request_extension(
        &mut self,
        id: &RecordId,
        extension_id: &str,
        requested_due: Millis,
        reason: &str,
    ) -> Result<rules::ExtensionApproval, SessionError> {
        let order = self.order(id)?;
        let class = RepairClass::parse(&order.deadline.class).unwrap_or(RepairClass::Standard);
        let approval = rules::required_approval(
            from_millis(order.received_at),
            class,
            from_millis(order.deadline.due_at),
            from_millis(requested_due),
            &self.rules,
        )?;
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.request_extension(
                extension_id,
                requested_due,
                reason,
                approval.approver,
                approval.needs_resident_consent,
                who,
            )
        })?;
        Ok(approval)
    }

    pub fn record_resident_consent(
        &mut self,
        id: &RecordId,
        extension_id: &str,
        consent: bool,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.record_resident_consent(extension_id, consent, who)
        })
    }

    pub fn decide_extension(
        &mut self,
        id: &RecordId,
        extension_id: &str,
        approve: bool,
    ) -> Result<(), SessionError> {
        self.edit(id, |o: &mut WorkOrderDoc, who, _| {
            o.decide_extension(extension_id, approve, who)
        })
    }

    /// Marks the order revisited once its revisit is done.
    pub(super) fn order_revisited(
        &mut self,
        order_id: &RecordId,
        revisit_id: &RecordId,
    ) -> Result<(), SessionError> {
        let order = self.order(order_id)?;
        if order.status() != Some(OrderStatus::Reviewed) {
            // Revisited before the head's review: linked, moved later by the head.
            return self.edit(order_id, |o: &mut WorkOrderDoc, who, _| {
                o.link_revisit(revisit_id.as_str(), who)
            });
        }
        self.edit(order_id, |o: &mut WorkOrderDoc, who, _| {
            o.revisited(revisit_id.as_str(), who)
        })
    }
}
