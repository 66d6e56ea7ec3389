//! Issue 12, “nothing clobbered, nothing lost”: one test per row of the
//! attack table (the row number is in the test name). Each drives the
//! program as a user would and checks the specific Chinese message, that no
//! output was written and that nothing existing was damaged.

use std::path::Path;
use std::process::Output;

use crate::common::*;

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[track_caller]
fn fails_with(o: &Output, needle: &str) -> String {
    let e = err(o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1; stderr: {e}");
    assert!(e.contains(needle), "expected “{needle}” in: {e}");
    assert!(!e.contains("panicked"), "{e}");
    e
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const CHECK_TITLE: &str = "某某市人民政府关于开展安全检查的通知";

fn numbered_notice(title: &str) -> String {
    notice(&format!(
        "number: {{code: 某政发, seq: auto}}\ntitle: \"{title}\"\n"
    ))
}

#[test]
fn row01_read_only_commands_never_create_a_register() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = gongwen(&["number", "list", "--register", "typo.db"], d);
    fails_with(&o, "找不到发文登记簿 typo.db");
    assert!(!d.join("typo.db").exists(), "list created a register");
    let o = gongwen(
        &[
            "register",
            "export",
            "--year",
            "2019",
            "--register",
            "typo.db",
        ],
        d,
    );
    fails_with(&o, "register init");
    assert!(!d.join("typo.db").exists());
}

#[test]
fn row01_an_empty_register_file_is_never_initialised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("gongwen.db"), b"").unwrap();
    let o = gongwen(&["number", "next", "千街发", "--year", "2019"], d);
    fails_with(&o, "空文件（0 字节）");
    assert_eq!(std::fs::metadata(d.join("gongwen.db")).unwrap().len(), 0);
}

#[test]
fn row01_the_first_number_creates_the_register_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = gongwen(&["number", "next", "千街发", "--year", "2019"], d);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).trim(), "千街发〔2019〕1号");
    assert!(err(&o).contains("已新建 gongwen.db"), "{}", err(&o));
    // The second number says nothing about creating.
    let o = gongwen(&["number", "next", "千街发", "--year", "2019"], d);
    assert_eq!(out(&o).trim(), "千街发〔2019〕2号");
    assert!(!err(&o).contains("已新建"), "{}", err(&o));
}

#[test]
fn row01_register_init_creates_once_and_backup_appears_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = gongwen(&["register", "init", "--register", "办公室.db"], d);
    assert!(o.status.success(), "{}", err(&o));
    gongwen(
        &[
            "number",
            "next",
            "千街发",
            "--year",
            "2019",
            "--register",
            "办公室.db",
        ],
        d,
    );
    let before = std::fs::read(d.join("办公室.db")).unwrap();
    let o = gongwen(&["register", "init", "--register", "办公室.db"], d);
    fails_with(&o, "已存在");
    assert_eq!(std::fs::read(d.join("办公室.db")).unwrap(), before);
    let o = gongwen(
        &["register", "backup", "b.db", "--register", "办公室.db"],
        d,
    );
    assert!(o.status.success(), "{}", err(&o));
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("gongwen-backup")),
        "temporary backup left: {names:?}"
    );
    let o = gongwen(&["number", "list", "--register", "b.db"], d);
    assert!(out(&o).contains("千街发〔2019〕1号"), "{}", err(&o));
}

#[test]
fn row02_output_that_is_an_input_the_register_or_not_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &numbered_notice(CHECK_TITLE));
    let o = gongwen(&["render", "a.yaml"], d);
    assert!(o.status.success(), "{}", err(&o));
    let register = std::fs::read(d.join("gongwen.db")).unwrap();
    let input = std::fs::read(d.join("a.yaml")).unwrap();
    for target in ["gongwen.db", "a.yaml"] {
        let o = gongwen(&["render", "a.yaml", "-o", target], d);
        fails_with(&o, "扩展名不对");
    }
    // .docx is an output now (issue 19), but a Word draft gongwen did not
    // write is never overwritten.
    std::fs::write(d.join("通知.docx"), b"PK\x05\x06clerk's draft").unwrap();
    let o = gongwen(&["render", "a.yaml", "-o", "通知.docx"], d);
    fails_with(&o, "不是 gongwen 生成的 Word 文件");
    assert_eq!(
        std::fs::read(d.join("通知.docx")).unwrap(),
        b"PK\x05\x06clerk's draft"
    );
    assert_eq!(std::fs::read(d.join("gongwen.db")).unwrap(), register);
    assert_eq!(std::fs::read(d.join("a.yaml")).unwrap(), input);
    // A folder (or a device) named like a PDF.
    std::fs::create_dir(d.join("folder.pdf")).unwrap();
    let o = gongwen(&["render", "a.yaml", "-o", "folder.pdf"], d);
    fails_with(&o, "不是普通文件");
    let o = gongwen(
        &[
            "ledger", "activity", "a.yaml", "--month", "2019-05", "-o", "a.yaml",
        ],
        d,
    );
    fails_with(&o, "扩展名不对");
    assert_eq!(std::fs::read(d.join("a.yaml")).unwrap(), input);
}

