//! GET /v1/events: Server-Sent Events that poke a connected device as soon as
//! a document of its estates changes, so it syncs without polling. The
//! stream ends as soon as the token it was opened with stops working: the
//! device is revoked, the console signs out, or the device signs in again
//! (which replaces its token); and when the server shuts down.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use rounds_core::sync::ChangedEvent;
use tokio::sync::broadcast::error::RecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::phone::auth::{bearer_token, Authed};
use crate::state::AppState;

pub async fn events(
    State(state): State<AppState>,
    who: Authed,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let device = who.device;
    // Authed has checked it: the stream lives as long as this token works.
    let token = bearer_token(&headers).unwrap_or_default();
    let mut ended = state.revoked.subscribe();
    let mut stopping = state.stopping.subscribe();
    let checker = state.clone();
    let token_ended = async move {
        loop {
            match ended.recv().await {
                Ok(d) if d == device => {}
                Ok(_) => continue,
                // Missed some: check in case one was this device.
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => std::future::pending::<()>().await,
            }
            let t = token.clone();
            if checker.db(move |db| db.authenticate(&t)).await.is_err() {
                return;
            }
        }
    };
    // Or the server is shutting down.
    let until_ended = async move {
        tokio::select! {
            _ = token_ended => {}
            _ = stopping.wait_for(|s| *s) => {}
        }
    };
    let stream = BroadcastStream::new(state.changes.subscribe()).filter_map(move |c| match c {
        // The device's own changes need no poke; others' in its estates do
        // (an empty estate: pokes may have been missed, everyone syncs).
        Ok(c)
            if c.origin != Some(who.device)
                && (c.estate.is_empty() || who.staff.works_on(&c.estate)) =>
        {
            Some(Ok(Event::default()
                .event("changed")
                .json_data(ChangedEvent { seq: c.seq as u64 })
                .unwrap_or_default()))
        }
        Ok(_) => None,
        // Missed pokes (a slow reader): one poke covers them all.
        Err(_) => Some(Ok(Event::default().event("changed").data("{}"))),
    });
    let stream = futures_util::StreamExt::take_until(stream, until_ended);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
