//! Issue 13, what a clerk sees: documents written the way a county office
//! writes them, measured on the laid-out pages. Each test names its item.

use crate::common::*;
use gongwen::typeset::inspect::{Inspection, Line};

/// Organ names of a 县 office, long enough to wrap a 版记 line.
const ORGANS: [&str; 4] = [
    "青石县委办公室",
    "县人大常委会办公室",
    "县政协办公室",
    "县公安局、县财政局、县自然资源和规划局、县住房和城乡建设局、县交通运输局",
];

/// The 版记 lines of the last page: those in 4号 below the last text in 3号.
fn colophon_lines(ins: &Inspection) -> Vec<Line> {
    ins.lines(ins.pages)
        .into_iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == 14.0) && !l.text.starts_with('—'))
        .collect()
}

/// Black rules of the 版记 on the last page, top to bottom (mm of y).
fn colophon_rules(ins: &Inspection) -> Vec<(f64, f64)> {
    let mut r: Vec<(f64, f64)> = ins
        .rules
        .iter()
        .filter(|r| r.page == ins.pages && !r.red && r.width > 150.0)
        .map(|r| (r.y, r.y + r.height))
        .collect();
    r.sort_by(|a, b| a.0.total_cmp(&b.0));
    r
}

/// No text line's em box touches a rule.
#[track_caller]
fn clear_of_rules(lines: &[Line], rules: &[(f64, f64)]) {
    for l in lines {
        let r = &l.runs[0];
        for (top, bottom) in rules {
            assert!(
                r.em_bottom() <= *top + 0.05 || r.em_top() >= *bottom - 0.05,
                "GW-E-04 line “{}” ({:.2}–{:.2} mm) touches the rule at {top:.2}–{bottom:.2} mm",
                l.text,
                r.em_top(),
                r.em_bottom()
            );
        }
    }
}

#[test]
fn item01_a_long_cc_wraps_under_its_first_name_and_clear_of_the_rules() {
    let cc = ORGANS.join("，");
    let ins = render(&notice(&format!("cc: {cc}\n"))).expect("renders");
    let lines = colophon_lines(&ins);
    let first = line(&lines, "抄送：");
    let at = lines.iter().position(|l| l.text == first.text).unwrap();
    let printed = line(&lines, "印发");
    let wrapped: Vec<&Line> = lines[at + 1..]
        .iter()
        .take_while(|l| l.text != printed.text)
        .collect();
    assert!(
        !wrapped.is_empty(),
        "the 抄送 should wrap: {:?}",
        first.text
    );
    // Wrapped lines start under the first name, after “抄送：” (GW-E-10).
    let name_x = first
        .runs
        .iter()
        .find(|r| !r.text.starts_with("抄送"))
        .map_or_else(|| first.left + 3.0 * 14.0 * 25.4 / 72.0, |r| r.x);
    near(
        name_x,
        first.left + 3.0 * 14.0 * 25.4 / 72.0,
        0.2,
        "GW-E-10 “抄送：” is 3 full-width characters",
    );
    for l in &wrapped {
        near(
            l.left,
            name_x,
            0.2,
            "GW-E-10 wrapped 抄送 aligns after “：”",
        );
        assert!(
            l.right <= 182.0 - zi() + 0.3,
            "GW-E-10 right indent 1 字: {}",
            l.text
        );
    }
    // Organ names are never split between lines.
    let text: Vec<String> = std::iter::once(first)
        .chain(wrapped.iter().copied())
        .map(|l| l.text.trim_start_matches("抄送：").to_string())
        .collect();
    for name in cc.split(['，', '、']) {
        assert!(
            text.iter().any(|t| t.contains(name)),
            "“{name}” is split across 版记 lines: {text:?}"
        );
    }
    clear_of_rules(&lines, &colophon_rules(&ins));
    // The 印发 line stays on its own line box above the last rule.
    near(
        printed.runs[0].em_bottom() + (10.39 - 14.0 * 25.4 / 72.0) / 2.0,
        262.0,
        0.4,
        "GW-E-04 印发 box bottom at 262 mm",
    );
}

