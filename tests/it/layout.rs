//! Layout measured on the laid-out pages, in millimetres, against the rules
//! of shared/spec/gbt9704.md (rule ids in each test name and message).

use crate::common::*;

/// Left/right edges of the 版心 on a page (mirrored margins, GW-P-04).
fn edges(page: usize) -> (f64, f64) {
    if page % 2 == 1 {
        (28.0, 184.0)
    } else {
        (26.0, 182.0)
    }
}

#[test]
fn gw_p_07_08_09_full_pages_hold_22_lines_of_28_characters() {
    let ins = sample("qianquan-2019-8.yaml");
    let mut full_pages = 0;
    for page in 3..ins.pages {
        let lines = body_lines(&ins, page);
        let (left, right) = edges(page);
        // A page of running text (the plan), not the title or 版记 page.
        if lines.len() < 22 || lines.iter().any(|l| l.runs[0].size_pt != 16.0) {
            continue;
        }
        full_pages += 1;
        assert_eq!(
            lines.len(),
            22,
            "GW-P-07: page {page} has {} lines",
            lines.len()
        );
        for (k, l) in lines.iter().enumerate() {
            near(
                l.runs[0].em_top(),
                37.0 + k as f64 * L,
                0.2,
                &format!("GW-P-09 page {page} line {}", k + 1),
            );
            let n = cells(&l.text);
            assert!(
                n <= 28.0,
                "GW-P-08: page {page} line {} holds {n} characters: {}",
                k + 1,
                l.text
            );
            assert!(
                l.left >= left - 0.01,
                "GW-P-05: page {page} line {} starts at {:.2} < {left}",
                k + 1,
                l.left
            );
            assert!(
                l.ink_right <= right + 0.5,
                "GW-P-09: page {page} line {} ends at {:.2} > {right}",
                k + 1,
                l.ink_right
            );
        }
        let last = lines.last().expect("22 lines");
        assert!(
            last.runs[0].em_bottom() <= 262.0,
            "GW-P-09: line 22 bottom {:.2}",
            last.runs[0].em_bottom()
        );
    }
    assert!(
        full_pages >= 3,
        "expected several full body pages, found {full_pages}"
    );
}

#[test]
fn gw_p_08_a_full_line_spans_156_mm_with_28_characters() {
    let ins = sample("qianquan-2019-8.yaml");
    let mut seen = 0;
    for page in 1..=ins.pages {
        let (left, right) = edges(page);
        for l in body_lines(&ins, page) {
            let cjk_only = l.text.chars().all(gongwen::compose::punct::is_cjk);
            // A paragraph's last line is not justified; it ends with 。 etc.
            let ends_para = l.text.ends_with(['。', '；', '：', '！', '？']);
            if cjk_only && !ends_para && l.text.chars().count() == 28 && l.runs[0].size_pt == 16.0 {
                seen += 1;
                near(
                    l.left,
                    left,
                    0.05,
                    "GW-P-08 first character at the 版心 left",
                );
                near(
                    l.ink_right,
                    right,
                    0.2,
                    "GW-P-08 28th character at the 版心 right",
                );
            }
        }
    }
    assert!(seen > 20, "only {seen} full 28-character lines");
}

#[test]
fn gw_p_08_no_line_starts_with_closing_punctuation() {
    let ins = sample("qianquan-2019-8.yaml");
    for page in 1..=ins.pages {
        for l in body_lines(&ins, page) {
            let first = l.text.chars().next().unwrap_or(' ');
            assert!(
                !"，。、；：？！）》”".contains(first),
                "page {page}: line starts with {first}: {}",
                l.text
            );
            let last = l.text.chars().last().unwrap_or(' ');
            assert!(
                !"（《“".contains(last),
                "page {page}: line ends with {last}: {}",
                l.text
            );
        }
    }
}

