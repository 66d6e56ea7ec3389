//! Archive items in the register (schema version 2): every document an
//! archive run gave a 档号, so the 件号 of a 年度/保管期限/机构 sequence
//! continue from one run to the next and a document keeps its 档号.
//!
//! A document is recognised by the SHA-256 of its source YAML (the text
//! gongwen read, without a byte-order mark, line ends as LF): it does not
//! change when fonds, fonts, templates or gongwen itself change, while the
//! PDF's bytes do (and the PDF carries the 件号, so it cannot name the
//! document before the 件号 is known). The archived PDF's SHA-256 is kept
//! beside it, to tell when a re-run no longer gives the same file. Which 件号
//! a document gets is decided in [`super::policy::place_items`].

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::fault::{db_error, write_error};
use super::Register;
use crate::error::Error;

/// The sequence an archive item is numbered in (GW-A-02): 全宗, 年度,
/// 保管期限 (code Y/D30/D10) and 机构（问题） (empty when not used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub fonds: String,
    pub year: i32,
    pub retention: String,
    pub dept: String,
}

/// One archived 件 as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArchivedItem {
    pub fonds: String,
    pub year: i32,
    pub retention: String,
    pub dept: String,
    /// 件号.
    pub item: u32,
    /// 档号.
    pub code: String,
    /// The document's identity (see [`super::policy::doc_identity`]).
    pub doc_id: String,
    /// SHA-256 of the source YAML: what recognises the document.
    pub source_sha256: String,
    /// SHA-256 of the archived PDF, as first archived.
    pub pdf_sha256: String,
    /// 发文字号 (empty if none).
    pub number: String,
    pub title: String,
    /// 成文日期, YYYYMMDD.
    pub doc_date: String,
    pub pages: u32,
    /// When it was first archived (local time).
    pub archived: String,
    /// 档号 of an earlier version of the same document (same identity or
    /// 发文字号, other content), if any.
    pub earlier: String,
}

impl ArchivedItem {
    pub fn series(&self) -> Series {
        Series {
            fonds: self.fonds.clone(),
            year: self.year,
            retention: self.retention.clone(),
            dept: self.dept.clone(),
        }
    }

    /// The file the document was archived from, as the identity names it.
    pub fn source_label(&self) -> &str {
        self.doc_id
            .trim_start_matches("file:")
            .trim_start_matches("id:")
    }
}

const COLUMNS: &str = "fonds, year, retention, dept, item, code, doc_id, source_sha256, \
     pdf_sha256, number, title, doc_date, pages, archived, earlier";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<ArchivedItem> {
    Ok(ArchivedItem {
        fonds: r.get(0)?,
        year: r.get(1)?,
        retention: r.get(2)?,
        dept: r.get(3)?,
        item: r.get(4)?,
        code: r.get(5)?,
        doc_id: r.get(6)?,
        source_sha256: r.get(7)?,
        pdf_sha256: r.get(8)?,
        number: r.get(9)?,
        title: r.get(10)?,
        doc_date: r.get(11)?,
        pages: r.get(12)?,
        archived: r.get(13)?,
        earlier: r.get(14)?,
    })
}

/// What a run's plan was made from: the number of items of the 全宗 and
/// the last one's row id. Rows are only ever added, so the same snapshot
/// means the same items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    count: i64,
    last: i64,
}

fn snapshot(c: &rusqlite::Connection, fonds: &str) -> rusqlite::Result<Snapshot> {
    c.query_row(
        "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM archived WHERE fonds = ?1",
        params![fonds],
        |r| {
            Ok(Snapshot {
                count: r.get(0)?,
                last: r.get(1)?,
            })
        },
    )
}

impl Register {
    /// The items archived in a 全宗, in 档号 order, and the snapshot they
    /// were read at.
    pub fn archived(&self, fonds: &str) -> Result<(Vec<ArchivedItem>, Snapshot), Error> {
        let fail = |e| db_error(&self.path, e);
        let tx = self.conn.unchecked_transaction().map_err(fail)?;
        let snap = snapshot(&tx, fonds).map_err(fail)?;
        let mut stmt = tx
            .prepare(&format!(
                "SELECT {COLUMNS} FROM archived WHERE fonds = ?1 ORDER BY year, retention, dept, item"
            ))
            .map_err(fail)?;
        let items = stmt
            .query_map(params![fonds], from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(fail)?;
        drop(stmt);
        tx.finish().map_err(fail)?;
        Ok((items, snap))
    }

    /// The item that holds a 档号, if any.
    pub fn archived_code(&self, code: &str) -> Result<Option<ArchivedItem>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM archived WHERE code = ?1"),
                params![code],
                from_row,
            )
            .optional()
            .map_err(|e| db_error(&self.path, e))
    }

    /// Records the new items of an archive run planned on `seen`, in one
    /// write transaction: `work` (which puts the package in place under a
    /// temporary name) runs before the commit, and if it fails nothing is
    /// recorded. Returns `false`, recording nothing and not calling `work`,
    /// when another run archived into the 全宗 since `seen` was read: the
    /// plan must be made again.
    pub fn record_archive<F>(
        &mut self,
        fonds: &str,
        seen: Snapshot,
        new: &[ArchivedItem],
        work: F,
    ) -> Result<bool, Error>
    where
        F: FnOnce() -> Result<(), Error>,
    {
        let path = self.path.clone();
        let fail = |e| write_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        if snapshot(&tx, fonds).map_err(fail)? != seen {
            return Ok(false);
        }
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        for it in new {
            tx.execute(
                &format!(
                    "INSERT INTO archived ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                ),
                params![
                    it.fonds,
                    it.year,
                    it.retention,
                    it.dept,
                    it.item,
                    it.code,
                    it.doc_id,
                    it.source_sha256,
                    it.pdf_sha256,
                    it.number,
                    it.title,
                    it.doc_date,
                    it.pages,
                    now,
                    it.earlier,
                ],
            )
            .map_err(fail)?;
        }
        work()?;
        tx.commit().map_err(|e| db_error(&path, e))?;
        Ok(true)
    }
}
