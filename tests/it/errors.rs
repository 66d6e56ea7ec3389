//! Bad input: each class gives its specific Chinese message at file:line:column
//! with the field path and a fix.

use crate::common::*;
use gongwen::{Diagnostic, Error};

fn errors(yaml: &str) -> Vec<Diagnostic> {
    errors_with(yaml, &[])
}

fn errors_with(yaml: &str, files: &[(&str, &[u8])]) -> Vec<Diagnostic> {
    match render_with(yaml, files) {
        Err(Error::Input(d)) => d,
        Err(e) => panic!("expected an input error, got: {e}"),
        Ok(_) => panic!("expected an error for:\n{yaml}"),
    }
}

/// 1-based line of a top-level key in `yaml`.
fn line_of(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map(|i| i + 1)
}

/// The single error whose message contains `needle`.
#[track_caller]
fn expect<'a>(diags: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no error containing {needle:?}: {:#?}",
                diags.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            )
        })
}

#[test]
fn unknown_field_names_the_typo_and_suggests_the_field() {
    let yaml = notice("titel: 多写了一个字段\n");
    let d = errors(&yaml);
    let e = expect(&d, "不认识的字段“titel”");
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("是不是想写“title”"),
        "{e}"
    );
    assert_eq!(e.line, line_of(&yaml, "titel"), "{e}");
    assert!(
        e.to_string()
            .contains(&format!("doc.yaml:{}:", line_of(&yaml, "titel").unwrap())),
        "{e}"
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    let yaml = notice("copies: 八十份\n");
    let d = errors(&yaml);
    let e = expect(&d, "类型不对");
    assert!(e.message.contains("整数"), "{e}");
    assert_eq!(e.path, "copies");
    assert_eq!(e.line, line_of(&yaml, "copies"));
}

#[test]
fn number_with_wrong_brackets_zeros_or_di() {
    for (bad, needle) in [
        ("某政发【2024】5号", "六角括号"),
        ("某政发[2024]5号", "六角括号"),
        ("某政发（2024）5号", "六角括号"),
        ("某政发﹝2024﹞5号", "六角括号"),
        ("某政发〔2024〕05号", "前导零"),
        ("某政发〔2024〕第5号", "不加“第”"),
    ] {
        let yaml = notice(&format!("number: {bad}\n"));
        let d = errors(&yaml);
        let e = expect(&d, needle);
        assert_eq!(e.path, "number", "{e}");
        assert_eq!(e.line, line_of(&yaml, "number"), "{e}");
        assert!(e.message.contains("应为“某政发〔2024〕5号”"), "{bad}: {e}");
    }
}

#[test]
fn impossible_date() {
    let yaml = notice("date: 2019-02-30\n");
    let d = errors(&yaml);
    let e = expect(&d, "不存在");
    assert_eq!(e.path, "date");
    assert_eq!(e.line, line_of(&yaml, "date"));
}

#[test]
fn upward_document_without_signer() {
    let d = errors(&notice(
        "kind: 请示\ntitle: 某某县关于拨付资金的请示\nto: 某某市人民政府\n",
    ));
    let e = expect(&d, "必须标注签发人");
    assert_eq!(e.path, "signers");
    assert!(e.hint.as_deref().unwrap_or("").contains("GW-H-30"));
}

#[test]
fn request_with_several_recipients() {
    let d = errors(&notice("kind: 请示\nsigners: [张三]\ntitle: 某某县关于拨付资金的请示\nto: 某某市人民政府、某某市财政局\n"));
    let e = expect(&d, "请示只能主送一个上级机关");
    assert_eq!(e.path, "to");
}

