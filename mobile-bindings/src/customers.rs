//! Company customers (公司客户) on the revisiting staff member's phone: the
//! customers with their next revisit, one customer's name, rank and contact
//! for the visit, its visits, and the visit's report and filing after it.
//! The visit itself is an ordinary revisit (`revisits.rs`).

use rounds_core::documents::customer as core;
use rounds_core::session::{CustomerDue as CoreDue, CustomerPaperwork as CorePaperwork};

use crate::error::RoundsError;
use crate::queries::{row, rows, TaskRow};
use crate::session::{record_id, Rounds};
use crate::time::{at, Timestamp};

/// How the company ranks a customer; the rank decides the on-site visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CustomerTier {
    /// 普通客户: phone revisits only.
    Ordinary,
    /// 重点客户: on site every six months.
    Key,
    /// 大客户: on site at least yearly.
    Large,
}

/// A customer as the visit's screen reads it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Customer {
    pub id: String,
    pub estate_id: String,
    pub name: String,
    pub tier: CustomerTier,
    pub unit_ids: Vec<String>,
    pub premises: String,
    /// The local day of the handover, "2026-03-15".
    pub handover_date: String,
    pub contact_name: String,
    pub contact_title: String,
    pub contact_phone: String,
    /// Who revisits it (客户经理).
    pub manager: String,
}

/// A customer on the list, with the revisit it is waiting for.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CustomerDue {
    /// Its row: the title is its name, the category its rank.
    pub customer: TaskRow,
    /// Its soonest planned revisit.
    pub next: Option<TaskRow>,
    pub overdue: bool,
}

/// A done customer visit's report and papers, and when they are due.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CustomerPaperwork {
    pub revisit: TaskRow,
    pub report_due_at: Timestamp,
    pub file_due_at: Timestamp,
    pub reported: bool,
    pub filed: bool,
    /// The report or the filing is past its due time.
    pub overdue: bool,
}

#[uniffi::export]
impl Rounds {
    /// My estates' customers, those with a revisit overdue first, then by
    /// the next revisit's due time.
    pub fn customers_due(&self) -> Result<Vec<CustomerDue>, RoundsError> {
        self.with(|s| s.customers_due())
            .map(|due| due.into_iter().map(Into::into).collect())
    }

    pub fn customer(&self, id: String) -> Result<Customer, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.customer(&id)).map(Into::into)
    }

    /// A customer's revisits as this phone knows them, soonest due first.
    pub fn customer_visits(&self, id: String) -> Result<Vec<TaskRow>, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.customer_revisits(&id)).map(rows)
    }

    /// The visit's report (《客户回访报告》), written after it.
    pub fn write_customer_report(
        &self,
        revisit_id: String,
        report: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&revisit_id)?;
        self.with(|s| s.write_customer_report(&id, &report))
    }

    /// The visit's papers went to the department head.
    pub fn file_customer_revisit(&self, revisit_id: String) -> Result<(), RoundsError> {
        let id = record_id(&revisit_id)?;
        self.with(|s| s.file_customer_revisit(&id))
    }

    /// Done customer visits whose report or papers are still owed, soonest
    /// due first.
    pub fn customer_paperwork_due(&self) -> Result<Vec<CustomerPaperwork>, RoundsError> {
        self.with(|s| s.customer_paperwork_due())
            .map(|owed| owed.into_iter().map(Into::into).collect())
    }
}

impl From<CoreDue> for CustomerDue {
    fn from(d: CoreDue) -> Self {
        CustomerDue {
            customer: row(d.customer),
            next: d.next.map(row),
            overdue: d.overdue,
        }
    }
}

impl From<CorePaperwork> for CustomerPaperwork {
    fn from(p: CorePaperwork) -> Self {
        CustomerPaperwork {
            revisit: row(p.revisit),
            report_due_at: at(p.report_due_at),
            file_due_at: at(p.file_due_at),
            reported: p.reported,
            filed: p.filed,
            overdue: p.overdue,
        }
    }
}

impl From<core::Customer> for Customer {
    fn from(c: core::Customer) -> Self {
        Customer {
            id: c.id,
            estate_id: c.estate_id,
            name: c.name,
            tier: c.tier.into(),
            unit_ids: c.unit_ids,
            premises: c.premises,
            handover_date: c.handover_date,
            contact_name: c.contact_name.0,
            contact_title: c.contact_title,
            contact_phone: c.contact_phone.0,
            manager: c.manager,
        }
    }
}

impl From<core::CustomerTier> for CustomerTier {
    fn from(t: core::CustomerTier) -> Self {
        match t {
            core::CustomerTier::Ordinary => CustomerTier::Ordinary,
            core::CustomerTier::Key => CustomerTier::Key,
            core::CustomerTier::Large => CustomerTier::Large,
        }
    }
}
