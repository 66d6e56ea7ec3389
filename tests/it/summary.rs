//! Quarterly summary: required vs done per unit, missed months by name,
//! hazards and 闭环率, the completion chart, optional red header (issue 5 §4).

use std::path::Path;

use gongwen::reports::ledger::{self, Kind};
use gongwen::reports::summary::{self, SummaryOptions};

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/ledgers")
}

fn render(red: bool, quarter: u32) -> gongwen::typeset::inspect::Inspection {
    let ak = Kind::load("activity", None).unwrap();
    let acts = ledger::read_rows(&ak, &samples().join("activities-2019.csv")).unwrap();
    let hk = Kind::load("hazard", None).unwrap();
    let hz = ledger::read_rows(&hk, &samples().join("hazards-2019.csv")).unwrap();
    let o = SummaryOptions {
        year: 2019,
        quarter,
        organ: "千泉街道办事处".into(),
        red_header: red,
        signer: red.then(|| "张某某".to_string()),
        number: red.then(|| "千街发〔2019〕30号".to_string()),
        to: red.then(|| "邹城市安全生产委员会办公室".to_string()),
        ..Default::default()
    };
    let notice = summary::report(&ak, &acts, Some((&hk, &hz)), &o).unwrap();
    let origin = gongwen::source::Origin::built(samples().join("s.yaml"));
    let doc = gongwen::render::prepare_notice(crate::common::engine(), &notice, origin)
        .unwrap_or_else(|e| panic!("{e}"));
    gongwen::typeset::inspect::Inspection::of(
        &gongwen::render::pages(crate::common::engine(), &doc).unwrap(),
    )
}

#[test]
fn q3_counts_missed_months_and_draws_the_chart() {
    let ins = render(false, 3);
    let text = ins.text();
    assert!(
        text.contains("关于2019年第三季度“零事故”创建工作情况的报告"),
        "{text}"
    );
    // 大屈村 skipped the August training (sample data): 8 of 9, 88.9 %.
    assert!(
        text.contains("大屈村2/33/33/388.9%") || text.contains("大屈村3/32/33/388.9%"),
        "{text}"
    );
    assert!(
        text.contains("大屈村（8月安全培训、警示教育）"),
        "missed month named: {text}"
    );
    assert!(text.contains("东关社区3/33/33/3100.0%"), "{text}");
    // The chart: one bar per unit, in grey, its length following the rate.
    let bars: Vec<_> = ins
        .rules
        .iter()
        .filter(|r| r.height > 4.5 && r.height < 5.5 && r.width > 1.0 && !r.red)
        .collect();
    assert!(bars.len() >= 8, "frames and bars drawn: {}", bars.len());
    assert!(text.contains("各单位活动完成率"));
    assert!(ins.runs.iter().all(|r| !r.red), "no red without the header");
}

#[test]
fn q2_hazards_and_closure_rate_with_red_header() {
    let ins = render(true, 2);
    let text = ins.text();
    assert!(
        ins.runs
            .iter()
            .any(|r| r.red && r.text.contains("千泉街道办事处")),
        "red header"
    );
    assert!(
        text.contains("千街发〔2019〕30号") && text.contains("签发人：张某某"),
        "{text}"
    );
    // Q2: 6 hazards found (18 Apr … 3 Jun), 3 closed by 30 June → 50.0 %.
    assert!(
        text.contains("共排查隐患6处，已整改销号3处，闭环率50.0%"),
        "{text}"
    );
    assert!(
        text.contains("九里村（4月送教入村、安全教育体验）"),
        "missed April named: {text}"
    );
    assert!(!text.contains("东关社区（"), "东关社区 missed nothing");
}
