//! The pipeline every door goes through: a [`Notice`] (read from a file or
//! built in memory) → [`Prepared`] (validated layout data and facts) →
//! pages → PDF, with the register taking part when the document asks for a
//! number.

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{ApprovalForm, Builder, Facts, Layout};
use crate::model::number::{DocNumber, Requested};
use crate::model::Notice;
use crate::output;
use crate::register::policy::{self, Numbering};
use crate::register::DocRecord;
use crate::source::{Origin, SourceFile};
use crate::typeset::fonts::{FontOptions, FontSet};
use crate::typeset::{self, squeeze, Engine};

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
    pub origin: Origin,
    pub layout: Layout,
    /// The 签批单, when the notice has `approval`.
    pub approval: Option<ApprovalForm>,
    pub facts: Facts,
    /// The 发文字号 as printed now (no sequence: a draft).
    pub number: Option<DocNumber>,
    pub warnings: Vec<Diagnostic>,
}

impl Prepared {
    /// Sets the printed 发文字号, on the notice and on its 签批单.
    pub fn set_number(&mut self, number: Option<DocNumber>) {
        let shown = number.as_ref().map(DocNumber::display);
        if let Some(form) = &mut self.approval {
            form.number = shown.clone().unwrap_or_default();
        }
        // Without a 发文字号 (none asked for) the header keeps what the
        // builder set: a 命令's 令号 is not a register number.
        if shown.is_some() {
            self.layout.header.number = shown;
        }
        self.layout.numbered = number.as_ref().is_none_or(|n| n.seq.is_some());
        self.number = number;
    }

    /// The 发文字号 if it is final (has its sequence number).
    pub fn final_number(&self) -> Option<&DocNumber> {
        self.number.as_ref().filter(|n| n.seq.is_some())
    }

    /// The document's identity in the register.
    pub fn doc_id(&self) -> String {
        policy::doc_identity(self.facts.register_id.as_deref(), self.origin.path())
    }
}

/// Reads and validates a 公文 YAML file. Errors carry file:line:column.
pub fn prepare(engine: &Engine, input: &Path) -> Result<Prepared> {
    let source = SourceFile::read(input)?;
    let mut notice: Notice = source.parse()?;
    if let Some(office) = crate::settings::Settings::find(input)? {
        office.apply(&mut notice);
    }
    prepare_notice(engine, &notice, Origin::File(source))
}

/// Validates a notice from any door: a file, a plan for one unit, a
/// summary. `origin` places the diagnostics.
pub fn prepare_notice(engine: &Engine, notice: &Notice, origin: Origin) -> Result<Prepared> {
    let (built, diags) = Builder::new(&origin, &engine.fonts).build(notice);
    let Some(built) = built else {
        // Warnings ride along: a clerk fixing errors wants the whole list.
        return Err(Error::Input(diags));
    };
    let number = built.facts.requested.as_ref().map(|r| match r {
        Requested::Fixed(n) => n.clone(),
        // Printed as a draft until the register gives the number.
        Requested::Auto { code, year } => DocNumber {
            code: code.clone(),
            year: *year,
            seq: None,
        },
    });
    let mut layout = built.layout;
    layout.numbered = number.as_ref().is_none_or(|n| n.seq.is_some());
    Ok(Prepared {
        origin,
        layout,
        approval: built.approval,
        facts: built.facts,
        number,
        warnings: diags,
    })
}

/// Lays out a prepared document: its pages.
pub fn pages(engine: &Engine, doc: &Prepared) -> Result<PagedDocument> {
    Ok(pages_squeezed(engine, doc)?.0)
}

