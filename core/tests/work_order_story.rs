//! A technician's repair from registration to close, and the merges the field
//! brings: the same story the Kotlin test tells.

use rounds_core::documents::work_order::*;
use rounds_core::documents::{Current, Record, RecordDoc};
use rounds_core::places::Personal;
use rounds_core::signoff::{DeviceKey, SignOffValidity};
use rounds_core::{blobs, DeviceId, Role};

use crate::common;
use common::*;

fn draft() -> OrderDraft {
    order_draft("u-1-302", T0 + 24 * HOUR)
}

/// A second replica of the same record, as another device holds it.
fn replica(doc: &mut WorkOrderDoc, device: DeviceId) -> WorkOrderDoc {
    let bytes = doc.record_mut().save();
    WorkOrderDoc::from_record(RecordDoc::load(&bytes, device).unwrap()).unwrap()
}

/// The technician's phone takes the dispatched order and completes it.
fn completed_in_the_field(office: &mut WorkOrderDoc, phone: DeviceId) -> WorkOrderDoc {
    let mut field = replica(office, phone);
    let tech = |at| who("t1", Role::Technician, phone, at);
    field.accept(&tech(T0 + 1)).unwrap();
    field.start(&tech(T0 + 2)).unwrap();
    field
        .record_work(&work_done(T0 + 2), &tech(T0 + HOUR))
        .unwrap();
    field.complete(&tech(T0 + HOUR)).unwrap();
    field
}

fn merge(a: &mut WorkOrderDoc, b: &mut WorkOrderDoc) {
    a.record_mut().merge(b.record_mut()).unwrap();
    b.record_mut().merge(a.record_mut()).unwrap();
}

#[test]
fn technician_and_receptionist_edit_offline_and_both_keep_their_work() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let mut office =
        WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0)).unwrap();
    office
        .dispatch("t1", &who("r1", Role::Receptionist, desk, T0 + 1))
        .unwrap();
    let mut field = replica(&mut office, phone);
    let tech = |at| who("t1", Role::Technician, phone, at);

    field.accept(&tech(T0 + 10)).unwrap();
    field.start(&tech(T0 + 20)).unwrap();
    field
        .add_material(
            &Material {
                id: "m1".into(),
                name: "水管接头".into(),
                quantity: 2.0,
                unit: "个".into(),
                unit_price_fen: 500,
            },
            &tech(T0 + 30),
        )
        .unwrap();
    field.add_note("n1", "阀门老化", &tech(T0 + 31)).unwrap();
    office
        .set_contact(
            &Contact {
                name: Personal("王芳".into()),
                phone: Personal("13900139000".into()),
            },
            &who("r1", Role::Receptionist, desk, T0 + 40),
        )
        .unwrap();
    office
        .add_note(
            "n2",
            "业主下午在家",
            &who("r1", Role::Receptionist, desk, T0 + 41),
        )
        .unwrap();

    merge(&mut office, &mut field);
    for o in [office.read().unwrap(), field.read().unwrap()] {
        assert_eq!(o.status(), Some(OrderStatus::InProgress));
        assert_eq!(o.materials.len(), 1);
        assert_eq!(o.resident.phone.0, "13900139000");
        assert_eq!(o.notes.len(), 2);
    }
}

#[test]
fn completed_on_one_device_returned_on_another_is_a_conflict_for_a_person() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let mut office =
        WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0)).unwrap();
    office
        .dispatch("t1", &who("r1", Role::Receptionist, desk, T0))
        .unwrap();
    let mut field = completed_in_the_field(&mut office, phone);
    office
        .return_order(
            "业主要求自行维修",
            &who("s1", Role::Supervisor, desk, T0 + 5),
        )
        .unwrap();

    merge(&mut office, &mut field);
    let o = office.read().unwrap();
    let Current::Conflict(candidates) = o.current() else {
        panic!("expected a conflict, got {:?}", o.current())
    };
    assert_eq!(candidates.len(), 2);
    // Nothing moves until a head chooses.
    assert!(office
        .close(&who("r1", Role::Receptionist, desk, T0 + 2 * HOUR))
        .is_err());
    assert!(office
        .resolve_conflict(
            OrderStatus::Completed,
            "已修好",
            &who("r1", Role::Receptionist, desk, T0)
        )
        .is_err());
    office
        .resolve_conflict(
            OrderStatus::Completed,
            "已修好",
            &who("s1", Role::Supervisor, desk, T0 + 2 * HOUR),
        )
        .unwrap();
    assert_eq!(
        office.read().unwrap().status(),
        Some(OrderStatus::Completed)
    );
}

