//! Shared by the benchmarks: build the release binary once, find paths.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `gongwen` in release mode and returns the binary's path.
pub fn release_binary() -> PathBuf {
    let status = Command::new("cargo")
        .args(["build", "--release", "--bin", "gongwen"])
        .current_dir(root())
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "cargo build --release failed"
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("release/gongwen")
}

/// The peak resident memory (VmHWM, MiB) of a process: `"self"` or a pid.
#[allow(dead_code)] // not every benchmark measures memory this way
pub fn peak_mib(process: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{process}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

/// The README's performance targets, checked with `--check`
/// (`cargo bench --bench render -- --check`): every missed target is
/// printed and the benchmark exits with status 1. Without `--check` the
/// benchmark only reports. Nothing here runs in `cargo test`.
#[derive(Default)]
pub struct Targets {
    missed: Vec<String>,
    lines: Vec<String>,
}

impl Targets {
    /// Whether `--check` was given.
    pub fn enabled() -> bool {
        std::env::args().any(|a| a == "--check")
    }

    /// Records `measure` (None: could not be measured) against `limit`;
    /// `at_most` says whether the target is an upper bound.
    pub fn check(
        &mut self,
        what: &str,
        measure: Option<f64>,
        limit: f64,
        at_most: bool,
        unit: &str,
    ) {
        let (ok, shown) = match measure {
            Some(v) => (
                if at_most { v <= limit } else { v >= limit },
                format!("{v:.3} {unit}"),
            ),
            None => (false, "not measured".to_string()),
        };
        let rel = if at_most { "≤" } else { "≥" };
        let line = format!(
            "{} {what}: {shown} (target {rel} {limit} {unit})",
            if ok { "ok    " } else { "MISSED" }
        );
        if !ok {
            self.missed.push(line.clone());
        }
        self.lines.push(line);
    }

    /// With `--check`: prints the verdicts and exits 1 if a target was missed.
    pub fn finish(self) {
        if !Self::enabled() {
            return;
        }
        println!("README targets:");
        for l in &self.lines {
            println!("  {l}");
        }
        if !self.missed.is_empty() {
            eprintln!("{} target(s) missed", self.missed.len());
            std::process::exit(1);
        }
    }
}
