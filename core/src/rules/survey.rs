//! Satisfaction surveys (seed 003 第8篇 顾客满意率测量): every six months, and
//! within three months of a new service, forms go to a random sample of
//! households; they come back within a week; the survey counts only if more
//! than 85 % return; each item's satisfaction rate is its satisfied ratings
//! over all its ratings; the lowest, the most dissatisfied and those fallen
//! since the previous survey are acted on. Every number is a company rule.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::calendar::{local_date, start_of_day};
use super::config::RulesConfig;
use super::report::Satisfaction;

/// A satisfaction survey counts only if more than the threshold share came back.
pub fn survey_valid(returned: u32, sent: u32, cfg: &RulesConfig) -> bool {
    // Compared as returned*100 > pct*sent so that 85 of 100 is not "more than 85 %".
    sent > 0 && f64::from(returned) * 100.0 > cfg.targets.survey_return_percent * f64::from(sent)
}

/// When the forms sent at `sent_at` are due back: the end of the n-th
/// calendar day after the day they went out (一周内回收: a week is counted
/// in days, holidays and weekends included, since residents fill the form
/// at home).
pub fn forms_due(sent_at: DateTime<Utc>, cfg: &RulesConfig) -> DateTime<Utc> {
    let sent = local_date(sent_at, cfg.time_zone);
    let last = sent + chrono::Days::new(u64::from(cfg.surveys.return_days));
    start_of_day(last.succ_opt().unwrap_or(last), cfg.time_zone)
}

/// The day the estate's next regular survey is due: six months (by default)
/// after the last one went out.
pub fn next_survey_due(last_sent: NaiveDate, cfg: &RulesConfig) -> NaiveDate {
    last_sent
        .checked_add_months(Months::new(cfg.surveys.every_months))
        .unwrap_or(last_sent)
}

/// The last day a new service may be surveyed as new: three months (by
/// default) after it started.
pub fn new_service_survey_by(started: NaiveDate, cfg: &RulesConfig) -> NaiveDate {
    started
        .checked_add_months(Months::new(cfg.surveys.new_service_within_months))
        .unwrap_or(started)
}

/// The households surveyed, drawn at random but reproducibly: each unit is
/// ranked by SHA-256 of the draw's seed and its id, and the first `size`
/// are taken. Anyone holding the seed and the estate's units draws the same
/// sample, so the draw can be checked afterwards; a new seed draws anew.
pub fn draw_sample(seed: &str, units: &[String], size: usize) -> Vec<String> {
    let mut ranked: Vec<(String, &String)> = units
        .iter()
        .map(|u| {
            let rank = hex::encode(Sha256::digest(format!("{seed}\n{u}").as_bytes()));
            (rank, u)
        })
        .collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    ranked
        .into_iter()
        .take(size)
        .map(|(_, u)| u.clone())
        .collect()
}

/// One item's ratings and rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRate {
    pub item: String,
    pub ratings: u32,
    pub satisfied: u32,
    pub dissatisfied: u32,
    /// Satisfied ratings (非常满意, 满意) over all the item's ratings.
    pub rate: Option<f64>,
    pub dissatisfied_rate: Option<f64>,
    /// The same item's rate in the previous survey, when it had one.
    pub previous_rate: Option<f64>,
}

/// What a survey found, item by item, and what must be acted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResult {
    pub sample: u32,
    pub returned: u32,
    pub return_rate: Option<f64>,
    /// More than the rules' share came back.
    pub valid: bool,
    /// All satisfied ratings over all ratings.
    pub overall_rate: Option<f64>,
    pub items: Vec<ItemRate>,
    /// The items with the lowest satisfaction rate (§6.1 a).
    pub lowest: Vec<String>,
    /// The items with the highest share of dissatisfied ratings (§6.1 b).
    pub most_dissatisfied: Vec<String>,
    /// The items rated lower than in the previous survey (§6.1 e).
    pub fallen: Vec<String>,
}

impl SurveyResult {
    /// The items the survey asks to act on (整改), each once, in item order.
    pub fn to_act_on(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|i| &i.item)
            .filter(|i| {
                self.lowest.contains(i)
                    || self.most_dissatisfied.contains(i)
                    || self.fallen.contains(i)
            })
            .cloned()
            .collect()
    }

    pub fn item(&self, item: &str) -> Option<&ItemRate> {
        self.items.iter().find(|i| i.item == item)
    }
}

