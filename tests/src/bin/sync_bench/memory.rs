//! A process's memory and CPU time, read from `/proc` (Linux): what the
//! bench prints for the server it runs. Zero where `/proc` is not there.

use std::time::Duration;

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The most the process has held resident since it started (`VmHWM`).
pub fn peak_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM")
}

/// What the process holds resident now, once it has settled: the median of
/// five readings of `VmRSS` a tenth of a second apart.
pub fn settled_rss_kib(pid: u32) -> u64 {
    let mut readings: Vec<u64> = (0..5)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            status_kib(pid, "VmRSS")
        })
        .collect();
    readings.sort_unstable();
    readings[2]
}

/// User and system CPU time the process has used so far.
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Past the command name (which may hold spaces), utime and stime are the
    // 12th and 13th fields, in clock ticks: 100 a second on Linux.
    let Some((_, rest)) = stat.rsplit_once(") ") else {
        return 0.0;
    };
    let ticks: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() / 100.0
}

/// Bytes per held document from resident memory before and after (negative
/// when the process gave back more than the documents took).
pub fn bytes_per_doc(before_kib: u64, after_kib: u64, docs: usize) -> f64 {
    (after_kib as f64 - before_kib as f64) * 1024.0 / docs.max(1) as f64
}
