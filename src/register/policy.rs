//! The numbering policy: which 发文字号 a document is printed with, and
//! whether the register takes part (GW-T-20..22). Every rule about numbers
//! that rendering follows is here; the database itself is [`Register`].

use std::path::Path;

use super::{location, Register, Slot, Status};
use crate::error::Error;
use crate::model::number::{DocNumber, Requested};

/// The document's identity in the register: `register_id`, else the input
/// file's absolute path.
pub fn doc_identity(register_id: Option<&str>, input: &Path) -> String {
    match register_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => {
            let abs = input.canonicalize().unwrap_or_else(|_| input.to_path_buf());
            format!("file:{}", abs.display())
        }
    }
}

/// What rendering does about the number.
pub enum Numbering {
    /// Print this number (or none); the register is not touched.
    Print(Option<DocNumber>),
    /// Take or keep a number in the register: the document is rendered
    /// inside the register's transaction (see [`Register::issue`]).
    Register {
        register: Register,
        slot: Slot,
        /// The register file, when this run created it (first use).
        created: Option<std::path::PathBuf>,
    },
}

/// Decides the number of a document being rendered.
///
/// - a draft shows “代字〔年〕 号” and leaves the register alone;
/// - `seq: auto` takes the next number, or keeps the one this document was
///   given before; asking for another 代字 or year is refused (void first);
/// - a fixed number that the register holds (reserved, or given to this
///   document) is recorded; one that is void or given to another document is
///   refused; any other fixed number is printed as written.
pub fn numbering(
    requested: Option<&Requested>,
    draft: bool,
    register: Option<&Path>,
    doc_id: &str,
) -> Result<Numbering, Error> {
    if draft {
        let shown = requested.map(|r| match r {
            Requested::Auto { code, year } => DocNumber {
                code: code.clone(),
                year: *year,
                seq: None,
            },
            Requested::Fixed(n) => DocNumber {
                seq: None,
                ..n.clone()
            },
        });
        return Ok(Numbering::Print(shown));
    }
    match requested {
        None => Ok(Numbering::Print(None)),
        Some(Requested::Auto { code, year }) => {
            let path = location(register);
            let (reg, created) = Register::open_or_create(&path)?;
            let slot = match reg.find_doc(doc_id)? {
                Some(e) if e.code != *code || e.year != *year => {
                    let n = e.number().display();
                    return Err(Error::other(format!(
                        "这份公文已登记为 {n}，现在要求的是 {code}〔{year}〕的新号。若要改号，先作废原号：gongwen number void {n} --reason 改号"
                    )));
                }
                Some(e) => Slot::Existing(e.number()),
                None => Slot::Next {
                    code: code.clone(),
                    year: *year,
                },
            };
            Ok(Numbering::Register {
                register: reg,
                slot,
                created: created.then_some(path),
            })
        }
        Some(Requested::Fixed(n)) if n.seq.is_none() => Ok(Numbering::Print(Some(n.clone()))),
        Some(Requested::Fixed(n)) => {
            let path = location(register);
            if !path.is_file() {
                return Ok(Numbering::Print(Some(n.clone())));
            }
            let reg = Register::open_read_only(&path)?;
            match reg.find_number(n)? {
                Some(e) if e.status == Status::Void => Err(Error::other(format!(
                    "{} 已作废（{}），不能再用。",
                    n.display(),
                    e.note
                ))),
                Some(e)
                    if e.status == Status::Issued
                        && !e.doc.doc_id.is_empty()
                        && e.doc.doc_id != doc_id =>
                {
                    Err(Error::other(format!(
                        "{} 已登记给另一份文件（{}）。请改用 seq: auto 取新号。",
                        n.display(),
                        e.doc
                            .doc_id
                            .trim_start_matches("file:")
                            .trim_start_matches("id:")
                    )))
                }
                Some(_) => Ok(Numbering::Register {
                    register: Register::open(&path)?,
                    slot: Slot::Existing(n.clone()),
                    created: None,
                }),
                None => Ok(Numbering::Print(Some(n.clone()))),
            }
        }
    }
}

/// The number the register gave a `seq: auto` document, if it has one (to
/// print it on the 签批单 or the archive copy); `None` for other documents
/// and when no register exists.
pub fn registered_number(
    requested: Option<&Requested>,
    register: Option<&Path>,
    doc_id: &str,
) -> Result<Option<DocNumber>, Error> {
    let Some(Requested::Auto { .. }) = requested else {
        return Ok(None);
    };
    let path = location(register);
    if !path.is_file() {
        return Ok(None);
    }
    let reg = Register::open_read_only(&path)?;
    Ok(reg.find_doc(doc_id)?.map(|e| e.number()))
}

