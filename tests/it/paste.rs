//! Issue 13 item 9, text pasted from Word or a PDF: invisible characters and
//! YAML mistakes explained in Chinese at their line and column, hard-wrapped
//! lines and stray spaces warned about, and `gongwen check --fix` cleaning
//! the file while keeping the original.

use std::path::Path;

use crate::common::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

/// “doc.yaml:line:column” of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> String {
    let (i, l) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .expect("needle in text");
    let col = l[..l.find(needle).unwrap()].chars().count() + 1;
    format!("doc.yaml:{}:{col}", i + 1)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// English words left in a message meant for a clerk (program names,
/// encodings and key names the clerk typed are allowed).
#[track_caller]
fn no_english(msg: &str) {
    const ALLOWED: [&str; 16] = [
        "gongwen", "check", "YAML", "yaml", "UTF", "GBK", "ANSI", "Word", "WPS", "PDF", "Tab",
        "README", "title", "body", "note", "fix",
    ];
    let mut word = String::new();
    for c in msg.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() {
            word.push(c);
            continue;
        }
        if word.len() >= 3
            && !ALLOWED.contains(&word.as_str())
            && !msg.contains(&format!("{word}.yaml"))
        {
            panic!("English word “{word}” in a message for a clerk:\n{msg}");
        }
        word.clear();
    }
}

#[test]
fn item09_pasted_invisible_characters_are_named_in_chinese_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (ch, name) in [
        ('\u{B}', "垂直制表符（Word 的手动换行）"),
        ('\u{2028}', "行分隔符"),
        ('\u{200B}', "零宽空格"),
    ] {
        let body = format!("body: |\n  为切实做好防汛工作，{ch}确保人民群众生命财产安全。\n");
        let text = notice(&body);
        write(d, "doc.yaml", &text);
        let o = gongwen(&["check", "doc.yaml"], d);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(e.contains(name), "{name}: {e}");
        let at = place(&text, &ch.to_string());
        assert!(e.contains(&at), "{name} at {at}: {e}");
        assert!(e.contains("gongwen check --fix"), "{e}");
        assert!(!e.contains("字体"), "not a font problem: {e}");
        no_english(&e);
    }
}

#[test]
fn item09_yaml_mistakes_are_explained_in_chinese_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, &str); 10] = [
        ("title: \"关于做好防汛工作的通知\n", "引号没有配对"),
        ("body:\n\t- 第一段\n", "Tab"),
        ("note: 联系人: 张三\n", "冒号"),
        ("cc: [县公安局, 县财政局\n", "方括号"),
        ("note: @张三\n", "不能作为开头"),
        ("title: \"关于\\d的通知\"\n", "反斜杠"),
        ("to: 各乡镇\n  body: 正文\n", "缩进多了"),
        ("note: 一\nnote: 二\n", "写了两次"),
        ("note: 一\n---\nnote: 二\n", "两份数据"),
        ("note: |x\n  一\n", "“|”或“>”后面"),
    ];
    for (extra, says) in cases {
        let text = format!("{}{extra}", notice(""));
        write(d, "doc.yaml", &text);
        let o = gongwen(&["check", "doc.yaml"], d);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {e}");
        assert!(e.contains(says), "{extra:?} should say {says}: {e}");
        let line_of = |n: usize| format!("doc.yaml:{}", n);
        let expected_line = text.lines().count() - extra.lines().count() + 1;
        assert!(
            e.contains(&format!("{}:", line_of(expected_line)))
                || e.contains(&format!("{}:", line_of(expected_line + 1))),
            "{extra:?}: the line {expected_line} (or the next) is named: {e}"
        );
        no_english(&e);
        assert!(!d.join("doc.pdf").exists());
    }
}

#[test]
fn item09_check_warns_of_hard_wrapped_lines_and_spaces_between_characters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "body: |\n  为切实做好今年主汛期地质灾害防治工作，确保人民\n  群众生命财产安全，现将有关事项通知如下。\n  各乡镇要 高度重视。\n";
    let text = notice(body);
    write(d, "doc.yaml", &text);
    let o = gongwen(&["check", "doc.yaml"], d);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(e.contains("下一段像是它的后半句"), "{e}");
    // Paragraph warnings name the paragraph's line, column 1.
    let line_of = |needle: &str| {
        let p = place(&text, needle);
        format!("{}:1（", p.rsplit_once(':').unwrap().0)
    };
    assert!(e.contains(&line_of("为切实")), "the cut line is named: {e}");
    assert!(e.contains("“镇要 高度”"), "{e}");
    assert!(e.contains(&line_of("各乡镇要")), "{e}");
    assert!(e.contains("gongwen check --fix"), "{e}");
    assert!(!e.contains("0 条提醒"), "{e}");
}

