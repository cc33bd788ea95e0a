//! The command line: `serve` and `demo`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::AppError;
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
    /// Seed demo estates, staff and a month of records if empty, then serve.
    Demo(ServeArgs),
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
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    #[arg(long, default_value_t = Limits::default().max_blob_bytes)]
    pub max_blob_bytes: u64,
    #[arg(long, default_value_t = Limits::default().page_docs)]
    pub page_docs: usize,
    /// Minutes a change's time may be off before the phone's clock is flagged.
    #[arg(long, default_value_t = Limits::default().max_clock_skew_ms / 60_000)]
    pub clock_skew_minutes: i64,
}

impl ServeArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_body_bytes: self.max_body_bytes,
            max_blob_bytes: self.max_blob_bytes,
            page_docs: self.page_docs.max(1),
            max_clock_skew_ms: self.clock_skew_minutes.max(0) * 60_000,
            ..Limits::default()
        }
    }

    pub fn open(&self) -> Result<AppState, AppError> {
        match self.database.as_deref() {
            None => AppState::open(&self.data_dir, self.limits()),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                // The blocking client may not run on the async runtime's threads.
                let (url, dir, limits) = (url.to_owned(), self.data_dir.clone(), self.limits());
                std::thread::spawn(move || AppState::open_postgres(&url, &dir, limits))
                    .join()
                    .map_err(|_| AppError::Internal("opening PostgreSQL panicked".into()))?
            }
            Some(other) => Err(AppError::BadRequest(format!(
                "不认识的数据库 / unknown database “{other}” (expected postgres://…)"
            ))),
        }
    }
}

pub async fn serve(state: AppState, listen: SocketAddr) -> Result<(), AppError> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, crate::routes::router(state)).await?;
    Ok(())
}
