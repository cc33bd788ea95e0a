//! `rounds-server demo`: two estates with buildings, units and residents,
//! staff of every role with a known password, the manuals' checklists, and
//! the business of last month and of this one up to the day it is seeded
//! ([`month`]), so the office pages and a phone have a live estate to show.

pub mod month;
pub mod price_list;
pub mod signature_png;
mod surveys;

use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::{Record, RecordDoc, Who};
use rounds_core::places::{Building, CommonArea, Entrance, Estate, Personal, Resident, Unit};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::store::{DocumentStore, Store};
use rounds_core::sync::attachments::attachments_of;
use rounds_core::time::now_millis;
use rounds_core::{DeviceId, RecordId, RecordKind, Role, Staff};

use crate::demo::month::Desk;
use crate::error::AppError;
use crate::phone::auth::hash_password;
use crate::state::{AppState, Db};

pub const DEMO_PASSWORD: &str = "rounds-demo";
pub const ESTATE_A: &str = "e-sunshine";
pub const ESTATE_B: &str = "e-cuihu";
const DAY: i64 = 24 * 3_600_000;
/// Days before the seed's today that the estates and checklists were set
/// up: before the last calendar month began, whose business the demo holds.
pub(crate) const SET_UP_DAYS: i64 = 70;

/// (username, name, role, estates)
pub fn demo_staff() -> Vec<(&'static str, &'static str, Role, Vec<&'static str>)> {
    vec![
        ("reception", "李静", Role::Receptionist, vec![ESTATE_A]),
        ("tech", "张伟", Role::Technician, vec![ESTATE_A]),
        ("tech2", "赵磊", Role::Technician, vec![ESTATE_A]),
        ("assistant", "陈晨", Role::PropertyAssistant, vec![ESTATE_A]),
        ("supervisor", "王敏", Role::Supervisor, vec![ESTATE_A]),
        ("director", "刘洋", Role::Director, vec![ESTATE_A, ESTATE_B]),
        ("security", "孙强", Role::Security, vec![ESTATE_A]),
        ("cleaning", "周丽", Role::Cleaning, vec![ESTATE_A]),
        ("landscaping", "吴刚", Role::Landscaping, vec![ESTATE_A]),
        ("reception-b", "郑芳", Role::Receptionist, vec![ESTATE_B]),
        ("tech-b", "冯军", Role::Technician, vec![ESTATE_B]),
        ("supervisor-b", "何平", Role::Supervisor, vec![ESTATE_B]),
    ]
}

pub fn staff_id(username: &str) -> String {
    format!("s-{username}")
}

