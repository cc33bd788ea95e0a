//! Phones that worked offline reconnect in random order, against a real
//! server, and everyone ends up with the same records and every side's work.

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::Record;
use rounds_core::store::DocumentStore;
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::*;

fn offline_edits_from_three_phones_converge_in_any_order(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut desk = Device::login(&base, "reception");
    let mut head = Device::login(&base, "supervisor");
    for d in [&mut tech, &mut desk, &mut head] {
        d.sync().unwrap();
    }
    let first = tech.ids().len();
    assert!(
        first > 30,
        "the first sync brings the estate's month of records ({first})"
    );
    assert_eq!(desk.ids().len(), first);

    // Offline: the technician accepts and notes the orders dispatched to them,
    // the desk registers new ones and notes the same orders, the supervisor
    // returns one that no one has accepted yet.
    let mine: Vec<RecordId> = tech
        .store
        .open_orders_for("s-tech")
        .unwrap()
        .into_iter()
        .filter(|r| r.status == "dispatched")
        .map(|r| RecordId::parse(&r.id).unwrap())
        .collect();
    assert!(
        mine.len() >= 4,
        "the demo dispatched orders to the technician"
    );
    let now = now_millis();
    for (i, id) in mine.iter().enumerate().skip(1) {
        let who = tech.who(now + i as i64);
        tech.store
            .edit(id, |o: &mut WorkOrderDoc, _| {
                o.accept(&who)?;
                o.add_note(&format!("t{i}"), "已到现场 / on site", &who)
            })
            .unwrap();
        let who = desk.who(now + i as i64);
        desk.store
            .edit(id, |o: &mut WorkOrderDoc, _| {
                o.add_note(
                    &format!("d{i}"),
                    "业主下午在家 / resident home after 2pm",
                    &who,
                )
            })
            .unwrap();
    }
    let who = head.who(now);
    head.store
        .edit(&mine[0], |o: &mut WorkOrderDoc, _| {
            o.return_order("需厂家维修 / needs the maker", &who)
        })
        .unwrap();
    let mut new_orders = vec![];
    for i in 0..5 {
        let mut order = WorkOrderDoc::register(
            &order_draft(ESTATE_A, "e-sunshine-1-1-101", &format!("新报修 {i}")),
            desk.store.device_id(),
            &desk.who(now),
        )
        .unwrap();
        desk.store.create(&mut order).unwrap();
        new_orders.push(order.record().id().clone());
    }

    // Reconnect in shuffled orders, a few times over, until quiet.
    let mut seed = 0x5eed_2026_u64;
    let mut devices = vec![tech, desk, head];
    for _ in 0..3 {
        for i in shuffled((0..devices.len()).collect(), &mut seed) {
            let summary = devices[i].sync().unwrap();
            assert!(summary.refused.is_empty(), "{:?}", summary.refused);
        }
    }
    server.kill();
    assert_converged(&server, &devices.iter().collect::<Vec<_>>());

    // Every side's additions are there, on every phone.
    for d in &devices {
        for (i, id) in mine.iter().enumerate().skip(1) {
            let o = d.store.get::<WorkOrderDoc>(id).unwrap().read().unwrap();
            let notes: Vec<&str> = o.notes.iter().map(|n| n.id.as_str()).collect();
            assert!(
                notes.contains(&format!("t{i}").as_str())
                    && notes.contains(&format!("d{i}").as_str()),
                "{notes:?}"
            );
            assert_eq!(o.status().map(|s| s.label().en), Some("Accepted"));
        }
        let returned = d
            .store
            .get::<WorkOrderDoc>(&mine[0])
            .unwrap()
            .read()
            .unwrap();
        assert_eq!(returned.status().map(|s| s.label().en), Some("Returned"));
        for id in &new_orders {
            assert!(
                d.store.load(id).is_ok(),
                "{} has the desk's new order",
                d.staff.id
            );
        }
    }
}

on_both_backends!(offline_edits_from_three_phones_converge_in_any_order,);
