//! Staff, devices, tokens and per-device sync state on PostgreSQL: the same
//! rules as `crate::db::accounts` (tokens stored hashed, one live token per
//! device, a revoked device stays revoked).

use automerge::ChangeHash;
use rounds_core::store::{heads_from_text, heads_to_text};
use rounds_core::{DeviceId, Role, Staff};

use super::{notify, PgDb};
use crate::db::accounts::{check_device, token_hash, DeviceLogin};
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
        let row = self.client.get_mut().query_opt(
                "SELECT d.id, d.staff_id, d.revoked_at FROM tokens t JOIN devices d ON d.id = t.device_id
                 WHERE t.hash = $1",
                &[&token_hash(token)],
            )?
            .ok_or(AppError::Unauthenticated)?;
        if row.get::<_, Option<i64>>(2).is_some() {
            return Err(AppError::DeviceRevoked);
        }
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
        self.write(|tx| {
            tx.execute(
                "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                &[&device, &now()],
            )?;
            // Other processes close the device's event streams too.
            notify::revoked(tx, &node, device)
        })
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
