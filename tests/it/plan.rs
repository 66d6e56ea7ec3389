//! Plans for every unit: content templates, strict variables, the schedule
//! tables, turned tables, batch errors by row, the zip manifest (issue 4).

use crate::common::gongwen;

use std::path::Path;

use gongwen::plan::{units, Plan};
use gongwen::typeset::inspect::Inspection;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/plans")
}

/// `gongwen batch` of the village plan with these units, into `out`.
fn village_batch(d: &Path, units: &str, out: &str, extra: &[&str]) -> std::process::Output {
    let plan = samples().join("village-zero-accident.yaml");
    let mut args = vec!["batch", plan.to_str().unwrap(), "--units", units, "-o", out];
    args.extend_from_slice(extra);
    gongwen(&args, d)
}

/// Lays out the plan of one unit of a plan file.
fn plan_for(plan: &Path, units_file: &Path, name: &str) -> Inspection {
    let plan = Plan::load(plan, None).unwrap_or_else(|e| panic!("{e}"));
    let list = units::read(units_file, &plan.file.unit_columns, "单位名单")
        .unwrap_or_else(|e| panic!("{e}"));
    let unit = list
        .iter()
        .find(|u| u.name() == name)
        .unwrap_or_else(|| panic!("{name} not in the units file"));
    let notice = plan.expand(unit).unwrap_or_else(|e| panic!("{e}"));
    let origin = gongwen::source::Origin::built(plan.dir().join("x.yaml"));
    let doc = gongwen::render::prepare_notice(crate::common::engine(), &notice, origin)
        .unwrap_or_else(|e| panic!("{e}"));
    Inspection::of(
        &gongwen::render::pages(crate::common::engine(), &doc).unwrap_or_else(|e| panic!("{e}")),
    )
}

#[test]
fn each_village_gets_its_own_plan_with_targets_and_schedule() {
    let ins = plan_for(
        &samples().join("village-zero-accident.yaml"),
        &samples().join("villages-2019.csv"),
        "东关社区",
    );
    let text = ins.text();
    assert!(text.contains("东关社区“零事故”"), "title names the unit");
    assert!(text.contains("65%") && text.contains("90%"), "targets");
    assert!(text.contains("姜某某"), "the unit's own leader");
    assert!(!text.contains("南关社区"), "no other unit's data");
    for table in ["任务清单", "责任清单", "季度任务分解表", "月度任务分解表"]
    {
        assert!(text.contains(table), "{table} missing");
    }
    for month in 5..=12 {
        assert!(
            text.contains(&format!("2019年{month}月")),
            "month {month} in the 月度任务分解"
        );
    }
    assert!(text.contains("2019年第二季度") && text.contains("2019年第四季度"));
    assert!(!text.contains("2019年第一季度"), "the period starts in May");
    // GW-S-40: a stand-alone plan has no red 版头 and no 版记.
    assert!(ins.runs.iter().all(|r| !r.red), "no red in a plan");
    assert!(ins.rules.iter().all(|r| r.height < 0.3 || !r.red));
    // Page numbers on every page, including turned-table pages (GW-N-07).
    for p in 1..=ins.pages {
        assert!(
            ins.lines(p)
                .iter()
                .any(|l| gongwen::typeset::inspect::is_page_number(&l.text)),
            "page {p} numbered"
        );
    }
}

#[test]
fn turned_task_list_keeps_rows_whole_and_repeats_its_head() {
    let ins = plan_for(
        &samples().join("village-zero-accident.yaml"),
        &samples().join("villages-2019.csv"),
        "尚兰村",
    );
    // Pages carrying the turned 任务清单: its head “举措” is set turned.
    let turned: Vec<usize> = (1..=ins.pages)
        .filter(|p| ins.runs.iter().any(|r| r.page == *p && r.text == "举措"))
        .collect();
    assert!(!turned.is_empty(), "the task list is there");
    for p in &turned {
        assert!(
            ins.runs.iter().any(|r| r.page == *p && r.text == "频次"),
            "GW-S-31 head repeated on page {p}"
        );
    }
    // Every task number sits on exactly one turned page (rows never split).
    let plan = Plan::load(&samples().join("village-zero-accident.yaml"), None).unwrap();
    for t in 1..=plan.file.tasks.len() {
        let pages: Vec<usize> = turned
            .iter()
            .copied()
            .filter(|p| {
                ins.runs
                    .iter()
                    .any(|r| r.page == *p && r.text == t.to_string() && r.size_pt == 12.0)
            })
            .collect();
        assert_eq!(pages.len(), 1, "task {t} row on pages {pages:?}");
    }
}

