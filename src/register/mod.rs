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
//!   error — never silently recreated;
//! - an older register is brought up to the current schema version when it is opened for
//!   writing (each step in one transaction, the rows it has kept as they
//!   are); read-only opens leave it as it is.
//!
//! Version 2 added the `archived` table: the archive items given a 档号
//! (`archived.rs`), so 件号 continue from one archive run to the next.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

mod archived;
mod fault;
pub mod policy;
mod record;

pub use archived::{ArchivedItem, Series, Snapshot};
use fault::{db_error, is_busy, write_error, Detail};
use record::DOC_COLUMNS;
pub use record::{DocRecord, Entry, Slot, Status};

use crate::error::Error;
use crate::model::number::DocNumber;

/// Schema version written to `PRAGMA user_version`.
const SCHEMA: i64 = 2;
/// Marker in the `meta` table that tells our database from any other.
const APP: &str = "gongwen-register";

/// Environment variable naming the register file.
pub const ENV: &str = "GONGWEN_REGISTER";
/// Default file, relative to the current folder.
pub const DEFAULT_FILE: &str = "gongwen.db";

/// Where the register lives: `--register PATH`, else `$GONGWEN_REGISTER`,
/// else `./gongwen.db`.
pub fn location(flag: Option<&Path>) -> PathBuf {
    location_with(flag, None)
}

/// As [`location`], with the office's register from `gongwen.toml` taking
/// the place of the default file.
pub fn location_with(flag: Option<&Path>, office: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os(ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| office.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE))
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
    read_only: bool,
}

/// The schema of version 1, as the first registers were created; a new
/// register then takes every step of [`MIGRATIONS`], as an old one does.
fn schema_sql() -> String {
    format!(
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
         PRAGMA user_version = 1;"
    )
}

/// The steps from one schema version to the next: `MIGRATIONS[i]` takes
/// version `i + 1` to `i + 2`. A step only adds; it never rewrites rows.
const MIGRATIONS: [&str; 1] = [
    // 2: archive items (件号 continue across archive runs, issue 14).
    "CREATE TABLE archived (
       id INTEGER PRIMARY KEY,
       fonds TEXT NOT NULL,
       year INTEGER NOT NULL,
       retention TEXT NOT NULL,
       dept TEXT NOT NULL DEFAULT '',
       item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 9999),
       code TEXT NOT NULL UNIQUE,
       doc_id TEXT NOT NULL,
       source_sha256 TEXT NOT NULL,
       pdf_sha256 TEXT NOT NULL,
       number TEXT NOT NULL DEFAULT '',
       title TEXT NOT NULL DEFAULT '',
       doc_date TEXT NOT NULL DEFAULT '',
       pages INTEGER NOT NULL DEFAULT 0,
       archived TEXT NOT NULL,
       earlier TEXT NOT NULL DEFAULT '',
       UNIQUE (fonds, year, retention, dept, item),
       UNIQUE (fonds, source_sha256)
     );
     PRAGMA user_version = 2;",
];

