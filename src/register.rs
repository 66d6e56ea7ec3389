//! The 发文字号 register (发文登记簿): one sequence per (机关代字, year) in an
//! embedded SQLite database.
//!
//! Correctness rules (spec §7.4, GW-T-20..22):
//! - a number is taken inside `BEGIN IMMEDIATE`, so concurrent processes are
//!   serialised by SQLite's write lock and never get the same number;
//! - the next number is the largest ever given + 1 (voided and reserved
//!   numbers count), so numbers have no gaps and are never reused;
//! - a rendered document's row is committed before its PDF is renamed into
//!   place: a killed process leaves either the complete row or nothing;
//! - WAL journal, `synchronous=FULL`; `backup` copies a consistent snapshot
//!   while others write;
//! - a database written by a newer gongwen, or not a gongwen register, is an
//!   error — never silently recreated.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::error::Error;
use crate::model::number::DocNumber;

/// Schema version written to `PRAGMA user_version`.
const SCHEMA: i64 = 1;
/// Marker in the `meta` table that tells our database from any other.
const APP: &str = "gongwen-register";

/// Message for a register kept locked by another process.
const BUSY: &str = "登记簿正被其他程序长时间占用";

/// Environment variable naming the register file.
pub const ENV: &str = "GONGWEN_REGISTER";
/// Default file, relative to the current folder.
pub const DEFAULT_FILE: &str = "gongwen.db";

/// Where the register lives: `--register PATH`, else `$GONGWEN_REGISTER`,
/// else `./gongwen.db`.
pub fn location(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os(ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE))
}

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
    fn key(self) -> &'static str {
        match self {
            Status::Issued => "issued",
            Status::Reserved => "reserved",
            Status::Void => "void",
        }
    }

    fn parse(s: &str) -> Status {
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
    /// absolute path.
    pub doc_id: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub to: String,
    pub cc: String,
    pub copies: Option<u32>,
    pub signers: String,
    pub secrecy: String,
    pub urgency: String,
    pub drafter: String,
    pub attachments: String,
    pub print_date: String,
    pub disclosure: String,
    pub output: String,
    pub sha256: String,
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

/// Why opening a register stopped: SQLite's answer (a busy one is retried)
/// or gongwen refusing the file.
enum Fault {
    Db(rusqlite::Error),
    Refused(Error),
}

impl From<rusqlite::Error> for Fault {
    fn from(e: rusqlite::Error) -> Self {
        Fault::Db(e)
    }
}

/// An open register.
pub struct Register {
    conn: Connection,
    path: PathBuf,
}

/// SQLite answered “busy” or “locked”: another process holds the register.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as Code;
    let why = match e.sqlite_error_code() {
        Some(Code::NotADatabase | Code::DatabaseCorrupt) => {
            "文件已损坏或不是 gongwen 的登记簿".to_string()
        }
        _ if is_busy(&e) => BUSY.to_string(),
        Some(Code::ReadOnly | Code::CannotOpen | Code::PermissionDenied) => {
            "没有读写权限或文件夹不存在".to_string()
        }
        _ => format!("数据库错误（{e}）"),
    };
    Error::other(format!(
        "发文登记簿 {} 无法使用：{why}。登记簿不会被自动重建；请从备份（gongwen register backup 生成的文件）恢复，或用 --register 指定正确的文件。",
        path.display()
    ))
}