#[test]
fn gw_h_11_21_40_b_01_10_21_page_one_geometry() {
    let ins = sample("qianquan-2019-8.yaml");
    let lines = ins.lines(1);
    let issuer = line(&lines, "邹城市千泉街道办事处文件");
    let r = &issuer.runs[0];
    near(r.em_top(), 72.0, 1.0, "GW-H-11 标志 top");
    assert!(r.red, "GW-C-02 标志 is red");
    near(
        (issuer.left + issuer.right) / 2.0,
        106.0,
        0.5,
        "GW-H-10 标志 centred",
    );
    assert!(
        issuer.right - issuer.left <= 156.0,
        "GW-H-10 标志 within 156 mm"
    );

    let number = line(&lines, "千街发〔2019〕8号");
    let n = &number.runs[0];
    assert_eq!(n.size_pt, 16.0, "GW-H-21 发文字号 3号");
    assert!(!n.red, "GW-C-03 发文字号 black");
    // 空二行 (GW-H-21): two blank lines, then the 3号 line's em box centred
    // in its line: 2L + (L − 16 pt)/2 ≈ 23.15 mm.
    let em = |pt: f64| pt * 25.4 / 72.0;
    near(
        n.em_top() - r.em_bottom(),
        2.0 * L + (L - em(16.0)) / 2.0,
        0.1,
        "GW-H-21 发文字号 two lines below the 标志",
    );
    near(
        (number.left + number.right) / 2.0,
        106.0,
        0.5,
        "GW-H-21 发文字号 centred",
    );

    let rule = ins
        .rules
        .iter()
        .find(|x| x.page == 1 && x.red)
        .expect("GW-H-40 red rule");
    near(rule.x, 28.0, 0.1, "GW-H-40 rule starts at the 版心 left");
    near(rule.width, 156.0, 0.5, "GW-H-40 rule length");
    near(
        rule.y,
        n.em_bottom() + 4.0,
        0.5,
        "GW-H-40 rule 4 mm below 发文字号",
    );

    let title = line(&lines, "千泉街道办事处关于印发");
    let t = &title.runs[0];
    assert_eq!(t.size_pt, 22.0, "GW-B-01 标题 2号");
    assert!(!t.red, "GW-C-03 标题 black");
    // 空二行 (GW-B-01): 2L + (L − 22 pt)/2 ≈ 22.09 mm below the rule.
    near(
        t.em_top() - (rule.y + rule.height),
        2.0 * L + (L - em(22.0)) / 2.0,
        0.1,
        "GW-B-01 标题 two lines below the rule",
    );

    let title_lines: Vec<_> = lines.iter().filter(|l| l.runs[0].size_pt == 22.0).collect();
    for w in title_lines.windows(2) {
        near(
            w[1].baseline - w[0].baseline,
            L,
            0.05,
            "GW-B-04 title line pitch",
        );
    }
    for l in &title_lines {
        assert!(
            l.right - l.left <= 156.0,
            "GW-B-03 title line wider than the 版心"
        );
        near(
            (l.left + l.right) / 2.0,
            106.0,
            0.6,
            "GW-B-03 title line centred",
        );
    }
    let last_title = title_lines.last().expect("title");
    let to = line(&lines, "各村（居），街道安委会各成员单位");
    // 空一行 (GW-B-10): the rest of the title's line, one blank line, then
    // the 3号 line: (L − 22 pt)/2 + L + (L − 16 pt)/2 ≈ 14.08 mm.
    near(
        to.runs[0].em_top() - last_title.runs[0].em_bottom(),
        (L - em(22.0)) / 2.0 + L + (L - em(16.0)) / 2.0,
        0.1,
        "GW-B-10 主送 one line below the title",
    );
    near(to.left, 28.0, 0.05, "GW-B-10 主送 flush left");
    assert!(
        to.text.ends_with('：'),
        "GW-B-10 主送 ends with a full-width colon"
    );

    let body = line(&lines, "按照邹城市委");
    near(
        body.baseline - to.baseline,
        L,
        0.05,
        "GW-B-21 正文 on the line after 主送",
    );
    near(
        body.left,
        28.0 + 2.0 * zi(),
        0.1,
        "GW-B-21 first line indented 2 字",
    );
    assert!(
        lines
            .iter()
            .filter(|l| l.runs[0].size_pt == 16.0 && l.baseline > body.baseline - 0.1)
            .count()
            >= 2,
        "GW-B-20 正文 on page 1"
    );
}

