//! What the register stores: the state of a number, the record of the
//! document it was given to, and one row of the register.

use std::path::Path;

use serde::Serialize;

use crate::layout::Facts;
use crate::model::number::DocNumber;
use crate::output::sha256_hex;

/// State of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Given to a document (or printed by `number next`).
    Issued,
    /// Held for a document not yet rendered.
    Reserved,
    /// 作废: never reused.
    Void,
}

impl Status {
    pub(super) fn key(self) -> &'static str {
        match self {
            Status::Issued => "issued",
            Status::Reserved => "reserved",
            Status::Void => "void",
        }
    }

    pub(super) fn parse(s: &str) -> Status {
        match s {
            "reserved" => Status::Reserved,
            "void" => Status::Void,
            _ => Status::Issued,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Issued => "已用",
            Status::Reserved => "预留",
            Status::Void => "作废",
        }
    }
}

/// What the register keeps about a rendered document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocRecord {
    /// Identity of the document: its `register_id`, else the input file's
    /// absolute path (see [`super::policy::doc_identity`]).
    pub doc_id: String,
    pub title: String,
    pub kind: String,
    /// 成文日期 as printed (2019年4月15日).
    pub date: String,
    pub to: String,
    pub cc: String,
    pub copies: Option<u32>,
    /// 签发人, joined by “、”.
    pub signers: String,
    pub secrecy: String,
    pub urgency: String,
    pub drafter: String,
    /// Attachment titles, joined by “；”.
    pub attachments: String,
    pub print_date: String,
    pub disclosure: String,
    pub output: String,
    pub sha256: String,
}

/// The document columns of the `numbers` table, in the order of
/// [`DocRecord::values`] and [`DocRecord::from_row`]: the one list every
/// statement is made from.
pub(super) const DOC_COLUMNS: [&str; 16] = [
    "doc_id",
    "title",
    "kind",
    "date",
    "recipients",
    "cc",
    "copies",
    "signers",
    "secrecy",
    "urgency",
    "drafter",
    "attachments",
    "print_date",
    "disclosure",
    "output",
    "sha256",
];

impl DocRecord {
    /// The record of a document as its layout describes it; `output` and
    /// `sha256` are those of the file written.
    pub fn new(doc_id: &str, facts: &Facts, output: &Path, bytes: &[u8]) -> DocRecord {
        DocRecord {
            doc_id: doc_id.to_string(),
            title: facts.title.clone(),
            kind: facts.kind.clone(),
            date: facts.date.map(|d| d.chinese()).unwrap_or_default(),
            to: facts.to.clone(),
            cc: facts.cc.clone(),
            copies: facts.copies,
            signers: facts.signers.join("、"),
            secrecy: facts.secrecy.clone(),
            urgency: facts.urgency.clone(),
            drafter: facts.drafter.clone(),
            attachments: facts.attachments.join("；"),
            print_date: facts.print_date.map(|d| d.chinese()).unwrap_or_default(),
            disclosure: facts.disclosure.clone(),
            output: output.display().to_string(),
            sha256: sha256_hex(bytes),
        }
    }

    /// Values for [`DOC_COLUMNS`]; an empty `doc_id` is NULL (the column is
    /// unique).
    pub(super) fn values(&self) -> [&dyn rusqlite::ToSql; 16] {
        let doc_id: &dyn rusqlite::ToSql = if self.doc_id.is_empty() {
            &rusqlite::types::Null
        } else {
            &self.doc_id
        };
        [
            doc_id,
            &self.title,
            &self.kind,
            &self.date,
            &self.to,
            &self.cc,
            &self.copies,
            &self.signers,
            &self.secrecy,
            &self.urgency,
            &self.drafter,
            &self.attachments,
            &self.print_date,
            &self.disclosure,
            &self.output,
            &self.sha256,
        ]
    }

    /// Reads [`DOC_COLUMNS`] starting at column `first` of a row.
    pub(super) fn from_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<DocRecord> {
        let at = |i: usize| first + i;
        Ok(DocRecord {
            doc_id: r.get::<_, Option<String>>(at(0))?.unwrap_or_default(),
            title: r.get(at(1))?,
            kind: r.get(at(2))?,
            date: r.get(at(3))?,
            to: r.get(at(4))?,
            cc: r.get(at(5))?,
            copies: r.get(at(6))?,
            signers: r.get(at(7))?,
            secrecy: r.get(at(8))?,
            urgency: r.get(at(9))?,
            drafter: r.get(at(10))?,
            attachments: r.get(at(11))?,
            print_date: r.get(at(12))?,
            disclosure: r.get(at(13))?,
            output: r.get(at(14))?,
            sha256: r.get(at(15))?,
        })
    }
}

/// One row of the register.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub code: String,
    pub year: i32,
    pub seq: u32,
    pub status: Status,
    pub note: String,
    pub created: String,
    pub doc: DocRecord,
}

impl Entry {
    pub fn number(&self) -> DocNumber {
        DocNumber {
            code: self.code.clone(),
            year: self.year,
            seq: Some(self.seq),
        }
    }
}

/// The number a document is given.
#[derive(Debug, Clone)]
pub enum Slot {
    /// The next number of this 代字 and year.
    Next { code: String, year: i32 },
    /// A number the document already has, or one reserved for it.
    Existing(DocNumber),
}
