//! Render benchmark (issue 2 §11): whole-process cold render of the seed-000
//! sample, warm per-document time in one process, peak memory, PDF size.
//!
//! Run with `cargo bench --bench render`; the table is printed and written to
//! `target/bench-render.md`. With `-- --check` it exits 1 when a README
//! target is missed.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Peak resident set of this process, from /proc (KiB).
fn self_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

/// Peak RSS of a finished child, using `/usr/bin/time` when present.
fn child_peak_kib(bin: &Path, args: &[&str], index: &Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .args(args)
        .env("GONGWEN_FONT_INDEX", index)
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.trim().parse().ok())
}

fn main() {
    let root = common::root();
    let sample = root.join("samples/qianquan-2019-8.yaml");
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("q.pdf");
    let args = [
        "render",
        sample.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];

    // Cold: a whole process per render (font scan, template parse, layout,
    // PDF). `index` is the font index file; empty turns it off, as on the
    // very first run on a machine.
    let cold_runs = |index: &Path, runs: usize| -> Vec<f64> {
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                let s = Command::new(&bin)
                    .args(args)
                    .env("GONGWEN_FONT_INDEX", index)
                    .output()
                    .expect("run gongwen");
                assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
                t.elapsed().as_secs_f64()
            })
            .collect()
    };
    let runs = 15;
    let first = cold_runs(Path::new(""), 7);
    let index = dir.path().join("font-index.json");
    cold_runs(&index, 1);
    let cold = cold_runs(&index, runs);
    let cold_peak = child_peak_kib(&bin, &args, &index);
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);

    // Warm: one engine (fonts, templates, dictionary loaded), Typst's cache
    // cleared before each document so nothing of the previous one is reused.
    let engine = gongwen::render::engine(&Default::default()).expect("engine");
    let once = |i: usize| {
        let doc = gongwen::render::prepare(&engine, &sample).expect("prepare");
        let paged = gongwen::render::pages(&engine, &doc).expect("layout");
        let pdf = gongwen::typeset::pdf(&paged, &format!("bench-{i}")).expect("pdf");
        assert!(!pdf.is_empty());
        paged.pages().len()
    };
    let mut warm = Vec::new();
    let mut pages = 0;
    for i in 0..30 {
        typst::comemo::evict(0);
        let t = Instant::now();
        pages = once(i);
        warm.push(t.elapsed().as_secs_f64());
    }
    // Editing loop: the same document again with the cache kept (what
    // re-rendering after a small edit costs at best).
    let mut again = Vec::new();
    for i in 0..30 {
        let t = Instant::now();
        once(i);
        again.push(t.elapsed().as_secs_f64());
    }
    let warm_peak = self_peak_kib();

    let table = format!(
        "| measure | value |\n|---|---|\n\
         | sample | samples/qianquan-2019-8.yaml ({pages} pages) |\n\
         | cold whole-process render, median of {runs} | {:.3} s (min {:.3} s) |\n\
         | the same without the font index (first run on a machine), median of 7 | {:.3} s |\n\
         | cold peak RSS | {} |\n\
         | warm per-document (prepare + layout + PDF, cache cleared), median of 30 | {:.1} ms (min {:.1} ms) |\n\
         | warm re-render of the same document (cache kept), median of 30 | {:.1} ms |\n\
         | warm process peak RSS | {:.1} MiB |\n\
         | PDF size | {:.0} KB |\n",
        median(cold.clone()),
        cold.iter().cloned().fold(f64::MAX, f64::min),
        median(first),
        cold_peak.map(|k| format!("{:.1} MiB", k as f64 / 1024.0)).unwrap_or_else(|| "n/a (/usr/bin/time missing)".into()),
        median(warm.clone()) * 1e3,
        warm.iter().cloned().fold(f64::MAX, f64::min) * 1e3,
        median(again) * 1e3,
        warm_peak as f64 / 1024.0,
        size as f64 / 1000.0,
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-render.md"), &table);
    // README 性能: ≤ 0.25 s, ≤ 150 MiB; PDF ≤ 500 KB.
    let mut t = common::Targets::default();
    t.check("cold render (median)", Some(median(cold)), 0.25, true, "s");
    t.check(
        "cold peak RSS",
        cold_peak.map(|k| k as f64 / 1024.0),
        150.0,
        true,
        "MiB",
    );
    t.check("PDF size", Some(size as f64 / 1000.0), 500.0, true, "KB");
    t.finish();
}