/// [`pages`], and the page it tightened to keep the signature with the
/// last 正文 line (GW-B-50), if any: the .docx repeats it.
pub fn pages_squeezed(
    engine: &Engine,
    doc: &Prepared,
) -> Result<(PagedDocument, Option<squeeze::Squeeze>)> {
    let dir = doc.origin.dir();
    let compile = |layout: &Layout| {
        let data = serde_json::to_vec(layout).map_err(internal)?;
        let mut paged = typeset::compile(engine, "notice.typ", data, Some(&dir))?;
        // The PDF's title is set here, not by `set document` in the
        // template: a style holding the title would be part of every
        // element's style chain, and no two plans of a batch could share a
        // laid-out paragraph in Typst's cache (issue 20).
        paged.info_mut().title = Some(layout.title.concat().into());
        Ok(paged)
    };
    let first = compile(&doc.layout)?;
    colophon_fits(doc, &first)?;
    turned_rows_fit(doc, &first)?;
    // GW-B-50: tighten the page rather than move the last line away.
    let plan = squeeze::plan(&first);
    if plan.is_empty() {
        return Ok((first, None));
    }
    let mut layout = doc.layout.clone();
    for s in plan {
        layout.squeeze = Some(s);
        let tighter = compile(&layout)?;
        if squeeze::kept(&tighter, s.page) {
            return Ok((tighter, Some(s)));
        }
    }
    Ok((first, None))
}

/// The 版记 never continues on another page (GW-E-01): one taller than the
/// 版心 — a long 主送 moved there (GW-B-12) with a long 抄送 — is refused
/// rather than printed over itself.
fn colophon_fits(doc: &Prepared, paged: &PagedDocument) -> Result<()> {
    if typeset::markers(paged, "gw-colophon-overflow").is_empty() {
        return Ok(());
    }
    let c = &doc.layout.colophon;
    let field = if c.to.len() > c.cc.len() { "to" } else { "cc" };
    Err(Error::Input(vec![doc
        .origin
        .error(
            field,
            format!(
                "版记放不下一页：主送（移到版记后 {} 行）和抄送（{} 行）加上印发机关超过了版心的高度。",
                c.to.len(),
                c.cc.len()
            ),
        )
        .hint("主送、抄送机关较多时用统称（如“各中心学校”“县直各部门”），或把名单作为附件（GW-E-01、GW-B-12）。")]))
}

/// A turned table page ends on a whole row (GW-S-31): a row (or rows joined
/// by a merged cell) taller than a turned page is refused rather than
/// printed off the page.
fn turned_rows_fit(doc: &Prepared, paged: &PagedDocument) -> Result<()> {
    let diags: Vec<_> = typeset::markers(paged, "gw-turned-overflow")
        .into_iter()
        .map(|m| {
            let field = m
                .value
                .clone()
                .cast::<typst::foundations::Dict>()
                .ok()
                .and_then(|d| {
                    let field = d
                        .get("field")
                        .ok()?
                        .clone()
                        .cast::<typst::foundations::Str>()
                        .ok()?;
                    let row = d.get("row").ok()?.clone().cast::<i64>().ok()?;
                    Some(format!("{field}.rows[{row}]"))
                })
                .unwrap_or_else(|| "body".to_string());
            doc.origin
                .error(
                    &field,
                    "这一行（连同与它合并的行）太高，横排表格的一页（156 毫米高）放不下。",
                )
                .hint("把这一格的文字写短些，拆成几行，或给这一列更大的列宽（widths）（GW-S-31）。")
        })
        .collect();
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(diags))
    }
}

/// Lays out the 签批单 of a prepared document.
pub fn approval_pages(engine: &Engine, doc: &Prepared) -> Result<PagedDocument> {
    let Some(form) = &doc.approval else {
        return Err(Error::Input(vec![doc
            .origin
            .error("approval", "这份公文没有签批单数据（approval）。")
            .hint("在文件里加上 approval 部分（签发、审核、拟稿人、公文属性等），见 samples/qianquan-2019-8.yaml。")]));
    };
    let data = serde_json::to_vec(form).map_err(internal)?;
    typeset::compile(engine, "approval.typ", data, None)
}

fn internal(e: serde_json::Error) -> Error {
    Error::other(format!("内部错误：{e}"))
}

/// The file formats a laid-out document is written in, chosen by the
/// output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Pdf,
    /// OFD (GB/T 33190-2016), see [`typeset::ofd`].
    Ofd,
    /// An editable Word file written from the layout, see [`crate::docx`].
    Docx,
}

