//! Where a story's servers keep their data: a temporary SQLite directory, or
//! a fresh database on the PostgreSQL named by `ROUNDS_TEST_POSTGRES`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rounds_core::RecordId;
use rounds_server::db::postgres::PgPool;
use rounds_server::db::sqlite::SqliteDb;
use rounds_server::db::Backend as Storage;

pub const POSTGRES_ENV: &str = "ROUNDS_TEST_POSTGRES";

#[derive(Debug, Clone)]
pub enum Backend {
    /// Each server's own data directory.
    Sqlite,
    /// One database, shared by every server started with this value.
    Postgres { url: String },
}

impl Backend {
    /// A fresh database on the test PostgreSQL, or None (with a note) when
    /// `ROUNDS_TEST_POSTGRES` is unset.
    pub fn postgres() -> Option<Backend> {
        let Ok(admin) = std::env::var(POSTGRES_ENV) else {
            // Past the test harness's capture, so the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "note: {POSTGRES_ENV} is unset; skipping a PostgreSQL variant (scripts/test.d/30-postgres.sh runs them)"
            );
            return None;
        };
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={admin}: {e}"));
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).expect("random");
        let name = format!("rounds_t_{}", hex(&bytes));
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let base = admin.split('?').next().unwrap_or(&admin);
        let (server, _) = base.rsplit_once('/').expect("URL ends in /database");
        Some(Backend::Postgres {
            url: format!("{server}/{name}"),
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres { .. })
    }

    /// Runs `f` on the storage a server used (`data_dir` for SQLite).
    pub fn with_storage<T>(&self, data_dir: &Path, f: impl FnOnce(&mut dyn Storage) -> T) -> T {
        match self {
            Backend::Sqlite => f(&mut SqliteDb::open(data_dir).expect("server databases")),
            Backend::Postgres { url } => {
                let pool = PgPool::open(url).expect("test database");
                let mut conn = pool.get().expect("connection");
                f(&mut *conn)
            }
        }
    }

    /// Every record of `estate` with its sorted heads.
    pub fn records_of(&self, data_dir: &Path, estate: &str) -> BTreeMap<RecordId, Vec<String>> {
        self.with_storage(data_dir, |db| {
            let changed = db
                .changed_since(0, &[estate.to_owned()], usize::MAX / 2)
                .expect("records");
            changed
                .into_iter()
                .map(|c| {
                    let mut heads: Vec<String> = db
                        .load(&c.id)
                        .expect("load")
                        .heads()
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    heads.sort();
                    (c.id, heads)
                })
                .collect()
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A `sqlite` and a `postgres` test of a story `fn NAME(backend: &Backend)`;
/// or, with `run = RUNNER;` first, of any story that the test file's own
/// `fn RUNNER(backend: &Backend, story)` knows how to run.
#[macro_export]
macro_rules! on_both_backends {
    (run = $run:ident; $($story:ident),* $(,)?) => {$(
        mod $story {
            #[test]
            fn sqlite() {
                super::$run(&$crate::Backend::Sqlite, super::$story)
            }
            #[test]
            fn postgres() {
                if let Some(backend) = $crate::Backend::postgres() {
                    super::$run(&backend, super::$story)
                }
            }
        }
    )*};
    ($($story:ident),* $(,)?) => {$(
        mod $story {
            #[test]
            fn sqlite() {
                super::$story(&$crate::Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                if let Some(backend) = $crate::Backend::postgres() {
                    super::$story(&backend)
                }
            }
        }
    )*};
}