#[test]
fn gw_b_20_page_one_always_shows_body_text() {
    // Many 主送 names: the page still carries at least one line of 正文.
    let to: String = (1..=40)
        .map(|i| format!("第{i}单位"))
        .collect::<Vec<_>>()
        .join("、");
    let ins = render(&notice(&format!(
        "to: {to}\nbody: |\n  正文第一段要出现在首页。\n"
    )))
    .expect("renders");
    let lines = ins.lines(1);
    assert!(
        lines.iter().any(|l| l.text.contains("正文第一段")),
        "GW-B-20: no 正文 on page 1"
    );
    // GW-B-12: the 主送 went to the 版记, above 抄送/印发.
    let moved = (2..=ins.pages)
        .flat_map(|p| ins.lines(p))
        .find(|l| l.text.starts_with("主送："))
        .expect("主送 in the 版记");
    assert_eq!(moved.runs[0].size_pt, 14.0, "GW-E-12 版记 主送 in 4号");
}

#[test]
fn gw_b_22_heading_faces() {
    let ins = sample("qianquan-2019-8.yaml");
    assert_eq!(
        run(&ins, "一、指导思想").family,
        "FandolHei",
        "GW-B-22 level 1 黑体"
    );
    assert_eq!(
        run(&ins, "（一）把“零事故”创建纳入").family,
        "FandolKai",
        "GW-B-22 level 2 楷体"
    );
    // Run-in heading: the heading part 楷体, the rest 仿宋.
    let head = run(&ins, "（一）确定创建对象。");
    assert_eq!(head.family, "FandolKai", "GW-B-22 run-in head");
    assert!(
        !head.text.contains("每年度"),
        "run-in head stops at the first 。"
    );
    let rest = run(&ins, "每年度创建");
    assert_eq!(rest.family, "FandolFang R", "GW-B-22 run-in rest in 仿宋");
    assert_eq!(
        run(&ins, "1.加强安全常识普及").family,
        "FandolFang R",
        "GW-B-22 level 3 仿宋"
    );
}

#[test]
fn gw_h_01_02_03_copy_number_secrecy_urgency() {
    let ins = render(&notice(
        "copy_number: 1\nsecrecy: 机密★1年\nurgency: 特急\n",
    ))
    .expect("renders");
    let lines = ins.lines(1);
    let copy = line(&lines, "000001");
    near(copy.runs[0].em_top(), 37.0, 0.2, "GW-H-01 份号 line 1");
    near(copy.left, 28.0, 0.05, "GW-H-01 flush left");
    let sec = line(&lines, "机密★1年");
    near(sec.runs[0].em_top(), 37.0 + L, 0.2, "GW-H-02 密级 line 2");
    assert_eq!(sec.runs[0].family, "FandolHei", "GW-H-02 黑体");
    let urg = line(&lines, "特急");
    near(
        urg.runs[0].em_top(),
        37.0 + 2.0 * L,
        0.2,
        "GW-H-03 紧急程度 line 3",
    );
}

