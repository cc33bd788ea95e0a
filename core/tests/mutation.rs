//! Mutated sync input, as a broken or hostile phone could send it: the bytes
//! of real records (a work order from registration to sign-off, the revisit
//! its completion plans, a note on a stored order, an order a technician
//! registers, an inspection from the default template) flipped, cut,
//! spliced, duplicated and given huge LEB128 lengths, and changes crafted
//! with huge values. Each goes through the server's two checks exactly as
//! `rounds-server` runs them (`Incoming::parse`, then `check_incoming`), and
//! for every one:
//!
//! - nothing panics out of either check (Automerge 0.12 panics on some
//!   hostile changes; the checks catch that and refuse them as `corrupt`);
//! - a refusal names its code;
//! - whatever is accepted loads back from `save()` and passes
//!   `policy::check_merged`, and the stored record it was checked against is
//!   left as it was;
//! - what parse lets through stays within the wire limits: it decoded
//!   exactly the bytes sent, at most `max_changes` changes and `max_ops`
//!   operations (and predecessors), no value past `max_string_bytes`.
//!
//! The mutations come from fixed proptest seeds, so a failure replays (the
//! records' uuids and device ids are new each run; the mutations are not).

use std::num::NonZeroU64;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    legacy, ActorId, AutoCommit, Change, ChangeHash, ExpandedChange, ObjType, ReadDoc, ScalarValue,
    ROOT,
};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::template::{default_templates, TemplateDoc, BUILDING_PATROL};
use rounds_core::documents::work_order::{Contact, Material, Source, SourceKind, WorkRecord};
use rounds_core::documents::{Record, Who};
use rounds_core::message::Explain;
use rounds_core::places::{Personal, Place};
use rounds_core::policy::{self, Context, DocLimits, WireLimits};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, OrderRequest, Session};
use rounds_core::store::{DocumentStore, Store};
use rounds_core::sync::guard::{check_incoming, Incoming, Refusal, Sender};
use rounds_core::{DeviceId, RecordDoc, RecordId, Role, Staff};
use serde_json::json;

const ESTATE: &str = "e1";

// ---------------------------------------------------------------------------
// Real records, as a technician's phone sends them.

#[derive(Clone)]
struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    fn at(&self, h: u32, min: u32) {
        *self.0.lock().unwrap() = Shanghai
            .with_ymd_and_hms(2026, 11, 23, h, min, 0)
            .unwrap()
            .with_timezone(&Utc);
    }
}

fn staff(id: &str, role: Role) -> Staff {
    Staff {
        id: id.into(),
        name: id.into(),
        role,
        estates: vec![ESTATE.into()],
    }
}

fn session(id: &str, role: Role, clock: &TestClock) -> Session {
    Session::with_clock(
        Store::open_in_memory().unwrap(),
        staff(id, role),
        RulesConfig::default(),
        WorkCalendar::china(),
        Box::new(clock.clone()),
    )
}

fn request(content: &str) -> OrderRequest {
    OrderRequest {
        id: RecordId::new(),
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "door_lock".into(),
        place: Place {
            estate_id: ESTATE.into(),
            unit_id: Some("u-3-1-502".into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("李强".into()),
            phone: Personal("13600136000".into()),
        },
        content: content.into(),
        agreed_due_at: None,
        rework_of: None,
        paid_service: false,
    }
}

/// One document as a phone sends it, and what the server holds of it.
struct Case {
    name: &'static str,
    id: RecordId,
    kind: &'static str,
    /// The stored record (`save()`), or None for a record new to the server.
    existing: Option<Vec<u8>>,
    /// `changes_since(server's heads)`: plain change chunks.
    bytes: Vec<u8>,
    heads: Vec<ChangeHash>,
}

struct World {
    staff: Staff,
    device: DeviceId,
    key: String,
    /// The server's own actor when it loads a record.
    server: DeviceId,
    cases: Vec<Case>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(build_world)
}

fn load(bytes: &[u8], device: DeviceId) -> RecordDoc {
    RecordDoc::load(bytes, device).expect("a stored record loads")
}

fn build_world() -> World {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.at(9, 0);
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let server = DeviceId::new();
    let send = |from: &Session, id: &RecordId, since: &[u8]| {
        let mut doc = from.store().load(id).unwrap();
        let mut stored = (!since.is_empty()).then(|| load(since, server));
        let base = stored.as_mut().map(RecordDoc::heads).unwrap_or_default();
        (doc.changes_since(&base), doc.heads())
    };
    let mut cases = vec![];

    // Reception registers and dispatches; the server holds that.
    let order = desk.register_order(&request("卫生间门锁坏了")).unwrap();
    desk.dispatch(&order, "t1").unwrap();
    let dispatched = desk.store().load(&order).unwrap().save();
    tech.store_mut().apply_changes(&order, &dispatched).unwrap();

    // The technician works the order through to the resident's signature.
    clock.at(10, 0);
    tech.accept(&order).unwrap();
    tech.quote(&order, 8_000).unwrap();
    tech.start_work(&order).unwrap();
    let material = Material {
        id: "m1".into(),
        name: "锁芯".into(),
        quantity: 1.0,
        unit: "个".into(),
        unit_price_fen: 4_500,
    };
    tech.add_material(&order, &material).unwrap();
    tech.add_order_photo(
        &order,
        "p1",
        b"jpeg of the old lock",
        "image/jpeg",
        "旧锁芯",
    )
    .unwrap();
    clock.at(11, 0);
    let started = tech.order(&order).unwrap().work.started_at;
    let work = WorkRecord {
        work_done: "更换锁芯".into(),
        started_at: started,
        ended_at: started.map(|s| s + 3_600_000),
        prep_minutes: 15,
    };
    tech.record_work(&order, &work).unwrap();
    tech.charge(&order, 4_500, 3_500).unwrap();
    let revisit = tech.complete(&order).unwrap();
    tech.sign_off(&order, "李强", b"png strokes of the signature")
        .unwrap();
    let (bytes, heads) = send(&tech, &order, &dispatched);
    cases.push(Case {
        name: "order accepted, worked and signed off",
        id: order.clone(),
        kind: "work_order",
        existing: Some(dispatched),
        bytes,
        heads,
    });
    let (bytes, heads) = send(&tech, &revisit, &[]);
    cases.push(Case {
        name: "the revisit its completion plans",
        id: revisit,
        kind: "revisit",
        existing: None,
        bytes,
        heads,
    });

    // The server took all that; the technician adds a note.
    let signed = tech.store().load(&order).unwrap().save();
    clock.at(11, 30);
    tech.add_order_note(&order, "n1", "住户要求下周回访时先打电话")
        .unwrap();
    let (bytes, heads) = send(&tech, &order, &signed);
    cases.push(Case {
        name: "a note on a stored order",
        id: order.clone(),
        kind: "work_order",
        existing: Some(signed),
        bytes,
        heads,
    });

    // An order the technician registers on site.
    let own = tech.register_order(&request("楼道窗户玻璃破损")).unwrap();
    let (bytes, heads) = send(&tech, &own, &[]);
    cases.push(Case {
        name: "an order the technician registers",
        id: own,
        kind: "work_order",
        existing: None,
        bytes,
        heads,
    });

    // A building patrol on the default checklist.
    let draft = default_templates()
        .into_iter()
        .find(|d| d.checklist_kind == BUILDING_PATROL)
        .unwrap();
    let head = Who {
        staff_id: "s1".into(),
        role: Role::Supervisor,
        device_id: desk.store().device_id(),
        at: 1_790_000_000_000,
    };
    let mut template =
        TemplateDoc::create(RecordId::new(), ESTATE, &draft, head.device_id, &head).unwrap();
    let template_id = template.record().id().clone();
    tech.store_mut().create(&mut template).unwrap();
    clock.at(14, 0);
    let place = Place {
        estate_id: ESTATE.into(),
        unit_id: None,
        common_area_id: Some("b3".into()),
        detail: "3栋".into(),
    };
    let inspection = tech
        .start_inspection(RecordId::new(), &template_id, place, None)
        .unwrap();
    let started = tech.store().load(&inspection).unwrap().save();
    tech.record_item(&inspection, "lobby", ItemResult::Ok, "")
        .unwrap();
    tech.record_item(&inspection, "lift", ItemResult::Defect, "轿厢按钮失灵")
        .unwrap();
    tech.add_item_photo(&inspection, "lift", b"lift button photo", "image/jpeg")
        .unwrap();
    let (bytes, heads) = send(&tech, &inspection, &[]);
    cases.push(Case {
        name: "an inspection started and partly checked",
        id: inspection.clone(),
        kind: "inspection",
        existing: None,
        bytes,
        heads,
    });
    let (bytes, heads) = send(&tech, &inspection, &started);
    cases.push(Case {
        name: "items checked on a stored inspection",
        id: inspection,
        kind: "inspection",
        existing: Some(started),
        bytes,
        heads,
    });

    World {
        staff: tech.staff().clone(),
        device: tech.store().device_id(),
        key: tech.store().device_key().public_hex(),
        server,
        cases,
    }
}

// ---------------------------------------------------------------------------
// The server's checks, and what must hold of each answer.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// `Incoming::parse` refused it (with this code).
    Unread(String),
    /// `check_incoming` refused it.
    Refused(String),
    Stored,
}

