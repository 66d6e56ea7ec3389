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

pub use recognise::{CellDraft, Draft, Insert, Report, Section, TableDraft};

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
        "txt" | "md" | "markdown" => DraftKind::Text,
        "doc" | "wps" | "dot" | "wpt" => DraftKind::Old,
        _ => DraftKind::Yaml,
    }
}

/// An imported draft.
#[derive(Debug, Clone)]
pub struct Imported {
    pub draft: Draft,
    pub report: Report,
    /// The document as YAML (what `gongwen import` writes beside the
    /// draft; [`save`] writes it for another place).
    pub yaml: String,
    pub notice: Notice,
    /// The picture offered as the seal: its extension and bytes.
    pub seal: Option<(String, Vec<u8>)>,
}

fn fail(path: &Path, msg: impl Into<String>, hint: &str) -> Error {
    Error::Input(vec![Diagnostic::error(path, "", msg).hint(hint)])
}

const RESAVE: &str = "在 Word 或 WPS 里打开这个文件，选“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，再对新的 .docx 文件运行 gongwen。";

/// Reads and recognises a .docx, .txt or .md draft. Nothing is written.
pub fn import(path: &Path) -> Result<Imported> {
    let mut bytes = None;
    let lines = match kind_of(path) {
        DraftKind::Old => {
            // Converted by LibreOffice when it is installed; else refused
            // with how to 另存为 .docx.
            let Some(soffice) = soffice() else {
                return Err(fail(path, docx::OLD_FORMAT, RESAVE));
            };
            let converted = convert_old(&soffice, path)?;
            let b = crate::guard::read_capped(&converted.1, MAX_DRAFT_BYTES, "Word 文件")?;
            let mut lines = docx_lines(path, &b)?;
            lines.notes.insert(
                0,
                format!(
                    "已用 LibreOffice（{}）把旧格式文件转成 .docx 后导入；转换可能丢失少量格式，请核对",
                    soffice.display()
                ),
            );
            bytes = Some(b);
            lines
        }
        DraftKind::Yaml => {
            return Err(fail(
                path,
                "gongwen import 读取 Word 草稿（.docx）或纯文本草稿（.txt）。",
                "YAML 文件不需要导入：直接运行 `gongwen render 文件名`。",
            ))
        }
        DraftKind::Docx => {
            let b = crate::guard::read_capped(path, MAX_DRAFT_BYTES, "Word 文件")?;
            let lines = docx_lines(path, &b)?;
            bytes = Some(b);
            lines
        }
        DraftKind::Text => text_lines(path)?,
    };
    let mut imported = finish(lines, path)?;
    // The seal picture, when one was found over the 署名 and date.
    if let (Some(part), Some(bytes)) = (imported.draft.seal.clone(), bytes) {
        let ext = Path::new(&part)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let ext = if ext == "jpeg" {
            "jpg".to_string()
        } else {
            ext
        };
        if !matches!(ext.as_str(), "png" | "jpg") {
            imported.report.unsure.push(format!(
                "署名处的图片（{part}）不是 PNG 或 JPG，没有作为印章导入。请另存印章为透明底 PNG，在 YAML 里写 seal: 印章.png"
            ));
            imported.draft.seal = None;
        } else {
            match docx::image(&bytes, &part) {
                Ok(b) => imported.seal = Some((ext, b)),
                Err(e) => {
                    imported.report.unsure.push(e);
                    imported.draft.seal = None;
                }
            }
        }
        imported.yaml = to_yaml(
            &imported.draft,
            path,
            seal_name(&default_output(path), &imported),
        );
    }
    Ok(imported)
}

/// LibreOffice's `soffice`, when it is on the PATH (and not turned off
/// with `GONGWEN_NO_SOFFICE`).
fn soffice() -> Option<PathBuf> {
    if std::env::var_os("GONGWEN_NO_SOFFICE").is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["soffice", "libreoffice", "soffice.exe"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Longest a LibreOffice conversion may take.
const CONVERT_SECONDS: u64 = 120;

/// Converts a .doc/.wps file to .docx in a fresh folder with LibreOffice
/// (its own profile there, so a running LibreOffice does not interfere).
/// Returns the folder (kept alive by the caller) and the .docx path.
fn convert_old(soffice: &Path, path: &Path) -> Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir()
        .map_err(|e| Error::other(format!("无法建立临时文件夹转换旧格式文件：{e}")))?;
    let profile = format!("file://{}", dir.path().join("profile").display());
    let mut child = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(dir.path())
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|_| fail(path, docx::OLD_FORMAT, RESAVE))?;
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed().as_secs() < CONVERT_SECONDS => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(
                    path,
                    format!("用 LibreOffice 转换这个旧格式文件超过 {CONVERT_SECONDS} 秒，已停止。"),
                    RESAVE,
                ));
            }
        }
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let out = dir.path().join(format!("{stem}.docx"));
    if !out.is_file() {
        return Err(fail(
            path,
            "LibreOffice 没能把这个文件转成 .docx（文件可能已损坏，或不是 Word/WPS 文件）。",
            RESAVE,
        ));
    }
    Ok((dir, out))
}