impl Register {
    /// Opens (creating it if absent) the register at `path`.
    pub fn open(path: &Path) -> Result<Register, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::other(format!(
                    "登记簿所在的文件夹 {} 不存在。",
                    dir.display()
                )));
            }
        }
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(|e| db_error(path, e))?;
        let reg = Register {
            conn,
            path: path.to_path_buf(),
        };
        // While several processes open a brand-new register at once, SQLite
        // can answer “busy” without waiting (the switch to WAL, recovery);
        // those are retried for a while (found by CI).
        let mut tries = 0;
        loop {
            match reg.init() {
                Ok(()) => return Ok(reg),
                Err(Fault::Db(e)) if is_busy(&e) && tries < 400 => {
                    tries += 1;
                    let _ = reg.conn.execute_batch("ROLLBACK");
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(Fault::Db(e)) => return Err(reg.fail(e)),
                Err(Fault::Refused(e)) => return Err(e),
            }
        }
    }

    fn fail(&self, e: rusqlite::Error) -> Error {
        db_error(&self.path, e)
    }

    fn init(&self) -> Result<(), Fault> {
        let c = &self.conn;
        self.check_version()?;
        c.pragma_update(None, "journal_mode", "WAL")?;
        c.pragma_update(None, "synchronous", "FULL")?;
        // Creating the schema: decided and done inside one write transaction,
        // so processes that open a new register at the same moment agree.
        if self.version()? == 0 {
            c.execute_batch("BEGIN IMMEDIATE")?;
            let created = self.create_if_new();
            let end = if created.is_ok() {
                "COMMIT"
            } else {
                "ROLLBACK"
            };
            c.execute_batch(end)?;
            created?;
        }
        let app: Option<String> = c
            .query_row("SELECT value FROM meta WHERE key = 'app'", [], |r| r.get(0))
            .optional()?;
        if app.as_deref() != Some(APP) {
            return Err(Fault::Refused(Error::other(format!(
                "{} 不是 gongwen 的发文登记簿。",
                self.path.display()
            ))));
        }
        let ok: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Fault::Refused(
                db_error(&self.path, rusqlite::Error::InvalidQuery).with_detail(&ok),
            ));
        }
        Ok(())
    }

    fn version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))
    }

    /// A register written by a newer gongwen is never touched.
    fn check_version(&self) -> Result<i64, Fault> {
        let version = self.version()?;
        if version > SCHEMA {
            return Err(Fault::Refused(Error::other(format!(
                "发文登记簿 {} 由更新版本的 gongwen 创建（格式版本 {version}，本程序只认识到 {SCHEMA}）。请升级 gongwen；登记簿未作任何改动。",
                self.path.display()
            ))));
        }
        Ok(version)
    }

    /// Inside the creating transaction: another process may have created the
    /// schema meanwhile; a database with other tables is not ours.
    fn create_if_new(&self) -> Result<(), Fault> {
        let c = &self.conn;
        if self.check_version()? == SCHEMA {
            return Ok(());
        }
        let tables: i64 = c.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Fault::Refused(Error::other(format!(
                "{} 是一个数据库，但不是 gongwen 的发文登记簿。请用 --register 指定登记簿文件。",
                self.path.display()
            ))));
        }
        let sql = format!(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES ('app', '{APP}');
             CREATE TABLE numbers (
               id INTEGER PRIMARY KEY,
               code TEXT NOT NULL,
               year INTEGER NOT NULL,
               seq INTEGER NOT NULL CHECK (seq > 0),
               status TEXT NOT NULL CHECK (status IN ('issued', 'reserved', 'void')),
               doc_id TEXT UNIQUE,
               note TEXT NOT NULL DEFAULT '',
               created TEXT NOT NULL,
               title TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
               date TEXT NOT NULL DEFAULT '', recipients TEXT NOT NULL DEFAULT '',
               cc TEXT NOT NULL DEFAULT '', copies INTEGER,
               signers TEXT NOT NULL DEFAULT '', secrecy TEXT NOT NULL DEFAULT '',
               urgency TEXT NOT NULL DEFAULT '', drafter TEXT NOT NULL DEFAULT '',
               attachments TEXT NOT NULL DEFAULT '', print_date TEXT NOT NULL DEFAULT '',
               disclosure TEXT NOT NULL DEFAULT '', output TEXT NOT NULL DEFAULT '',
               sha256 TEXT NOT NULL DEFAULT '',
               UNIQUE (code, year, seq)
             );
             PRAGMA user_version = {SCHEMA};"
        );
        Ok(c.execute_batch(&sql)?)
    }

    /// Takes the next number of (`code`, `year`) with `status`, inside one
    /// write transaction; `work` runs with the number before the commit and
    /// may fill in the document record (render the PDF); if it fails,
    /// nothing is recorded.
    pub fn take<F>(
        &mut self,
        code: &str,
        year: i32,
        status: Status,
        note: &str,
        work: F,
    ) -> Result<u32, Error>
    where
        F: FnOnce(&DocNumber) -> Result<Option<DocRecord>, Error>,
    {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        let seq: u32 = tx
            .query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM numbers WHERE code = ?1 AND year = ?2",
                params![code, year],
                |r| r.get(0),
            )
            .map_err(|e| db_error(&path, e))?;
        let number = DocNumber {
            code: code.to_string(),
            year,
            seq: Some(seq),
        };
        let doc = work(&number)?;
        insert(&tx, &number, status, note, doc.as_ref()).map_err(|e| db_error(&path, e))?;
        tx.commit().map_err(|e| db_error(&path, e))?;
        Ok(seq)
    }

    /// Gives `slot` to a document: `work` renders it with the number and
    /// returns its record; the row is written in the same transaction, so a
    /// failed or killed render records nothing.
    pub fn issue<F>(&mut self, slot: Slot, work: F) -> Result<DocNumber, Error>
    where
        F: FnOnce(&DocNumber) -> Result<DocRecord, Error>,
    {
        match slot {
            Slot::Next { code, year } => {
                let seq = self.take(&code, year, Status::Issued, "", |n| work(n).map(Some))?;
                Ok(DocNumber {
                    code,
                    year,
                    seq: Some(seq),
                })
            }
            Slot::Existing(n) => {
                self.record(&n, work)?;
                Ok(n)
            }
        }
    }

    /// The number already given to `doc_id`, if any.
    pub fn find_doc(&self, doc_id: &str) -> Result<Option<Entry>, Error> {
        self.query("WHERE doc_id = ?1", params![doc_id])
            .map(|v| v.into_iter().next())
    }

    pub fn find_number(&self, n: &DocNumber) -> Result<Option<Entry>, Error> {
        self.query(
            "WHERE code = ?1 AND year = ?2 AND seq = ?3",
            params![n.code, n.year, n.seq],
        )
        .map(|v| v.into_iter().next())
    }

    /// Re-records a document that keeps its number (a re-render), or attaches
    /// a document to a reserved number; `work` renders before the commit.
    pub fn record<F>(&mut self, n: &DocNumber, work: F) -> Result<(), Error>
    where
        F: FnOnce(&DocNumber) -> Result<DocRecord, Error>,
    {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        let doc = work(n)?;
        tx.execute(
            "UPDATE numbers SET status = 'issued', doc_id = ?4, title = ?5, kind = ?6, date = ?7, recipients = ?8, cc = ?9,
               copies = ?10, signers = ?11, secrecy = ?12, urgency = ?13, drafter = ?14, attachments = ?15,
               print_date = ?16, disclosure = ?17, output = ?18, sha256 = ?19
             WHERE code = ?1 AND year = ?2 AND seq = ?3 AND status != 'void'",
            params![
                n.code, n.year, n.seq, doc.doc_id, doc.title, doc.kind, doc.date, doc.to, doc.cc, doc.copies,
                doc.signers, doc.secrecy, doc.urgency, doc.drafter, doc.attachments, doc.print_date,
                doc.disclosure, doc.output, doc.sha256
            ],
        )
        .map_err(|e| db_error(&path, e))?;
        tx.commit().map_err(|e| db_error(&path, e))
    }

    /// 作废 a number with a reason; it is never given again.
    pub fn void(&mut self, n: &DocNumber, reason: &str) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM numbers WHERE code = ?1 AND year = ?2 AND seq = ?3",
                params![n.code, n.year, n.seq],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| db_error(&path, e))?;
        match status.as_deref() {
            None => {
                let max: u32 = tx
                    .query_row(
                        "SELECT COALESCE(MAX(seq), 0) FROM numbers WHERE code = ?1 AND year = ?2",
                        params![n.code, n.year],
                        |r| r.get(0),
                    )
                    .map_err(|e| db_error(&path, e))?;
                return Err(Error::other(format!(
                    "登记簿里没有 {}（{}〔{}〕目前最大号是 {max}号）。只能作废已经编出的号。",
                    n.display(),
                    n.code,
                    n.year
                )));
            }
            Some("void") => return Err(Error::other(format!("{} 已经作废过了。", n.display()))),
            _ => {}
        }
        tx.execute(
            "UPDATE numbers SET status = 'void', note = ?4, doc_id = NULL WHERE code = ?1 AND year = ?2 AND seq = ?3",
            params![n.code, n.year, n.seq, reason],
        )
        .map_err(|e| db_error(&path, e))?;
        tx.commit().map_err(|e| db_error(&path, e))
    }

    /// Entries, optionally of one 代字 and/or year, in number order.
    pub fn list(&self, code: Option<&str>, year: Option<i32>) -> Result<Vec<Entry>, Error> {
        self.query(
            "WHERE (?1 IS NULL OR code = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY year, code, seq",
            params![code, year],
        )
    }

    fn query(&self, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Entry>, Error> {
        let sql = format!(
            "SELECT code, year, seq, status, note, created, doc_id, title, kind, date, recipients, cc, copies, signers,
                    secrecy, urgency, drafter, attachments, print_date, disclosure, output, sha256
             FROM numbers {filter}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.fail(e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok(Entry {
                    code: r.get(0)?,
                    year: r.get(1)?,
                    seq: r.get(2)?,
                    status: Status::parse(&r.get::<_, String>(3)?),
                    note: r.get(4)?,
                    created: r.get(5)?,
                    doc: DocRecord {
                        doc_id: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                        title: r.get(7)?,
                        kind: r.get(8)?,
                        date: r.get(9)?,
                        to: r.get(10)?,
                        cc: r.get(11)?,
                        copies: r.get(12)?,
                        signers: r.get(13)?,
                        secrecy: r.get(14)?,
                        urgency: r.get(15)?,
                        drafter: r.get(16)?,
                        attachments: r.get(17)?,
                        print_date: r.get(18)?,
                        disclosure: r.get(19)?,
                        output: r.get(20)?,
                        sha256: r.get(21)?,
                    },
                })
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.fail(e))
    }

    /// A consistent copy of the register, safe while others write.
    pub fn backup(&self, dest: &Path) -> Result<(), Error> {
        if dest.exists() {
            return Err(Error::other(format!(
                "{} 已存在；备份不覆盖已有文件，请换一个文件名。",
                dest.display()
            )));
        }
        let mut out = Connection::open(dest).map_err(|e| db_error(dest, e))?;
        let b = rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(|e| self.fail(e))?;
        b.run_to_completion(256, Duration::from_millis(5), None)
            .map_err(|e| self.fail(e))?;
        Ok(())
    }
}

fn insert(
    tx: &rusqlite::Transaction,
    n: &DocNumber,
    status: Status,
    note: &str,
    doc: Option<&DocRecord>,
) -> rusqlite::Result<()> {
    let empty = DocRecord::default();
    let d = doc.unwrap_or(&empty);
    let doc_id = (!d.doc_id.is_empty()).then_some(d.doc_id.as_str());
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
    tx.execute(
        "INSERT INTO numbers (code, year, seq, status, doc_id, note, created, title, kind, date, recipients, cc, copies,
                              signers, secrecy, urgency, drafter, attachments, print_date, disclosure, output, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        params![
            n.code, n.year, n.seq, status.key(), doc_id, note, now, d.title, d.kind, d.date, d.to, d.cc, d.copies,
            d.signers, d.secrecy, d.urgency, d.drafter, d.attachments, d.print_date, d.disclosure, d.output, d.sha256
        ],
    )?;
    Ok(())
}

trait Detail {
    fn with_detail(self, detail: &str) -> Error;
}

impl Detail for Error {
    fn with_detail(self, detail: &str) -> Error {
        match self {
            Error::Other(m) => Error::Other(format!("{m}（检查结果：{detail}）")),
            e => e,
        }
    }
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Columns of the 发文登记簿 (GW-T-22): label, relative width.
pub const LEDGER_COLUMNS: [(&str, f64); 16] = [
    ("登记序号", 0.9),
    ("发文字号", 2.6),
    ("标题", 5.0),
    ("文种", 0.9),
    ("密级/保密期限", 1.1),
    ("紧急程度", 0.9),
    ("拟稿人", 0.9),
    ("签发人", 0.9),
    ("成文日期", 2.0),
    ("主送", 2.4),
    ("抄送", 1.8),
    ("印制份数", 0.8),
    ("附件", 1.6),
    ("印发日期", 2.0),
    ("公开属性", 1.0),
    ("状态/备注", 1.5),
];

/// One ledger row per entry, in the column order of [`LEDGER_COLUMNS`].
pub fn ledger_rows(entries: &[Entry]) -> Vec<Vec<String>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let d = &e.doc;
            let status = match e.status {
                Status::Issued if d.title.is_empty() => format!(
                    "已取号{}",
                    if e.note.is_empty() {
                        String::new()
                    } else {
                        format!("：{}", e.note)
                    }
                ),
                Status::Issued => String::new(),
                Status::Reserved => format!(
                    "预留{}",
                    if e.note.is_empty() {
                        String::new()
                    } else {
                        format!("：{}", e.note)
                    }
                ),
                Status::Void => format!("作废：{}", e.note),
            };
            vec![
                (i + 1).to_string(),
                e.number().display(),
                d.title.clone(),
                d.kind.clone(),
                d.secrecy.clone(),
                d.urgency.clone(),
                d.drafter.clone(),
                d.signers.clone(),
                d.date.clone(),
                d.to.clone(),
                d.cc.clone(),
                d.copies.map(|c| c.to_string()).unwrap_or_default(),
                d.attachments.clone(),
                d.print_date.clone(),
                d.disclosure.clone(),
                status,
            ]
        })
        .collect()
}

/// The register as CSV (UTF-8 with BOM, so WPS and Excel open it as is),
/// with the output file and its SHA-256 as extra columns.
pub fn ledger_csv(entries: &[Entry]) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| Error::other(format!("生成 CSV 失败：{e}"));
    let mut header: Vec<&str> = LEDGER_COLUMNS.iter().map(|c| c.0).collect();
    header.extend(["输出文件", "SHA-256", "登记时间"]);
    w.write_record(&header).map_err(fail)?;
    for (row, e) in ledger_rows(entries).into_iter().zip(entries) {
        let mut row = row;
        row.extend([
            e.doc.output.clone(),
            e.doc.sha256.clone(),
            e.created.clone(),
        ]);
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::other(format!("生成 CSV 失败：{e}")))
}
