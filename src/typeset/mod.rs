//! The embedded Typst engine: world, fonts, compiling and PDF export.

pub mod font_index;
pub mod fonts;
pub mod hollow;
pub mod inspect;
pub mod ofd;
pub mod sfnt;
pub mod squeeze;
pub mod table;
pub mod world;

use std::path::Path;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::Smart;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

pub use world::{DocWorld, Engine};

use crate::error::Error;

/// Layout templates shipped inside the program (`templates/`).
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("notice.typ", include_str!("../../templates/notice.typ")),
    ("approval.typ", include_str!("../../templates/approval.typ")),
    ("table.typ", include_str!("../../templates/table.typ")),
    ("cover.typ", include_str!("../../templates/cover.typ")),
];

/// Earlier names of built-in templates, still honoured in `--templates DIR`.
const FORMER_NAMES: &[(&str, &str)] = &[("table.typ", "ledger.typ")];

/// Loads the templates: the built-in ones, each replaced by a file of the
/// same name in `dir` when given (`--templates DIR`).
pub fn load_templates(dir: Option<&Path>) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN_TEMPLATES {
        let own = dir.and_then(|d| {
            let former = FORMER_NAMES.iter().find(|(n, _)| n == name).map(|f| f.1);
            std::iter::once(*name)
                .chain(former)
                .map(|n| d.join(n))
                .find(|p| p.is_file())
        });
        let text = match (dir, own) {
            (_, Some(file)) => std::fs::read_to_string(&file)
                .map_err(|e| Error::other(format!("读不了模板 {}：{e}", file.display())))?,
            (Some(d), None) if !d.is_dir() => {
                return Err(Error::other(format!("模板文件夹 {} 不存在。", d.display())));
            }
            _ => text.to_string(),
        };
        out.push((name.to_string(), text));
    }
    Ok(out)
}

/// Compiles one document with the given template and JSON data.
pub fn compile(
    engine: &Engine,
    template: &str,
    data: Vec<u8>,
    input_dir: Option<&Path>,
) -> Result<PagedDocument, Error> {
    let world = DocWorld::new(
        engine,
        template,
        data,
        input_dir,
        chrono::Local::now().date_naive(),
    );
    let mut result = world.lay_out();
    let mut world = world;
    if let Ok(doc) = &result.output {
        let faces = world.hollow_faces();
        if !faces.is_empty() && !hollow::Hollow::covers(doc, &faces) {
            // A glyph the hollow fonts left empty reached a page (one
            // Typst chose, not a character of the data): lay out again
            // with the whole fonts.
            world = world.whole_fonts();
            result = typst::compile::<PagedDocument>(&world);
            engine.note_relayout();
        }
    }
    if std::env::var_os("GONGWEN_DEBUG").is_some() {
        eprintln!("{}", describe(&world, &result.warnings));
    }
    match result.output {
        Ok(doc) => Ok(doc),
        Err(errors) => Err(Error::other(format!(
            "排版失败（模板 {template}）：\n{}",
            describe(&world, &errors)
        ))),
    }
}

/// Exports to PDF/A-2b for the archive, with a fixed creation date so the
/// same input always gives the same bytes.
pub fn pdf_archival(
    doc: &PagedDocument,
    ident: &str,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, Error> {
    use chrono::Datelike;
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
        .map_err(|e| Error::other(format!("PDF/A 设置失败：{}", e.message())))?;
    let when = typst::foundations::Datetime::from_ymd_hms(
        date.year(),
        date.month() as u8,
        date.day() as u8,
        0,
        0,
        0,
    )
    .map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp: when,
        standards,
        tagged: tagged(doc),
        ..Default::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Error::other(format!("生成 PDF/A-2b 失败：{}", msgs.join("；")))
    })
}

/// Exports a laid-out document to PDF.
pub fn pdf(doc: &PagedDocument, ident: &str) -> Result<Vec<u8>, Error> {
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        tagged: tagged(doc),
        ..Default::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Error::other(format!("生成 PDF 失败：{}", msgs.join("；")))
    })
}

/// A `metadata` element a template placed with a label, to tell the
/// program where something landed.
#[derive(Debug, Clone)]
pub struct Marker {
    pub value: typst::foundations::Value,
    /// 1-based.
    pub page: usize,
    /// Millimetres from the page's top edge.
    pub y_mm: f64,
}

/// The markers with `label`, in document order.
pub fn markers(doc: &PagedDocument, label: &str) -> Vec<Marker> {
    use typst::foundations::{Label, Selector};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern(label)) else {
        return Vec::new();
    };
    let intro = doc.introspector();
    intro
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let value = c.to_packed::<MetadataElem>()?.value.clone();
            let at = intro.position(c.location()?)?;
            Some(Marker {
                value,
                page: at.page.get(),
                y_mm: at.point.y.to_mm(),
            })
        })
        .collect()
}

/// Whether to write a tagged (accessible) PDF: yes, unless the document was
/// laid out in parts and lost its tags (long tables, see [`table`]).
fn tagged(doc: &PagedDocument) -> bool {
    doc.pages().first().is_none_or(|p| {
        p.frame
            .items()
            .any(|(_, item)| matches!(item, typst::layout::FrameItem::Tag(_)))
    })
}

fn describe(world: &DocWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .filter(|e| e.severity == Severity::Error || std::env::var_os("GONGWEN_DEBUG").is_some())
        .map(|e| {
            let place = e
                .span
                .id()
                .and_then(|id| {
                    let src = world.source(id).ok()?;
                    let range = world.range(e.span)?;
                    let line = src.lines().byte_to_line(range.start)? + 1;
                    Some(format!("{}:{line}", id.vpath().get_with_slash()))
                })
                .unwrap_or_default();
            let hints: String = e.hints.iter().map(|h| format!("（{}）", h.v)).collect();
            format!("  {place} {}{hints}", in_chinese(&e.message))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Typst's messages about files, the ones a user can cause, in Chinese
/// (the English original follows, for whoever maintains the template).
fn in_chinese(message: &str) -> String {
    let zh = if message.contains("access denied") {
        "不允许读取这个文件：模板只能读取公文所在文件夹（及其子文件夹）里的图片"
    } else if message.contains("file not found") {
        "找不到文件（图片要放在公文所在的文件夹里）"
    } else if message.contains("failed to decode image") || message.contains("unknown image format")
    {
        "图片损坏或格式不认识（请用 PNG、JPG 或 SVG）"
    } else if message.contains("maximum function call depth")
        || message.contains("loop seems to be infinite")
    {
        "模板运算没有尽头（无限递归或死循环），已停止"
    } else {
        return message.to_string();
    };
    format!("{zh}〔{message}〕")
}

/// One document made of the pages of several (正本 then 签批单, GW-K-05).
pub fn concat(docs: Vec<PagedDocument>) -> PagedDocument {
    use typst::model::Document;
    let info = docs.first().map(|d| d.info().clone()).unwrap_or_default();
    let pages = docs
        .iter()
        .flat_map(|d| d.pages().iter().cloned())
        .collect();
    PagedDocument::new(pages, info)
}