/// The seal file written beside the YAML: `名字.印章.png`.
fn seal_name(yaml: &Path, imported: &Imported) -> Option<String> {
    let (ext, _) = imported.seal.as_ref()?;
    seal_file(yaml, ext)
}

/// The name of a seal picture kept beside a YAML file: `名字.印章.png`
/// (the workbench keeps a document's uploaded seal the same way).
pub fn seal_file(yaml: &Path, ext: &str) -> Option<String> {
    let stem = yaml.file_stem()?.to_string_lossy();
    Some(format!("{stem}.印章.{ext}"))
}

/// Writes the imported document to `output` (YAML) and, when the draft had
/// a seal picture, the picture beside it (`名字.印章.png`), each atomically.
/// Returns the files written.
pub fn save(imported: &Imported, draft: &Path, output: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let seal = seal_name(output, imported);
    if let (Some(name), Some((_, bytes))) = (&seal, &imported.seal) {
        let file = output.with_file_name(name);
        crate::output::write_atomic(&file, bytes)?;
        written.push(file);
    }
    let yaml = to_yaml(&imported.draft, draft, seal);
    crate::output::write_atomic(output, yaml.as_bytes())?;
    written.push(output.to_path_buf());
    Ok(written)
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
    let Lines {
        lines,
        mut notes,
        grids,
        images,
    } = lines;
    let (draft, mut report) = recognise::recognise(lines, &grids);
    let left = images - usize::from(draft.seal.is_some());
    if left > 0 {
        notes.push(format!(
            "文件里有 {left} 张图片未导入（署名和日期处的印章图片除外）。需要的图片请作为附件另行处理"
        ));
    }
    // What was done (“已……”) heads the report; what was left out is unsure.
    let (done, left): (Vec<String>, Vec<String>) =
        notes.into_iter().partition(|n| n.starts_with("已"));
    report.found.splice(0..0, done);
    report.unsure.extend(left);
    let yaml = to_yaml(&draft, path, None);
    let value: serde_yaml::Value = serde_yaml::from_str(&yaml)
        .map_err(|e| Error::other(format!("内部错误：导入生成的 YAML 读不回来（{e}）")))?;
    let notice: Notice = crate::source::from_value(value)
        .map_err(|e| Error::other(format!("内部错误：导入生成的 YAML 读不回来（{e}）")))?;
    Ok(Imported {
        draft,
        report,
        yaml,
        notice,
        seal: None,
    })
}

/// A draft's lines with what the reader noticed.
#[derive(Default)]
struct Lines {
    lines: Vec<recognise::Line>,
    notes: Vec<String>,
    /// Each table's column widths (twips), by table.
    grids: Vec<Vec<u32>>,
    /// Pictures in the draft.
    images: usize,
}