/// A path as the path part of an SQLite `file:` URI.
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        match c {
            '%' | '?' | '#' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The folder of a register file (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Register {
    /// Opens the existing register at `path` for reading and writing. A
    /// missing or empty (0-byte) file is an error: a register is created only
    /// when asked ([`Register::create`], [`Register::open_or_create`]).
    pub fn open(path: &Path) -> Result<Register, Error> {
        Self::must_exist(path)?;
        Self::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Opens the existing register for reading only (list, export, backup,
    /// looking a number up): works on a read-only disk and never writes.
    pub fn open_read_only(path: &Path) -> Result<Register, Error> {
        Self::must_exist(path)?;
        match Self::connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
            Ok(reg) => Ok(reg),
            Err(e) => Self::open_immutable(path).ok_or(e),
        }
    }

    /// Reading a WAL register needs its `-shm` index, which SQLite cannot
    /// create on a read-only or full disk. When no other process has left
    /// records in the `-wal` file (a clean close merges and removes it),
    /// the database file alone is the whole register and is read as
    /// immutable; otherwise reading it would silently miss records, so the
    /// original error stands.
    fn open_immutable(path: &Path) -> Option<Register> {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return None;
        }
        let full = std::fs::canonicalize(path).ok()?;
        let uri = format!("file:{}?immutable=1", uri_path(&full.to_string_lossy()));
        Self::connect(Path::new(&uri), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()
            .map(|mut reg| {
                reg.path = path.to_path_buf();
                reg
            })
    }

    /// Opens the register, creating it first if there is none; the flag
    /// says whether it was created (the caller tells the user).
    pub fn open_or_create(path: &Path) -> Result<(Register, bool), Error> {
        let created = if path.exists() {
            false
        } else {
            match Self::create(path) {
                Ok(()) => true,
                // Another process created it a moment ago.
                Err(_) if path.exists() => false,
                Err(e) => return Err(e),
            }
        };
        Ok((Self::open(path)?, created))
    }

    /// Creates a new, empty register at `path`; refuses if anything exists
    /// there. The file appears complete or not at all (written under a
    /// temporary name, then moved into place without replacing anything).
    pub fn create(path: &Path) -> Result<(), Error> {
        let dir = folder_of(path);
        if !dir.is_dir() {
            return Err(Error::other(format!(
                "登记簿所在的文件夹 {} 不存在。",
                dir.display()
            )));
        }
        if path.exists() {
            return Err(Error::other(format!(
                "{} 已存在，没有新建登记簿（已有的文件不会被改动）。",
                path.display()
            )));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".gongwen-register-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| {
                Error::other(format!(
                    "建不了登记簿 {}：{}。",
                    path.display(),
                    crate::guard::io_reason(&e)
                ))
            })?;
        {
            let conn = Connection::open(tmp.path()).map_err(|e| db_error(path, e))?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .and_then(|_| conn.execute_batch(&schema_sql()))
                .and_then(|_| MIGRATIONS.iter().try_for_each(|m| conn.execute_batch(m)))
                .map_err(|e| db_error(path, e))?;
            conn.close().map_err(|(_, e)| db_error(path, e))?;
        }
        tmp.as_file().sync_all().map_err(|e| {
            Error::other(format!(
                "建不了登记簿 {}：{}。",
                path.display(),
                crate::guard::io_reason(&e)
            ))
        })?;
        tmp.persist_noclobber(path).map_err(|e| {
            Error::other(format!(
                "建不了登记簿 {}：{}。",
                path.display(),
                crate::guard::io_reason(&e.error)
            ))
        })?;
        Ok(())
    }

    fn must_exist(path: &Path) -> Result<(), Error> {
        match std::fs::metadata(path) {
            Err(_) => Err(Error::other(format!(
                "找不到发文登记簿 {}。若是第一次使用，请先建立：gongwen register init --register {}；若登记簿在别处，请用 --register 指定（或设置环境变量 {ENV}）。",
                path.display(),
                path.display()
            ))),
            Ok(m) if !m.is_file() => Err(Error::other(format!(
                "{} 不是登记簿文件（可能是文件夹或设备）。",
                path.display()
            ))),
            Ok(m) if m.len() == 0 => Err(Error::other(format!(
                "发文登记簿 {} 是空文件（0 字节），可能在复制或备份时中断。登记簿不会被自动重建；请从备份（gongwen register backup 生成的文件）恢复。",
                path.display()
            ))),
            Ok(_) => Ok(()),
        }
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<Register, Error> {
        let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(path, e))?;
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(|e| db_error(path, e))?;
        let reg = Register {
            conn,
            path: path.to_path_buf(),
            read_only: flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY),
        };
        // While several processes open a register at once, SQLite can answer
        // “busy” without waiting (recovery); those are retried for a while.
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
        let version = self.check_version()?;
        if version < 1 {
            return Err(Fault::Refused(Error::other(format!(
                "{} 是一个数据库，但不是 gongwen 的发文登记簿。请用 --register 指定登记簿文件。",
                self.path.display()
            ))));
        }
        if !self.read_only {
            c.pragma_update(None, "journal_mode", "WAL")?;
            c.pragma_update(None, "synchronous", "FULL")?;
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
                db_error(
                    &self.path,
                    rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                        None,
                    ),
                )
                .with_detail(&ok),
            ));
        }
        if version < SCHEMA && !self.read_only {
            self.migrate()?;
        }
        Ok(())
    }

    /// Brings a register of an older version up to [`SCHEMA`], under the
    /// write lock (another process may be doing the same at this moment:
    /// the version is read again inside the transaction).
    fn migrate(&self) -> Result<(), Fault> {
        let c = &self.conn;
        c.execute_batch("BEGIN IMMEDIATE")?;
        let step = || -> rusqlite::Result<()> {
            let mut version = self.version()?;
            while version < SCHEMA {
                let Some(sql) = usize::try_from(version - 1)
                    .ok()
                    .and_then(|i| MIGRATIONS.get(i))
                else {
                    break;
                };
                c.execute_batch(sql)?;
                version = self.version()?;
            }
            c.execute_batch("COMMIT")
        };
        step().map_err(|e| {
            let _ = c.execute_batch("ROLLBACK");
            Fault::Db(e)
        })
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
        insert(&tx, &number, status, note, doc.as_ref()).map_err(|e| write_error(&path, e))?;
        tx.commit().map_err(|e| db_error(&path, e))?;
        Ok(seq)
    }

    /// Gives `slot` to the document `doc_id`: `work` renders it with the
    /// number and returns its record; the row is written in the same
    /// transaction, so a failed or killed render records nothing. The
    /// decision is made again under the write lock: if another process gave
    /// this document a number meanwhile (the same file rendered twice at
    /// once), that number is used rather than a second one.
    pub fn issue<F>(&mut self, slot: Slot, doc_id: &str, work: F) -> Result<DocNumber, Error>
    where
        F: FnOnce(&DocNumber) -> Result<DocRecord, Error>,
    {
        let path = self.path.clone();
        let fail = |e| write_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let given: Option<(String, i32, u32)> = tx
            .query_row(
                "SELECT code, year, seq FROM numbers WHERE doc_id = ?1",
                params![doc_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(fail)?;
        let (number, fresh) = match (slot, given) {
            (Slot::Next { code, year }, Some((c, y, seq))) if c == code && y == year => (
                DocNumber {
                    code,
                    year,
                    seq: Some(seq),
                },
                false,
            ),
            (Slot::Next { code, year }, _) => {
                let seq: u32 = tx
                    .query_row(
                        "SELECT COALESCE(MAX(seq), 0) + 1 FROM numbers WHERE code = ?1 AND year = ?2",
                        params![code, year],
                        |r| r.get(0),
                    )
                    .map_err(fail)?;
                (
                    DocNumber {
                        code,
                        year,
                        seq: Some(seq),
                    },
                    true,
                )
            }
            (Slot::Existing(n), _) => (n, false),
        };
        let doc = work(&number)?;
        if fresh {
            insert(&tx, &number, Status::Issued, "", Some(&doc)).map_err(fail)?;
        } else {
            update(&tx, &number, &doc).map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(number)
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
            "SELECT code, year, seq, status, note, created, {} FROM numbers {filter}",
            DOC_COLUMNS.join(", ")
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
                    doc: DocRecord::from_row(r, 6)?,
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
        // Copied under a temporary name and moved into place when complete:
        // a backup stopped half-way leaves nothing that looks like a register.
        let io = |e: std::io::Error| {
            Error::other(format!(
                "备份到 {} 失败：{}。",
                dest.display(),
                crate::guard::io_reason(&e)
            ))
        };
        let tmp = tempfile::Builder::new()
            .prefix(".gongwen-backup-")
            .suffix(".tmp")
            .tempfile_in(folder_of(dest))
            .map_err(io)?;
        {
            let mut out = Connection::open(tmp.path()).map_err(|e| db_error(dest, e))?;
            let b =
                rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(|e| self.fail(e))?;
            b.run_to_completion(256, Duration::from_millis(5), None)
                .map_err(|e| self.fail(e))?;
            drop(b);
            out.close().map_err(|(_, e)| db_error(dest, e))?;
        }
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist_noclobber(dest).map_err(|e| io(e.error))?;
        Ok(())
    }
}

/// Records `doc` on a number the register already holds (a re-render, or a
/// reserved number); a void number is never touched.
fn update(tx: &rusqlite::Transaction, n: &DocNumber, doc: &DocRecord) -> rusqlite::Result<()> {
    let set: Vec<String> = DOC_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 4))
        .collect();
    let sql = format!(
        "UPDATE numbers SET status = 'issued', {} WHERE code = ?1 AND year = ?2 AND seq = ?3 AND status != 'void'",
        set.join(", ")
    );
    let key: [&dyn rusqlite::ToSql; 3] = [&n.code, &n.year, &n.seq];
    let args: Vec<&dyn rusqlite::ToSql> = key.into_iter().chain(doc.values()).collect();
    tx.execute(&sql, args.as_slice())?;
    Ok(())
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
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let places: Vec<String> = (1..=6 + DOC_COLUMNS.len())
        .map(|i| format!("?{i}"))
        .collect();
    let sql = format!(
        "INSERT INTO numbers (code, year, seq, status, note, created, {}) VALUES ({})",
        DOC_COLUMNS.join(", "),
        places.join(", ")
    );
    let key: [&dyn rusqlite::ToSql; 6] = [&n.code, &n.year, &n.seq, &status.key(), &note, &now];
    let args: Vec<&dyn rusqlite::ToSql> = key.into_iter().chain(d.values()).collect();
    tx.execute(&sql, args.as_slice())?;
    Ok(())
}