#[test]
fn row03_archive_values_that_become_names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &notice(""));
    let archive = |dept: &str| {
        gongwen(
            &[
                "archive",
                "a.yaml",
                "--fonds",
                "A13",
                "--year",
                "2024",
                "--retention",
                "永久",
                "--dept",
                dept,
                "-o",
                "a.zip",
            ],
            d,
        )
    };
    for dept in ["/../../../x", "a/b", "..", "BG S"] {
        fails_with(&archive(dept), "机构（问题）代码");
        assert!(!d.join("a.zip").exists());
    }
    let o = archive("办公室");
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn row04_csv_cells_that_spreadsheets_would_run_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let title = "=HYPERLINK(“http://x”)关于开展检查的通知";
    write(d, "a.yaml", &numbered_notice(title));
    let o = gongwen(&["render", "a.yaml"], d);
    assert!(o.status.success(), "{}", err(&o));
    let o = gongwen(
        &[
            "register", "export", "--year", "2024", "--format", "csv", "-o", "r.csv",
        ],
        d,
    );
    assert!(o.status.success(), "{}", err(&o));
    let csv = std::fs::read_to_string(d.join("r.csv")).unwrap();
    assert!(csv.contains(",'=HYPERLINK（“http://x”）关于"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    for cell in [
        "=cmd|' /C calc'!A0",
        "+1+2",
        "-1",
        "@SUM(1,1)",
        "\tx",
        "\rx",
    ] {
        let n = gongwen::output::neutralise(cell.as_bytes());
        assert_eq!(n[0], b'\'', "{cell:?}");
        assert_eq!(&n[1..], cell.as_bytes());
    }
    assert_eq!(
        gongwen::output::neutralise("千街发".as_bytes()),
        "千街发".as_bytes()
    );
}

/// A minimal XLSX workbook whose one sheet holds `cells` (reference, text;
/// the cells of a row together, in the order given).
pub(crate) fn xlsx(cells: &[(&str, &str)], padding: usize) -> Vec<u8> {
    let mut by_row: std::collections::BTreeMap<u32, String> = Default::default();
    for (r, t) in cells {
        let row: String = r.chars().filter(|c| c.is_ascii_digit()).collect();
        by_row
            .entry(row.parse().expect("a cell reference"))
            .or_default()
            .push_str(&format!(
                r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#
            ));
    }
    let rows: String = by_row
        .iter()
        .map(|(n, cells)| format!(r#"<row r="{n}">{cells}</row>"#))
        .collect();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>{}</worksheet>"#,
        " ".repeat(padding)
    );
    crate::common::zip_parts(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

#[test]
fn row05_spreadsheets_are_read_within_limits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ledger = |file: &str| {
        gongwen(
            &[
                "ledger", "activity", file, "--month", "2019-05", "-o", "x.pdf",
            ],
            d,
        )
    };
    // Two cells far apart: the used range would be 17 billion cells.
    std::fs::write(
        d.join("far.xlsx"),
        xlsx(&[("A1", "日期"), ("XFD1048576", "x")], 0),
    )
    .unwrap();
    let far = std::fs::metadata(d.join("far.xlsx")).unwrap().len();
    assert!(far < 4000, "{far} bytes");
    fails_with(
        &ledger("far.xlsx"),
        "的单元格 XFD1048576 超过了 100000 行的上限",
    );
    // Compressed whitespace that unpacks to 150 MB.
    std::fs::write(d.join("air.xlsx"), xlsx(&[("A1", "日期")], 150_000_000)).unwrap();
    fails_with(&ledger("air.xlsx"), "解压后超过 100 MB 的上限");
    // A CSV over 20 MB, and a cell over 2,000 characters.
    let mut big = String::from("日期,村（居）\n");
    while big.len() < 21_000_000 {
        big.push_str("2019-05-01,东关社区\n");
    }
    write(d, "big.csv", &big);
    fails_with(&ledger("big.csv"), "超过了 20 MB 的上限");
    write(
        d,
        "long.csv",
        &format!("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n2019-05-01,东关社区,会议室,宣讲,{},5,王某某,\n", "长".repeat(2001)),
    );
    fails_with(&ledger("long.csv"), "第 2 行第 5 列：有 2001 个字");
    assert!(!d.join("x.pdf").exists());
}

/// A plan of one unit with the content template `template`.
fn plan_dir(template: &str, units_csv: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "t.j2", template);
    write(
        d,
        "p.yaml",
        "template: t.j2\ntitle: \"{{ unit.name }}安全生产工作方案\"\nsignature: \"{{ unit.name }}\"\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\ntasks:\n  - {name: 排查隐患, frequency: 每月至少1次}\n",
    );
    write(d, "u.csv", units_csv);
    dir
}

fn batch(d: &Path) -> Output {
    gongwen(&["batch", "p.yaml", "--units", "u.csv", "-o", "out"], d)
}

#[test]
fn row06_template_output_is_bounded_while_rendering() {
    let dir = plan_dir(
        "{% set s = \"x\" * 100000 %}{% for i in range(100000) %}{{ s }}{% endfor %}\n",
        "name\n甲\n",
    );
    let o = batch(dir.path());
    fails_with(&o, "模板输出超过了 2 MB 的上限");
    let dir = plan_dir("{{ unit.name | indent(1000000000) }}\n", "name\n甲\n");
    fails_with(&batch(dir.path()), "indent 的宽度 1000000000 太大");
}

/// The first 33 bytes of a PNG (signature, IHDR) of the given size: enough
/// for anything that reads the header, nothing to decode.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    v
}

#[test]
fn row07_an_oversized_seal_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.png"), png_header(40000, 40000)).unwrap();
    write(d, "a.yaml", &notice("seal: seal.png\n"));
    let o = gongwen(&["check", "a.yaml"], d);
    fails_with(&o, "有 40000×40000 像素，超过了每边 5000 像素的上限");
}

