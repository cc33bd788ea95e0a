//! The command line: `serve`, `demo` and `init`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::company::CompanyRules;
use crate::error::AppError;
use crate::first_start::InitArgs;
use rounds_core::policy::{DocLimits, WireLimits};

use crate::phone::login_throttle::LoginLimits;
use crate::state::{AppState, Limits};

#[derive(Debug, Parser)]
#[command(name = "rounds-server", about = "Rounds 同步服务器 / sync server")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve on an existing (or new, empty) data directory.
    Serve(ServeArgs),
    /// Seed demo estates, staff, and last month's and this month's records
    /// if empty (or finish a seed that was interrupted), then serve.
    Demo(ServeArgs),
    /// First start of a company: create the first director on an empty data
    /// directory (refused once there are accounts), then say how to sign in.
    Init(InitArgs),
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    #[arg(long, default_value = "./data")]
    pub data_dir: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// `postgres://user@host:port/db` to run on PostgreSQL (several server
    /// processes may share it); the default is SQLite in the data directory.
    #[arg(long)]
    pub database: Option<String>,
    /// The company's rules as JSON (any of `RulesConfig`, the rest keeps the
    /// manuals' numbers), with its holiday calendar under `"calendar"`:
    /// inline, or the name of a calendar file beside it.
    #[arg(long, value_name = "FILE.json")]
    pub rules: Option<PathBuf>,
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    #[arg(long, default_value_t = Limits::default().max_blob_bytes)]
    pub max_blob_bytes: u64,
    #[arg(long, default_value_t = Limits::default().page_docs)]
    pub page_docs: usize,
    /// Minutes a change's time may be off before the phone's clock is flagged.
    #[arg(long, default_value_t = Limits::default().max_clock_skew_ms / 60_000)]
    pub clock_skew_minutes: i64,
    /// Wrong passwords for one username before its sign-in is locked.
    #[arg(long, default_value_t = LoginLimits::default().max_failures)]
    pub login_max_failures: u32,
    /// Wrong passwords from one client address before it is locked.
    #[arg(long, default_value_t = LoginLimits::default().max_address_failures)]
    pub login_max_address_failures: u32,
    /// Failures further apart than this many minutes start counting again.
    #[arg(long, default_value_t = LoginLimits::default().window.as_secs() / 60)]
    pub login_window_minutes: u64,
    /// Seconds of the first lock; each further failure doubles it.
    #[arg(long, default_value_t = LoginLimits::default().lockout.as_secs())]
    pub login_lockout_seconds: u64,
    /// The longest lock, in seconds.
    #[arg(long, default_value_t = LoginLimits::default().max_lockout.as_secs())]
    pub login_max_lockout_seconds: u64,
    /// Hours an unfinished blob upload is kept without a new chunk.
    #[arg(long, default_value_t = Limits::default().partial_upload_max_age.as_secs() / 3600)]
    pub partial_upload_hours: u64,
    /// Records one sync request may carry (phones send at most 100).
    #[arg(long, default_value_t = WireLimits::default().max_docs)]
    pub max_sync_docs: usize,
    /// Automerge operations one request may bring for one record.
    #[arg(long, default_value_t = WireLimits::default().max_ops)]
    pub max_ops_per_record: usize,
    /// The longest text value a record may hold, in UTF-8 bytes.
    #[arg(long, default_value_t = DocLimits::default().max_string_bytes)]
    pub max_text_bytes: usize,
    /// The longest list a record may hold (notes, scans, …).
    #[arg(long, default_value_t = DocLimits::default().max_list_len)]
    pub max_list_items: usize,
}

impl ServeArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_body_bytes: self.max_body_bytes,
            max_blob_bytes: self.max_blob_bytes,
            page_docs: self.page_docs.max(1),
            max_clock_skew_ms: self.clock_skew_minutes.max(0) * 60_000,
            login: LoginLimits {
                max_failures: self.login_max_failures.max(1),
                max_address_failures: self.login_max_address_failures.max(1),
                window: Duration::from_secs(self.login_window_minutes * 60),
                lockout: Duration::from_secs(self.login_lockout_seconds),
                max_lockout: Duration::from_secs(
                    self.login_max_lockout_seconds
                        .max(self.login_lockout_seconds),
                ),
            },
            partial_upload_max_age: Duration::from_secs(self.partial_upload_hours * 3600),
            wire: WireLimits {
                max_docs: self.max_sync_docs.max(1),
                max_ops: self.max_ops_per_record.max(1),
                doc: DocLimits {
                    max_string_bytes: self.max_text_bytes.max(64),
                    max_list_len: self.max_list_items.max(16),
                    ..DocLimits::default()
                },
                ..WireLimits::default()
            },
            ..Limits::default()
        }
    }

    /// The company's rules and calendar from `--rules`, checked; none
    /// without the option.
    pub fn company(&self) -> Result<Option<CompanyRules>, AppError> {
        let Some(path) = &self.rules else {
            return Ok(None);
        };
        crate::company::load(path)
            .map(Some)
            .map_err(|e| AppError::Refused {
                code: rounds_core::message::ErrorCode::Invalid,
                message: e.message(),
                field: None,
            })
    }

    /// The storage under the company's rules. A rules file that cannot be
    /// used stops the server before any data is opened; one that can is
    /// written into the company's rules document when it differs, and
    /// without one the document (if any) is applied.
    pub fn open(&self) -> Result<AppState, AppError> {
        let company = self.company()?;
        let state = self.open_storage()?;
        // The blocking client may not run on the async runtime's threads.
        let adopting = state.clone();
        std::thread::spawn(move || adopting.adopt_company(company))
            .join()
            .map_err(|_| AppError::Internal("reading the company's rules panicked".into()))??;
        Ok(state)
    }

    fn open_storage(&self) -> Result<AppState, AppError> {
        match self.database.as_deref() {
            None => AppState::open(&self.data_dir, self.limits()),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                // The blocking client may not run on the async runtime's threads.
                let (url, dir, limits) = (url.to_owned(), self.data_dir.clone(), self.limits());
                std::thread::spawn(move || AppState::open_postgres(&url, &dir, limits))
                    .join()
                    .map_err(|_| AppError::Internal("opening PostgreSQL panicked".into()))?
            }
            Some(other) => Err(AppError::refused(
                rounds_core::message::ErrorCode::BadRequest,
                format!("不认识的数据库“{other}”"),
                format!("unknown database “{other}” (expected postgres://…)"),
            )),
        }
    }
}

pub async fn serve(state: AppState, listen: SocketAddr) -> Result<(), AppError> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    // The client address feeds the sign-in back-off.
    let stopping = state.stopping.clone();
    let app = crate::routes::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: finishing the requests in flight");
            // Event streams never end by themselves.
            let _ = stopping.send(true);
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM (what a service manager or container runtime sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
