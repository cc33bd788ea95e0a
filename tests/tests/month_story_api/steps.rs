//! The month story's steps that recur: an order registered and dispatched,
//! worked on the technician's phone, reviewed, revisited and closed; a
//! complaint resolved; a patrol walked on the phone; and the tally of what
//! the month did, which the report is held to.

use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::work_order::{OrderStatus, WorkRecord};
use rounds_core::places::{Personal, Place};
use rounds_core::store::{DocumentStore, Query};
use rounds_core::time::Millis;
use rounds_core::{RecordId, RecordKind};
use rounds_server::demo::signature_png::signature_png;
use rounds_server::demo::{staff_id, ESTATE_A};
use serde_json::{json, Value};

use super::harness::*;

/// What the month did, counted as it is done, to hold the report to.
#[derive(Default)]
pub struct Done {
    /// Every order the month registered, by id.
    pub orders: Vec<String>,
    /// Orders finished and kept (not returned): completion time and deadline.
    pub completed: Vec<(Millis, Millis)>,
    /// Completed orders that repair an earlier one again (返修).
    pub reworks: u32,
    pub complaints: Vec<String>,
    pub valid_complaints: u32,
    /// Revisits due in November; every one is done.
    pub revisits_due: Vec<String>,
    /// The rating of every revisit done in November (some due later).
    pub ratings: Vec<Satisfaction>,
    /// In-person visits the assistant made.
    pub assistant_in_person: u32,
    pub inspections: Vec<String>,
    /// Notices and the status each ends in.
    pub notices: Vec<(String, &'static str)>,
}

impl Done {
    pub fn finished(&mut self, completed_at: Millis, due_at: Millis) {
        self.completed.push((completed_at, due_at));
    }
}

/// Registered at the desk at `h`:00 on `day` and dispatched ten minutes on:
/// the order's id and deadline.
pub fn registered_and_dispatched(
    desk: &Office,
    day: u32,
    h: u32,
    category: &str,
    content: &str,
) -> (String, Millis) {
    let (order, due) = desk
        .at(day, h, 0)
        .register(&unit(day), category, content, None);
    dispatch(desk, day, h, 10, &order);
    (order, due)
}

pub fn dispatch(desk: &Office, day: u32, h: u32, m: u32, order: &str) {
    let done = desk.at(day, h, m).post(
        &format!("/v1/orders/{order}/dispatch"),
        json!({"assignee": staff_id("tech")}),
    );
    assert_eq!(done["status"], "dispatched");
}

/// The technician's part on the phone from `h`:00 on `day`, synced before
/// and after: accept and start if not yet, record the work, complete at
/// `h`:30 an hour on and, when `signed`, the resident's signature. The
/// completion time.
pub fn worked(tech: &mut Phone, day: u32, h: u32, order: &str, signed: bool) -> Millis {
    tech.sync();
    let order = id(order);
    tech.at(day, h, 0, |s| {
        if s.order(&order)?.status() == Some(OrderStatus::Dispatched) {
            s.accept(&order)?;
            s.start_work(&order)?;
        }
        let started = s.order(&order)?.work.started_at;
        s.record_work(
            &order,
            &WorkRecord {
                work_done: "更换配件".into(),
                started_at: started,
                ended_at: Some(ms(day, h + 1, 20)),
                prep_minutes: 10,
            },
        )
    });
    tech.at(day, h + 1, 30, |s| s.complete(&order));
    if signed {
        tech.at(day, h + 1, 40, |s| {
            s.sign_off(&order, "王女士", &signature_png(day))
        });
    }
    tech.sync();
    ms(day, h + 1, 30)
}

/// The one repair revisit the order's completion planned, from the desk's list.
pub fn repair_revisit(desk: &Office, order: &str) -> String {
    let list = desk.revisits_of(order);
    assert_eq!(list.len(), 1, "one revisit for {order}: {list:?}");
    list[0]["id"].as_str().unwrap().to_owned()
}

/// A resolved complaint's revisits: the prompt one, due within days, and the
/// effect revisit a month on (seed 002). The prompt one's id.
pub fn prompt_revisit(desk: &Office, complaint: &str) -> String {
    let mut list = desk.revisits_of(complaint);
    list.sort_by_key(|r| r["due_at"].as_i64());
    assert_eq!(list.len(), 2, "{list:?}");
    let (prompt, effect) = (list[0]["due_at"].as_i64(), list[1]["due_at"].as_i64());
    assert!(
        effect.unwrap() - prompt.unwrap() > 20 * 86_400_000,
        "the effect revisit falls a month on: {list:?}"
    );
    list[0]["id"].as_str().unwrap().to_owned()
}

/// The head reviews `order` at `h`:00 on `day`, the desk revisits it by
/// phone (satisfied) and closes it.
pub fn reviewed_revisited_closed(
    head: &Office,
    desk: &Office,
    done: &mut Done,
    order: &str,
    day: u32,
    h: u32,
) {
    head.at(day, h, 0).post(
        &format!("/v1/orders/{order}/review"),
        json!({"comment": "已核对"}),
    );
    let visit = repair_revisit(desk, order);
    desk.at(day, h, 10).phone_revisit(&visit, "satisfied");
    done.ratings.push(Satisfaction::Satisfied);
    let closed = desk
        .at(day, h, 20)
        .post(&format!("/v1/orders/{order}/close"), json!({}));
    assert_status(&closed, "closed");
    done.revisits_due.push(visit);
}

/// Night-time noise, received at the desk at 13:00 on `day`, dispatched to
/// security, answered, and resolved at 20:00: its id and prompt revisit.
pub fn resolved_complaint(desk: &Office, day: u32) -> (String, String) {
    let c = desk
        .at(day, 13, 0)
        .receive_complaint(&unit(day), "夜间装修噪音", false);
    desk.at(day, 13, 30).post(
        &format!("/v1/complaints/{c}/dispatch"),
        json!({"department": "security"}),
    );
    desk.at(day, 14, 0).post(
        &format!("/v1/complaints/{c}/answer"),
        json!({"text": "今晚上门劝阻"}),
    );
    let resolved = desk.at(day, 20, 0).post(
        &format!("/v1/complaints/{c}/resolve"),
        json!({"text": "已劝阻"}),
    );
    assert_status(&resolved, "resolved");
    let visit = prompt_revisit(desk, &c);
    (c, visit)
}

pub fn assert_status(view: &Value, status: &str) {
    assert_eq!(view["status"], status, "{view}");
}

pub fn in_person(comments: &str) -> Outcome {
    Outcome {
        method: Some(Method::InPerson),
        satisfaction: Some(Satisfaction::VerySatisfied),
        comments: comments.into(),
        resident_name: Personal("业主".into()),
        ..Outcome::default()
    }
}

/// The checklist of `kind` as the phone holds it.
pub fn checklist(phone: &mut Phone, day: u32, h: u32, kind: &str) -> RecordId {
    phone.at(day, h, 0, |s| {
        let rows = s.store().query(&Query {
            kind: Some(RecordKind::Template),
            estates: Some(vec![ESTATE_A.into()]),
            ..Query::default()
        })?;
        Ok(rows
            .into_iter()
            .find(|r| r.category.as_deref() == Some(kind))
            .map(|r| id(&r.id))
            .expect("the checklist on the phone"))
    })
}

/// A patrol walked on the phone: every item ok but `defects` (item, note).
pub fn patrol(
    phone: &mut Phone,
    day: u32,
    h: u32,
    template: &RecordId,
    place: Place,
    defects: &[(&str, &str)],
) -> String {
    let patrol = RecordId::new();
    phone.at(day, h, 10, |s| {
        s.start_inspection(patrol.clone(), template, place, None)?;
        let items: Vec<String> = s
            .inspection(&patrol)?
            .checklist()
            .iter()
            .map(|i| i.id.clone())
            .collect();
        for item in &items {
            let (result, note) = match defects.iter().find(|d| d.0 == item) {
                Some((_, note)) => (ItemResult::Defect, *note),
                None => (ItemResult::Ok, ""),
            };
            s.record_item(&patrol, item, result, note)?;
        }
        s.submit_inspection(&patrol)
    });
    phone.sync();
    patrol.to_string()
}

pub fn area(name: &str, detail: &str) -> Place {
    Place {
        estate_id: ESTATE_A.into(),
        unit_id: None,
        common_area_id: Some(format!("{ESTATE_A}-{name}")),
        detail: detail.into(),
    }
}