#[test]
fn attachment_note_not_matching_attachments() {
    let d = errors(&notice(
        "attachment_note: [检查表, 名单]\nattachments:\n  - title: 检查记录表\n",
    ));
    expect(&d, "附件说明列了 2 个附件，实际附件（attachments）有 1 个");
    let d = errors(&notice(
        "attachment_note: [检查表]\nattachments:\n  - title: 检查记录表\n",
    ));
    let e = expect(&d, "与附件标题“检查记录表”不一致");
    assert_eq!(e.path, "attachment_note[0]");
}

#[test]
fn missing_seal_file() {
    let d = errors(&notice("seal: 公章.png\n"));
    let e = expect(&d, "找不到印章图片");
    assert_eq!(e.path, "seal");
    let d = errors(&notice("seal: ../../etc/公章.png\n"));
    expect(&d, "不在公文文件所在的文件夹里");
}

#[test]
fn characters_no_font_can_draw_are_listed_with_the_role() {
    let d = errors(&notice("signature: 某某𗀀局\ntitle: 关于🀄事项的通知\n"));
    let e = expect(&d, "“𗀀”(U+17000)");
    assert!(e.message.contains("仿宋"), "{e}");
    let t = expect(&d, "U+1F004");
    assert!(t.message.contains("小标宋"), "{t}");
    assert_eq!(t.path, "title");
}

#[test]
fn empty_documents() {
    let d = errors("");
    expect(&d, "文件是空的");
    let d = errors("kind: 通知\nissuer: 某局文件\ntitle: 关于某事的通知\ndate: 2024-01-02\n");
    expect(&d, "公文没有正文");
}

#[test]
fn not_utf8_and_binary_files() {
    let gbk = encoding_rs::GBK
        .encode("kind: 通知\ntitle: 关于某事的通知\n")
        .0
        .into_owned();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gbk.yaml");
    std::fs::write(&p, &gbk).unwrap();
    match render_path(&p) {
        Err(Error::Input(d)) => {
            expect(&d, "GBK");
        }
        other => panic!("{:?}", other.err()),
    }
    std::fs::write(&p, b"\x89PNG\r\n\x1a\n\0\0\0binary").unwrap();
    match render_path(&p) {
        Err(Error::Input(d)) => {
            expect(&d, "不是文本文件");
        }
        other => panic!("{:?}", other.err()),
    }
}

#[test]
fn yaml_syntax_error_has_a_position() {
    let d = errors("kind: 通知\ntitle: [没有闭合\nbody: x\n");
    let e = expect(&d, "YAML 语法错误");
    assert!(e.line.is_some());
}

#[test]
fn several_errors_are_reported_together() {
    let d = errors(&notice(
        "number: 某政发〔24〕5号\ndate: 2024-13-01\nurgency: 很急\n",
    ));
    // Dates fail while reading the file; the rest are reported once it parses.
    assert!(d.iter().any(|e| e.path == "date"), "{d:#?}");
    let d = errors(&notice(
        "number: 某政发〔24〕5号\nurgency: 很急\nsecrecy: 内部\n",
    ));
    for path in ["number", "urgency", "secrecy"] {
        assert!(
            d.iter().any(|e| e.path == path),
            "no error at {path}: {d:#?}"
        );
    }
}

/// One bad document run through `gongwen render`: exit 1, the message at
/// doc.yaml:line:column with its field, and nothing written next to it.
#[track_caller]
fn refused(yaml: &str, files: &[(&str, &[u8])], message: &str, field: &str, at: (usize, usize)) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, bytes) in files {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    std::fs::write(d.join("doc.yaml"), yaml).unwrap();
    let before = std::fs::read_dir(d).unwrap().count();
    let o = gongwen(&["render", "doc.yaml"], d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{message}: {err}");
    let head = if field.is_empty() {
        format!("错误：doc.yaml:{}:{}\n  {message}", at.0, at.1)
    } else {
        format!(
            "错误：doc.yaml:{}:{}（字段 {field}）\n  {message}",
            at.0, at.1
        )
    };
    assert!(err.contains(&head), "want {head:?} in:\n{err}");
    assert!(err.contains("未生成任何文件"), "{err}");
    assert_eq!(
        std::fs::read_dir(d).unwrap().count(),
        before,
        "{message}: nothing written"
    );
}

/// Line and column of the field: the first line of `yaml` starting with
/// `prefix`, at its first non-blank character (the key, or a list item's
/// value after “- ”).
fn at(yaml: &str, prefix: &str) -> (usize, usize) {
    let i = yaml
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("{prefix:?} not in:\n{yaml}"));
    let l = yaml.lines().nth(i).unwrap();
    let indent = l.chars().take_while(|c| *c == ' ').count();
    let dash = if l[indent..].starts_with("- ") { 2 } else { 0 };
    (i + 1, indent + dash + 1)
}

