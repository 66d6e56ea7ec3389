//! Word and text drafts in (issue 15): a .docx (or .txt) a clerk drafted
//! becomes a [`Notice`] — the same model a YAML file gives — plus a report
//! in Chinese of which paragraph became which field, what was changed while
//! importing and what gongwen was not sure of.
//!
//! `docx` reads the file (zip + XML, bounded), `recognise` decides the
//! fields from text and position; this module writes the YAML a clerk can
//! adjust (`gongwen import`) and prepares the notice for `render`/`check`
//! through [`render::prepare_notice`] like every other door.

pub mod docx;
pub mod recognise;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::Notice;
use crate::render::{self, Prepared};
use crate::source::Origin;
use crate::typeset::Engine;

pub use recognise::{Draft, Report};

/// Largest draft read (a .docx with pictures can be large; the parts read
/// are bounded separately).
pub const MAX_DRAFT_BYTES: usize = 100_000_000;

/// What kind of file a path names, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    Docx,
    Text,
    /// .doc, .wps: old binary formats, refused with how to convert.
    Old,
    /// Anything else: a YAML document.
    Yaml,
}

pub fn kind_of(path: &Path) -> DraftKind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" | "docm" | "dotx" => DraftKind::Docx,
        "txt" => DraftKind::Text,
        "doc" | "wps" | "dot" | "wpt" => DraftKind::Old,
        _ => DraftKind::Yaml,
    }
}

/// An imported draft.
#[derive(Debug, Clone)]
pub struct Imported {
    pub draft: Draft,
    pub report: Report,
    /// The document as YAML (what `gongwen import` writes).
    pub yaml: String,
    pub notice: Notice,
}

fn fail(path: &Path, msg: impl Into<String>, hint: &str) -> Error {
    Error::Input(vec![Diagnostic::error(path, "", msg).hint(hint)])
}

const RESAVE: &str = "在 Word 或 WPS 里打开这个文件，选“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，再对新的 .docx 文件运行 gongwen。";

/// Reads and recognises a .docx or .txt draft. Nothing is written.
pub fn import(path: &Path) -> Result<Imported> {
    let lines = match kind_of(path) {
        DraftKind::Old => {
            return Err(fail(path, docx::OLD_FORMAT, RESAVE));
        }
        DraftKind::Yaml => {
            return Err(fail(
                path,
                "gongwen import 读取 Word 草稿（.docx）或纯文本草稿（.txt）。",
                "YAML 文件不需要导入：直接运行 `gongwen render 文件名`。",
            ))
        }
        DraftKind::Docx => docx_lines(path)?,
        DraftKind::Text => text_lines(path)?,
    };
    finish(lines, path)
}

/// Imports a Word draft from its XML parts (no file, no zip): what the
/// fuzz target `word_docx` runs. Errors are the Chinese messages.
pub fn import_docx_parts(
    document: &str,
    numbering: Option<&str>,
    styles: Option<&str>,
) -> std::result::Result<Imported, String> {
    let (paras, seen) = docx::read_parts(document, numbering, styles)?;
    finish(docx_paragraphs(paras, &seen), Path::new("草稿.docx")).map_err(|e| e.to_string())
}

/// Recognises the lines and writes the YAML, which must read back.
fn finish(lines: Lines, path: &Path) -> Result<Imported> {
    let (lines, notes) = lines;
    let (draft, mut report) = recognise::recognise(lines);
    // What was done (“已……”) heads the report; what was left out is unsure.
    let (done, left): (Vec<String>, Vec<String>) =
        notes.into_iter().partition(|n| n.starts_with("已"));
    report.found.splice(0..0, done);
    report.unsure.extend(left);
    let yaml = to_yaml(&draft, path);
    let value: serde_yaml::Value = serde_yaml::from_str(&yaml)
        .map_err(|e| Error::other(format!("内部错误：导入生成的 YAML 读不回来（{e}）")))?;
    let notice: Notice = crate::source::from_value(value)
        .map_err(|e| Error::other(format!("内部错误：导入生成的 YAML 读不回来（{e}）")))?;
    Ok(Imported {
        draft,
        report,
        yaml,
        notice,
    })
}

