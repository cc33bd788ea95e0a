//! One sync round on the server: decode what the device sent (before any
//! lock, within the request limits), merge each document on its own (a
//! refusal holds back nothing else), then page through what changed since
//! the device's cursor.

use rounds_core::documents::RecordDoc;
use rounds_core::message::{Bilingual, ErrorCode, Explain};
use rounds_core::policy::{Context, WireLimits};
use rounds_core::rules::RulesConfig;
use rounds_core::store::Outgoing;
use rounds_core::sync::guard::{judge_incoming, merge_incoming, Incoming, Sender};
use rounds_core::sync::{
    from_base64, heads_from_hex, heads_to_hex, DocChanges, DocResult, ErrorBody, SyncRequest,
    SyncResponse,
};
use rounds_core::time::Millis;
use rounds_core::RecordId;

use crate::db::Delivery;
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::phone::auth::Authed;
use crate::phone::skew::clock_warning;
use crate::state::{Changed, Db, Limits};
use std::sync::atomic::Ordering;

/// A document as decoded: ready to merge, or already refused.
pub type Decoded = Result<Incoming, Box<DocResult>>;

/// Decodes every document of a request; CPU work with no storage, so it runs
/// before the database is touched. Too many documents refuse the request.
pub fn decode(req: &SyncRequest, limits: &WireLimits) -> Result<Vec<Decoded>, AppError> {
    if req.docs.len() > limits.max_docs {
        let n = limits.max_docs;
        return Err(AppError::refused(
            ErrorCode::TooLarge,
            format!("一次最多同步{n}条记录"),
            format!("at most {n} records per sync request"),
        ));
    }
    Ok(req
        .docs
        .iter()
        .map(|doc| {
            let Ok(id) = RecordId::parse(&doc.id) else {
                return Err(Box::new(refused(
                    &doc.id,
                    ErrorBody::new(
                        ErrorCode::BadId,
                        &Bilingual::new(
                            format!("记录编号“{}”无效", doc.id),
                            format!("“{}” is not a record id", doc.id),
                        ),
                        None,
                    ),
                )));
            };
            let (Ok(bytes), Some(heads)) = (from_base64(&doc.changes), heads_from_hex(&doc.heads))
            else {
                return Err(Box::new(refused(
                    &doc.id,
                    ErrorBody::new(
                        ErrorCode::Corrupt,
                        &Bilingual::new("数据无法解码", "changes or heads do not decode"),
                        None,
                    ),
                )));
            };
            Incoming::parse(&id, &doc.kind, &bytes, heads, limits)
                .map_err(|r| Box::new(refused(&doc.id, ErrorBody::of(&r))))
        })
        .collect())
}

/// The answer, and the documents this round changed (to poke other devices);
/// a change whose time is far from `now` (the server's) is flagged.
#[allow(clippy::too_many_arguments)] // one round's context, passed down as is
pub fn sync_round(
    db: &mut Db,
    who: &Authed,
    req: SyncRequest,
    decoded: Vec<Decoded>,
    limits: &Limits,
    rules: &RulesConfig,
    metrics: &Metrics,
    now: Millis,
) -> Result<(SyncResponse, Vec<Changed>), AppError> {
    let sender = Sender {
        staff: &who.staff,
        device: who.device,
        device_key: db.device_key(who.device)?,
    };
    let ctx = Context {
        rules,
        limits: &limits.wire.doc,
    };
    let mut changed = vec![];
    let mut delivery = Delivery::new(req.cursor);
    let results = decoded
        .into_iter()
        .map(|doc| match doc {
            Ok(incoming) => merge_doc(
                db,
                who,
                &sender,
                &ctx,
                incoming,
                limits,
                metrics,
                now,
                &mut changed,
                &mut delivery,
            ),
            Err(refused) => Ok(*refused),
        })
        .collect::<Result<Vec<_>, _>>()?;

    // A cursor past anything stored means the server's data was replaced:
    // start the device over rather than leave it waiting forever.
    let last = db.last_seq()?;
    let mut cursor = if req.cursor as i64 > last {
        0
    } else {
        req.cursor as i64
    };
    // The company-wide records (the company's rules) reach every phone.
    let page = db.changed_since(cursor, &who.staff.scopes(), limits.page_docs + 1)?;
    let mut more = page.len() > limits.page_docs;
    let mut docs = vec![];
    let mut bytes = 0;
    for c in page.into_iter().take(limits.page_docs) {
        if bytes > limits.page_bytes {
            more = true;
            break;
        }
        let known = match delivery.known(c.id.as_str()) {
            Some(sent_now) => sent_now.to_vec(),
            None => db.known_heads(who.device, c.id.as_str(), delivery.confirmed)?,
        };
        if let Outgoing::Changes {
            heads,
            bytes: changes,
        } = db.outgoing(&c.id, &known)?
        {
            bytes += changes.len();
            docs.push(DocChanges::new(&c.id, c.kind, &heads, &changes));
            delivery.sent.push((c.id.to_string(), heads, c.seq));
        }
        cursor = c.seq;
    }
    db.record_delivery(who.device, &delivery)?;
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

fn refused(id: &str, error: ErrorBody) -> DocResult {
    DocResult {
        id: id.into(),
        heads: None,
        error: Some(error),
        warning: None,
    }
}

/// Merges one document, or says why not; only a database failure is an Err.
#[allow(clippy::too_many_arguments)] // one round's context, passed down as is
fn merge_doc(
    db: &mut Db,
    who: &Authed,
    sender: &Sender<'_>,
    ctx: &Context<'_>,
    incoming: Incoming,
    limits: &Limits,
    metrics: &Metrics,
    now: Millis,
    changed: &mut Vec<Changed>,
    delivery: &mut Delivery,
) -> Result<DocResult, AppError> {
    let id = incoming.id.clone();
    // The check runs inside the backend's atomic step, against the stored
    // document as it is at that moment (another process may have merged).
    let mut warning = None;
    let mut check = |existing: Option<&RecordDoc>| {
        let (mut merged, old_heads) = Metrics::time(&metrics.merge_ns, || {
            merge_incoming(existing, &incoming, sender)
        })?;
        Metrics::time(&metrics.policy_ns, || {
            judge_incoming(&mut merged, &old_heads, sender, ctx)
        })?;
        warning = clock_warning(existing, &merged, now, limits.max_clock_skew_ms);
        Ok(merged)
    };
    let merged = match db.merge(&id, &mut check)? {
        Ok(m) => {
            metrics.docs_stored.fetch_add(1, Ordering::Relaxed);
            m
        }
        Err(r) => {
            metrics.docs_refused.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                device = %who.device, staff = %who.staff.id, record = %id, code = %r.code(),
                field = r.field().unwrap_or_default(), "refused a record: {r}"
            );
            return Ok(refused(id.as_str(), ErrorBody::of(&r)));
        }
    };
    if let Some(w) = &warning {
        tracing::warn!(device = %who.device, staff = %who.staff.id, record = %id, "{}", w.message);
    }
    delivery
        .known
        .push((id.to_string(), incoming.heads.clone()));
    if let Some(seq) = merged.seq {
        changed.push(Changed {
            estate: merged.estate,
            seq,
            origin: Some(who.device),
        });
    }
    Ok(DocResult {
        id: id.to_string(),
        heads: Some(heads_to_hex(&incoming.heads)),
        error: None,
        warning,
    })
}