#[test]
fn a_late_concurrent_edit_invalidates_the_signoff_and_keeps_the_signed_version() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let key = DeviceKey::generate().unwrap();
    let mut office =
        WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0)).unwrap();
    office
        .dispatch("t1", &who("r1", Role::Receptionist, desk, T0))
        .unwrap();
    let mut field = completed_in_the_field(&mut office, phone);
    let tech = |at| who("t1", Role::Technician, phone, at);
    let mut second_phone = replica(&mut field, DeviceId::new());
    let image = blobs::hash_bytes(b"signature strokes");
    let signoff = field
        .sign_off("王芳", &image, &key, &tech(T0 + HOUR + 1))
        .unwrap();
    assert_eq!(
        field.read().unwrap().signoff_validity(),
        SignOffValidity::Valid
    );

    // A helper's phone, offline, added a material before it heard of the signature.
    second_phone
        .add_material(
            &Material {
                id: "m9".into(),
                name: "密封圈".into(),
                quantity: 1.0,
                unit: "个".into(),
                unit_price_fen: 100,
            },
            &who("t2", Role::Technician, DeviceId::new(), T0 + HOUR),
        )
        .unwrap();
    merge(&mut field, &mut second_phone);

    let o = field.read().unwrap();
    assert!(matches!(
        o.signoff_validity(),
        SignOffValidity::Changed { .. }
    ));
    assert!(field
        .review("ok", &who("s1", Role::Supervisor, desk, T0 + 2 * HOUR))
        .is_err());
    let signed = field.signed_version(&signoff).unwrap();
    assert!(
        signed.materials.is_empty(),
        "the signed version is the one without the late material"
    );
    assert_eq!(o.materials.len(), 1);
}

#[test]
fn refused_transitions_are_typed_errors_and_save_nothing() {
    let desk = DeviceId::new();
    let mut order =
        WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0)).unwrap();
    let before = order.record_mut().save();
    let err = order
        .accept(&who("t1", Role::Technician, desk, T0))
        .unwrap_err();
    assert!(err.to_string().contains("assigned"), "{err}");
    let err = order
        .dispatch("t1", &who("t1", Role::Technician, desk, T0))
        .unwrap_err();
    assert!(
        matches!(err, rounds_core::RecordError::Transition(_)),
        "{err}"
    );
    assert_eq!(order.record_mut().save(), before);
}

/// Who may decide an extension is one rule: the record refuses exactly the
/// people the office's list says may not decide it.
#[test]
fn only_those_senior_enough_decide_an_extension_as_the_list_says() {
    let desk = DeviceId::new();
    for (approver, role) in [Role::Supervisor, Role::Director]
        .into_iter()
        .flat_map(|a| Role::ALL.map(|r| (a, r)))
    {
        let mut o =
            WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0))
                .unwrap();
        o.dispatch("t1", &who("r1", Role::Receptionist, desk, T0 + 1))
            .unwrap();
        o.request_extension(
            "x1",
            T0 + 72 * HOUR,
            "配件缺货",
            approver,
            false,
            &who("t1", Role::Technician, desk, T0 + 2),
        )
        .unwrap();
        let ext = o.read().unwrap().extensions[0].clone();
        let decided = o.decide_extension("x1", true, &who("p", role, desk, T0 + 3));
        assert_eq!(
            decided.is_ok(),
            ext.may_be_decided_by(role),
            "{role:?} deciding an extension for {approver:?}: {decided:?}"
        );
        let expected =
            role == Role::Director || (role == Role::Supervisor && approver == Role::Supervisor);
        assert_eq!(decided.is_ok(), expected, "{role:?} for {approver:?}");
    }
}

/// A record reception refused (拒收) is back with the technician: not
/// finished, so late once its deadline passes (as the month's report counts
/// it finished only when completed again), whether the office reads the
/// order whole or its list row.
#[test]
fn overdue_is_the_same_for_the_order_and_its_row() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let due = T0 + 24 * HOUR;
    let mut office =
        WorkOrderDoc::register(&draft(), desk, &who("r1", Role::Receptionist, desk, T0)).unwrap();
    office
        .dispatch("t1", &who("r1", Role::Receptionist, desk, T0))
        .unwrap();
    let open = office.read().unwrap();
    let row = office.index_row().unwrap();
    for now in [due - 1, due + 1] {
        assert_eq!(open.is_overdue(now), now > due);
        assert_eq!(row.is_overdue(now), open.is_overdue(now));
    }

    let mut field = completed_in_the_field(&mut office, phone);
    field
        .refuse(
            "缺签字",
            &who("r1", Role::Receptionist, desk, T0 + 2 * HOUR),
        )
        .unwrap();
    let refused = field.read().unwrap();
    assert_eq!(refused.status(), Some(OrderStatus::InProgress));
    let row = field.index_row().unwrap();
    assert!(!refused.is_overdue(due - 1));
    assert!(refused.is_overdue(due + HOUR));
    assert_eq!(row.is_overdue(due - 1), refused.is_overdue(due - 1));
    assert_eq!(row.is_overdue(due + HOUR), refused.is_overdue(due + HOUR));
}
