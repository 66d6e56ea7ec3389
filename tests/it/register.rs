//! The 发文字号 register: sequences, re-renders, drafts, voiding, reserving,
//! concurrency, crashes, damaged files, backup and export (issue 3).

use crate::common::gongwen;
use crate::common::pdf_text;
use std::path::{Path, PathBuf};
use std::process::Output;

#[track_caller]
fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
        + "\n"
        + &String::from_utf8_lossy(&o.stderr)
}

fn sample() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/qianquan-2019-8.yaml"),
    )
    .unwrap()
}

/// The seed-000 sample asking the register for its number.
fn auto_sample(dir: &Path, name: &str) -> PathBuf {
    let text = sample().replace(
        "number: 千街发〔2019〕8号",
        "number: {code: 千街发, seq: auto}",
    );
    assert!(text.contains("seq: auto"));
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn sequences_per_code_and_year_starting_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 1..=3 {
        assert_eq!(
            ok(gongwen(&["number", "next", "千街发", "--year", "2019"], d))
                .lines()
                .next()
                .unwrap(),
            format!("千街发〔2019〕{i}号")
        );
    }
    assert_eq!(
        ok(gongwen(&["number", "next", "千街字", "--year", "2019"], d))
            .lines()
            .next()
            .unwrap(),
        "千街字〔2019〕1号"
    );
    assert_eq!(
        ok(gongwen(&["number", "next", "千街发", "--year", "2020"], d))
            .lines()
            .next()
            .unwrap(),
        "千街发〔2020〕1号"
    );
    assert_eq!(
        ok(gongwen(&["number", "next", "千街发", "--year", "2019"], d))
            .lines()
            .next()
            .unwrap(),
        "千街发〔2019〕4号"
    );
    assert!(
        d.join("gongwen.db").is_file(),
        "default register ./gongwen.db"
    );
    let bad = gongwen(&["number", "next", "千街【发", "--year", "2019"], d);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn seed_000_gets_8_after_7_keeps_it_and_the_next_document_gets_9() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for _ in 0..7 {
        ok(gongwen(&["number", "next", "千街发", "--year", "2019"], d));
    }
    let doc = auto_sample(d, "通知.yaml");
    let out = ok(gongwen(
        &["render", doc.to_str().unwrap(), "-o", "a.pdf"],
        d,
    ));
    assert!(out.contains("千街发〔2019〕8号"), "{out}");
    assert!(pdf_text(&d.join("a.pdf")).contains("千街发〔2019〕8号"));
    // Re-rendering the same document keeps its number.
    let out = ok(gongwen(
        &["render", doc.to_str().unwrap(), "-o", "a.pdf"],
        d,
    ));
    assert!(out.contains("千街发〔2019〕8号"), "{out}");
    // A new document (a copy saved under another name) gets the next one.
    let other = auto_sample(d, "另一份.yaml");
    let out = ok(gongwen(
        &["render", other.to_str().unwrap(), "-o", "b.pdf"],
        d,
    ));
    assert!(out.contains("千街发〔2019〕9号"), "{out}");
    // 2020 starts again at 1.
    let y2020 = d.join("2020.yaml");
    std::fs::write(
        &y2020,
        std::fs::read_to_string(&doc)
            .unwrap()
            .replace("date: 2019-04-15", "date: 2020-01-03"),
    )
    .unwrap();
    let out = ok(gongwen(
        &["render", y2020.to_str().unwrap(), "-o", "c.pdf"],
        d,
    ));
    assert!(out.contains("千街发〔2020〕1号"), "{out}");
    // The register holds the document's record.
    let list = ok(gongwen(&["number", "list", "千街发", "--year", "2019"], d));
    let line8 = list
        .lines()
        .find(|l| l.starts_with("千街发〔2019〕8号"))
        .expect("8 listed");
    assert!(
        line8.contains("关于印发") && line8.contains("2019年4月15日"),
        "{line8}"
    );
    let csv = ok(gongwen(
        &[
            "register", "export", "--year", "2019", "--format", "csv", "-o", "r.csv",
        ],
        d,
    ));
    assert!(csv.contains("9 条"), "{csv}");
    let csv = std::fs::read_to_string(d.join("r.csv")).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "\u{FEFF}登记序号,发文字号,标题,文种,密级/保密期限,紧急程度,拟稿人,签发人,成文日期,主送,抄送,印制份数,附件,印发日期,公开属性,状态/备注,输出文件,SHA-256,登记时间",
        "header with a BOM"
    );
    assert_eq!(csv.lines().count(), 1 + 9, "9 rows");
    let row8 = csv
        .lines()
        .find(|l| l.contains("千街发〔2019〕8号"))
        .unwrap();
    let sha = register_sha(&d.join("a.pdf"));
    assert!(row8.contains(&sha), "SHA-256 of the PDF recorded: {row8}");
    assert!(
        row8.contains("各村（居）") && row8.contains(",80,") && row8.contains("齐超"),
        "{row8}"
    );
}

