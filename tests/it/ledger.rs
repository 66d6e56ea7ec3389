//! Monthly 台账: kinds as data, row-level errors, carry-over of open hazards,
//! overdue marks, XLSX input, unit filter (issue 5 §1–3).

use std::path::Path;

use gongwen::reports::ledger::{self, Kind};

use crate::common::pdf_text;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/ledgers")
}

#[test]
fn activities_of_one_month_and_one_unit() {
    let kind = Kind::load("activity", None).unwrap();
    let rows = ledger::read_rows(&kind, &samples().join("activities-2019.csv")).unwrap();
    let may = ledger::month(&kind, &rows, 2019, 5, Some("大屈村"));
    assert!(!may.rows.is_empty());
    assert!(
        may.rows
            .iter()
            .all(|r| r[1] == "大屈村" && r[0].starts_with("2019年5月")),
        "{:?}",
        may.rows
    );
    let dates: Vec<&String> = may.rows.iter().map(|r| &r[0]).collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| gongwen::model::date::Date::parse(d).unwrap());
    assert_eq!(dates, sorted, "in date order");
}

#[test]
fn xlsx_gives_the_same_rows_as_csv() {
    let kind = Kind::load("活动台账", None).unwrap();
    let csv = ledger::read_rows(&kind, &samples().join("activities-2019.csv")).unwrap();
    let xlsx = ledger::read_rows(&kind, &samples().join("activities-2019-05.xlsx")).unwrap();
    let a = ledger::month(&kind, &csv, 2019, 5, None).rows;
    let b = ledger::month(&kind, &xlsx, 2019, 5, None).rows;
    assert_eq!(a, b);
    let named = ledger::read_rows(
        &kind,
        Path::new(&format!(
            "{}#5月",
            samples().join("activities-2019-05.xlsx").display()
        )),
    )
    .unwrap();
    assert_eq!(named.len(), xlsx.len());
}

#[test]
fn open_hazards_carry_over_and_overdue_ones_are_marked() {
    let kind = Kind::load("hazard", None).unwrap();
    let rows = ledger::read_rows(&kind, &samples().join("hazards-2019.csv")).unwrap();
    let may = ledger::month(&kind, &rows, 2019, 5, None);
    let status = |place: &str| {
        may.rows
            .iter()
            .find(|r| r[2] == place)
            .map(|r| r[8].clone())
    };
    // Found in April, closed 8 May: shown in May as carried over, closed.
    assert_eq!(status("农贸市场").as_deref(), Some("已销号（上月结转）"));
    // Found in April, deadline 5 May, still open: carried over and overdue.
    assert_eq!(
        status("加油站东侧").as_deref(),
        Some("整改中（上月结转）（逾期）")
    );
    // Deadline 25 May, not closed: overdue.
    assert_eq!(status("大屈小学").as_deref(), Some("待整改（逾期）"));
    // Deadline in June: open, not overdue.
    assert_eq!(status("村东废品收购站").as_deref(), Some("整改中"));
    assert_eq!((may.carried, may.overdue), (2, 2));
    // June: only hazards still open at 1 June carry over.
    let june = ledger::month(&kind, &rows, 2019, 6, None);
    let places: Vec<&str> = june.rows.iter().map(|r| r[2].as_str()).collect();
    assert!(
        places.contains(&"加油站东侧")
            && places.contains(&"村东废品收购站")
            && places.contains(&"社区广场")
    );
    assert!(
        !places.contains(&"农贸市场") && !places.contains(&"老旧小区3号楼"),
        "closed in May: gone in June"
    );
}

#[test]
fn bad_cells_are_named_by_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("h.csv");
    std::fs::write(
        &f,
        "排查日期,村（居）,部位/场所,隐患描述,等级,整改措施,整改责任人,整改时限,状态,复查人,销号日期\n\
         2019-05-06,东关社区,楼道,飞线充电,一般,拆除,刘某某,2019-05-31,整改中,,\n\
         2019-13-06,东关社区,楼道,飞线充电,较大,拆除,刘某某,2019-05-31,整改中,,\n\
         2019-05-07,东关社区,,飞线充电,一般,拆除,刘某某,明天,整改中,,\n",
    )
    .unwrap();
    let kind = Kind::load("hazard", None).unwrap();
    let Err(gongwen::Error::Input(d)) = ledger::read_rows(&kind, &f) else {
        panic!("errors expected")
    };
    let text: Vec<String> = d.iter().map(|x| x.to_string()).collect();
    let has = |row: usize, col: &str, what: &str| {
        text.iter()
            .any(|t| t.contains(&format!("第 {row} 行「{col}」")) && t.contains(what))
    };
    assert!(has(3, "排查日期", "不存在"), "{text:#?}");
    assert!(has(3, "等级", "“较大”不是可选的值"), "{text:#?}");
    assert!(has(4, "部位/场所", "不能空着"), "{text:#?}");
    assert!(has(4, "整改时限", "不是日期"), "{text:#?}");
    assert_eq!(d.len(), 4);
}

