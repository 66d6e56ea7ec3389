//! `gongwen check --fix`: cleans what pasting from Word, a web page or a
//! PDF leaves in a 公文 file — invisible characters, Word's soft line
//! breaks, no-break spaces, spaces between Chinese characters, sentences
//! cut at the end of every printed line, half-width punctuation — and says
//! line by line what it changed.
//!
//! The file is edited as text, line by line, so the clerk's comments, order
//! and quoting stay as they wrote them; only the text of values changes. The
//! result must parse to the same fields as before (when the original
//! parsed at all), or nothing is written. The original is kept beside it as
//! `名字.修改前.yaml`.

use std::path::{Path, PathBuf};

use crate::compose::{heading, punct};
use crate::error::{Diagnostic, Error};
use crate::guard;
use crate::source::SourceFile;

/// One change, on a line of the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: usize,
    pub what: String,
}

/// The cleaned text and what was changed.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    pub changes: Vec<Change>,
}

/// What `fix_file` did.
#[derive(Debug)]
pub struct Report {
    pub changes: Vec<Change>,
    /// Where the original was kept; `None` when nothing needed changing.
    pub backup: Option<PathBuf>,
}

/// A line of the file and what it is in YAML terms.
struct Line {
    /// Original line number (1-based) of the line's start.
    number: usize,
    text: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Structure, comments, quoted or flow values: characters are cleaned,
    /// nothing else.
    Other,
    /// `key: value` with a plain value starting at this byte offset.
    Plain { at: usize, title: bool },
    /// A line inside a `|` or `>` block: its text starts after `indent`.
    Block { indent: usize, literal: bool },
}

/// Cleans `text` (the whole file, UTF-8).
pub fn fix_text(text: &str) -> Fixed {
    let crlf = text.contains("\r\n");
    let text = text.replace("\r\n", "\n");
    let bom = text.starts_with('\u{FEFF}');
    let text = text.trim_start_matches('\u{FEFF}');
    let mut changes = Vec::new();
    if bom {
        changes.push(Change {
            line: 1,
            what: "删去文件开头的 BOM（U+FEFF）".into(),
        });
    }
    // Spaces a word processor uses in indentation break YAML: make them
    // ordinary first, so the structure below can be read.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let mut odd = 0;
        let line: String = raw
            .chars()
            .map(|c| {
                if punct::is_space(c) && c != ' ' && c != '\u{3000}' {
                    odd += 1;
                    ' '
                } else {
                    c
                }
            })
            .collect();
        if odd > 0 {
            changes.push(Change {
                line: n,
                what: format!("{odd} 个不换行空格（U+00A0 等）改为普通空格"),
            });
        }
        lines.push((n, line));
    }
    let mut lines = classify(lines);
    // Invisible characters: Word's soft breaks join, paragraph breaks split
    // a block line, the rest go.
    let mut out: Vec<Line> = Vec::new();
    for l in lines.drain(..) {
        out.extend(clean_invisible(l, &mut changes));
    }
    for l in out.iter_mut() {
        clean_text(l, &mut changes);
    }
    let out = join_wrapped(out, &mut changes);
    let eol = if crlf { "\r\n" } else { "\n" };
    let text = out
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(eol);
    changes.sort_by_key(|c| c.line);
    Fixed { text, changes }
}

/// Marks each line as structure, a plain `key: value`, or block text.
fn classify(lines: Vec<(usize, String)>) -> Vec<Line> {
    let mut out = Vec::new();
    // (indent of the line that opened the block, literal, content indent)
    let mut block: Option<(usize, bool, Option<usize>)> = None;
    for (number, text) in lines {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let blank = text.trim().is_empty();
        if let Some((parent, literal, content)) = block {
            if blank || indent > parent {
                let content = content.or((!blank).then_some(indent));
                block = Some((parent, literal, content));
                out.push(Line {
                    number,
                    kind: Kind::Block {
                        indent: content.unwrap_or(indent).min(indent),
                        literal,
                    },
                    text,
                });
                continue;
            }
            block = None;
        }
        let (kind, opens) = structure(&text, indent);
        if let Some(literal) = opens {
            block = Some((indent, literal, None));
        }
        out.push(Line { number, text, kind });
    }
    out
}

/// What a structure line holds, and whether it opens a block scalar
/// (`Some(true)` for `|`, `Some(false)` for `>`).
fn structure(text: &str, indent: usize) -> (Kind, Option<bool>) {
    let mut at = indent;
    let rest = &text[at..];
    if rest.starts_with('#') || rest.is_empty() {
        return (Kind::Other, None);
    }
    // List markers: “- ”, possibly nested (“- - ”).
    let mut rest = rest;
    while let Some(r) = rest.strip_prefix("- ") {
        let r2 = r.trim_start_matches(' ');
        at += rest.len() - r2.len();
        rest = r2;
    }
    let mut title = false;
    // A key: up to “: ” (or a final “:”), outside quotes.
    if !rest.starts_with(['"', '\'', '[', '{']) {
        if let Some(i) = rest
            .find(": ")
            .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))
        {
            let key = &rest[..i];
            if !key.contains('#') {
                title = key.trim() == "title";
                let after = &rest[i + 1..];
                let value = after.trim_start_matches(' ');
                at += rest.len() - value.len();
                rest = value;
            }
        }
    }
    let bare = rest.split(" #").next().unwrap_or(rest).trim_end();
    if bare.starts_with(['|', '>'])
        && bare[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
    {
        return (Kind::Other, Some(bare.starts_with('|')));
    }
    if rest.is_empty()
        || rest.starts_with([
            '"', '\'', '[', '{', '&', '*', '!', '#', '%', '@', '`', '|', '>',
        ])
    {
        return (Kind::Other, None);
    }
    (Kind::Plain { at, title }, None)
}