impl Format {
    /// `.ofd` (any case) is OFD, `.docx` DOCX; everything else PDF.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("ofd") => Format::Ofd,
            Some(e) if e.eq_ignore_ascii_case("docx") => Format::Docx,
            _ => Format::Pdf,
        }
    }

    /// `--format pdf|ofd|docx`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "ofd" => Some(Format::Ofd),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Ofd => "ofd",
            Format::Docx => "docx",
        }
    }
}

/// What the OFD package says about a 公文 (DocInfo) and where its parts are
/// (the 公文 structure marks, in the order GB/T 9704-2012 §7 places them).
pub fn ofd_info(doc: &Prepared, ident: &str) -> typeset::ofd::OfdInfo {
    use crate::layout::{BlockOut, PageFormat};
    use typeset::ofd::{Mark, MarkFind, OfdInfo};
    let l = &doc.layout;
    let f = &doc.facts;
    let number = l.header.number.clone().unwrap_or_default();
    fn blocks(out: &mut String, body: &[BlockOut]) {
        for b in body {
            match b {
                BlockOut::Par { lines, .. } => {
                    for line in lines {
                        out.extend(line.iter().map(|s| s.text.as_str()));
                    }
                }
                BlockOut::Table {
                    title,
                    header,
                    rows,
                    ..
                } => {
                    out.extend(title.iter().map(String::as_str));
                    for r in header.iter().chain(rows) {
                        out.extend(r.iter().map(|c| c.text.as_str()));
                    }
                }
                BlockOut::Chart { title, bars, .. } => {
                    out.extend(title.iter().map(String::as_str));
                    out.extend(bars.iter().map(|b| b.label.as_str()));
                }
            }
        }
    }
    let mut marks = Vec::new();
    let mut text = |name: &str, t: String, value: Option<String>| {
        if !t.trim().is_empty() {
            marks.push(Mark {
                name: name.to_string(),
                find: MarkFind::Text(t),
                value,
            });
        }
    };
    let h = &l.header;
    text("份号", h.copy_number.clone().unwrap_or_default(), None);
    text(
        "密级和保密期限",
        h.secrecy.clone().unwrap_or_default(),
        None,
    );
    text("紧急程度", h.urgency.clone().unwrap_or_default(), None);
    let mut issuer = h.issuer_names.concat();
    issuer.extend(h.issuer_suffix.iter().map(String::as_str));
    text("发文机关标志", issuer, None);
    text("发文字号", number.clone(), Some(number.clone()));
    text("签发人", h.signers.concat(), None);
    if l.format != PageFormat::Order {
        text("标题", l.title.concat(), Some(f.title.clone()));
    }
    let to: String =
        l.to.iter()
            .flat_map(|line| line.iter().map(|s| s.text.as_str()))
            .collect();
    text("主送机关", to, None);
    let mut body = String::new();
    blocks(&mut body, &l.body);
    text("正文", body, None);
    text("附件说明", l.attachment_note.concat(), None);
    if let Some(s) = &l.signature {
        let mut names = s.office.clone().unwrap_or_default();
        names.push_str(&s.names.concat());
        text("发文机关署名", names, None);
        let seal = !s.seals.is_empty();
        text("成文日期", s.date.clone(), Some(s.date.clone()));
        if seal {
            // The seal covers the 署名 and the date: images near the date.
            marks.push(Mark {
                name: "印章".into(),
                find: MarkFind::Seal,
                value: None,
            });
        }
    }
    let mut text = |name: &str, t: String, value: Option<String>| {
        if !t.trim().is_empty() {
            marks.push(Mark {
                name: name.to_string(),
                find: MarkFind::Text(t),
                value,
            });
        }
    };
    text("附注", l.note.clone().unwrap_or_default(), None);
    if let Some(e) = &l.enclosure {
        let mut t = e.title.concat();
        blocks(&mut t, &e.body);
        text("正文", t, None);
    }
    for a in &l.attachments {
        let mut t = a.label.clone().unwrap_or_default();
        t.push_str(&a.title.concat());
        blocks(&mut t, &a.body);
        text("附件", t, None);
    }
    let c = &l.colophon;
    text("主送机关", c.to.concat(), None);
    text("抄送机关", c.cc.concat(), None);
    let mut printer = c.printer.clone().unwrap_or_default();
    printer.push_str(c.print_date.as_deref().unwrap_or(""));
    text("印发机关和印发日期", printer, None);
    let date = f.date.or(f.print_date).map(|d| d.0);
    OfdInfo {
        ident: ident.to_string(),
        title: f.title.clone(),
        author: f.author.clone(),
        subject: f.kind.clone(),
        keywords: [number.clone(), f.kind.clone()]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect(),
        date,
        custom: vec![
            ("文种".into(), f.kind.clone()),
            ("发文字号".into(), number),
            ("发文机关".into(), f.author.clone()),
            (
                "成文日期".into(),
                f.date.map(|d| d.chinese()).unwrap_or_default(),
            ),
            ("密级".into(), f.secrecy.clone()),
            ("紧急程度".into(), f.urgency.clone()),
        ],
        marks,
    }
}

