//! Monthly 台账: kinds as data, row-level errors, carry-over of open hazards,
//! overdue marks, XLSX input, unit filter (issue 5 §1–3).

use std::path::Path;

use gongwen::reports::ledger::{self, Kind};

use crate::common::pdf_text;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/ledgers")
}

/// Index of a column in a printed month row (after the 序号 column).
fn at(kind: &Kind, label: &str) -> usize {
    let i = kind
        .columns
        .iter()
        .position(|c| c.label == label)
        .unwrap_or_else(|| panic!("no column {label}"));
    i + usize::from(kind.numbered)
}

#[test]
fn activities_of_one_month_and_one_unit() {
    let kind = Kind::load("activity", None).unwrap();
    let rows = ledger::read_rows(&kind, &samples().join("activities-2019.csv")).unwrap();
    let may = ledger::month(&kind, &rows, 2019, 5, Some("大屈村"));
    assert!(!may.rows.is_empty());
    let (date, unit) = (at(&kind, "日期"), at(&kind, "村（居）"));
    assert!(
        may.rows
            .iter()
            .enumerate()
            .all(|(i, r)| r[0] == (i + 1).to_string()
                && r[unit] == "大屈村"
                && r[date].starts_with("2019年5月")),
        "序号 1, 2, … then the cells: {:?}",
        may.rows
    );
    let dates: Vec<&String> = may.rows.iter().map(|r| &r[date]).collect();
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
    let (pl, st) = (at(&kind, "部位/场所"), at(&kind, "状态"));
    let status = |place: &str| {
        may.rows
            .iter()
            .find(|r| r[pl] == place)
            .map(|r| r[st].clone())
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
    // Deadline in June, closed in June: open in May, not overdue.
    assert_eq!(status("村东废品收购站").as_deref(), Some("整改中"));
    assert_eq!((may.carried, may.overdue), (2, 2));
    // June: only hazards still open at 1 June carry over.
    let june = ledger::month(&kind, &rows, 2019, 6, None);
    let places: Vec<&str> = june.rows.iter().map(|r| r[pl].as_str()).collect();
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
        "第1页共",
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
    // Title, 统计期 and 填报日期 (the month's last day) name May too.
    assert!(text.contains("填报日期：2019年5月31日"), "{text}");
    assert_eq!(
        text.matches("2019年5月").count() - 3,
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

/// Issue 14 item 14: the hazard ledger has the columns an inspection asks
/// for, and a 重大 hazard needs its 治理方案/应急预案.
#[test]
fn item14_hazard_ledger_columns_and_the_plan_of_a_major_hazard() {
    let kind = Kind::load("hazard", None).unwrap();
    assert!(kind.numbered, "序号");
    for label in [
        "隐患类别",
        "排查人",
        "验收日期",
        "挂牌督办",
        "治理方案/应急预案",
        "复查人",
    ] {
        at(&kind, label);
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("h.csv");
    let header = "排查日期,村（居）,部位/场所,隐患描述,等级,整改措施,整改责任人,整改时限,状态,复查人,销号日期\n";
    // A file in the old form (without the new columns) still reads…
    std::fs::write(
        &f,
        format!("{header}2019-05-06,东关社区,楼道,飞线充电,一般,拆除,刘某某,2019-05-31,整改中,,\n"),
    )
    .unwrap();
    let rows = ledger::read_rows(&kind, &f).expect("the old columns still read");
    assert_eq!(rows.len(), 1);
    // …but a 重大 hazard without its plan is an error naming row and column.
    std::fs::write(
        &f,
        format!(
            "{header}2019-05-12,九里村,收购站,易燃物堆放,重大,清理,王某某,2019-06-15,整改中,,\n"
        ),
    )
    .unwrap();
    let Err(gongwen::Error::Input(d)) = ledger::read_rows(&kind, &f) else {
        panic!("a 重大 hazard without 治理方案 must be refused")
    };
    let text = d[0].to_string();
    assert!(
        text.contains("第 2 行「治理方案/应急预案」")
            && text.contains("等级为“重大”")
            && text.contains("表头还没有「治理方案/应急预案」这一列"),
        "{text}"
    );
}

/// Issue 14 item 14: what happens after the month (验收, 复查人, 销号) is not
/// printed in that month's ledger.
#[test]
fn item14_a_later_acceptance_and_its_checker_are_not_in_the_month() {
    let kind = Kind::load("hazard", None).unwrap();
    let rows = ledger::read_rows(&kind, &samples().join("hazards-2019.csv")).unwrap();
    let row = |m: u32| {
        ledger::month(&kind, &rows, 2019, m, None)
            .rows
            .into_iter()
            .find(|r| r[at(&kind, "部位/场所")] == "村东废品收购站")
            .expect("the 重大 hazard of 九里村")
    };
    // Accepted and closed on 8 July by 周某某 (samples/ledgers/hazards-2019.csv).
    for m in [5, 6] {
        let r = row(m);
        for label in ["验收日期", "复查人", "销号日期"] {
            assert_eq!(
                r[at(&kind, label)],
                "",
                "{label} is in July, not in month {m}"
            );
        }
        assert!(r[at(&kind, "状态")].starts_with("整改中"), "{r:?}");
    }
    let july = row(7);
    assert_eq!(july[at(&kind, "复查人")], "周某某");
    assert_eq!(july[at(&kind, "验收日期")], "2019年7月8日");
    assert!(july[at(&kind, "状态")].starts_with("已销号"));
}

/// Issue 14 item 15: the 填报日期 is the month's last day unless given, in
/// the Chinese form; the sign-off block is whole on one page.
#[test]
fn item15_report_date_and_signoff_block() {
    assert_eq!(ledger::report_date(None, 2019, 2).unwrap(), "2019年2月28日");
    assert_eq!(ledger::report_date(None, 2020, 2).unwrap(), "2020年2月29日");
    assert_eq!(
        ledger::report_date(Some("2019-06-03"), 2019, 5).unwrap(),
        "2019年6月3日"
    );
    assert!(ledger::report_date(Some("六月"), 2019, 5).is_err());
    let dir = tempfile::tempdir().unwrap();
    let data = samples().join("hazards-2019.csv");
    let args = |date: &str| {
        let mut a = vec![
            "ledger".to_string(),
            "hazard".into(),
            data.display().to_string(),
            "--month".into(),
            "2019-05".into(),
            "--reporter".into(),
            "千泉街道安监办".into(),
            "--head".into(),
            "赵某某".into(),
            "-o".into(),
            "l.pdf".into(),
        ];
        if !date.is_empty() {
            a.extend(["--date".to_string(), date.to_string()]);
        }
        a
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        crate::common::gongwen(&a, dir.path())
    };
    let o = run(args("六月"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("填报日期"));
    assert!(!dir.path().join("l.pdf").exists());
    let o = run(args("2019/6/3"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = lopdf::Document::load(dir.path().join("l.pdf")).unwrap();
    let pages: Vec<String> = doc
        .get_pages()
        .keys()
        .map(|p| {
            doc.extract_text(&[*p])
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect();
    let sign = pages
        .iter()
        .find(|p| p.contains("填报单位（盖章）：千泉街道安监办"))
        .expect("填报单位（盖章）");
    for s in [
        "负责人：赵某某",
        "审核人：",
        "填表人：",
        "填报日期：2019年6月3日",
    ] {
        assert!(
            sign.contains(s),
            "{s} on the page of 填报单位（盖章）: {sign}"
        );
    }
}
