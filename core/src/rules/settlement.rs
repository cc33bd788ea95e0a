//! The month's settlement of paid services (有偿服务结算, seed 003 §6.5): at
//! month end reception sums the month's paid jobs and hands the settlement
//! to finance. A job belongs to the month its work was finished in; what was
//! quoted, charged (materials and labour), collected and is still
//! outstanding is summed per estate and technician.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::config::RulesConfig;
use super::report::month_window;
use super::RulesError;

/// One paid job's money, as its query row carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeFact {
    pub order_id: String,
    pub estate_id: String,
    /// Who did the work (the order's assignee).
    pub technician: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub quoted_fen: i64,
    pub charged_fen: i64,
    pub collected_fen: i64,
}

/// The sums of a group of paid jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTotals {
    pub orders: u32,
    pub quoted_fen: i64,
    pub charged_fen: i64,
    pub collected_fen: i64,
    /// Charged and not collected.
    pub outstanding_fen: i64,
}

impl FeeTotals {
    fn add(&mut self, f: &FeeFact) {
        self.orders += 1;
        self.quoted_fen += f.quoted_fen;
        self.charged_fen += f.charged_fen;
        self.collected_fen += f.collected_fen;
        self.outstanding_fen += (f.charged_fen - f.collected_fen).max(0);
    }
}

/// One estate's and technician's line of the settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementLine {
    pub estate_id: String,
    pub technician: String,
    #[serde(flatten)]
    pub totals: FeeTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// (year, month 1-12) in the company's time zone.
    pub month: (i32, u32),
    /// By estate, then technician.
    pub lines: Vec<SettlementLine>,
    pub total: FeeTotals,
    /// The month's jobs still owed money, for the revisit that collects it.
    pub outstanding: Vec<FeeFact>,
}

/// An amount in fen as yuan with two decimals ("130.00"), as finance reads it.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// The settlement of the paid jobs finished in `month`.
pub fn monthly_settlement(
    fees: &[FeeFact],
    month: (i32, u32),
    cfg: &RulesConfig,
) -> Result<Settlement, RulesError> {
    let (start, end) = month_window(month, cfg)?;
    let mut groups: BTreeMap<(String, String), FeeTotals> = BTreeMap::new();
    let mut total = FeeTotals::default();
    let mut outstanding = vec![];
    for f in fees
        .iter()
        .filter(|f| f.completed_at.is_some_and(|t| start <= t && t < end))
    {
        if f.charged_fen > f.collected_fen {
            outstanding.push(f.clone());
        }
        groups
            .entry((f.estate_id.clone(), f.technician.clone()))
            .or_default()
            .add(f);
        total.add(f);
    }
    Ok(Settlement {
        month,
        lines: groups
            .into_iter()
            .map(|((estate_id, technician), totals)| SettlementLine {
                estate_id,
                technician,
                totals,
            })
            .collect(),
        total,
        outstanding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn job(estate: &str, tech: &str, done: Option<&str>, charged: i64, collected: i64) -> FeeFact {
        FeeFact {
            order_id: format!("{estate}-{tech}-{charged}"),
            estate_id: estate.into(),
            technician: tech.into(),
            completed_at: done.map(sh),
            quoted_fen: charged,
            charged_fen: charged,
            collected_fen: collected,
        }
    }

    /// Jobs finished in November count, by estate and technician, with what
    /// is still owed; one finished 1 December 00:30 Shanghai time (still
    /// 30 November in UTC) and one not finished do not.
    #[test]
    fn amounts_read_as_yuan() {
        assert_eq!(
            [yuan(13_000), yuan(5), yuan(0), yuan(-150)],
            ["130.00", "0.05", "0.00", "-1.50"]
        );
    }

    #[test]
    fn the_months_paid_jobs_are_summed_per_estate_and_technician() {
        let fees = [
            job("e1", "t1", Some("2026-11-03 10:00"), 13_000, 13_000),
            job("e1", "t1", Some("2026-11-20 10:00"), 5_000, 0),
            job("e1", "t2", Some("2026-11-21 10:00"), 2_000, 1_500),
            job("e2", "t1", Some("2026-11-30 23:59"), 1_000, 1_000),
            job("e1", "t1", Some("2026-12-01 00:30"), 9_000, 0),
            job("e1", "t1", None, 7_000, 0),
        ];
        let s = monthly_settlement(&fees, (2026, 11), &RulesConfig::default()).unwrap();
        let got: Vec<_> = s
            .lines
            .iter()
            .map(|l| {
                (
                    l.estate_id.as_str(),
                    l.technician.as_str(),
                    l.totals.orders,
                    l.totals.collected_fen,
                    l.totals.outstanding_fen,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("e1", "t1", 2, 13_000, 5_000),
                ("e1", "t2", 1, 1_500, 500),
                ("e2", "t1", 1, 1_000, 0),
            ]
        );
        let owed: Vec<_> = s.outstanding.iter().map(|f| f.charged_fen).collect();
        assert_eq!(owed, [5_000, 2_000]);
        assert_eq!(
            s.total,
            FeeTotals {
                orders: 4,
                quoted_fen: 21_000,
                charged_fen: 21_000,
                collected_fen: 15_500,
                outstanding_fen: 5_500,
            }
        );
    }
}
