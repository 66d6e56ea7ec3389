//! The contract between Rust and the Typst templates.
//!
//! A [`Builder`] turns a validated [`Notice`](crate::model::Notice) into a
//! [`Layout`]: lines already composed on the 28-character grid, titles
//! already broken, every string normalised and checked for drawable glyphs.
//! The layout is serialised to JSON and handed to `templates/notice.typ` as
//! `/data.json`; [`ApprovalForm`] goes to `templates/approval.typ` the same
//! way, and `templates/table.typ` gets the long-table data of
//! [`typeset::table`](crate::typeset::table).
//!
//! The rules of the contract:
//! - every field a template reads is a field of a type in this module (or of
//!   [`PageGeometry`], the page every template
//!   is given as `page`); renaming a field here means editing the template;
//! - strings are user text and are placed as text, never evaluated;
//! - values with a fixed set of choices are enums, serialised in lower case
//!   (`format: "letter"`, `red: "cmyk"`);
//! - lengths carry their unit in the name (`_mm`, `_pt`); 字 and 行 are
//!   multiples of `metrics.pitch_pt` and `page.line_mm`.
//!
//! What the register and the archive need to know about a document travels
//! beside the layout, as typed [`Facts`], never read back from printed text.

mod approval;
mod body;
mod build;
mod closing;
mod header;
mod lint;

use serde::Serialize;

pub use build::{Builder, MAX_ATTACHMENTS, MAX_CHARS};
pub use closing::{seal_size_fault, MAX_SEAL_PIXELS};

use crate::compose::grid::Span;
use crate::geometry::PageGeometry;
use crate::model::date::Date;
use crate::model::number::Requested;
use crate::typeset::fonts::RoleFonts;

/// What the builder makes of one notice.
#[derive(Debug, Clone)]
pub struct Built {
    pub layout: Layout,
    /// The 签批单, when the notice has `approval`.
    pub approval: Option<ApprovalForm>,
    pub facts: Facts,
}

/// The data `templates/notice.typ` reads.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub fonts: RoleFonts,
    pub page: PageGeometry,
    pub metrics: Metrics,
    pub red: Red,
    /// Mirrored margins on even pages (GW-P-04).
    pub mirror: bool,
    pub red_rule_mm: f64,
    pub format: PageFormat,
    pub header: Header,
    /// 标题 lines, already broken (GW-B-01..05).
    pub title: Vec<String>,
    /// 主送 lines.
    pub to: Vec<Vec<Span>>,
    pub body: Vec<BlockOut>,
    pub attachment_note: Vec<String>,
    pub signature: Option<Signature>,
    pub note: Option<String>,
    pub enclosure: Option<Part>,
    pub attachments: Vec<Part>,
    pub colophon: Colophon,
    /// 归档章 on page 1 (set when the document is archived).
    pub stamp: Option<Stamp>,
    /// A preview (`watch`): every page is marked 草稿 in the 天头, outside
    /// the 版心.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
    /// The 发文字号 printed is final (or none is asked for), so a preview
    /// does not say 未取号 (set by `render::Prepared`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numbered: bool,
    /// GW-B-50: paragraphs starting on this page are set tighter (set by
    /// the typesetting step after a first layout, see `typeset::squeeze`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub squeeze: Option<crate::typeset::squeeze::Squeeze>,
}