/// A document of an archive run, as [`place_items`] sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The file, for messages.
    pub file: std::path::PathBuf,
    pub doc_id: String,
    /// SHA-256 of the source YAML (see `register/archived.rs`).
    pub source_sha256: String,
    /// 发文字号, empty if none.
    pub number: String,
}

/// Where an archive run puts a document.
#[derive(Debug, Clone)]
pub enum Placement {
    /// Archived before with this very content: the same 件号.
    Known(super::ArchivedItem),
    /// Not archived before: the next 件号 of its sequence. `earlier` is an
    /// item archived from the same file (or with the same 发文字号) whose
    /// content was different: a changed document is a new 件, and the old
    /// 档号 stays with the old content.
    New {
        item: u32,
        earlier: Option<super::ArchivedItem>,
    },
}

impl Placement {
    pub fn item(&self) -> u32 {
        match self {
            Placement::Known(it) => it.item,
            Placement::New { item, .. } => *item,
        }
    }
}

/// The highest 件号.
pub const MAX_ITEM: u32 = 9999;

/// Gives each document of an archive run (in the run's order) its 件号 in
/// `series` (GW-A-02), from the items the register holds for the 全宗:
///
/// - a document archived before keeps its 件号 (the same source content:
///   a re-run gives the same 档号);
/// - content archived in another 年度/保管期限/机构 is refused: one document
///   never has two 档号;
/// - every other document takes the next 件号 after the largest of its
///   sequence, in run order; the first of a sequence is `start` (default 1:
///   an office moving from paper gives the number after its last paper 件);
///   a `start` that would leave a gap after existing items is refused;
/// - two files of one run with the same content are refused.
pub fn place_items(
    existing: &[super::ArchivedItem],
    series: &super::Series,
    start: Option<u32>,
    docs: &[Candidate],
    code_of: impl Fn(u32) -> String,
) -> Result<Vec<Placement>, Error> {
    let in_series: Vec<&super::ArchivedItem> =
        existing.iter().filter(|e| e.series() == *series).collect();
    let last = in_series.iter().map(|e| e.item).max().unwrap_or(0);
    let mut next = match (start, last) {
        (Some(s), 0) => s,
        (Some(s), l) if s > l + 1 => {
            return Err(Error::other(format!(
                "--start {s} 用不上：登记簿里这个年度和保管期限已有件号 {:04}–{l:04}（{} 至 {}），新的文件接着从 {:04} 编号；写 --start {s} 会在中间留下空号。去掉 --start 再运行。",
                in_series.iter().map(|e| e.item).min().unwrap_or(1),
                code_of(in_series.iter().map(|e| e.item).min().unwrap_or(1)),
                code_of(l),
                l + 1
            )))
        }
        _ => last + 1,
    };
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(j) = docs[..i]
            .iter()
            .position(|o| o.source_sha256 == d.source_sha256)
        {
            return Err(Error::other(format!(
                "{} 和 {} 的内容完全相同，是同一份公文，只能归档一次。请去掉其中一个文件再运行。",
                docs[j].file.display(),
                d.file.display()
            )));
        }
        if let Some(e) = existing.iter().find(|e| e.source_sha256 == d.source_sha256) {
            if e.series() != *series {
                return Err(Error::other(format!(
                    "{} 已经归档为 {}（{} 年度，保管期限 {}{}），同一份公文不能再有第二个档号。请把它从这次归档的文件中去掉，或按原来的年度和保管期限归档。",
                    d.file.display(),
                    e.code,
                    e.year,
                    e.retention,
                    if e.dept.is_empty() {
                        String::new()
                    } else {
                        format!("，机构 {}", e.dept)
                    }
                )));
            }
            out.push(Placement::Known(e.clone()));
            continue;
        }
        let earlier = existing
            .iter()
            .filter(|e| e.doc_id == d.doc_id || (!d.number.is_empty() && e.number == d.number))
            .max_by(|a, b| a.archived.cmp(&b.archived).then(a.item.cmp(&b.item)))
            .cloned();
        if next > MAX_ITEM {
            return Err(Error::other(format!(
                "件号已经用到 {MAX_ITEM}，这个年度和保管期限放不下更多的件（档号的件号只有 4 位）。"
            )));
        }
        out.push(Placement::New {
            item: next,
            earlier,
        });
        next += 1;
    }
    Ok(out)
}