#[cfg(unix)]
#[test]
fn row08_a_content_template_that_links_outside_is_refused() {
    let dir = plan_dir("", "name\n甲\n");
    let d = dir.path();
    std::fs::remove_file(d.join("t.j2")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", d.join("t.j2")).unwrap();
    let o = batch(d);
    let e = fails_with(&o, "指向");
    assert!(!e.contains("root:"), "{e}");
    assert!(!d.join("out").exists() || std::fs::read_dir(d.join("out")).unwrap().count() == 0);
}

#[test]
fn row09_batch_file_names_are_unique_against_every_name_given() {
    let dir = plan_dir(
        "一、总体要求\n{{ unit.name }}做好工作。\n",
        "name\n甲\n甲\n甲-2\n",
    );
    let d = dir.path();
    let o = batch(d);
    assert!(o.status.success(), "{}", err(&o));
    let mut names: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["甲-2-2.pdf", "甲-2.pdf", "甲.pdf"]);
}

#[test]
fn row10_a_killed_write_leaves_a_temporary_file_the_next_run_removes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &notice(""));
    let mut child = command()
        .args(["render", "a.yaml"])
        .current_dir(d)
        .env("GONGWEN_FAILPOINT", "after-stage")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert_eq!(line.trim(), "failpoint after-stage");
    child.kill().unwrap();
    child.wait().unwrap();
    let temps = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".gongwen-"))
            .collect()
    };
    assert_eq!(temps(d).len(), 1, "the killed run's file is there");
    assert!(!d.join("a.pdf").exists());
    let o = gongwen(&["render", "a.yaml"], d);
    assert!(o.status.success(), "{}", err(&o));
    assert!(temps(d).is_empty(), "stale file removed: {:?}", temps(d));
    assert!(pdf_text(&d.join("a.pdf")).contains("请认真组织开展安全检查"));
}

