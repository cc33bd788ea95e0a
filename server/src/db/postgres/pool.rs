//! A small blocking connection pool: handlers run on blocking threads, each
//! takes a connection for its closure and gives it back.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use postgres::{Client, Config, NoTls};
use rounds_core::signoff::DeviceKey;
use rounds_core::store::Steps;
use rounds_core::DeviceId;

use super::{schema, PgDb};
use crate::error::AppError;

/// Connections one process opens at most.
const MAX_CONNECTIONS: usize = 8;
/// How long a request waits for a free connection before it fails.
const WAIT: Duration = Duration::from_secs(30);

pub struct PgPool {
    config: Config,
    device: DeviceId,
    key: Arc<DeviceKey>,
    node: String,
    idle: Mutex<Idle>,
    freed: Condvar,
}

struct Idle {
    clients: Vec<Client>,
    open: usize,
}

impl PgPool {
    /// Connects once to run migrations and learn the server's identity.
    pub fn open(url: &str) -> Result<Self, AppError> {
        let config: Config = url
            .parse()
            .map_err(|e| AppError::BadRequest(format!("database URL: {e}")))?;
        let mut client = config.connect(NoTls)?;
        schema::migrate(&mut client)?;
        let (device, key) = schema::server_identity(&mut client)?;
        super::documents::refresh_index(&mut client, device)?;
        Ok(PgPool {
            config,
            device,
            key: Arc::new(key),
            node: uuid_like()?,
            idle: Mutex::new(Idle {
                clients: vec![client],
                open: 1,
            }),
            freed: Condvar::new(),
        })
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A connection for one closure; blocks while all are in use.
    pub fn get(&self) -> Result<PgConn<'_>, AppError> {
        let lock_err = || AppError::Internal("pool lock poisoned".into());
        let mut idle = self.idle.lock().map_err(|_| lock_err())?;
        loop {
            if let Some(client) = idle.clients.pop() {
                return Ok(self.wrap(client));
            }
            if idle.open < MAX_CONNECTIONS {
                idle.open += 1;
                drop(idle);
                return match self.config.connect(NoTls) {
                    Ok(client) => Ok(self.wrap(client)),
                    Err(e) => {
                        self.forget();
                        Err(e.into())
                    }
                };
            }
            let (next, timeout) = self
                .freed
                .wait_timeout(idle, WAIT)
                .map_err(|_| lock_err())?;
            if timeout.timed_out() {
                return Err(AppError::Internal("no free database connection".into()));
            }
            idle = next;
        }
    }

    fn wrap(&self, client: Client) -> PgConn<'_> {
        PgConn {
            pool: self,
            db: Some(PgDb {
                client: RefCell::new(client),
                device: self.device,
                key: self.key.clone(),
                node: self.node.clone(),
                steps: Steps::new("BEGIN"),
            }),
        }
    }

    fn forget(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.open -= 1;
        }
        self.freed.notify_one();
    }
}

fn uuid_like() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// A pooled connection; back to the pool when dropped (or closed if broken).
pub struct PgConn<'a> {
    pool: &'a PgPool,
    db: Option<PgDb>,
}

impl Deref for PgConn<'_> {
    type Target = PgDb;
    fn deref(&self) -> &PgDb {
        self.db.as_ref().expect("connection present until dropped")
    }
}

impl DerefMut for PgConn<'_> {
    fn deref_mut(&mut self) -> &mut PgDb {
        self.db.as_mut().expect("connection present until dropped")
    }
}

impl Drop for PgConn<'_> {
    fn drop(&mut self) {
        let Some(db) = self.db.take() else { return };
        let mut client = db.client.into_inner();
        // A step left open (a panic mid-edit) must not leak into the next user.
        if db.steps.is_open() && client.batch_execute("ROLLBACK").is_err() {
            self.pool.forget();
            return;
        }
        if client.is_closed() {
            self.pool.forget();
            return;
        }
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.clients.push(client);
        }
        self.pool.freed.notify_one();
    }
}