#[test]
fn ledger_pdf_has_title_period_table_and_signoff() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("l.pdf");
    let o = crate::common::command()
        .args([
            "ledger",
            "hazard",
            samples().join("hazards-2019.csv").to_str().unwrap(),
            "--month",
            "2019-05",
            "--reporter",
            "千泉街道安监办",
            "--filler",
            "王某某",
            "--reviewer",
            "李某某",
            "--date",
            "2019年6月3日",
            "-o",
        ])
        .arg(&out)
        .env(
            "GONGWEN_FONTS",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"),
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = lopdf::Document::load(&out).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().cloned().collect();
    let text: String = doc
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for s in [
        "2019年5月隐患排查治理台账",
        "填报单位：千泉街道安监办",
        "统计期：2019年5月",
        "填表人：王某某",
        "审核人：李某某",
        "填报日期：2019年6月3日",
        "第1页共1页",
        "（逾期）",
    ] {
        assert!(text.contains(s), "{s} missing: {text}");
    }
}

/// `--unit` keeps one unit's rows: 大屈村 held three activities in May 2019
/// (counted by hand in samples/ledgers/activities-2019.csv).
#[test]
fn ledger_unit_option_prints_one_units_rows() {
    let dir = tempfile::tempdir().unwrap();
    let o = crate::common::gongwen(
        &[
            "ledger",
            "activity",
            samples().join("activities-2019.csv").to_str().unwrap(),
            "--month",
            "2019-05",
            "--unit",
            "大屈村",
            "-o",
            "l.pdf",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdf_text(&dir.path().join("l.pdf"));
    assert!(text.contains("填报单位：大屈村"), "{text}");
    assert!(text.contains("共3条"), "{text}");
    assert_eq!(
        text.matches("2019年5月").count() - 2,
        3,
        "three dated rows: {text}"
    );
    for other in ["东关社区", "南关社区", "九里村"] {
        assert!(!text.contains(other), "{other} filtered out: {text}");
    }
}

/// A ledger kind of the user's own, given by its file path: its title,
/// columns, allowed values and types are the file's.
#[test]
fn a_custom_ledger_kind_file_defines_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("巡查.yaml"),
        "name: 消防巡查台账\ncolumns:\n  - {key: date, label: 巡查日期, width: 1.5, type: date, required: true}\n  - {key: unit, label: 单位, width: 1.4}\n  - {key: result, label: 结果, width: 1.0, required: true, values: [正常, 异常]}\n  - {key: people, label: 人数, width: 1.0, type: integer}\ndate_column: date\nunit_column: unit\n",
    )
    .unwrap();
    std::fs::write(
        d.join("ok.csv"),
        "巡查日期,单位,结果,人数\n2019-05-02,东关社区,正常,3\n2019-05-09,东关社区,异常,2\n2019-06-01,东关社区,正常,1\n",
    )
    .unwrap();
    let o = crate::common::gongwen(
        &[
            "ledger",
            "巡查.yaml",
            "ok.csv",
            "--month",
            "2019-05",
            "-o",
            "l.pdf",
        ],
        d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdf_text(&d.join("l.pdf"));
    for s in [
        "2019年5月消防巡查台账",
        "巡查日期单位结果人数",
        "共2条",
        "2019年5月2日东关社区正常3",
        "2019年5月9日东关社区异常2",
    ] {
        assert!(text.contains(s), "{s} missing: {text}");
    }
    assert!(!text.contains("2019年6月1日"), "June is another month");
    // The kind's own rules: allowed values and integer cells.
    std::fs::write(
        d.join("bad.csv"),
        "巡查日期,单位,结果,人数\n2019-05-02,东关社区,良好,三\n",
    )
    .unwrap();
    let o = crate::common::gongwen(
        &[
            "ledger",
            "巡查.yaml",
            "bad.csv",
            "--month",
            "2019-05",
            "-o",
            "b.pdf",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("“良好”") && err.contains("正常、异常"),
        "{err}"
    );
    assert!(err.contains("人数"), "{err}");
    assert!(!d.join("b.pdf").exists());
}