impl Verdict {
    fn code(&self) -> &str {
        match self {
            Verdict::Unread(c) | Verdict::Refused(c) => c,
            Verdict::Stored => "stored",
        }
    }
}

fn code_of(r: &Refusal, what: &str) -> String {
    let words = r.message();
    assert!(
        !words.zh.is_empty() && !words.en.is_empty(),
        "{what}: a refusal without words in both languages: {r:?}"
    );
    r.code().as_str().to_owned()
}

/// Runs `bytes` (claiming `heads`) through the server's checks against what
/// it holds of `case`, asserting everything the module comment promises.
fn judge(case: &Case, bytes: &[u8], heads: &[ChangeHash]) -> Verdict {
    let w = world();
    let what = case.name;
    let wire = WireLimits::default();
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        Incoming::parse(&case.id, case.kind, bytes, heads.to_vec(), &wire)
    }))
    .unwrap_or_else(|_| panic!("{what}: Incoming::parse panicked on {} bytes", bytes.len()));
    let incoming = match parsed {
        Ok(incoming) => incoming,
        Err(r) => return Verdict::Unread(code_of(&r, what)),
    };
    within_wire_limits(&incoming, bytes, &wire, what);

    let mut existing = case.existing.as_deref().map(|b| load(b, w.server));
    let before = existing.as_mut().map(|d| (d.heads(), d.save()));
    let sender = Sender {
        staff: &w.staff,
        device: w.device,
        device_key: Some(w.key.clone()),
    };
    let rules = RulesConfig::default();
    let limits = DocLimits::default();
    let ctx = Context {
        rules: &rules,
        limits: &limits,
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        check_incoming(existing.as_ref(), &incoming, &sender, &ctx)
    }))
    .unwrap_or_else(|_| panic!("{what}: check_incoming panicked on {} bytes", bytes.len()));
    assert_eq!(
        existing.as_mut().map(|d| (d.heads(), d.save())),
        before,
        "{what}: the stored record is left as it was"
    );
    match result {
        Err(r) => Verdict::Refused(code_of(&r, what)),
        Ok(mut merged) => {
            let saved = merged.save();
            let mut back = RecordDoc::load(&saved, w.server)
                .unwrap_or_else(|e| panic!("{what}: an accepted record does not load: {e}"));
            assert_eq!(back.id(), &case.id, "{what}");
            assert_eq!(back.kind().as_str(), case.kind, "{what}");
            policy::check_merged(&mut back, &limits)
                .unwrap_or_else(|v| panic!("{what}: an accepted record fails check_merged: {v}"));
            // Every change new to the server is this device's, and every
            // head the device claimed is in what would be stored.
            let mut all = AutoCommit::load(&saved).unwrap();
            let old = case
                .existing
                .as_deref()
                .map(|b| AutoCommit::load(b).unwrap());
            // What the server would send other phones are the changes the
            // device sent, byte for byte (but the checksum, which Automerge
            // does not check when it reads a change and writes right), and
            // each re-reads to its own hash.
            for change in &incoming.changes {
                let kept = all
                    .get_change_by_hash(&change.hash())
                    .unwrap_or_else(|| panic!("{what}: an accepted change is not stored"));
                let (a, b) = (kept.raw_bytes(), change.raw_bytes());
                assert!(
                    a.len() == b.len() && a[..4] == b[..4] && a[8..] == b[8..],
                    "{what}: a change re-encoded differently"
                );
            }
            for change in all.get_changes(&[]) {
                let reread = Change::try_from(change.raw_bytes())
                    .unwrap_or_else(|e| panic!("{what}: a stored change does not re-read: {e}"));
                assert_eq!(
                    reread.hash(),
                    change.hash(),
                    "{what}: a stored change's bytes"
                );
                let known = old
                    .as_ref()
                    .is_some_and(|o| o.get_change_by_hash(&change.hash()).is_some());
                assert!(
                    known || change.actor_id() == &w.device.actor(),
                    "{what}: a stored change by another actor"
                );
            }
            for h in heads {
                assert!(
                    all.get_change_by_hash(h).is_some(),
                    "{what}: claimed head missing"
                );
            }
            Verdict::Stored
        }
    }
}

