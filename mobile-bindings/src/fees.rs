//! Paid services (有偿服务) on the phone: the company's price list, a quote
//! picked from it before work starts, and the fee collected once after.

use rounds_core::documents::work_order as core;
use rounds_core::rules::price_list;

use crate::error::RoundsError;
use crate::people::Label;
use crate::session::{record_id, Rounds};
use crate::time::{at, Timestamp};

/// Fees of a paid service, in fen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Fees {
    pub paid_service: bool,
    pub quoted_fen: Option<i64>,
    pub quoted_at: Option<Timestamp>,
    /// Empty for a free amount (a company without a price list).
    pub quote_lines: Vec<QuoteLine>,
    pub materials_fee_fen: i64,
    pub labour_fee_fen: i64,
    /// Materials and labour: what the resident owes.
    pub charged_fen: i64,
    pub collected_fen: Option<i64>,
    pub payment_method: Option<PaymentMethod>,
    pub collected_by: Option<String>,
    pub collected_at: Option<Timestamp>,
    pub receipt_no: Option<String>,
}

/// One item of the company's price list (价目表).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriceItem {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    /// None: priced on site (面议); the quote gives the agreed price.
    pub price_fen: Option<i64>,
}

/// A quote's line as priced from the list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteLine {
    pub item_id: String,
    pub name_zh: String,
    pub unit: String,
    pub unit_price_fen: i64,
    pub quantity: u32,
}

/// What the technician picks from the list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuotePick {
    pub item_id: String,
    pub quantity: u32,
    /// Only for an item priced on site.
    #[uniffi(default)]
    pub negotiated_fen: Option<i64>,
}

/// How a resident paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PaymentMethod {
    Cash,
    Wechat,
    Alipay,
    BankCard,
    Transfer,
}

#[uniffi::export]
impl Rounds {
    /// The items a quote may pick now, from the company rules last synced.
    pub fn price_list(&self) -> Result<Vec<PriceItem>, RoundsError> {
        self.with(|s| Ok(s.price_list().into_iter().map(Into::into).collect()))
    }

    /// Quotes a paid job from the price list, before work starts; returns
    /// the total in fen. A refused line comes back naming its index.
    pub fn quote_from_list(&self, id: String, picks: Vec<QuotePick>) -> Result<i64, RoundsError> {
        let id = record_id(&id)?;
        let picks: Vec<price_list::QuotePick> = picks.into_iter().map(Into::into).collect();
        self.with(|s| s.quote_from_list(&id, &picks))
    }

    /// Records the fee collected (收费) with its receipt, once, after the
    /// work is finished.
    pub fn collect_fee(
        &self,
        id: String,
        amount_fen: i64,
        method: PaymentMethod,
        receipt_no: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let fee = core::FeeCollection {
            amount_fen,
            method: method.into(),
            receipt_no,
        };
        self.with(|s| s.collect_fee(&id, &fee))
    }
}

/// The payment method's name for a screen, zh-CN first.
#[uniffi::export]
pub fn payment_method_label(method: PaymentMethod) -> Label {
    core::PaymentMethod::from(method).label().into()
}

// Conversions, one per type.

impl From<core::Fees> for Fees {
    fn from(f: core::Fees) -> Self {
        Fees {
            charged_fen: f.charged_fen(),
            paid_service: f.paid_service,
            quoted_fen: f.quoted_fen,
            quoted_at: f.quoted_at.map(at),
            quote_lines: f.quote_lines.into_iter().map(Into::into).collect(),
            materials_fee_fen: f.materials_fee_fen,
            labour_fee_fen: f.labour_fee_fen,
            collected_fen: f.collected_fen,
            payment_method: f.payment_method.map(Into::into),
            collected_by: f.collected_by,
            collected_at: f.collected_at.map(at),
            receipt_no: f.receipt_no,
        }
    }
}

impl From<price_list::PriceItem> for PriceItem {
    fn from(p: price_list::PriceItem) -> Self {
        PriceItem {
            id: p.id,
            name_zh: p.name_zh,
            name_en: p.name_en,
            unit: p.unit,
            price_fen: p.price_fen,
        }
    }
}

impl From<price_list::QuoteLine> for QuoteLine {
    fn from(l: price_list::QuoteLine) -> Self {
        QuoteLine {
            item_id: l.item_id,
            name_zh: l.name_zh,
            unit: l.unit,
            unit_price_fen: l.unit_price_fen,
            quantity: l.quantity,
        }
    }
}

impl From<QuotePick> for price_list::QuotePick {
    fn from(p: QuotePick) -> Self {
        price_list::QuotePick {
            item_id: p.item_id,
            quantity: p.quantity,
            negotiated_fen: p.negotiated_fen,
        }
    }
}

impl From<PaymentMethod> for core::PaymentMethod {
    fn from(m: PaymentMethod) -> Self {
        match m {
            PaymentMethod::Cash => core::PaymentMethod::Cash,
            PaymentMethod::Wechat => core::PaymentMethod::Wechat,
            PaymentMethod::Alipay => core::PaymentMethod::Alipay,
            PaymentMethod::BankCard => core::PaymentMethod::BankCard,
            PaymentMethod::Transfer => core::PaymentMethod::Transfer,
        }
    }
}

impl From<core::PaymentMethod> for PaymentMethod {
    fn from(m: core::PaymentMethod) -> Self {
        match m {
            core::PaymentMethod::Cash => PaymentMethod::Cash,
            core::PaymentMethod::Wechat => PaymentMethod::Wechat,
            core::PaymentMethod::Alipay => PaymentMethod::Alipay,
            core::PaymentMethod::BankCard => PaymentMethod::BankCard,
            core::PaymentMethod::Transfer => PaymentMethod::Transfer,
        }
    }
}