#[test]
fn gw_h_22_30_31_32_upward_document_with_signers() {
    let yaml = notice("kind: 请示\ntitle: 某某县人民政府关于拨付资金的请示\nto: 某某市人民政府\nsigners: [张三, 李四, 王五]\n");
    let ins = render(&yaml).expect("renders");
    let lines = ins.lines(1);
    let number = ins.find("某政发〔2024〕5号").expect("number");
    near(
        number.x,
        28.0 + zi(),
        0.2,
        "GW-H-22 字号 1 字 from the left",
    );
    let label = ins.find("签发人：").expect("label");
    let wang = ins.find("王五").expect("third signer");
    let zhang = ins.find("张三").expect("first signer");
    assert_eq!(zhang.family, "FandolKai", "GW-H-31 names in 楷体");
    assert_eq!(label.family, "FandolFang R", "GW-H-31 label in 仿宋");
    near(
        number.baseline,
        wang.baseline,
        0.05,
        "GW-H-22/32 字号 on the last 签发人 line",
    );
    near(
        wang.baseline - zhang.baseline,
        L,
        0.05,
        "GW-H-32 second 签发人 line",
    );
    near(
        wang.x,
        zhang.x,
        0.3,
        "GW-H-32 wrapped names align with the first name",
    );
    let right = lines
        .iter()
        .find(|l| l.text.contains("签发人"))
        .map(|l| l.right)
        .unwrap_or(0.0);
    near(right, 184.0 - zi(), 0.5, "GW-H-31 签发人 right indent 1 字");
    let rule = ins
        .rules
        .iter()
        .find(|r| r.page == 1 && r.red)
        .expect("red rule");
    near(
        rule.y,
        number.em_bottom() + 4.0,
        0.5,
        "GW-H-32 the red rule moves down with the 字号",
    );
}

#[test]
fn gw_h_12_joint_issuer() {
    let yaml = notice("issuer:\n  names: [某某市人民政府, 某某市财政局]\n  suffix: 文件\n");
    let ins = render(&yaml).expect("renders");
    let a = ins
        .runs
        .iter()
        .filter(|r| r.red && r.page == 1)
        .min_by(|x, y| x.baseline.total_cmp(&y.baseline))
        .expect("red text");
    near(a.em_top(), 72.0, 1.0, "GW-H-12 stack top at 72 mm");
    let file = ins.find("文件").expect("文件");
    let names: Vec<_> = ins
        .runs
        .iter()
        .filter(|r| r.red && r.page == 1 && !r.text.contains("文件"))
        .collect();
    let top = names.iter().map(|r| r.em_top()).fold(f64::MAX, f64::min);
    let bottom = names.iter().map(|r| r.em_bottom()).fold(0.0, f64::max);
    near(
        (file.em_top() + file.em_bottom()) / 2.0,
        (top + bottom) / 2.0,
        0.5,
        "GW-H-12 文件 centred on the stack",
    );
    assert!(
        file.x > names.iter().map(|r| r.right()).fold(0.0, f64::max),
        "GW-H-12 文件 right of the names"
    );
}

#[test]
fn gw_h_12_joint_issuer_names_stack_in_the_order_given() {
    let names = ["某某市财政局", "某某市人民政府", "某某市应急管理局"];
    let yaml = notice(&format!(
        "issuer:\n  names: [{}]\n  suffix: 文件\n",
        names.join(", ")
    ));
    let ins = render(&yaml).expect("renders");
    let lines: Vec<_> = ins
        .lines(1)
        .into_iter()
        .filter(|l| l.runs.iter().all(|r| r.red))
        .collect();
    let stacked: Vec<String> = lines
        .iter()
        .map(|l| l.text.trim_end_matches("文件").to_string())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(
        stacked, names,
        "GW-H-12 主办机关 first, then in the order given"
    );
    for w in lines.windows(2) {
        assert!(w[1].baseline > w[0].baseline);
    }
}