fn estate(id: &str, name: &str) -> Estate {
    let buildings = (1..=3)
        .map(|b| Building {
            id: format!("{id}-b{b}"),
            name: format!("{b}栋"),
            entrances: (1..=2)
                .map(|e| Entrance {
                    id: format!("{id}-b{b}-e{e}"),
                    name: format!("{e}单元"),
                    units: (1..=6)
                        .flat_map(|floor| (1..=2).map(move |n| (floor, n)))
                        .map(|(floor, n)| Unit {
                            id: format!("{id}-{b}-{e}-{floor}0{n}"),
                            number: format!("{b}-{e}-{floor}0{n}"),
                            vacant: floor == 6 && n == 2,
                            residents: vec![Resident {
                                id: format!("r-{id}-{b}{e}{floor}{n}"),
                                name: Personal(format!("住户{b}{e}{floor}{n}")),
                                phone: Personal(format!("1380013{b}{e}{floor}{n}0")),
                                owner: true,
                                moved_out: false,
                            }],
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let common_areas = vec![
        CommonArea {
            id: format!("{id}-lift-1"),
            kind: "lift".into(),
            name: "1栋电梯".into(),
        },
        CommonArea {
            id: format!("{id}-garage"),
            kind: "car_park".into(),
            name: "地下车库".into(),
        },
        CommonArea {
            id: format!("{id}-garden"),
            kind: "garden".into(),
            name: "中心花园".into(),
        },
    ];
    Estate {
        id: id.into(),
        name: name.into(),
        buildings,
        common_areas,
    }
}

fn err(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// The demo's record ids: the same on every run, so a seed started again
/// finds what an interrupted one wrote instead of writing it twice.
pub(crate) fn demo_id(name: &str) -> RecordId {
    const ROOT: &str = "5eed0000-de30-4000-8000-000000000000";
    RecordId::derived(&RecordId::parse(ROOT).expect("a UUID"), name)
}

fn estate_id_of(estate: &str) -> RecordId {
    demo_id(&format!("estate/{estate}"))
}

pub(crate) fn checklist_id(estate: &str, n: usize) -> RecordId {
    demo_id(&format!("checklist/{estate}/{n}"))
}

/// Whether [`seed`] would write anything: an empty server, or one whose
/// demo seed was interrupted.
pub fn will_seed(db: &mut Db) -> Result<bool, AppError> {
    if exists(db, &done_marker())? {
        return Ok(false);
    }
    Ok(exists(db, &started_marker())? || db.staff_count()? == 0)
}

/// Written first: a server with it was seeded by this code (and may be
/// finished); one with staff but without it is someone else's.
fn started_marker() -> RecordId {
    estate_id_of(ESTATE_A)
}

/// Written last: the seed is complete.
fn done_marker() -> RecordId {
    checklist_id(ESTATE_B, default_templates().len() - 1)
}

/// Seeds an empty server with the demo, or finishes a seed that was
/// interrupted (the server killed part-way): every step writes whole
/// records under fixed ids and skips those already there, so running it
/// again completes the data set without doubling anything. A server that
/// has staff but was not seeded by this is left alone. True when anything
/// was written.
/// Written under the company's `rules` and `calendar`, as the server runs.
pub fn seed(db: &mut Db, rules: &RulesConfig, calendar: &WorkCalendar) -> Result<bool, AppError> {
    Ok(seed_until(db, rules, calendar, None)? > 0)
}

/// [`seed`] under `state`'s rules and calendar, on this thread: for set-up
/// outside the async runtime (tests; PostgreSQL calls block).
pub fn seed_state(state: &AppState) -> Result<bool, AppError> {
    price_list::adopt(state)?;
    let company = state.company();
    state.with_db(|db| seed(db, &company.rules, &company.calendar))
}

/// [`seed`], stopped with an error after `stop_after` writes as a kill would
/// stop it (for tests); returns the number of writes made.
#[doc(hidden)]
pub fn seed_until(
    db: &mut Db,
    rules: &RulesConfig,
    calendar: &WorkCalendar,
    stop_after: Option<usize>,
) -> Result<usize, AppError> {
    seed_as_of(db, rules, calendar, now_millis(), stop_after)
}

/// [`seed_until`] as if today were `today` (for tests: the same day seeds
/// the same records). A resumed seed keeps the day of the one it finishes.
#[doc(hidden)]
pub fn seed_as_of(
    db: &mut Db,
    rules: &RulesConfig,
    calendar: &WorkCalendar,
    today: i64,
    stop_after: Option<usize>,
) -> Result<usize, AppError> {
    if exists(db, &done_marker())? {
        return Ok(0);
    }
    let started = if exists(db, &started_marker())? {
        Some(db.load(&started_marker())?)
    } else {
        None
    };
    if started.is_none() && db.staff_count()? > 0 {
        return Ok(0);
    }
    let resumed = started.is_some();
    // A resumed seed keeps the times of the one it finishes.
    let now = match started {
        Some(mut estate) => estate
            .history()
            .first()
            .map_or(today, |h| h.at + SET_UP_DAYS * DAY),
        None => today,
    };
    let mut seeder = Seeder {
        device: db.device_id(),
        db,
        now,
        writes: 0,
        stop_after,
        rules,
        calendar,
    };
    if resumed {
        tracing::info!("demo: finishing a seed that was interrupted");
    }
    seeder.estates()?;
    seeder.staff()?;
    seeder.month()?;
    seeder.checklists()?;
    Ok(seeder.writes)
}

fn exists(db: &mut Db, id: &RecordId) -> Result<bool, AppError> {
    Ok(db.index_row(id.as_str())?.is_some())
}

struct Seeder<'a> {
    db: &'a mut Db,
    device: DeviceId,
    now: i64,
    writes: usize,
    stop_after: Option<usize>,
    rules: &'a RulesConfig,
    calendar: &'a WorkCalendar,
}

impl Seeder<'_> {
    fn who(&self, user: &str, role: Role, at: i64) -> Who {
        Who {
            staff_id: staff_id(user),
            role,
            device_id: self.device,
            at,
        }
    }

    /// Counts a write about to be made; past `stop_after`, stops the seed.
    fn write(&mut self) -> Result<(), AppError> {
        if self.stop_after.is_some_and(|n| self.writes >= n) {
            return Err(AppError::Internal(format!(
                "demo seeding interrupted after {} writes",
                self.writes
            )));
        }
        self.writes += 1;
        Ok(())
    }

    /// Stores the record `build` makes under `id`, unless one is stored.
    fn create_once(
        &mut self,
        id: &RecordId,
        build: impl FnOnce(&Self) -> Result<RecordDoc, AppError>,
    ) -> Result<(), AppError> {
        if exists(self.db, id)? {
            return Ok(());
        }
        let mut doc = build(self)?;
        self.write()?;
        self.db.create_doc(&mut doc)?;
        Ok(())
    }

    fn estates(&mut self) -> Result<(), AppError> {
        // Estate A first: it marks the seed as started.
        for (id, name) in [(ESTATE_A, "阳光花园"), (ESTATE_B, "翠湖苑")] {
            self.create_once(&estate_id_of(id), |s| {
                let who = s.who("director", Role::Director, s.now - SET_UP_DAYS * DAY);
                Ok(
                    EstateDoc::create(estate_id_of(id), &estate(id, name), s.device, &who)
                        .map_err(err)?
                        .into_record(),
                )
            })?;
        }
        Ok(())
    }

    /// Each demo user not yet there (users already there are left as they are).
    fn staff(&mut self) -> Result<(), AppError> {
        let mut hash = None;
        for (username, name, role, estates) in demo_staff() {
            if self.db.password_of(username)?.is_some() {
                continue;
            }
            let staff = Staff {
                id: staff_id(username),
                name: name.into(),
                role,
                estates: estates.iter().map(|e| e.to_string()).collect(),
            };
            if hash.is_none() {
                hash = Some(hash_password(DEMO_PASSWORD)?);
            }
            self.write()?;
            self.db
                .put_staff(&staff, username, hash.as_deref().unwrap_or_default())?;
        }
        Ok(())
    }

    /// The month's office business, written through the core's session.
    /// It is made whole in a scratch store, then each record is copied
    /// whole, its images first: a record is there complete or not at all,
    /// and one already there is kept (a seed killed half-way resumes).
    fn month(&mut self) -> Result<(), AppError> {
        let mut desk = Desk::new(Store::open_in_memory()?, self.rules, self.calendar);
        for estate in [ESTATE_A, ESTATE_B] {
            let id = estate_id_of(estate);
            desk.apply_changes(&id, &self.db.load(&id)?.save())?;
        }
        crate::demo::month::seed_month(&mut desk, self.now)?;
        let scratch = desk.into_store();
        for (id, kind) in scratch.record_ids()? {
            if kind == RecordKind::Estate || exists(self.db, &id)? {
                continue;
            }
            let mut doc = scratch.load(&id)?;
            let estates = [doc.estate_id().to_owned()];
            for hash in attachments_of(&scratch, &id)? {
                let (bytes, mime) = scratch.blob(&hash)?;
                self.write()?;
                self.db.put_blob_checked(&hash, &bytes, &mime)?;
                self.db.grant_blob(&hash, &estates)?;
            }
            self.write()?;
            self.db.create_doc(&mut doc)?;
        }
        Ok(())
    }

    /// The manuals' four checklists in each estate, published by the
    /// director, so a phone can start an inspection on the demo. The last
    /// one marks the seed complete.
    fn checklists(&mut self) -> Result<(), AppError> {
        let at = self.now - SET_UP_DAYS * DAY;
        for estate_id in [ESTATE_A, ESTATE_B] {
            for (n, draft) in default_templates().into_iter().enumerate() {
                let id = checklist_id(estate_id, n);
                self.create_once(&id, |s| {
                    let who = s.who("director", Role::Director, at);
                    Ok(
                        TemplateDoc::create(id.clone(), estate_id, &draft, s.device, &who)
                            .map_err(err)?
                            .into_record(),
                    )
                })?;
            }
        }
        Ok(())
    }
}