/// What parse let through is bounded by what was sent and by the limits.
fn within_wire_limits(incoming: &Incoming, bytes: &[u8], wire: &WireLimits, what: &str) {
    assert!(incoming.heads.len() <= wire.max_heads, "{what}: heads");
    assert!(
        incoming.changes.len() <= wire.max_changes,
        "{what}: {} changes",
        incoming.changes.len()
    );
    let raw: usize = incoming.changes.iter().map(|c| c.raw_bytes().len()).sum();
    assert_eq!(
        raw,
        bytes.len(),
        "{what}: parse decoded exactly what was sent"
    );
    let (mut ops, mut preds) = (0usize, 0usize);
    for change in &incoming.changes {
        ops += change.len();
        // What the run lengths declare (what parse now counts before it
        // decodes) bounds what Automerge decodes.
        let (declared_ops, declared_preds) = chunk::declared(change.raw_bytes())
            .unwrap_or_else(|| panic!("{what}: parse took a chunk that does not read"));
        let decoded = change.decode();
        assert_eq!(decoded.operations.len(), change.len(), "{what}");
        let own: usize = decoded.operations.iter().map(|o| o.pred.len()).sum();
        assert!(
            declared_ops >= change.len() as u64 && declared_preds >= own as u64,
            "{what}: {declared_ops} ops and {declared_preds} predecessors declared, \
             {} and {own} decoded",
            change.len()
        );
        preds += own;
        for op in &decoded.operations {
            let size = match &op.action {
                legacy::OpType::Put(ScalarValue::Str(s)) => s.len(),
                legacy::OpType::Put(ScalarValue::Bytes(b)) => b.len(),
                _ => 0,
            };
            assert!(
                size <= wire.doc.max_string_bytes,
                "{what}: a value of {size} bytes"
            );
        }
    }
    assert!(ops <= wire.max_ops, "{what}: {ops} operations");
    assert!(preds <= wire.max_ops, "{what}: {preds} predecessors");
}

// ---------------------------------------------------------------------------
// Change chunks, read and written by hand so a mutation can lie about one
// field and still get past the checksum and the chunk length.

mod chunk {
    use std::ops::Range;

    use sha2::{Digest, Sha256};

    pub const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    pub const ACTION: u32 = (4 << 4) | 2;
    pub const PRED_NUM: u32 = 7 << 4;
    pub const BOOLEAN: u32 = 4;

    pub fn uleb(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    pub fn sleb(out: &mut Vec<u8>, mut v: i64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    pub struct Reader<'a> {
        pub bytes: &'a [u8],
        pub at: usize,
    }

    impl<'a> Reader<'a> {
        pub fn new(bytes: &'a [u8]) -> Self {
            Reader { bytes, at: 0 }
        }

        pub fn uleb(&mut self) -> Option<u64> {
            let (mut v, mut shift) = (0u64, 0u32);
            loop {
                let b = *self.bytes.get(self.at)?;
                self.at += 1;
                if shift > 63 {
                    return None;
                }
                v |= u64::from(b & 0x7f).checked_shl(shift)?;
                if b & 0x80 == 0 {
                    return Some(v);
                }
                shift += 7;
            }
        }

        pub fn sleb(&mut self) -> Option<i64> {
            let (mut v, mut shift) = (0i64, 0u32);
            loop {
                let b = *self.bytes.get(self.at)?;
                self.at += 1;
                if shift > 63 {
                    return None;
                }
                v |= i64::from(b & 0x7f).checked_shl(shift)?;
                shift += 7;
                if b & 0x80 == 0 {
                    if shift < 64 && b & 0x40 != 0 {
                        v |= -1i64 << shift;
                    }
                    return Some(v);
                }
            }
        }

        pub fn take(&mut self, n: u64) -> Option<&'a [u8]> {
            let n = usize::try_from(n).ok()?;
            let end = self.at.checked_add(n)?;
            let out = self.bytes.get(self.at..end)?;
            self.at = end;
            Some(out)
        }
    }

