//! Layout after the 正文, measured in millimetres: 署名, 日期 and 印章
//! (sealed, unsealed, joint), 附件说明 and 附件 pages, 附注, 版记, page
//! numbers, and GW-B-50 (the last line stays with the signature).

use crate::common::*;
/// 3号 lines of a page inside the 版心: (em top, em bottom).
fn body_line_boxes(ins: &gongwen::typeset::inspect::Inspection, page: usize) -> Vec<(f64, f64)> {
    ins.lines(page)
        .iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == 16.0))
        .map(|l| (l.runs[0].em_top(), l.runs[0].em_bottom()))
        .filter(|(_, bottom)| *bottom <= 262.5)
        .collect()
}

#[test]
fn gw_b_47_unsealed_signature_and_date() {
    let ins = render(&notice("")).expect("renders");
    let lines = ins.lines(1);
    let last = line(&lines, "请认真组织开展安全检查");
    let sig = line(&lines, "某某市人民政府");
    let sig = lines
        .iter()
        .rev()
        .find(|l| l.text == "某某市人民政府")
        .unwrap_or(sig);
    let date = line(&lines, "2024年5月20日");
    near(
        sig.baseline - last.baseline,
        2.0 * L,
        0.05,
        "GW-B-47 one blank line before 署名",
    );
    near(
        sig.right,
        184.0 - 2.0 * zi(),
        0.3,
        "GW-B-47 署名 right indent 2 字",
    );
    near(
        date.baseline - sig.baseline,
        L,
        0.05,
        "GW-B-47 date on the next line",
    );
    near(
        date.left,
        sig.left + 2.0 * zi(),
        0.3,
        "GW-B-47 date starts 2 字 right of the 署名",
    );
}

#[test]
fn gw_b_40_dates_have_no_leading_zeros() {
    let ins = render(&notice("date: 2024-05-08\nprint_date: 2024-01-09\n")).expect("renders");
    let lines = ins.lines(1);
    let date = line(&lines, "2024年");
    assert_eq!(
        date.text, "2024年5月8日",
        "GW-B-40 成文日期 without leading zeros"
    );
    let printed = ins
        .lines(ins.pages)
        .into_iter()
        .find(|l| l.text.contains("印发"))
        .expect("印发 line");
    assert!(
        printed.text.ends_with("2024年1月9日印发"),
        "GW-E-11 印发日期 without leading zeros: {}",
        printed.text
    );
}

#[test]
fn gw_b_47_date_longer_than_signature() {
    let ins = render(&notice("signature: 某局\n")).expect("renders");
    let lines = ins.lines(1);
    let sig = lines.iter().find(|l| l.text == "某局").expect("署名");
    let date = line(&lines, "2024年5月20日");
    near(
        date.right,
        184.0 - 2.0 * zi(),
        0.3,
        "GW-B-47 date right indent 2 字",
    );
    near(
        sig.left,
        date.left - 2.0 * zi(),
        0.3,
        "GW-B-47 署名 starts 2 字 left of the date",
    );
}

#[test]
fn gw_b_43_44_sealed_signature() {
    let ins = render_with(&notice("seal: seal.svg\n"), &[("seal.svg", SEAL_SVG)]).expect("renders");
    let lines = ins.lines(1);
    let last = line(&lines, "请认真组织开展安全检查");
    let sig = lines
        .iter()
        .rev()
        .find(|l| l.text == "某某市人民政府")
        .expect("署名");
    let date = line(&lines, "2024年5月20日");
    near(
        date.right,
        184.0 - 4.0 * zi(),
        0.3,
        "GW-B-43 date right indent 4 字",
    );
    near(
        (sig.left + sig.right) / 2.0,
        (date.left + date.right) / 2.0,
        0.5,
        "GW-B-44 署名 centred on the date",
    );
    let seal = ins.images.iter().find(|i| i.page == 1).expect("seal image");
    near(seal.width, 42.0, 0.1, "seal diameter");
    let cx = seal.x + seal.width / 2.0;
    near(
        cx,
        (date.left + date.right) / 2.0,
        0.5,
        "GW-B-44 seal centred on 署名/date",
    );
    let top_gap = seal.y - last.runs[0].em_bottom();
    assert!(
        (0.0..=L).contains(&top_gap),
        "GW-B-44 seal top {top_gap:.2} mm below the last text line"
    );
    let cy = seal.y + seal.height / 2.0;
    let mid = (sig.runs[0].em_top() + date.runs[0].em_bottom()) / 2.0;
    assert!(
        cy < mid,
        "GW-B-44 署名 and date sit below the seal centre ({cy:.2} ≥ {mid:.2})"
    );
    for l in [sig, date] {
        assert!(
            l.runs[0].em_top() < seal.y + seal.height && l.runs[0].em_bottom() > seal.y,
            "GW-B-44 seal covers {}",
            l.text
        );
    }
}

