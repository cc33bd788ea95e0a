//! Who changed a record, when, and on which device, read from the document's
//! own change history (each change's message names the person and the edit).

use serde::{Deserialize, Serialize};

use super::RecordDoc;
use crate::ids::DeviceId;
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
                }
            })
            .collect()
    }
}
