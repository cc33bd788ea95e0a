//! One sync round on the server: merge each
//! document the device sent (each on its own: a refusal holds back nothing
//! else), then page through what changed since the device's cursor.

use rounds_core::documents::RecordDoc;
use rounds_core::sync::guard::{check_incoming, Sender};
use rounds_core::sync::{
    from_base64, heads_from_hex, heads_to_hex, DocChanges, DocResult, ErrorBody, SyncRequest,
    SyncResponse,
};
use rounds_core::time::now_millis;
use rounds_core::RecordId;

use crate::auth::Authed;
use crate::error::AppError;
use crate::skew::clock_warning;
use crate::state::{Changed, Db, Limits};

/// The answer, and the documents this round changed (to poke other devices).
pub fn sync_round(
    db: &mut Db,
    who: &Authed,
    req: SyncRequest,
    limits: &Limits,
) -> Result<(SyncResponse, Vec<Changed>), AppError> {
    db.confirm_delivered(who.device, req.cursor)?;
    let mut changed = vec![];
    let results = req
        .docs
        .iter()
        .map(|doc| merge_doc(db, who, doc, limits, &mut changed))
        .collect::<Result<Vec<_>, _>>()?;

    // A cursor past anything stored means the server's data was replaced:
    // start the device over rather than leave it waiting forever.
    let last = db.last_seq()?;
    let mut cursor = if req.cursor as i64 > last {
        0
    } else {
        req.cursor as i64
    };
    let page = db.changed_since(cursor, &who.staff.estates, limits.page_docs + 1)?;
    let mut more = page.len() > limits.page_docs;
    let mut docs = vec![];
    let mut bytes = 0;
    for c in page.into_iter().take(limits.page_docs) {
        if bytes > limits.page_bytes {
            more = true;
            break;
        }
        let known = db.known_heads(who.device, c.id.as_str())?;
        let mut doc = db.load(&c.id)?;
        let mut heads = doc.heads();
        let mut k = known.clone();
        heads.sort();
        k.sort();
        if heads != k {
            let changes = doc.changes_since(&known);
            bytes += changes.len();
            docs.push(DocChanges::new(&c.id, c.kind, &heads, &changes));
            db.set_sent(who.device, c.id.as_str(), &heads, c.seq)?;
        }
        cursor = c.seq;
    }
    Ok((
        SyncResponse {
            results,
            docs,
            cursor: cursor as u64,
            more,
        },
        changed,
    ))
}

fn refused(id: &str, code: &str, message: String) -> DocResult {
    DocResult {
        id: id.into(),
        heads: None,
        error: Some(ErrorBody {
            code: code.into(),
            message,
        }),
        warning: None,
    }
}

/// Merges one document, or says why not; only a database failure is an Err.
fn merge_doc(
    db: &mut Db,
    who: &Authed,
    doc: &DocChanges,
    limits: &Limits,
    changed: &mut Vec<Changed>,
) -> Result<DocResult, AppError> {
    let Ok(id) = RecordId::parse(&doc.id) else {
        return Ok(refused(
            &doc.id,
            "bad_id",
            format!("记录编号无效 / “{}” is not a record id", doc.id),
        ));
    };
    let (Ok(bytes), Some(heads)) = (from_base64(&doc.changes), heads_from_hex(&doc.heads)) else {
        return Ok(refused(
            &doc.id,
            "corrupt",
            "数据无法解码 / changes or heads do not decode".into(),
        ));
    };
    let sender = Sender {
        staff: &who.staff,
        device: who.device,
    };
    // The check runs inside the backend's atomic step, against the stored
    // document as it is at that moment (another process may have merged).
    let mut warning = None;
    let mut check = |existing: Option<&RecordDoc>| {
        let merged = check_incoming(existing, &id, &doc.kind, &bytes, &heads, &sender)?;
        warning = clock_warning(existing, &merged, now_millis(), limits.max_clock_skew_ms);
        Ok(merged)
    };
    let merged = match db.merge(&id, &bytes, &mut check)? {
        Ok(m) => m,
        Err(refusal) => {
            tracing::warn!(
                device = %who.device, staff = %who.staff.id, record = %id, code = refusal.code(),
                "refused a record: {refusal}"
            );
            return Ok(refused(&doc.id, refusal.code(), refusal.to_string()));
        }
    };
    if let Some(w) = &warning {
        tracing::warn!(device = %who.device, staff = %who.staff.id, record = %id, "{}", w.message);
    }
    db.set_known(who.device, id.as_str(), &heads)?;
    if let Some(seq) = merged.seq {
        changed.push(Changed {
            estate: merged.estate,
            seq,
            origin: Some(who.device),
        });
    }
    Ok(DocResult {
        id: doc.id.clone(),
        heads: Some(heads_to_hex(&heads)),
        error: None,
        warning,
    })
}
