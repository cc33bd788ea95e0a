//! How much one request may ask of the server, checked on the bytes a device
//! sent before the database is touched, and how large a stored record may
//! grow, checked on the record itself.

use automerge::{Change, ChangeHash};
use serde::{Deserialize, Serialize};

use super::{Code, Violation};

/// Bounds on a record's contents (every record, on the phone and the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLimits {
    /// The longest text value, in UTF-8 bytes (a note of a few thousand
    /// Chinese characters fits).
    pub max_string_bytes: usize,
    /// The longest list (a year of daily notes fits many times over).
    pub max_list_len: usize,
    pub max_depth: usize,
    /// Scalars and containers in the whole record.
    pub max_values: usize,
}

impl Default for DocLimits {
    fn default() -> Self {
        DocLimits {
            max_string_bytes: 16 * 1024,
            max_list_len: 10_000,
            max_depth: 12,
            max_values: 500_000,
        }
    }
}

/// Bounds on one sync request, checked before the database lock is taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireLimits {
    /// Documents in one request (the client sends at most this many).
    pub max_docs: usize,
    /// Heads a device may claim for one document.
    pub max_heads: usize,
    /// Changes sent for one document.
    pub max_changes: usize,
    /// Operations in all changes sent for one document.
    pub max_ops: usize,
    pub doc: DocLimits,
}

impl Default for WireLimits {
    fn default() -> Self {
        WireLimits {
            max_docs: 100,
            max_heads: 64,
            max_changes: 5_000,
            max_ops: 200_000,
            doc: DocLimits::default(),
        }
    }
}

/// Automerge's chunk header: magic, checksum, type, then a LEB128 length.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE_CHUNK: u8 = 1;

/// Splits what a device sent into its changes, refusing anything but plain
/// change chunks (a compressed chunk or a whole document could inflate to
/// far more than it weighs on the wire) and anything past `limits`.
pub fn parse_changes(bytes: &[u8], limits: &WireLimits) -> Result<Vec<Change>, Violation> {
    let mut changes = vec![];
    let mut ops = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (chunk_type, len, header) =
            chunk_header(rest).ok_or_else(|| corrupt("chunk header"))?;
        if chunk_type != CHANGE_CHUNK {
            return Err(Violation::new(
                Code::NotChanges,
                "",
                "只接受未压缩的修改(save_after)",
                "send plain change chunks (save_after), not a document or compressed changes",
            ));
        }
        let end = header
            .checked_add(len)
            .filter(|end| *end <= rest.len())
            .ok_or_else(|| corrupt("truncated change"))?;
        let change = Change::try_from(&rest[..end]).map_err(|e| corrupt(&e.to_string()))?;
        ops += change.len();
        if changes.len() >= limits.max_changes || ops > limits.max_ops {
            return Err(Violation::new(
                Code::TooLarge,
                "",
                &format!(
                    "一次最多{}个修改、{}个操作",
                    limits.max_changes, limits.max_ops
                ),
                &format!(
                    "at most {} changes and {} operations per record per request",
                    limits.max_changes, limits.max_ops
                ),
            ));
        }
        check_values(&change, &limits.doc)?;
        changes.push(change);
        rest = &rest[end..];
    }
    Ok(changes)
}

/// The hashes of `changes`, to find any the merge left waiting for parents.
pub fn hashes(changes: &[Change]) -> Vec<ChangeHash> {
    changes.iter().map(Change::hash).collect()
}

fn chunk_header(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return None;
    }
    let chunk_type = bytes[8];
    let (mut len, mut shift, mut at) = (0u64, 0u32, 9usize);
    loop {
        let b = *bytes.get(at)?;
        at += 1;
        len |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    Some((chunk_type, usize::try_from(len).ok()?, at))
}

fn check_values(change: &Change, limits: &DocLimits) -> Result<(), Violation> {
    for op in change.decode().operations {
        let size = match &op.action {
            automerge::legacy::OpType::Put(automerge::ScalarValue::Str(s)) => s.len(),
            automerge::legacy::OpType::Put(automerge::ScalarValue::Bytes(b)) => b.len(),
            _ => 0,
        };
        {
            if size > limits.max_string_bytes {
                return Err(Violation::new(
                    Code::TooLarge,
                    "",
                    &format!("文字超过{}字节", limits.max_string_bytes),
                    &format!("text longer than {} bytes", limits.max_string_bytes),
                ));
            }
        }
    }
    Ok(())
}

fn corrupt(what: &str) -> Violation {
    Violation::new(
        Code::Corrupt,
        "",
        "数据损坏",
        &format!("the changes are corrupt or truncated ({what})"),
    )
}
