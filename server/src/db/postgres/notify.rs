//! Pokes between server processes on one database: a merge, a revocation or
//! a device's new sign-in NOTIFYs inside its transaction (delivered on commit), and every process
//! LISTENs on its own connection and passes what others did to its
//! connected devices, so a change reaches them within a second whichever
//! process merged it.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient, NoTls};
use rounds_core::DeviceId;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::state::{AppState, Changed};

const CHANGED: &str = "rounds_changed";
const REVOKED: &str = "rounds_revoked";

#[derive(Serialize, Deserialize)]
struct Payload {
    node: String,
    #[serde(default)]
    estate: String,
    #[serde(default)]
    seq: i64,
    #[serde(default)]
    device: String,
}

fn send(tx: &mut impl GenericClient, channel: &str, p: &Payload) -> Result<(), AppError> {
    let text = serde_json::to_string(p).map_err(|e| AppError::Internal(e.to_string()))?;
    tx.execute("SELECT pg_notify($1, $2)", &[&channel, &text])?;
    Ok(())
}

/// A document of `estate` changed, at `seq`.
pub fn changed(
    tx: &mut impl GenericClient,
    node: &str,
    estate: &str,
    seq: i64,
) -> Result<(), AppError> {
    send(
        tx,
        CHANGED,
        &Payload {
            node: node.into(),
            estate: estate.into(),
            seq,
            device: String::new(),
        },
    )
}

/// A device's sessions may have ended (revoked, signed out, or signed in
/// again so that its earlier token was replaced): its event streams in
/// every process check their token again.
pub fn revoked(tx: &mut impl GenericClient, node: &str, device: &str) -> Result<(), AppError> {
    send(
        tx,
        REVOKED,
        &Payload {
            node: node.into(),
            estate: String::new(),
            seq: 0,
            device: device.into(),
        },
    )
}

/// Starts the listening thread; it reconnects after a lost connection.
pub fn listen(config: postgres::Config, node: &str, state: &AppState) -> Result<(), AppError> {
    let mut client = subscribe(&config)?;
    let (node, state) = (node.to_owned(), state.clone());
    std::thread::Builder::new()
        .name("pg-listen".into())
        .spawn(move || loop {
            pass_on(&mut client, &node, &state);
            tracing::warn!("lost the PostgreSQL notification connection; reconnecting");
            loop {
                std::thread::sleep(Duration::from_secs(1));
                match subscribe(&config) {
                    Ok(c) => {
                        client = c;
                        // Pokes may have been missed meanwhile: one covers them
                        // all, and the company's rules are read again.
                        let _ = state.reload_company();
                        let _ = state.changes.send(Changed {
                            estate: String::new(),
                            seq: 0,
                            origin: None,
                        });
                        break;
                    }
                    Err(e) => tracing::warn!("PostgreSQL LISTEN: {e}"),
                }
            }
        })?;
    Ok(())
}

fn subscribe(config: &postgres::Config) -> Result<Client, AppError> {
    let mut client = config.connect(NoTls)?;
    client.batch_execute(&format!("LISTEN {CHANGED}; LISTEN {REVOKED};"))?;
    Ok(client)
}

/// Passes notifications on until the connection fails.
fn pass_on(client: &mut Client, node: &str, state: &AppState) {
    let mut notifications = client.notifications();
    let mut iter = notifications.blocking_iter();
    while let Ok(Some(n)) = iter.next() {
        let Ok(p) = serde_json::from_str::<Payload>(n.payload()) else {
            continue;
        };
        if p.node == node {
            continue;
        }
        // No one listening is fine.
        if n.channel() == REVOKED {
            if let Ok(device) = DeviceId::parse(&p.device) {
                let _ = state.revoked.send(device);
            }
        } else {
            // Another process changed the company's rules: apply them here too.
            if p.estate == rounds_core::documents::company::COMPANY_SCOPE {
                let _ = state.reload_company();
            }
            let _ = state.changes.send(Changed {
                estate: p.estate,
                seq: p.seq,
                origin: None,
            });
        }
    }
}
