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
