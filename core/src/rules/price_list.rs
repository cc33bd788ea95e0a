//! The company's price list (价目表) for paid services (有偿服务, seed 003
//! §5.2.1, §6.5): a paid job is quoted from it before work starts.
//!
//! The list lives in the company rules, so a phone offline quotes from the
//! same prices the office sees. An item is never edited or removed: a price
//! changes by retiring the item and adding a new one. A quote a phone made
//! offline before the change therefore still checks against the item it
//! picked, on the phone and on the server alike.
//!
//! A line is priced by hand only where the list says so: an item without a
//! price is negotiated on site (面议), as the manuals' 有偿服务 price lists
//! leave larger jobs.

use serde::{Deserialize, Serialize};

use super::RulesError;
use crate::labels::Label;
use crate::time::Millis;

/// One service or material on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceItem {
    /// Stable code, quoted by orders (e.g. "P-TAP-01").
    pub id: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// 次, 个, 米 …
    pub unit: String,
    /// In fen; `None`: priced on site (面议).
    pub price_fen: Option<i64>,
    /// From then on the item is no longer offered; quotes made before stay
    /// valid.
    #[serde(default)]
    pub retired_at: Option<Millis>,
}

impl PriceItem {
    /// Offered at `at`.
    pub fn offered_at(&self, at: Millis) -> bool {
        self.retired_at.is_none_or(|r| at < r)
    }
}

/// One line of a quote, priced from the list when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub item_id: String,
    pub name_zh: String,
    pub unit: String,
    pub unit_price_fen: i64,
    pub quantity: u32,
}

impl QuoteLine {
    pub fn amount_fen(&self) -> i64 {
        self.unit_price_fen * i64::from(self.quantity)
    }
}

/// What a technician or the desk picks: an item, how many, and a price only
/// for an item negotiated on site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotePick {
    pub item_id: String,
    pub quantity: u32,
    pub negotiated_fen: Option<i64>,
}

/// Why a quote cannot be made from the list: the line and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRefusal {
    pub index: usize,
    pub field: &'static str,
    pub why: Label,
}

fn refuse(index: usize, field: &'static str, zh: &'static str, en: &'static str) -> QuoteRefusal {
    QuoteRefusal {
        index,
        field,
        why: Label { zh, en },
    }
}

pub fn total_fen(lines: &[QuoteLine]) -> i64 {
    lines.iter().map(QuoteLine::amount_fen).sum()
}

/// The quote's lines for `picks` at `at`, priced from `list`.
pub fn price(
    list: &[PriceItem],
    picks: &[QuotePick],
    at: Millis,
) -> Result<Vec<QuoteLine>, QuoteRefusal> {
    if picks.is_empty() {
        return Err(refuse(
            0,
            "item_id",
            "请从价目表选择项目",
            "pick items from the price list",
        ));
    }
    picks
        .iter()
        .enumerate()
        .map(|(i, pick)| {
            let Some(item) = list.iter().find(|p| p.id == pick.item_id) else {
                return Err(refuse(
                    i,
                    "item_id",
                    "价目表中没有此项目",
                    "not on the price list",
                ));
            };
            if !item.offered_at(at) {
                return Err(refuse(
                    i,
                    "item_id",
                    "此项目已停用",
                    "this item is no longer offered",
                ));
            }
            if pick.quantity == 0 {
                return Err(refuse(
                    i,
                    "quantity",
                    "数量须大于0",
                    "the quantity must be at least 1",
                ));
            }
            let unit_price_fen = match (item.price_fen, pick.negotiated_fen) {
                (Some(listed), None) => listed,
                (Some(_), Some(_)) => {
                    return Err(refuse(
                        i,
                        "negotiated_fen",
                        "此项目按价目表定价,不能另议",
                        "this item is priced by the list, not negotiated",
                    ))
                }
                (None, Some(fen)) if fen < 0 => {
                    return Err(refuse(
                        i,
                        "negotiated_fen",
                        "价格不能为负",
                        "a price is never negative",
                    ))
                }
                (None, Some(fen)) => fen,
                (None, None) => {
                    return Err(refuse(
                        i,
                        "negotiated_fen",
                        "面议项目须填写议定价格",
                        "a negotiated item needs the agreed price",
                    ))
                }
            };
            Ok(QuoteLine {
                item_id: item.id.clone(),
                name_zh: item.name_zh.clone(),
                unit: item.unit.clone(),
                unit_price_fen,
                quantity: pick.quantity,
            })
        })
        .collect()
}