/// Expands a one-unit plan made of a content template, extra plan-file lines
/// and a units CSV; returns the expansion error.
fn expansion_error(template: &str, plan_extra: &str, units_csv: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("t.j2"), template).unwrap();
    let plan = format!("template: t.j2\ndate: 2019-04-25\nperiod: {{start: 2019-05-01, end: 2019-12-31}}\n{plan_extra}");
    std::fs::write(d.join("p.yaml"), plan).unwrap();
    std::fs::write(d.join("u.csv"), units_csv).unwrap();
    let plan = Plan::load(&d.join("p.yaml"), None).unwrap();
    let list = units::read(&d.join("u.csv"), &plan.file.unit_columns, "单位名单").unwrap();
    plan.expand(&list[0]).unwrap_err()
}

#[test]
fn undefined_variables_are_errors_naming_the_variable_and_line() {
    let err = expansion_error(
        "一、总体要求\n{{ unit.name }}要做好工作。\n负责人：{{ unit.leeder }}\n",
        "title: \"{{ unit.name }}方案\"\nunit_columns: {单位: name, 负责人: leader}\n",
        "单位,负责人\n东关社区,张三\n",
    );
    assert!(
        err.contains("未定义") && err.contains("第 3 行") && err.contains("unit.leeder"),
        "{err}"
    );
}

#[test]
fn a_template_that_loops_forever_is_stopped() {
    let err = expansion_error(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% set k = j %}{% endfor %}{% endfor %}\n",
        "title: 方案\n",
        "name\n甲\n",
    );
    assert!(err.contains("运算太多"), "{err}");
}

