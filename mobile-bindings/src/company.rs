//! What the phone applies of the company's rules: the rules and calendar of
//! the synced company document (the manuals' and the shipped calendar until
//! the first sync brings it), and whether that calendar is behind, so a
//! phone offline says when it counts days the calendar does not speak for.

use rounds_core::rules::{calendar_status, due_at, local_date, RepairClass};

use crate::error::RoundsError;
use crate::session::Rounds;
use crate::time::{at, Timestamp};

/// The calendar the phone counts working days by, as a screen tells it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CalendarInForce {
    pub name: String,
    /// The years it lists holidays and make-up working days for.
    pub years: Vec<i32>,
    /// Years whose days are provisional (not yet published).
    pub provisional_years: Vec<i32>,
    /// Set when the calendar does not cover, or covers only provisionally,
    /// today or the furthest deadline of this person's open work: the Today
    /// screen shows it.
    pub behind_zh: Option<String>,
    pub behind_en: Option<String>,
    /// Whether these are the company's own, received by sync (false: the
    /// manuals' rules and the shipped calendar, before the first sync).
    pub from_company: bool,
}

/// The deadlines the phone applies, as the Today screen may show them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RulesInForce {
    /// Working days of a general repair.
    pub standard_repair_working_days: u32,
    /// The company's time zone (IANA, "Asia/Shanghai"): deadlines and "today"
    /// are shown in it, whatever the phone's own zone.
    pub time_zone: String,
    pub calendar: CalendarInForce,
}

#[uniffi::export]
impl Rounds {
    /// The rules and calendar this phone applies now.
    pub fn rules_in_force(&self) -> Result<RulesInForce, RoundsError> {
        self.with(|s| {
            let tz = s.rules().time_zone;
            let today = local_date(s.now(), tz);
            let furthest = s
                .my_tasks()?
                .iter()
                .filter_map(|row| row.due_at)
                .max()
                .map(|due| local_date(rounds_core::time::from_millis(due), tz));
            let status = calendar_status(s.calendar(), today, furthest);
            let from_company = s
                .stored_company_rules()?
                .and_then(|doc| doc.read().ok())
                .is_some_and(|c| c.rules == *s.rules() && c.calendar == *s.calendar());
            Ok(RulesInForce {
                standard_repair_working_days: s.rules().repairs.standard_working_days,
                time_zone: tz.name().into(),
                calendar: CalendarInForce {
                    name: status.name,
                    years: status.years,
                    provisional_years: status.provisional_years,
                    behind_zh: status.behind.as_ref().map(|b| b.zh.clone()),
                    behind_en: status.behind.map(|b| b.en),
                    from_company,
                },
            })
        })
    }

    /// When a repair of `category` received at `received_at` is due under
    /// the rules and calendar this phone applies (what registering it sets);
    /// refused for the categories whose deadline a head sets.
    pub fn repair_due(
        &self,
        category: String,
        received_at: Timestamp,
    ) -> Result<Timestamp, RoundsError> {
        self.with(|s| {
            let received = rounds_core::time::from_millis(crate::time::ms(received_at));
            let class = RepairClass::classify(&category, s.rules());
            let due = due_at(received, class, None, s.rules(), s.calendar())?;
            Ok(at(rounds_core::time::to_millis(due)))
        })
    }
}
