//! A company customer (公司客户, seed 003 第1篇): a business tenant or owner
//! of the estate, with its units or premises, the day they were handed over,
//! how the company ranks it (ordinary, key 重点, large 大客户) and whom to
//! contact. Its revisits are ordinary revisits (`revisit.rs`) planned from the
//! schedule the rules derive (`rules::customer_schedule`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::people::Role;
use crate::places::Personal;
pub use crate::rules::CustomerTier;
use crate::time::Millis;

/// What the office writes of a customer: at registration, and each time it
/// corrects or re-ranks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: String,
    pub tier: CustomerTier,
    /// The units it holds, if the estate lists them.
    #[serde(default)]
    pub unit_ids: Vec<String>,
    /// Free words for premises the units do not say ("1号楼底商 101-103").
    #[serde(default)]
    pub premises: String,
    /// The local day of the handover (交付/入驻), "2026-03-15".
    pub handover_date: String,
    /// Whom the revisits ask for: personal data, kept like a resident's.
    pub contact_name: Personal<String>,
    #[serde(default)]
    pub contact_title: String,
    pub contact_phone: Personal<String>,
    /// The staff member who revisits it (客户经理): its revisits are theirs.
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub estate_id: String,
    pub name: String,
    pub tier: CustomerTier,
    pub unit_ids: Vec<String>,
    pub premises: String,
    pub handover_date: String,
    pub contact_name: Personal<String>,
    pub contact_title: String,
    pub contact_phone: Personal<String>,
    pub manager: String,
    pub registered_by: String,
    pub registered_at: Millis,
}

impl Customer {
    /// The handover day, checked when it was written.
    pub fn handover(&self) -> Result<NaiveDate, RecordError> {
        parse_date(&self.handover_date)
    }
}

fn parse_date(date: &str) -> Result<NaiveDate, RecordError> {
    NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        RecordError::invalid(
            "handover_date",
            "交付日期格式应为 2026-03-15",
            "a handover date is written like 2026-03-15",
        )
    })
}

pub struct CustomerDoc {
    doc: RecordDoc,
}

record_view!(CustomerDoc, RecordKind::Customer, index_row);

fn check(details: &CustomerDetails) -> Result<(), RecordError> {
    required("name", &details.name)?;
    parse_date(&details.handover_date)?;
    required("contact_name", details.contact_name.reveal())?;
    required("contact_phone", details.contact_phone.reveal())?;
    required("manager", &details.manager)?;
    if details.unit_ids.is_empty() && details.premises.trim().is_empty() {
        return Err(RecordError::invalid(
            "premises",
            "请选择单元或填写场所",
            "name its units or describe its premises",
        ));
    }
    Ok(())
}

/// The details as the document keeps them, trimmed.
fn fields(details: &CustomerDetails) -> serde_json::Value {
    json!({
        "name": details.name.trim(),
        "tier": details.tier,
        "unit_ids": details.unit_ids,
        "premises": details.premises.trim(),
        "handover_date": details.handover_date.trim(),
        "contact_name": details.contact_name,
        "contact_title": details.contact_title.trim(),
        "contact_phone": details.contact_phone,
        "manager": details.manager.trim(),
    })
}

fn office(role: Role) -> Result<(), RecordError> {
    if CustomerDoc::may_keep(role) {
        Ok(())
    } else {
        Err(RecordError::invalid(
            "role",
            "只有前台与主管可以登记公司客户",
            "only the office registers company customers",
        ))
    }
}

impl CustomerDoc {
    /// Whether someone of `role` registers and edits customers: the office
    /// (客服文员 and heads) keeps the customer file (§3.4).
    pub fn may_keep(role: Role) -> bool {
        role.registers()
    }

    pub fn register(
        id: RecordId,
        estate_id: &str,
        details: &CustomerDetails,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        office(who.role)?;
        required("estate_id", estate_id)?;
        check(details)?;
        let mut skeleton = fields(details);
        skeleton["registered_by"] = json!(who.staff_id);
        skeleton["registered_at"] = json!(who.at);
        let doc = RecordDoc::create(RecordKind::Customer, id, estate_id, device, who, skeleton)?;
        Ok(CustomerDoc { doc })
    }

    pub fn read(&self) -> Result<Customer, RecordError> {
        self.doc.read()
    }

    /// The office corrects the details or ranks the customer anew; each
    /// field merges on its own, so two clerks' edits of different fields
    /// both stay.
    pub fn update(&mut self, details: &CustomerDetails, who: &Who) -> Result<(), RecordError> {
        office(who.role)?;
        check(details)?;
        self.doc.change(who, "customer details", |d| {
            codec::put_fields(d, &[], &fields(details))
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let c: Customer = doc.read()?;
    Ok(IndexRow {
        id: c.id.clone(),
        kind: RecordKind::Customer,
        estate_id: c.estate_id.clone(),
        status: "active".into(),
        open: false,
        conflicted: false,
        assignee: Some(c.manager.clone()),
        unit_id: c.unit_ids.first().cloned(),
        category: Some(c.tier.name().into()),
        emergency: false,
        created_at: c.registered_at,
        due_at: None,
        done_at: None,
        title: c.name.chars().take(60).collect(),
        facts: json!({
            "tier": c.tier,
            "handover_date": c.handover_date,
            "unit_ids": c.unit_ids,
            "premises": c.premises,
        })
        .into(),
    })
}
