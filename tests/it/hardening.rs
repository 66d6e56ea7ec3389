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
    let yaml = notice(&format!(
        "copy_number: 1\nsecrecy: \"机密★{q}\"\nissuer: \"{q}\"\ntitle: \"{q}的通知\"\nto: \"{q}\"\nbody:\n  - \"{q}\"\n  - \"一、{q}\"\n  - \"（一）{q}。{q}\"\nattachments:\n  - title: \"{q}\"\n    body: \"{q}\"\nsignature: \"{q}\"\nnote: \"{q}\"\ncc: \"{q}\"\nprinter: \"{q}\"\n"
    ));
    let ins = render(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let text = ins.text();
    let bare: String = hostile.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        text.matches(&bare[..20]).count() >= 8,
        "literal everywhere: {text}"
    );
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
    let mut bomb = String::from("kind: 通知\ntitle: 关于x的通知\nissuer: 某局文件\nbody:\n  - table:\n      columns: [a]\n      rows: &a [[lol], [lol], [lol], [lol], [lol], [lol], [lol], [lol], [lol]]\n");
    let _ = &mut bomb;
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
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("别名"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
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
fn three_hundred_thousand_row_spreadsheet_gives_bounded_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut csv = String::from("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n");
    for i in 0..300_000 {
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
    // Issue 12 row 5: the file-size limit (the file is some 22 MB) stops
    // the reading before any row is checked one by one.
    assert!(err.contains("超过了 20 MB 的上限"), "{err}");
    assert!(
        err.lines().count() < 1000,
        "{} lines of errors",
        err.lines().count()
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
        ("#image(\"/etc/hostname\")", "image outside"),
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
    // A file next to the input is allowed (a seal), a symlink out of it is not.
    std::os::unix::fs::symlink("/etc/hostname", d.join("link.png")).unwrap();
    std::fs::write(d.join("tpl/notice.typ"), "#image(\"/input/link.png\")").unwrap();
    let o = gongwen(&["render", "a.yaml", "--templates", "tpl"], d);
    assert_eq!(
        o.status.code(),
        Some(1),
        "symlink escaping the input folder"
    );
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
    std::fs::write(d.join("p.yaml"), "template: ../t.j2\ntitle: 方案\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\n").unwrap();
    let o = gongwen(&["batch", "p.yaml", "--units", "u.csv", "-o", "out"], d);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_killed_render_leaves_the_old_file_or_the_complete_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        d.join("a.yaml"),
    )
    .unwrap();
    let old = b"%PDF-old complete file".to_vec();
    let mut rng = 7u64;
    for _ in 0..20 {
        std::fs::write(d.join("a.pdf"), &old).unwrap();
        let mut child = crate::common::command()
            .args(["render", "a.yaml"])
            .current_dir(d)
            .env("GONGWEN_FONTS", root().join("fonts"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(std::time::Duration::from_millis(rng >> 33 & 0x1FF));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(d.join("a.pdf")).unwrap();
        if now != old {
            let doc = lopdf::Document::load_mem(&now).expect("a complete PDF");
            assert_eq!(doc.get_pages().len(), 10);
        }
    }
    for e in std::fs::read_dir(d).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with(".gongwen-"),
            "temporary file left behind: {name}"
        );
    }
}