    /// Where each chunk of `bytes` lies, as far as the headers can be read.
    pub fn split(bytes: &[u8]) -> Vec<Range<usize>> {
        let mut out = vec![];
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            if rest.len() < 10 || rest[..4] != MAGIC {
                break;
            }
            let mut r = Reader { bytes: rest, at: 9 };
            let Some(end) = r
                .uleb()
                .and_then(|len| r.at.checked_add(usize::try_from(len).ok()?))
                .filter(|end| *end <= rest.len())
            else {
                break;
            };
            out.push(at..at + end);
            at += end;
        }
        out
    }

    /// A change chunk's fields.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Parts {
        pub deps: Vec<[u8; 32]>,
        pub actor: Vec<u8>,
        pub seq: u64,
        pub start_op: u64,
        pub time: i64,
        pub message: Vec<u8>,
        pub others: Vec<Vec<u8>>,
        /// (spec, data) of each column.
        pub columns: Vec<(u32, Vec<u8>)>,
        pub extra: Vec<u8>,
    }

    pub fn parse(chunk: &[u8]) -> Option<Parts> {
        if chunk.len() < 10 || chunk[..4] != MAGIC || chunk[8] != 1 {
            return None;
        }
        let mut r = Reader {
            bytes: chunk,
            at: 9,
        };
        let len = r.uleb()?;
        if r.at.checked_add(usize::try_from(len).ok()?)? != chunk.len() {
            return None;
        }
        let n = r.uleb()?;
        let mut deps = vec![];
        for _ in 0..n {
            deps.push(r.take(32)?.try_into().ok()?);
        }
        let n = r.uleb()?;
        let actor = r.take(n)?.to_vec();
        let seq = r.uleb()?;
        let start_op = r.uleb()?;
        let time = r.sleb()?;
        let n = r.uleb()?;
        let message = r.take(n)?.to_vec();
        let n = r.uleb()?;
        let mut others = vec![];
        for _ in 0..n {
            let n = r.uleb()?;
            others.push(r.take(n)?.to_vec());
        }
        let n = r.uleb()?;
        let mut meta = vec![];
        for _ in 0..n {
            meta.push((u32::try_from(r.uleb()?).ok()?, r.uleb()?));
        }
        let mut columns = vec![];
        for (spec, len) in meta {
            columns.push((spec, r.take(len)?.to_vec()));
        }
        let extra = chunk[r.at..].to_vec();
        Some(Parts {
            deps,
            actor,
            seq,
            start_op,
            time,
            message,
            others,
            columns,
            extra,
        })
    }

    /// A field a mutation can give a false count or value.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Lie {
        ChunkLen,
        Deps,
        ActorLen,
        Seq,
        StartOp,
        Time,
        MessageLen,
        Others,
        Columns,
        /// The length of column `k` (mod the number of columns).
        ColumnLen(usize),
        /// The first run count in column `k`'s data.
        RunCount(usize),
    }

    /// The chunk for `p`, with a correct checksum, except that `lie` (if
    /// any) says `value` where the truth is.
    pub fn encode(p: &Parts, lie: Option<(Lie, u64)>) -> Vec<u8> {
        let say = |field: Lie, truth: u64| match lie {
            Some((f, v)) if f == field => v,
            _ => truth,
        };
        let cols = p.columns.len().max(1);
        let mut columns = p.columns.clone();
        if let Some((Lie::RunCount(k), v)) = lie {
            if let Some((spec, data)) = columns.get_mut(k % cols) {
                let mut r = Reader::new(data);
                let boolean = *spec & 7 == BOOLEAN;
                let ok = if boolean {
                    r.uleb().is_some()
                } else {
                    r.sleb().is_some()
                };
                if ok {
                    let mut head = vec![];
                    if boolean {
                        uleb(&mut head, v);
                    } else {
                        sleb(&mut head, v.min(i64::MAX as u64) as i64);
                    }
                    head.extend_from_slice(&data[r.at..]);
                    *data = head;
                }
            }
        }
        let mut d = vec![];
        uleb(&mut d, say(Lie::Deps, p.deps.len() as u64));
        for dep in &p.deps {
            d.extend_from_slice(dep);
        }
        uleb(&mut d, say(Lie::ActorLen, p.actor.len() as u64));
        d.extend_from_slice(&p.actor);
        uleb(&mut d, say(Lie::Seq, p.seq));
        uleb(&mut d, say(Lie::StartOp, p.start_op));
        sleb(&mut d, say(Lie::Time, p.time as u64) as i64);
        uleb(&mut d, say(Lie::MessageLen, p.message.len() as u64));
        d.extend_from_slice(&p.message);
        uleb(&mut d, say(Lie::Others, p.others.len() as u64));
        for o in &p.others {
            uleb(&mut d, o.len() as u64);
            d.extend_from_slice(o);
        }
        uleb(&mut d, say(Lie::Columns, columns.len() as u64));
        for (k, (spec, data)) in columns.iter().enumerate() {
            uleb(&mut d, u64::from(*spec));
            let len = match lie {
                Some((Lie::ColumnLen(j), v)) if j % cols == k => v,
                _ => data.len() as u64,
            };
            uleb(&mut d, len);
        }
        for (_, data) in &columns {
            d.extend_from_slice(data);
        }
        d.extend_from_slice(&p.extra);
        seal(&d, say(Lie::ChunkLen, d.len() as u64))
    }

    /// A change chunk around `data`, its checksum computed as Automerge does.
    pub fn seal(data: &[u8], len: u64) -> Vec<u8> {
        let mut hashed = vec![1u8];
        uleb(&mut hashed, data.len() as u64);
        hashed.extend_from_slice(data);
        let hash = Sha256::digest(&hashed);
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&hash[..4]);
        out.push(1);
        uleb(&mut out, len);
        out.extend_from_slice(data);
        out
    }

    /// The same chunk with its checksum recomputed after its data changed.
    pub fn reseal(chunk: &[u8]) -> Option<Vec<u8>> {
        let mut r = Reader {
            bytes: chunk,
            at: 9,
        };
        let len = r.uleb()?;
        let data = chunk.get(r.at..)?;
        Some(seal(data, len))
    }

    /// Total of a run-length column of unsigned values: how many values it
    /// holds, or (`weighted`) their sum.
    fn rle_total(col: &[u8], weighted: bool) -> Option<u64> {
        let mut r = Reader::new(col);
        let mut total = 0u64;
        while r.at < col.len() {
            let count = r.sleb()?;
            if count > 0 {
                let v = r.uleb()?;
                let n = count as u64;
                total = total.saturating_add(if weighted { n.saturating_mul(v) } else { n });
            } else if count < 0 {
                for _ in 0..count.unsigned_abs() {
                    let v = r.uleb()?;
                    total = total.saturating_add(if weighted { v } else { 1 });
                }
            } else {
                let nulls = r.uleb()?;
                if !weighted {
                    total = total.saturating_add(nulls);
                }
            }
        }
        Some(total)
    }

    /// The operations and predecessors a change chunk declares.
    pub fn declared(chunk: &[u8]) -> Option<(u64, u64)> {
        let p = parse(chunk)?;
        let mut out = (0, 0);
        for (spec, data) in &p.columns {
            match *spec {
                ACTION => out.0 = rle_total(data, false)?,
                PRED_NUM => out.1 = rle_total(data, true)?,
                _ => {}
            }
        }
        Some(out)
    }
}

// ---------------------------------------------------------------------------
// Mutations of what a phone sends.

#[derive(Debug, Clone)]
enum Mutation {
    /// Flip these bits (positions modulo the length).
    FlipBits(Vec<(usize, u8)>),
    SetBytes(Vec<(usize, u8)>),
    /// Keep only the first n bytes.
    Keep(usize),
    /// Drop the first n bytes.
    Skip(usize),
    CutOut(usize, usize),
    /// This document's bytes up to `at`, then another's from `from`.
    Splice {
        other: usize,
        at: usize,
        from: usize,
    },
    /// A chunk of this document replaced by a whole chunk of another.
    SwapChunk {
        other: usize,
        chunk: usize,
        with: usize,
    },
    /// Another document's chunks after this one's.
    Append(usize),
    Duplicate(usize),
    DropChunk(usize),
    Reverse,
    /// A LEB128 of `value` written at `at`, over the bytes there or between them.
    HugeLeb {
        at: usize,
        value: u64,
        overwrite: bool,
    },
    /// One field of one chunk lies, the checksum and length made right.
    Lie {
        chunk: usize,
        lie: chunk::Lie,
        value: u64,
    },
    /// Bits flipped inside a chunk's data, its checksum made right again,
    /// so the flip reaches the change decoder and the policy.
    FlipSealed {
        chunk: usize,
        flips: Vec<(usize, u8)>,
    },
    Both(Box<Mutation>, Box<Mutation>),
}

/// How the device states its heads.
#[derive(Debug, Clone, Copy)]
enum Heads {
    /// As the honest phone would.
    Honest,
    None,
    /// The heads of whatever the mutated bytes decode to.
    OfMutated,
}

fn at(i: usize, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        i % len
    }
}