type Lines = (Vec<recognise::Line>, Vec<String>);

fn docx_lines(path: &Path) -> Result<Lines> {
    let bytes = crate::guard::read_capped(path, MAX_DRAFT_BYTES, "Word 文件")?;
    let (paras, seen) = docx::read(&bytes).map_err(|m| {
        let hint = if m.contains(".doc）") || m.contains("旧版") {
            RESAVE
        } else {
            "用 Word 或 WPS 打开这个文件，确认能正常打开后“另存为” .docx 再试。"
        };
        fail(path, m, hint)
    })?;
    Ok(docx_paragraphs(paras, &seen))
}

/// A .docx's paragraphs as lines, with notes on what the reader saw.
fn docx_paragraphs(paras: Vec<docx::Para>, seen: &docx::Seen) -> Lines {
    let mut notes = Vec::new();
    if seen.insertions + seen.deletions > 0 {
        notes.push(format!(
            "已按“接受所有修订”导入：{} 处插入保留，{} 处删除去掉。请确认修订都该接受",
            seen.insertions, seen.deletions
        ));
    }
    if seen.comments > 0 {
        notes.push(format!("文件里有 {} 条批注，批注未导入", seen.comments));
    }
    if seen.footnotes > 0 {
        notes.push(format!(
            "文件里有 {} 处脚注或尾注，脚注的文字未导入。公文一般不用脚注：需要的内容请写进正文或附注",
            seen.footnotes
        ));
    }
    if seen.images > 0 {
        notes.push(format!(
            "文件里有 {} 张图片（如印章），图片未导入。印章请在 YAML 里用 seal: 印章.png 指定",
            seen.images
        ));
    }
    if seen.dropped_chars > 0 {
        notes.push(format!("已删去 {} 个看不见的控制字符", seen.dropped_chars));
    }
    let lines = paras
        .into_iter()
        .enumerate()
        .map(|(i, p)| recognise::Line {
            no: i + 1,
            text: match &p.auto_number {
                Some(n) => format!("{n}{}", p.text.trim_start()),
                None => p.text,
            },
            centred: p.centred,
            right: p.right,
            auto: p.auto_number.is_some(),
            cell: p.cell,
            big: p.bold || p.size.is_some_and(|s| s >= 16.0),
            raw: String::new(),
        })
        .filter(|l| l.cell.is_some() || !l.text.trim().is_empty())
        .collect();
    (lines, notes)
}

fn text_lines(path: &Path) -> Result<Lines> {
    let bytes = crate::guard::read_capped(path, crate::source::MAX_BYTES, "文本文件")?;
    let mut notes = Vec::new();
    let text = match crate::source::decode(&bytes) {
        Some((t, gbk)) => {
            if gbk {
                notes.push("已按 GBK（ANSI）编码读入".to_string());
            }
            t.trim_start_matches('\u{FEFF}')
                .replace("\r\n", "\n")
                .replace('\r', "\n")
        }
        None => {
            return Err(fail(
                path,
                "这不是文本文件（可能是 Word、PDF 或图片，只是扩展名是 .txt）。",
                "Word 文件请保存为 .docx 后导入。",
            ))
        }
    };
    let mut dropped = 0;
    let mut lines: Vec<recognise::Line> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw: String = raw
            .chars()
            .filter(|c| {
                let bad = crate::guard::forbidden(*c).is_some() && *c != '\u{B}';
                dropped += usize::from(bad);
                !bad
            })
            .collect();
        if raw.trim().is_empty() {
            continue;
        }
        // Leading space wider than a paragraph indent (two full-width
        // spaces) centres a line in a text draft.
        let lead: f64 = raw
            .chars()
            .take_while(|c| crate::compose::punct::is_space(*c) || *c == '\t')
            .map(|c| match c {
                '\u{3000}' => 1.0,
                '\t' => 2.0,
                _ => 0.5,
            })
            .sum();
        let line = recognise::Line {
            no: i + 1,
            text: raw.clone(),
            centred: lead > 2.0,
            ..Default::default()
        };
        // A line cut in mid-sentence (text copied from a PDF) joins the
        // one before it.
        if let Some(prev) = lines.last_mut() {
            if prev.no + 1 == line.no
                && !line.centred
                && !prev.centred
                && crate::compose::heading::hard_wrapped(prev.text.trim(), raw.trim())
            {
                notes.push(format!(
                    "已把第 {} 行接到第 {} 行（上一行没有标点，是同一句话）",
                    line.no, prev.no
                ));
                prev.text = format!("{}{}", prev.text.trim_end(), raw.trim());
                prev.no = line.no;
                continue;
            }
        }
        lines.push(line);
    }
    if dropped > 0 {
        notes.push(format!("已删去 {dropped} 个看不见的控制字符"));
    }
    Ok((lines, notes))
}