fn rate(n: u32, of: u32) -> Option<f64> {
    (of > 0).then(|| f64::from(n) / f64::from(of))
}

/// The items whose `value` is the lowest (or the highest), among items that
/// have one.
fn extremes(
    items: &[ItemRate],
    value: impl Fn(&ItemRate) -> Option<f64>,
    lowest: bool,
) -> Vec<String> {
    let pick = items
        .iter()
        .filter_map(&value)
        .reduce(|a, b| if (b < a) == lowest { b } else { a });
    items
        .iter()
        .filter(|i| pick.is_some() && value(i) == pick)
        .map(|i| i.item.clone())
        .collect()
}

/// The lowest-rated items, when some item is rated higher: with every item
/// rated alike, none stands out as the worst.
fn lowest_rated(items: &[ItemRate]) -> Vec<String> {
    let lowest = extremes(items, |i| i.rate, true);
    let rated = items.iter().filter(|i| i.rate.is_some()).count();
    if lowest.len() < rated {
        lowest
    } else {
        vec![]
    }
}

/// The result of a survey of `sample` households whose returned forms rated
/// `items` as `forms` say (one list of (item, rating) per form), compared
/// with the previous survey's result.
pub fn survey_result(
    items: &[String],
    sample: u32,
    forms: &[Vec<(String, Satisfaction)>],
    previous: Option<&SurveyResult>,
    cfg: &RulesConfig,
) -> SurveyResult {
    let returned = forms.len() as u32;
    let rates: Vec<ItemRate> = items
        .iter()
        .map(|item| {
            let ratings: Vec<Satisfaction> = forms
                .iter()
                .flat_map(|f| f.iter().filter(|(i, _)| i == item).map(|(_, r)| *r))
                .collect();
            let n = ratings.len() as u32;
            let satisfied = ratings.iter().filter(|r| r.is_satisfied()).count() as u32;
            let dissatisfied = ratings.iter().filter(|r| r.is_dissatisfied()).count() as u32;
            ItemRate {
                item: item.clone(),
                ratings: n,
                satisfied,
                dissatisfied,
                rate: rate(satisfied, n),
                dissatisfied_rate: rate(dissatisfied, n),
                previous_rate: previous.and_then(|p| p.item(item)).and_then(|i| i.rate),
            }
        })
        .collect();
    let all: u32 = rates.iter().map(|i| i.ratings).sum();
    let satisfied: u32 = rates.iter().map(|i| i.satisfied).sum();
    let fallen = rates
        .iter()
        .filter(|i| matches!((i.rate, i.previous_rate), (Some(now), Some(was)) if now < was))
        .map(|i| i.item.clone())
        .collect();
    SurveyResult {
        sample,
        returned,
        return_rate: rate(returned, sample),
        valid: survey_valid(returned, sample, cfg),
        overall_rate: rate(satisfied, all),
        lowest: lowest_rated(&rates),
        most_dissatisfied: extremes(&rates, |i| i.dissatisfied_rate.filter(|d| *d > 0.0), false),
        fallen,
        items: rates,
    }
}

/// One item over a year's surveys (第8篇 §6.2: the yearly report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearItem {
    pub item: String,
    /// Its rate in each survey of the year, oldest first (None: not asked
    /// or not rated there).
    pub rates: Vec<Option<f64>>,
    /// Satisfied ratings over all its ratings in the year's valid surveys.
    pub year_rate: Option<f64>,
}

/// What a year's surveys of an estate found together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearResult {
    pub surveys: u32,
    /// Those that count (more than the rules' share came back).
    pub valid: u32,
    /// All satisfied ratings over all ratings of the valid surveys.
    pub overall_rate: Option<f64>,
    pub items: Vec<YearItem>,
    /// The items with the lowest rate over the year.
    pub lowest: Vec<String>,
    /// The items rated lower in the year's last valid survey than in its
    /// first: an invalid survey's few forms say nothing of a fall.
    pub fallen: Vec<String>,
    /// Which surveys (indices into the year's, oldest first) `fallen`
    /// compares: the first and the last valid one, when there are two.
    pub compared: Option<[usize; 2]>,
}