#[test]
fn item01_a_moved_list_of_37_names_keeps_every_name() {
    let to: Vec<String> = (1..=37).map(|i| format!("城关第{i}小学")).collect();
    let to = to.join("、");
    let cc = ORGANS.join("，");
    let ins = render(&notice(&format!("to: {to}\ncc: {cc}\n"))).expect("renders");
    let lines = colophon_lines(&ins);
    let all: String = lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        all.contains("主送："),
        "GW-B-12 主送 moved to the 版记: {all}"
    );
    for i in 1..=37 {
        let name = format!("城关第{i}小学");
        assert!(
            lines.iter().any(|l| l.text.contains(&name)),
            "“{name}” lost or split in the 版记"
        );
    }
    for l in &lines {
        assert!(
            l.left >= 26.0 + zi() - 0.3 && l.right <= 182.0 - zi() + 0.3,
            "版记 line outside the 版心: {}",
            l.text
        );
    }
    clear_of_rules(&lines, &colophon_rules(&ins));
}

#[test]
fn item01_a_colophon_longer_than_a_page_is_an_error_in_check() {
    let cc: Vec<String> = (1..=150).map(|i| format!("青石县第{i}中心学校")).collect();
    let err = render(&notice(&format!("cc: {}\n", cc.join("、"))))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("版记有") && err.contains("一页放不下"),
        "{err}"
    );
    // A moved 主送 that, with the 抄送, is taller than the 版心.
    let to: Vec<String> = (1..=37).map(|i| format!("青石县第{i}中心学校")).collect();
    let cc = ORGANS.join("，");
    let err = render(&notice(&format!("to: {}\ncc: {cc}\n", to.join("、"))))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("版记放不下一页") && err.contains("统称"),
        "{err}"
    );
}

#[test]
fn item01_page_one_addressees_wrap_between_names() {
    let to = "青石县各乡镇人民政府、各街道办事处，县政府各部门、各直属机构，县城关街道办事处、县经济开发区管理委员会";
    let ins = render(&notice(&format!("to: {to}\n"))).expect("renders");
    let lines: Vec<Line> = ins
        .lines(1)
        .into_iter()
        .filter(|l| {
            l.text.contains("青石县") || l.text.contains("县经济") || l.text.contains("各直属")
        })
        .collect();
    assert!(
        lines.len() >= 2,
        "{:?}",
        lines.iter().map(|l| &l.text).collect::<Vec<_>>()
    );
    for name in to.split(['、', '，']) {
        assert!(
            lines.iter().any(|l| l.text.contains(name)),
            "“{name}” split in 主送"
        );
    }
    for l in &lines {
        assert!(
            l.right <= 184.0 + 0.3,
            "GW-B-10 主送 inside the 版心: {}",
            l.text
        );
    }
}

#[test]
fn item04_labels_keep_a_full_width_colon() {
    let ins = render(&notice(
        "kind: 请示\nto: 青石县人民政府\nsigners: [张建国]\ncc: 县委办公室\nattachments:\n  - title: 资金测算表\n    body: |\n      略。\n",
    ))
    .expect("renders");
    let pitch = zi();
    let signer = run(&ins, "张建国");
    let label = run(&ins, "签发人");
    near(
        signer.x - label.x,
        4.0 * pitch,
        0.15,
        "GW-H-32 “签发人：” is four full characters",
    );
    let att = run(&ins, "资金测算表");
    let label = run(&ins, "附件：");
    assert!(
        att.x - label.x >= 3.0 * pitch - 0.15,
        "GW-B-30 “附件：” is three full characters: {:.2}",
        att.x - label.x
    );
}

#[test]
fn item05_long_latin_runs_break_inside_the_text_area() {
    let url = "https://www.qingshi.gov.cn/zwgk/tzgg/2024/05/20/a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9.html";
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let xs = "x".repeat(100);
    let ins = render(&notice(&format!(
        "body: |\n  详见网址{url}。\n  校验值：{hash}。\n  {xs}\n"
    )))
    .expect("renders");
    for p in 1..=ins.pages {
        // The 版心 is 28–184 mm on odd pages, 26–182 mm on even ones.
        let left = if p % 2 == 1 { 28.0 } else { 26.0 };
        for l in body_lines(&ins, p) {
            assert!(
                l.ink_right <= left + 156.0 + 0.3 && l.left >= left - 0.3,
                "GW-P-07 line runs past the 版心 ({:.2}–{:.2} mm): {}",
                l.left,
                l.ink_right,
                l.text
            );
        }
    }
}

