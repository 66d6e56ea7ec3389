//! Long tables laid out in parts (src/typeset/table.rs, issue 6): the parts
//! join up exactly as one compile lays the table out, every row appears once
//! and whole, the header repeats, folios count the whole document, and the
//! column widths follow the widest values anywhere in the table.

use gongwen::typeset::inspect::Inspection;
use gongwen::typeset::table::{self, Table};

/// Rows of uneven height: some cells wrap to two or three lines, one row
/// is a paragraph of several lines.
fn table(rows: usize) -> Table {
    let places = [
        "农贸市场",
        "老旧小区楼道东侧消防通道及配电间",
        "加油站",
        "学校配电室",
    ];
    Table {
        title: "2019年5月隐患排查治理台账".into(),
        subtitle: "填报单位：千泉街道　统计期：2019年5月".into(),
        columns: vec![
            ("序号".into(), 0.6),
            // Narrow: “2019年5月1日” fits its share, “2019年5月28日” does not.
            ("排查日期".into(), 0.6),
            ("部位/场所".into(), 1.6),
            ("隐患描述".into(), 3.0),
            ("整改责任人".into(), 1.0),
        ],
        rows: (0..rows)
            .map(|i| {
                let description = if i % 37 == 5 {
                    "消防设施未定期检查，疏散通道堵塞，应急照明损坏，灭火器过期。".repeat(6)
                } else if i == 100 {
                    // Taller than a page: this row breaks across pages.
                    "隐患点位逐一登记，整改情况逐项核查，复查结论逐条签字。".repeat(60)
                } else {
                    format!("消防设施未定期检查（第{i}处）")
                };
                vec![
                    (i + 1).to_string(),
                    // The widest date is far down the table.
                    format!("2019年5月{}日", if i == rows - 3 { 28 } else { 1 + i % 9 }),
                    places[i % places.len()].to_string(),
                    description,
                    format!("责任人{}", i % 30),
                ]
            })
            .collect(),
        signoff: Some("填表人：王某某　　审核人：李某某".into()),
        whole: Vec::new(),
    }
}

/// Every run as (page, text, x, baseline) rounded to 0.01 mm.
fn runs(ins: &Inspection) -> Vec<(usize, String, i64, i64)> {
    let mut v: Vec<_> = ins
        .runs
        .iter()
        .map(|r| {
            (
                r.page,
                r.text.clone(),
                (r.x * 100.0).round() as i64,
                (r.baseline * 100.0).round() as i64,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn parts_join_exactly_as_one_layout() {
    let t = table(160);
    let whole =
        Inspection::of(&table::pages_in_parts(crate::common::engine(), &t, 10_000).unwrap());
    assert!(whole.pages >= 8, "{} pages", whole.pages);
    let whole_runs = runs(&whole);
    for per_part in [7, 23, 64] {
        let parts =
            Inspection::of(&table::pages_in_parts(crate::common::engine(), &t, per_part).unwrap());
        assert_eq!(parts.pages, whole.pages, "{per_part} rows per part");
        assert!(
            runs(&parts) == whole_runs,
            "{per_part} rows per part: the pages differ from one compile"
        );
        assert_eq!(
            parts.rules.len(),
            whole.rules.len(),
            "{per_part} rows per part: table rules differ"
        );
    }
}

#[test]
fn every_row_once_header_on_every_page_folios_count_all_pages() {
    let t = table(160);
    let ins = Inspection::of(&table::pages_in_parts(crate::common::engine(), &t, 11).unwrap());
    let text = ins.text();
    for i in 0..160 {
        if i % 37 != 5 && i != 100 {
            let needle = format!("（第{i}处）");
            assert_eq!(text.matches(&needle).count(), 1, "row {i} in {text}");
        }
    }
    assert_eq!(text.matches("2019年5月隐患排查治理台账").count(), 1);
    assert_eq!(text.matches("填表人：王某某").count(), 1);
    assert!(
        text.ends_with(&format!(
            "填表人：王某某审核人：李某某第{0}页共{0}页",
            ins.pages
        )),
        "the sign-off closes the last page: …{}",
        text.chars().rev().take(40).collect::<String>()
    );
    for p in 1..=ins.pages {
        let lines = ins.lines(p);
        // The header opens every page; on page 1 only the title and the
        // subtitle come before it.
        let at = lines
            .iter()
            .position(|l| l.text.contains("部位/场所"))
            .unwrap_or_else(|| panic!("no header on page {p}"));
        assert_eq!(
            at,
            if p == 1 { 2 } else { 0 },
            "page {p}: {:?}",
            lines[0].text
        );
        assert!(lines.len() > at + 2, "page {p} holds no rows");
        let folio = format!("第{p}页共{}页", ins.pages);
        assert!(
            lines.iter().any(|l| l
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                == folio),
            "page {p}: no folio {folio}"
        );
    }
}

#[test]
fn column_widths_follow_the_widest_value_anywhere() {
    // “2019年5月28日” is in row 398 of 400, beyond any first-rows sample; it
    // must still sit on one line like “2019年5月1日” does.
    let t = table(400);
    let ins = Inspection::of(&table::pages(crate::common::engine(), &t).unwrap());
    let lines: Vec<String> = (1..=ins.pages)
        .flat_map(|p| ins.lines(p))
        .map(|l| l.text)
        .collect();
    let late = lines
        .iter()
        .find(|l| l.starts_with("398"))
        .expect("row 398 is laid out");
    assert!(
        late.contains("2019年5月28日"),
        "the widest date is broken across lines: {late:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("1") && l.contains("2019年5月1日")),
        "the first date is on one line"
    );
}

#[test]
fn a_users_own_template_without_parts_gets_the_whole_table_at_once() {
    // An older or hand-made ledger.typ (`--templates`) knows nothing of
    // parts, markers or folio overlays.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ledger.typ"),
        r#"#let d = json("/data.json")
#set text(font: d.fonts.fang.families, size: 10.5pt)
#set page(footer: context [第#counter(page).get().first()页共#counter(page).final().first()页])
#for r in d.rows [#r.join("|") \ ]
"#,
    )
    .unwrap();
    let engine = gongwen::render::engine(&gongwen::render::EngineOptions {
        fonts: gongwen::typeset::fonts::FontOptions {
            no_system_fonts: true,
            ..Default::default()
        },
        templates: Some(dir.path().to_path_buf()),
    })
    .unwrap();
    let ins = Inspection::of(&table::pages_in_parts(&engine, &table(160), 7).unwrap());
    assert!(ins.pages >= 2, "{} pages", ins.pages);
    let text = ins.text();
    for i in [0, 1, 80, 158] {
        let needle = format!("（第{i}处）");
        assert_eq!(text.matches(&needle).count(), 1, "row {i}");
    }
    for p in 1..=ins.pages {
        let folio = format!("第{p}页共{}页", ins.pages);
        assert_eq!(text.matches(&folio).count(), 1, "{folio}");
    }
}