impl Layout {
    /// Every piece of user text the pages must show, with its field path:
    /// what [`Inspection::lost`](crate::typeset::inspect::Inspection::lost)
    /// checks a laid-out document against.
    pub fn texts(&self) -> Vec<(String, String)> {
        fn line(l: &[Span]) -> String {
            l.iter().map(|s| s.text.as_str()).collect()
        }
        fn blocks(out: &mut Vec<(String, String)>, field: &str, body: &[BlockOut]) {
            for (i, b) in body.iter().enumerate() {
                let f = format!("{field}[{i}]");
                match b {
                    BlockOut::Par { lines, .. } => {
                        out.push((f, lines.iter().map(|l| line(l)).collect()))
                    }
                    BlockOut::Table {
                        title,
                        header,
                        rows,
                        ..
                    } => {
                        let text = |r: &Vec<CellOut>| r.iter().map(|c| c.text.as_str()).collect();
                        out.extend(title.iter().map(|t| (f.clone(), t.clone())));
                        out.extend(header.iter().map(|r| (f.clone(), text(r))));
                        out.extend(rows.iter().map(|r| (f.clone(), text(r))));
                    }
                    BlockOut::Chart { title, bars, .. } => {
                        out.extend(title.iter().map(|t| (f.clone(), t.clone())));
                        out.extend(bars.iter().map(|b| (f.clone(), b.label.clone())));
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut push = |f: &str, t: &Option<String>| {
            if let Some(t) = t {
                out.push((f.to_string(), t.clone()));
            }
        };
        let h = &self.header;
        push("copy_number", &h.copy_number);
        push("secrecy", &h.secrecy);
        push("urgency", &h.urgency);
        push("number", &h.number);
        push("note", &self.note);
        push("printer", &self.colophon.printer);
        push("print_date", &self.colophon.print_date);
        push("copies", &self.colophon.copies);
        out.push(("issuer".into(), h.issuer_names.concat()));
        out.push(("signers".into(), h.signers.concat()));
        if self.format != PageFormat::Order {
            out.push(("title".into(), self.title.concat()));
        }
        out.push(("to".into(), self.to.iter().map(|l| line(l)).collect()));
        out.push(("cc".into(), self.colophon.cc.concat()));
        out.push(("attachment_note".into(), self.attachment_note.concat()));
        if let Some(s) = &self.signature {
            out.extend(
                s.office
                    .iter()
                    .map(|o| ("signature".to_string(), o.clone())),
            );
            out.push(("signature".into(), s.names.concat()));
            out.push(("date".into(), s.date.clone()));
        }
        blocks(&mut out, "body", &self.body);
        if let Some(e) = &self.enclosure {
            out.push(("enclosure.title".into(), e.title.concat()));
            blocks(&mut out, "enclosure.body", &e.body);
        }
        for (i, a) in self.attachments.iter().enumerate() {
            out.push((format!("attachments[{i}].title"), a.title.concat()));
            blocks(&mut out, &format!("attachments[{i}].body"), &a.body);
        }
        out.retain(|(_, t)| !t.trim().is_empty());
        out
    }
}

/// How red is given (GW-C-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Red {
    /// CMYK Y80% M80%, for print.
    Cmyk,
    /// sRGB (255, 0, 0): screens, and PDF/A without a CMYK output intent.
    Rgb,
}

/// 版式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageFormat {
    /// 文件格式 (通用).
    File,
    /// 信函格式 (GW-S-01..05).
    Letter,
    /// A stand-alone 方案 or 清单 (GW-S-40): no 版头, no red, no 版记.
    Plan,
    /// 命令（令）格式 (GW-S-10..13): 标志 “…令”, 令号, no red rule, no 标题;
    /// 职务 with 签名章 and date (GW-B-49).
    Order,
}

/// Values of the 归档章 (GW-A-10); 页数 is computed by the layout.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    /// 全宗号
    pub fonds: String,
    pub year: i32,
    /// 件号, four digits.
    pub item: String,
    /// 机构（问题）, may be empty.
    pub dept: String,
    /// 保管期限: 永久 / 30年 / 10年.
    pub retention: String,
    /// Pages of the same 件 printed after the document (its 签批单,
    /// GW-K-05), counted in 页数.
    pub extra_pages: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// 1 字 (GW-U-01).
    pub pitch_pt: f64,
    pub tracking_pt: f64,
    /// Height of the 页码 dash's centre above the baseline, in em of the
    /// 宋体 face (GW-N-02 measures the dash, not the em box).
    pub dash_centre_em: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Header {
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    pub issuer_names: Vec<String>,
    pub issuer_suffix: Option<String>,
    pub issuer_size_pt: f64,
    /// The 发文字号 as printed (a draft shows “代字〔年〕 号”).
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub upward: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockOut {
    /// `heading`: a standalone heading line, kept with what follows.
    /// `hang`: indent of the lines after the first, in 字 (纪要 attendance).
    /// `blank_before`: one empty line above (GW-S-21).
    Par {
        indent: bool,
        heading: bool,
        hang: f64,
        blank_before: bool,
        lines: Vec<Vec<Span>>,
    },
    /// A table: header rows (repeated on every page) and rows of cells,
    /// merged cells placed as in the data; `columns` columns of relative
    /// `widths`. A turned table (GW-S-30/31) is split into turned pages by
    /// the template, which measures each group of rows (`groups`: rows
    /// joined by a merged cell, `[start, end)`, never split) and fills a
    /// page while the next group fits.
    Table {
        /// The field path, for the template's overflow marker.
        field: String,
        title: Option<String>,
        header: Vec<Vec<CellOut>>,
        rows: Vec<Vec<CellOut>>,
        columns: usize,
        widths: Vec<f64>,
        landscape: bool,
        groups: Vec<(usize, usize)>,
    },
    Chart {
        title: Option<String>,
        bars: Vec<ChartBar>,
        unit: String,
    },
}

/// A table cell as printed: its text (“\n” starts a new line in the cell)
/// and how many rows and columns it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellOut {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(skip_serializing_if = "is_one")]
    pub rowspan: usize,
    #[serde(skip_serializing_if = "is_one")]
    pub colspan: usize,
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartBar {
    pub label: String,
    pub value: f64,
    /// Bar length as a share of the full width (0–1).
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// 签发人职务 of a 命令（令） (GW-B-49), printed left of the 签名章.
    pub office: Option<String>,
    pub names: Vec<String>,
    pub date: String,
    pub seals: Vec<SealOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SealOut {
    /// Virtual path under `/input`; `None`: stamped by hand after printing
    /// (盖实物章), the layout leaves the seal's place.
    pub path: Option<String>,
    pub size_mm: f64,
}

/// An attachment, or the document printed with an 印发 notice.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub label: Option<String>,
    pub title: Vec<String>,
    pub body: Vec<BlockOut>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Colophon {
    /// 主送 lines for the 版记, used when it has to move there (GW-B-12).
    pub to: Vec<String>,
    /// 抄送 lines, broken between names and aligned after “抄送：”.
    pub cc: Vec<String>,
    pub printer: Option<String>,
    pub print_date: Option<String>,
    pub copies: Option<String>,
}

/// The data `templates/approval.typ` reads (GW-K-03); empty cells stay empty.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalForm {
    pub fonts: RoleFonts,
    pub title: String,
    pub sign: Opinion,
    pub countersign: Vec<Opinion>,
    pub reviews: Vec<Opinion>,
    pub joint_opinion: String,
    pub drafting_unit: String,
    pub checker: String,
    pub drafter: String,
    pub copies: String,
    pub doc_title: String,
    /// The 发文字号, filled in once the register gave it.
    pub number: String,
    pub secrecy: String,
    pub urgency: String,
    pub disclosure: String,
    pub reason: String,
}

/// One signed opinion cell of the 签批单.
#[derive(Debug, Clone, Serialize)]
pub struct Opinion {
    pub label: String,
    pub text: String,
    pub name: String,
    pub date: String,
}

/// What a document says about itself, typed: for the 发文登记簿, the
/// archive's catalogue and the numbering policy.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub title: String,
    /// 文种 (“令” is given as 命令).
    pub kind: String,
    /// 成文日期.
    pub date: Option<Date>,
    /// 主送 and 抄送 as written.
    pub to: String,
    pub cc: String,
    pub copies: Option<u32>,
    pub signers: Vec<String>,
    pub secrecy: String,
    pub urgency: String,
    pub drafter: String,
    pub attachments: Vec<String>,
    pub print_date: Option<Date>,
    /// 公开属性 from the 签批单.
    pub disclosure: String,
    /// 责任者: the 署名, else the issuing organs.
    pub author: String,
    /// The 发文字号 as asked for (`seq: auto` is filled in by the register).
    pub requested: Option<Requested>,
    /// The document's own name in the register (`register_id`).
    pub register_id: Option<String>,
}
