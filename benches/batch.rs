//! Batch benchmark (issue 4 §6, issue 6): 600 generated village units
//! through `gongwen batch`; documents/s, pages/s, peak memory, and whether
//! memory stays flat (RSS sampled during the run).
//!
//! `cargo bench --bench batch`; the table goes to `target/bench-batch.md`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let root = common::root();
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    // 600 distinct units, generated from the 16 sample villages.
    let sample = std::fs::read_to_string(root.join("samples/plans/villages-2019.csv"))
        .expect("sample units");
    let mut lines = sample.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut csv = format!("{header}\n");
    for i in 0..600 {
        let row = rows[i % rows.len()];
        let (name, rest) = row.split_once(',').expect("csv row");
        csv.push_str(&format!("{name}{}号片区,{rest}\n", i + 1));
    }
    let units = dir.path().join("units.csv");
    std::fs::write(&units, csv).unwrap();
    let plan = root.join("samples/plans/village-zero-accident.yaml");
    let out = dir.path().join("out");
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "batch",
            plan.to_str().unwrap(),
            "--units",
            units.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run batch");
    let pid = child.id();
    let mut samples = Vec::new();
    while child.try_wait().ok().flatten().is_none() {
        if let Some(k) = rss_kib(pid) {
            samples.push((started.elapsed().as_secs_f64(), k));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let secs = started.elapsed().as_secs_f64();
    let output = child.wait_with_output().expect("batch output");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    let pages: usize = log
        .split("共 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let docs = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
    // Flat memory: RSS in the last third of the run vs. the middle third.
    let n = samples.len();
    let third = |a: usize, b: usize| samples[a..b].iter().map(|s| s.1).max().unwrap_or(0);
    let (mid, last) = if n >= 6 {
        (third(n / 3, 2 * n / 3), third(2 * n / 3, n))
    } else {
        (peak, peak)
    };
    let table = format!(
        "| measure | value |\n|---|---|\n\
         | units | 600 (generated from samples/plans/villages-2019.csv) |\n\
         | documents written | {docs} |\n\
         | pages | {pages} |\n\
         | wall time | {secs:.1} s |\n\
         | documents/s | {:.1} |\n\
         | pages/s | {:.0} |\n\
         | peak RSS (sampled every 200 ms) | {:.0} MiB |\n\
         | RSS max, middle third → last third | {:.0} MiB → {:.0} MiB ({}) |\n",
        docs as f64 / secs,
        pages as f64 / secs,
        peak as f64 / 1024.0,
        mid as f64 / 1024.0,
        last as f64 / 1024.0,
        if last as f64 <= mid as f64 * 1.15 {
            "flat"
        } else {
            "growing"
        },
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-batch.md"), &table);
    // README 性能: ≤ 30 s (≥ 20 份/秒), ≤ 400 MiB and flat.
    let mut t = common::Targets::default();
    t.check("documents written", Some(docs as f64), 600.0, false, "");
    t.check("wall time", Some(secs), 30.0, true, "s");
    t.check("documents/s", Some(docs as f64 / secs), 20.0, false, "/s");
    t.check(
        "peak RSS",
        (peak > 0).then_some(peak as f64 / 1024.0),
        400.0,
        true,
        "MiB",
    );
    t.check(
        "RSS last third / middle third",
        (n >= 6 && mid > 0).then(|| last as f64 / mid as f64),
        1.15,
        true,
        "×",
    );
    t.finish();
}
