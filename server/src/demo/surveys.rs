//! The demo's satisfaction surveys of 阳光花园: the spring half-yearly
//! survey, and last month's, counted, with the worst item given its owner
//! and another still waiting for one, so the survey page has a report and a
//! chart beside the survey before.

use rounds_core::documents::survey::{ActionDraft, FormDraft, Occasion, Rating, SurveyDraft, Via};
use rounds_core::rules::Satisfaction;
use rounds_core::time::{from_millis, to_millis, Millis};

use crate::demo::month::{at, Desk};
use crate::demo::{demo_id, staff_id, ESTATE_A};
use crate::error::AppError;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Household `k`'s rating of item `j`, when `share` of 100 are satisfied
/// with that item: spread over the households without randomness, so the
/// same day seeds the same survey.
fn rating(k: usize, j: usize, share: usize) -> Satisfaction {
    let n = (k * 37 + j * 11) % 100;
    match n {
        n if n < share / 2 => Satisfaction::VerySatisfied,
        n if n < share => Satisfaction::Satisfied,
        n if n < share + 10 => Satisfaction::Neutral,
        n if n < share + 20 => Satisfaction::Dissatisfied,
        _ => Satisfaction::VeryDissatisfied,
    }
}

/// One survey: opened, sent, `returned` forms back over the week (a third
/// collected at the door by the technician), counted.
fn survey(
    desk: &mut Desk,
    name: &str,
    title: &str,
    sent: Millis,
    returned: usize,
    shares: &[usize],
) -> Result<rounds_core::RecordId, AppError> {
    let id = demo_id(name);
    let mut s = at(desk, "reception", sent - 2 * HOUR);
    let items = s.survey_items(ESTATE_A)?;
    let draft = SurveyDraft {
        title: title.into(),
        occasion: Occasion::Regular,
        service_started: None,
        items: items.clone(),
        sample_size: 30,
    };
    s.open_survey(id.clone(), ESTATE_A, &draft)?;
    at(desk, "reception", sent).send_survey(&id)?;
    let sample = at(desk, "reception", sent).survey(&id)?.sample;
    for (k, unit) in sample.iter().take(returned).enumerate() {
        let (who, via) = if k % 3 == 0 {
            ("tech", Via::Door)
        } else {
            ("reception", Via::Desk)
        };
        let form = FormDraft {
            id: format!("{name}/form/{k}"),
            unit_id: unit.clone(),
            ratings: items
                .iter()
                .enumerate()
                .map(|(j, item)| Rating {
                    item: item.id.clone(),
                    rating: rating(k, j, shares[j % shares.len()]),
                })
                .collect(),
            comments: if k % 5 == 0 {
                "报修后上门慢,希望当天回电".into()
            } else {
                String::new()
            },
            via,
        };
        let when = sent + (1 + (k as i64 % 6)) * DAY;
        at(desk, who, when).record_survey_form(&id, &form)?;
    }
    at(desk, "reception", sent + 7 * DAY + 2 * HOUR).close_survey(&id)?;
    Ok(id)
}

/// The spring survey six months before last month's, and last month's.
pub(super) fn seed_surveys(desk: &mut Desk, last_month: Millis) -> Result<(), AppError> {
    let autumn_sent = last_month + 3 * DAY + 9 * HOUR;
    let spring_sent = to_millis(
        from_millis(autumn_sent)
            .checked_sub_months(chrono::Months::new(desk.rules().surveys.every_months))
            .unwrap_or(from_millis(autumn_sent)),
    );
    // Items: customer service, repairs, security, cleaning, landscaping,
    // facilities, parking. Repairs fall; security stays the worst.
    survey(
        desk,
        "survey/spring",
        "上半年顾客满意度调查",
        spring_sent,
        29,
        &[90, 85, 60, 80, 75, 70, 65],
    )?;
    let autumn = survey(
        desk,
        "survey/autumn",
        "下半年顾客满意度调查",
        autumn_sent,
        27,
        &[90, 55, 60, 85, 80, 75, 70],
    )?;
    let action = ActionDraft {
        id: "survey/autumn/action/repairs".into(),
        item: "repairs".into(),
        owner: staff_id("tech"),
        measure: "报修当日回电,完工后二日内回访".into(),
    };
    at(desk, "supervisor", autumn_sent + 8 * DAY).assign_survey_action(&autumn, &action)?;
    Ok(())
}