fn mutate(m: &Mutation, bytes: &[u8], cases: &[Case]) -> Vec<u8> {
    let len = bytes.len();
    let chunks = chunk::split(bytes);
    let nth = |i: usize| chunks.get(at(i, chunks.len())).cloned();
    let mut out = bytes.to_vec();
    match m {
        Mutation::FlipBits(flips) => {
            for (i, bit) in flips {
                if len > 0 {
                    out[i % len] ^= 1 << (bit % 8);
                }
            }
        }
        Mutation::SetBytes(sets) => {
            for (i, b) in sets {
                if len > 0 {
                    out[i % len] = *b;
                }
            }
        }
        Mutation::Keep(n) => out.truncate(at(*n, len)),
        Mutation::Skip(n) => out = bytes[at(*n, len)..].to_vec(),
        Mutation::CutOut(a, b) => {
            let (a, b) = (at(*a, len), at(*b, len));
            let (a, b) = (a.min(b), a.max(b));
            out.drain(a..b);
        }
        Mutation::Splice { other, at: a, from } => {
            let o = &cases[other % cases.len()].bytes;
            out.truncate(at(*a, len));
            out.extend_from_slice(&o[at(*from, o.len())..]);
        }
        Mutation::SwapChunk { other, chunk, with } => {
            let o = &cases[other % cases.len()].bytes;
            let theirs = chunk::split(o);
            if let (Some(mine), Some(t)) = (nth(*chunk), theirs.get(at(*with, theirs.len()))) {
                out.splice(mine, o[t.clone()].iter().copied());
            }
        }
        Mutation::Append(other) => out.extend_from_slice(&cases[other % cases.len()].bytes),
        Mutation::Duplicate(i) => {
            if let Some(r) = nth(*i) {
                let copy = bytes[r.clone()].to_vec();
                out.splice(r.end..r.end, copy);
            }
        }
        Mutation::DropChunk(i) => {
            if let Some(r) = nth(*i) {
                out.drain(r);
            }
        }
        Mutation::Reverse => {
            out = chunks
                .iter()
                .rev()
                .flat_map(|r| bytes[r.clone()].iter().copied())
                .collect();
        }
        Mutation::HugeLeb {
            at: i,
            value,
            overwrite,
        } => {
            let mut leb = vec![];
            chunk::uleb(&mut leb, *value);
            let i = at(*i, len);
            if *overwrite {
                let end = (i + leb.len()).min(len);
                out.splice(i..end, leb);
            } else {
                out.splice(i..i, leb);
            }
        }
        Mutation::Lie {
            chunk: c,
            lie,
            value,
        } => {
            if let Some(r) = nth(*c) {
                if let Some(parts) = chunk::parse(&bytes[r.clone()]) {
                    out.splice(r, chunk::encode(&parts, Some((*lie, *value))));
                }
            }
        }
        Mutation::FlipSealed { chunk: c, flips } => {
            if let Some(r) = nth(*c) {
                let mut one = bytes[r.clone()].to_vec();
                // Past the magic, checksum, type and a one- or two-byte length.
                let body = 11.min(one.len())..one.len();
                for (i, bit) in flips {
                    if !body.is_empty() {
                        let i = body.start + i % body.len();
                        one[i] ^= 1 << (bit % 8);
                    }
                }
                if let Some(sealed) = chunk::reseal(&one) {
                    out.splice(r, sealed);
                }
            }
        }
        Mutation::Both(a, b) => return mutate(b, &mutate(a, bytes, cases), cases),
    }
    out
}

/// The heads of the changes `bytes` decode to (those no other one depends on).
fn heads_of(bytes: &[u8]) -> Vec<ChangeHash> {
    let changes: Vec<Change> = chunk::split(bytes)
        .into_iter()
        .filter_map(|r| {
            catch_unwind(|| Change::try_from(&bytes[r]).ok())
                .ok()
                .flatten()
        })
        .collect();
    let deps: Vec<ChangeHash> = changes.iter().flat_map(|c| c.deps().to_vec()).collect();
    changes
        .iter()
        .map(Change::hash)
        .filter(|h| !deps.contains(h))
        .collect()
}

fn huge() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(u64::MAX),
        Just(1 << 63),
        Just((1 << 63) - 1),
        Just(1 << 40),
        Just(1 << 32),
        Just(u64::from(u32::MAX)),
        Just(1 << 31),
        Just(1 << 24),
        Just(200_001),
        Just(5_001),
        0u64..300,
        any::<u64>(),
    ]
}

fn lie() -> impl Strategy<Value = chunk::Lie> {
    use chunk::Lie;
    prop_oneof![
        Just(Lie::ChunkLen),
        Just(Lie::Deps),
        Just(Lie::ActorLen),
        Just(Lie::Seq),
        Just(Lie::StartOp),
        Just(Lie::Time),
        Just(Lie::MessageLen),
        Just(Lie::Others),
        Just(Lie::Columns),
        (0usize..16).prop_map(Lie::ColumnLen),
        (0usize..16).prop_map(Lie::RunCount),
        (0usize..16).prop_map(Lie::RunCount),
    ]
}

fn one_mutation() -> impl Strategy<Value = Mutation> {
    let flips = || prop::collection::vec((any::<usize>(), any::<u8>()), 1..8);
    prop_oneof![
        flips().prop_map(Mutation::FlipBits),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..6).prop_map(Mutation::SetBytes),
        any::<usize>().prop_map(Mutation::Keep),
        any::<usize>().prop_map(Mutation::Skip),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::CutOut(a, b)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(other, at, from)| Mutation::Splice { other, at, from }),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(other, chunk, with)| Mutation::SwapChunk { other, chunk, with }),
        any::<usize>().prop_map(Mutation::Append),
        any::<usize>().prop_map(Mutation::Duplicate),
        any::<usize>().prop_map(Mutation::DropChunk),
        Just(Mutation::Reverse),
        (any::<usize>(), huge(), any::<bool>()).prop_map(|(at, value, overwrite)| {
            Mutation::HugeLeb {
                at,
                value,
                overwrite,
            }
        }),
        (any::<usize>(), lie(), huge()).prop_map(|(chunk, lie, value)| Mutation::Lie {
            chunk,
            lie,
            value
        }),
        (any::<usize>(), lie(), huge()).prop_map(|(chunk, lie, value)| Mutation::Lie {
            chunk,
            lie,
            value
        }),
        (any::<usize>(), flips()).prop_map(|(chunk, flips)| Mutation::FlipSealed { chunk, flips }),
        (any::<usize>(), flips()).prop_map(|(chunk, flips)| Mutation::FlipSealed { chunk, flips }),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => one_mutation(),
        1 => (one_mutation(), one_mutation()).prop_map(|(a, b)| Mutation::Both(Box::new(a), Box::new(b))),
    ]
}

fn heads_choice() -> impl Strategy<Value = Heads> {
    prop_oneof![
        Just(Heads::Honest),
        Just(Heads::None),
        Just(Heads::OfMutated)
    ]
}

fn config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[test]
fn the_honest_input_of_every_record_is_accepted() {
    let w = world();
    for case in &w.cases {
        assert!(!chunk::split(&case.bytes).is_empty(), "{}", case.name);
        assert_eq!(
            judge(case, &case.bytes, &case.heads),
            Verdict::Stored,
            "{}",
            case.name
        );
        // The test's codec reads and writes them byte for byte, and reads
        // the operations and predecessors Automerge decodes.
        for r in chunk::split(&case.bytes) {
            let one = &case.bytes[r];
            let parts = chunk::parse(one).expect("a change chunk");
            assert_eq!(chunk::encode(&parts, None), one, "{}", case.name);
            let change = Change::try_from(one).unwrap();
            let preds = change
                .decode()
                .operations
                .iter()
                .map(|o| o.pred.len() as u64)
                .sum();
            assert_eq!(
                chunk::declared(one),
                Some((change.len() as u64, preds)),
                "{}",
                case.name
            );
        }
    }
}

