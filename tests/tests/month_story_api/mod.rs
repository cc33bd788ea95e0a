//! November 2025 at the demo's estate, played day by day through the
//! server's API (the office console's JSON routes) and the phones that sync
//! to it, each step by the person whose step it is at the hour it happens:
//! the server's clock and the phones' move on together and never back.
//!
//! Orders on the happy path and in the orders real life takes (revisited
//! before the head's monthly review, refused and redone, refused and then
//! returned, a rework, a head-set deadline, an extension, a revisit whose
//! account differs, a defect found on a patrol); complaints to closed (one
//! revisited before its report-back, an emergency with its minute steps),
//! their effect revisits and the month's sample; home visits against the
//! quota; patrols sent back and reviewed, their notices round twice or
//! closed with penalty points. At the month's end nothing the month opened
//! is open, and the month's report counts what the story did.

mod harness;
mod steps;

use harness::*;
use rounds_core::documents::lifecycle::Status;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::template::{BUILDING_PATROL, WEEKLY_ESTATE_PATROL};
use rounds_core::documents::work_order::{Contact, OrderStatus, Source, SourceKind};
use rounds_core::places::Personal;
use rounds_core::session::{OrderRequest, Reinspection};
use rounds_core::{RecordId, Role};
use rounds_server::demo::signature_png::signature_png;
use rounds_server::demo::{staff_id, ESTATE_A};
use rounds_tests::Backend;
use serde_json::{json, Value};
use steps::*;

rounds_tests::on_both_backends!(a_month_of_one_estate_through_the_api_and_phones);

