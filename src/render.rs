//! The public pipeline used by the CLI, tests and benchmarks.

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{Builder, Layout};
use crate::model::number::{DocNumber, Requested};
use crate::model::Notice;
use crate::register::{self, Register, Slot, Status};
use crate::source::SourceFile;
use crate::typeset::fonts::{FontOptions, FontSet};
use crate::typeset::{self, Engine};

/// Options shared by every command that typesets.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub fonts: FontOptions,
    /// `--templates DIR`: layout templates that replace the built-in ones.
    pub templates: Option<PathBuf>,
}

/// Builds the process-wide engine (fonts and templates loaded once).
pub fn engine(opts: &EngineOptions) -> Result<Engine> {
    let fonts = FontSet::load(&opts.fonts).map_err(Error::Other)?;
    let templates = typeset::load_templates(opts.templates.as_deref())?;
    Ok(Engine::new(fonts, templates))
}

/// A checked document ready to typeset.
pub struct Prepared {
    pub source: SourceFile,
    pub layout: Layout,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates a 公文 YAML file. Errors carry file:line:column.
pub fn prepare(engine: &Engine, input: &Path) -> Result<Prepared> {
    let source = SourceFile::read(input)?;
    prepare_source(engine, source)
}

pub fn prepare_source(engine: &Engine, source: SourceFile) -> Result<Prepared> {
    let notice: Notice = source.parse()?;
    let (layout, diags) = Builder::new(&source, &engine.fonts).build(&notice);
    match layout {
        Some(layout) => Ok(Prepared {
            source,
            layout,
            warnings: diags,
        }),
        // Warnings ride along: a clerk fixing errors wants the whole list.
        None => Err(Error::Input(diags)),
    }
}

/// Lays out a prepared document.
pub fn layout(engine: &Engine, doc: &Prepared) -> Result<PagedDocument> {
    let internal = |e: serde_json::Error| Error::other(format!("内部错误：{e}"));
    let mut data = serde_json::to_value(&doc.layout).map_err(internal)?;
    let dir = doc.source.path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let compile = |data: &serde_json::Value| {
        typeset::compile(
            engine,
            "notice.typ",
            serde_json::to_vec(data).map_err(internal)?,
            dir,
        )
    };
    let first = compile(&data)?;
    // GW-B-50: tighten the page rather than move the last line away.
    for squeeze in crate::squeeze::plan(&first) {
        data["squeeze"] = serde_json::to_value(squeeze).map_err(internal)?;
        let tighter = compile(&data)?;
        if crate::squeeze::kept(&tighter, squeeze.page) {
            return Ok(tighter);
        }
    }
    Ok(first)
}

/// How `render` treats the 发文字号 and what it emits.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// 草稿: print “千街发〔2019〕 号” and leave the register alone (GW-T-20).
    pub draft: bool,
    /// `--register PATH`; see [`register::location`].
    pub register: Option<PathBuf>,
    /// Append the 公文签批单 after the 正本 (GW-K-05).
    pub with_approval: bool,
}

/// What a render did.
#[derive(Debug)]
pub struct Rendered {
    pub pages: usize,
    /// The 发文字号 printed, if any.
    pub number: Option<String>,
    pub warnings: Vec<Diagnostic>,
}

/// The document's identity in the register: `register_id`, else the input
/// file's absolute path.
pub fn doc_identity(doc: &Prepared, register_id: Option<&str>) -> String {
    match register_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => {
            let p = &doc.source.path;
            let abs = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            format!("file:{}", abs.display())
        }
    }
}

/// Lays out the 签批单 of a prepared document.
pub fn approval_layout(engine: &Engine, doc: &Prepared) -> Result<PagedDocument> {
    let Some(data) = &doc.layout.approval else {
        return Err(Error::Input(vec![doc
            .source
            .error("approval", "这份公文没有签批单数据（approval）。")
            .hint("在文件里加上 approval 部分（签发、审核、拟稿人、公文属性等），见 samples/qianquan-2019-8.yaml。")]));
    };
    let bytes = serde_json::to_vec(data).map_err(|e| Error::other(format!("内部错误：{e}")))?;
    typeset::compile(engine, "approval.typ", bytes, None)
}