#[test]
fn each_content_error_has_its_message_position_and_writes_nothing() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (
            notice("kind: 总结\n"),
            "kind: ",
            "“总结”不是公文文种。",
            "kind",
        ),
        (notice("title: ''\n"), "title: ", "标题是空的。", "title"),
        (
            notice("title: 某某市人民政府关于开展安全检查的通知。\n"),
            "title: ",
            "标题末尾不加标点（GW-B-05）。",
            "title",
        ),
        (
            notice("secrecy: 机密\n"),
            "secrecy: ",
            "涉密公文必须标注份号。",
            "secrecy",
        ),
        (
            notice("issuer: ~\n"),
            "issuer: ",
            "缺少发文机关标志。",
            "issuer",
        ),
        (
            notice("signers: [张三]\n"),
            "signers: ",
            "只有上行文标注签发人（GW-H-30）。",
            "signers",
        ),
        (notice("date: ~\n"), "date: ", "缺少成文日期。", "date"),
    ];
    for (yaml, prefix, message, field) in &cases {
        refused(yaml, &[], message, field, at(yaml, prefix));
    }
}

#[test]
fn table_shape_errors() {
    let table = |t: &str| notice(&format!("body:\n  - 正文。\n  - table:\n{t}"));
    let y = table("      columns: [甲, 乙]\n      rows:\n        - [1, 2, 3]\n");
    refused(
        &y,
        &[],
        "这一行有 3 格，但表头只有 2 列。",
        "body[1].table.rows[0]",
        at(&y, "        - "),
    );
    let y = table("      columns: []\n      rows: []\n");
    refused(
        &y,
        &[],
        "表格没有列。",
        "body[1].table.columns",
        at(&y, "      columns: "),
    );
    let y =
        table("      columns: [甲, 乙]\n      widths: [1, 2, 3]\n      rows:\n        - [1, 2]\n");
    refused(
        &y,
        &[],
        "列宽的个数和列数不一致。",
        "body[1].table.widths",
        at(&y, "      widths: "),
    );
}

#[test]
fn seal_type_size_and_count_errors() {
    let y = notice("seal: seal.txt\n");
    refused(
        &y,
        &[("seal.txt", b"not an image")],
        "印章“seal.txt”不是 PNG、SVG 或 JPG 图片。",
        "seal",
        at(&y, "seal: "),
    );
    let y = notice("seal: {file: seal.svg, size_mm: 80}\n");
    refused(
        &y,
        &[("seal.svg", SEAL_SVG)],
        "印章直径 80 mm 不合常理。",
        "seal",
        at(&y, "seal: "),
    );
    let y = notice("signature: [某某市人民政府, 某某市财政局]\nseal: [a.svg]\n");
    refused(
        &y,
        &[("a.svg", SEAL_SVG)],
        "有 2 个署名却有 1 个印章。",
        "seal",
        at(&y, "seal: "),
    );
}

#[test]
fn a_missing_required_field_is_named() {
    let y: String = notice("")
        .lines()
        .filter(|l| !l.starts_with("title:"))
        .map(|l| format!("{l}\n"))
        .collect();
    refused(&y, &[], "缺少必填字段“title”。", "", (1, 1));
}