#[test]
fn item01_a_signature_too_wide_for_its_line_is_an_error() {
    let name = "青石县城关街道办事处安全生产委员会办公室关于安全生产的领导小组";
    let err = render(&notice(&format!("signature: {name}\n")))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("一行只放得下") && err.contains("signature"),
        "{err}"
    );
}

/// Warnings of a document written to a temporary file.
fn warnings(yaml: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.yaml");
    std::fs::write(&path, yaml).unwrap();
    let doc = gongwen::render::prepare(engine(), &path).unwrap_or_else(|e| panic!("{e}"));
    doc.warnings.iter().map(|w| w.to_string()).collect()
}

#[track_caller]
fn warns(yaml: &str, needle: &str) {
    let w = warnings(yaml);
    assert!(
        w.iter().any(|x| x.contains(needle)),
        "no warning with “{needle}”: {w:#?}"
    );
}

const MINUTES: &str = "kind: 纪要\nissuer: 青石县人民政府常务会议纪要\ntitle: 青石县人民政府第十二次常务会议纪要\nto: ~\n";

#[test]
fn item03_minutes_headings_and_attendance() {
    let present = "王建国、李红梅、张志强、赵德明、陈立峰、刘晓东、孙海燕、周国庆、吴建华、郑卫东、冯玉兰、钱学文、欧阳文华";
    let yaml = notice(&format!(
        "{MINUTES}body: |\n  2024年5月20日，县长王建国主持召开县政府第十二次常务会议。\n  （一）会议要求，各乡镇要在月底前完成汛前检查，并将结果报县应急管理局。\n  （二）关于城区燃气安全。会议同意开展专项整治。\n  出席：{present}\n  请假：诸葛明（出差）\n  列席：县应急管理局、县住房和城乡建设局、县市场监督管理局、青石县城关街道办事处\nsignature: 青石县人民政府办公室\n"
    ));
    let ins = render(&yaml).expect("renders");
    // GW-B-22: a numbered sentence is 仿宋; only a heading part is 楷体.
    assert_eq!(
        run(&ins, "会议要求，各乡镇").family,
        "FandolFang R",
        "item 3: “（一）会议要求，…。” is a paragraph"
    );
    assert_eq!(
        run(&ins, "关于城区燃气安全").family,
        "FandolKai",
        "a heading part ending in “。” is 楷体"
    );
    // GW-S-21: every attendance line after the first aligns after “：”,
    // names whole, also the last line kept with the signature.
    let all: Vec<Line> = (1..=ins.pages).flat_map(|p| body_lines(&ins, p)).collect();
    for label in ["出席：", "请假：", "列席："] {
        let at = all
            .iter()
            .position(|l| l.text.starts_with(label))
            .expect(label);
        let name_x = all[at].runs[1].x;
        near(
            name_x,
            all[at].left + 3.0 * zi(),
            0.3,
            "GW-S-21 names start after “：”",
        );
        for l in all[at + 1..].iter().take_while(|l| {
            !["出席", "请假", "列席", "青石县人民政府办公室"]
                .iter()
                .any(|s| l.text.starts_with(s))
                && !l.text.contains("年")
        }) {
            near(
                l.left,
                name_x,
                0.3,
                &format!(
                    "GW-S-21 wrapped {label} line “{}” aligns after “：”",
                    l.text
                ),
            );
        }
    }
    let names: String = all
        .iter()
        .filter(|l| !l.text.contains("会议"))
        .map(|l| l.text.clone() + "|")
        .collect();
    for name in present.split('、').chain([
        "县住房和城乡建设局",
        "县市场监督管理局",
        "青石县城关街道办事处",
    ]) {
        assert!(
            names.split('|').any(|l| l.contains(name)),
            "“{name}” split across lines: {names}"
        );
    }
}

