//! Issue 14, plan items 6–13: 频次 as a small grammar, plans without
//! 署名/日期, the 责任清单 by person, turned tables filled from measured
//! heights, tables with header rows and merged cells, headings told from
//! numbered sentences, 领导小组 member lists, village titles and units
//! without a name. Each test failed on the code before its item.

use std::path::PathBuf;

use crate::common::*;
use gongwen::plan::{units, Plan};
use gongwen::typeset::inspect::{Inspection, TextRun};

fn samples() -> PathBuf {
    root().join("samples/plans")
}

/// Lays out the plan of the first unit of `units_csv` (plan file, content
/// template `t.j2` and units in a fresh folder); asserts no text is lost.
fn plan_pages(plan_yaml: &str, template: &str, units_csv: &str) -> Result<Inspection, String> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("t.j2"), template).unwrap();
    std::fs::write(d.join("p.yaml"), plan_yaml).unwrap();
    std::fs::write(d.join("u.csv"), units_csv).unwrap();
    let plan = Plan::load(&d.join("p.yaml"), None).map_err(|e| e.to_string())?;
    let list = units::read(&d.join("u.csv"), &plan.file.unit_columns, "单位名单")
        .map_err(|e| e.to_string())?;
    plan_of(&plan, &list[0])
}

fn plan_of(plan: &Plan, unit: &units::Unit) -> Result<Inspection, String> {
    let notice = plan.expand(unit)?;
    let origin = gongwen::source::Origin::built(plan.dir().join("x.yaml"));
    let doc =
        gongwen::render::prepare_notice(engine(), &notice, origin).map_err(|e| e.to_string())?;
    let paged = gongwen::render::pages(engine(), &doc).map_err(|e| e.to_string())?;
    let ins = Inspection::of(&paged);
    let lost = ins.lost(&doc.layout.texts());
    assert!(lost.is_empty(), "text missing from the pages: {lost:?}");
    Ok(ins)
}