fn register_sha(pdf: &Path) -> String {
    gongwen::output::sha256_hex(&std::fs::read(pdf).unwrap())
}

#[test]
fn register_id_identifies_a_moved_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = sample().replace(
        "number: 千街发〔2019〕8号",
        "number: {code: 千街发, seq: auto}\nregister_id: 2019-安全-零事故方案",
    );
    std::fs::write(d.join("a.yaml"), &text).unwrap();
    assert!(ok(gongwen(&["render", "a.yaml"], d)).contains("〔2019〕1号"));
    std::fs::create_dir(d.join("moved")).unwrap();
    std::fs::write(d.join("moved/b.yaml"), &text).unwrap();
    let out = ok(gongwen(
        &["render", "moved/b.yaml", "--register", "gongwen.db"],
        d,
    ));
    assert!(
        out.contains("〔2019〕1号"),
        "same register_id keeps the number: {out}"
    );
}

#[test]
fn draft_prints_a_blank_number_and_leaves_the_register_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let doc = auto_sample(d, "a.yaml");
    let out = ok(gongwen(
        &[
            "render",
            doc.to_str().unwrap(),
            "--draft",
            "-o",
            "draft.pdf",
        ],
        d,
    ));
    assert!(out.contains("千街发〔2019〕 号"), "{out}");
    assert!(
        !d.join("gongwen.db").exists(),
        "GW-T-20: a draft does not touch the register"
    );
    assert!(pdf_text(&d.join("draft.pdf")).contains("千街发〔2019〕号"));
}

#[test]
fn voided_numbers_are_never_reused_and_reserved_numbers_are_attached() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(gongwen(&["number", "next", "千街发", "--year", "2019"], d));
    let r = ok(gongwen(
        &[
            "number",
            "reserve",
            "千街发",
            "--year",
            "2019",
            "--note",
            "方案",
        ],
        d,
    ));
    assert!(r.starts_with("千街发〔2019〕2号"), "{r}");
    ok(gongwen(
        &[
            "number",
            "void",
            "千街发〔2019〕1号",
            "--reason",
            "重复申请",
        ],
        d,
    ));
    let next = ok(gongwen(&["number", "next", "千街发", "--year", "2019"], d));
    assert!(
        next.starts_with("千街发〔2019〕3号"),
        "void 1 and reserved 2 are not reused: {next}"
    );
    let again = gongwen(&["number", "void", "千街发〔2019〕1号", "--reason", "x"], d);
    assert_eq!(again.status.code(), Some(1));
    let unknown = gongwen(&["number", "void", "千街发〔2019〕9号", "--reason", "x"], d);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("最大号是 3号"));
    // A document printed with the reserved number records itself on it.
    std::fs::write(
        d.join("r.yaml"),
        sample().replace("千街发〔2019〕8号", "千街发〔2019〕2号"),
    )
    .unwrap();
    ok(gongwen(&["render", "r.yaml"], d));
    let list = ok(gongwen(&["number", "list"], d));
    let two = list
        .lines()
        .find(|l| l.starts_with("千街发〔2019〕2号"))
        .unwrap();
    assert!(two.contains("已用") && two.contains("关于印发"), "{two}");
    // The voided number cannot be printed.
    std::fs::write(
        d.join("v.yaml"),
        sample().replace("千街发〔2019〕8号", "千街发〔2019〕1号"),
    )
    .unwrap();
    let o = gongwen(&["render", "v.yaml"], d);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已作废"));
    assert!(!d.join("v.pdf").exists());
}

#[test]
fn eight_processes_fifty_numbers_each_give_400_distinct_consecutive_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let d = d.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                for _ in 0..50 {
                    let o = gongwen(&["number", "next", "千街发", "--year", "2019"], &d);
                    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                    got.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
                }
                got
            })
        })
        .collect();
    let mut all: Vec<u32> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .map(|n| {
            n.trim_start_matches("千街发〔2019〕")
                .trim_end_matches('号')
                .parse()
                .unwrap()
        })
        .collect();
    all.sort();
    assert_eq!(
        all,
        (1..=400).collect::<Vec<u32>>(),
        "distinct and without gaps"
    );
}