/// Flipped, cut, spliced, duplicated, lengthened: never a panic, never a
/// stored record that fails its checks, never more decoded than sent. The
/// verdicts are counted, so a run that never got past parse would fail.
#[test]
fn mutated_bytes_of_real_records_are_refused_or_stored_whole() {
    let w = world();
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::<String, usize>::new());
    let mut runner = proptest::test_runner::TestRunner::new(config(3_000, 0x5eed_0001));
    let strategy = (any::<usize>(), mutation(), heads_choice());
    let result = runner.run(&strategy, |(which, m, heads)| {
        let case = &w.cases[which % w.cases.len()];
        let bytes = mutate(&m, &case.bytes, &w.cases);
        let heads = match heads {
            Heads::Honest => case.heads.clone(),
            Heads::None => vec![],
            Heads::OfMutated => heads_of(&bytes),
        };
        let verdict = judge(case, &bytes, &heads);
        if bytes == case.bytes && heads == case.heads {
            prop_assert_eq!(&verdict, &Verdict::Stored);
        }
        let key = match &verdict {
            Verdict::Unread(c) => format!("parse: {c}"),
            Verdict::Refused(c) => format!("check: {c}"),
            Verdict::Stored => "stored".into(),
        };
        *seen.borrow_mut().entry(key).or_default() += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    eprintln!("verdicts of the mutated inputs: {seen:#?}");
    let count = |prefix: &str| -> usize {
        seen.iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    };
    assert!(count("parse: ") > 0 && count("check: ") > 0 && count("stored") > 0);
}

// ---------------------------------------------------------------------------
// Changes crafted with raw Automerge operations.

/// The technician's phone holding `case`'s record as the server does, with
/// a bare Automerge document to write into.
struct Raw {
    doc: AutoCommit,
    base: Vec<ChangeHash>,
}

impl Raw {
    fn of(case: &Case) -> Raw {
        let bytes = case.existing.as_deref().expect("a stored record");
        let mut doc = AutoCommit::load(bytes)
            .unwrap()
            .with_actor(world().device.actor());
        let base = doc.get_heads();
        Raw { doc, base }
    }

    fn commit(&mut self) -> &mut Self {
        let message = json!({ "by": "t1", "role": "technician", "what": "crafted" }).to_string();
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(1_790_000_000),
        );
        self
    }

    fn send(&mut self, case: &Case) -> Verdict {
        let bytes = self.doc.save_after(&self.base);
        let heads = self.doc.get_heads();
        judge(case, &bytes, &heads)
    }

    fn list(&self, key: &str) -> automerge::ObjId {
        match self.doc.get(ROOT, key).unwrap() {
            Some((_, id)) => id,
            None => panic!("no {key}"),
        }
    }

    /// Appends a note (a map) to the order's notes.
    fn note(&mut self, text: &str) -> &mut Self {
        let notes = self.list("notes");
        let n = self.doc.length(&notes);
        let item = self.doc.insert_object(&notes, n, ObjType::Map).unwrap();
        self.doc
            .put(&item, "id", RecordId::new().to_string())
            .unwrap();
        self.doc.put(&item, "by", "t1").unwrap();
        self.doc.put(&item, "at", 1_790_000_000_000i64).unwrap();
        self.doc.put(&item, "text", text).unwrap();
        self
    }
}

fn stored_order() -> &'static Case {
    world()
        .cases
        .iter()
        .find(|c| c.name == "a note on a stored order")
        .unwrap()
}

#[test]
fn a_note_at_the_string_limit_is_stored_and_one_byte_more_is_refused() {
    let case = stored_order();
    let max = DocLimits::default().max_string_bytes;
    let mut raw = Raw::of(case);
    raw.note(&"a".repeat(max)).commit();
    assert_eq!(raw.send(case), Verdict::Stored);
    let mut raw = Raw::of(case);
    raw.note(&"a".repeat(max + 1)).commit();
    assert_eq!(raw.send(case), Verdict::Unread("too_large".into()));
}

#[test]
fn huge_values_are_refused_before_they_are_stored() {
    let case = stored_order();
    let mut checks: Vec<(&str, Verdict, &str)> = vec![];
    let mut check = |what, want, edit: &dyn Fn(&mut Raw)| {
        let mut raw = Raw::of(case);
        edit(&mut raw);
        raw.commit();
        checks.push((what, raw.send(case), want));
    };

    check("a note of 6 MB", "too_large", &|r| {
        r.note(&"漏".repeat(2_000_000));
    });
    check("a 6 MB string inserted in a list", "too_large", &|r| {
        let notes = r.list("notes");
        r.doc.insert(&notes, 0, "水".repeat(2_000_000)).unwrap();
    });
    check("6 MB of bytes", "too_large", &|r| {
        let work = r.list("work");
        r.doc
            .put(&work, "work_done", ScalarValue::Bytes(vec![7; 6_000_000]))
            .unwrap();
    });
    check("a list of 100,000 notes", "too_large", &|r| {
        let notes = r.list("notes");
        r.doc
            .splice(&notes, 0, 0, (0..100_000i64).map(ScalarValue::Int))
            .unwrap();
    });
    check("a list of 250,000 items", "too_large", &|r| {
        let notes = r.list("notes");
        r.doc
            .splice(&notes, 0, 0, (0..250_000i64).map(ScalarValue::Int))
            .unwrap();
    });
    check("maps nested 5,000 deep in a note", "too_large", &|r| {
        let notes = r.list("notes");
        let mut obj = r.doc.insert_object(&notes, 0, ObjType::Map).unwrap();
        for _ in 0..5_000 {
            obj = r.doc.put_object(&obj, "x", ObjType::Map).unwrap();
        }
    });
    check("lists nested 5,000 deep at the root", "too_large", &|r| {
        let mut obj = r.doc.put_object(ROOT, "deep", ObjType::List).unwrap();
        for _ in 0..5_000 {
            obj = r.doc.insert_object(&obj, 0, ObjType::List).unwrap();
        }
    });
    check("a field name of 1 MB", "too_large", &|r| {
        r.doc.put(ROOT, "k".repeat(1 << 20).as_str(), 1).unwrap();
    });
    check("a counter", "bad_value", &|r| {
        let fees = r.list("fees");
        r.doc
            .put(&fees, "labour_fee_fen", ScalarValue::counter(1))
            .unwrap();
    });
    // Written out by hand: Automerge's own map writes are slow this large.
    let work = root_object(case, "work");
    let keys = (0..50_000)
        .map(|i| legacy::Op {
            action: legacy::OpType::Put(ScalarValue::Int(i)),
            obj: work.clone(),
            key: legacy::Key::Map(format!("k{i}").into()),
            pred: vec![].into(),
            insert: false,
        })
        .collect();
    let bytes = expanded(case, keys, &|_| {});
    let heads = heads_of(&bytes);
    checks.push((
        "a map of 50,000 keys in the work",
        judge(case, &bytes, &heads),
        "unknown_field",
    ));
    for (what, got, want) in &checks {
        assert_eq!(got.code(), *want, "{what}: {got:?}");
    }

    // 5,001 changes, each an honest-looking note: too many for one request.
    let mut raw = Raw::of(case);
    for i in 0..5_001 {
        raw.note(&format!("第{i}条")).commit();
    }
    assert_eq!(raw.send(case), Verdict::Unread("too_large".into()));
}

