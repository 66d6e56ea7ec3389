//! Workbench benchmark (issue 16): the server's work per live-preview
//! update of the seed-000 document (`samples/qianquan-2019-8.yaml`, 10
//! pages and its 签批单) with a warm engine — check, lay out, name every
//! page, draw the pages the browser lacks — as `gongwen serve` does it for
//! each pause in typing (HTTP excluded).
//!
//! The scripted sequence is 50 edits: 20 characters typed at the end of the
//! 方案, 15 at the end of 正文 on page 1, 15 new paragraphs early in the 方案
//! (every later page moves).
//!
//! Run with `cargo bench --bench serve`; `-- --check` exits 1 when a README
//! target is missed: ≤ 150 ms per update in each kind (issue 16), median ≤
//! 60 ms over the 50 edits (issue 20).

#[allow(dead_code)]
mod common;

use std::time::Instant;

use gongwen::render::EngineOptions;
use gongwen::serve::desk::{Desk, FormDoc};
use gongwen::serve::form;
use gongwen::typeset::fonts::FontOptions;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn peak_mib() -> f64 {
    common::peak_mib("self")
}

fn main() {
    let opts = EngineOptions {
        fonts: FontOptions {
            no_system_fonts: true,
            ..Default::default()
        },
        templates: None,
    };
    let engine = gongwen::render::engine(&opts).expect("engine");
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(engine, dir.path()).expect("data folder");
    let yaml = std::fs::read_to_string(common::root().join("samples/qianquan-2019-8.yaml"))
        .expect("sample");
    let id = desk.create(&yaml).expect("document");
    let mut doc: FormDoc = form::from_yaml(&yaml).expect("sample reads");

    // Warm: the first preview draws every page.
    let t = Instant::now();
    let first = desk.preview(&id, &doc, &[]).expect("preview");
    let cold = t.elapsed().as_secs_f64() * 1000.0;
    assert!(first.notes.iter().all(|n| !n.error), "{:?}", first.notes);
    let mut known = first.pages.clone();
    println!(
        "first preview (draws all {} pages): {cold:.0} ms",
        known.len()
    );

    // Typing: each update adds a character where the clerk is writing.
    let run = |what: &str,
               edits: usize,
               field: &str,
               edit: &dyn Fn(&str, usize) -> String,
               doc: &mut FormDoc,
               known: &mut Vec<String>| {
        let base = doc.values[field].clone();
        let mut times = Vec::new();
        let mut redrawn = Vec::new();
        for i in 0..edits {
            let text = edit(&base, i);
            doc.values.insert(field.to_string(), text);
            let t = Instant::now();
            let p = desk.preview(&id, doc, known).expect("preview");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            redrawn.push(p.pages.iter().filter(|h| !known.contains(h)).count());
            *known = p.pages;
        }
        doc.values.insert(field.to_string(), base);
        println!(
            "{what}: {edits} edits, median {:.0} ms per update, pages redrawn per update: median {}",
            median(times.clone()),
            redrawn[redrawn.len() / 2]
        );
        times
    };
    // One more character at the end of a paragraph each time (every
    // update is new: nothing is found among the pages already drawn).
    let typed = |base: &str, i: usize| format!("{}{}\n", base.trim_end(), "进".repeat(i + 1));
    // A new paragraph of 1–3 lines: every later page moves.
    let paragraph = |base: &str, i: usize| {
        let (first, more) = base.split_once('\n').unwrap_or((base, ""));
        format!(
            "{first}\n{}{}\n{more}",
            "新增一段文字，".repeat(5 * (i % 3 + 1)),
            "完".repeat(i + 1)
        )
    };
    let end = run(
        "typing at the end of the 方案 (last page)",
        20,
        "enclosure.body",
        &typed,
        &mut doc,
        &mut known,
    );
    let start = run(
        "typing at the end of 正文 (page 1)",
        15,
        "body",
        &typed,
        &mut doc,
        &mut known,
    );
    let moved = run(
        "a new paragraph early in the 方案 (every later page moves)",
        15,
        "enclosure.body",
        &paragraph,
        &mut doc,
        &mut known,
    );
    let mut all: Vec<f64> = [end.clone(), start.clone(), moved.clone()].concat();
    all.sort_by(f64::total_cmp);
    let all_median = all[all.len() / 2];
    let p95 = all[(all.len() * 95).div_ceil(100) - 1];
    println!(
        "all {} edits: median {all_median:.0} ms, 95th percentile {p95:.0} ms, slowest {:.0} ms",
        all.len(),
        all[all.len() - 1]
    );
    let (end, start, moved) = (median(end), median(start), median(moved));
    let _ = desk.preview(&id, &doc, &known).map(|p| known = p.pages);
    let t = Instant::now();
    let same = desk.preview(&id, &doc, &known).expect("preview");
    let unchanged = t.elapsed().as_secs_f64() * 1000.0;
    assert!(same.notes.iter().all(|n| !n.error));
    println!("an update with nothing changed: {unchanged:.0} ms");
    println!("peak memory, one document: {:.0} MiB", peak_mib());

    // 20 clerks' drafts open at once: each previewed (every page drawn and
    // kept), as 20 browsers would after opening them.
    for n in 0..20 {
        let mut other = doc.clone();
        let title = format!("{}（第{}稿）", other.values["title"], n + 1);
        other.values.insert("title".into(), title);
        let id = desk.create(&yaml).expect("document");
        let p = desk.preview(&id, &other, &[]).expect("preview");
        assert!(p.notes.iter().all(|n| !n.error), "{:?}", p.notes);
    }
    let twenty = peak_mib();
    println!("peak memory, 20 open drafts previewed: {twenty:.0} MiB");

    let mut t = common::Targets::default();
    t.check(
        "preview update, typing at the end",
        Some(end),
        150.0,
        true,
        "ms",
    );
    t.check(
        "preview update, typing on page 1",
        Some(start),
        150.0,
        true,
        "ms",
    );
    t.check(
        "preview update, every later page moved",
        Some(moved),
        150.0,
        true,
        "ms",
    );
    t.check(
        "preview update, median of the 50 edits",
        Some(all_median),
        60.0,
        true,
        "ms",
    );
    t.check("memory, 20 open drafts", Some(twenty), 500.0, true, "MiB");
    t.finish();
}