/// Runs killed inside the register's transaction (at the failpoint, the PDF
/// staged but not renamed) leave no row and no PDF; the runs that complete
/// leave a row and the PDF it records. Both kinds of run occur, in a fixed
/// order, so each outcome is checked every time.
#[test]
fn a_killed_render_records_its_number_with_the_document_or_nothing() {
    use crate::common::{command, kill, run_to_failpoint, temp_files};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let killed: Vec<usize> = vec![0, 2, 3, 5];
    let completed: Vec<usize> = vec![1, 4, 6];
    for i in 0..7 {
        let doc = auto_sample(d, &format!("d{i}.yaml"));
        let mut c = command();
        c.args(["render", doc.to_str().unwrap(), "-o", &format!("d{i}.pdf")])
            .current_dir(d);
        if killed.contains(&i) {
            let stopped = run_to_failpoint(c, "after-stage", std::time::Duration::from_secs(120));
            assert!(stopped.at_failpoint, "d{i}: reached the failpoint");
            kill(stopped.child);
            assert!(!d.join(format!("d{i}.pdf")).exists(), "d{i}: no PDF");
        } else {
            ok(c.output().unwrap());
        }
    }
    let reg =
        gongwen::register::Register::open(&d.join("gongwen.db")).expect("register still opens");
    let entries = reg.list(Some("千街发"), Some(2019)).unwrap();
    // The killed transactions rolled back: the completed runs took 1, 2, 3.
    let seqs: Vec<u32> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3], "no gaps, no duplicates, no killed row");
    let id = |i: usize| {
        format!(
            "file:{}",
            d.join(format!("d{i}.yaml"))
                .canonicalize()
                .unwrap()
                .display()
        )
    };
    for (n, &i) in completed.iter().enumerate() {
        let e = reg
            .find_doc(&id(i))
            .unwrap()
            .expect("completed run has its row");
        assert_eq!(e.seq, n as u32 + 1, "d{i} numbered in order");
        assert!(!e.doc.title.is_empty(), "whole row: {e:?}");
        let pdf = d.join(format!("d{i}.pdf"));
        assert_eq!(
            register_sha(&pdf),
            e.doc.sha256,
            "d{i}.pdf is the recorded one"
        );
        assert!(
            pdf_text(&pdf).contains(&format!("千街发〔2019〕{}号", n + 1)),
            "d{i}.pdf carries its number"
        );
    }
    for &i in &killed {
        assert!(
            reg.find_doc(&id(i)).unwrap().is_none(),
            "d{i} killed in its transaction left a row"
        );
        assert!(!d.join(format!("d{i}.pdf")).exists(), "d{i}.pdf");
    }
    // The killed runs' temporary files: swept by the later runs.
    assert_eq!(temp_files(d), Vec::<String>::new(), "stale files swept");
    // A killed document rendered again takes the next number; a completed
    // one keeps its own.
    drop(reg);
    let out = ok(gongwen(&["render", "d0.yaml"], d));
    assert!(out.contains("千街发〔2019〕4号"), "{out}");
    let out = ok(gongwen(&["render", "d4.yaml", "-o", "d4.pdf"], d));
    assert!(out.contains("千街发〔2019〕2号"), "{out}");
}

