//! OFD export benchmark (issue 17 §6): for the seed-000 sample
//! (samples/qianquan-2019-8.yaml), the time to write the laid-out pages as
//! OFD against the time to write them as PDF (one engine, pages laid out
//! once, each export repeated from an empty Typst cache as the single
//! export of a `render` run is), the two files' sizes, and whole `gongwen
//! render -o x.pdf` / `-o x.ofd` processes side by side.
//!
//! Run with `cargo bench --bench ofd`; with `-- --check` it exits 1 when
//! OFD export is slower than PDF export or the OFD is larger than 1.2× the
//! PDF.

mod common;

use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let sample = common::root().join("samples/qianquan-2019-8.yaml");
    let engine = gongwen::render::engine(&Default::default()).expect("engine");
    let doc = gongwen::render::prepare(&engine, &sample).expect("prepare");
    let paged = gongwen::render::pages(&engine, &doc).expect("layout");
    let info = gongwen::render::ofd_info(&doc, "bench");
    let runs = 15;
    let mut pdf_s = Vec::new();
    let mut ofd_s = Vec::new();
    let (mut pdf_len, mut ofd_len) = (0, 0);
    for _ in 0..runs {
        // Each export starts from an empty Typst cache, as the one export
        // of a `render` run does (typst-pdf memoises its font subsets).
        typst::comemo::evict(0);
        let t = Instant::now();
        pdf_len = gongwen::typeset::pdf(&paged, "bench").expect("pdf").len();
        pdf_s.push(t.elapsed().as_secs_f64());
        typst::comemo::evict(0);
        let t = Instant::now();
        ofd_len = gongwen::typeset::ofd::ofd(&paged, &info)
            .expect("ofd")
            .len();
        ofd_s.push(t.elapsed().as_secs_f64());
    }
    let (p, o) = (median(pdf_s), median(ofd_s));
    // Where the OFD time goes: the package (walk, subsets, XML) and the zip.
    let mut pkg_s = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let pkg = gongwen::typeset::ofd::package(&paged, &info).expect("ofd");
        pkg_s.push(t.elapsed().as_secs_f64());
        std::hint::black_box(pkg);
    }
    println!(
        "OFD package without the zip: {:.1} ms",
        median(pkg_s) * 1000.0
    );
    // Whole processes, alternating so both see the same machine load.
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("font-index.json");
    let run = |out: &str| {
        let t = Instant::now();
        let s = std::process::Command::new(&bin)
            .args(["render", sample.to_str().unwrap(), "--draft", "-o"])
            .arg(dir.path().join(out))
            .env("GONGWEN_FONT_INDEX", &index)
            .output()
            .expect("run gongwen");
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
        t.elapsed().as_secs_f64()
    };
    run("warmup.pdf");
    let (mut whole_pdf, mut whole_ofd) = (Vec::new(), Vec::new());
    for _ in 0..11 {
        whole_pdf.push(run("x.pdf"));
        whole_ofd.push(run("x.ofd"));
    }
    let (wp, wo) = (median(whole_pdf), median(whole_ofd));
    println!(
        "whole process, median of 11: render -o x.pdf {:.3} s, -o x.ofd {:.3} s ({:.2}×)",
        wp,
        wo,
        wo / wp
    );
    let report = format!(
        "| export of {} pages | median of {runs} | size |\n|---|---|---|\n| PDF | {:.1} ms | {:.1} KB |\n| OFD | {:.1} ms | {:.1} KB |\n| OFD / PDF | {:.2}× | {:.2}× |\n",
        paged.pages().len(),
        p * 1000.0,
        pdf_len as f64 / 1000.0,
        o * 1000.0,
        ofd_len as f64 / 1000.0,
        o / p,
        ofd_len as f64 / pdf_len as f64
    );
    println!("{report}");
    let _ = std::fs::write(common::root().join("target/bench-ofd.md"), &report);
    let mut t = common::Targets::default();
    t.check(
        "OFD export time / PDF export time",
        Some(o / p),
        1.0,
        true,
        "×",
    );
    t.check(
        "whole render -o x.ofd / -o x.pdf",
        Some(wo / wp),
        1.0,
        true,
        "×",
    );
    t.check(
        "OFD size / PDF size",
        Some(ofd_len as f64 / pdf_len as f64),
        1.2,
        true,
        "×",
    );
    t.finish();
}