#[test]
fn item10_warnings_a_clerk_needs() {
    warns(&notice("date: 2024.5.20\n"), "用了“.”分隔");
    warns(&notice("date: 2024/5/20\n"), "用了“/”分隔");
    warns(&notice("date: 2024年05月20日\n"), "月或日前多了“0”");
    warns(
        &notice("copy_number: 1\nsecrecy: 机密★一年\n"),
        "已改为“1年”",
    );
    warns(
        &notice("number: 某政发〔2023〕5号\n"),
        "发文字号的年份是 2023 年",
    );
    warns(
        &notice("print_date: 2024-05-18\n"),
        "印发日期 2024年5月18日 早于成文日期",
    );
    warns(
        &notice("kind: 函\nissuer: 某某市人民政府文件\n"),
        "不加“文件”二字",
    );
    warns(
        &notice("kind: 函\nissuer: 某某市人民政府\n"),
        "信函格式没有印发机关和印发日期",
    );
    warns(
        &notice("body: |\n  一、总体要求\n  正文。\n  二、工作任务\n  正文。\n  四、保障措施\n  正文。\n"),
        "前面应是第 3 项",
    );
    warns(
        &notice("body: |\n  一、总体要求\n  （二）目标\n  正文。\n"),
        "前面应是第 1 项",
    );
    // And none of them for a clean document.
    let clean = warnings(&notice("body: |\n  一、总体要求\n  （一）目标\n  正文。\n  （二）任务\n  正文。\n  二、保障\n  正文。\n"));
    assert!(
        clean
            .iter()
            .all(|w| !w.contains("序号") && !w.contains("日期")),
        "{clean:#?}"
    );
}

#[test]
fn item10_secrecy_prints_arabic_period() {
    let ins = render(&notice("copy_number: 1\nsecrecy: 机密★一年\n")).expect("renders");
    assert!(
        ins.find("机密★1年").is_some(),
        "GW-H-02 period in Arabic numerals"
    );
}

const THREE: [&str; 3] = ["青石县人民政府", "青石县应急管理局", "青石县财政局"];

fn joint(extra: &str) -> gongwen::typeset::inspect::Inspection {
    let yaml = notice(&format!(
        "signature: [{}]\nseal: [a.svg, b.svg, c.svg]\n{extra}",
        THREE.join(", ")
    ));
    render_with(
        &yaml,
        &[
            ("a.svg", SEAL_SVG),
            ("b.svg", SEAL_SVG),
            ("c.svg", SEAL_SVG),
        ],
    )
    .expect("renders")
}

#[test]
fn item11_three_joint_seals_date_under_the_last_clear_of_the_second() {
    let ins = joint("note: 此件公开发布\n");
    let page = ins.images[0].page;
    let mut seals: Vec<_> = ins.images.iter().filter(|i| i.page == page).collect();
    seals.sort_by(|a, b| a.x.total_cmp(&b.x));
    assert_eq!(seals.len(), 3);
    for w in seals.windows(2) {
        assert!(w[0].x + w[0].width < w[1].x, "GW-B-45 seals do not touch");
    }
    let lines = ins.lines(page);
    let date = line(&lines, "2024年5月20日");
    let (second, last) = (seals[1], seals[2]);
    assert!(
        date.left > second.x + second.width,
        "GW-B-45 the date ({:.1}–{:.1} mm) touches seal 2 (right edge {:.1} mm)",
        date.left,
        date.right,
        second.x + second.width
    );
    let centre = (date.left + date.right) / 2.0;
    assert!(
        centre > last.x && centre < last.x + last.width,
        "GW-B-45 the date is under the last seal"
    );
    assert!(date.right <= 184.0 + 0.1, "the date stays inside the 版心");
    // GW-B-60: the 附注 is below the seals, not under them.
    let note = line(&lines, "（此件公开发布）");
    let bottom = seals.iter().map(|s| s.y + s.height).fold(0.0, f64::max);
    assert!(
        note.runs[0].em_top() >= bottom,
        "a seal covers the 附注 ({:.1} < {bottom:.1} mm)",
        note.runs[0].em_top()
    );
}

#[test]
fn item11_a_seal_stamped_by_hand_keeps_the_sealed_layout() {
    let yaml = |seal: &str| notice(&format!("seal: {seal}\n"));
    let with = render_with(&yaml("a.svg"), &[("a.svg", SEAL_SVG)]).expect("renders");
    let by_hand = render(&yaml("盖实物章")).expect("renders");
    assert!(by_hand.images.is_empty(), "盖实物章 prints no image");
    for needle in ["某某市人民政府", "2024年5月20日"] {
        let a = with.runs.iter().rev().find(|r| r.text == needle).unwrap();
        let b = by_hand
            .runs
            .iter()
            .rev()
            .find(|r| r.text == needle)
            .unwrap();
        near(b.x, a.x, 0.01, "GW-B-44 same place as with the seal image");
        near(
            b.baseline,
            a.baseline,
            0.01,
            "GW-B-44 same place as with the seal image",
        );
    }
}

