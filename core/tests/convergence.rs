//! Random concurrent edits on several replicas, merged in any order through
//! a server that judges every change by the write policy, are never refused
//! there and converge to the same record, keeping every side's additions.

use crate::common;

use common::*;
use proptest::prelude::*;
use rounds_core::documents::work_order::*;
use rounds_core::documents::{Current, Record, RecordDoc};
use rounds_core::places::Personal;
use rounds_core::policy::{self, Author, Context, DocLimits};
use rounds_core::rules::RulesConfig;
use rounds_core::{blobs, DeviceId, Role};

#[derive(Debug, Clone)]
enum Edit {
    Note(String),
    Material(u8),
    Phone(u32),
    Work(String, i64),
    Photo(u8),
    Step(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        "[a-z一二三]{1,8}".prop_map(Edit::Note),
        any::<u8>().prop_map(Edit::Material),
        (0u32..1_000_000).prop_map(Edit::Phone),
        ("[a-z]{1,6}", 0i64..600).prop_map(|(w, m)| Edit::Work(w, m)),
        any::<u8>().prop_map(Edit::Photo),
        (0u8..6).prop_map(Edit::Step),
    ]
}

struct Replica {
    doc: WorkOrderDoc,
    device: DeviceId,
    staff: String,
    role: Role,
    added: Vec<String>,
    clock: i64,
}

fn judge(
    doc: &mut RecordDoc,
    since: &[automerge::ChangeHash],
    author: &Author,
) -> Result<(), policy::Violation> {
    let (rules, limits) = (RulesConfig::default(), DocLimits::default());
    let ctx = Context {
        rules: &rules,
        limits: &limits,
    };
    policy::judge_since(doc, since, author, &ctx)
}

impl Replica {
    fn author(&self) -> Author {
        Author {
            staff_id: self.staff.clone(),
            role: self.role,
            device: self.device,
            device_key: None,
        }
    }

    /// One edit as the phone's session makes it: the document's own checks,
    /// then the write policy; either refusal leaves nothing behind.
    fn apply(&mut self, e: &Edit, n: usize) {
        let kept = self.doc.record().clone();
        let before = self.doc.record_mut().heads();
        let added = self.added.len();
        if self.edit(e, n).is_ok() {
            let author = self.author();
            if judge(self.doc.record_mut(), &before, &author).is_ok() {
                return;
            }
        }
        self.doc = WorkOrderDoc::from_record(kept).unwrap();
        self.added.truncate(added);
    }

    fn edit(&mut self, e: &Edit, n: usize) -> Result<(), rounds_core::RecordError> {
        self.clock += 1;
        let who = who(&self.staff, self.role, self.device, T0 + self.clock);
        let tag = format!("{}-{n}", self.device);
        let d = &mut self.doc;
        match e {
            Edit::Note(t) => d
                .add_note(&tag, t, &who)
                .map(|_| self.added.push(tag.clone())),
            Edit::Material(q) => d
                .add_material(
                    &Material {
                        id: tag.clone(),
                        name: format!("料{q}"),
                        quantity: (*q as f64 + 1.0) / 2.0,
                        unit: "个".into(),
                        unit_price_fen: *q as i64,
                    },
                    &who,
                )
                .map(|_| self.added.push(tag.clone())),
            Edit::Phone(p) => d.set_contact(
                &Contact {
                    name: Personal("王芳".into()),
                    phone: Personal(format!("138{p:08}")),
                },
                &who,
            ),
            Edit::Work(w, m) => d.record_work(
                &WorkRecord {
                    work_done: w.clone(),
                    started_at: Some(T0),
                    ended_at: Some(T0 + m * 60_000),
                    prep_minutes: 5,
                },
                &who,
            ),
            Edit::Photo(b) => d
                .add_photo(
                    &Photo {
                        id: tag.clone(),
                        hash: blobs::hash_bytes(&[*b]),
                        by: self.staff.clone(),
                        at: T0,
                        caption: String::new(),
                    },
                    &who,
                )
                .map(|_| self.added.push(tag.clone())),
            Edit::Step(s) => match s {
                0 => d.accept(&who),
                1 => d.start(&who),
                2 => d.complete(&who),
                3 => d.dispatch("t1", &who),
                4 => d.return_order("无法维修", &who),
                _ => d.refuse("缺签字", &who),
            },
        }
    }
}