/// A YAML scalar, quoted when YAML needs it.
fn scalar(s: &str) -> String {
    serde_yaml::to_string(&serde_yaml::Value::String(s.to_string()))
        .unwrap_or_else(|_| format!("{s:?}"))
        .trim_end_matches('\n')
        .to_string()
}

fn block(out: &mut String, indent: &str, key: &str, paras: &[String]) {
    out.push_str(&format!("{indent}{key}: |\n"));
    for p in paras {
        out.push_str(&format!("{indent}  {}\n", block_line(p)));
    }
}

/// One paragraph as a line of a `|` block: nothing YAML reads as a line
/// break, no leading space (it would change the block's indentation).
fn block_line(p: &str) -> String {
    p.chars()
        .map(|c| match c {
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim_start_matches([' ', '\t'])
        .to_string()
}

/// The draft as a commented YAML document.
pub fn to_yaml(d: &Draft, source: &Path) -> String {
    let mut y = String::new();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    y.push_str(&format!(
        "# 由 gongwen import 从“{name}”导入。请核对各字段，改好后运行 gongwen render。\n"
    ));
    y.push_str(&format!("kind: {}\n", scalar(&d.kind)));
    if let Some(u) = &d.urgency {
        y.push_str(&format!("urgency: {}\n", scalar(u)));
    }
    if let Some(i) = &d.issuer {
        y.push_str(&format!("issuer: {}\n", scalar(i)));
    }
    if let Some(n) = &d.number {
        y.push_str(&format!("number: {}\n", scalar(n)));
    }
    if !d.signers.is_empty() {
        y.push_str("signers:\n");
        for s in &d.signers {
            y.push_str(&format!("  - {}\n", scalar(s)));
        }
    }
    y.push_str(&format!("title: {}\n", scalar(&d.title)));
    if let Some(t) = &d.to {
        y.push_str(&format!("to: {}\n", scalar(t)));
    }
    if d.tables.is_empty() {
        if !d.body.is_empty() {
            block(&mut y, "", "body", &d.body);
        }
    } else {
        // Paragraphs and tables in their order: a list of blocks.
        y.push_str("body:\n");
        let mut from = 0;
        let text = |y: &mut String, paras: &[String]| {
            if !paras.is_empty() {
                y.push_str("  - |\n");
                for p in paras {
                    y.push_str(&format!("    {}\n", block_line(p)));
                }
            }
        };
        for (at, columns, rows) in &d.tables {
            let at = (*at).min(d.body.len()).max(from);
            text(&mut y, &d.body[from..at]);
            from = at;
            let row = |cells: &[String]| {
                // JSON strings are YAML double-quoted scalars: safe in [ ].
                let c: Vec<String> = cells
                    .iter()
                    .map(|c| serde_json::to_string(c).unwrap_or_default())
                    .collect();
                format!("[{}]", c.join(", "))
            };
            y.push_str("  - table:\n");
            y.push_str(&format!("      columns: {}\n", row(columns)));
            y.push_str("      rows:\n");
            for r in rows {
                y.push_str(&format!("        - {}\n", row(r)));
            }
        }
        text(&mut y, &d.body[from..]);
    }
    if !d.attachment_note.is_empty() {
        y.push_str("attachment_note:\n");
        for a in &d.attachment_note {
            y.push_str(&format!("  - {}\n", scalar(a)));
        }
    }
    match d.signature.as_slice() {
        [] => {}
        [one] => y.push_str(&format!("signature: {}\n", scalar(one))),
        many => {
            y.push_str("signature:\n");
            for s in many {
                y.push_str(&format!("  - {}\n", scalar(s)));
            }
        }
    }
    if let Some(x) = &d.date {
        y.push_str(&format!("date: {x}\n"));
    }
    if let Some(n) = &d.note {
        y.push_str(&format!("note: {}\n", scalar(n)));
    }
    if let Some((title, body)) = &d.enclosure {
        y.push_str("enclosure:\n");
        y.push_str(&format!("  title: {}\n", scalar(title)));
        if !body.is_empty() {
            block(&mut y, "  ", "body", body);
        }
    }
    if !d.attachments.is_empty() {
        y.push_str("attachments:\n");
        for (title, body) in &d.attachments {
            y.push_str(&format!("  - title: {}\n", scalar(title)));
            if !body.is_empty() {
                block(&mut y, "    ", "body", body);
            }
        }
    }
    if let Some(c) = &d.cc {
        y.push_str(&format!("cc: {}\n", scalar(c)));
    }
    if let Some(p) = &d.printer {
        y.push_str(&format!("printer: {}\n", scalar(p)));
    }
    if let Some(p) = &d.print_date {
        y.push_str(&format!("print_date: {p}\n"));
    }
    y
}

/// The YAML file `gongwen import` writes by default: beside the draft,
/// same name, `.yaml`.
pub fn default_output(path: &Path) -> PathBuf {
    path.with_extension("yaml")
}

/// The warnings `render` and `check` print for an imported draft.
pub fn warnings(path: &Path, report: &Report) -> Vec<Diagnostic> {
    report
        .unsure
        .iter()
        .map(|u| {
            Diagnostic::warning(path, "", format!("导入草稿时没有把握：{u}。"))
                .hint("运行 `gongwen import 文件名` 得到 YAML 文件，核对、修改后再排版。")
        })
        .collect()
}

/// Reads any input `render` and `check` take: a YAML document, or a Word
/// or text draft imported in memory (its unsure points as warnings).
pub fn prepare(engine: &Engine, input: &Path) -> Result<Prepared> {
    match kind_of(input) {
        DraftKind::Yaml => render::prepare(engine, input),
        DraftKind::Old => Err(fail(input, docx::OLD_FORMAT, RESAVE)),
        DraftKind::Docx | DraftKind::Text => {
            let imported = import(input)?;
            let mut notice = imported.notice;
            if let Some(office) = crate::settings::Settings::find(input)? {
                office.apply(&mut notice);
            }
            let mut warnings = warnings(input, &imported.report);
            let mut doc = match render::prepare_notice(engine, &notice, Origin::built(input)) {
                Ok(d) => d,
                Err(Error::Input(mut d)) => {
                    d.extend(warnings);
                    d.push(
                        Diagnostic::warning(
                            input,
                            "",
                            "这份公文是从草稿导入的：上面说的字段（issuer 发文机关标志、title 标题、date 成文日期等）是 YAML 里的名字。",
                        )
                        .hint("在草稿里补上或改好后重新运行；或运行 `gongwen import 文件名` 得到 YAML 文件，在 YAML 里改。"),
                    );
                    return Err(Error::Input(d));
                }
                Err(e) => return Err(e),
            };
            warnings.append(&mut doc.warnings);
            doc.warnings = warnings;
            Ok(doc)
        }
    }
}