#[test]
fn item11_a_page_never_begins_with_a_fragment_of_a_line() {
    // The last paragraph ends in a short line (“办公室。”); whenever the
    // signature moves to a new page, more than that fragment goes with it.
    let mut moved = 0;
    for n in 14..30 {
        let body: String = (0..n)
            .map(|i| format!("  第{i:02}段，这是一段用来把署名推到页面底部的正文内容。\n"))
            .collect();
        let last = "  请各单位于每月5日前将上月工作情况报送县安全生产委员会办公室。\n";
        let ins = render(&notice(&format!("body: |\n{body}{last}"))).expect("renders");
        for p in 2..=ins.pages {
            let lines = body_lines(&ins, p);
            let Some(first) = lines.first() else { continue };
            if lines.iter().any(|l| l.text == "2024年5月20日") && !first.text.starts_with('第')
            {
                moved += 1;
                assert!(
                    cells(&first.text) >= 14.0,
                    "GW-B-50 with {n} paragraphs page {p} begins with the fragment “{}”",
                    first.text
                );
            }
        }
    }
    assert!(
        moved > 0,
        "no layout moved the signature: the test tests nothing"
    );
}

const ORDER: &str = "kind: 命令\nissuer: 青石县人民政府令\nnumber: 第5号\ntitle: 青石县人民政府令第5号\nto: ~\nbody: |\n  《青石县城镇燃气安全管理办法》已经2024年5月10日县人民政府第十二次常务会议通过，现予公布，自2024年7月1日起施行。\nsignature: 县长 王建国\ndate: 2024-05-20\nprinter: ~\nprint_date: ~\n";

#[test]
fn item06_an_order_has_its_own_head_and_signature() {
    let ins = render(ORDER).expect("renders");
    let lines = ins.lines(1);
    let mark = line(&lines, "青石县人民政府令");
    assert!(mark.runs[0].red, "GW-S-10 标志 in red");
    near(
        mark.runs[0].em_top(),
        57.0,
        0.3,
        "GW-S-10 标志 20 mm below the 版心 top",
    );
    let number = line(&lines, "第5号");
    near(
        (number.left + number.right) / 2.0,
        106.0,
        0.5,
        "GW-S-11 令号 centred on the 版心",
    );
    near(
        (mark.left + mark.right) / 2.0,
        106.0,
        0.5,
        "GW-S-10 标志 centred on the 版心",
    );
    near(
        number.runs[0].em_top() - mark.runs[0].em_bottom(),
        2.0 * L + (L - 16.0 * 25.4 / 72.0) / 2.0,
        0.4,
        "GW-S-11 令号 two lines below the 标志",
    );
    let body = line(&lines, "《青石县城镇燃气");
    near(
        body.runs[0].em_top() - number.runs[0].em_top(),
        3.0 * L,
        0.1,
        "GW-S-11 正文 two lines below the 令号",
    );
    assert!(ins.rules.iter().all(|r| !r.red), "GW-S-12 no red rule");
    assert!(
        ins.find("青石县人民政府令第5号").is_none(),
        "GW-S-12 no 标题"
    );
    // GW-B-49: 职务, 2 字, the name (for the 签名章) 4 字 from the right;
    // one blank line, the date 4 字 from the right.
    let office = ins.runs.iter().find(|r| r.text == "县长").expect("职务");
    let name = ins.runs.iter().find(|r| r.text == "王建国").expect("name");
    let date = line(&lines, "2024年5月20日");
    near(
        name.right(),
        184.0 - 4.0 * zi(),
        0.3,
        "GW-B-49 签名章 4 字 from the right",
    );
    near(
        name.x - office.right(),
        2.0 * zi(),
        0.3,
        "GW-B-49 职务 2 字 left of the 签名章",
    );
    near(
        date.right,
        184.0 - 4.0 * zi(),
        0.3,
        "GW-B-49 date 4 字 from the right",
    );
    near(
        date.runs[0].em_top() - name.em_bottom(),
        L,
        0.1,
        "GW-B-49 date one line below",
    );
    let last = lines
        .iter()
        .rfind(|l| l.text.contains("施行"))
        .expect("last line");
    near(
        name.em_top() - last.runs[0].em_bottom(),
        2.0 * L,
        0.1,
        "GW-B-49 two blank lines before the 签名章",
    );
}