#[test]
fn gw_b_30_31_attachment_note_and_gw_b_70_72_attachment_pages() {
    let yaml = notice(
        "attachments:\n  - title: 检查记录表\n    body: |\n      表格见后。\n  - title: 这是一个很长很长的附件名称用来检验附件说明的回行对齐方式是否正确\n    body: |\n      说明。\n",
    );
    let ins = render(&yaml).expect("renders");
    let lines = ins.lines(1);
    let last = line(&lines, "请认真组织开展安全检查");
    let first = line(&lines, "附件：1.检查记录表");
    near(
        first.baseline - last.baseline,
        2.0 * L,
        0.05,
        "GW-B-30 one blank line before 附件说明",
    );
    near(
        first.left,
        28.0 + 2.0 * zi(),
        0.2,
        "GW-B-30 附件说明 indented 2 字",
    );
    let one = first
        .runs
        .iter()
        .find(|r| r.text.starts_with("1."))
        .map(|r| r.x)
        .unwrap_or(first.left);
    let second = line(&lines, "2.这是一个很长");
    near(second.left, one, 0.3, "GW-B-31 “2.” aligned under “1.”");
    // Attachment pages start on their own page, before the 版记.
    let p2 = ins.lines(2);
    let label = &p2[0];
    assert_eq!(label.text, "附件1", "GW-B-71 label");
    assert_eq!(label.runs[0].family, "FandolHei", "GW-B-71 label 黑体");
    near(label.left, 26.0, 0.05, "GW-B-71 flush left");
    near(label.runs[0].em_top(), 37.0, 0.2, "GW-B-71 line 1");
    let title = &p2[1];
    assert_eq!(title.text, "检查记录表");
    near(
        title.runs[0].em_top(),
        37.0 + 2.0 * L + (L - 7.76) / 2.0,
        0.3,
        "GW-B-72 title on line 3",
    );
    near(
        (title.left + title.right) / 2.0,
        104.0,
        0.5,
        "GW-B-72 title centred",
    );
    assert!(
        ins.lines(3).iter().any(|l| l.text == "附件2"),
        "GW-B-70 each attachment on a new page"
    );
}

#[test]
fn gw_b_60_annotation_after_the_date() {
    let ins = render(&notice("note: 此件公开发布\n")).expect("renders");
    let lines = ins.lines(1);
    let date = line(&lines, "2024年5月20日");
    let note = line(&lines, "（此件公开发布）");
    near(
        note.baseline - date.baseline,
        L,
        0.05,
        "GW-B-60 附注 on the line after the date",
    );
    near(
        note.left,
        28.0 + 2.0 * zi(),
        0.2,
        "GW-B-60 附注 indented 2 字",
    );
}

#[test]
fn gw_e_01_02_11_colophon_on_an_even_page_at_the_bottom() {
    let ins = render(&notice("cc: 市委办公室，市人大常委会办公室\n")).expect("renders");
    assert_eq!(
        ins.pages, 2,
        "GW-E-01: one-page notice gets its 版记 on page 2"
    );
    let rules: Vec<_> = ins.rules.iter().filter(|r| r.page == 2 && !r.red).collect();
    assert_eq!(rules.len(), 3, "GW-E-03 first, middle and last rule");
    let last = rules
        .iter()
        .max_by(|a, b| a.y.total_cmp(&b.y))
        .expect("last rule");
    near(
        last.y + last.height / 2.0,
        262.0,
        0.5,
        "GW-E-02 last rule on the 版心 bottom",
    );
    for r in &rules {
        near(r.width, 156.0, 0.5, "GW-E-02 rule length");
        near(r.x, 26.0, 0.1, "GW-E-02 rule at the 版心 left (even page)");
    }
    let mut by_y = rules.clone();
    by_y.sort_by(|a, b| a.y.total_cmp(&b.y));
    near(by_y[0].height, 0.35, 0.01, "GW-E-02 first rule 0.35 mm");
    near(by_y[1].height, 0.25, 0.01, "GW-E-02 middle rule 0.25 mm");
    near(by_y[2].height, 0.35, 0.01, "GW-E-02 last rule 0.35 mm");
    let lines = ins.lines(2);
    let printed = line(&lines, "某某市人民政府办公室");
    assert_eq!(printed.runs[0].size_pt, 14.0, "GW-E-11 4号");
    near(
        printed.left,
        26.0 + zi(),
        0.3,
        "GW-E-11 印发机关 indent 1 字",
    );
    near(
        printed.right,
        182.0 - zi(),
        0.3,
        "GW-E-11 印发日期 right indent 1 字",
    );
    assert!(
        printed.text.ends_with("2024年5月20日印发"),
        "GW-E-11 date form"
    );
    let cc = line(&lines, "抄送：");
    assert!(
        cc.text.ends_with("常委会办公室。"),
        "GW-E-10 抄送 ends with 。"
    );
    near(cc.left, 26.0 + zi(), 0.3, "GW-E-10 抄送 indent 1 字");
    assert!(cc.baseline < printed.baseline, "GW-E-03 抄送 above 印发");
}

