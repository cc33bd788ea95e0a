//! A large company customer handed over in August: its first phone revisit
//! is planned a month on, the on-site visit a year on; the visit is signed
//! by the customer, its report falls due the next working day and its papers
//! within three, across the National Day holiday and its make-up Saturday.
//! A technician may not register customers; a key customer is visited every
//! six months.

use crate::common;

use common::{session, shanghai, TestClock};
use rounds_core::documents::customer::{CustomerDetails, CustomerTier};
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::message::Explain;
use rounds_core::places::Personal;
use rounds_core::{RecordId, Role};

fn details(tier: CustomerTier) -> CustomerDetails {
    CustomerDetails {
        name: "华润万家超市".into(),
        tier,
        unit_ids: vec!["u-1-101".into()],
        premises: "1号楼底商 101-103".into(),
        handover_date: "2025-09-30".into(),
        contact_name: Personal("陈经理".into()),
        contact_title: "店长".into(),
        contact_phone: Personal("13800138000".into()),
        manager: "a1".into(),
    }
}

fn outcome(method: Method) -> Outcome {
    Outcome {
        method: Some(method),
        satisfaction: Some(Satisfaction::Satisfied),
        comments: "冷库制冷正常".into(),
        ..Outcome::default()
    }
}

#[test]
fn a_large_customer_is_phoned_visited_on_site_and_its_report_chased_in_working_days() {
    let clock = TestClock(Default::default());
    clock.set(2025, 10, 9, 10, 0);
    let mut desk = session("r1", Role::Receptionist, &clock);

    let mut tech = session("t1", Role::Technician, &clock);
    let refused = tech
        .register_customer(RecordId::new(), "e1", &details(CustomerTier::Large))
        .unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("role"));

    let mut bad = details(CustomerTier::Large);
    bad.handover_date = "2025/09/30".into();
    let err = desk
        .register_customer(RecordId::new(), "e1", &bad)
        .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("handover_date"));

    let id = desk
        .register_customer(RecordId::new(), "e1", &details(CustomerTier::Large))
        .unwrap();
    let visits = desk.customer_revisits(&id).unwrap();
    // The first phone call a month after 30 Sep; the yearly visit on site.
    let planned: Vec<_> = visits
        .iter()
        .map(|r| (r.facts["planned_method"].clone(), r.due_at.unwrap()))
        .collect();
    assert_eq!(
        planned,
        [
            ("phone".into(), shanghai(2025, 10, 31, 0)),
            ("in_person".into(), shanghai(2026, 10, 1, 0)),
        ]
    );
    assert!(visits.iter().all(|r| r.assignee.as_deref() == Some("a1")));
    // Planning again plans nothing new.
    assert!(desk.plan_customer_visits(&id).unwrap().is_empty());

    let due = desk.customers_due().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].next.as_ref().unwrap().id, visits[0].id);
    assert!(!due[0].overdue);

    // November: the phone call is late.
    clock.set(2025, 11, 3, 9, 0);
    assert!(desk.customers_due().unwrap()[0].overdue);
    let phone = RecordId::parse(&visits[0].id).unwrap();
    desk.record_revisit(&phone, outcome(Method::Phone), None)
        .unwrap();
    // Done: the next half-yearly call is planned (30 Apr 2026).
    let after: Vec<_> = desk
        .customer_revisits(&id)
        .unwrap()
        .into_iter()
        .filter(|r| r.status == "planned")
        .map(|r| r.due_at.unwrap())
        .collect();
    assert_eq!(after, [shanghai(2026, 5, 1, 0), shanghai(2026, 10, 1, 0)]);
    assert!(!desk.customers_due().unwrap()[0].overdue);
    // Every visit has its report and papers, the phone call's too.
    assert_eq!(desk.customer_paperwork_due().unwrap().len(), 1);
    desk.write_customer_report(&phone, "基本功能已掌握")
        .unwrap();
    desk.file_customer_revisit(&phone).unwrap();
    assert!(desk.customer_paperwork_due().unwrap().is_empty());

    // The on-site visit on Wed 30 Sep 2026, signed by the customer.
    clock.set(2026, 9, 30, 15, 0);
    let on_site = RecordId::parse(
        &desk
            .customer_revisits(&id)
            .unwrap()
            .into_iter()
            .find(|r| r.facts["planned_method"] == "in_person")
            .unwrap()
            .id,
    )
    .unwrap();
    let unsigned = desk
        .record_revisit(&on_site, outcome(Method::InPerson), None)
        .unwrap_err();
    assert!(unsigned.to_string().contains("signature"), "{unsigned}");
    let mut signed = outcome(Method::InPerson);
    signed.resident_name = Personal("陈经理".into());
    desk.record_revisit(&on_site, signed, Some(b"signature png"))
        .unwrap();
    assert!(desk
        .revisit(&on_site)
        .unwrap()
        .outcome
        .signature_image
        .is_some());

    // The report: Thu 10-01 to Wed 10-07 are the holiday, Thu 10-08 is the
    // next working day; the papers: 10-08, 10-09 and the make-up Saturday
    // 10-10.
    let owed = desk.customer_paperwork_due().unwrap();
    assert_eq!(owed.len(), 1);
    assert_eq!(owed[0].report_due_at, shanghai(2026, 10, 9, 0));
    assert_eq!(owed[0].file_due_at, shanghai(2026, 10, 11, 0));
    // Filing before the report is refused beside the report.
    let early = desk.file_customer_revisit(&on_site).unwrap_err();
    assert_eq!(early.field().as_deref(), Some("report"));

    // Friday 10-09: the report is late, the papers not yet.
    clock.set(2026, 10, 9, 9, 0);
    assert!(desk.customer_paperwork_due().unwrap()[0].overdue);
    desk.write_customer_report(&on_site, "客户对冷库维保满意,提出扩容需求")
        .unwrap();
    assert!(!desk.customer_paperwork_due().unwrap()[0].overdue);
    // Saturday 10-10 is a working day; filed on it, nothing is owed.
    clock.set(2026, 10, 10, 17, 0);
    desk.file_customer_revisit(&on_site).unwrap();
    assert!(desk.customer_paperwork_due().unwrap().is_empty());
    let r = desk.revisit(&on_site).unwrap();
    assert_eq!(r.outcome.filed_at, Some(shanghai(2026, 10, 10, 17)));
}

#[test]
fn a_key_customer_is_visited_on_site_every_six_months() {
    let clock = TestClock(Default::default());
    clock.set(2025, 10, 9, 10, 0);
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk
        .register_customer(RecordId::new(), "e1", &details(CustomerTier::Ordinary))
        .unwrap();
    // Ordinary: phone calls only.
    let methods = |desk: &rounds_core::session::Session| -> Vec<String> {
        desk.customer_revisits(&id)
            .unwrap()
            .iter()
            .map(|r| r.facts["planned_method"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(methods(&desk), ["phone"]);
    // Ranked key: on site six months after the handover.
    desk.update_customer(&id, &details(CustomerTier::Key))
        .unwrap();
    assert_eq!(methods(&desk), ["phone", "in_person"]);
    let on_site = desk.customer_revisits(&id).unwrap()[1].clone();
    assert_eq!(on_site.due_at, Some(shanghai(2026, 3, 31, 0)));
    assert_eq!(desk.customer(&id).unwrap().tier, CustomerTier::Key);
}