#[test]
fn item06_an_order_with_a_name_stamp_image() {
    let yaml = ORDER.replace(
        "signature: 县长 王建国\n",
        "signature: 县长\nseal: {file: stamp.svg, size_mm: 30}\n",
    );
    let ins = render_with(&yaml, &[("stamp.svg", SEAL_SVG)]).expect("renders");
    let stamp = &ins.images[0];
    near(
        stamp.x + stamp.width,
        184.0 - 4.0 * zi(),
        0.3,
        "GW-B-49 签名章 4 字 from the right",
    );
    near(stamp.width, 30.0, 0.1, "签名章 width from size_mm");
    let office = ins.runs.iter().find(|r| r.text == "县长").expect("职务");
    near(
        (office.em_top() + office.em_bottom()) / 2.0,
        stamp.y + stamp.height / 2.0,
        0.3,
        "GW-B-49 职务 centred on the 签名章",
    );
}

#[test]
fn item06_an_order_number_must_be_di_n_hao() {
    let err = render(&ORDER.replace("第5号", "青政令〔2024〕5号"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("令号") && err.contains("第N号"), "{err}");
    let err = render(&ORDER.replace("signature: 县长 王建国\n", "signature: 县长\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("职务 姓名"), "{err}");
}

#[test]
fn item06_the_order_number_survives_rendering_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("令.yaml"), ORDER).unwrap();
    let o = gongwen(&["render", "令.yaml"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdf_text(&dir.path().join("令.pdf"));
    assert!(text.contains("第5号"), "令号 missing from the PDF: {text}");
    assert!(text.contains("县长") && text.contains("王建国"), "{text}");
}

#[test]
fn item08_characters_outside_the_face_are_named_with_the_face_used() {
    let w = warnings(&notice(
        "kind: 请示\nsigners: [王堃]\nto: 青川市人民政府\nbody: |\n  请示事项由李喆负责，联系人刘䶮、𠮷田。\n",
    ));
    let all = w.join("\n");
    for c in ["堃", "喆", "䶮", "𠮷"] {
        assert!(
            all.contains(c),
            "“{c}” printed in a fallback face without a word: {all}"
        );
    }
    assert!(
        all.contains("楷体") && all.contains("仿宋"),
        "the roles are named: {all}"
    );
    assert!(all.contains("改用"), "the face used is named: {all}");
}

/// An office folder with its settings and two sub-folders of documents.
fn office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("gongwen.toml"),
        "register = \"登记簿/发文.db\"\n\n[defaults]\nissuer = \"青石县应急管理局文件\"\nsignature = \"青石县应急管理局\"\nprinter = \"青石县应急管理局办公室\"\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("登记簿")).unwrap();
    for sub in ["通知", "报告"] {
        std::fs::create_dir(d.join(sub)).unwrap();
        let yaml = "kind: 通知\nnumber: {code: 青应急发, seq: auto}\ntitle: 青石县应急管理局关于开展安全检查的通知\nto: 各乡镇人民政府\nbody: |\n  请认真组织开展安全检查。\ndate: 2024-05-20\nprint_date: 2024-05-20\n";
        std::fs::write(d.join(sub).join("a.yaml"), yaml).unwrap();
    }
    dir
}

#[test]
fn item08_an_office_settings_file_gives_one_register_and_defaults() {
    let dir = office();
    let d = dir.path();
    let o = gongwen(&["register", "init", "--register", "登记簿/发文.db"], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (sub, want) in [
        ("通知", "青应急发〔2024〕1号"),
        ("报告", "青应急发〔2024〕2号"),
    ] {
        let o = gongwen(&["render", "a.yaml"], &d.join(sub));
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{e}");
        assert!(e.contains(want), "{sub}: {e}");
        assert!(
            !d.join(sub).join("gongwen.db").exists(),
            "a register of its own in {sub}"
        );
        let text = pdf_text(&d.join(sub).join("a.pdf"));
        for default in ["青石县应急管理局文件", "青石县应急管理局办公室"] {
            assert!(
                text.replace(' ', "").contains(default),
                "default “{default}” not used: {text}"
            );
        }
    }
    let o = gongwen(&["number", "list"], d);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out.lines().count(),
        2,
        "both numbers in the office register: {out}"
    );
}

#[test]
fn item08_a_wrong_settings_file_is_a_chinese_error_with_its_place() {
    let dir = office();
    let d = dir.path();
    std::fs::write(
        d.join("gongwen.toml"),
        "register = \"a.db\"\nfont = [\"字体\"]\n",
    )
    .unwrap();
    let o = gongwen(&["check", "a.yaml"], &d.join("通知"));
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("gongwen.toml:2:1") && e.contains("不认识的设置项“font”"),
        "{e}"
    );
    let o = gongwen(&["new", "设置"], d);
    let toml = String::from_utf8_lossy(&o.stdout);
    std::fs::write(d.join("gongwen.toml"), toml.as_bytes()).unwrap();
    let o = gongwen(&["check", "a.yaml"], &d.join("通知"));
    assert!(
        o.status.success(),
        "the scaffold is a valid settings file: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn item04_punctuation_pairs_stay_full_width_and_a_half_width_stop_is_corrected() {
    // A one-line paragraph (not justified): its width is its characters on
    // the grid, with “）、” and “。”” each two full characters.
    let text = "请各县（市、区）、各部门报送“安全月”。";
    let ins = render(&notice(&format!("body: |\n  {text}\n"))).expect("renders");
    let lines = ins.lines(1);
    let l = line(&lines, "请各县");
    let at = |needle: &str| {
        l.runs
            .iter()
            .find(|r| r.text.starts_with(needle))
            .unwrap_or_else(|| panic!("{needle}: {:?}", l.text))
            .x
            - l.left
    };
    near(
        at("各部门"),
        cells("请各县（市、区）、") * zi(),
        0.3,
        "GW-B-23 “）、” is two full characters",
    );
    near(
        at("。"),
        cells("请各县（市、区）、各部门报送“安全月”") * zi(),
        0.4,
        "GW-B-23 “”。” is two full characters",
    );
    let w = warnings(&notice("body: |\n  请于5月底前报送.联系人：李红梅。\n"));
    assert!(w.iter().any(|x| x.contains("半角句点")), "{w:#?}");
    let ins = render(&notice(
        "body: |\n  请于5月底前报送.联系人：李红梅。\n  一.总体要求\n  比例为1.5倍。\n",
    ))
    .expect("renders");
    assert!(
        ins.find("报送。联系人").is_some(),
        "“.” after Chinese becomes “。”"
    );
    assert!(ins.find("1.5倍").is_some(), "a decimal point stays");
}

/// Issue 13 item 8: a name in 楷体 with a character Fandol Kai lacks keeps
/// a 楷 look (the bundled LXGW WenKai), not the 宋体-style last resort.
#[test]
fn item08_a_kai_name_with_a_rare_character_stays_in_a_kai_face() {
    let ins = render(&notice(
        "kind: 请示\nsigners: [王堃]\nto: 青川市人民政府\nbody: |\n  一、关于赟字\n  （一）请李喆同志负责。联系人刘䶮。\n",
    ))
    .expect("renders");
    let family_of = |c: char| {
        ins.runs
            .iter()
            .find(|r| r.text.contains(c))
            .map(|r| r.family.clone())
            .unwrap_or_else(|| panic!("“{c}” is printed"))
    };
    assert_eq!(family_of('堃'), "LXGW WenKai", "签发人 name in 楷体");
    assert_eq!(family_of('喆'), "LXGW WenKai", "二级标题 in 楷体");
    assert_eq!(family_of('赟'), "Noto Sans CJK SC", "一级标题 in 黑体");
    // 仿宋 has no wider free face: the last resort draws it.
    assert_eq!(family_of('䶮'), "Noto Serif CJK SC");
    assert_eq!(
        family_of('王'),
        "FandolKai",
        "the rest of the name in its own face"
    );
}
