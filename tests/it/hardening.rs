//! Hostile and huge input: each gives a clear error or a correct document in
//! bounded time and memory, never a panic or a hang; templates stay confined;
//! an interrupted render leaves the old file or the new one (issue 7 §2–4).

use crate::common::*;

fn input_error(yaml: &str) -> String {
    match render(yaml) {
        Err(gongwen::Error::Input(d)) => d
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("expected an input error, got {e}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn every_typst_and_minijinja_metacharacter_in_every_field() {
    let hostile = r#"#read("/etc/passwd") $x$ *b* _i_ @ref <label> \ ] [ { } {{ x }} {% if %} // /* ` ~ = - + . 1. #let x = 1"#;
    let q = hostile.replace('\\', "\\\\").replace('"', "\\\"");
    // A 署名 is one line (26 字 at most): its share of the metacharacters.
    let signed = r#"#read("/x") $x$ *_@<l>\]{{x}}"#;
    let sq = signed.replace('\\', "\\\\").replace('"', "\\\"");
    let yaml = notice(&format!(
        "copy_number: 1\nsecrecy: \"机密★{q}\"\nissuer: \"{q}\"\ntitle: \"关于{q}的通知\"\nto: \"主送{q}\"\nbody:\n  - \"正文{q}\"\n  - \"一、标题{q}\"\n  - \"（一）小标题{q}。段落{q}\"\nattachments:\n  - title: \"附件标题{q}\"\n    body: \"附件正文{q}\"\nsignature: \"署名{sq}\"\nnote: \"附注{q}\"\ncc: \"抄送{q}\"\nprinter: \"印发{q}\"\n"
    ));
    let ins = render(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let text = flow_text(&ins);
    let bare: String = hostile.chars().filter(|c| !c.is_whitespace()).collect();
    for (field, prefix) in [
        ("secrecy", "机密★"),
        ("title", "关于"),
        ("to", "主送"),
        ("body", "正文"),
        ("heading 一、", "一、标题"),
        ("heading （一）", "（一）小标题"),
        ("paragraph after the heading", "。段落"),
        ("attachment title", "附件标题"),
        ("attachment body", "附件正文"),
        ("note", "附注"),
        ("cc", "抄送"),
        ("printer", "印发"),
    ] {
        let needle = format!("{prefix}{bare}");
        assert!(
            text.contains(&needle),
            "{field} not printed literally ({needle}): {text}"
        );
    }
    let signed: String = signed.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        text.contains(&format!("署名{signed}")),
        "signature not printed literally: {text}"
    );
    // The 标志 is red text: all of it the hostile string.
    let issuer: String = ins
        .runs
        .iter()
        .filter(|r| r.page == 1 && r.red)
        .map(|r| r.text.as_str())
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert_eq!(issuer, bare, "issuer printed literally");
    assert!(!text.contains("root:x:0"), "no file was read");
}

#[test]
fn huge_body_is_refused_with_a_clear_error() {
    let para = "为认真贯彻落实安全生产工作部署，现就有关事项通知如下。".repeat(20);
    let body: String = (0..600).map(|_| format!("  {para}\n")).collect();
    let e = input_error(&notice(&format!("body: |\n{body}")));
    assert!(e.contains("超过了 300000 字的上限"), "{e}");
}

#[test]
fn ten_megabyte_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.yaml");
    let mut text = notice("");
    text.push_str("note: \"");
    text.push_str(&"长".repeat(3_500_000));
    text.push_str("\"\n");
    std::fs::write(&p, text).unwrap();
    let o = gongwen(&["check", "big.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("MB 的上限"));
}

#[test]
fn five_thousand_attachments_are_refused() {
    let list: String = (0..5000).map(|i| format!("  - title: 附件{i}\n")).collect();
    let e = input_error(&notice(&format!("attachments:\n{list}")));
    assert!(e.contains("5000 个附件"), "{e}");
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused() {
    let e = input_error(&format!(
        "kind: 通知\ntitle: t\nbody: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    ));
    assert!(e.contains("嵌套"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("template: village-zero-accident.j2\ntitle: x\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\ndata:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        text.push_str(&format!(
            "  {c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
        prev = c;
    }
    std::fs::write(dir.path().join("p.yaml"), text).unwrap();
    std::fs::write(dir.path().join("u.csv"), "name\n甲\n").unwrap();
    let o = gongwen(
        &["batch", "p.yaml", "--units", "u.csv", "-o", "out"],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("YAML 别名（*引用）展开得太多"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn zero_byte_binary_and_gbk_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.yaml"), b"").unwrap();
    std::fs::write(d.join("bin.yaml"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(
        d.join("gbk.yaml"),
        encoding_rs::GBK.encode("kind: 通知\n").0.as_ref(),
    )
    .unwrap();
    for (f, needle) in [
        ("empty.yaml", "空的"),
        ("bin.yaml", "不是文本文件"),
        ("gbk.yaml", "GBK"),
    ] {
        let o = gongwen(&["render", f], d);
        assert_eq!(o.status.code(), Some(1), "{f}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(needle),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!d.join(f.replace(".yaml", ".pdf")).exists());
    }
}

#[test]
fn sixty_thousand_bad_rows_give_bounded_errors() {
    // (A larger file meets the 20 MB / 100,000-row limits first: see
    // safety::row05.)
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut csv = String::from("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n");
    for i in 0..60_000 {
        csv.push_str(&format!(
            "2019-05-{:02},东关社区,会议室,宣讲,第{i}次,多人,王某某,\n",
            1 + i % 28
        ));
    }
    std::fs::write(d.join("big.csv"), csv).unwrap();
    let o = gongwen(
        &[
            "ledger", "activity", "big.csv", "--month", "2019-05", "-o", "x.pdf",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    // Every row has two errors (活动类别 宣讲, 参加人数 多人): 200 are listed.
    assert!(
        err.contains("……另有 119800 处错误未列出。"),
        "errors are capped at 200: {}",
        err.lines().last().unwrap_or_default()
    );
    assert_eq!(
        err.matches("“宣讲”").count() + err.matches("“多人”").count(),
        200,
        "200 errors listed"
    );
    assert!(!d.join("x.pdf").exists());
}

/// 单本月度台账 ≤ 5 万条: valid rows, so the row limit itself refuses.
#[test]
fn a_month_of_more_than_fifty_thousand_rows_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut csv = String::from("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n");
    for i in 0..50_001 {
        csv.push_str(&format!(
            "2019-05-{:02},东关社区,会议室,宣传,第{i}次,12,王某某,\n",
            1 + i % 28
        ));
    }
    std::fs::write(d.join("big.csv"), csv).unwrap();
    let o = gongwen(
        &[
            "ledger", "activity", "big.csv", "--month", "2019-05", "-o", "x.pdf",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("2019年5月有 50001 条记录，超过了一本月度台账 50000 条的上限"),
        "{err}"
    );
    assert!(!d.join("x.pdf").exists());
}

#[test]
fn typst_templates_are_confined_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        d.join("a.yaml"),
    )
    .unwrap();
    std::fs::create_dir(d.join("tpl")).unwrap();
    for (bad, why) in [
        ("#read(\"/etc/passwd\")", "absolute path"),
        ("#read(\"../../etc/passwd\")", "parent path"),
        ("#include \"/etc/passwd\"", "include"),
        ("#let f(x) = f(x)\n#f(1)", "endless recursion"),
        ("#while true {}", "endless loop"),
    ] {
        std::fs::write(d.join("tpl/notice.typ"), bad).unwrap();
        let o = gongwen(&["render", "a.yaml", "--templates", "tpl"], d);
        assert_eq!(o.status.code(), Some(1), "{why}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("排版失败"),
            "{why}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!d.join("a.pdf").exists(), "{why}");
    }
}

/// Templates read images in the input folder, and nothing outside it: not by
/// absolute path, not by `..`, not through a symlink (src/typeset/world.rs).
/// The image outside is a real one, so only the confinement can refuse it.
#[test]
fn template_images_are_confined_to_the_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("in");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(d.join("tpl")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        d.join("a.yaml"),
    )
    .unwrap();
    std::fs::write(d.join("seal.svg"), SEAL_SVG).unwrap();
    std::fs::write(outside.join("seal.svg"), SEAL_SVG).unwrap();
    std::os::unix::fs::symlink(outside.join("seal.svg"), d.join("link.svg")).unwrap();
    let tpl = |path: &str| {
        std::fs::write(
            d.join("tpl/notice.typ"),
            format!("#image(\"{path}\", width: 42mm)\n"),
        )
        .unwrap();
        let _ = std::fs::remove_file(d.join("a.pdf"));
        gongwen(&["render", "a.yaml", "--templates", "tpl"], &d)
    };
    let o = tpl("/input/seal.svg");
    assert!(
        o.status.success(),
        "the image inside the folder renders: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(d.join("a.pdf").is_file());
    let outside_abs = outside.join("seal.svg").display().to_string();
    for (path, why) in [
        ("/input/link.svg", "symlink to an image outside"),
        ("/input/../outside/seal.svg", "parent path"),
        (outside_abs.as_str(), "absolute path"),
    ] {
        let o = tpl(path);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{why}: {err}");
        assert!(err.contains("排版失败"), "{why}: {err}");
        assert!(!d.join("a.pdf").exists(), "{why}");
    }
}

#[test]
fn minijinja_templates_cannot_include_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("secret.j2"), "机密内容\n").unwrap();
    for (tpl, needle) in [
        ("{% include \"secret.j2\" %}\n", "模板不存在"),
        ("{% include \"/etc/passwd\" %}\n", "模板不存在"),
    ] {
        std::fs::write(d.join("t.j2"), tpl).unwrap();
        std::fs::write(d.join("p.yaml"), "template: t.j2\ntitle: 方案\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\n").unwrap();
        std::fs::write(d.join("u.csv"), "name\n甲\n").unwrap();
        let o = gongwen(&["batch", "p.yaml", "--units", "u.csv", "-o", "out"], d);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1));
        assert!(err.contains(needle) && !err.contains("机密内容"), "{err}");
    }
    // `../t.j2` exists (a harmless template one folder up), so only the `..`
    // rule can refuse it.
    std::fs::write(d.join("t.j2"), "正文。\n").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/u.csv"), "name\n甲\n").unwrap();
    std::fs::write(d.join("sub/p.yaml"), "template: ../t.j2\ntitle: 方案\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\n").unwrap();
    let sub = d.join("sub");
    let o = gongwen(&["batch", "p.yaml", "--units", "u.csv", "-o", "out"], &sub);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("内容模板只能是方案文件夹里的文件名"),
        "refused by the `..` rule: {err}"
    );
    assert!(!sub.join("out").exists(), "nothing written");
}

#[test]
fn a_killed_render_leaves_the_old_file_or_the_complete_new_one() {
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        d.join("a.yaml"),
    )
    .unwrap();
    let old = b"%PDF-old complete file".to_vec();
    std::fs::write(d.join("a.pdf"), &old).unwrap();
    let render_cmd = || {
        let mut c = command();
        c.args(["render", "a.yaml"]).current_dir(d);
        c
    };

    // Killed while it lays out, before anything is staged: the old file stays.
    let mut early = render_cmd()
        .env("GONGWEN_FAILPOINT", "after-stage")
        .env("GONGWEN_FONT_INDEX", "")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    early.kill().unwrap();
    let out = early.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("failpoint"),
        "killed before the output was staged"
    );
    assert_eq!(
        std::fs::read(d.join("a.pdf")).unwrap(),
        old,
        "old file kept"
    );

    // Killed after the new PDF is written and synced under its temporary
    // name, before the rename: the old file stays, the temporary file too.
    let stopped = run_to_failpoint(render_cmd(), "after-stage", Duration::from_secs(120));
    assert!(stopped.at_failpoint, "the run reached the failpoint");
    kill(stopped.child);
    assert_eq!(
        std::fs::read(d.join("a.pdf")).unwrap(),
        old,
        "old file kept"
    );
    let stale = temp_files(d);
    assert_eq!(stale.len(), 1, "the killed run's temporary file: {stale:?}");
    let staged = std::fs::read(d.join(&stale[0])).unwrap();
    assert_eq!(
        lopdf::Document::load_mem(&staged)
            .unwrap()
            .get_pages()
            .len(),
        10,
        "the staged file was the complete new PDF"
    );

    // A normal run puts the complete new PDF in place and sweeps the stale file.
    let o = render_cmd().output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let now = std::fs::read(d.join("a.pdf")).unwrap();
    assert_eq!(
        lopdf::Document::load_mem(&now)
            .expect("a complete PDF")
            .get_pages()
            .len(),
        10
    );
    assert_eq!(
        temp_files(d),
        Vec::<String>::new(),
        "stale temporary file swept"
    );
}

/// A document pasted into a short field (抄送, 主送 …) is refused before
/// layout; a million characters of 附注 used to lay out hundreds of pages in
/// 300 MiB (benches/hostile.rs measured it).
#[test]
fn a_short_field_of_a_million_characters_is_refused() {
    for field in ["cc", "to", "printer"] {
        let e = input_error(&notice(&format!("{field}: {}\n", "安全".repeat(500_000))));
        assert!(
            e.contains("1000000 个字，超过了 2000 字的上限")
                && e.contains(&format!("字段 {field}")),
            "{field}: {e}"
        );
    }
    // The 附注 travels with the 署名 as one block: 301 characters are
    // refused, 300 are printed whole (render_path checks no text is lost).
    let e = input_error(&notice(&format!("note: {}甲\n", "安全".repeat(150))));
    assert!(e.contains("附注有 301 个字，超过了 300 字的上限"), "{e}");
    render(&notice(&format!("note: {}\n", "安全".repeat(150)))).expect("300 characters fit");
}

/// Forty attachments make a 附件说明 taller than a page; kept together with
/// the 署名 and 附注 it ran off the page (their text lost). It now flows
/// over pages (render_path asserts that no character is lost).
#[test]
fn a_long_attachment_note_with_signature_and_note_loses_nothing() {
    let attachments: String = (1..=40)
        .map(|i| {
            format!("  - title: 青石县2024年第{i}批安全生产检查情况汇总表\n    body: 见表。\n")
        })
        .collect();
    let ins = render(&notice(&format!(
        "note: （联系人：李明，电话：1234567）\nattachments:\n{attachments}"
    )))
    .expect("renders");
    let text = ins.text();
    assert!(
        text.contains("40.青石县2024年第40批安全生产检查情况汇总表"),
        "{text}"
    );
    assert!(text.contains("（联系人：李明，电话：1234567）"));
}