fn docx_lines(path: &Path, bytes: &[u8]) -> Result<Lines> {
    let (paras, seen) = docx::read(bytes).map_err(|m| {
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
    if seen.headers_footers > 0 {
        notes.push(format!(
            "已略去页眉页脚（{} 处）：公文的页码由 gongwen 按 GB/T 9704 排，页眉不印",
            seen.headers_footers
        ));
    }
    if seen.dropped_chars > 0 {
        notes.push(format!("已删去 {} 个看不见的控制字符", seen.dropped_chars));
    }
    let mut lines: Vec<recognise::Line> = Vec::new();
    let mut orphans: Vec<String> = Vec::new();
    for (i, p) in paras.into_iter().enumerate() {
        let line = recognise::Line {
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
            shape: p.shape,
            images: p.images,
        };
        if line.cell.is_none() && line.text.trim().is_empty() {
            // A picture in a paragraph of its own belongs with the text
            // before it (a seal pasted after the date) or, at the start,
            // after it.
            match lines.iter_mut().rev().find(|l| l.cell.is_none()) {
                Some(prev) => prev.images.extend(line.images),
                None => orphans.extend(line.images),
            }
            continue;
        }
        lines.push(line);
    }
    if let Some(first) = lines.iter_mut().find(|l| l.cell.is_none()) {
        first.images.splice(0..0, orphans);
    }
    Lines {
        lines,
        notes,
        grids: seen.grids.clone(),
        images: seen.images,
    }
}

/// Markdown a draft may be written in (`# 标题`, `**重点**`, `- 项`):
/// the marks, not the words. Returns the line without them and whether it
/// was a `#` heading.
fn markdown_line(raw: &str) -> (String, bool) {
    let t = raw.trim_start();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    let heading = hashes > 0 && t[hashes..].starts_with([' ', '\t']);
    let mut t = if heading {
        t[hashes..].trim_start()
    } else {
        raw
    };
    for list in ["- ", "* ", "+ ", "> "] {
        if let Some(r) = t.trim_start().strip_prefix(list) {
            t = r;
        }
    }
    (t.replace("**", "").replace("__", ""), heading)
}

fn text_lines(path: &Path) -> Result<Lines> {
    let markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
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
    let mut marks = 0;
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
        let (raw, md_heading) = if markdown {
            let (t, h) = markdown_line(&raw);
            marks += usize::from(t != raw);
            (t, h)
        } else {
            (raw, false)
        };
        if raw.trim().is_empty() || (markdown && raw.trim().chars().all(|c| "-*_=".contains(c))) {
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
            centred: lead > 2.0 || md_heading,
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
    if marks > 0 {
        notes.push(format!("已去掉 {marks} 行的 Markdown 标记（#、**、- 等）"));
    }
    Ok(Lines {
        lines,
        notes,
        ..Lines::default()
    })
}

/// A YAML scalar, quoted when YAML needs it.
fn scalar(s: &str) -> String {
    serde_yaml::to_string(&serde_yaml::Value::String(s.to_string()))
        .unwrap_or_else(|_| format!("{s:?}"))
        .trim_end_matches('\n')
        .to_string()
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

/// A list of values as a YAML flow sequence (JSON strings are YAML
/// double-quoted scalars, safe inside `[ ]`).
fn flow<T: serde::Serialize>(items: &[T]) -> String {
    let c: Vec<String> = items
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default())
        .collect();
    format!("[{}]", c.join(", "))
}

/// A table cell: its text, or `{text, rowspan, colspan}` when merged.
fn cell(c: &CellDraft) -> serde_json::Value {
    if c.rowspan == 1 && c.colspan == 1 {
        return serde_json::Value::String(c.text.clone());
    }
    let mut m = serde_json::Map::new();
    m.insert("text".into(), c.text.clone().into());
    if c.rowspan > 1 {
        m.insert("rowspan".into(), c.rowspan.into());
    }
    if c.colspan > 1 {
        m.insert("colspan".into(), c.colspan.into());
    }
    serde_json::Value::Object(m)
}

/// A part's text under `key`: a `|` block of paragraphs, or a list of
/// blocks when tables or member lists sit between them.
fn section(
    out: &mut String,
    indent: &str,
    key: &str,
    body: &[String],
    inserts: &[(usize, Insert)],
) {
    if inserts.is_empty() {
        if !body.is_empty() {
            out.push_str(&format!("{indent}{key}: |\n"));
            for p in body {
                out.push_str(&format!("{indent}  {}\n", block_line(p)));
            }
        }
        return;
    }
    out.push_str(&format!("{indent}{key}:\n"));
    let text = |out: &mut String, paras: &[String]| {
        if !paras.is_empty() {
            out.push_str(&format!("{indent}  - |\n"));
            for p in paras {
                out.push_str(&format!("{indent}    {}\n", block_line(p)));
            }
        }
    };
    let mut from = 0;
    for (at, insert) in inserts {
        let at = (*at).min(body.len()).max(from);
        text(out, &body[from..at]);
        from = at;
        match insert {
            Insert::Table(t) => {
                out.push_str(&format!("{indent}  - table:\n"));
                let merged = t
                    .header
                    .iter()
                    .flatten()
                    .any(|c| c.rowspan > 1 || c.colspan > 1);
                match t.header.as_slice() {
                    [one] if !merged => {
                        let names: Vec<&str> = one.iter().map(|c| c.text.as_str()).collect();
                        out.push_str(&format!("{indent}      columns: {}\n", flow(&names)));
                    }
                    rows => {
                        out.push_str(&format!("{indent}      header:\n"));
                        for r in rows {
                            let cells: Vec<_> = r.iter().map(cell).collect();
                            out.push_str(&format!("{indent}        - {}\n", flow(&cells)));
                        }
                    }
                }
                if !t.widths.is_empty() {
                    out.push_str(&format!("{indent}      widths: {}\n", flow(&t.widths)));
                }
                out.push_str(&format!("{indent}      rows:\n"));
                for r in &t.rows {
                    let cells: Vec<_> = r.iter().map(cell).collect();
                    out.push_str(&format!("{indent}        - {}\n", flow(&cells)));
                }
            }
            Insert::Members(m) => {
                out.push_str(&format!("{indent}  - members:\n"));
                for (label, names) in m {
                    let names = match names.as_slice() {
                        [one] => scalar(one),
                        many => flow(many),
                    };
                    out.push_str(&format!("{indent}      - {}: {names}\n", scalar(label)));
                }
            }
        }
    }
    text(out, &body[from..]);
}

/// The draft as a commented YAML document; `seal` is the seal picture's
/// file name beside the YAML, when one is written.
pub fn to_yaml(d: &Draft, source: &Path, seal: Option<String>) -> String {
    let mut y = String::new();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    y.push_str(&format!(
        "# 由 gongwen import 从“{name}”导入。请核对各字段，改好后运行 gongwen render。\n"
    ));
    let line = |y: &mut String, key: &str, v: &Option<String>| {
        if let Some(v) = v {
            y.push_str(&format!("{key}: {}\n", scalar(v)));
        }
    };
    match &d.format {
        Some(f) => line(&mut y, "format", &Some(f.clone())),
        None => y.push_str(&format!("kind: {}\n", scalar(&d.kind))),
    }
    line(&mut y, "copy_number", &d.copy_number);
    line(&mut y, "secrecy", &d.secrecy);
    line(&mut y, "urgency", &d.urgency);
    if d.issuer_names.len() >= 2 {
        y.push_str(&format!(
            "issuer:\n  names: {}\n  suffix: {}\n",
            flow(&d.issuer_names),
            scalar(d.issuer.as_deref().unwrap_or("文件"))
        ));
    } else {
        line(&mut y, "issuer", &d.issuer);
    }
    line(&mut y, "number", &d.number);
    if !d.signers.is_empty() {
        y.push_str(&format!("signers: {}\n", flow(&d.signers)));
    }
    y.push_str(&format!("title: {}\n", scalar(&d.title)));
    line(&mut y, "to", &d.to);
    section(&mut y, "", "body", &d.body, &d.inserts);
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
    line(&mut y, "seal", &seal);
    line(&mut y, "note", &d.note);
    if let Some(e) = &d.enclosure {
        y.push_str("enclosure:\n");
        y.push_str(&format!("  title: {}\n", scalar(&e.title)));
        section(&mut y, "  ", "body", &e.body, &e.inserts);
    }
    if !d.attachments.is_empty() {
        y.push_str("attachments:\n");
        for a in &d.attachments {
            y.push_str(&format!("  - title: {}\n", scalar(&a.title)));
            section(&mut y, "    ", "body", &a.body, &a.inserts);
        }
    }
    line(&mut y, "cc", &d.cc);
    line(&mut y, "printer", &d.printer);
    if let Some(p) = &d.print_date {
        y.push_str(&format!("print_date: {p}\n"));
    }
    if let Some(c) = d.copies {
        y.push_str(&format!("copies: {c}\noptions:\n  show_copies: true\n"));
    }
    if d.format.is_none() {
        // The draft goes round for signatures on a 签批单 (`gongwen approval`).
        y.push_str("# 公文签批单：签发、审核等栏留空，打印后手写；要打印在单上，照 `gongwen new 通知` 里的 approval 填写。\napproval: {}\n");
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
        DraftKind::Docx | DraftKind::Text | DraftKind::Old => {
            let imported = import(input)?;
            let mut notice = imported.notice;
            if let Some(office) = crate::settings::Settings::find(input)? {
                office.apply(&mut notice);
            }
            let mut warnings = warnings(input, &imported.report);
            if imported.seal.is_some() {
                warnings.push(
                    Diagnostic::warning(
                        input,
                        "seal",
                        "草稿里署名和日期处有一张印章图片，直接排版草稿时没有用它（排成盖实物章的样子）。",
                    )
                    .hint("运行 `gongwen import 文件名`：印章图片会存在 YAML 旁边，YAML 里的 seal 用它；再排版 YAML。"),
                );
            }
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