/// A change whose columns are runs: `ops` puts of null at the root key "x",
/// each with `preds` predecessors. A few dozen bytes can declare any number.
fn runs(case: &Case, ops: u64, preds: u64) -> Vec<u8> {
    use chunk::{sleb, uleb};
    // A real change of this phone, for its deps, actor, seq and start.
    let mut raw = Raw::of(case);
    raw.doc.put(ROOT, "x", ScalarValue::Null).unwrap();
    raw.commit();
    let real = raw.doc.save_after(&raw.base);
    let mut parts = chunk::parse(&real).unwrap();
    let run = |count: u64, value: &dyn Fn(&mut Vec<u8>)| {
        let mut d = vec![];
        sleb(&mut d, count as i64);
        value(&mut d);
        d
    };
    let mut columns = vec![
        (
            (1 << 4) | 5,
            run(ops, &|d| {
                uleb(d, 1);
                d.push(b'x');
            }),
        ),
        ((3 << 4) | 4, {
            let mut d = vec![];
            uleb(&mut d, ops);
            d
        }),
        (chunk::ACTION, run(ops, &|d| uleb(d, 1))),
        ((5 << 4) | 6, run(ops, &|d| uleb(d, 0))),
        (chunk::PRED_NUM, run(ops, &|d| uleb(d, preds))),
    ];
    if preds > 0 {
        let total = ops.saturating_mul(preds);
        columns.push(((7 << 4) | 1, run(total, &|d| uleb(d, 0))));
        columns.push(((7 << 4) | 3, {
            let mut d = run(1, &|d| sleb(d, 1));
            if total > 1 {
                d.extend(run(total - 1, &|d| sleb(d, 0)));
            }
            d
        }));
    }
    parts.columns = columns;
    chunk::encode(&parts, None)
}

#[test]
fn run_length_columns_cannot_declare_more_work_than_the_limits() {
    let case = stored_order();
    let max = WireLimits::default().max_ops as u64;

    // The codec's runs decode as Automerge reads them.
    let three = runs(case, 3, 0);
    let change = Change::try_from(three.as_slice()).unwrap();
    assert_eq!(change.len(), 3);
    let ops = change.decode().operations;
    assert!(ops.iter().all(
        |o| matches!(&o.action, legacy::OpType::Put(ScalarValue::Null))
            && o.key == legacy::Key::Map("x".into())
            && o.obj == legacy::ObjectId::Root
    ));
    let with_preds = runs(case, 2, 3);
    let change = Change::try_from(with_preds.as_slice()).unwrap();
    assert_eq!(chunk::declared(&with_preds), Some((2, 6)));
    assert!(change.decode().operations.iter().all(|o| o.pred.len() == 3));

    // At the limit parse reads it, and the policy refuses the field.
    let at_limit = runs(case, max, 0);
    assert!(at_limit.len() < 200, "{} bytes", at_limit.len());
    assert_eq!(
        judge(case, &at_limit, &[]),
        Verdict::Refused("unknown_field".into())
    );
    // Past it, and far past it, parse refuses before decoding anything:
    // Automerge's decoder would walk 2^40 operations, or gather 2^40
    // predecessors of one operation in memory, from fewer than 100 bytes.
    for (ops, preds) in [
        (max + 1, 0),
        (1 << 40, 0),
        (u64::MAX >> 1, 0),
        (1, 1 << 40),
        (1, max + 1),
    ] {
        let bomb = runs(case, ops, preds);
        assert!(bomb.len() < 200);
        assert_eq!(
            judge(case, &bomb, &[]),
            Verdict::Unread("too_large".into()),
            "{ops} operations with {preds} predecessors each"
        );
    }
}

/// A change written out by hand on the stored record of `case`: any
/// operations, any counters, as `edit` leaves them.
fn expanded(case: &Case, ops: Vec<legacy::Op>, edit: &dyn Fn(&mut ExpandedChange)) -> Vec<u8> {
    let me = world().device.actor();
    let (deps, mine, max_op) = match case.existing.as_deref() {
        Some(bytes) => {
            let mut doc = AutoCommit::load(bytes).unwrap();
            let changes = doc.get_changes(&[]);
            let mine = changes.iter().filter(|c| c.actor_id() == &me).count() as u64;
            let max_op = changes.iter().map(|c| c.max_op()).max().unwrap_or(0);
            (doc.get_heads(), mine, max_op)
        }
        None => (vec![], 0, 0),
    };
    let mut change = ExpandedChange {
        operations: ops,
        actor_id: me,
        hash: None,
        seq: mine + 1,
        start_op: NonZeroU64::new(max_op + 1).unwrap(),
        time: 1_790_000_000,
        message: None,
        deps,
        extra_bytes: vec![],
        author: None,
    };
    edit(&mut change);
    Change::from(change).raw_bytes().to_vec()
}

fn op(
    action: legacy::OpType,
    obj: legacy::ObjectId,
    key: legacy::Key,
    pred: Vec<legacy::OpId>,
    insert: bool,
) -> legacy::Op {
    legacy::Op {
        action,
        obj,
        key,
        pred: pred.into(),
        insert,
    }
}

/// The object at `key` of the stored record's root, as a change names it.
fn root_object(case: &Case, key: &str) -> legacy::ObjectId {
    let doc = AutoCommit::load(case.existing.as_deref().unwrap()).unwrap();
    match doc.get(ROOT, key).unwrap() {
        Some((_, automerge::ObjId::Id(counter, actor, _))) => {
            legacy::ObjectId::Id(legacy::OpId(counter, actor))
        }
        other => panic!("{key}: {other:?}"),
    }
}

/// The operations of a note appended to the stored order's notes, its op
/// ids counted from `start` by this phone.
fn note_ops(case: &Case, start: u64) -> Vec<legacy::Op> {
    let me = world().device.actor();
    let notes = root_object(case, "notes");
    let doc = AutoCommit::load(case.existing.as_deref().unwrap()).unwrap();
    let list = doc.get(ROOT, "notes").unwrap().unwrap().1;
    let after = match doc.length(&list) {
        0 => legacy::ElementId::Head,
        n => match doc.get(&list, n - 1).unwrap().unwrap().1 {
            automerge::ObjId::Id(c, a, _) => legacy::ElementId::Id(legacy::OpId(c, a)),
            automerge::ObjId::Root => unreachable!(),
        },
    };
    let item = legacy::ObjectId::Id(legacy::OpId(start, me.clone()));
    let put = |k: &str, v: ScalarValue| {
        op(
            legacy::OpType::Put(v),
            item.clone(),
            legacy::Key::Map(k.into()),
            vec![],
            false,
        )
    };
    vec![
        op(
            legacy::OpType::Make(ObjType::Map),
            notes,
            legacy::Key::Seq(after),
            vec![],
            true,
        ),
        put("id", ScalarValue::Str(RecordId::new().to_string().into())),
        put("by", ScalarValue::Str("t1".into())),
        put("at", ScalarValue::Int(1_790_000_000_000)),
        put("text", ScalarValue::Str("手写的备注".into())),
    ]
}