/// Whether `lines`, totalling `quoted_fen`, are what `list` gives at `at`:
/// the same check on the phone and on the server, which trusts no price a
/// phone sends. With no lines, a free amount stands only while the company
/// keeps no price list.
pub fn check_quote(
    list: &[PriceItem],
    lines: &[QuoteLine],
    quoted_fen: i64,
    at: Millis,
) -> Result<(), QuoteRefusal> {
    if lines.is_empty() {
        return if list.is_empty() {
            Ok(())
        } else {
            Err(refuse(
                0,
                "item_id",
                "请从价目表报价",
                "quote from the price list",
            ))
        };
    }
    let picks: Vec<QuotePick> = lines
        .iter()
        .map(|l| QuotePick {
            item_id: l.item_id.clone(),
            quantity: l.quantity,
            negotiated_fen: list
                .iter()
                .find(|p| p.id == l.item_id)
                .filter(|p| p.price_fen.is_none())
                .map(|_| l.unit_price_fen),
        })
        .collect();
    let priced = price(list, &picks, at)?;
    if let Some(i) = priced.iter().zip(lines).position(|(p, l)| p != l) {
        return Err(refuse(
            i,
            "unit_price_fen",
            "价格与价目表不符",
            "the price differs from the price list",
        ));
    }
    if total_fen(lines) != quoted_fen {
        return Err(refuse(
            0,
            "quoted_fen",
            "报价金额与明细合计不符",
            "the quote differs from the sum of its lines",
        ));
    }
    Ok(())
}

/// A new list as a change of `before`: items only added, or retired.
pub fn change_refused(before: &[PriceItem], after: &[PriceItem]) -> Result<(), RulesError> {
    for (i, was) in before.iter().enumerate() {
        let bad = |zh, en| {
            Err(RulesError::PriceList {
                field: format!("price_list[{i}]"),
                why: Label { zh, en },
            })
        };
        let Some(now) = after.iter().find(|p| p.id == was.id) else {
            return bad(
                "价目表项目不能删除,请停用",
                "a price-list item is never removed: retire it",
            );
        };
        let same = PriceItem {
            retired_at: now.retired_at,
            ..was.clone()
        };
        if *now != same || (was.retired_at.is_some() && was.retired_at != now.retired_at) {
            return bad(
                "价目表项目不能修改,调价请停用后新增",
                "a price-list item is never edited: retire it and add a new one",
            );
        }
    }
    Ok(())
}