#[test]
fn gw_s_01_to_07_letter_format() {
    let yaml = notice("kind: 函\nissuer: 某某市财政局\ntitle: 某某市财政局关于商请提供数据的函\nprinter: ~\nprint_date: ~\n");
    let ins = render(&yaml).expect("renders");
    let issuer = ins.find("某某市财政局").expect("标志");
    assert!(issuer.red);
    near(
        issuer.em_top(),
        30.0,
        1.0,
        "GW-S-01 标志 30 mm from the paper top",
    );
    let red: Vec<_> = ins.rules.iter().filter(|r| r.page == 1 && r.red).collect();
    assert_eq!(red.len(), 4, "GW-S-02 two double rules");
    for r in &red {
        near(r.x, 20.0, 0.1, "GW-S-02 rule from x = 20");
        near(r.width, 170.0, 0.1, "GW-S-02 rule 170 mm");
    }
    let upper = red.iter().map(|r| r.y).fold(f64::MAX, f64::min);
    near(
        upper,
        issuer.em_bottom() + 4.0,
        0.5,
        "GW-S-02 upper double rule 4 mm below the 标志",
    );
    let lower = red.iter().map(|r| r.y + r.height).fold(0.0, f64::max);
    near(
        lower,
        277.0,
        0.2,
        "GW-S-02 lower double rule 20 mm above the paper bottom",
    );
    // Upper pair thick over thin (武文线), lower pair thin over thick (文武线).
    let mut red = red;
    red.sort_by(|a, b| a.y.total_cmp(&b.y));
    let h: Vec<f64> = red.iter().map(|r| r.height).collect();
    assert!(
        h[0] > h[1] && h[3] > h[2],
        "GW-S-02 upper thick over thin, lower thin over thick: {h:?}"
    );
    near(h[0], h[3], 0.01, "GW-S-02 thick rules alike");
    near(h[1], h[2], 0.01, "GW-S-02 thin rules alike");
    let number = ins.find("某政发〔2024〕5号").expect("字号");
    near(number.right(), 184.0, 0.3, "GW-S-04 字号 flush right");
    near(
        number.em_top(),
        red[1].y + red[1].height + 4.84,
        0.1,
        "GW-S-04 字号 em top 4.84 mm below the upper double rule",
    );
    assert!(
        !ins.lines(1).iter().any(|l| l.text.starts_with('—')),
        "GW-S-07 no page number on page 1"
    );
}

#[test]
fn gw_s_07_letter_pages_are_numbered_from_page_two() {
    let body: String = (0..40).map(|i| format!("  第{i}段正文内容。\n")).collect();
    let yaml = notice(&format!(
        "kind: 函\nissuer: 某某市财政局\ntitle: 某某市财政局关于商请提供数据的函\nprinter: ~\nprint_date: ~\nbody: |\n{body}"
    ));
    let ins = render(&yaml).expect("renders");
    assert!(ins.pages >= 3, "{} pages", ins.pages);
    for page in 1..=ins.pages {
        let num: Vec<_> = ins
            .lines(page)
            .into_iter()
            .filter(|l| l.text.starts_with('—'))
            .collect();
        if page == 1 {
            assert!(num.is_empty(), "GW-S-07 page 1 unnumbered");
            continue;
        }
        assert_eq!(num.len(), 1, "GW-S-07 page {page} numbered");
        assert_eq!(num[0].text, format!("— {page} —"));
        if page % 2 == 1 {
            near(num[0].right, 184.0 - zi(), 0.1, "GW-N-03 odd page right");
        } else {
            near(num[0].left, 26.0 + zi(), 0.1, "GW-N-03 even page left");
        }
    }
}

#[test]
fn gw_c_01_only_the_header_is_red() {
    let ins = sample("qianquan-2019-8.yaml");
    let issuer = ins.find("邹城市千泉街道办事处").expect("标志");
    for r in ins.runs.iter().filter(|r| r.red) {
        assert!(
            r.page == 1 && (r.baseline - issuer.baseline).abs() < 0.1,
            "GW-C-03 red text outside the 标志: {}",
            r.text
        );
    }
    assert!(ins.runs.iter().filter(|r| r.red).count() >= 1);
}

