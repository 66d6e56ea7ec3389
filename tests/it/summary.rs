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
    // Columns: 送教入村、安全教育体验 | 安全培训、警示教育 | 安全志愿服务 | 完成率.
    // Hand-counted from samples/ledgers/activities-2019.csv, July–September:
    // 大屈村 trained in July and September only.
    for row in [
        "东关社区3/33/33/3100.0%",
        "九里村3/33/33/3100.0%",
        "南关社区3/33/33/3100.0%",
        "大屈村3/32/33/388.9%",
    ] {
        assert!(text.contains(row), "{row}: {text}");
    }
    assert!(
        text.contains("大屈村（8月安全培训、警示教育）"),
        "missed month named: {text}"
    );
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
    // Hand-counted from samples/ledgers/hazards-2019.csv: 6 found in Q2
    // (18 Apr … 3 Jun); closed by 30 June: 8 May, 28 May, 9 Jun; open past
    // their deadline on 30 June: 南关社区 (5 May), 九里村 (15 Jun), 大屈村 (25 May).
    assert!(
        text.contains("本季度共排查隐患6处，已整改销号3处，闭环率50.0%；截至季末逾期未整改3处。"),
        "{text}"
    );
    // 单位 | 排查 | 已销号 | 逾期未改 | 闭环率
    for row in [
        "东关社区220100.0%",
        "南关社区21150.0%",
        "九里村1010.0%",
        "大屈村1010.0%",
    ] {
        assert!(text.contains(row), "{row}: {text}");
    }
    // Activities in Q2: 九里村 missed April's 送教入村 (8 of 9).
    assert!(text.contains("九里村2/33/33/388.9%"), "{text}");
    assert!(
        text.contains("九里村（4月送教入村、安全教育体验）"),
        "missed April named: {text}"
    );
    assert!(!text.contains("东关社区（"), "东关社区 missed nothing");
}

/// `gongwen summary` as a clerk runs it: the figures in the PDF are the
/// hand-counted ones, for the units asked for only.
#[test]
fn the_summary_command_prints_the_hand_counted_figures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let acts = samples().join("activities-2019.csv");
    let hz = samples().join("hazards-2019.csv");
    let o = crate::common::gongwen(
        &[
            "summary",
            "--quarter",
            "2019Q2",
            "--activities",
            acts.to_str().unwrap(),
            "--hazards",
            hz.to_str().unwrap(),
            "--units",
            "南关社区、九里村",
            "--organ",
            "千泉街道办事处",
            "-o",
            "s.pdf",
        ],
        d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = lopdf::Document::load(d.join("s.pdf")).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().cloned().collect();
    let text: String = doc
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for want in [
        "关于2019年第二季度“零事故”创建工作情况的报告",
        "南关社区3/33/33/3100.0%",
        "九里村2/33/33/388.9%",
        // 南关社区 2 found, 1 closed; 九里村 1 found, 0 closed: 3 and 1.
        "本季度共排查隐患3处，已整改销号1处，闭环率33.3%；截至季末逾期未整改2处。",
        "南关社区21150.0%",
        "九里村1010.0%",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    for other in ["东关社区", "大屈村"] {
        assert!(!text.contains(other), "{other} was not asked for: {text}");
    }
}

/// Issue 14 item 16: the units come from the plan's unit list, those that
/// filed nothing are named once; a 主送 and a 下一步工作 section without the
/// red header; the title keeps “第二季度” whole.
#[test]
fn item16_every_listed_unit_is_counted_and_the_silent_ones_named() {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/plans/villages-2019.csv");
    let units = summary::unit_names(&list).expect("unit names");
    assert_eq!(units.len(), 16, "{units:?}");
    let ak = Kind::load("activity", None).unwrap();
    let acts = ledger::read_rows(&ak, &samples().join("activities-2019.csv")).unwrap();
    let o = SummaryOptions {
        year: 2019,
        quarter: 2,
        units: units.clone(),
        organ: "千泉街道办事处".into(),
        to: Some("邹城市安全生产委员会办公室".into()),
        next: Some("加强督导检查，每月通报活动开展情况。\n对没有报送台账的单位逐一约谈。".into()),
        ..Default::default()
    };
    let notice = summary::report(&ak, &acts, None, &o).unwrap();
    let origin = gongwen::source::Origin::built(samples().join("s.yaml"));
    let doc = gongwen::render::prepare_notice(crate::common::engine(), &notice, origin)
        .unwrap_or_else(|e| panic!("{e}"));
    let ins = gongwen::typeset::inspect::Inspection::of(
        &gongwen::render::pages(crate::common::engine(), &doc).unwrap(),
    );
    let text = ins.text();
    // The four units in the sample data filed; the twelve others are named.
    let filed = ["东关社区", "南关社区", "九里村", "大屈村"];
    let silent: Vec<&String> = units
        .iter()
        .filter(|u| !filed.contains(&u.as_str()))
        .collect();
    assert_eq!(silent.len(), 12);
    let sentence = format!(
        "以下12个单位本季度没有报送活动台账：{}。",
        silent
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("、")
    );
    assert!(text.contains(&sentence), "{sentence}\n{text}");
    // 16 units × 3 requirements × 3 months = 144 activities required.
    assert!(text.contains("本季度16个单位应开展活动144次"), "{text}");
    // Not repeated month by month in the list of missed months.
    assert!(!text.contains(&format!("{}（4月", silent[0])), "{text}");
    // 主送 on page 1, flush left, before the 正文; the next-steps section.
    let first = ins.lines(1);
    let to = crate::common::line(&first, "邹城市安全生产委员会办公室：");
    crate::common::near(to.left, 28.0, 0.3, "GW-B-10 主送 flush left");
    assert!(text.contains("三、下一步工作加强督导检查"), "{text}");
    assert!(ins.runs.iter().all(|r| !r.red), "no red header");
    // GW-B-03: “第二季度” is never split over title lines.
    let title: Vec<String> = first
        .iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == 22.0))
        .map(|l| l.text.clone())
        .collect();
    assert!(title.iter().any(|l| l.contains("第二季度")), "{title:?}");
}