/// Soft breaks (U+000B, U+2028) join the text around them; paragraph
/// breaks (U+2029, U+000C) start a new line inside a block and join
/// elsewhere; every other refused character is dropped.
fn clean_invisible(l: Line, changes: &mut Vec<Change>) -> Vec<Line> {
    let n = guard::scan(&l.text).len();
    if n == 0 {
        return vec![l];
    }
    let chars: Vec<char> = l.text.chars().collect();
    let mut parts = vec![String::new()];
    let mut dropped: Vec<&'static str> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(name) = guard::forbidden(c) else {
            parts.last_mut().expect("non-empty").push(c);
            continue;
        };
        let paragraph = matches!(c, '\u{2029}' | '\u{C}');
        let soft = matches!(c, '\u{B}' | '\u{2028}');
        if paragraph && matches!(l.kind, Kind::Block { .. }) {
            parts.push(String::new());
        } else if soft || paragraph {
            // Between two Latin words a space, between Chinese nothing.
            let before = parts.last().and_then(|p| p.chars().last());
            let after = chars[i + 1..]
                .iter()
                .find(|c| guard::forbidden(**c).is_none());
            let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(before.as_ref()) && latin(after) {
                parts.last_mut().expect("non-empty").push(' ');
            }
        }
        if !dropped.contains(&name) {
            dropped.push(name);
        }
    }
    changes.push(Change {
        line: l.number,
        what: format!(
            "删去 {n} 个看不见的字符（{}）{}",
            dropped.join("、"),
            if parts.len() > 1 {
                "，段落分隔处另起一段"
            } else {
                ""
            }
        ),
    });
    let pad = match l.kind {
        Kind::Block { indent, .. } => " ".repeat(indent),
        _ => String::new(),
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| Line {
            number: l.number,
            text: if i == 0 {
                p
            } else {
                format!("{pad}{}", p.trim_start())
            },
            kind: l.kind,
        })
        .collect()
}

/// The text part of a value: spaces between Chinese characters, first-line
/// indents typed with spaces, half-width punctuation, trailing spaces.
fn clean_text(l: &mut Line, changes: &mut Vec<Change>) {
    let (at, spaces) = match l.kind {
        Kind::Other => return,
        Kind::Plain { at, title } => (at, title),
        Kind::Block { indent, .. } => (indent.min(l.text.len()), true),
    };
    let (lead, value) = l.text.split_at(at);
    // A comment after a plain value is left alone.
    let (value, comment) = match l.kind {
        Kind::Plain { .. } => match value.find(" #") {
            Some(i) => value.split_at(i),
            None => (value, ""),
        },
        _ => (value, ""),
    };
    let mut v = value.to_string();
    let mut what = Vec::new();
    if matches!(l.kind, Kind::Block { .. }) {
        let t = v.trim_start_matches(punct::is_space);
        if t.len() != v.len() && !t.is_empty() {
            what.push("删去行首的空格（缩进由 gongwen 排）".to_string());
            v = t.to_string();
        }
    }
    if spaces {
        // A plain value here is a title: only its 事由 loses spaces.
        let (text, gaps) = punct::drop_pasted_spaces(&v, matches!(l.kind, Kind::Plain { .. }));
        if !gaps.is_empty() {
            what.push(format!("删去汉字之间的空格（{}）", gaps.join("、")));
            v = text;
        }
    }
    let (norm, marks) = punct::normalise(&v);
    if !marks.is_empty() {
        what.push(marks.join("，"));
        v = norm;
    }
    let trimmed = v.trim_end_matches(punct::is_space);
    if trimmed.len() != v.len() && comment.is_empty() && !trimmed.is_empty() {
        v = trimmed.to_string();
    }
    if !what.is_empty() {
        changes.push(Change {
            line: l.number,
            what: what.join("；"),
        });
    }
    l.text = format!("{lead}{v}{comment}");
}