#[test]
fn item09_check_fix_cleans_a_pasted_draft_and_keeps_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "# 从 Word 复制的正文\nbody: |\n  \u{3000}\u{3000}为切实做好今年主汛期地质灾害防治工作,确保人民\n  群众生命财产安全\u{B}，现将有关事项通知如下:\n  一、总体要求\u{2029}各乡镇\u{A0}要高度重视\u{200B}。\n  出席：张三　李四\n";
    let original = notice(&format!("kind: 纪要\n{body}"));
    let original = original.replace("开展安全检查", "开展安全 检查");
    write(d, "doc.yaml", &original);
    let o = gongwen(&["check", "--fix", "doc.yaml"], d);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    // The original is kept byte for byte.
    let backup = std::fs::read_to_string(d.join("doc.修改前.yaml")).expect("backup");
    assert_eq!(backup, original);
    let fixed = std::fs::read_to_string(d.join("doc.yaml")).unwrap();
    assert!(
        fixed.contains("# 从 Word 复制的正文"),
        "comments stay: {fixed}"
    );
    assert!(
        fixed.contains("  为切实做好今年主汛期地质灾害防治工作，确保人民群众生命财产安全，现将有关事项通知如下：\n  一、总体要求\n  各乡镇要高度重视。\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("出席：张三　李四"),
        "names keep their separators: {fixed}"
    );
    assert!(fixed.contains("关于开展安全检查的通知"), "{fixed}");
    // What changed is told line by line.
    let first = place(&original, "为切实");
    let line = first.split(':').nth(1).unwrap().parse::<usize>().unwrap();
    for what in [
        format!("第 {line} 行："),
        format!("第 {} 行接到上一行", line + 1),
        "半角标点改为全角".into(),
        "垂直制表符".into(),
        "段分隔符".into(),
        "零宽空格".into(),
        "不换行空格".into(),
    ] {
        assert!(e.contains(&what), "{what}: {e}");
    }
    assert!(e.contains("检查通过"), "{e}");
    no_english(&e);
    // The cleaned file lays out with the sentence as one paragraph.
    let ins = render_path(&d.join("doc.yaml")).expect("renders");
    let text = flow_text(&ins);
    assert!(text.contains("确保人民群众生命财产安全"), "{text}");
    // A second run has nothing to do and keeps the first backup.
    let o = gongwen(&["check", "--fix", "doc.yaml"], d);
    assert!(
        stderr(&o).contains("没有需要自动清理的地方"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("doc.修改前.2.yaml").exists());
}

#[test]
fn item09_fix_writes_nothing_when_the_file_stays_broken() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!("{}note: 各乡镇\u{200B}\n  body: 正文\n", notice(""));
    write(d, "doc.yaml", &text);
    let o = gongwen(&["check", "--fix", "doc.yaml"], d);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("原文件未作任何修改"), "{e}");
    assert!(
        e.contains("缩进多了"),
        "the remaining error is explained: {e}"
    );
    assert_eq!(std::fs::read_to_string(d.join("doc.yaml")).unwrap(), text);
    assert!(!d.join("doc.修改前.yaml").exists());
}

#[test]
fn item09_fix_turns_a_gbk_file_into_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = notice("");
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    std::fs::write(d.join("doc.yaml"), &gbk).unwrap();
    let e = stderr(&gongwen(&["check", "doc.yaml"], d));
    assert!(e.contains("GBK") && e.contains("--fix"), "{e}");
    let o = gongwen(&["check", "--fix", "doc.yaml"], d);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(e.contains("GBK（ANSI）编码转为 UTF-8"), "{e}");
    assert_eq!(std::fs::read_to_string(d.join("doc.yaml")).unwrap(), text);
    assert_eq!(
        std::fs::read(d.join("doc.修改前.yaml")).unwrap(),
        gbk.to_vec()
    );
}
