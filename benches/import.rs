//! Word-import benchmark (issue 15 §6): importing the 10-page seed-000
//! draft a word processor wrote (tests/data/word/corpus), and `render` of
//! that .docx against `render` of the equivalent YAML, whole processes.
//!
//! Run with `cargo bench --bench import`; `-- --check` exits 1 when a
//! target is missed (import ≤ 50 ms; render of the .docx ≤ 1.3× the YAML).

mod common;

use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let root = common::root();
    let draft = root.join("tests/data/word/corpus/s01-qianquan-word-numbering.docx");
    let yaml = root.join("samples/qianquan-2019-8.yaml");
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");

    // In one process: read the zip, the XML, recognise, write the YAML text.
    let mut import = Vec::new();
    let mut paragraphs = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let got = gongwen::import::import(&draft).expect("import");
        import.push(t.elapsed().as_secs_f64());
        paragraphs =
            got.draft.body.len() + got.draft.enclosure.as_ref().map_or(0, |e| e.body.len());
    }

    // Whole processes, alternating so both see the same machine load.
    let index = dir.path().join("font-index.json");
    let run = |input: &std::path::Path, out: &str| {
        let t = Instant::now();
        let s = Command::new(&bin)
            .args(["render", input.to_str().unwrap(), "-o"])
            .arg(dir.path().join(out))
            .env("GONGWEN_FONT_INDEX", &index)
            .output()
            .expect("run gongwen");
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
        t.elapsed().as_secs_f64()
    };
    run(&yaml, "warmup.pdf");
    let (mut from_docx, mut from_yaml) = (Vec::new(), Vec::new());
    for _ in 0..11 {
        from_docx.push(run(&draft, "docx.pdf"));
        from_yaml.push(run(&yaml, "yaml.pdf"));
    }
    let (d, y) = (median(from_docx), median(from_yaml));
    let table = format!(
        "| measure | value |\n|---|---|\n\
         | draft | s01-qianquan-word-numbering.docx ({paragraphs} paragraphs, 10 pages) |\n\
         | import (zip + XML + recognition + YAML), median of 30 | {:.1} ms |\n\
         | `render` of the .docx, whole process, median of 11 | {:.3} s |\n\
         | `render` of the YAML, whole process, median of 11 | {:.3} s |\n\
         | ratio .docx / YAML | {:.2} |\n",
        median(import.clone()) * 1e3,
        d,
        y,
        d / y,
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-import.md"), &table);
    let mut t = common::Targets::default();
    t.check(
        "import (median)",
        Some(median(import) * 1e3),
        50.0,
        true,
        "ms",
    );
    t.check("render .docx / render YAML", Some(d / y), 1.3, true, "×");
    t.finish();
}
