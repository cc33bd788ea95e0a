//! The demo's data, seeded once per test process and copied for each story:
//! seeding in a debug build takes seconds, and some thirty stories on each
//! backend start from the same demo. `rounds-server demo` on data that
//! already holds the demo starts without seeding it again. Each distinct
//! set of arguments (`--rules` changes what is seeded) gets its own seed.
//!
//! On SQLite the seed is a data directory copied file by file; on
//! PostgreSQL it is also a database that the story's is made anew from
//! (`CREATE DATABASE … TEMPLATE`, a file-level copy).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::backend::POSTGRES_ENV;
use crate::{server_binary, Backend, Server};

/// A seeded demo: its data directory, and its database on PostgreSQL.
#[derive(Clone)]
struct Seed {
    dir: PathBuf,
    database: Option<String>,
}

type Seeds = HashMap<(bool, Vec<String>), Seed>;
static SEEDS: Mutex<Option<Seeds>> = Mutex::new(None);

/// Gives the story's empty `data_dir` (and its empty database) the demo
/// seeded with `extra`. A database that already holds data (a story's
/// second server on one database) is left alone.
pub(crate) fn copy_into(backend: &Backend, data_dir: &Path, extra: &[String]) {
    if let Backend::Postgres { url } = backend {
        if !postgres_is_empty(url) {
            return;
        }
    }
    let mut seeds = SEEDS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let seeds = seeds.get_or_insert_with(HashMap::new);
    let key = (backend.is_postgres(), extra.to_vec());
    let seed = match seeds.get(&key) {
        Some(seed) => seed.clone(),
        None => {
            let seed = seed(backend.is_postgres(), extra, seeds.len());
            seeds.insert(key, seed.clone());
            seed
        }
    };
    copy_dir(&seed.dir, data_dir);
    if let (Backend::Postgres { url }, Some(template)) = (backend, &seed.database) {
        let name = database_name(url);
        // One statement a call: several would be one transaction, which
        // neither may run in.
        let mut admin = admin();
        admin
            .batch_execute(&format!("DROP DATABASE {name}"))
            .and_then(|()| {
                admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            })
            .expect("the story's database from the seed");
    }
}

/// Seeds the demo under the target directory (and in a database of its own
/// on PostgreSQL), and stops the server cleanly so its data is whole.
fn seed(postgres: bool, extra: &[String], n: usize) -> Seed {
    let root = server_binary()
        .parent()
        .expect("target/debug")
        .join("demo-seeds");
    remove_stale(&root);
    let tag = format!("{}-{n}", std::process::id());
    let dir = root.join(&tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a seed directory");
    let (backend, database) = if postgres {
        let name = format!("rounds_seed_{}", tag.replace('-', "_"));
        let mut admin = admin();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .and_then(|()| admin.batch_execute(&format!("CREATE DATABASE {name}")))
            .expect("a seed database");
        let url = std::env::var(POSTGRES_ENV).expect("PostgreSQL");
        let (server, _) = url.rsplit_once('/').expect("URL ends in /database");
        let url = format!("{server}/{name}");
        (Backend::Postgres { url }, Some(name))
    } else {
        (Backend::Sqlite, None)
    };
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let mut server = Server::start_fresh("demo", &backend, &dir, &extra);
    assert!(
        server
            .stop(Duration::from_secs(60))
            .is_some_and(|s| s.success()),
        "the seeding demo server did not stop cleanly"
    );
    Seed { dir, database }
}

fn admin() -> postgres::Client {
    let url = std::env::var(POSTGRES_ENV).expect("PostgreSQL");
    postgres::Client::connect(&url, postgres::NoTls).expect("the test PostgreSQL")
}

fn database_name(url: &str) -> &str {
    let base = url.split('?').next().unwrap_or(url);
    base.rsplit_once('/').expect("URL ends in /database").1
}

fn postgres_is_empty(url: &str) -> bool {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("the story's database");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("its tables")
        .get(0);
    tables == 0
}

/// Seeds of test processes that have ended, and their databases.
fn remove_stale(root: &Path) {
    let alive = |pid: &str| Path::new("/proc").join(pid).exists();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !alive(name.split('-').next().unwrap_or_default()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    if std::env::var(POSTGRES_ENV).is_err() {
        return;
    }
    let mut admin = admin();
    let Ok(rows) = admin.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'rounds_seed_%'",
        &[],
    ) else {
        return;
    };
    for row in rows {
        let name: String = row.get(0);
        let pid = name.trim_start_matches("rounds_seed_");
        if !alive(pid.split('_').next().unwrap_or_default()) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("data directory");
    for entry in std::fs::read_dir(from).expect("the seed").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy the seed");
        }
    }
}