/// Each item has a code, a name, a unit and no negative price; codes are
/// unique.
pub fn validate(list: &[PriceItem]) -> Result<(), RulesError> {
    for (i, item) in list.iter().enumerate() {
        let bad = |field: &str, zh, en| {
            Err(RulesError::PriceList {
                field: format!("price_list[{i}].{field}"),
                why: Label { zh, en },
            })
        };
        if item.id.trim().is_empty() {
            return bad("id", "须填写项目编号", "the item needs a code");
        }
        if list[..i].iter().any(|p| p.id == item.id) {
            return bad("id", "项目编号重复", "the code is used twice");
        }
        if item.name_zh.trim().is_empty() {
            return bad("name_zh", "须填写项目名称", "the item needs a name");
        }
        if item.unit.trim().is_empty() {
            return bad("unit", "须填写计价单位", "the item needs a unit");
        }
        if item.price_fen.is_some_and(|p| p < 0) {
            return bad("price_fen", "价格不能为负", "a price is never negative");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, price: Option<i64>) -> PriceItem {
        PriceItem {
            id: id.into(),
            name_zh: format!("项目{id}"),
            name_en: String::new(),
            unit: "次".into(),
            price_fen: price,
            retired_at: None,
        }
    }

    fn pick(id: &str, quantity: u32, negotiated_fen: Option<i64>) -> QuotePick {
        QuotePick {
            item_id: id.into(),
            quantity,
            negotiated_fen,
        }
    }

    #[test]
    fn a_quote_is_priced_from_the_list_and_checks_again_elsewhere() {
        let list = vec![item("tap", Some(3000)), item("wall", None)];
        let lines = price(
            &list,
            &[pick("tap", 2, None), pick("wall", 1, Some(45000))],
            10,
        )
        .unwrap();
        assert_eq!(total_fen(&lines), 51000);
        assert_eq!(check_quote(&list, &lines, 51000, 10), Ok(()));
        // A phone that bends a listed price, or the total, is refused.
        let mut bent = lines.clone();
        bent[0].unit_price_fen = 1000;
        assert_eq!(
            check_quote(&list, &bent, 47000, 10).unwrap_err().field,
            "unit_price_fen"
        );
        assert_eq!(
            check_quote(&list, &lines, 100, 10).unwrap_err().field,
            "quoted_fen"
        );
        // A free amount stands only without a list.
        assert!(check_quote(&list, &[], 100, 10).is_err());
        assert_eq!(check_quote(&[], &[], 100, 10), Ok(()));
    }

    #[test]
    fn only_a_negotiated_item_takes_a_hand_price() {
        let list = vec![item("tap", Some(3000)), item("wall", None)];
        assert_eq!(
            price(&list, &[pick("tap", 1, Some(1))], 0)
                .unwrap_err()
                .field,
            "negotiated_fen"
        );
        assert_eq!(
            price(&list, &[pick("wall", 1, None)], 0).unwrap_err().field,
            "negotiated_fen"
        );
        assert_eq!(
            price(&list, &[pick("tap", 0, None)], 0).unwrap_err().field,
            "quantity"
        );
        assert_eq!(
            price(&list, &[pick("nope", 1, None)], 0).unwrap_err().field,
            "item_id"
        );
    }

    #[test]
    fn a_price_changes_by_retiring_the_item_and_older_quotes_still_check() {
        let before = vec![item("tap", Some(3000))];
        let quoted = price(&before, &[pick("tap", 1, None)], 10).unwrap();
        let mut after = before.clone();
        after[0].retired_at = Some(20);
        after.push(item("tap2", Some(3500)));
        assert_eq!(change_refused(&before, &after), Ok(()));
        // Made offline before the change, the quote still stands after it.
        assert_eq!(check_quote(&after, &quoted, 3000, 10), Ok(()));
        // Made after it, the retired item is refused.
        assert!(price(&after, &[pick("tap", 1, None)], 30).is_err());
        let mut edited = before.clone();
        edited[0].price_fen = Some(1);
        assert!(change_refused(&before, &edited).is_err());
        assert!(change_refused(&before, &[]).is_err());
        assert!(
            change_refused(&after, &before).is_err(),
            "a retirement is not undone"
        );
    }

    #[test]
    fn items_need_a_unique_code_a_name_a_unit_and_no_negative_price() {
        assert_eq!(validate(&[item("a", Some(0)), item("b", None)]), Ok(()));
        let twice = validate(&[item("a", Some(1)), item("a", Some(2))]).unwrap_err();
        assert_eq!(twice.setting().as_deref(), Some("price_list[1].id"));
        let negative = validate(&[item("a", Some(-1))]).unwrap_err();
        assert_eq!(
            negative.setting().as_deref(),
            Some("price_list[0].price_fen")
        );
    }
}
