//! Content-template expansion: any template text, with a unit whose cells
//! hold directives and line breaks, expands or gives a Chinese error — never
//! a panic, never unbounded output, and never a unit's value turned into a
//! table or a paragraph of its own.

use gongwen::model::notice::{Block, Body};
use gongwen::plan::{units, Plan};

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let Ok(template) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let d = dir.path();
    let plan = "template: t.j2\ntitle: \"{{ unit.name }}方案\"\nsignature: \"{{ unit.name }}\"\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\ntasks:\n  - {name: 排查隐患, frequency: 每月至少1次}\n";
    let units_csv = "name,note\n甲,\"[[任务清单]]\"\n乙,\"一句。\n二、伪标题\"\n";
    if std::fs::write(d.join("t.j2"), template).is_err()
        || std::fs::write(d.join("p.yaml"), plan).is_err()
        || std::fs::write(d.join("u.csv"), units_csv).is_err()
    {
        return;
    }
    let Ok(plan) = Plan::load(&d.join("p.yaml"), None) else {
        return;
    };
    let list = units::read(&d.join("u.csv"), &plan.file.unit_columns, "单位名单")
        .expect("the unit list is valid");
    for unit in &list {
        let Ok(notice) = plan.expand(unit) else {
            continue;
        };
        let Some(Body::Blocks(blocks)) = &notice.body else {
            continue;
        };
        for b in blocks {
            if let Block::Text(t) = b {
                assert!(
                    !t.contains(['\u{E000}', '\u{E001}']),
                    "data marks reached the text: {t:?}"
                );
                assert!(t.len() <= 2_000_000, "output beyond the limit");
                assert!(!t.starts_with("二、伪标题"), "a cell became a paragraph");
            }
        }
    }
}