/// The server's copy and the replicas, all starting from the dispatched order.
fn replicas(n: usize) -> (RecordDoc, Vec<Replica>) {
    let desk = DeviceId::new();
    let mut origin = WorkOrderDoc::register(
        &order_draft("u-1", T0 + HOUR),
        desk,
        &who("r1", Role::Receptionist, desk, T0),
    )
    .unwrap();
    origin
        .dispatch("t1", &who("r1", Role::Receptionist, desk, T0))
        .unwrap();
    let bytes = origin.record_mut().save();
    let people = [
        ("t1", Role::Technician),
        ("r1", Role::Receptionist),
        ("s1", Role::Supervisor),
    ];
    let replicas = (0..n)
        .map(|i| {
            let device = DeviceId::new();
            let (staff, role) = people[i % people.len()];
            Replica {
                doc: WorkOrderDoc::from_record(RecordDoc::load(&bytes, device).unwrap()).unwrap(),
                device,
                staff: staff.into(),
                role,
                added: vec![],
                clock: 0,
            }
        })
        .collect();
    (RecordDoc::load(&bytes, DeviceId::new()).unwrap(), replicas)
}

/// A replica syncs: the server judges what it brings (each change at its own
/// dependencies, as made by that replica's person), then it takes the rest.
fn sync(server: &mut RecordDoc, r: &mut Replica) -> Result<(), TestCaseError> {
    let before = server.heads();
    let bytes = r.doc.record_mut().save();
    let mut merged = server.clone();
    merged.apply(&bytes).unwrap();
    if let Err(v) = judge(&mut merged, &before, &r.author()) {
        return Err(TestCaseError::fail(format!(
            "the server refused {}'s honest work: {v}",
            r.staff
        )));
    }
    *server = merged;
    let bytes = server.save();
    r.doc.record_mut().apply(&bytes).unwrap();
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_keep_every_sides_additions(
        edits in prop::collection::vec(prop::collection::vec(edit(), 0..8), 3),
        partial in prop::collection::vec((0usize..3, 0usize..3), 0..6),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let (mut server, mut rs) = replicas(3);
        // Edits interleaved with syncs of some replicas, in a random order.
        for (round, step) in partial.iter().enumerate() {
            for (i, r) in rs.iter_mut().enumerate() {
                if let Some(e) = edits[i].get(round) {
                    r.apply(e, round);
                }
            }
            sync(&mut server, &mut rs[step.0])?;
            sync(&mut server, &mut rs[step.1])?;
        }
        for (i, r) in rs.iter_mut().enumerate() {
            for (n, e) in edits[i].iter().enumerate().skip(partial.len()) {
                r.apply(e, n);
            }
        }
        // Everyone syncs, in a shuffled order, twice round.
        for _ in 0..2 {
            for &i in &order {
                sync(&mut server, &mut rs[i])?;
            }
        }
        let states: Vec<WorkOrder> = rs.iter().map(|r| r.doc.read().unwrap()).collect();
        prop_assert_eq!(&states[0], &states[1]);
        prop_assert_eq!(&states[1], &states[2]);
        let all_ids: Vec<&str> = states[0].notes.iter().map(|n| n.id.as_str())
            .chain(states[0].materials.iter().map(|m| m.id.as_str()))
            .chain(states[0].photos.iter().map(|p| p.id.as_str()))
            .collect();
        for r in &rs {
            for added in &r.added {
                prop_assert!(all_ids.contains(&added.as_str()), "lost {}", added);
            }
        }
        // A conflict is only ever shown between tips that disagree.
        if let Current::Conflict(tips) = states[0].current() {
            prop_assert!(tips.iter().any(|t| t.to != tips[0].to));
        }
    }
}
