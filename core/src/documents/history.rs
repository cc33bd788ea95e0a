//! Who changed a record, when, and on which device, read from the document's
//! own change history. A change's message says who made it and what it did;
//! the office shows the person the server verified instead: each change's
//! actor is a device, and each device belongs to the staff member who signed
//! in with it ([`RecordDoc::verified_history`]).

use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::RecordDoc;
use crate::ids::DeviceId;
use crate::people::Role;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub change: String,
    /// None for a change whose actor is not one of our devices.
    pub device_id: Option<DeviceId>,
    pub staff_id: Option<String>,
    pub role: Option<String>,
    pub what: String,
    /// The device's clock at the time, to the second.
    pub at: Millis,
    /// The person comes from the device registry (or the server wrote the
    /// change itself), not from what the change says about itself.
    #[serde(default)]
    pub verified: bool,
}

#[derive(Deserialize)]
struct Message {
    by: Option<String>,
    role: Option<String>,
    what: Option<String>,
}

impl RecordDoc {
    /// Every change in causal order.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        self.automerge()
            .get_changes(&[])
            .into_iter()
            .map(|c| {
                let msg: Option<Message> = c.message().and_then(|m| serde_json::from_str(m).ok());
                let (staff_id, role, what) = match msg {
                    Some(m) => (m.by, m.role, m.what.unwrap_or_default()),
                    None => (None, None, c.message().unwrap_or_default().to_owned()),
                };
                HistoryEntry {
                    change: c.hash().to_string(),
                    device_id: DeviceId::from_actor(c.actor_id()),
                    staff_id,
                    role,
                    what,
                    at: c.timestamp() * 1000,
                    verified: false,
                }
            })
            .collect()
    }

    /// Every change with the person its device belongs to (`owner`), except
    /// the server's own changes (`server`), whose message the server wrote.
    /// A device nobody owns shows no person.
    pub fn verified_history(
        &mut self,
        server: DeviceId,
        mut owner: impl FnMut(DeviceId) -> Option<(String, Role)>,
    ) -> Vec<HistoryEntry> {
        let mut owners: HashMap<DeviceId, Option<(String, Role)>> = HashMap::new();
        let mut entries = self.history();
        for e in &mut entries {
            match e.device_id {
                Some(d) if d == server => e.verified = true,
                Some(d) => {
                    let found = owners.entry(d).or_insert_with(|| owner(d)).clone();
                    e.verified = found.is_some();
                    e.staff_id = found.as_ref().map(|(s, _)| s.clone());
                    e.role = found.map(|(_, r)| r.as_str().to_owned());
                }
                None => {
                    e.staff_id = None;
                    e.role = None;
                }
            }
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::{CommitOptions, Transactable};

    use super::*;
    use crate::documents::work_order::WorkOrderDoc;
    use crate::documents::{Record, Who};

    #[test]
    fn the_office_sees_the_device_owner_not_what_a_change_claims() {
        let (server, phone) = (DeviceId::new(), DeviceId::new());
        let desk = Who {
            staff_id: "s-reception".into(),
            role: Role::Receptionist,
            device_id: server,
            at: 1_000,
        };
        use crate::documents::work_order::{Contact, Deadline, OrderDraft, Source, SourceKind};
        let draft = OrderDraft {
            id: crate::ids::RecordId::new(),
            received_at: 1_000,
            source: Source {
                kind: SourceKind::ResidentRequest,
                record_id: None,
                item_id: None,
            },
            category: "general".into(),
            place: crate::places::Place {
                estate_id: "e1".into(),
                unit_id: Some("u1".into()),
                ..Default::default()
            },
            emergency: false,
            resident: Contact::default(),
            content: "门锁坏了".into(),
            deadline: Deadline {
                class: "standard_3_days".into(),
                due_at: 2_000,
                set_by: None,
            },
            rework_of: None,
            paid_service: false,
        };
        let mut order = WorkOrderDoc::register(&draft, server, &desk).unwrap();
        // A change from the technician's phone whose message names the director.
        let bytes = order.record_mut().save();
        let mut raw = automerge::AutoCommit::load(&bytes)
            .unwrap()
            .with_actor(phone.actor());
        raw.put(automerge::ROOT, "content", "改").unwrap();
        raw.commit_with(
            CommitOptions::default().with_message(
                r#"{"by":"s-director","role":"director","what":"review"}"#.to_string(),
            ),
        );
        let mut doc = RecordDoc::load(&raw.save(), server).unwrap();
        let owner = |d: DeviceId| (d == phone).then(|| ("s-tech".to_string(), Role::Technician));
        let history = doc.verified_history(server, owner);
        assert_eq!(history[0].staff_id.as_deref(), Some("s-reception"));
        assert!(
            history[0].verified,
            "the server's own change keeps its message"
        );
        assert_eq!(history[1].staff_id.as_deref(), Some("s-tech"));
        assert_eq!(history[1].role.as_deref(), Some("technician"));
        assert!(history[1].verified);
        let unknown = doc.verified_history(server, |_| None);
        assert_eq!(unknown[1].staff_id, None, "an unknown device names nobody");
        assert!(!unknown[1].verified);
    }
}