#[test]
fn batch_renders_the_16_villages_into_a_zip_with_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = village_batch(
        d,
        samples().join("villages-2019.csv").to_str().unwrap(),
        "out",
        &["--zip", "plans.zip"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("已生成 16 份"), "{err}");
    let pdfs: Vec<_> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(pdfs.len(), 16);
    assert!(
        d.join("out/东关社区.pdf").is_file() && d.join("out/尚兰村.pdf").is_file(),
        "named after the units"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("plans.zip")).unwrap()).unwrap();
    assert_eq!(zip.len(), 17, "16 PDFs + 清单.csv");
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("清单.csv").unwrap(), &mut manifest).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.contains("东关社区.pdf"))
        .expect("manifest row");
    let sha = gongwen::output::sha256_hex(&std::fs::read(d.join("out/东关社区.pdf")).unwrap());
    assert!(
        line.contains(&sha),
        "manifest SHA-256 matches the file: {line}"
    );
    assert!(manifest.starts_with('\u{FEFF}'), "BOM for WPS/Excel");
    let mut rows = manifest.lines();
    assert_eq!(
        rows.next().unwrap().trim_start_matches('\u{FEFF}'),
        "行号,单位,文件,页数,SHA-256"
    );
    // Every row: its file's page count and hash.
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), 16);
    for r in rows {
        let cells: Vec<&str> = r.split(',').collect();
        let pdf = std::fs::read(d.join("out").join(cells[2])).unwrap();
        let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
        assert_eq!(cells[3], pages.to_string(), "页数 of {}", cells[2]);
        assert_eq!(cells[4], gongwen::output::sha256_hex(&pdf), "{}", cells[2]);
        assert_eq!(
            cells[2],
            format!("{}.pdf", cells[1]),
            "named after the unit"
        );
        // The PDF's title (set by the program after layout, not by the
        // template) is this unit's.
        let kind = if cells[1].contains("社区") {
            "社区"
        } else {
            "村"
        };
        assert_eq!(
            pdf_title(&pdf),
            format!("{}“零事故”{kind}创建工作方案", cells[1]),
            "{}",
            cells[2]
        );
    }
    // Plans of one batch share laid-out paragraphs through Typst's cache:
    // a unit rendered on its own gives the same bytes as in the batch.
    let csv = std::fs::read_to_string(samples().join("villages-2019.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    for unit in ["尚兰村", "南关社区"] {
        let row = lines.clone().find(|l| l.starts_with(unit)).unwrap();
        std::fs::write(d.join("one.csv"), format!("{header}\n{row}\n")).unwrap();
        let o = village_batch(d, "one.csv", "alone", &[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let alone = std::fs::read(d.join("alone").join(format!("{unit}.pdf"))).unwrap();
        let batch = std::fs::read(d.join("out").join(format!("{unit}.pdf"))).unwrap();
        assert!(alone == batch, "{unit}: alone and in the batch differ");
    }
}

/// The document title in a PDF's Info dictionary.
fn pdf_title(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let title = doc
        .get_dictionary(info)
        .unwrap()
        .get(b"Title")
        .unwrap()
        .as_str()
        .unwrap()
        .to_vec();
    match title.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => String::from_utf16(
            &utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        None => String::from_utf8(title).unwrap(),
    }
}

#[test]
fn a_broken_row_is_reported_by_row_number_and_the_others_still_render() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = std::fs::read_to_string(samples().join("villages-2019.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // Row 4 (the third village): a character no bundled font can draw.
    lines[3] = lines[3].replacen("社区", "社区𗀀", 1);
    std::fs::write(d.join("units.csv"), lines.join("\n") + "\n").unwrap();
    let o = village_batch(d, "units.csv", "out", &[]);
    assert_eq!(o.status.code(), Some(1), "non-zero exit when a row fails");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("已生成 15 份") && err.contains("失败 1 份"),
        "{err}"
    );
    assert!(err.contains("第 4 行") && err.contains("U+17000"), "{err}");
    assert_eq!(std::fs::read_dir(d.join("out")).unwrap().count(), 15);
}

#[test]
fn units_file_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("u.csv"), "名称,别的\n甲,乙\n").unwrap();
    let o = village_batch(d, "u.csv", "out", &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("表头缺少列") && err.contains("村（居）"),
        "{err}"
    );
    std::fs::write(
        d.join("g.csv"),
        encoding_rs::GBK.encode("村（居）\n东关\n").0.as_ref(),
    )
    .unwrap();
    let o = village_batch(d, "g.csv", "out", &[]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("UTF-8"));
}

#[test]
fn the_street_three_year_plan_renders_with_its_tasks_and_departments() {
    let units = samples().join("street-three-year-units.csv");
    let first = std::fs::read_to_string(&units)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let ins = plan_for(&samples().join("street-three-year.yaml"), &units, &first);
    let text = ins.text();
    assert!(text.contains(&first));
    assert!(text.contains("街道安办"), "责任部门 from the seed");
    assert!(text.contains("任务清单"));
    assert!(
        !text.contains("20__") && !text.contains("____"),
        "the seed's blanks are filled"
    );
}

