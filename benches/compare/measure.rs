//! Measuring: peak memory of this process, size on disk, latency percentiles, and running a
//! measurement in a child process of its own (so each build's peak RSS is its own).

use anyhow::{bail, Context};
use serde::{de::DeserializeOwned, Serialize};
use std::path::Path;
use std::process::Command;

/// Peak resident set size of this process in MB (`VmHWM`), Linux only; 0 elsewhere.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Bytes a directory takes on disk (allocated blocks, as `du` counts them).
pub fn disk_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.blocks() * 512)
        .sum()
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub samples: usize,
}

impl Percentiles {
    pub fn of(samples: &[f64]) -> Percentiles {
        let mut v = samples.to_vec();
        v.sort_by(f64::total_cmp);
        // Nearest rank.
        let at = |p: f64| {
            if v.is_empty() {
                return 0.0;
            }
            let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
            v[rank - 1]
        };
        Percentiles {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            samples: v.len(),
        }
    }
}

/// Runs `op` in a child process (this benchmark re-executed with `--child`) and returns
/// what it printed as its last line of JSON.
pub fn in_child<A: Serialize, R: DeserializeOwned>(op: &str, args: &A) -> anyhow::Result<R> {
    let exe = std::env::current_exe().context("cannot find the benchmark executable")?;
    let json = serde_json::to_string(args)?;
    let out = Command::new(exe)
        .arg("--child")
        .arg(op)
        .arg(&json)
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run the {op} child"))?;
    if !out.status.success() {
        bail!("{op} child failed ({})", out.status);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .with_context(|| format!("{op} child printed no result"))?;
    serde_json::from_str(last).with_context(|| format!("{op} child result: {last}"))
}