#[test]
fn gw_s_21_minutes_attendance_lines() {
    let names: String = (1..=16)
        .map(|i| format!("委员{i}"))
        .collect::<Vec<_>>()
        .join("、");
    let yaml = notice(&format!(
        "kind: 纪要\nissuer: 某某市人民政府常务会议纪要\ntitle: 某某市人民政府第十次常务会议纪要\nto: ~\nbody: |\n  会议研究了安全生产工作。\n  出席：{names}\n  列席：市应急管理局\nsignature: ~\n"
    ));
    let ins = render(&yaml).expect("renders");
    let lines = body_lines(&ins, 1);
    let text = line(&lines, "会议研究了安全生产工作");
    let first = line(&lines, "出席：");
    assert_eq!(first.runs[0].family, "FandolHei", "GW-S-21 出席 in 黑体");
    assert!(
        first
            .runs
            .iter()
            .any(|r| r.family == "FandolFang R" && r.text.contains("委员")),
        "names in 仿宋"
    );
    near(
        first.baseline - text.baseline,
        2.0 * L,
        0.05,
        "GW-S-21 one blank line before 出席",
    );
    near(first.left, 28.0 + 2.0 * zi(), 0.1, "GW-S-21 indent 2 字");
    let wrapped = lines
        .iter()
        .find(|l| l.baseline > first.baseline + 1.0 && l.text.contains("委员"))
        .expect("wrapped names");
    near(
        wrapped.left,
        28.0 + 5.0 * zi(),
        0.1,
        "GW-S-21 wrapped names align after the colon",
    );
    let attend = line(&lines, "列席：");
    near(
        attend.left,
        28.0 + 2.0 * zi(),
        0.1,
        "GW-S-21 列席 on its own line",
    );
}

#[test]
fn gw_s_31_tables_repeat_their_header_on_every_page() {
    let rows: String = (1..=70)
        .map(|i| format!("      - [\"{i}\", 排查第{i}处隐患, 街道安监办]\n"))
        .collect();
    let yaml = notice(&format!(
        "body:\n  - 现将隐患清单印发如下。\n  - table:\n      title: 隐患排查清单\n      columns: [序号, 事项, 责任单位]\n      widths: [1, 4, 2]\n      rows:\n{rows}"
    ));
    let ins = render(&yaml).expect("renders");
    let pages_with_rows: Vec<usize> = (1..=ins.pages)
        .filter(|p| {
            ins.runs
                .iter()
                .any(|r| r.page == *p && r.text.starts_with("排查第"))
        })
        .collect();
    assert!(pages_with_rows.len() >= 2, "the table spans pages");
    for p in pages_with_rows {
        assert!(
            ins.runs
                .iter()
                .any(|r| r.page == p && r.text == "责任单位" && r.family == "FandolHei"),
            "GW-S-31 header repeated on page {p}"
        );
    }
    assert!(ins.text().contains("排查第70处隐患"));
}

#[test]
fn headings_stay_with_their_text_without_emptying_pages() {
    // Seed 001 has long runs of numbered items; none may leave half a page empty.
    let ins = sample("lingchuan-2020-28.yaml");
    for page in 2..ins.pages {
        let lines = body_lines(&ins, page);
        let next = body_lines(&ins, page + 1);
        if next.is_empty() || lines.is_empty() || lines.last().unwrap().runs[0].size_pt != 16.0 {
            continue;
        }
        // A heading pair with its first text line may move: at most 3 lines free.
        let bottom = lines.last().unwrap().runs[0].em_bottom();
        assert!(
            bottom > 262.0 - 3.0 * L,
            "page {page} ends at {bottom:.1} mm though page {} continues",
            page + 1
        );
        let last = lines.last().unwrap();
        let is_heading = ["一、", "二、", "三、", "四、", "五、"]
            .iter()
            .any(|m| last.text.starts_with(m))
            && last.text.chars().count() < 12;
        assert!(
            !is_heading,
            "page {page} ends with the heading {}",
            last.text
        );
    }
}