/// The sample village plan of one unit.
fn village(name: &str) -> Inspection {
    let plan = Plan::load(&samples().join("village-zero-accident.yaml"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let list = units::read(
        &samples().join("villages-2019.csv"),
        &plan.file.unit_columns,
        "单位名单",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let unit = list.iter().find(|u| u.name() == name).expect("unit");
    plan_of(&plan, unit).unwrap_or_else(|e| panic!("{e}"))
}

/// A plan file with these extra lines (tasks, signature …).
fn plan_file(extra: &str) -> String {
    format!("template: t.j2\ntitle: 频次测试方案\nperiod: {{start: 2019-05-01, end: 2019-12-31}}\n{extra}")
}

fn runs_with<'a>(ins: &'a Inspection, needle: &str) -> Vec<&'a TextRun> {
    ins.runs
        .iter()
        .filter(|r| r.text.contains(needle))
        .collect()
}

// ---- item 6: 频次 ------------------------------------------------------------

#[test]
fn item06_every_frequency_form_of_the_seeds_is_scheduled() {
    // Forms found in seeds 000–004 (每月至少1次, 每季度至少1次, 每半年至少1次,
    // 每年至少1次, 每年不少于4次, 每年不少于一次, 每月25日前, 6月10日、12月10日前,
    // 不定期, 随时, 长期, 每周 …).
    let tasks = "signature: 甲村民委员会\ndate: 2019-04-25\ntasks:
  - {name: 甲, frequency: 每月2次}
  - {name: 乙, frequency: 每年不少于4次}
  - {name: 丙, frequency: 不定期}
  - {name: 丁, frequency: 每月25日前}
  - {name: 戊, frequency: 6月10日、12月10日前}
  - {name: 己, frequency: 每季度至少1次}
  - {name: 庚, frequency: 每半年至少组织1次}
  - {name: 辛, frequency: 每年不少于一次}
  - {name: 壬, frequency: 随时}
  - {name: 癸, frequency: 长期}
  - {name: 子, frequency: 每周1次}
  - {name: 丑, frequency: 每月至少1次}
  - {name: 寅, frequency: 每年至少组织开展1次}
";
    let ins = plan_pages(
        &plan_file(tasks),
        "一、任务\n[[任务清单]]\n[[季度任务分解]]\n[[月度任务分解]]\n",
        "name\n甲村\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = flow_text(&ins);
    // 每月2次: six times in a whole quarter, mid-month and month end.
    assert!(
        text.contains("1.甲（每月2次，本季度6次，7月15日、7月31日、8月15日、8月31日、9月15日、9月30日前各完成1次）"),
        "每月2次 in the third quarter: {text}"
    );
    // 每年不少于4次: quarterly, not once on 12/31.
    for q in ["6月30日", "9月30日", "12月31日"] {
        assert!(
            text.contains(&format!("2.乙（{q}前完成）")),
            "每年不少于4次 due {q}: {text}"
        );
    }
    // 不定期, 随时, 长期: accepted, no due dates, shown as written.
    assert!(text.contains("3.丙（不定期）"), "{text}");
    assert!(text.contains("9.壬（随时）") && text.contains("10.癸（长期）"));
    // 每月25日前: the 25th, not the month end.
    assert!(text.contains("4.丁（5月25日前）") && text.contains("4.丁（12月25日前）"));
    assert!(!text.contains("4.丁（5月31日前）"), "{text}");
    // 6月10日、12月10日前: on those days, in those months only.
    assert!(text.contains("5.戊（6月10日前）") && text.contains("5.戊（12月10日前）"));
    assert_eq!(text.matches("5.戊（").count(), 2 + 2, "twice in each table");
    // 每周1次: every week, counted.
    assert!(text.contains("11.子（每周1次，本季度13次）"), "{text}");
    // 每年不少于一次 and 每年至少组织开展1次: the year's end.
    assert!(text.contains("8.辛（12月31日前完成）") && text.contains("13.寅（12月31日前完成）"));
}

#[test]
fn item06_a_frequency_not_understood_says_which_part_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("t.j2"), "一、任务\n").unwrap();
    for (freq, part) in [
        ("每月2回", "2回"),
        ("每月0次", "0次"),
        ("13月10日前", "13月"),
        ("2月30日前", "2月30日"),
        ("经常", "经常"),
    ] {
        let plan = plan_file(&format!(
            "signature: 甲\ndate: 2019-04-25\ntasks:\n  - name: 甲\n    frequency: {freq}\n"
        ));
        std::fs::write(d.join("p.yaml"), &plan).unwrap();
        let err = match Plan::load(&d.join("p.yaml"), None) {
            Ok(_) => panic!("{freq} accepted"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains("p.yaml:8:5") && err.contains("tasks[0].frequency"),
            "{freq}: place of the error: {err}"
        );
        assert!(
            err.contains(&format!("“{freq}”")) && err.contains(&format!("“{part}”")),
            "{freq}: the part not understood: {err}"
        );
        assert!(err.contains("每月25日前"), "{freq}: forms listed: {err}");
    }
}

// ---- item 7: no 署名, no 日期 ------------------------------------------------

#[test]
fn item07_a_plan_without_signature_and_date_and_one_with_a_date_alone() {
    let template = "一、总体要求\n做好安全生产工作。\n";
    // Neither 署名 nor 成文日期 (seed 003 篇4, seed 004 第一篇).
    let ins =
        plan_pages(&plan_file(""), template, "name\n甲村\n").unwrap_or_else(|e| panic!("{e}"));
    let text = ins.text();
    assert!(text.ends_with("做好安全生产工作。"), "{text}");
    // A date without a 署名: the date alone, right indent 2 字 (GW-B-47).
    let ins = plan_pages(&plan_file("date: 2019-04-25\n"), template, "name\n甲村\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ins.text().ends_with("做好安全生产工作。2019年4月25日"));
    let date = ins
        .lines(ins.pages)
        .into_iter()
        .find(|l| l.text.contains("2019年4月25日"))
        .unwrap();
    near(date.right, 184.0 - 2.0 * zi(), 0.6, "date alone, 右空二字");
    // A 署名 without a date is an error naming the field.
    let err = plan_pages(
        &plan_file("signature: 甲村民委员会\n"),
        template,
        "name\n甲村\n",
    )
    .expect_err("a 署名 needs a date");
    assert!(err.contains("date") && err.contains("成文日期"), "{err}");
    // A stand-alone 方案 written as a YAML document renders without either.
    let ins = render(
        "format: 方案\ntitle: 某街道安全生产工作方案\nbody: |\n  一、总体要求\n  做好工作。\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(ins.text().ends_with("做好工作。"));
}

// ---- item 13: the title and a unit without a name ---------------------------

/// The 标题 of page 1: its 22 pt runs.
fn title_of(ins: &Inspection) -> String {
    ins.runs
        .iter()
        .filter(|r| r.page == 1 && (r.size_pt - 22.0).abs() < 0.1)
        .map(|r| r.text.as_str())
        .collect()
}

#[test]
fn item13_a_village_plan_is_titled_for_that_village() {
    assert_eq!(
        title_of(&village("东关社区")),
        "东关社区“零事故”社区创建工作方案"
    );
    assert_eq!(title_of(&village("九里村")), "九里村“零事故”村创建工作方案");
}

#[test]
fn item13_a_unit_without_a_name_is_an_error_and_no_file_is_named_by_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = std::fs::read_to_string(samples().join("villages-2019.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().take(4).map(str::to_string).collect();
    // Row 3 of the spreadsheet (the second unit): its name cell is empty.
    lines[2] = lines[2].replacen("南关社区", "", 1);
    std::fs::write(d.join("u.csv"), lines.join("\n") + "\n").unwrap();
    let plan = samples().join("village-zero-accident.yaml");
    let o = gongwen(
        &[
            "batch",
            plan.to_str().unwrap(),
            "--units",
            "u.csv",
            "-o",
            "out",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("第 3 行") && err.contains("「村（居）」") && err.contains("空"),
        "{err}"
    );
    let made: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(made.len(), 2, "the other units render: {made:?}");
    assert!(!made.iter().any(|m| m.contains("第3行")), "{made:?}");
}

// ---- item 11: headings and numbered sentences -------------------------------

const FANG: &str = "FandolFang R";
const HEI: &str = "FandolHei";

/// The face of the line containing `needle` (all its runs share it).
fn face_of(ins: &Inspection, needle: &str) -> String {
    let line = (1..=ins.pages)
        .flat_map(|p| ins.lines(p))
        .find(|l| l.text.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}"));
    let faces: std::collections::BTreeSet<String> =
        line.runs.iter().map(|r| r.family.clone()).collect();
    assert_eq!(faces.len(), 1, "{needle}: {faces:?}");
    faces.into_iter().next().unwrap()
}

#[test]
fn item11_numbered_sentences_in_an_attachment_are_paragraphs_and_its_subheadings_headings() {
    // Seed 004 第一篇, 附件1 and 附件3.
    let yaml = notice(
        "attachments:
  - title: 社区专职安监员资格条件聘用程序
    body: |
      安监员的资格条件
      一、试点社区内具有高中以上文化程度，年龄在45周岁以下，身体健康的男性下岗失业人员。
      二、有较强的事业心和责任感，热爱安全生产监督管理工作。
      三、能够认真贯彻执行安全生产法律法规和有关政策，熟悉安全生产工作。
      四、坚持原则，作风正派，办事公道，勤政廉洁。
      五、经市安全生产监督管理部门培训考试合格。
      安监员的聘用程序
      劳动就业部门提供符合资格条件的人员名单，试点社区选拔，经本人原来所在单位同意，安监会同劳动部门审批，经体检、专业培训合格后同安监部门签订聘用协议。
  - title: 安全社区主要职责制度
    body:
      - 社区安监员职责
      - 在上级安监部门和社区居委会的领导下开展工作，其主要职责：
      - |
        一、负责社区内生产经营单位的日常安全生产监督管理。
        二、督促生产经营单位依法从事安全生产、经营活动，发现事故隐患应责令立即排除。
        三、参加本街道办或本社区组织的安全生产大检查。
      - heading: 工作要求
      - paragraph: 一、加强领导。
      - 各单位要高度重视。
      - |
        二、提高思想认识。
        各单位要统一思想。
",
    );
    let ins = render(&yaml).unwrap_or_else(|e| panic!("{e}"));
    for sentence in [
        "五、经市安全生产监督管理部门培训考试合格。",
        "一、试点社区内具有高中以上文化程度",
        "一、负责社区内生产经营单位的日常安全生产监督管理。",
        "三、参加本街道办或本社区组织的安全生产大检查。",
    ] {
        assert_eq!(face_of(&ins, sentence), FANG, "{sentence} is a list item");
    }
    for heading in ["安监员的资格条件", "安监员的聘用程序", "社区安监员职责"]
    {
        assert_eq!(face_of(&ins, heading), HEI, "{heading} is a sub-heading");
    }
    // What the data says wins: a heading without a marker, a numbered
    // heading-like line kept a paragraph.
    assert_eq!(face_of(&ins, "工作要求"), HEI);
    assert_eq!(face_of(&ins, "一、加强领导。"), FANG);
    // A numbered heading followed by its text stays a heading (GW-B-22).
    assert_eq!(face_of(&ins, "二、提高思想认识。"), HEI);
}

#[test]
fn item11_a_content_template_marks_a_heading_or_a_paragraph_and_data_cannot() {
    let template = "[[段落]]一、加强领导。\n各单位要高度重视。\n[[标题]]工作要求\n各单位要统一思想。\n{{ unit.note }}\n";
    let ins = plan_pages(&plan_file(""), template, "name,note\n甲村,[[标题]]伪标题\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(face_of(&ins, "一、加强领导。"), FANG);
    assert_eq!(face_of(&ins, "工作要求"), HEI);
    // A unit's value is text: printed as it is, never a heading.
    assert_eq!(face_of(&ins, "[[标题]]伪标题"), FANG);
}

// ---- item 9: turned tables filled from measured heights ---------------------

/// Row boundaries of a turned table on `page`: the table's own rules run
/// across the page (turned), so the x positions where rules start.
fn turned_row_edges(ins: &Inspection, page: usize) -> Vec<f64> {
    let mut xs: Vec<f64> = ins
        .rules
        .iter()
        .filter(|r| r.page == page && r.height < 1.0)
        .map(|r| r.x)
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 0.2);
    xs
}

#[test]
fn item09_turned_task_list_pages_are_filled_while_the_next_row_fits() {
    for name in ["东关社区", "尚兰村"] {
        let ins = village(name);
        let turned: Vec<usize> = (1..=ins.pages)
            .filter(|p| ins.runs.iter().any(|r| r.page == *p && r.text == "举措"))
            .collect();
        assert!(turned.len() >= 2, "{name}: {turned:?}");
        for w in turned.windows(2) {
            let (p, next) = (w[0], w[1]);
            let edges = turned_row_edges(&ins, p);
            let next_edges = turned_row_edges(&ins, next);
            // The 版心 turned: the table's foot side is the 版心's right edge.
            let right = if p % 2 == 1 { 184.0 } else { 182.0 };
            let free = right - edges.last().unwrap();
            // The next page: head row, then the first row of tasks.
            let next_row = next_edges[2] - next_edges[1];
            assert!(
                free < next_row,
                "{name}: page {p} leaves {free:.1} mm free, the next row is {next_row:.1} mm"
            );
            assert!(
                free >= -0.3,
                "{name}: page {p} overflows by {:.1} mm",
                -free
            );
        }
    }
}

#[test]
fn item09_a_row_taller_than_a_turned_page_is_an_error() {
    let long = "隐患点位逐一登记，整改情况逐项核查。".repeat(120);
    let yaml = notice(&format!(
        "body:\n  - 正文。\n  - table:\n      landscape: true\n      columns: [序号, 事项]\n      widths: [1, 8]\n      rows:\n        - [1, 短]\n        - [2, {long}]\n"
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.yaml"), &yaml).unwrap();
    let o = gongwen(&["render", "doc.yaml"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("body[1].table.rows[1]") && err.contains("横排表格"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

// ---- item 8: the 责任清单 by person -----------------------------------------

#[test]
fn item08_the_responsibility_list_has_one_row_group_per_person_and_aligned_deadlines() {
    let tasks = "signature: 甲村民委员会\ndate: 2019-04-25\ntasks:
  - {name: 建立健全安全生产委员会及其办公室并制定全部工作制度和成员职责分工方案, responsible: 张三、李四, frequency: 一次性, deadline: 2019-05-31}
  - {name: 划定网格, responsible: 张三、李四, frequency: 一次性, deadline: 2019-06-30}
  - {name: 摸排建档, responsible: 李四、各网格员, frequency: 一次性, deadline: 2019-07-31}
  - {name: 隐患排查, responsible: 各网格员, frequency: 一次性, deadline: 2019-08-31}
";
    let ins = plan_pages(&plan_file(tasks), "[[责任清单]]\n", "name\n甲村\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let text = ins.text();
    for person in ["张三", "李四", "各网格员"] {
        assert_eq!(text.matches(person).count(), 1, "{person} once: {text}");
    }
    // Each task's deadline sits in its task's row: not above the task's first
    // line, and above the next task's first line in the same column.
    let heads = ["建立健全", "划定网格", "摸排建档", "隐患排查"];
    let months = ["2019年5月", "2019年6月", "2019年7月", "2019年8月"];
    let mut starts: Vec<(f64, f64, usize)> = Vec::new();
    for (head, month) in heads.iter().zip(months) {
        let dues = runs_with(&ins, month);
        for h in runs_with(&ins, head) {
            starts.push((h.baseline, h.x, h.page));
            let due = dues
                .iter()
                .filter(|d| d.page == h.page && d.baseline >= h.baseline - 0.5)
                .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
                .unwrap_or_else(|| panic!("{head}: no deadline at or below its row"));
            let next_head = ins
                .runs
                .iter()
                .filter(|r| {
                    r.page == h.page
                        && (r.x - h.x).abs() < 1.0
                        && r.baseline > h.baseline + 0.5
                        && heads.iter().any(|x| r.text.contains(x))
                })
                .map(|r| r.baseline)
                .fold(f64::MAX, f64::min);
            assert!(
                due.baseline < next_head - 0.5,
                "{head}: its deadline {:.1} is in the next task's row ({next_head:.1})",
                due.baseline
            );
        }
    }
    // 张三 has tasks 1 and 2, 李四 1–3, 各网格员 3 and 4: seven task rows.
    assert_eq!(starts.len(), 7, "{starts:?}");
}

// ---- item 10: header rows, merged cells -------------------------------------

fn target_table(rows: usize, landscape: bool) -> String {
    let mut y = format!(
        "format: 方案\ntitle: 全市2013年安全社区建设目标分解表\nsignature: 某市安全生产委员会办公室\ndate: 2013-05-20\nbody:
  - 目标分解如下。
  - table:
      landscape: {landscape}
      header:
        - [{{text: 序号, rowspan: 2}}, {{text: 区市县, rowspan: 2}}, 建成, {{text: 启动建设, colspan: 2}}]
        - [省级, 省级, 国家级]
      widths: [1, 3, 2, 2, 2]
      rows:
"
    );
    for i in 1..=rows {
        y.push_str(&format!("        - [{i}, 第{i}区, 1, 2, 0]\n"));
    }
    y.push_str("        - [{text: 合计, colspan: 2}, 66, 77, 88]\n");
    y
}

#[test]
fn item10_two_header_rows_repeat_and_merged_cells_take_their_columns() {
    let ins = render(&target_table(40, false)).unwrap_or_else(|e| panic!("{e}"));
    let pages: Vec<usize> = (1..=ins.pages)
        .filter(|p| {
            ins.runs
                .iter()
                .any(|r| r.page == *p && r.text.contains("第"))
        })
        .collect();
    assert!(pages.len() >= 2, "the table runs over pages: {pages:?}");
    for p in &pages {
        for head in ["区市县", "启动建设", "国家级"] {
            assert!(
                ins.runs.iter().any(|r| r.page == *p && r.text == head),
                "header {head} on page {p}"
            );
        }
    }
    // 合计 spans 序号 and 区市县: its numbers sit in the 建成, 省级, 国家级
    // columns, under the numbers of the row above.
    let x_of = |t: &str| runs_with(&ins, t)[0].x;
    let above = runs_with(&ins, "第40区")[0];
    let built = ins
        .runs
        .iter()
        .find(|r| {
            r.text == "1" && r.page == above.page && (r.baseline - above.baseline).abs() < 0.5
        })
        .expect("row 40's 建成");
    assert_eq!(runs_with(&ins, "66")[0].page, above.page);
    near(x_of("66"), built.x, 0.5, "合计's 建成 under the column");
    assert!(x_of("88") > x_of("77") && x_of("77") > x_of("66"));
    // Turned, both header rows open every page.
    let ins = render(&target_table(60, true)).unwrap_or_else(|e| panic!("{e}"));
    let turned: Vec<usize> = (1..=ins.pages)
        .filter(|p| ins.runs.iter().any(|r| r.page == *p && r.text == "区市县"))
        .collect();
    assert!(turned.len() >= 2, "{turned:?}");
    for p in turned {
        assert!(ins.runs.iter().any(|r| r.page == p && r.text == "国家级"));
    }
    assert!(ins.text().contains("合计"));
}

#[test]
fn item10_a_short_row_is_an_error_not_padded() {
    let yaml = target_table(2, false).replace("- [2, 第2区, 1, 2, 0]", "- [2, 第2区, 1]");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.yaml"), &yaml).unwrap();
    let o = gongwen(&["render", "doc.yaml"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let line = yaml.lines().position(|l| l.contains("第2区")).unwrap() + 1;
    assert!(
        err.contains(&format!("doc.yaml:{line}:11"))
            && err.contains("body[1].table.rows[1]")
            && err.contains("3 格")
            && err.contains("5 列"),
        "{err}"
    );
    assert!(err.contains("未生成任何文件"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn item10_mistakes_in_cells_and_blocks_are_placed_at_their_line() {
    let base = "format: 方案\ntitle: 测试方案\nbody:\n  - 正文。\n";
    for (extra, at, field, message) in [
        (
            "  - table:\n      columns: [甲, 乙]\n      rows:\n        - [{txt: 合计}, 1]\n",
            "8:12",
            "body[1].table.rows[0][0]",
            "格里不认识“txt”",
        ),
        (
            "  - table:\n      columns: [甲, 乙]\n      rows:\n        - [{text: 合计, colspan: 0}, 1]\n",
            "8:12",
            "body[1].table.rows[0][0]",
            "合并的行数、列数写 1 到 1000 的整数",
        ),
        (
            "  - table:\n      header:\n        - [{text: 甲, rowspan: 3}, 乙]\n        - [丙]\n      rows:\n        - [1, 2]\n",
            "8:11",
            "body[1].table.header[1]",
            "有合并的格跨行超出了表头的最后一行",
        ),
        (
            "  - memebers: {组长: 张三}\n",
            "5:",
            "body[1]",
            "正文里不认识“memebers”",
        ),
        (
            "  - members: 组长\n",
            "5:5",
            "body[1].members",
            "名单写成“组长: 张三”",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("doc.yaml"), format!("{base}{extra}")).unwrap();
        let o = gongwen(&["check", "doc.yaml"], dir.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("doc.yaml:{at}"))
                && err.contains(&format!("（字段 {field}）\n  {message}")),
            "{extra}: {err}"
        );
    }
}

// ---- item 12: 领导小组 member lists -----------------------------------------

#[test]
fn item12_member_lists_align_names_after_their_labels() {
    let yaml = notice(
        "body:
  - 为切实做好治本攻坚三年行动工作，特成立工作领导小组：
  - members:
      组长: 街道党工委书记、办事处主任
      副组长: 武装部长
      成员: [其他分管领导, 派出所所长, 卫生院院长, 各社区支部书记]
  - 领导小组统筹协调办事处全面落实安全生产治本攻坚三年行动工作。
",
    );
    let ins = render(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let lines = body_lines(&ins, 1);
    let at = |t: &str| {
        lines
            .iter()
            .find(|l| l.text.contains(t))
            .unwrap_or_else(|| panic!("no line with {t}"))
    };
    let name_x = |l: &gongwen::typeset::inspect::Line, name: &str| {
        l.runs
            .iter()
            .find(|r| r.text.contains(name))
            .map(|r| {
                let before = &r.text[..r.text.find(name).unwrap()];
                r.x + cells(before) * zi()
            })
            .unwrap()
    };
    let x = name_x(at("街道党工委书记"), "街道党工委书记");
    for (line, name) in [
        ("武装部长", "武装部长"),
        ("其他分管领导", "其他分管领导"),
        ("派出所所长", "派出所所长"),
        ("卫生院院长", "卫生院院长"),
        ("各社区支部书记", "各社区支部书记"),
    ] {
        near(
            name_x(at(line), name),
            x,
            0.3,
            &format!("{name} under the names"),
        );
    }
    // The labels start at the paragraph indent, one member per line.
    near(at("组").left, 28.0 + 2.0 * zi(), 0.3, "label at 2 字");
    near(
        at("派出所所长").baseline - at("其他分管领导").baseline,
        L,
        0.1,
        "one line each",
    );
}

// ---- samples of seeds 003 and 004 -------------------------------------------

/// Seed text with the fixes the samples document: full-width punctuation,
/// a leading “1、” as “1.”.
fn seed_normalised(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ',' => '，',
            ':' => '：',
            ';' => '；',
            c => c,
        })
        .collect();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with('、') {
        format!("{}.{}", &t[..digits], &t[digits + '、'.len_utf8()..])
    } else {
        t
    }
}

/// The paragraphs of a seed between two markers, with `fixes` (the joins
/// and splits each sample's comment lists) applied, normalised.
fn seed_paras(file: &str, start: &str, end: &str, fixes: &[(&str, &str)]) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/seeds").join(file)).unwrap();
    let a = text.find(start).expect("start marker");
    // An empty end marker: to the end of the file.
    let b = if end.is_empty() {
        text.len()
    } else {
        text[a..].find(end).expect("end marker") + a
    };
    let mut part = text[a..b].to_string();
    for (from, to) in fixes {
        assert!(part.contains(from), "fix {from:?} not in the seed");
        part = part.replace(from, to);
    }
    part.lines()
        .map(seed_normalised)
        .filter(|l| !l.is_empty())
        .collect()
}

fn assert_in_order(doc: &str, paras: &[String], what: &str) {
    let mut at = 0;
    for p in paras {
        match doc[at..].find(p.as_str()) {
            Some(i) => at += i + p.len(),
            None => panic!(
                "{what}: {} paragraph:\n{p}",
                if doc.contains(p.as_str()) {
                    "out of order"
                } else {
                    "missing"
                }
            ),
        }
    }
}

/// Headings of a paragraph list: numbered lines without run-in text, and
/// the seed's sub-headings without numbers.
fn seed_headings(paras: &[String]) -> Vec<&str> {
    paras
        .iter()
        .map(String::as_str)
        .filter(|p| {
            let numbered = p.starts_with(|c: char| "一二三四五六七八九十".contains(c))
                && p.contains('、')
                || p.starts_with('（') && !p.starts_with("（1");
            numbered && !p.trim_end_matches('。').contains('。') && p.chars().count() <= 30
        })
        .collect()
}

#[test]
fn seed_003_plan_4_renders_with_its_headings_and_member_list() {
    let ins = sample("fangan/zhiben-gongjian-pian4.yaml");
    let text = ins.text();
    let mut paras = seed_paras(
        "003_12d1d00a5d105e8b.txt",
        "为认真贯彻落实____关于安全生产的重要论述",
        "",
        &[],
    );
    // The member list is written as the list it is (see the sample).
    paras.retain(|p| {
        !["组长：", "副组长：", "成员："]
            .iter()
            .any(|l| p.starts_with(l))
            && p != "各社区支部书记"
    });
    assert_in_order(&text, &paras, "seed 003 篇4");
    let headings = seed_headings(&paras);
    assert!(headings.len() >= 15, "{headings:?}");
    for h in headings {
        let face = face_of(&ins, h);
        if h.starts_with('（') {
            assert!(face.contains("Kai"), "{h}: {face}");
        } else {
            assert_eq!(face, HEI, "{h}");
        }
    }
    // No 署名, no 成文日期: the last line is the seed's last sentence.
    assert!(text.ends_with("推动安全生产治本攻坚三年行动落实落地。"));
    // The leading group: every name after its label, aligned.
    let lines: Vec<_> = (1..=ins.pages).flat_map(|p| ins.lines(p)).collect();
    let names = [
        "街道党工委书记、办事处主任",
        "武装部长",
        "其他分管领导",
        "派出所所长",
        "卫生院院长",
        "各社区支部书记",
    ];
    let mut xs = Vec::new();
    for n in names {
        let l = lines
            .iter()
            .find(|l| l.text.ends_with(n))
            .unwrap_or_else(|| panic!("{n}"));
        xs.push(l.right - cells(n) * zi());
    }
    for x in &xs {
        near(
            *x,
            xs[0],
            0.5,
            "names aligned after 组　长：/副组长：/成　员：",
        );
    }
    assert!(lines.iter().any(|l| l.text.starts_with("组　长：")));
}

#[test]
fn seed_004_first_plan_renders_with_its_attachments() {
    let ins = sample("fangan/anquan-shequ-shidian.yaml");
    let text = ins.text();
    let seed = "004_4bc2f106566ddf37.txt";
    let main = seed_paras(
        seed,
        "为切实抓好我市基层安全生产工作",
        "附件1 社区专职",
        &[
            ("特制定本方案\n", "特制定本方案。\n"),
            ("试点工作创建\n\n指导委员会", "试点工作创建指导委员会"),
            ("建立试点\n\n组织领导机构", "建立试点组织领导机构"),
            ("六、工作要求 加强组织领导", "六、工作要求\n加强组织领导"),
            ("持续推进“安\n\n全社区”", "持续推进“安全社区”"),
        ],
    );
    let a1 = seed_paras(seed, "安监员的资格条件", "附件2 石家庄", &[]);
    let a2 = seed_paras(
        seed,
        "参照国家《安全社区建设基本要求》",
        "附件3 安全社区",
        &[
            (
                "一、机构健全、制度完善 社区",
                "一、机构健全、制度完善\n社区",
            ),
            ("相应的工作\n\n职责。", "相应的工作职责。"),
            ("普查率达95%以上。建立\n\n完善", "普查率达95%以上。建立完善"),
            ("三、消防安全状况好 社区", "三、消防安全状况好\n社区"),
            ("四、交通安全状况好 社区", "四、交通安全状况好\n社区"),
            ("五、食品卫生状况好 认真", "五、食品卫生状况好\n认真"),
            ("日常安全知识,提\n\n高安全意识", "日常安全知识,提高安全意识"),
        ],
    );
    let a3 = seed_paras(seed, "社区安监员职责", "四、配合区直有关部门", &[]);
    let mut all = main.clone();
    for (title, part) in [
        ("社区专职安监员资格条件聘用程序", &a1),
        ("石家庄市安全社区创建标准", &a2),
        ("安全社区主要职责制度", &a3),
    ] {
        all.push(title.to_string());
        all.extend(part.iter().cloned());
    }
    assert_in_order(&text, &all, "seed 004 第一篇");
    for h in seed_headings(&main).into_iter().chain(seed_headings(&a2)) {
        assert_eq!(face_of(&ins, h), HEI, "{h}");
    }
    // 附件: the sub-headings without numbers in 黑体, the numbered
    // sentences of their lists in 仿宋 (issue 14 item 11).
    for h in ["安监员的资格条件", "安监员的聘用程序", "社区安监员职责"] {
        assert_eq!(face_of(&ins, h), HEI, "{h}");
    }
    for item in a1
        .iter()
        .chain(&a3)
        .filter(|p| p.starts_with(|c: char| "一二三四五".contains(c)))
    {
        let head: String = item.chars().take(14).collect();
        assert_eq!(face_of(&ins, &head), FANG, "{item}");
    }
    // Three attachments, each on its own pages, labelled 附件1–3.
    for n in 1..=3 {
        let label = format!("附件{n}");
        assert!(
            (1..=ins.pages).any(|p| ins.lines(p).first().is_some_and(|l| l.text == label)),
            "{label} heads a page"
        );
    }
}

#[test]
fn seed_004_third_plan_renders_with_its_target_table() {
    let ins = sample("fangan/anquan-shequ-2013.yaml");
    let text = ins.text();
    let paras = seed_paras(
        "004_4bc2f106566ddf37.txt",
        "根据《中共XX省委办公厅XX省人民政府办公厅关于印发",
        "附件: 市2013安全社区建设目标分解表",
        &[
            ("2013安全社\n\n区创建工作", "2013安全社区创建工作"),
            ("秉承 “大安全”", "秉承“大安全”"),
        ],
    );
    assert_in_order(&text, &paras, "seed 004 第三篇");
    for h in [
        "（一）统一认识，加强领导，明确职责。",
        "（四）加强督查，严格督办，逗硬考核。",
    ] {
        assert!(face_of(&ins, h).contains("Kai"), "{h} is a heading");
    }
    // The 目标分解表: two header rows, a row per unit, the 合计 row over two
    // columns with the totals of the text (6 built, 15 and 2 started).
    let page = (1..=ins.pages)
        .find(|p| {
            ins.lines(*p)
                .iter()
                .any(|l| l.text.contains("启动建设（个）"))
        })
        .expect("the attachment");
    let lines = ins.lines(page);
    let row = |start: &str| {
        lines
            .iter()
            .find(|l| l.text.starts_with(start))
            .unwrap_or_else(|| {
                panic!(
                    "row {start}: {:?}",
                    lines.iter().map(|l| &l.text).collect::<Vec<_>>()
                )
            })
            .text
            .clone()
    };
    let head: String = lines.iter().take(9).map(|l| l.text.as_str()).collect();
    for h in ["序号", "区（市、县）", "建成", "启动建设", "国家级", "备注"] {
        assert!(head.contains(h), "{h} in the header: {head}");
    }
    for (i, unit) in ["前锋区", "甲区", "乙区", "丙市", "丁县", "戊县", "己县"]
        .iter()
        .enumerate()
    {
        assert!(row(&format!("{}{unit}", i + 1)).len() > unit.len());
    }
    assert_eq!(row("合计"), "合计6152");
}