#[test]
fn row11_parallel_renders_of_one_document_share_one_number() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &numbered_notice(CHECK_TITLE));
    let o = gongwen(&["register", "init"], d);
    assert!(o.status.success(), "{}", err(&o));
    let children: Vec<_> = (0..6)
        .map(|i| {
            command()
                .args(["render", "a.yaml", "-o", &format!("a{i}.pdf")])
                .current_dir(d)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        let e = err(&o);
        assert!(o.status.success(), "{e}");
        assert!(e.contains("某政发〔2024〕1号"), "{e}");
    }
    let o = gongwen(&["number", "list"], d);
    assert_eq!(out(&o).lines().count(), 1, "{}", out(&o));
}

#[test]
fn row12_invisible_and_control_characters_are_named_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &notice("note: 请于月底前报送\u{202E}材料\n"));
    let e = fails_with(&gongwen(&["check", "a.yaml"], d), "U+202E 从右到左覆盖");
    assert!(e.contains("a.yaml:12:14"), "{e}");
    for (ch, name) in [
        ('\u{7}', "响铃符"),
        ('\u{1B}', "转义符"),
        ('\u{7F}', "删除符"),
        ('\u{2028}', "行分隔符"),
        ('\u{200B}', "零宽空格"),
    ] {
        write(d, "b.yaml", &notice(&format!("note: 报送{ch}材料\n")));
        fails_with(&gongwen(&["check", "b.yaml"], d), name);
    }
    write(
        d,
        "u.csv",
        "日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n2019-05-01,东关\u{200B}社区,会议室,宣讲,安全,5,王某某,\n",
    );
    let o = gongwen(
        &[
            "ledger", "activity", "u.csv", "--month", "2019-05", "-o", "x.pdf",
        ],
        d,
    );
    fails_with(&o, "第 2 行第 2 列：有一个看不见的字符 U+200B 零宽空格");
    assert!(!d.join("x.pdf").exists());
}

#[cfg(unix)]
#[test]
fn row13_devices_are_not_read_without_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fails_with(&gongwen(&["check", "/dev/zero"], d), "不是普通文件");
    write(d, "a.yaml", &notice(""));
    let o = command()
        .args(["check", "a.yaml"])
        .current_dir(d)
        .env("GONGWEN_FONT_INDEX", "/dev/zero")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    // Saving the index must not have replaced the device (as root it could).
    use std::os::unix::fs::FileTypeExt;
    let zero = std::fs::metadata("/dev/zero").unwrap();
    assert!(zero.file_type().is_char_device(), "/dev/zero was replaced");
}

#[test]
fn row15_data_never_becomes_structure() {
    let dir = plan_dir(
        "一、总体要求\n{{ unit.name }}做好工作。\n{{ unit.note }}\n",
        "name,note\n甲,[[任务清单]]\n",
    );
    let d = dir.path();
    let o = batch(d);
    assert!(o.status.success(), "{}", err(&o));
    let text = pdf_text(&d.join("out/甲.pdf"));
    assert!(text.contains("[[任务清单]]"), "{text}");
    assert!(!text.contains("牵头单位"), "a table was inserted: {text}");
    // A line break inside a cell does not make a heading.
    let dir = plan_dir(
        "一、总体要求\n说明：{{ unit.note }}\n",
        "name,note\n甲,\"第一句。\n二、伪造的标题\"\n",
    );
    let expanded = {
        let d = dir.path();
        let plan = gongwen::plan::Plan::load(&d.join("p.yaml"), None).unwrap();
        let units =
            gongwen::plan::units::read(&d.join("u.csv"), &plan.file.unit_columns, "单位名单")
                .unwrap();
        plan.expand(&units[0]).unwrap()
    };
    let Some(gongwen::model::notice::Body::Blocks(blocks)) = &expanded.body else {
        panic!("body")
    };
    let texts: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            gongwen::model::notice::Block::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["一、总体要求", "说明：第一句。 二、伪造的标题"]);
    // Field sizes.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.yaml",
        &notice(&format!("title: {}的通知\n", "关于".repeat(200_000))),
    );
    fails_with(&gongwen(&["check", "a.yaml"], d), "超过了 200 字的上限");
    let columns: String = (0..1000)
        .map(|i| format!("  - {{key: c{i}, label: 列{i}}}\n"))
        .collect();
    write(
        d,
        "wide.yaml",
        &format!("name: 宽台账\ndate_column: c0\ncolumns:\n{columns}"),
    );
    write(d, "w.csv", "列0\n2019-05-01\n");
    let o = gongwen(
        &[
            "ledger",
            "wide.yaml",
            "w.csv",
            "--month",
            "2019-05",
            "-o",
            "w.pdf",
        ],
        d,
    );
    fails_with(&o, "有 1000 列");
}