/// Vertical centre of the 一字线's ink above the baseline, in em, read from
/// the bundled 宋体 file itself (not through gongwen's font code).
fn song_dash_centre_em() -> f64 {
    let data = std::fs::read(root().join("fonts/FandolSong-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&data, 0).unwrap();
    let bbox = face
        .glyph_bounding_box(face.glyph_index('—').unwrap())
        .unwrap();
    (bbox.y_min as f64 + bbox.y_max as f64) / 2.0 / face.units_per_em() as f64
}

#[test]
fn gw_n_01_to_04_page_numbers() {
    let ins = sample("qianquan-2019-8.yaml");
    let centre = song_dash_centre_em();
    let numbered: Vec<usize> = (1..=ins.pages)
        .filter(|&p| ins.lines(p).iter().any(|l| l.text.starts_with('—')))
        .collect();
    // The sample has 10 pages, none blank: every page carries its number.
    assert_eq!(ins.pages, 10);
    assert_eq!(numbered, (1..=10).collect::<Vec<_>>(), "GW-N-04/05");
    for page in numbered {
        let lines = ins.lines(page);
        let num = lines.iter().find(|l| l.text.starts_with('—')).unwrap();
        assert_eq!(num.text, format!("— {page} —"), "GW-N-01 form");
        for r in &num.runs {
            assert_eq!(r.size_pt, 14.0, "GW-N-01 4号");
            assert_eq!(r.family, "FandolSong", "GW-N-01 宋体");
        }
        let r = &num.runs[0];
        let dash = r.baseline - centre * 14.0 * 25.4 / 72.0;
        near(dash, 269.0, 0.1, "GW-N-02 dash 7 mm below the 版心");
        if page % 2 == 1 {
            near(
                num.right,
                184.0 - zi(),
                0.1,
                "GW-N-03 odd pages right, 1 字 in",
            );
        } else {
            near(
                num.left,
                26.0 + zi(),
                0.1,
                "GW-N-03 even pages left, 1 字 in",
            );
        }
    }
}

#[test]
fn gw_e_01_n_05_blank_page_and_colophon_page_carry_no_number() {
    // Grow the body until the signature ends low on an even page: then the
    // 版记 needs a blank page and goes to the next even page.
    for n in 20..80 {
        let body: String = (0..n).map(|i| format!("  第{i}段正文内容。\n")).collect();
        let ins = render(&notice(&format!("body: |\n{body}"))).expect("renders");
        let has_text = |p: usize| ins.lines(p).iter().any(|l| !l.text.starts_with('—'));
        if ins.pages == 4 && !has_text(3) {
            for p in [3, 4] {
                assert!(
                    !ins.lines(p).iter().any(|l| l.text.starts_with('—')),
                    "GW-N-05: page {p} must not be numbered"
                );
            }
            assert!(
                ins.rules.iter().any(|r| r.page == 4),
                "GW-E-01 版记 on page 4"
            );
            return;
        }
    }
    panic!("no body length produced the blank-page case");
}

#[test]
fn gw_b_48_joint_unsealed_signatures_stack_with_the_lead_agency_first() {
    let ins = render(&notice("signature: [某某市人民政府, 某某市财政局]\n")).expect("renders");
    let lines = ins.lines(1);
    let a = lines
        .iter()
        .rev()
        .find(|l| l.text == "某某市人民政府")
        .expect("主办 署名");
    let b = line(&lines, "某某市财政局");
    let date = line(&lines, "2024年5月20日");
    near(
        b.baseline - a.baseline,
        L,
        0.05,
        "GW-B-48 next agency on the next line",
    );
    near(
        date.baseline - b.baseline,
        L,
        0.05,
        "GW-B-48 date after the last 署名",
    );
    near(a.left, b.left, 0.05, "GW-B-48 署名 aligned");
}

#[test]
fn gw_b_45_joint_sealed_signatures() {
    let yaml = notice("signature: [某某市人民政府, 某某市财政局]\nseal: [a.svg, b.svg]\n");
    let ins = render_with(&yaml, &[("a.svg", SEAL_SVG), ("b.svg", SEAL_SVG)]).expect("renders");
    let lines = ins.lines(1);
    let seals: Vec<_> = ins.images.iter().filter(|i| i.page == 1).collect();
    assert_eq!(seals.len(), 2);
    assert!(
        seals[0].x + seals[0].width < seals[1].x || seals[1].x + seals[1].width < seals[0].x,
        "GW-B-45 seals neither touch nor overlap"
    );
    for s in &seals {
        assert!(
            s.x >= 28.0 - 0.01 && s.x + s.width <= 184.0 + 0.01,
            "GW-B-45 seals within the 版心"
        );
    }
    for (name, seal) in [("某某市人民政府", seals[0]), ("某某市财政局", seals[1])] {
        let r = ins.runs.iter().rev().find(|r| r.text == name).expect(name);
        let cx = r.x + r.width / 2.0;
        assert!(
            cx > seal.x && cx < seal.x + seal.width,
            "GW-B-45 seal covers {name}"
        );
    }
    let date = line(&lines, "2024年5月20日");
    let last = seals[1];
    assert!(
        date.left < last.x + last.width && date.right > last.x,
        "GW-B-45 the last seal covers the date"
    );
    assert!(
        date.runs[0].em_top() < last.y + last.height,
        "GW-B-45 the last seal covers the date"
    );
}

#[test]
fn gw_b_50_signature_never_alone_on_a_page() {
    for n in 10..40 {
        let body: String = (0..n)
            .map(|i| format!("  第{i}段，这是一段用来把署名推到页面底部附近的正文内容。\n"))
            .collect();
        let ins = render(&notice(&format!("body: |\n{body}"))).expect("renders");
        let page = (1..=ins.pages)
            .find(|p| ins.lines(*p).iter().any(|l| l.text == "2024年5月20日"))
            .expect("date");
        let lines = body_lines(&ins, page);
        let sig = lines
            .iter()
            .position(|l| l.text == "某某市人民政府")
            .expect("署名 on the date's page");
        // Something of 正文 (3号 text) stands above the 署名 on that page.
        let has_body = sig > 0
            && lines[..sig]
                .iter()
                .any(|l| l.runs[0].size_pt == 16.0 && l.runs[0].x < 100.0);
        assert!(
            has_body,
            "GW-B-50: with {n} paragraphs the date's page {page} holds no 正文"
        );
    }
}

#[test]
fn gw_s_08_letter_colophon_has_no_rules_and_no_printer() {
    let yaml = notice("kind: 函\nissuer: 某某市财政局\ntitle: 某某市财政局关于商请提供数据的函\ncc: 市统计局\nprinter: ~\nprint_date: ~\n");
    let ins = render(&yaml).expect("renders");
    let last = ins.pages;
    assert!(
        ins.rules.iter().all(|r| r.page != last || r.red),
        "GW-S-08 no black rules in the 信函 版记"
    );
    let cc = ins
        .lines(last)
        .into_iter()
        .find(|l| l.text.starts_with("抄送："))
        .expect("抄送");
    assert!(
        cc.runs[0].em_bottom() <= 262.0 && cc.runs[0].em_bottom() > 240.0,
        "GW-S-08 at the bottom of the 版心"
    );
}

#[test]
fn gw_b_50_tightens_the_page_before_moving_the_last_line() {
    let mut squeezed = Vec::new();
    for n in 10..40 {
        let body: String = (0..n)
            .map(|i| format!("  第{i}段，这是一段用来把署名推到页面底部附近的正文内容。\n"))
            .collect();
        let ins = render(&notice(&format!("body: |\n{body}"))).expect("renders");
        let date_page = (1..=ins.pages)
            .find(|p| ins.lines(*p).iter().any(|l| l.text == "2024年5月20日"))
            .expect("date");
        let date = run(&ins, "2024年5月20日");
        assert!(
            date.em_bottom() <= 262.05,
            "n={n}: the date runs past the 版心 ({:.2} mm)",
            date.em_bottom()
        );
        for p in 1..=ins.pages {
            let boxes = body_line_boxes(&ins, p);
            let pitches: Vec<f64> = boxes.windows(2).map(|w| w[1].0 - w[0].0).collect();
            let tight = pitches.iter().any(|d| *d < L - 0.05);
            // Never tighter than 0.9 行, and only on the date's page.
            for d in &pitches {
                assert!(
                    *d >= 0.9 * L - 0.02,
                    "n={n} page {p}: pitch {d:.2} mm below 0.9 行"
                );
            }
            if tight {
                assert_eq!(
                    p, date_page,
                    "n={n}: page {p} tightened, not the date's page"
                );
                squeezed.push(n);
            }
        }
        // When the last line still went over with the signature, the page
        // before had less than two free lines: 0.9 行 over ~22 lines gains
        // about two lines, and the block needs four.
        let boxes = body_line_boxes(&ins, date_page);
        if (boxes[0].0 - 37.0).abs() < 0.5 && !squeezed.contains(&n) {
            let before = body_line_boxes(&ins, date_page - 1);
            let free = 262.0 - before.last().expect("正文 on the page before").1;
            assert!(
                free < 2.0 * L,
                "n={n}: {free:.1} mm were free on page {} and it was not tightened",
                date_page - 1
            );
        }
    }
    assert!(
        squeezed.len() >= 3,
        "GW-B-50 tightened only for {squeezed:?}"
    );
}

#[test]
fn gw_b_45_four_agencies_sign_in_rows_of_three_in_agency_order() {
    let names = ["甲市人民政府", "乙市财政局", "丙市应急局", "丁市交通局"];
    let yaml = notice(&format!(
        "signature: [{}]\nseal: [a.svg, b.svg, c.svg, d.svg]\n",
        names.join(", ")
    ));
    let svgs = [
        ("a.svg", SEAL_SVG),
        ("b.svg", SEAL_SVG),
        ("c.svg", SEAL_SVG),
        ("d.svg", SEAL_SVG),
    ];
    let ins = render_with(&yaml, &svgs).expect("renders");
    let page = ins.images[0].page;
    let seals: Vec<_> = ins.images.iter().filter(|i| i.page == page).collect();
    assert_eq!(seals.len(), 4, "one seal per agency");
    let runs: Vec<_> = names
        .iter()
        .map(|n| {
            ins.runs
                .iter()
                .find(|r| r.page == page && r.text == *n)
                .unwrap_or_else(|| panic!("署名 {n}"))
        })
        .collect();
    // Row one: the first three agencies left to right on one baseline; row
    // two: the fourth, below.
    near(runs[1].baseline, runs[0].baseline, 0.01, "GW-B-45 row one");
    near(runs[2].baseline, runs[0].baseline, 0.01, "GW-B-45 row one");
    assert!(
        runs[0].x < runs[1].x && runs[1].x < runs[2].x,
        "agency order"
    );
    assert!(runs[3].baseline > runs[0].baseline + L, "GW-B-45 row two");
    // Each seal is centred on its own 署名 (the images come in agency order).
    for (i, (r, s)) in runs.iter().zip(&seals).enumerate() {
        near(
            s.x + s.width / 2.0,
            r.x + r.width / 2.0,
            0.1,
            &format!("GW-B-45 seal {i} centred on {}", names[i]),
        );
        assert!(
            s.x >= 28.0 - 0.01 && s.x + s.width <= 184.0 + 0.01,
            "GW-B-45 within the 版心"
        );
    }
    near(
        seals[1].y,
        seals[0].y,
        0.01,
        "GW-B-45 seals of a row aligned",
    );
    near(
        seals[2].y,
        seals[0].y,
        0.01,
        "GW-B-45 seals of a row aligned",
    );
    for i in 0..4 {
        for j in i + 1..4 {
            let (a, b) = (seals[i], seals[j]);
            let apart = a.x + a.width < b.x
                || b.x + b.width < a.x
                || a.y + a.height < b.y
                || b.y + b.height < a.y;
            assert!(apart, "GW-B-45 seals {i} and {j} touch or overlap");
        }
    }
    let lines = ins.lines(page);
    let date = line(&lines, "2024年5月20日");
    let last = seals[3];
    assert!(
        date.left < last.x + last.width
            && date.right > last.x
            && date.runs[0].em_top() < last.y + last.height,
        "GW-B-45 the last seal covers the date"
    );
}