/// Writes laid-out pages in `format`: a PDF, or an OFD package that says
/// what `info` says (a document that is no 公文 — a 台账, a 签批单 — gives
/// `None` and gets its title only).
pub fn export(
    paged: &PagedDocument,
    ident: &str,
    format: Format,
    info: Option<typeset::ofd::OfdInfo>,
    title: &str,
) -> Result<Vec<u8>> {
    match format {
        Format::Pdf => typeset::pdf(paged, ident),
        Format::Ofd => {
            let info = info.unwrap_or_else(|| typeset::ofd::OfdInfo {
                ident: ident.to_string(),
                title: title.to_string(),
                ..Default::default()
            });
            typeset::ofd::ofd(paged, &info)
        }
        // A Word file is written from a 公文's layout ([`write_doc`]), not
        // from pages: a 签批单 or a 台账 is a form whose boxes and columns
        // a word processor would lay out again its own way.
        Format::Docx => Err(Error::other(
            "这份输出不能写成 .docx：Word 文件只写公文本身（render、batch、summary 都可以输出 .docx）。签批单和台账是排好格子的表格，交给 Word/WPS 重新排版会走样，所以只出版式文件：请改用 --format pdf 或 --format ofd；要改内容，请改它的数据文件后重新生成。",
        )),
    }
}

/// Lays out a prepared 公文 and writes it in `format`: a PDF, an OFD
/// package or an editable .docx (with the page gongwen tightened, GW-B-50);
/// returns the bytes and gongwen's page count. What `batch` and `summary`
/// write for the 公文 they build in memory.
pub fn write_doc(
    engine: &Engine,
    doc: &Prepared,
    ident: &str,
    format: Format,
) -> Result<(Vec<u8>, usize)> {
    let (paged, squeezed) = pages_squeezed(engine, doc)?;
    let bytes = match format {
        Format::Docx => docx(engine, doc, &paged, squeezed)?,
        _ => {
            let info = (format == Format::Ofd).then(|| ofd_info(doc, ident));
            export(&paged, ident, format, info, &doc.facts.title)?
        }
    };
    Ok((bytes, paged.pages().len()))
}

/// Writes a prepared 公文 as an editable Word file (see [`crate::docx`]);
/// `paged` is gongwen's own layout of it, which says where the 版记 goes.
/// `squeeze`: the page [`pages_squeezed`] tightened.
pub fn docx(
    engine: &Engine,
    doc: &Prepared,
    paged: &PagedDocument,
    squeeze: Option<squeeze::Squeeze>,
) -> Result<Vec<u8>> {
    let dir = doc.origin.dir();
    crate::docx::docx(&crate::docx::Source {
        squeeze: squeeze.map(|s| crate::docx::Squeezed::of(&doc.layout, paged, s)),
        layout: &doc.layout,
        facts: &doc.facts,
        fonts: &engine.fonts,
        dir: &dir,
        colophon: crate::docx::ColophonPage::of(paged),
    })
}

/// How `render` treats the 发文字号 and what it emits.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// 草稿: print “千街发〔2019〕 号” and leave the register alone (GW-T-20).
    pub draft: bool,
    /// `--register PATH`; see [`crate::register::location`].
    pub register: Option<PathBuf>,
    /// Append the 公文签批单 after the 正本 (GW-K-05).
    pub with_approval: bool,
    /// Mark every page “草稿预览” in the 天头 (`watch`): a preview must
    /// never pass for the final document.
    pub preview: bool,
}

