//! The demo company's price list for paid services (价目表): a few jobs
//! priced per visit or per part, and larger ones priced on site (面议).

use rounds_core::rules::price_list::{PriceItem, QuotePick};

use crate::error::AppError;
use crate::state::AppState;

fn item(id: &str, zh: &str, en: &str, unit: &str, price_fen: Option<i64>) -> PriceItem {
    PriceItem {
        id: id.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        unit: unit.into(),
        price_fen,
        retired_at: None,
    }
}

pub fn demo_price_list() -> Vec<PriceItem> {
    vec![
        item(
            "P-01",
            "更换水龙头(人工)",
            "Replace a tap (labour)",
            "次",
            Some(4_000),
        ),
        item("P-02", "水龙头(普通)", "Tap (standard)", "个", Some(6_000)),
        item("P-03", "疏通下水道", "Clear a drain", "次", Some(8_000)),
        item("P-04", "安装晾衣架", "Install a clothes rack", "套", None),
        item(
            "P-05",
            "更换灯具(人工)",
            "Replace a light fitting (labour)",
            "个",
            Some(3_000),
        ),
        item("P-06", "吸顶灯", "Ceiling light", "个", Some(9_000)),
        item(
            "P-07",
            "更换门锁锁芯",
            "Replace a lock cylinder",
            "个",
            Some(15_000),
        ),
        item("P-08", "墙面修补", "Wall repair", "平方米", None),
    ]
}

/// A pick of a listed item, `quantity` of it.
pub(crate) fn pick(item_id: &str, quantity: u32) -> QuotePick {
    QuotePick {
        item_id: item_id.into(),
        quantity,
        negotiated_fen: None,
    }
}

/// A pick of an item priced on site, at the agreed price.
pub(crate) fn negotiated(item_id: &str, fen: i64) -> QuotePick {
    QuotePick {
        item_id: item_id.into(),
        quantity: 1,
        negotiated_fen: Some(fen),
    }
}

/// Gives a company that keeps no price list the demo's, as the company's
/// rules file would, before the demo is seeded; a list already kept (a
/// director's) is left as it is.
/// Blocks on the storage: call it off the async runtime.
/// Only a server the demo seeds (`super::will_seed`) is given one.
pub fn adopt(state: &AppState) -> Result<(), AppError> {
    let company = state.company();
    if !company.rules.price_list.is_empty() || !state.with_db(super::will_seed)? {
        return Ok(());
    }
    let mut with_list = (*company).clone();
    with_list.rules.price_list = demo_price_list();
    state.adopt_company(Some(with_list))
}