/// A units list in YAML (a list of maps with the same headers) gives the
/// same units as the CSV, and `batch` renders one PDF per unit from it.
#[test]
fn a_yaml_units_list_reads_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let plan = Plan::load(&samples().join("village-zero-accident.yaml"), None).unwrap();
    let csv_text = std::fs::read_to_string(samples().join("villages-2019.csv")).unwrap();
    let mut lines = csv_text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.take(2).map(|l| l.split(',').collect()).collect();
    std::fs::write(
        d.join("two.csv"),
        csv_text.lines().take(3).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let yaml: String = rows
        .iter()
        .map(|r| {
            header
                .iter()
                .zip(r)
                .enumerate()
                .map(|(i, (h, v))| format!("{}{h}: \"{v}\"\n", if i == 0 { "- " } else { "  " }))
                .collect::<String>()
        })
        .collect();
    std::fs::write(d.join("two.yaml"), &yaml).unwrap();
    let from_csv = units::read(&d.join("two.csv"), &plan.file.unit_columns, "单位名单").unwrap();
    let from_yaml = units::read(&d.join("two.yaml"), &plan.file.unit_columns, "单位名单").unwrap();
    assert_eq!(from_yaml.len(), 2);
    for (a, b) in from_csv.iter().zip(&from_yaml) {
        assert_eq!(a.values, b.values, "same variables from YAML as from CSV");
    }
    // Rows are named by spreadsheet row in a CSV (the header is row 1), by
    // list item in YAML.
    assert_eq!(from_csv.iter().map(|u| u.row).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(from_yaml.iter().map(|u| u.row).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(from_yaml[0].name(), "东关社区");
    let o = village_batch(d, "two.yaml", "out", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut made: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    let mut want = vec![format!("{}.pdf", rows[0][0]), format!("{}.pdf", rows[1][0])];
    want.sort();
    assert_eq!(made, want);
}

/// A batch on more than one core runs worker processes; one killed in the
/// middle of the run costs only the unit it had in hand — reported with
/// its row — and the batch finishes the other fifteen.
#[test]
fn a_killed_worker_process_loses_only_its_unit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let plan = samples().join("village-zero-accident.yaml");
    let units = samples().join("villages-2019.csv");
    let batch = crate::common::command()
        .args(["batch", plan.to_str().unwrap(), "--units"])
        .arg(&units)
        .args(["-o", "out", "--jobs", "2"])
        .current_dir(d)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Children of every thread of the batch (each worker is started by
    // the thread that talks to it).
    let workers = |pid: u32| -> Vec<u32> {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|c| {
                c.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok())
                    .collect::<Vec<_>>()
            })
            .filter(|p| {
                std::fs::read(format!("/proc/{p}/cmdline"))
                    .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == b"--worker"))
            })
            .collect()
    };
    // Wait for the first plan, then kill one of the two workers.
    let started = std::time::Instant::now();
    let mut seen = Vec::new();
    while started.elapsed() < std::time::Duration::from_secs(120) {
        seen = workers(batch.id());
        let written = std::fs::read_dir(d.join("out"))
            .map(|r| {
                r.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
            })
            .unwrap_or(false);
        if seen.len() == 2 && written {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(seen.len(), 2, "two worker processes: {seen:?}");
    let killed = std::process::Command::new("kill")
        .args(["-9", &seen[0].to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = batch.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("已生成 15 份"), "{err}");
    assert!(err.contains("失败 1 份"), "{err}");
    assert!(err.contains("排版进程意外退出（被系统终止"), "{err}");
    assert!(err.contains("villages-2019.csv 第 "), "row named: {err}");
    let pdfs = std::fs::read_dir(d.join("out"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        .count();
    assert_eq!(pdfs, 15, "{err}");
}

/// The worker's side of the conversation: one answer per request, in
/// order; a row that is not in the list is an answer with the reason, and
/// a request it cannot read ends the worker with an error.
#[test]
fn a_worker_answers_each_request_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::load(&samples().join("village-zero-accident.yaml"), None).unwrap();
    let list = units::read(
        &samples().join("villages-2019.csv"),
        &plan.file.unit_columns,
        "单位名单",
    )
    .unwrap();
    let input = "{\"i\":1,\"name\":\"第二份\"}\n{\"i\":999,\"name\":\"x\"}\n";
    let mut answers = Vec::new();
    gongwen::batch::serve_worker(
        crate::common::engine(),
        &plan,
        &list,
        dir.path(),
        gongwen::render::Format::Pdf,
        input.as_bytes(),
        &mut answers,
    )
    .unwrap();
    let answers = String::from_utf8(answers).unwrap();
    let lines: Vec<serde_json::Value> = answers
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{answers}");
    let pdf = std::fs::read(dir.path().join("第二份.pdf")).unwrap();
    assert_eq!(lines[0]["i"], 1);
    assert_eq!(
        lines[0]["sha256"].as_str().unwrap(),
        gongwen::output::sha256_hex(&pdf)
    );
    let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    assert_eq!(lines[0]["pages"].as_u64().unwrap() as usize, pages);
    assert_eq!(lines[1]["i"], 999);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("名单里没有这一行"),
        "{answers}"
    );
    let bad = gongwen::batch::serve_worker(
        crate::common::engine(),
        &plan,
        &list,
        dir.path(),
        gongwen::render::Format::Pdf,
        "#read(\"/etc/passwd\")\n".as_bytes(),
        std::io::sink(),
    );
    assert!(
        matches!(&bad, Err(e) if e.to_string().contains("看不懂的请求")),
        "{:?}",
        bad.err()
    );
}