/// Renders `input` to `output` (atomically), taking a number from the
/// register when the document asks for `seq: auto`.
pub fn render_file(
    engine: &Engine,
    input: &Path,
    output: &Path,
    opts: &RenderOptions,
) -> Result<Rendered> {
    let mut doc = prepare(engine, input)?;
    let register_id = register_id_of(&doc)?;
    let doc_id = doc_identity(&doc, register_id.as_deref());
    let requested = doc.layout.requested.clone();
    let ident = doc_id.clone();
    let build = |doc: &mut Prepared, number: Option<String>| -> Result<(Vec<u8>, usize)> {
        doc.layout.set_number(number);
        let mut paged = layout(engine, doc)?;
        if opts.with_approval {
            let form = approval_layout(engine, doc)?;
            paged = typeset::concat(vec![paged, form]);
        }
        let pages = paged.pages().len();
        Ok((typeset::pdf(&paged, &ident)?, pages))
    };
    let abs_output = output.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(output))
            .unwrap_or_else(|_| output.to_path_buf())
    });
    let record_of = |doc: &Prepared, bytes: &[u8]| {
        let mut rec = doc.layout.record.clone();
        rec.doc_id = doc_id.clone();
        rec.output = abs_output.display().to_string();
        rec.sha256 = register::sha256_hex(bytes);
        rec
    };
    let auto = match &requested {
        Some(Requested::Auto { code, year }) if !opts.draft => Some((code.clone(), *year)),
        _ => None,
    };
    let fixed = match &requested {
        Some(Requested::Fixed(n)) if n.seq.is_some() && !opts.draft => Some(n.clone()),
        _ => None,
    };
    if opts.draft {
        // GW-T-20: a draft shows “代字〔年〕 号”.
        let draft = match &requested {
            Some(Requested::Auto { code, year }) => Some(
                DocNumber {
                    code: code.clone(),
                    year: *year,
                    seq: None,
                }
                .display(),
            ),
            Some(Requested::Fixed(n)) => Some(
                DocNumber {
                    seq: None,
                    ..n.clone()
                }
                .display(),
            ),
            None => None,
        };
        let (bytes, pages) = build(&mut doc, draft.clone())?;
        typeset::write_atomic(output, &bytes)?;
        return Ok(Rendered {
            pages,
            number: draft,
            warnings: doc.warnings,
        });
    }
    // Which register slot this document takes, if any.
    let slot = match (auto, fixed) {
        (Some((code, year)), _) => {
            let reg = Register::open(&register::location(opts.register.as_deref()))?;
            match reg.find_doc(&doc_id)? {
                // A re-render keeps its number and refreshes the record.
                Some(e) if e.code != code || e.year != year => {
                    let n = e.number().display();
                    return Err(Error::other(format!(
                        "这份公文已登记为 {n}，现在要求的是 {code}〔{year}〕的新号。若要改号，先作废原号：gongwen number void {n} --reason 改号"
                    )));
                }
                Some(e) => Some((reg, Slot::Existing(e.number()))),
                None => Some((reg, Slot::Next { code, year })),
            }
        }
        (None, Some(n)) => {
            // A fixed number that the register reserved (or already gave this
            // document) is recorded; one given to another document is refused.
            let path = register::location(opts.register.as_deref());
            let reg = if path.is_file() {
                Some(Register::open(&path)?)
            } else {
                None
            };
            let entry = match &reg {
                Some(r) => r.find_number(&n)?,
                None => None,
            };
            match (reg, entry) {
                (Some(_), Some(e)) if e.status == Status::Void => {
                    return Err(Error::other(format!(
                        "{} 已作废（{}），不能再用。",
                        n.display(),
                        e.note
                    )));
                }
                (Some(_), Some(e))
                    if e.status == Status::Issued
                        && !e.doc.doc_id.is_empty()
                        && e.doc.doc_id != doc_id =>
                {
                    return Err(Error::other(format!(
                        "{} 已登记给另一份文件（{}）。请改用 seq: auto 取新号。",
                        n.display(),
                        e.doc
                            .doc_id
                            .trim_start_matches("file:")
                            .trim_start_matches("id:")
                    )));
                }
                (Some(reg), Some(_)) => Some((reg, Slot::Existing(n))),
                _ => None,
            }
        }
        _ => None,
    };
    if let Some((mut reg, slot)) = slot {
        let mut staged = None;
        let mut pages = 0;
        let number = reg.issue(slot, |n| {
            let (bytes, p) = build(&mut doc, Some(n.display()))?;
            pages = p;
            staged = Some(typeset::stage(output, &bytes)?);
            Ok(record_of(&doc, &bytes))
        })?;
        // The register row is committed; only now does the PDF appear.
        if let Some(tmp) = staged {
            typeset::commit_file(tmp, output)?;
        }
        return Ok(Rendered {
            pages,
            number: Some(number.display()),
            warnings: doc.warnings,
        });
    }
    let number = doc.layout.header.number.clone();
    let (bytes, pages) = build(&mut doc, number.clone())?;
    typeset::write_atomic(output, &bytes)?;
    Ok(Rendered {
        pages,
        number,
        warnings: doc.warnings,
    })
}

/// Prints the registered number on a document that has one (the 签批单 of
/// a numbered document); leaves drafts as they are.
pub fn fill_registered_number(doc: &mut Prepared, register: Option<&Path>) -> Result<()> {
    let Some(Requested::Auto { .. }) = &doc.layout.requested else {
        return Ok(());
    };
    let path = register::location(register);
    if !path.is_file() {
        return Ok(());
    }
    let reg = Register::open(&path)?;
    let id = doc_identity(doc, register_id_of(doc)?.as_deref());
    if let Some(e) = reg.find_doc(&id)? {
        doc.layout.set_number(Some(e.number().display()));
    }
    Ok(())
}

/// The 发文登记簿 of one year as a landscape ledger PDF (GW-T-22).
pub fn register_pdf(
    engine: &Engine,
    entries: &[register::Entry],
    year: i32,
    code: Option<&str>,
) -> Result<Vec<u8>> {
    let today = chrono::Local::now().date_naive();
    let subtitle = format!(
        "{}导出日期：{}　共 {} 条",
        code.map(|c| format!("机关代字：{c}　")).unwrap_or_default(),
        crate::model::date::Date(today).chinese(),
        entries.len()
    );
    let table = typeset::table::Table {
        title: format!("{year}年发文登记簿"),
        subtitle,
        columns: register::LEDGER_COLUMNS
            .iter()
            .map(|(l, w)| (l.to_string(), *w))
            .collect(),
        rows: register::ledger_rows(entries),
        signoff: None,
    };
    let paged = typeset::table::layout(engine, &table)?;
    typeset::pdf(&paged, &format!("register-{year}"))
}

/// The `register_id` field, read again from the source (it is not layout).
fn register_id_of(doc: &Prepared) -> Result<Option<String>> {
    let notice: Notice = doc.source.parse()?;
    Ok(notice.register_id)
}
