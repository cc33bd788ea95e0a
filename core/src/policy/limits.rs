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
    let mut preds = 0u64;
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
        // Automerge's decoder visits every operation and gathers every
        // predecessor, and a run-length column declares 2^60 of either in a
        // few bytes: count them from the runs before anything is decoded.
        let (declared_ops, declared_preds) =
            declared(&rest[..end], header).ok_or_else(|| corrupt("change columns"))?;
        preds = preds.saturating_add(declared_preds);
        if (ops as u64).saturating_add(declared_ops) > limits.max_ops as u64
            || preds > limits.max_ops as u64
        {
            return Err(too_many(limits));
        }
        // Automerge 0.12 panics on some chunks it cannot read (an object
        // counter past u32, say) rather than refusing them.
        let change = std::panic::catch_unwind(|| Change::try_from(&rest[..end]))
            .map_err(|_| corrupt("the change does not decode"))?
            .map_err(|e| corrupt(&e.to_string()))?;
        ops += change.len();
        if changes.len() >= limits.max_changes || ops > limits.max_ops {
            return Err(too_many(limits));
        }
        check_values(&change, &limits.doc)?;
        changes.push(change);
        rest = &rest[end..];
    }
    Ok(changes)
}

fn too_many(limits: &WireLimits) -> Violation {
    Violation::new(
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
    )
}

/// A change chunk's column of actions (id 4, integers) and of predecessor
/// counts (id 7, group); the deflate bit (8) is refused by Automerge.
const ACTION_COLUMN: u64 = (4 << 4) | 2;
const PRED_COLUMN: u64 = 7 << 4;
const DEFLATE: u64 = 8;

/// The operations and predecessors a change chunk declares, read from the
/// run lengths of its action and predecessor-count columns (the decoder
/// yields one operation per action). None if the chunk does not read as a
/// change (Automerge would refuse it too).
fn declared(chunk: &[u8], header: usize) -> Option<(u64, u64)> {
    let mut r = Leb {
        bytes: chunk,
        at: header,
    };
    let deps = r.next()?;
    r.skip(deps.checked_mul(32)?)?;
    let actor = r.next()?;
    r.skip(actor)?;
    r.next()?; // seq
    r.next()?; // start op
    r.next()?; // time (signed, same length rules)
    let message = r.next()?;
    r.skip(message)?;
    // Each pass reads at least a byte, so no count loops past the chunk.
    for _ in 0..r.next()? {
        let actor = r.next()?;
        r.skip(actor)?;
    }
    let mut columns = vec![];
    for _ in 0..r.next()? {
        columns.push((r.next()?, r.next()?));
    }
    let (mut ops, mut preds, mut at) = (0, 0, r.at);
    for (spec, len) in columns {
        let end = at.checked_add(usize::try_from(len).ok()?)?;
        let data = chunk.get(at..end)?;
        at = end;
        if spec & DEFLATE != 0 {
            return None;
        }
        match spec {
            ACTION_COLUMN => ops = run_total(data, false)?,
            PRED_COLUMN => preds = run_total(data, true)?,
            _ => {}
        }
    }
    Some((ops, preds))
}

/// How many values a run-length column of unsigned integers holds, or
/// (`sum`) their total: runs of one value (positive count), literals
/// (negative count), runs of nulls (zero, then their number).
fn run_total(column: &[u8], sum: bool) -> Option<u64> {
    let mut r = Leb {
        bytes: column,
        at: 0,
    };
    let mut total = 0u64;
    while r.at < column.len() {
        let count = r.next_signed()?;
        if count > 0 {
            let value = r.next()?;
            let n = count as u64;
            total = total.saturating_add(if sum { n.saturating_mul(value) } else { n });
        } else if count < 0 {
            for _ in 0..count.unsigned_abs() {
                let value = r.next()?;
                total = total.saturating_add(if sum { value } else { 1 });
            }
        } else {
            let nulls = r.next()?;
            if !sum {
                total = total.saturating_add(nulls);
            }
        }
    }
    Some(total)
}

struct Leb<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Leb<'_> {
    fn next(&mut self) -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
            shift += 7;
        }
    }

    fn next_signed(&mut self) -> Option<i64> {
        let (mut v, mut shift) = (0i64, 0u32);
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= i64::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    v |= -1i64 << shift;
                }
                return Some(v);
            }
        }
    }

    fn skip(&mut self, n: u64) -> Option<()> {
        let end = self.at.checked_add(usize::try_from(n).ok()?)?;
        (end <= self.bytes.len()).then(|| self.at = end)
    }
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
    let too_long = || {
        Violation::new(
            Code::TooLarge,
            "",
            &format!("文字超过{}字节", limits.max_string_bytes),
            &format!("text longer than {} bytes", limits.max_string_bytes),
        )
    };
    // What a change carries besides its operations is stored too: held to
    // the same bound as any text.
    let message = change.message().map_or(0, str::len);
    if message > limits.max_string_bytes || change.extra_bytes().len() > limits.max_string_bytes {
        return Err(too_long());
    }
    // Automerge 0.12 verifies each operation as it parses a change but not
    // that its actor indexes are in range; expanding one that names an
    // actor the change does not list panics.
    let expanded = std::panic::catch_unwind(|| change.decode())
        .map_err(|_| corrupt("an operation names an actor the change does not list"))?;
    for op in expanded.operations {
        let size = match &op.action {
            automerge::legacy::OpType::Put(automerge::ScalarValue::Str(s)) => s.len(),
            automerge::legacy::OpType::Put(automerge::ScalarValue::Bytes(b)) => b.len(),
            // No record uses marks; their values are read by no view (and
            // so by no limit).
            automerge::legacy::OpType::MarkBegin(_) | automerge::legacy::OpType::MarkEnd(_) => {
                return Err(Violation::new(
                    Code::BadValue,
                    "",
                    "不允许标记",
                    "Automerge marks are not used by any record",
                ));
            }
            _ => 0,
        };
        let key = match &op.key {
            automerge::legacy::Key::Map(k) => k.len(),
            automerge::legacy::Key::Seq(_) => 0,
        };
        if size.max(key) > limits.max_string_bytes {
            return Err(too_long());
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