/// What a render did.
#[derive(Debug)]
pub struct Rendered {
    pub pages: usize,
    /// The 发文字号 printed, if any.
    pub number: Option<String>,
    pub warnings: Vec<Diagnostic>,
    /// The register file, when this render created it (first use).
    pub created_register: Option<PathBuf>,
}

/// Renders `input` to `output` (atomically), taking a number from the
/// register when the document asks for `seq: auto`.
pub fn render_file(
    engine: &Engine,
    input: &Path,
    output: &Path,
    opts: &RenderOptions,
) -> Result<Rendered> {
    let doc = prepare(engine, input)?;
    render_prepared(engine, doc, output, opts)
}

/// Renders a prepared document to `output`; see [`render_file`].
pub fn render_prepared(
    engine: &Engine,
    mut doc: Prepared,
    output: &Path,
    opts: &RenderOptions,
) -> Result<Rendered> {
    let doc_id = doc.doc_id();
    doc.layout.preview = opts.preview;
    if Format::of(output) == Format::Docx
        && output.is_file()
        && !crate::docx::written_by_gongwen(output)
    {
        // A clerk's own Word draft is never overwritten by a render.
        return Err(Error::other(format!(
            "{} 已存在，而且不是 gongwen 生成的 Word 文件（可能是您的草稿），没有覆盖它。请换一个输出文件名，或先把它移走。",
            output.display()
        )));
    }
    let build = |doc: &mut Prepared, number: Option<DocNumber>| -> Result<(Vec<u8>, usize)> {
        doc.set_number(number);
        let format = Format::of(output);
        if !opts.with_approval {
            return write_doc(engine, doc, &doc_id, format);
        }
        if format == Format::Docx {
            return Err(Error::other(
                "签批单不能写进 .docx：请去掉 --with-approval，或输出 .pdf。",
            ));
        }
        let paged = typeset::concat(vec![pages(engine, doc)?, approval_pages(engine, doc)?]);
        let info = (format == Format::Ofd).then(|| ofd_info(doc, &doc_id));
        let bytes = export(&paged, &doc_id, format, info, &doc.facts.title)?;
        Ok((bytes, paged.pages().len()))
    };
    let numbering = policy::numbering(
        doc.facts.requested.as_ref(),
        opts.draft,
        opts.register.as_deref(),
        &doc_id,
    )?;
    match numbering {
        Numbering::Print(number) => {
            let (bytes, count) = build(&mut doc, number)?;
            output::write_atomic(output, &bytes)?;
            Ok(Rendered {
                pages: count,
                number: doc.number.as_ref().map(DocNumber::display),
                warnings: doc.warnings,
                created_register: None,
            })
        }
        Numbering::Register {
            mut register,
            slot,
            created,
        } => {
            let abs_output = output.canonicalize().unwrap_or_else(|_| {
                std::env::current_dir()
                    .map(|d| d.join(output))
                    .unwrap_or_else(|_| output.to_path_buf())
            });
            let mut staged = None;
            let mut count = 0;
            let number = register.issue(slot, &doc_id, |n| {
                let (bytes, c) = build(&mut doc, Some(n.clone()))?;
                count = c;
                staged = Some(output::stage(output, &bytes)?);
                Ok(DocRecord::new(&doc_id, &doc.facts, &abs_output, &bytes))
            })?;
            // The register row is committed; only now does the PDF appear.
            if let Some(tmp) = staged {
                output::commit_file(tmp, output)?;
            }
            Ok(Rendered {
                pages: count,
                number: Some(number.display()),
                warnings: doc.warnings,
                created_register: created,
            })
        }
    }
}

/// Prints the registered number on a `seq: auto` document that has one
/// (its 签批单, its archive copy); leaves drafts as they are.
pub fn fill_registered_number(doc: &mut Prepared, register: Option<&Path>) -> Result<()> {
    let found = policy::registered_number(doc.facts.requested.as_ref(), register, &doc.doc_id())?;
    if let Some(n) = found {
        doc.set_number(Some(n));
    }
    Ok(())
}