/// The yearly report of an estate's surveys `results` (oldest first): only
/// valid surveys count towards the year's rates, as only they count at all.
pub fn year_result(results: &[SurveyResult]) -> YearResult {
    let valid_at: Vec<usize> = (0..results.len()).filter(|&i| results[i].valid).collect();
    let valid: Vec<&SurveyResult> = valid_at.iter().map(|&i| &results[i]).collect();
    let mut names: Vec<String> = vec![];
    for item in results.iter().flat_map(|r| &r.items) {
        if !names.contains(&item.item) {
            names.push(item.item.clone());
        }
    }
    let items: Vec<YearItem> = names
        .into_iter()
        .map(|name| {
            let of = |r: &SurveyResult| r.item(&name).cloned();
            let counted = valid.iter().filter_map(|r| of(r));
            let (satisfied, ratings) =
                counted.fold((0, 0), |(s, n), i| (s + i.satisfied, n + i.ratings));
            YearItem {
                rates: results.iter().map(|r| of(r).and_then(|i| i.rate)).collect(),
                year_rate: rate(satisfied, ratings),
                item: name,
            }
        })
        .collect();
    let (satisfied, ratings) = valid
        .iter()
        .flat_map(|r| &r.items)
        .fold((0, 0), |(s, n), i| (s + i.satisfied, n + i.ratings));
    let as_rates: Vec<ItemRate> = items
        .iter()
        .map(|i| ItemRate {
            item: i.item.clone(),
            ratings: 0,
            satisfied: 0,
            dissatisfied: 0,
            rate: i.year_rate,
            dissatisfied_rate: None,
            previous_rate: None,
        })
        .collect();
    let compared = match valid_at[..] {
        [first, .., last] => Some([first, last]),
        _ => None,
    };
    let fallen = compared
        .map(|[first, last]| {
            items
                .iter()
                .filter(|i| matches!((i.rates[first], i.rates[last]), (Some(a), Some(b)) if b < a))
                .map(|i| i.item.clone())
                .collect()
        })
        .unwrap_or_default();
    YearResult {
        surveys: results.len() as u32,
        valid: valid.len() as u32,
        overall_rate: rate(satisfied, ratings),
        lowest: lowest_rated(&as_rates),
        fallen,
        compared,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;
    use Satisfaction::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_survey_counts_only_above_the_return_threshold() {
        let mut cfg = RulesConfig::default();
        assert!(!survey_valid(85, 100, &cfg));
        assert!(survey_valid(86, 100, &cfg));
        assert!(survey_valid(171, 200, &cfg));
        assert!(!survey_valid(0, 0, &cfg));
        cfg.targets.survey_return_percent = 80.0;
        assert!(survey_valid(81, 100, &cfg));
    }

    #[test]
    fn forms_are_due_back_a_week_later_whatever_the_calendar_says() {
        let cfg = RulesConfig::default();
        // Fri 11-06: over the weekend, back by the end of Fri 11-13.
        assert_eq!(
            forms_due(sh("2026-11-06 10:00"), &cfg),
            sh("2026-11-14 00:00")
        );
        // Wed 09-30, into the National Day holiday: a week is still a week.
        assert_eq!(
            forms_due(sh("2026-09-30 10:00"), &cfg),
            sh("2026-10-08 00:00")
        );
        // Sat 10-03 (holiday) to Sat 10-10, a make-up working day: no day is
        // added or taken away.
        assert_eq!(
            forms_due(sh("2026-10-03 09:00"), &cfg),
            sh("2026-10-11 00:00")
        );
        let mut cfg = cfg;
        cfg.surveys.return_days = 3;
        assert_eq!(
            forms_due(sh("2026-11-06 10:00"), &cfg),
            sh("2026-11-10 00:00")
        );
        cfg.surveys.return_days = 0;
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn surveys_fall_due_every_six_months_and_new_services_within_three() {
        let mut cfg = RulesConfig::default();
        assert_eq!(next_survey_due(d("2026-05-20"), &cfg), d("2026-11-20"));
        assert_eq!(next_survey_due(d("2026-08-31"), &cfg), d("2027-02-28"));
        assert_eq!(
            new_service_survey_by(d("2026-09-01"), &cfg),
            d("2026-12-01")
        );
        cfg.surveys.every_months = 12;
        assert_eq!(next_survey_due(d("2026-05-20"), &cfg), d("2027-05-20"));
        cfg.surveys.new_service_within_months = 0;
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn the_draw_is_reproducible_from_its_seed() {
        let units: Vec<String> = (1..=40).map(|n| format!("u{n}")).collect();
        let a = draw_sample("seed-1", &units, 10);
        assert_eq!(a.len(), 10);
        assert_eq!(a, draw_sample("seed-1", &units, 10));
        let mut reversed = units.clone();
        reversed.reverse();
        assert_eq!(
            a,
            draw_sample("seed-1", &reversed, 10),
            "the order of the list does not matter"
        );
        assert_ne!(a, draw_sample("seed-2", &units, 10));
        assert_eq!(draw_sample("seed-1", &units, 99).len(), 40);
    }

    #[test]
    fn each_item_is_rated_and_the_worst_and_fallen_are_named() {
        let cfg = RulesConfig::default();
        let items: Vec<String> = ["repairs", "cleaning", "security"].map(String::from).into();
        let form = |r: [Satisfaction; 3]| -> Vec<(String, Satisfaction)> {
            items.iter().cloned().zip(r).collect()
        };
        let before = survey_result(
            &items,
            4,
            &[
                form([Satisfied, Satisfied, Neutral]),
                form([VerySatisfied, Satisfied, Satisfied]),
                form([Satisfied, Neutral, Satisfied]),
                form([Satisfied, Satisfied, Dissatisfied]),
            ],
            None,
            &cfg,
        );
        assert!(before.valid, "4 of 4 back");
        assert_eq!(before.item("repairs").unwrap().rate, Some(1.0));
        assert_eq!(before.item("cleaning").unwrap().rate, Some(0.75));
        assert_eq!(before.lowest, ["security"]);
        assert_eq!(before.most_dissatisfied, ["security"]);

        let now = survey_result(
            &items,
            5,
            &[
                form([Satisfied, Satisfied, Satisfied]),
                form([Dissatisfied, VerySatisfied, Satisfied]),
                form([Neutral, Satisfied, VeryDissatisfied]),
                form([Satisfied, Satisfied, Satisfied]),
            ],
            Some(&before),
            &cfg,
        );
        assert!(!now.valid, "4 of 5 is not more than 85 %");
        let repairs = now.item("repairs").unwrap();
        assert_eq!((repairs.ratings, repairs.satisfied), (4, 2));
        assert_eq!(
            (repairs.rate, repairs.previous_rate),
            (Some(0.5), Some(1.0))
        );
        assert_eq!(now.lowest, ["repairs"]);
        assert_eq!(now.most_dissatisfied, ["repairs", "security"]);
        assert_eq!(now.fallen, ["repairs"]);
        assert_eq!(now.to_act_on(), ["repairs", "security"]);
        assert_eq!(now.overall_rate, Some(9.0 / 12.0));
    }

    #[test]
    fn a_year_pools_its_valid_surveys_and_names_what_fell() {
        let cfg = RulesConfig::default();
        let items = vec!["repairs".to_string(), "security".to_string()];
        let forms = |repairs: Satisfaction, n: usize| {
            vec![
                vec![
                    ("repairs".to_string(), repairs),
                    ("security".to_string(), Satisfied)
                ];
                n
            ]
        };
        let spring = survey_result(&items, 10, &forms(Satisfied, 9), None, &cfg);
        let mut autumn_forms = forms(Dissatisfied, 5);
        autumn_forms.extend(forms(Satisfied, 5));
        let autumn = survey_result(&items, 10, &autumn_forms, Some(&spring), &cfg);
        // Five of ten back: not valid, so not in the year's rates, and its
        // dissatisfied security says nothing of a fall.
        let late_forms = vec![
            vec![
                ("repairs".to_string(), Dissatisfied),
                ("security".to_string(), Dissatisfied)
            ];
            5
        ];
        let late = survey_result(&items, 10, &late_forms, None, &cfg);
        let year = year_result(&[spring, autumn, late]);
        assert_eq!((year.surveys, year.valid), (3, 2));
        let repairs = &year.items[0];
        assert_eq!(repairs.rates, vec![Some(1.0), Some(0.5), Some(0.0)]);
        // 9 + 5 satisfied of 19 ratings in the two valid surveys.
        assert_eq!(repairs.year_rate, Some(14.0 / 19.0));
        assert_eq!(year.items[1].year_rate, Some(1.0));
        assert_eq!(year.lowest, vec!["repairs".to_string()]);
        assert_eq!(year.compared, Some([0, 1]), "the first and last valid");
        assert_eq!(year.fallen, vec!["repairs".to_string()]);
        assert_eq!(year.overall_rate, Some(33.0 / 38.0));
    }
}