#[test]
fn hand_written_operations_are_refused_or_stored_whole() {
    let case = stored_order();
    let new = world()
        .cases
        .iter()
        .find(|c| c.existing.is_none() && c.kind == "work_order")
        .unwrap();
    let me = world().device.actor();
    let stranger = ActorId::random();
    let root = || legacy::ObjectId::Root;
    let key = |k: &str| legacy::Key::Map(k.into());
    let null = || legacy::OpType::Put(ScalarValue::Null);
    let x = || vec![op(null(), root(), key("x"), vec![], false)];
    let same = |_: &mut ExpandedChange| {};
    let first_own_op = {
        let mut doc = AutoCommit::load(case.existing.as_deref().unwrap()).unwrap();
        doc.get_changes(&[])
            .iter()
            .filter(|c| c.actor_id() == &me)
            .map(|c| c.start_op().get())
            .min()
            .unwrap()
    };
    let mut verdicts = vec![];
    let mut send = |what: &str, case: &Case, bytes: Vec<u8>| {
        let heads = heads_of(&bytes);
        verdicts.push((what.to_owned(), judge(case, &bytes, &heads)));
    };

    // The honest note, written out by hand, is stored: the tool works.
    let honest = expanded(case, note_ops(case, 0), &|_| {});
    let start = Change::try_from(honest.as_slice())
        .unwrap()
        .start_op()
        .get();
    let honest = expanded(case, note_ops(case, start), &same);
    assert_eq!(judge(case, &honest, &heads_of(&honest)), Verdict::Stored);

    let nowhere = |actor: &ActorId| legacy::ObjectId::Id(legacy::OpId(999_999, actor.clone()));
    send(
        "an op in an object of an actor never seen",
        case,
        expanded(
            case,
            vec![op(null(), nowhere(&stranger), key("a"), vec![], false)],
            &same,
        ),
    );
    send(
        "an op in an object that does not exist",
        case,
        expanded(
            case,
            vec![op(null(), nowhere(&me), key("a"), vec![], false)],
            &same,
        ),
    );
    send(
        "an insert after an element that does not exist",
        case,
        expanded(
            case,
            vec![op(
                null(),
                root(),
                legacy::Key::Seq(legacy::ElementId::Id(legacy::OpId(5, me.clone()))),
                vec![],
                true,
            )],
            &same,
        ),
    );
    send(
        "overwriting an op that does not exist",
        case,
        expanded(
            case,
            vec![op(
                null(),
                root(),
                key("content"),
                vec![legacy::OpId(999_999, me.clone())],
                false,
            )],
            &same,
        ),
    );
    send(
        "deleting what is not there",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Delete,
                root(),
                key("nothing"),
                vec![legacy::OpId(3, stranger.clone())],
                false,
            )],
            &same,
        ),
    );
    send(
        "an element of the work map, a map",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Put(ScalarValue::Str("藏起来".into())),
                root_object(case, "work"),
                legacy::Key::Seq(legacy::ElementId::Head),
                vec![],
                true,
            )],
            &same,
        ),
    );
    send(
        "a named field of the notes list",
        case,
        expanded(
            case,
            vec![op(
                null(),
                root_object(case, "notes"),
                key("x"),
                vec![],
                false,
            )],
            &same,
        ),
    );
    let mut valid_note = note_ops(case, start);
    valid_note[0].key = legacy::Key::Seq(legacy::ElementId::Id(legacy::OpId(5, me.clone())));
    send(
        "a note inserted after an element that does not exist",
        case,
        expanded(case, valid_note, &same),
    );
    send(
        "a work record overwriting an op that does not exist",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Put(ScalarValue::Str("换了锁芯".into())),
                root_object(case, "work"),
                key("work_done"),
                vec![legacy::OpId(999_999, me.clone())],
                false,
            )],
            &same,
        ),
    );
    send(
        "incrementing a string",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Increment(5),
                root(),
                key("content"),
                vec![legacy::OpId(1, me.clone())],
                false,
            )],
            &same,
        ),
    );
    send(
        "a table at the root",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Make(ObjType::Table),
                root(),
                key("t"),
                vec![],
                false,
            )],
            &same,
        ),
    );
    send(
        "a text object",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::Make(ObjType::Text),
                root(),
                key("t"),
                vec![],
                false,
            )],
            &same,
        ),
    );
    let mark = legacy::MarkData {
        name: "bold".into(),
        value: ScalarValue::Str("字".repeat(2_000_000).into()),
        expand: true,
    };
    send(
        "a mark with a 6 MB value",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::MarkBegin(mark),
                root(),
                legacy::Key::Seq(legacy::ElementId::Head),
                vec![],
                true,
            )],
            &same,
        ),
    );
    let mark = legacy::MarkData {
        name: "bold".into(),
        value: ScalarValue::Str("字".repeat(2_000_000).into()),
        expand: true,
    };
    send(
        "a mark with a 6 MB value in the notes list",
        case,
        expanded(
            case,
            vec![op(
                legacy::OpType::MarkBegin(mark),
                root_object(case, "notes"),
                legacy::Key::Seq(legacy::ElementId::Head),
                vec![],
                true,
            )],
            &same,
        ),
    );
    send(
        "a sequence number far ahead",
        case,
        expanded(case, x(), &|c| c.seq = 1 << 40),
    );
    send(
        "a sequence number one ahead",
        case,
        expanded(case, x(), &|c| c.seq += 1),
    );
    send(
        "a sequence number reused",
        case,
        expanded(case, x(), &|c| c.seq = 1),
    );
    send(
        "a first change with sequence number 2",
        new,
        expanded(new, x(), &|c| c.seq = 2),
    );
    send(
        "a note whose op ids repeat the phone's earlier ones",
        case,
        expanded(case, note_ops(case, first_own_op), &|c| {
            c.start_op = NonZeroU64::new(first_own_op).unwrap()
        }),
    );
    send(
        "an op counter past u32",
        case,
        expanded(case, x(), &|c| {
            c.start_op = NonZeroU64::new(1 << 40).unwrap()
        }),
    );
    send(
        "an op counter at u64::MAX",
        case,
        expanded(case, x(), &|c| c.start_op = NonZeroU64::MAX),
    );
    send(
        "an author on a later change",
        case,
        expanded(case, note_ops(case, start), &|c| {
            c.author = Some(automerge::Author::from(vec![1u8; 16]))
        }),
    );
    send(
        "junk after the operations",
        case,
        expanded(case, note_ops(case, start), &|c| {
            c.extra_bytes = vec![0xff; 64]
        }),
    );
    send(
        "a parent the server never saw",
        case,
        expanded(case, note_ops(case, start), &|c| {
            c.deps = vec![ChangeHash([7; 32])]
        }),
    );
    send(
        "no parents: a second creation",
        case,
        expanded(case, note_ops(case, start), &|c| c.deps = vec![]),
    );
    // Bytes a change carries besides its operations are not the record's:
    // they may be stored (whole: `judge` loaded and checked it) or refused.
    let inert = ["an author on a later change", "junk after the operations"];
    for (what, v) in &verdicts {
        eprintln!("{:>16}  {what}", v.code());
    }
    for (what, v) in &verdicts {
        if !inert.contains(&what.as_str()) {
            assert_ne!(v, &Verdict::Stored, "{what}");
        }
    }
}
