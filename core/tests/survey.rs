//! A half-yearly satisfaction survey (第8篇) through the National Day
//! holiday: the desk draws seven of an estate's occupied households, sends
//! the forms on Wed 09-30, due back a week later whatever the calendar says;
//! a technician collects one at the door on a phone offline on a holiday
//! while the desk types in the same household's paper form, and it counts
//! once; the survey is valid with six of seven back, the items are rated
//! and compared with the spring survey, and the fallen item gets its owner.

use crate::common;

use chrono::NaiveDate;
use common::*;
use rounds_core::documents::estate::EstateEdit;
use rounds_core::documents::survey::*;
use rounds_core::message::Explain;
use rounds_core::rules::{draw_sample, Satisfaction};
use rounds_core::session::Session;
use rounds_core::{RecordId, Role};
use Satisfaction::*;

const ITEMS: [(&str, &str); 3] = [
    ("repairs", "维修服务"),
    ("cleaning", "环境保洁"),
    ("security", "安全管理"),
];

fn draft(title: &str, size: u32) -> SurveyDraft {
    SurveyDraft {
        title: title.into(),
        occasion: Occasion::Regular,
        service_started: None,
        items: ITEMS
            .iter()
            .map(|(id, name)| SurveyItem {
                id: (*id).into(),
                name: (*name).into(),
            })
            .collect(),
        sample_size: size,
    }
}

fn form(unit: &str, rated: [Satisfaction; 3], via: Via) -> FormDraft {
    FormDraft {
        id: RecordId::new().to_string(),
        unit_id: unit.into(),
        ratings: ITEMS
            .iter()
            .zip(rated)
            .map(|((item, _), rating)| Rating {
                item: (*item).into(),
                rating,
            })
            .collect(),
        comments: "希望维修更及时".into(),
        via,
    }
}

/// Estate e1: one building, twelve units, 101 and 102 vacant.
fn estate(head: &mut Session) -> Vec<String> {
    head.create_estate(RecordId::new(), "e1", "翠苑").unwrap();
    let mut edits = vec![
        EstateEdit::AddBuilding {
            id: "b1".into(),
            name: "1栋".into(),
        },
        EstateEdit::AddEntrance {
            building_id: "b1".into(),
            id: "b1-1".into(),
            name: "1单元".into(),
        },
    ];
    let mut occupied = vec![];
    for n in 0..12 {
        let id = format!("u{}", 101 + n);
        let vacant = n < 2;
        if !vacant {
            occupied.push(id.clone());
        }
        edits.push(EstateEdit::AddUnit {
            entrance_id: "b1-1".into(),
            id,
            number: format!("1-1-{}", 101 + n),
            vacant,
        });
    }
    head.edit_estate("e1", &edits).unwrap();
    occupied
}