fn a_month_of_one_estate_through_the_api_and_phones(backend: &Backend) {
    let estate = Estate::open(backend);
    let desk = estate.office("reception");
    let head = estate.office("supervisor");
    let director = estate.office("director");
    let mut tech = estate.phone("tech");
    let mut assistant = estate.phone("assistant");
    let mut reception_phone = estate.phone("reception");
    let mut done = Done::default();
    let follow_ups = |desk: &Office| -> Vec<Value> {
        desk.get(&format!("/v1/revisits/follow-ups?estate={ESTATE_A}"))
            .as_array()
            .unwrap()
            .clone()
    };

    // Monday 3rd. The server's today is the story's: a call dated at the
    // machine's real time is in its future.
    let (status, err) = desk.at(3, 8, 30).send(
        reqwest::Method::POST,
        "/v1/orders",
        Some(
            json!({"estate_id": ESTATE_A, "unit_id": unit(3), "resident_name": "王女士",
                    "phone": "13800138000", "content": "门锁坏了", "category": "door_lock",
                    "received_at": rounds_core::time::now_millis()}),
        ),
    );
    assert_eq!(
        (status, &err["field"]),
        (422, &json!("received_at")),
        "{err}"
    );

    // Order A, the happy path: registered, dispatched, worked and signed on
    // the technician's phone.
    let (a, a_due) = registered_and_dispatched(&desk, 3, 9, "door_lock", "入户门锁坏了");
    let a_done = worked(&mut tech, 3, 10, &a, true);
    assert_status(&desk.order(&a), "signed_off");
    assert_eq!(desk.order(&a)["signoff"]["state"], "valid");

    // Tuesday 4th. The head reviews A; the desk revisits it by phone. The
    // resident asks whether the lock is under warranty: a reply is promised
    // for the afternoon, waits on the desk's follow-ups, and is given.
    let reviewed = head.at(4, 9, 0).post(
        &format!("/v1/orders/{a}/review"),
        json!({"comment": "工料无误"}),
    );
    assert_status(&reviewed, "reviewed");
    let a_visit = repair_revisit(&desk, &a);
    desk.at(4, 10, 0).post(
        &format!("/v1/revisits/{a_visit}/phone"),
        json!({"satisfaction": "satisfied", "comments": "问锁芯是否保修",
               "promised_reply_at": ms(4, 17, 0)}),
    );
    done.ratings.push(Satisfaction::Satisfied);
    assert_status(&desk.order(&a), "revisited");
    let reply_owed = |desk: &Office| {
        follow_ups(desk)
            .iter()
            .any(|u| u["need"] == "reply" && u["revisit"]["id"] == a_visit.as_str())
    };
    assert!(reply_owed(&desk), "the promised reply waits on the desk");
    desk.at(4, 15, 0).post(
        &format!("/v1/revisits/{a_visit}/reply"),
        json!({"text": "锁芯保修一年,已电话告知"}),
    );
    assert!(!reply_owed(&desk));
    let closed = desk
        .at(4, 16, 0)
        .post(&format!("/v1/orders/{a}/close"), json!({}));
    assert_status(&closed, "closed");
    done.orders.push(a.clone());
    done.finished(a_done, a_due);
    done.revisits_due.push(a_visit);

    // Wednesday 5th. Order B, a corridor lamp, done the same day; its
    // revisit will come before the head's monthly review.
    let (b, b_due) = registered_and_dispatched(&desk, 5, 9, "lamp", "楼道灯不亮");
    let b_done = worked(&mut tech, 5, 10, &b, true);
    done.orders.push(b.clone());
    done.finished(b_done, b_due);
    let b_visit = repair_revisit(&desk, &b);
    let due_today = |desk: &Office, visit: &str| {
        desk.get("/v1/revisits?due=true")
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == visit)
    };

    // Thursday 6th. B's revisit falls due two working days on, so it is not
    // on today's list. The assistant's weekly patrol of the garden finds
    // dead shrubs and a rusty swing; the head reads it at the office,
    // issues a notice for each and reviews the patrol.
    assert!(
        !due_today(desk.at(6, 9, 0), &b_visit),
        "not due on Thursday"
    );
    let weekly = checklist(&mut assistant, 6, 9, WEEKLY_ESTATE_PATROL);
    let garden_patrol = patrol(
        &mut assistant,
        6,
        9,
        &weekly,
        area("garden", "中心花园"),
        &[
            ("greenery", "灌木枯死三株"),
            ("play_equipment", "秋千链条锈蚀"),
        ],
    );
    let seen = head
        .at(6, 14, 0)
        .get(&format!("/v1/inspections/{garden_patrol}"));
    assert_status(&seen, "submitted");
    assert_eq!(seen["may_issue"], true, "{seen}");
    let shrubs = RecordId::new().to_string();
    let swing = RecordId::new().to_string();
    for (notice, item, problem, party, due) in [
        (
            &shrubs,
            "greenery",
            "补种枯死灌木",
            "绿化外包公司",
            ms(13, 18, 0),
        ),
        (
            &swing,
            "play_equipment",
            "更换秋千链条",
            "游乐设施维保公司",
            ms(10, 18, 0),
        ),
    ] {
        head.post(
            &format!("/v1/inspections/{garden_patrol}/rectifications"),
            json!({"id": notice, "item_id": item, "problem": problem,
                   "responsible_party": party, "due_at": due}),
        );
    }
    let reviewed = head.at(6, 15, 0).post(
        &format!("/v1/inspections/{garden_patrol}/review"),
        json!({"text": "已发整改"}),
    );
    assert_status(&reviewed, "reviewed");
    assert_eq!(reviewed["rectifications"].as_array().unwrap().len(), 2);
    done.inspections.push(garden_patrol.clone());

    // Friday 7th. B is due today: the desk revisits it. The assistant's
    // building patrol finds a damp wall; the head sends it back for a photo
    // and a work order, the phone shows why, and it comes back complete:
    // the defect's order H goes to the desk with the photo.
    assert!(due_today(desk.at(7, 9, 0), &b_visit), "due on Friday");
    desk.at(7, 9, 30).phone_revisit(&b_visit, "very_satisfied");
    done.ratings.push(Satisfaction::VerySatisfied);
    assert_status(&desk.order(&b), "signed_off");
    done.revisits_due.push(b_visit);
    let building = checklist(&mut assistant, 7, 10, BUILDING_PATROL);
    let stair_patrol = patrol(
        &mut assistant,
        7,
        10,
        &building,
        area("lift-1", "1栋三楼楼道"),
        &[("walls", "三楼楼道墙面渗水")],
    );
    let reason = "请补拍渗水照片并开维修单";
    let sent_back = head.at(7, 14, 0).post(
        &format!("/v1/inspections/{stair_patrol}/send-back"),
        json!({"text": reason}),
    );
    assert_status(&sent_back, "in_progress");
    assistant.sync();
    let h = assistant.at(7, 15, 0, |s| {
        let patrol = id(&stair_patrol);
        let inspection = s.inspection(&patrol)?;
        assert_eq!(
            inspection.events.last().unwrap().reason.as_deref(),
            Some(reason),
            "the assistant sees why it came back"
        );
        s.add_item_photo(&patrol, "walls", b"jpeg of the damp wall", "image/jpeg")?;
        let order = s.open_order_from_defect(
            &patrol,
            "walls",
            OrderRequest {
                id: RecordId::new(),
                source: Source {
                    kind: SourceKind::PatrolFinding,
                    record_id: None,
                    item_id: None,
                },
                category: "general".into(),
                place: inspection.place.clone(),
                emergency: false,
                resident: Contact {
                    name: Personal("陈晨".into()),
                    phone: Personal("13800130000".into()),
                },
                content: "三楼楼道墙面渗水".into(),
                agreed_due_at: None,
                rework_of: None,
                paid_service: false,
            },
        )?;
        s.submit_inspection(&patrol)?;
        Ok(order.to_string())
    });
    assistant.sync();
    let resubmitted = head
        .at(7, 16, 0)
        .get(&format!("/v1/inspections/{stair_patrol}"));
    assert_status(&resubmitted, "submitted");
    let reviewed = head.post(
        &format!("/v1/inspections/{stair_patrol}/review"),
        json!({"text": "维修单已开"}),
    );
    assert_status(&reviewed, "reviewed");
    let h_view = desk.order(&h);
    assert_status(&h_view, "registered");
    assert_eq!(h_view["order"]["photos"].as_array().unwrap().len(), 1);
    let h_due = h_view["order"]["deadline"]["due_at"].as_i64().unwrap();
    done.inspections.push(stair_patrol.clone());
    done.orders.push(h.clone());

    // Monday 10th. The head plans the assistant's first home visit, made
    // that afternoon in person. Order C, a leaking pipe, is completed
    // without the resident's signature; the desk refuses the record and the
    // technician's phone says why. The swing's maintainer reports its work.
    let visit = RecordId::new().to_string();
    head.at(10, 8, 0).post(
        "/v1/revisits/home-visits",
        json!({"id": visit, "estate_id": ESTATE_A, "unit_id": unit(1),
               "assignee": staff_id("assistant"), "due_at": ms(10, 18, 0)}),
    );
    let (c, c_due) = registered_and_dispatched(&desk, 10, 9, "pipe_leak", "厨房水管漏水");
    worked(&mut tech, 10, 10, &c, false);
    let refused = desk.at(10, 14, 0).post(
        &format!("/v1/orders/{c}/refuse"),
        json!({"reason": "缺少业主签字"}),
    );
    assert_status(&refused, "in_progress");
    tech.sync();
    let refusal = tech.at(10, 14, 30, |s| s.order(&id(&c)));
    let refusal = refusal.events.last().unwrap();
    assert_eq!(
        (refusal.to, refusal.reason.as_deref()),
        (OrderStatus::InProgress, Some("缺少业主签字")),
        "the technician sees why the record came back"
    );
    assistant.sync();
    assistant.at(10, 15, 0, |s| {
        s.record_revisit(&id(&visit), in_person(""), Some(&signature_png(10)))
    });
    assistant.sync();
    done.ratings.push(Satisfaction::VerySatisfied);
    done.assistant_in_person += 1;
    done.revisits_due.push(visit);
    let reported = head.at(10, 17, 0).post(
        &format!("/v1/rectifications/{swing}/report"),
        json!({"report_id": "w1", "note": "已更换秋千链条"}),
    );
    assert_status(&reported, "awaiting_reinspection");

    // Tuesday 11th. Past its 24 hours, C is late on the office's list until
    // the technician finishes it again with the signature. Order H is
    // dispatched and done. The assistant re-inspects the swing: the old
    // chain is still on one side, and the maintainer loses two points.
    let late = desk.at(11, 9, 30).get("/v1/orders?overdue=true");
    let late: Vec<&Value> = late.as_array().unwrap().iter().collect();
    assert!(late.iter().any(|r| r["id"] == c.as_str()), "{late:?}");
    assert_eq!(desk.order(&c)["overdue"], true);
    dispatch(&desk, 11, 9, 40, &h);
    let c_done = worked(&mut tech, 11, 10, &c, true);
    assert_eq!(desk.order(&c)["overdue"], false, "finished, if late");
    done.orders.push(c.clone());
    done.finished(c_done, c_due);
    let h_done = worked(&mut tech, 11, 13, &h, true);
    done.finished(h_done, h_due);
    assistant.sync();
    assistant.at(11, 16, 0, |s| {
        s.reinspect(
            &id(&swing),
            &Reinspection::Penalty {
                points: 2,
                reason: "一侧仍为旧链条".into(),
            },
        )
    });
    assistant.sync();
    done.notices.push((swing.clone(), "closed_with_penalty"));

    // Wednesday 12th. C is reviewed, revisited and closed, and so is H
    // later. Order D is refused, then returned (退单) by the head: the resident's own brand
    // of lock, the maker repairs it. Reception sees the reason to tell the
    // resident, its revisit is no longer owed, and the desk closes it. The
    // shrubs' contractor reports its work.
    reviewed_revisited_closed(&head, &desk, &mut done, &c, 12, 8);
    let (d, _) = registered_and_dispatched(&desk, 12, 9, "door_lock", "智能门锁失灵");
    worked(&mut tech, 12, 12, &d, false);
    desk.at(12, 14, 0).post(
        &format!("/v1/orders/{d}/refuse"),
        json!({"reason": "业主拒绝签字"}),
    );
    let reason = "业主自购品牌,已告知联系厂家";
    let returned = head
        .at(12, 15, 0)
        .post(&format!("/v1/orders/{d}/return"), json!({"reason": reason}));
    assert_status(&returned, "returned");
    let row = desk
        .get("/v1/orders?status=returned")
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == d.as_str())
        .cloned()
        .expect("the returned order on reception's list");
    assert_eq!(row["facts"]["status_reason"], reason);
    let d_visits = desk.revisits_of(&d);
    assert_eq!(d_visits.len(), 1);
    assert_eq!(d_visits[0]["status"], "cancelled");
    desk.at(12, 16, 0)
        .post(&format!("/v1/orders/{d}/close"), json!({}));
    done.orders.push(d.clone());
    reviewed_revisited_closed(&head, &desk, &mut done, &h, 12, 16);
    assistant.at(12, 17, 0, |s| {
        s.report_rectified(
            &id(&shrubs),
            "r1",
            "已补种",
            &[(&b"jpeg of the new shrubs"[..], "image/jpeg")],
        )
    });
    assistant.sync();

    // Thursday 13th. A's resident calls back: the lock jams again. The desk
    // registers order G as A's rework (返修), done that morning. The
    // assistant re-inspects the shrubs: one is still missing, another round
    // by the 20th.
    let (g, g_due) = desk
        .at(13, 9, 0)
        .register(&unit(3), "door_lock", "门锁又卡住了", Some(&a));
    dispatch(&desk, 13, 9, 10, &g);
    let g_done = worked(&mut tech, 13, 10, &g, true);
    done.orders.push(g.clone());
    done.finished(g_done, g_due);
    done.reworks += 1;
    assistant.at(13, 14, 0, |s| {
        s.reinspect(
            &id(&shrubs),
            &Reinspection::Again {
                reason: "仍缺一株".into(),
                due_at: ms(20, 18, 0),
            },
        )
    });
    assistant.sync();
    assert_status(
        &head
            .at(13, 14, 30)
            .get(&format!("/v1/rectifications/{shrubs}")),
        "second_rectification",
    );

    // Friday 14th. G reviewed, revisited, closed.
    reviewed_revisited_closed(&head, &desk, &mut done, &g, 14, 9);
    assert_eq!(desk.order(&g)["order"]["links"]["rework_of"], a.as_str());

    // Monday 17th. Order E, a pump: a head-set category. The head sets its
    // deadline before it is dispatched.
    let (e, _) = desk
        .at(17, 9, 0)
        .register(&unit(17), "internal_equipment", "水泵异响", None);
    assert_eq!(head.order(&e)["may_set_deadline"], true);
    assert_eq!(desk.order(&e)["may_set_deadline"], false);
    let e_due = ms(26, 18, 0);
    head.at(17, 9, 30).post(
        &format!("/v1/orders/{e}/deadline"),
        json!({"due_at": e_due}),
    );
    dispatch(&desk, 17, 9, 40, &e);
    done.orders.push(e.clone());

    // Tuesday 18th. Order F, a dripping tap, is started but waits for
    // parts; E is done.
    let (f, _) = registered_and_dispatched(&desk, 18, 9, "general", "卫生间水龙头滴水");
    let e_done = worked(&mut tech, 18, 10, &e, true);
    done.finished(e_done, e_due);
    tech.at(18, 13, 0, |s| {
        s.accept(&id(&f))?;
        s.start_work(&id(&f))
    });
    tech.sync();
    done.orders.push(f.clone());

    // Wednesday 19th. E reviewed, revisited and closed. The desk asks for
    // F's extension, which waits for the head, who approves it. Complaint 1,
    // night-time renovation noise, on the usual path: dispatched, answered,
    // resolved and reported back the same evening. The shrubs' contractor
    // reports the second round.
    head.at(19, 9, 0).post(
        &format!("/v1/orders/{e}/review"),
        json!({"comment": "按期完成"}),
    );
    let ext = RecordId::new().to_string();
    let f_due = ms(26, 18, 0);
    desk.at(19, 9, 10).post(
        &format!("/v1/orders/{f}/extensions"),
        json!({"id": ext, "requested_due_at": f_due, "reason": "等配件到货"}),
    );
    let waiting = |who: &Office| {
        who.get("/v1/extensions")
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["order_id"] == f.as_str())
            .cloned()
    };
    assert_eq!(
        waiting(&head).expect("waits for the head")["may_decide"],
        true
    );
    let e_visit = repair_revisit(&desk, &e);
    desk.at(19, 10, 0).phone_revisit(&e_visit, "neutral");
    done.ratings.push(Satisfaction::Neutral);
    done.revisits_due.push(e_visit);
    head.at(19, 11, 0).post(
        &format!("/v1/orders/{f}/extensions/{ext}/decision"),
        json!({"approve": true}),
    );
    assert!(waiting(&head).is_none());
    assert_eq!(desk.order(&f)["order"]["deadline"]["due_at"], f_due);
    desk.at(19, 11, 10)
        .post(&format!("/v1/orders/{e}/close"), json!({}));
    assert_eq!(desk.order(&e)["order"]["deadline"]["due_at"], e_due);

    let (noise, noise_visit) = resolved_complaint(&desk, 19);
    desk.at(19, 21, 0)
        .post(&format!("/v1/complaints/{noise}/report-back"), json!({}));
    assistant.at(19, 21, 30, |s| {
        s.report_rectified(&id(&shrubs), "r2", "已全部补种", &[])
    });
    assistant.sync();

    // Thursday 20th. Complaint 1 revisited, classified valid, closed. The
    // shrubs pass their re-inspection. Complaint 2, noise again: the desk
    // calls the resident before security's report reaches it (within its
    // two hours); the report-back then finds it revisited.
    desk.at(20, 9, 0).phone_revisit(&noise_visit, "satisfied");
    done.ratings.push(Satisfaction::Satisfied);
    head.at(20, 9, 40).post(
        &format!("/v1/complaints/{noise}/classify"),
        json!({"valid": true}),
    );
    let closed = desk
        .at(20, 10, 0)
        .post(&format!("/v1/complaints/{noise}/close"), json!({}));
    assert_status(&closed, "closed");
    done.valid_complaints += 1;
    done.complaints.push(noise);
    done.revisits_due.push(noise_visit);
    assistant.at(20, 11, 0, |s| {
        s.reinspect(
            &id(&shrubs),
            &Reinspection::Passed {
                note: "复查合格".into(),
            },
        )
    });
    assistant.sync();
    done.notices.push((shrubs.clone(), "rectified"));
    let (again, again_visit) = resolved_complaint(&desk, 20);
    desk.at(20, 21, 0).phone_revisit(&again_visit, "satisfied");
    done.ratings.push(Satisfaction::Satisfied);
    assert_status(&desk.complaint(&again)["board"], "resolved");
    let reported = desk
        .at(20, 21, 45)
        .post(&format!("/v1/complaints/{again}/report-back"), json!({}));
    assert_status(&reported, "revisited");

    // Friday 21st. Complaint 2 is classified not valid and closed.
    head.at(21, 9, 40).post(
        &format!("/v1/complaints/{again}/classify"),
        json!({"valid": false}),
    );
    let closed = desk
        .at(21, 10, 0)
        .post(&format!("/v1/complaints/{again}/close"), json!({}));
    assert_status(&closed, "closed");
    done.complaints.push(again);
    done.revisits_due.push(again_visit);

    // Monday 24th. The second home visit. Order I, a leak due within 24
    // hours, needs a length of pipe that comes the day after tomorrow: on
    // site, the technician asks for more time and the resident agrees on
    // the phone; the head approves at the office. At night, an emergency:
    // a burst main. The departments are told within three minutes, the head
    // escalates to the site within five and the director to the company
    // within ten; engineering is sent with a work order the desk registers
    // for the complaint.
    let visit = RecordId::new().to_string();
    head.at(24, 8, 0).post(
        "/v1/revisits/home-visits",
        json!({"id": visit, "estate_id": ESTATE_A, "unit_id": unit(2),
               "assignee": staff_id("assistant"), "due_at": ms(24, 18, 0)}),
    );
    let (i, _) = registered_and_dispatched(&desk, 24, 9, "pipe_leak", "阳台水管渗漏");
    tech.sync();
    let i_due = ms(26, 18, 0);
    let asked = tech.at(24, 10, 0, |s| {
        s.accept(&id(&i))?;
        s.start_work(&id(&i))?;
        let approval = s.request_extension(&id(&i), "i-1", i_due, "需更换整段管道,配件后天到")?;
        s.record_resident_consent(&id(&i), "i-1", true)?;
        Ok(approval)
    });
    assert!(
        asked.needs_resident_consent,
        "past 24 hours the resident must agree"
    );
    tech.sync();
    let waiting = head
        .at(24, 11, 0)
        .get("/v1/extensions")
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["order_id"] == i.as_str())
        .cloned()
        .expect("the extension waits for the head");
    assert_eq!(waiting["extension"]["resident_consent"], true, "{waiting}");
    assert_eq!(waiting["may_decide"], true, "{waiting}");
    head.post(
        &format!("/v1/orders/{i}/extensions/i-1/decision"),
        json!({"approve": true}),
    );
    assert_eq!(desk.order(&i)["order"]["deadline"]["due_at"], i_due);
    done.orders.push(i.clone());
    assistant.sync();
    assistant.at(24, 15, 0, |s| {
        s.record_revisit(&id(&visit), in_person(""), Some(&signature_png(24)))
    });
    assistant.sync();
    done.ratings.push(Satisfaction::VerySatisfied);
    done.assistant_in_person += 1;
    done.revisits_due.push(visit);
    let em = desk
        .at(24, 20, 0)
        .receive_complaint(&unit(24), "地下室水管爆裂", true);
    desk.at(24, 20, 2).post(
        &format!("/v1/complaints/{em}/notify-departments"),
        json!({}),
    );
    head.at(24, 20, 4).post(
        &format!("/v1/complaints/{em}/escalate"),
        json!({"level": "site"}),
    );
    director.at(24, 20, 4).post(
        &format!("/v1/complaints/{em}/escalate"),
        json!({"level": "company"}),
    );
    desk.at(24, 20, 5).post(
        &format!("/v1/complaints/{em}/dispatch"),
        json!({"department": "engineering"}),
    );
    // The desk registers the repair for the complaint, an emergency order
    // at its place, and the technician on call does it on the phone.
    let burst = desk.at(24, 20, 6).post(
        &format!("/v1/complaints/{em}/orders"),
        json!({"category": "pipe_leak", "content": "地下室主水管爆裂"}),
    );
    let burst_order = burst["id"].as_str().unwrap().to_owned();
    let burst_due = burst["due_at"].as_i64().unwrap();
    dispatch(&desk, 24, 20, 7, &burst_order);
    let on_board = desk.at(24, 20, 20).complaint(&em);
    assert_ne!(on_board["board"]["stage"], "overdue", "{on_board}");
    assert_eq!(on_board["complaint"]["order_ids"], json!([burst_order]));
    let burst_view = desk.order(&burst_order);
    assert_eq!(burst_view["order"]["emergency"], true, "{burst_view}");
    assert_eq!(
        burst_view["order"]["links"]["complaint_id"],
        em.as_str(),
        "{burst_view}"
    );
    let burst_done = worked(&mut tech, 24, 21, &burst_order, true);
    done.orders.push(burst_order.clone());
    done.finished(burst_done, burst_due);
    desk.at(24, 23, 0).post(
        &format!("/v1/complaints/{em}/resolve"),
        json!({"text": "关阀更换主管"}),
    );

    // Tuesday 25th. The emergency is reported back after midnight and
    // verified by morning; the head's written report follows; the board no
    // longer shows it escalated; revisited, classified, closed, and so is
    // its order. F's parts have come: the tap is done within its extended
    // deadline.
    desk.at(25, 0, 30)
        .post(&format!("/v1/complaints/{em}/report-back"), json!({}));
    desk.at(25, 6, 0).post(
        &format!("/v1/complaints/{em}/verify"),
        json!({"text": "现场无渗漏"}),
    );
    head.at(25, 9, 0).post(
        &format!("/v1/complaints/{em}/written-report"),
        json!({"level": "site", "text": "主阀门老化爆裂"}),
    );
    let board = desk.at(25, 9, 30).get("/v1/complaints/board");
    let em_on_board = board
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == em.as_str())
        .cloned();
    assert!(
        em_on_board
            .as_ref()
            .is_none_or(|c| c["stage"] != "escalated" && c["stage"] != "overdue"),
        "its steps are taken: {em_on_board:?}"
    );
    let em_visit = prompt_revisit(&desk, &em);
    desk.at(25, 10, 0).phone_revisit(&em_visit, "satisfied");
    done.ratings.push(Satisfaction::Satisfied);
    head.at(25, 10, 30).post(
        &format!("/v1/complaints/{em}/classify"),
        json!({"valid": true}),
    );
    desk.at(25, 11, 0)
        .post(&format!("/v1/complaints/{em}/close"), json!({}));
    done.valid_complaints += 1;
    done.complaints.push(em.clone());
    done.revisits_due.push(em_visit);
    reviewed_revisited_closed(&head, &desk, &mut done, &burst_order, 25, 11);
    let f_done = worked(&mut tech, 25, 13, &f, true);
    done.finished(f_done, f_due);

    // Wednesday 26th. The director's written report to the company, within
    // its 48 hours. F reviewed; on its revisit the resident's account
    // differs from the technician's, so the desk sends the assistant, who
    // goes round that afternoon. The pipe for I has come: done by its new
    // deadline.
    director.at(26, 8, 30).post(
        &format!("/v1/complaints/{em}/written-report"),
        json!({"level": "company", "text": "主阀门老化,已列入更新计划"}),
    );
    head.at(26, 9, 0).post(
        &format!("/v1/orders/{f}/review"),
        json!({"comment": "已更换阀芯"}),
    );
    let f_visit = repair_revisit(&desk, &f);
    desk.at(26, 10, 0).post(
        &format!("/v1/revisits/{f_visit}/phone"),
        json!({"satisfaction": "dissatisfied", "comments": "住户说仍在滴水", "discrepancy": true}),
    );
    done.ratings.push(Satisfaction::Dissatisfied);
    let administrator_owed = |desk: &Office| {
        follow_ups(desk)
            .iter()
            .any(|u| u["need"] == "send_administrator" && u["revisit"]["id"] == f_visit.as_str())
    };
    assert!(administrator_owed(&desk));
    let sent = desk.at(26, 10, 30).post(
        &format!("/v1/revisits/{f_visit}/send-administrator"),
        json!({"administrator": staff_id("assistant")}),
    );
    assert!(!administrator_owed(&desk));
    let site_visit = sent["ids"][0].as_str().unwrap().to_owned();
    assistant.sync();
    assistant.at(26, 15, 0, |s| {
        s.record_revisit(
            &id(&site_visit),
            Outcome {
                satisfaction: Some(Satisfaction::Satisfied),
                resident_name: Personal("王女士".into()),
                ..in_person("现场查看,阀芯已换,滴水系热水器泄压")
            },
            Some(&signature_png(26)),
        )
    });
    assistant.sync();
    done.ratings.push(Satisfaction::Satisfied);
    done.assistant_in_person += 1;
    done.revisits_due.push(f_visit);
    done.revisits_due.push(site_visit);

    let i_done = worked(&mut tech, 26, 16, &i, true);
    done.finished(i_done, i_due);

    // Thursday 27th. F closed; I reviewed, revisited and closed.
    let closed = desk
        .at(27, 9, 0)
        .post(&format!("/v1/orders/{f}/close"), json!({}));
    assert_status(&closed, "closed");
    reviewed_revisited_closed(&head, &desk, &mut done, &i, 27, 10);

    // Friday 28th. The head draws the month's complaint sample (10 %, a
    // third of it in person): drawn once, its visit made in person by the
    // complaints' first contact with the resident's signature. The effect
    // revisits the complaints' resolution planned fall due next month; the
    // desk makes them now. At the monthly review the head reviews B, long
    // since revisited, which can then be closed.
    let month = format!("{YEAR}-{MONTH}");
    let drawn = head.at(28, 14, 0).post(
        "/v1/revisits/complaint-sample",
        json!({"estate_id": ESTATE_A, "month": month}),
    );
    let sample: Vec<String> = drawn["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sample.len(),
        done.complaints.len().div_ceil(10),
        "{sample:?}"
    );
    let again = head.post(
        "/v1/revisits/complaint-sample",
        json!({"estate_id": ESTATE_A, "month": month}),
    );
    assert_eq!(again["ids"], json!(sample), "drawn once");
    for c in done.complaints.clone() {
        for effect in desk
            .revisits_of(&c)
            .iter()
            .filter(|r| r["status"] == "planned" && !sample.iter().any(|s| r["id"] == s.as_str()))
        {
            assert!(
                effect["due_at"].as_i64().unwrap() >= ms(31, 0, 0),
                "only next month's revisits are left: {effect}"
            );
            desk.at(28, 15, 0)
                .phone_revisit(effect["id"].as_str().unwrap(), "very_satisfied");
            done.ratings.push(Satisfaction::VerySatisfied);
        }
    }
    reception_phone.sync();
    for visit in &sample {
        reception_phone.at(28, 16, 0, |s| {
            assert_eq!(s.revisit(&id(visit))?.planned_method, Method::InPerson);
            s.record_revisit(&id(visit), in_person(""), Some(&signature_png(28)))
        });
        done.ratings.push(Satisfaction::VerySatisfied);
    }
    reception_phone.sync();
    assert_status(&desk.order(&b), "signed_off");
    let reviewed = head.at(28, 16, 30).post(
        &format!("/v1/orders/{b}/review"),
        json!({"comment": "月底审核"}),
    );
    assert_status(&reviewed, "revisited");
    let closed = desk
        .at(28, 17, 0)
        .post(&format!("/v1/orders/{b}/close"), json!({}));
    assert_status(&closed, "closed");

    // Monday 1 December. Every record of the estate the month opened has
    // reached its end, as the office reads each one.
    let office = head.at(31, 9, 0);
    for order in &done.orders {
        assert_status(&office.order(order), "closed");
    }
    for c in &done.complaints {
        let board = &office.complaint(c)["board"];
        assert_status(board, "closed");
        let late: Vec<_> = board["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["state"] != "met")
            .collect();
        assert!(late.is_empty(), "every clock met: {board}");
    }
    for patrol in &done.inspections {
        assert_status(
            &office.get(&format!("/v1/inspections/{patrol}")),
            "reviewed",
        );
    }
    for (notice, end) in &done.notices {
        assert_status(&office.get(&format!("/v1/rectifications/{notice}")), end);
    }
    let (from, until) = (ms(1, 0, 0), ms(31, 0, 0));
    for list in [
        "orders",
        "complaints",
        "revisits",
        "inspections",
        "rectifications",
    ] {
        let open: Vec<Value> = office
            .get(&format!("/v1/{list}?estate={ESTATE_A}"))
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let created = r["created_at"].as_i64().unwrap();
                (from..until).contains(&created) && r["open"] == true
            })
            .cloned()
            .collect();
        assert!(open.is_empty(), "{list} the month left open: {open:?}");
    }
    let revisits = office.get("/v1/revisits");
    for visit in &done.revisits_due {
        let row = revisits
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == visit.as_str())
            .unwrap();
        assert_eq!(row["status"], "done", "{row}");
        let due = row["due_at"].as_i64().unwrap();
        assert!((from..until).contains(&due), "owed in November: {row}");
    }

    // The phones, synced, see the same ends: the technician's orders, the
    // assistant's patrols and notices.
    tech.sync();
    assistant.sync();
    tech.at(31, 9, 30, |s| {
        for order in &done.orders {
            assert_eq!(s.order(&id(order))?.status(), Some(OrderStatus::Closed));
        }
        Ok(())
    });
    assistant.at(31, 9, 30, |s| {
        for patrol in &done.inspections {
            let status = s.inspection(&id(patrol))?.status().map(|st| st.name());
            assert_eq!(status, Some("reviewed"));
        }
        for (notice, end) in &done.notices {
            let status = s.rectification(&id(notice))?.status().map(|st| st.name());
            assert_eq!(status, Some(*end));
        }
        Ok(())
    });

    // And the month's report counts what was done.
    let r = office.get(&format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={month}"
    ));
    assert_eq!(r["requests_total"], done.orders.len(), "{r}");
    let mut by_category = std::collections::BTreeMap::<String, u32>::new();
    for order in &done.orders {
        let category = office.order(order)["order"]["category"]
            .as_str()
            .unwrap()
            .to_owned();
        *by_category.entry(category).or_default() += 1;
    }
    assert_eq!(r["requests_by_category"], json!(by_category), "{r}");
    let on_time = done.completed.iter().filter(|(at, due)| at <= due).count();
    assert_eq!(
        (&r["completed"], &r["completed_on_time"]),
        (&json!(done.completed.len()), &json!(on_time)),
        "{r}"
    );
    assert_eq!(r["rework_count"], done.reworks, "{r}");
    assert_eq!(r["complaints_total"], done.complaints.len(), "{r}");
    assert_eq!(r["valid_complaints"], done.valid_complaints, "{r}");
    assert_eq!(
        (&r["revisits_due"], &r["revisits_done"]),
        (
            &json!(done.revisits_due.len()),
            &json!(done.revisits_due.len())
        ),
        "{r}"
    );
    assert_eq!(r["revisit_handling_on_target"], true, "{r}");
    let satisfied = done.ratings.iter().filter(|s| s.is_satisfied()).count();
    let rate = r["satisfaction_rate"].as_f64().unwrap();
    assert!(
        (rate - satisfied as f64 / done.ratings.len() as f64).abs() < 1e-9,
        "{satisfied} of {} satisfied: {r}",
        done.ratings.len()
    );
    let quota = r["quota"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["staff_id"] == staff_id("assistant").as_str())
        .cloned()
        .unwrap();
    let owed = estate.rules().quota_for(Role::PropertyAssistant);
    assert_eq!(quota["done"], done.assistant_in_person, "{quota}");
    assert_eq!(
        quota["short_by"],
        owed - done.assistant_in_person,
        "{quota}"
    );
}