/// Lines of a `|` block cut in mid-sentence are joined to the next.
fn join_wrapped(lines: Vec<Line>, changes: &mut Vec<Change>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for l in lines {
        if let (
            Some(prev),
            Kind::Block {
                indent,
                literal: true,
            },
        ) = (out.last_mut(), l.kind)
        {
            if let Kind::Block { literal: true, .. } = prev.kind {
                let p_indent = match prev.kind {
                    Kind::Block { indent, .. } => indent,
                    _ => 0,
                };
                let ptext = prev.text.get(p_indent..).unwrap_or("");
                let ntext = l.text.get(indent..).unwrap_or("");
                if !ntext.is_empty() && heading::hard_wrapped(ptext, ntext) {
                    let latin = ptext.ends_with(|c: char| c.is_ascii_alphanumeric())
                        && ntext.starts_with(|c: char| c.is_ascii_alphanumeric());
                    changes.push(Change {
                        line: prev.number,
                        what: format!(
                            "第 {} 行接到上一行（“…{}”没有标点，下一行是它的后半句）",
                            l.number,
                            tail(ptext, 6)
                        ),
                    });
                    if latin {
                        prev.text.push(' ');
                    }
                    prev.text.push_str(ntext);
                    continue;
                }
            }
        }
        out.push(l);
    }
    out
}

fn tail(s: &str, n: usize) -> String {
    let c: Vec<char> = s.chars().collect();
    c[c.len().saturating_sub(n)..].iter().collect()
}

/// Cleans the file at `path` in place, keeping the original beside it.
/// Nothing is written when nothing changes, or when the cleaned file would
/// not read as the same fields.
pub fn fix_file(path: &Path) -> Result<Report, Error> {
    let fail =
        |msg: String, hint: &str| Error::Input(vec![Diagnostic::error(path, "", msg).hint(hint)]);
    let bytes = guard::read_capped(path, crate::source::MAX_BYTES, "文件")?;
    let (text, gbk) = match crate::source::decode(&bytes) {
        Some(t) => t,
        None => {
            return Err(fail(
                "这不是文本文件（可能是 Word、PDF 或图片），无法自动修改。".into(),
                "gongwen 读取 YAML 文本文件（.yaml）。",
            ))
        }
    };
    let mut fixed = fix_text(&text);
    if gbk {
        fixed.changes.insert(
            0,
            Change {
                line: 1,
                what: "文件由 GBK（ANSI）编码转为 UTF-8".into(),
            },
        );
    }
    if fixed.changes.is_empty() {
        return Ok(Report {
            changes: Vec::new(),
            backup: None,
        });
    }
    // The cleaned file must read, and say the same fields as before.
    let after = SourceFile::from_bytes(path, fixed.text.as_bytes()).map_err(|e| match e {
        Error::Input(mut d) => {
            d.insert(
                0,
                Diagnostic::error(
                    path,
                    "",
                    "自动清理之后，文件仍有下面的错误，原文件未作任何修改。",
                )
                .hint("按下面的提示改正后再运行 `gongwen check --fix`。"),
            );
            Error::Input(d)
        }
        other => other,
    })?;
    if let Ok(before) = SourceFile::from_bytes(path, text.as_bytes()) {
        if before.fields() != after.fields() {
            return Err(fail(
                "自动清理会改变文件的结构（字段有增减），已停止，原文件未作任何修改。".into(),
                "请把这个文件发给维护人员；也可以按 `gongwen check` 的提示手工修改。",
            ));
        }
    }
    let backup = backup_path(path);
    std::fs::write(&backup, &bytes).map_err(|e| {
        Error::other(format!(
            "无法保存原文件的备份 {}：{}",
            backup.display(),
            guard::io_reason(&e)
        ))
    })?;
    crate::output::write_atomic(path, fixed.text.as_bytes())?;
    Ok(Report {
        changes: fixed.changes,
        backup: Some(backup),
    })
}

/// `通知.yaml` → `通知.修改前.yaml`, or `通知.修改前.2.yaml` … if taken.
fn backup_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "yaml".into());
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.修改前.{ext}")
        } else {
            format!("{stem}.修改前.{n}.{ext}")
        };
        let p = dir.join(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_pasted_text_and_keeps_structure_and_comments() {
        let src = "# 青石县 通知\ntitle: 关于做好 防汛工作的通知\nto: 各乡镇\u{200B}人民政府\nbody: |\n  　　为切实做好今年主汛期地质灾害防治工作,确保人民群众\n  生命财产安全\u{B}，现将有关事项通知如下:\n  一、总体要求\u{2029}各乡镇要高度重视。\n";
        let f = fix_text(src);
        assert_eq!(
            f.text,
            "# 青石县 通知\ntitle: 关于做好防汛工作的通知\nto: 各乡镇人民政府\nbody: |\n  为切实做好今年主汛期地质灾害防治工作，确保人民群众生命财产安全，现将有关事项通知如下：\n  一、总体要求\n  各乡镇要高度重视。\n"
        );
        let lines: Vec<usize> = f.changes.iter().map(|c| c.line).collect();
        assert!(
            lines.contains(&2) && lines.contains(&3) && lines.contains(&5) && lines.contains(&7),
            "{:?}",
            f.changes
        );
    }

    #[test]
    fn leaves_quoted_values_attendance_and_clean_files_alone() {
        let src = "title: \"关于 做好工作的通知\"\nbody: |\n  出席：张三　李四　王五\n";
        assert!(
            fix_text("title: 中共青石县委 青石县人民政府关于做好工作的通知\n")
                .changes
                .is_empty()
        );
        let f = fix_text(src);
        assert_eq!(f.text, src);
        assert!(f.changes.is_empty(), "{:?}", f.changes);
    }
}
