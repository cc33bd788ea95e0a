//! The same day on the JavaScript automerge-repo sync server: runs
//! `tests/automerge-repo/day.js` (node) over the documents the protocol's day
//! wrote, and reads back the one JSON line it prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What the harness measured (see `tests/automerge-repo/day.js`).
pub struct RepoDay {
    pub converged: bool,
    pub seconds: f64,
    pub docs_held: usize,
    pub rss_empty_kib: u64,
    pub rss_after_kib: u64,
    pub peak_kib: u64,
    pub server_cpu: f64,
    pub phones_cpu: f64,
}

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("automerge-repo")
}

/// Runs the harness, or says why it could not.
pub fn run(workload: &Path, limit: Duration) -> Result<RepoDay, String> {
    let dir = harness_dir();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    if !dir.join("node_modules/@automerge/automerge-repo").exists() {
        return Err(format!(
            "its packages are not installed: run {}",
            dir.join("install.sh").display()
        ));
    }
    let out = Command::new("node")
        .arg(dir.join("day.js"))
        .arg(workload)
        .args(["--limit", &limit.as_secs().to_string()])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or_else(|| format!("day.js printed no result ({})", out.status))?;
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("day.js result: {e}"))?;
    let num = |k: &str| v[k].as_f64().unwrap_or(0.0);
    Ok(RepoDay {
        converged: v["converged"].as_bool().unwrap_or(false),
        seconds: num("seconds"),
        docs_held: num("docs_held") as usize,
        rss_empty_kib: num("server_rss_empty_kib") as u64,
        rss_after_kib: num("server_rss_after_kib") as u64,
        peak_kib: num("server_peak_kib") as u64,
        server_cpu: num("server_cpu_seconds"),
        phones_cpu: num("phones_cpu_seconds"),
    })
}