#[test]
fn a_half_yearly_survey_is_counted_compared_and_acted_on() {
    let clock = TestClock(Default::default());
    clock.set(2026, 3, 2, 9, 0);
    let mut head = session("h1", Role::Supervisor, &clock);
    let occupied = estate(&mut head);

    // Never surveyed: the estate's survey is due now.
    let due = head.surveys_due().unwrap();
    assert_eq!((due[0].due, due[0].due_now), (None, true));

    // The spring survey: five households, all back; repairs rated well.
    let spring = head
        .open_survey(RecordId::new(), "e1", &draft("2026年上半年满意度调查", 5))
        .unwrap();
    head.send_survey(&spring).unwrap();
    for unit in head.survey(&spring).unwrap().sample {
        let f = form(&unit, [Satisfied, Satisfied, Neutral], Via::Desk);
        head.record_survey_form(&spring, &f).unwrap();
    }
    head.close_survey(&spring).unwrap();
    let due = head.surveys_due().unwrap();
    let sept = NaiveDate::from_ymd_opt(2026, 9, 2).unwrap();
    assert_eq!((due[0].due, due[0].due_now), (Some(sept), false));

    // Wed 09-30: six months on, the next one is due; the desk opens it.
    clock.set(2026, 9, 30, 10, 0);
    assert!(head.surveys_due().unwrap()[0].due_now);
    let mut desk = hand_over(head, "r1", Role::Receptionist, &clock);
    let items = desk.survey_items("e1").unwrap();
    assert_eq!(
        items.len(),
        3,
        "a new survey starts from the last one's items"
    );
    let autumn = RecordId::new();
    desk.open_survey(autumn.clone(), "e1", &draft("2026年下半年满意度调查", 7))
        .unwrap();
    let s = desk.survey(&autumn).unwrap();
    assert_eq!(s.previous.as_deref(), Some(spring.as_str()));
    assert_eq!(s.population, 10, "vacant units are not surveyed");
    // The draw is reproducible from its recorded seed and the units.
    assert_eq!(s.sample, draw_sample(&s.sample_seed, &occupied, 7));
    assert!(!s.sample.iter().any(|u| u == "u101" || u == "u102"));

    desk.send_survey(&autumn).unwrap();
    // A week, though the National Day holiday falls in it: back by the end
    // of Wed 10-07 (the make-up Saturday 10-10 changes nothing).
    let s = desk.survey(&autumn).unwrap();
    assert_eq!(s.due_at, Some(shanghai(2026, 10, 8, 0)));
    let sample = s.sample.clone();
    let outside = occupied.iter().find(|u| !sample.contains(u)).unwrap();

    // Sat 10-03, a holiday: the technician collects the first household's
    // form at the door, offline.
    let mut tech = session("t1", Role::Technician, &clock);
    carry(&desk, &mut tech, &autumn);
    clock.set(2026, 10, 3, 15, 0);
    tech.record_survey_form(
        &autumn,
        &form(&sample[0], [Dissatisfied, Satisfied, Satisfied], Via::Door),
    )
    .unwrap();

    // Mon 10-05: the desk types in paper forms, the same household's too.
    clock.set(2026, 10, 5, 9, 0);
    let paper = [
        [Satisfied, Satisfied, Satisfied],
        [Neutral, VerySatisfied, Satisfied],
        [Satisfied, Satisfied, Dissatisfied],
        [Dissatisfied, Satisfied, Satisfied],
        [Satisfied, Satisfied, VeryDissatisfied],
    ];
    desk.record_survey_form(&autumn, &form(&sample[0], paper[0], Via::Desk))
        .unwrap();
    for (unit, rated) in sample[1..5].iter().zip(&paper[1..]) {
        desk.record_survey_form(&autumn, &form(unit, *rated, Via::Desk))
            .unwrap();
    }
    // A household outside the sample, or a form that skips an item, is
    // refused beside its field, and nothing of it is kept.
    let err = desk
        .record_survey_form(&autumn, &form(outside, paper[0], Via::Desk))
        .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("unit_id"));
    let mut skipped = form(&sample[5], paper[0], Via::Desk);
    skipped.ratings.pop();
    let err = desk.record_survey_form(&autumn, &skipped).unwrap_err();
    assert_eq!(err.field().as_deref(), Some("ratings"));
    assert_eq!(desk.survey(&autumn).unwrap().forms.len(), 5);

    // The phone comes back: its form merges, and the household counts once,
    // by the door form collected first.
    carry(&tech, &mut desk, &autumn);
    let s = desk.survey(&autumn).unwrap();
    assert_eq!(s.forms.len(), 6);
    let counted = s.counted_forms();
    assert_eq!(counted.len(), 5);
    assert_eq!(
        counted.iter().find(|f| f.unit_id == sample[0]).unwrap().via,
        Via::Door
    );

    // Five of seven is not more than 85 %: one more comes in on Wed 10-07.
    assert!(!desk.survey_report(&autumn).unwrap().result.valid);
    clock.set(2026, 10, 7, 20, 0);
    desk.record_survey_form(
        &autumn,
        &form(&sample[5], [Satisfied, Satisfied, Satisfied], Via::Desk),
    )
    .unwrap();
    // Thu 10-08: the week is over; a late form is refused.
    clock.set(2026, 10, 8, 9, 0);
    let err = desk
        .record_survey_form(&autumn, &form(&sample[6], paper[0], Via::Desk))
        .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("forms"));
    desk.close_survey(&autumn).unwrap();

    let report = desk.survey_report(&autumn).unwrap();
    let r = &report.result;
    assert!(r.valid, "six of seven back");
    assert_eq!((r.sample, r.returned), (7, 6));
    let repairs = r.item("repairs").unwrap();
    // Door form (dissatisfied) counts, not the paper copy: 3 of 6 satisfied.
    assert_eq!((repairs.ratings, repairs.satisfied), (6, 3));
    assert_eq!(repairs.rate, Some(0.5));
    assert_eq!(repairs.previous_rate, Some(1.0));
    assert_eq!(r.item("security").unwrap().previous_rate, Some(0.0));
    assert_eq!(r.lowest, ["repairs"]);
    assert_eq!(r.fallen, ["repairs"]);
    assert_eq!(r.most_dissatisfied, ["repairs", "security"]);
    assert_eq!(report.without_action, ["repairs", "security"]);

    // The desk may not assign the actions; the supervisor does.
    let action = ActionDraft {
        id: "a1".into(),
        item: "repairs".into(),
        owner: "t1".into(),
        measure: "报修当日回电,维修后二日内回访".into(),
    };
    assert!(desk.assign_survey_action(&autumn, &action).is_err());
    let mut head = hand_over(desk, "h1", Role::Supervisor, &clock);
    head.assign_survey_action(&autumn, &action).unwrap();
    assert_eq!(
        head.survey_report(&autumn).unwrap().without_action,
        ["security"]
    );
}

#[test]
fn a_new_service_is_surveyed_within_three_months_of_starting() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 30, 10, 0);
    let mut head = session("h1", Role::Supervisor, &clock);
    estate(&mut head);
    let mut new = draft("代收快递服务调查", 4);
    new.occasion = Occasion::NewService;
    new.service_started = Some("2026-06-15".into());
    let err = head.open_survey(RecordId::new(), "e1", &new).unwrap_err();
    assert_eq!(err.field().as_deref(), Some("service_started"));
    new.service_started = Some("2026-07-01".into());
    head.open_survey(RecordId::new(), "e1", &new).unwrap();
    // A new-service survey is not the half-yearly one: still due.
    assert!(head.surveys_due().unwrap()[0].due_now);
}