#[test]
fn damaged_or_future_registers_are_errors_never_reset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("gongwen.db"),
        b"this is not a database at all, but it is not empty either......",
    )
    .unwrap();
    let o = gongwen(&["number", "next", "千街发", "--year", "2019"], d);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("已损坏") && e.contains("不会被自动重建"), "{e}");
    assert!(
        std::fs::read(d.join("gongwen.db"))
            .unwrap()
            .starts_with(b"this is not"),
        "file untouched"
    );

    let fut = d.join("future.db");
    ok(gongwen(
        &[
            "number",
            "next",
            "千街发",
            "--year",
            "2019",
            "--register",
            fut.to_str().unwrap(),
        ],
        d,
    ));
    let conn = rusqlite_open(&fut);
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let o = gongwen(
        &[
            "number",
            "next",
            "千街发",
            "--year",
            "2019",
            "--register",
            fut.to_str().unwrap(),
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("更新版本的 gongwen"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let other = d.join("other.db");
    let conn = rusqlite_open(&other);
    conn.execute_batch("CREATE TABLE t (x INTEGER);").unwrap();
    drop(conn);
    let o = gongwen(
        &["number", "list", "--register", other.to_str().unwrap()],
        d,
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("不是 gongwen 的发文登记簿"));
}

fn rusqlite_open(p: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(p).unwrap()
}

#[test]
fn backup_while_in_use_and_export_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    ok(gongwen(&["number", "next", "千街发", "--year", "2019"], &d));
    let writer = {
        let d = d.clone();
        std::thread::spawn(move || {
            for _ in 0..30 {
                ok(gongwen(&["number", "next", "千街发", "--year", "2019"], &d));
            }
        })
    };
    ok(gongwen(&["register", "backup", "backup.db"], &d));
    writer.join().unwrap();
    let copy =
        gongwen::register::Register::open(&d.join("backup.db")).expect("backup is a register");
    assert!(!copy.list(None, None).unwrap().is_empty());
    let o = gongwen(&["register", "backup", "backup.db"], &d);
    assert_eq!(o.status.code(), Some(1), "never overwrites");
    ok(gongwen(
        &["number", "void", "千街发〔2019〕2号", "--reason", "重复"],
        &d,
    ));
    ok(gongwen(
        &["register", "export", "--year", "2019", "-o", "登记簿.pdf"],
        &d,
    ));
    let text = pdf_text(&d.join("登记簿.pdf"));
    assert!(
        text.contains("2019年发文登记簿") && text.contains("千街发〔2019〕31号"),
        "{text}"
    );
    assert!(text.contains("作废：重复"), "{text}");
    for col in ["登记序号", "发文字号", "签发人", "印制份数", "公开属性"] {
        assert!(text.contains(col), "column {col}");
    }
}

#[test]
fn approval_form_alone_and_after_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/qianquan-2019-8.yaml"),
        d.join("q.yaml"),
    )
    .unwrap();
    ok(gongwen(&["approval", "q.yaml", "-o", "form.pdf"], d));
    let text = pdf_text(&d.join("form.pdf"));
    for field in [
        "公文签批单",
        "签发（主要领导）",
        "审签（部门分管领导）",
        "党政办主任审核",
        "文秘室审核",
        "2019年4月16日",
        "政策研究室审核",
        "会审意见",
        "拟办单位",
        "党委办",
        "核稿人",
        "拟稿人",
        "齐超",
        "印制份数",
        "80",
        "文件标题",
        "千泉街道深化“素质固安”工程",
        "发文字号",
        "千街发〔2019〕8号",
        "密级",
        "紧急程度",
        "主动公开",
        "依申请公开",
        "不予公开",
        "理由",
    ] {
        assert!(
            text.contains(field),
            "{field} missing from the form: {text}"
        );
    }
    assert!(!text.contains('无'), "empty cells stay empty");
    ok(gongwen(
        &["render", "q.yaml", "--with-approval", "-o", "both.pdf"],
        d,
    ));
    let doc = lopdf::Document::load(d.join("both.pdf")).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().cloned().collect();
    let first = doc.extract_text(&pages[..1]).unwrap();
    let last = doc.extract_text(&pages[pages.len() - 1..]).unwrap();
    assert!(first.contains("邹城市千泉街道办事处"), "GW-K-05 正本 first");
    assert!(last.contains("公文签批单"), "GW-K-05 签批单 after the 正本");
}

#[test]
fn disclosure_other_than_public_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (value, needle) in [
        ("依申请公开", "必须写明理由"),
        ("不予公开", "必须写明理由"),
        ("半公开", "只能是"),
    ] {
        let text = sample() + &format!("  disclosure: {value}\n");
        std::fs::write(d.join("x.yaml"), text).unwrap();
        let o = gongwen(&["approval", "x.yaml"], d);
        assert_eq!(o.status.code(), Some(1));
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(
            e.contains(needle) && e.contains("approval."),
            "{value}: {e}"
        );
        assert!(!d.join("x-签批单.pdf").exists());
    }
    let text = sample() + "  disclosure: 不予公开\n  reason: 涉及内部工作安排\n";
    std::fs::write(d.join("y.yaml"), text).unwrap();
    ok(gongwen(&["approval", "y.yaml"], d));
    assert!(pdf_text(&d.join("y-签批单.pdf")).contains("涉及内部工作安排"));
}

#[test]
fn processes_creating_a_new_register_at_once_all_succeed() {
    // Found by CI: a process could read the schema version before another
    // process committed the new schema and take the file for a foreign one.
    for round in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let d = d.clone();
                std::thread::spawn(move || {
                    gongwen(&["number", "next", "千街发", "--year", "2019"], &d)
                })
            })
            .collect();
        let mut got: Vec<String> = workers
            .into_iter()
            .map(|w| {
                let o = w.join().unwrap();
                assert!(
                    o.status.success(),
                    "round {round}: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                String::from_utf8_lossy(&o.stdout).trim().to_string()
            })
            .collect();
        got.sort();
        let mut want: Vec<String> = (1..=8).map(|i| format!("千街发〔2019〕{i}号")).collect();
        want.sort();
        assert_eq!(got, want);
    }
}
