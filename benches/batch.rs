//! Batch benchmark (issue 4 §6, issue 6, issue 20 §4): 600 generated
//! village units through `gongwen batch`; documents/s, pages/s, peak
//! memory of the whole run — the batch and its worker processes, summed —
//! and whether it stays flat (sampled every 200 ms); then, in this process,
//! how a plan's time splits between layout and PDF export.
//!
//! `cargo bench --bench batch [-- --check]`; the table goes to
//! `target/bench-batch.md`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

/// A `/proc/<pid>/…` figure in KiB: `VmRSS` from `status`, `Pss` from
/// `smaps_rollup`.
fn kib(pid: u32, file: &str, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// `pid` and all its descendants (children of every thread).
fn tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let p = all[i];
        i += 1;
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) else {
            continue;
        };
        for t in tasks.flatten() {
            if let Ok(c) = std::fs::read_to_string(t.path().join("children")) {
                all.extend(c.split_whitespace().filter_map(|n| n.parse::<u32>().ok()));
            }
        }
    }
    all
}

/// Memory of the run now: (sum of RSS, sum of PSS) over the process tree,
/// KiB. RSS counts the font files every process maps once per process;
/// PSS shares such pages out, so its sum is what the machine gives.
fn tree_kib(pid: u32) -> (u64, u64) {
    tree(pid).iter().fold((0, 0), |(r, p), &id| {
        (
            r + kib(id, "status", "VmRSS:").unwrap_or(0),
            p + kib(id, "smaps_rollup", "Pss:").unwrap_or(0),
        )
    })
}

/// Layout and PDF export of `n` units of the plan, one after the other in
/// this process with the batch's cache trimming: seconds in each.
fn export_share(root: &std::path::Path, units_csv: &std::path::Path, n: usize) -> (f64, f64) {
    use gongwen::plan::{units, Plan};
    let engine = gongwen::render::engine(&Default::default()).expect("engine");
    let plan =
        Plan::load(&root.join("samples/plans/village-zero-accident.yaml"), None).expect("plan");
    let list = units::read(units_csv, &plan.file.unit_columns, "单位名单").expect("units");
    let (mut layout, mut export) = (0.0, 0.0);
    for unit in list.iter().take(n) {
        let t = Instant::now();
        let notice = plan.expand(unit).expect("expand");
        let origin = gongwen::source::Origin::built(plan.dir().join("x.yaml"));
        let doc = gongwen::render::prepare_notice(&engine, &notice, origin).expect("prepare");
        let paged = gongwen::render::pages(&engine, &doc).expect("layout");
        layout += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let pdf = gongwen::render::export(
            &paged,
            "x",
            gongwen::render::Format::Pdf,
            None,
            &doc.facts.title,
        )
        .expect("export");
        export += t.elapsed().as_secs_f64();
        assert!(pdf.starts_with(b"%PDF"));
        typst::comemo::evict(2);
    }
    (layout, export)
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
    let mut workers = 0;
    while child.try_wait().ok().flatten().is_none() {
        let (rss, pss) = tree_kib(pid);
        workers = workers.max(tree(pid).len() - 1);
        if rss > 0 {
            samples.push((started.elapsed().as_secs_f64(), pss, rss));
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
    let peak_rss = samples.iter().map(|s| s.2).max().unwrap_or(0);
    let (layout, export) = export_share(root, &units, 60);
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
         | worker processes | {workers} |\n\
         | peak memory, batch + workers, sum of PSS (sampled every 200 ms) | {:.0} MiB |\n\
         | peak memory, batch + workers, sum of RSS (font pages counted per process) | {:.0} MiB |\n\
         | PSS max, middle third → last third | {:.0} MiB → {:.0} MiB ({}) |\n\
         | one plan, one thread (60 units): layout / PDF export | {:.1} ms / {:.1} ms ({:.0} % export) |\n",
        docs as f64 / secs,
        pages as f64 / secs,
        peak as f64 / 1024.0,
        peak_rss as f64 / 1024.0,
        mid as f64 / 1024.0,
        last as f64 / 1024.0,
        if last as f64 <= mid as f64 * 1.15 {
            "flat"
        } else {
            "growing"
        },
        layout * 1000.0 / 60.0,
        export * 1000.0 / 60.0,
        export * 100.0 / (layout + export),
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-batch.md"), &table);
    // Issue 20 §4: 600 units ≥ 45 documents/s on 2 cores, ≤ 300 MiB.
    let mut t = common::Targets::default();
    t.check("documents written", Some(docs as f64), 600.0, false, "");
    t.check("documents/s", Some(docs as f64 / secs), 45.0, false, "/s");
    t.check(
        "peak memory (sum of PSS)",
        (peak > 0).then_some(peak as f64 / 1024.0),
        300.0,
        true,
        "MiB",
    );
    t.check(
        "memory last third / middle third",
        (n >= 6 && mid > 0).then(|| last as f64 / mid as f64),
        1.15,
        true,
        "×",
    );
    t.finish();
}
