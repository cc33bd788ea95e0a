//! Staff, devices, tokens and per-device sync state on PostgreSQL: the same
//! rules as `crate::db::accounts` (tokens stored hashed, one live token per
//! device, a revoked device stays revoked).

use automerge::ChangeHash;
use rounds_core::store::{heads_from_text, heads_to_text};
use rounds_core::{DeviceId, Role, Staff};

use postgres::GenericClient;

use super::{notify, PgDb, ACCOUNTS_LOCK};
use crate::db::accounts::{check_device, check_session, token_hash, DeviceLogin};
use crate::db::admin::{
    keep_a_director, staff_not_found, username_taken, Account, AccountChange, AccountRows,
    AuditEntry, AuditRow, DeviceInfo, Standing,
};
use crate::db::{AccountStore, Delivery};
use crate::error::AppError;

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl AccountStore for PgDb {
    fn staff(&mut self, id: &str) -> Result<Option<Staff>, AppError> {
        let Some(row) = self
            .client
            .get_mut()
            .query_opt("SELECT name, role FROM staff WHERE id = $1", &[&id])?
        else {
            return Ok(None);
        };
        let role: String = row.get(1);
        let role =
            Role::parse(&role).ok_or_else(|| AppError::Internal(format!("unknown role {role}")))?;
        let estates = self
            .client
            .get_mut()
            .query(
                "SELECT estate_id FROM staff_estates WHERE staff_id = $1 ORDER BY estate_id",
                &[&id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(Some(Staff {
            id: id.into(),
            name: row.get(0),
            role,
            estates,
        }))
    }

    fn staff_count(&mut self) -> Result<i64, AppError> {
        Ok(self
            .client
            .get_mut()
            .query_one("SELECT COUNT(*) FROM staff", &[])?
            .get(0))
    }

    fn put_staff(
        &mut self,
        staff: &Staff,
        username: &str,
        password_hash: &str,
    ) -> Result<(), AppError> {
        self.write(|tx| {
        tx.execute(
            "INSERT INTO staff (id, username, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET username = $2, name = $3, role = $4, password_hash = $5",
            &[&staff.id, &username, &staff.name, &staff.role.as_str(), &password_hash],
        )?;
        set_estates(tx, staff)
        })
    }

    fn give_estate(&mut self, staff_id: &str, estate: &str) -> Result<(), AppError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO staff_estates (staff_id, estate_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&staff_id, &estate],
            )?;
            Ok(())
        })
    }

    fn password_of(&mut self, username: &str) -> Result<Option<(String, String)>, AppError> {
        Ok(self
            .client
            .get_mut()
            .query_opt(
                "SELECT id, password_hash FROM staff WHERE username = $1",
                &[&username],
            )?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn sign_in(
        &mut self,
        staff_id: &str,
        device: DeviceId,
        name: &str,
        public_key: &str,
        token: &str,
    ) -> Result<Staff, AppError> {
        let device = device.to_string();
        let node = self.node.clone();
        self.write(|tx| {
        // The first sign-in registers the device; later ones must match it.
        tx.execute(
            "INSERT INTO devices (id, staff_id, name, public_key, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO NOTHING",
            &[&device, &staff_id, &name, &public_key, &now()],
        )?;
        let row = tx.query_one(
            "SELECT staff_id, public_key, revoked_at FROM devices WHERE id = $1 FOR UPDATE",
            &[&device],
        )?;
        check_device(staff_id, public_key, row.get(0), row.get(1), row.get(2))?;
        tx.execute(
            "UPDATE devices SET name = $2 WHERE id = $1",
            &[&device, &name],
        )?;
        tx.execute("DELETE FROM tokens WHERE device_id = $1", &[&device])?;
        tx.execute(
            "INSERT INTO tokens (hash, device_id, created_at) VALUES ($1, $2, $3)",
            &[&token_hash(token), &device, &now()],
        )?;
        // Event streams of the device's earlier token, in other processes
        // too, check their token again and close.
        notify::revoked(tx, &node, &device)
        })?;
        self.staff(staff_id)?
            .ok_or_else(|| AppError::Internal("staff vanished".into()))
    }

    fn authenticate(&mut self, token: &str) -> Result<DeviceLogin, AppError> {
        let row = self
            .client
            .get_mut()
            .query_opt(
                "SELECT d.id, d.staff_id, d.revoked_at, s.disabled_at FROM tokens t
                 JOIN devices d ON d.id = t.device_id JOIN staff s ON s.id = d.staff_id
                 WHERE t.hash = $1",
                &[&token_hash(token)],
            )?
            .ok_or(AppError::Unauthenticated)?;
        check_session(row.get(2), row.get(3))?;
        let device = DeviceId::parse(row.get(0)).map_err(|e| AppError::Internal(e.to_string()))?;
        let staff = self.staff(row.get(1))?.ok_or(AppError::Unauthenticated)?;
        Ok(DeviceLogin { device, staff })
    }

    fn device_owner(&mut self, device: &str) -> Result<Option<Staff>, AppError> {
        let owner = self
            .client
            .get_mut()
            .query_opt("SELECT staff_id FROM devices WHERE id = $1", &[&device])?;
        match owner {
            Some(r) => self.staff(r.get(0)),
            None => Ok(None),
        }
    }

    fn device_key(&mut self, device: DeviceId) -> Result<Option<String>, AppError> {
        let key: Option<String> = self
            .client
            .get_mut()
            .query_opt(
                "SELECT public_key FROM devices WHERE id = $1",
                &[&device.to_string()],
            )?
            .map(|r| r.get(0));
        Ok(key.filter(|k| !k.is_empty()))
    }

    fn revoke(&mut self, device: &str) -> Result<(), AppError> {
        let node = self.node.clone();
        self.write(|tx| revoke_device(tx, &node, device))
    }

    fn known_heads(
        &mut self,
        device: DeviceId,
        doc: &str,
        confirmed: u64,
    ) -> Result<Vec<ChangeHash>, AppError> {
        let text: Option<String> = self
            .client
            .get_mut()
            .query_opt(
                "SELECT CASE WHEN sent_seq IS NOT NULL AND sent_seq <= $3 THEN sent_heads
                        ELSE known_heads END
                 FROM device_docs WHERE device_id = $1 AND doc_id = $2",
                &[&device.to_string(), &doc, &(confirmed as i64)],
            )?
            .map(|r| r.get(0));
        text.map(|t| heads_from_text(&t).map_err(|e| AppError::Internal(e.to_string())))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    fn record_delivery(&mut self, device: DeviceId, round: &Delivery) -> Result<(), AppError> {
        let device = device.to_string();
        self.write(|c| {
            // What was sent up to the device's cursor it now holds.
            c.execute(
                "UPDATE device_docs SET known_heads = sent_heads, sent_heads = NULL, sent_seq = NULL
                 WHERE device_id = $1 AND sent_seq IS NOT NULL AND sent_seq <= $2",
                &[&device, &(round.confirmed as i64)],
            )?;
            c.execute(
                "UPDATE devices SET last_sync_at = $2 WHERE id = $1",
                &[&device, &now()],
            )?;
            let known = c.prepare(
                "INSERT INTO device_docs (device_id, doc_id, known_heads) VALUES ($1, $2, $3)
             ON CONFLICT (device_id, doc_id) DO UPDATE SET known_heads = $3, sent_heads = NULL, sent_seq = NULL",
            )?;
            for (doc, heads) in &round.known {
                c.execute(&known, &[&device, doc, &heads_to_text(heads)])?;
            }
            let sent = c.prepare(
                "INSERT INTO device_docs (device_id, doc_id, sent_heads, sent_seq) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device_id, doc_id) DO UPDATE SET sent_heads = $3, sent_seq = $4",
            )?;
            for (doc, heads, seq) in &round.sent {
                c.execute(&sent, &[&device, doc, &heads_to_text(heads), seq])?;
            }
            Ok::<_, AppError>(())
        })
    }

    fn apply(
        &mut self,
        change: &AccountChange,
        audit: &AuditEntry,
    ) -> Result<Vec<String>, AppError> {
        let node = self.node.clone();
        self.write(|tx| {
            // One administrative change at a time: the last-director check
            // and the change see one state across processes.
            tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&ACCOUNTS_LOCK])?;
            let ended = apply_change(tx, change)?;
            insert_audit(tx, audit)?;
            // Other processes' event streams of these devices check again.
            for d in &ended {
                notify::revoked(tx, &node, d)?;
            }
            Ok(ended)
        })
    }

    fn record_audit(&mut self, entry: &AuditEntry) -> Result<(), AppError> {
        self.write(|tx| insert_audit(tx, entry))
    }

    fn audit_log(&mut self, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>, AppError> {
        Ok(self
            .client
            .get_mut()
            .query(
                "SELECT a.id, a.at, a.actor_id, COALESCE(s.name, ''), a.action, a.target, a.detail
                 FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
                 WHERE $1::bigint IS NULL OR a.id < $1 ORDER BY a.id DESC LIMIT $2",
                &[&before, &limit],
            )?
            .iter()
            .map(|r| AuditRow {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                actor_name: r.get(3),
                action: r.get(4),
                target: r.get(5),
                detail: serde_json::from_str(r.get(6)).unwrap_or_default(),
            })
            .collect())
    }

    fn accounts(&mut self) -> Result<Vec<Account>, AppError> {
        let c = self.client.get_mut();
        let staff = c
            .query(
                "SELECT id, username, name, role, disabled_at IS NOT NULL, must_change_password
                 FROM staff ORDER BY username",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
            .collect();
        let estates = c
            .query(
                "SELECT staff_id, estate_id FROM staff_estates ORDER BY estate_id",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let devices = c
            .query(
                "SELECT staff_id, id, name, public_key = '', created_at, last_sync_at, revoked_at
                 FROM devices ORDER BY created_at",
                &[],
            )?
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    DeviceInfo {
                        id: r.get(1),
                        name: r.get(2),
                        console: r.get(3),
                        created_at: r.get(4),
                        last_sync_at: r.get(5),
                        revoked_at: r.get(6),
                    },
                )
            })
            .collect();
        Ok(AccountRows {
            staff,
            estates,
            devices,
        }
        .into_accounts())
    }

    fn standing(&mut self, staff_id: &str) -> Result<Option<(bool, bool)>, AppError> {
        Ok(self
            .client
            .get_mut()
            .query_opt(
                "SELECT disabled_at IS NOT NULL, must_change_password FROM staff WHERE id = $1",
                &[&staff_id],
            )?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn staff_of_estate(&mut self, estate: &str) -> Result<Vec<(String, Role)>, AppError> {
        Ok(self
            .client
            .get_mut()
            .query(
                "SELECT s.id, s.role FROM staff s JOIN staff_estates e ON e.staff_id = s.id
                 WHERE e.estate_id = $1 ORDER BY s.id",
                &[&estate],
            )?
            .iter()
            .filter_map(|r| Some((r.get(0), Role::parse(r.get(1))?)))
            .collect())
    }
}

/// Its token is kept, so the device hears "revoked" rather than "sign in";
/// other processes close its event streams too.
fn revoke_device(tx: &mut impl GenericClient, node: &str, device: &str) -> Result<(), AppError> {
    mark_revoked(tx, device)?;
    notify::revoked(tx, node, device)
}

fn mark_revoked(tx: &mut impl GenericClient, device: &str) -> Result<(), AppError> {
    tx.execute(
        "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        &[&device, &now()],
    )?;
    Ok(())
}

fn insert_audit(tx: &mut impl GenericClient, e: &AuditEntry) -> Result<(), AppError> {
    tx.execute(
        "INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        &[
            &now(),
            &e.actor,
            &e.action.as_str(),
            &e.target,
            &e.detail_text(),
        ],
    )?;
    Ok(())
}

fn standing_of(tx: &mut impl GenericClient, id: &str) -> Result<Standing, AppError> {
    tx.query_opt(
        "SELECT role, disabled_at IS NOT NULL FROM staff WHERE id = $1",
        &[&id],
    )?
    .map(|r| Standing {
        role: r.get(0),
        disabled: r.get(1),
    })
    .ok_or_else(|| staff_not_found(id))
}

fn other_directors(tx: &mut impl GenericClient, id: &str) -> Result<i64, AppError> {
    Ok(tx
        .query_one(
            "SELECT COUNT(*) FROM staff WHERE role = 'director' AND disabled_at IS NULL AND id <> $1",
            &[&id],
        )?
        .get(0))
}

/// The devices of a member of staff not yet revoked.
fn live_devices(tx: &mut impl GenericClient, id: &str) -> Result<Vec<String>, AppError> {
    Ok(tx
        .query(
            "SELECT id FROM devices WHERE staff_id = $1 AND revoked_at IS NULL",
            &[&id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

fn set_estates(tx: &mut impl GenericClient, staff: &Staff) -> Result<(), AppError> {
    tx.execute(
        "DELETE FROM staff_estates WHERE staff_id = $1",
        &[&staff.id],
    )?;
    for e in &staff.estates {
        tx.execute(
            "INSERT INTO staff_estates (staff_id, estate_id) VALUES ($1, $2)",
            &[&staff.id, e],
        )?;
    }
    Ok(())
}

fn apply_change(
    tx: &mut impl GenericClient,
    change: &AccountChange,
) -> Result<Vec<String>, AppError> {
    match change {
        AccountChange::Create {
            staff,
            username,
            password_hash,
            must_change_password,
        } => {
            let taken: bool = tx
                .query_one(
                    "SELECT EXISTS(SELECT 1 FROM staff WHERE username = $1 OR id = $2)",
                    &[&username, &staff.id],
                )?
                .get(0);
            if taken {
                return Err(username_taken());
            }
            tx.execute(
                "INSERT INTO staff (id, username, name, role, password_hash, must_change_password)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &staff.id,
                    &username,
                    &staff.name,
                    &staff.role.as_str(),
                    &password_hash,
                    must_change_password,
                ],
            )?;
            set_estates(tx, staff)?;
            Ok(vec![])
        }
        AccountChange::Update { staff } => {
            let current = standing_of(tx, &staff.id)?;
            let others = other_directors(tx, &staff.id)?;
            keep_a_director(&current, staff.role == Role::Director, others)?;
            tx.execute(
                "UPDATE staff SET name = $2, role = $3 WHERE id = $1",
                &[&staff.id, &staff.name, &staff.role.as_str()],
            )?;
            set_estates(tx, staff)?;
            // Their sessions go on; each request reads the new estates.
            Ok(vec![])
        }
        AccountChange::Disable { staff_id } => {
            let current = standing_of(tx, staff_id)?;
            let others = other_directors(tx, staff_id)?;
            keep_a_director(&current, false, others)?;
            tx.execute(
                "UPDATE staff SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL",
                &[&staff_id, &now()],
            )?;
            live_devices(tx, staff_id)
        }
        AccountChange::Enable { staff_id } => {
            standing_of(tx, staff_id)?;
            tx.execute(
                "UPDATE staff SET disabled_at = NULL WHERE id = $1",
                &[&staff_id],
            )?;
            Ok(vec![])
        }
        AccountChange::Password {
            staff_id,
            password_hash,
            must_change_password,
        } => {
            standing_of(tx, staff_id)?;
            tx.execute(
                "UPDATE staff SET password_hash = $2, must_change_password = $3 WHERE id = $1",
                &[&staff_id, &password_hash, must_change_password],
            )?;
            if !must_change_password {
                return Ok(vec![]);
            }
            // A reset: whoever holds a session must sign in again.
            tx.execute(
                "DELETE FROM tokens WHERE device_id IN (SELECT id FROM devices WHERE staff_id = $1)",
                &[&staff_id],
            )?;
            live_devices(tx, staff_id)
        }
        AccountChange::Revoke { device } => {
            mark_revoked(tx, device)?;
            Ok(vec![device.clone()])
        }
    }
}