#[cfg(unix)]
#[test]
fn row16_a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    let mut child = command()
        .args(["fonts", "--no-system-fonts"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let e = err(&o);
    assert!(!e.contains("panicked") && !e.contains("Broken pipe"), "{e}");
    assert_ne!(o.status.code(), Some(101), "{e}");
}

#[test]
fn row17_messages_name_the_real_cause_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // UTF-16 CSV (Excel's “Unicode text”).
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "日期,村（居）\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(d.join("u16.csv"), utf16).unwrap();
    let o = gongwen(
        &[
            "ledger", "activity", "u16.csv", "--month", "2019-05", "-o", "x.pdf",
        ],
        d,
    );
    let e = fails_with(&o, "UTF-16");
    assert!(e.contains("台账数据") && !e.contains("单位名单"), "{e}");
    // A seal that is a folder, not an image file.
    std::fs::create_dir(d.join("seal.png")).unwrap();
    write(d, "a.yaml", &notice("seal: seal.png\n"));
    fails_with(&gongwen(&["check", "a.yaml"], d), "不是普通文件");
    // A template reading outside its world: the reason in Chinese.
    let tpl = d.join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("notice.typ"), "#read(\"/etc/passwd\")").unwrap();
    write(d, "b.yaml", &notice(""));
    let o = gongwen(&["check", "b.yaml", "--templates", "tpl"], d);
    fails_with(&o, "不允许读取这个文件");
}

/// A small tmpfs of the test's own, to fill up or make read-only. Mounting
/// needs root (CAP_SYS_ADMIN), which `.ci/run` has on the project's
/// machines; elsewhere the test says it was skipped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let s = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(s.success());
    }

    /// Writes zeros until the disk says it is full.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn take_number(d: &Path) -> Output {
    gongwen(&["number", "next", "某政发", "--year", "2024"], d)
}

#[test]
fn row11_a_full_disk_is_said_as_such_and_the_register_still_lists() {
    let Some(fs) = Tmpfs::mount("400k") else {
        return;
    };
    let d = fs.path();
    assert!(gongwen(&["register", "init"], d).status.success());
    let o = take_number(d);
    assert_eq!(out(&o).trim(), "某政发〔2024〕1号", "{}", err(&o));
    let before = std::fs::read(d.join("gongwen.db")).unwrap();
    fs.fill();
    let e = fails_with(&take_number(d), "磁盘已满");
    assert!(!e.contains("从备份恢复"), "a full disk is not damage: {e}");
    assert_eq!(
        std::fs::read(d.join("gongwen.db")).unwrap(),
        before,
        "the register changed on a full disk"
    );
    let o = gongwen(&["number", "list"], d);
    assert!(o.status.success(), "list on a full disk: {}", err(&o));
    assert!(out(&o).contains("某政发〔2024〕1号"), "{}", out(&o));
    std::fs::remove_file(d.join("filler")).unwrap();
    let o = take_number(d);
    assert_eq!(out(&o).trim(), "某政发〔2024〕2号", "{}", err(&o));
}

#[test]
fn row11_a_read_only_register_lists_and_says_why_it_cannot_number() {
    let Some(fs) = Tmpfs::mount("2m") else {
        return;
    };
    let d = fs.path();
    assert!(gongwen(&["register", "init"], d).status.success());
    assert!(take_number(d).status.success());
    fs.remount_read_only();
    let o = gongwen(&["number", "list"], d);
    assert!(o.status.success(), "list on a read-only disk: {}", err(&o));
    assert!(out(&o).contains("某政发〔2024〕1号"), "{}", out(&o));
    let elsewhere = tempfile::tempdir().unwrap();
    let csv = elsewhere.path().join("登记簿.csv");
    let o = command()
        .args([
            "register", "export", "--year", "2024", "--format", "csv", "-o",
        ])
        .arg(&csv)
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "export from a read-only disk: {}",
        err(&o)
    );
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .contains("某政发〔2024〕1号"));
    let e = fails_with(&take_number(d), "只读");
    assert!(!e.contains("从备份恢复"), "{e}");
}
