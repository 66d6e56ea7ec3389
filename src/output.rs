//! Everything gongwen writes goes through here: atomic files, SHA-256 sums,
//! CSV for WPS/Excel and deterministic zip packages.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename. A failed run never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = stage(path, bytes)?;
    commit_file(tmp, path)
}

/// [`write_atomic`] for gongwen's own files (the font index): the same
/// safety, without the test failpoint, which belongs to user outputs.
pub fn write_atomic_own(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = stage_inner(path, bytes)?;
    commit_file(tmp, path)
}

/// Checks an output path before anything is written: its extension is one
/// of `exts` (a typo like `-o 登记簿.db` or `-o 通知.yaml` is refused), it is
/// not one of `protected` (the input files, the register), and if it exists
/// it is an ordinary file (never a device, a folder or a FIFO).
pub fn check_target(path: &Path, exts: &[&str], protected: &[&Path]) -> Result<(), Error> {
    let shown = path.display();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if !exts.contains(&ext.as_str()) {
        let want: Vec<String> = exts.iter().map(|e| format!(".{e}")).collect();
        return Err(Error::other(format!(
            "输出文件 {shown} 的扩展名不对：应是 {}。为免覆盖输入文件或登记簿，gongwen 只写这种文件。",
            want.join(" 或 ")
        )));
    }
    replaceable(path)?;
    let real = |p: &Path| p.canonicalize().ok();
    if let Some(out) = real(path) {
        for p in protected {
            if real(p).as_ref() == Some(&out) {
                return Err(Error::other(format!(
                    "输出文件 {shown} 就是输入文件或登记簿 {}，不能覆盖。请换一个输出文件名。",
                    p.display()
                )));
            }
        }
    }
    Ok(())
}

/// Prefix of gongwen's temporary files: `.gongwen-<pid>-<random>.tmp`.
const TEMP_PREFIX: &str = ".gongwen-";

/// Removes temporary files that processes killed between writing and
/// renaming left in `dir` (their process no longer runs). A process that is
/// still writing keeps its file. Done once per folder and process.
fn sweep_stale(dir: &Path) {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut swept = SWEPT.lock().unwrap_or_else(|p| p.into_inner());
        if !swept.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix(TEMP_PREFIX)
            .filter(|rest| rest.ends_with(".tmp"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (Linux: `/proc/<pid>/stat`, a
/// zombie — killed, not yet reaped — does not). Elsewhere every process
/// counts as running, so nothing is removed by mistake.
fn process_runs(pid: u32) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // “pid (name) state …”; the name may hold spaces and parentheses.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_none_or(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// Test hook: with `GONGWEN_FAILPOINT=<name>` the process stops at the
/// named point (prints `failpoint <name>` on stderr and sleeps), so tests
/// can kill it at a known moment. Points: `after-stage` (the output is
/// written and synced under its temporary name, not yet renamed; inside the
/// register's transaction when a number is being taken).
pub fn failpoint(name: &str) {
    if std::env::var("GONGWEN_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("failpoint {name}");
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// Renames a staged file into place.
pub fn commit_file(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), Error> {
    tmp.persist(path).map(|_| ()).map_err(|e| {
        Error::other(format!(
            "写不了 {}：{}。请检查文件夹是否存在、是否有写权限。",
            path.display(),
            e.error
        ))
    })
}

/// Writes `bytes` to a temporary file next to `path`, synced to disk but not
/// yet in place (dropped unused, it disappears).
pub fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Error> {
    let tmp = stage_inner(path, bytes)?;
    failpoint("after-stage");
    Ok(tmp)
}

/// Renaming over a device, a FIFO, a folder or a link would replace it (as
/// root, `/dev/zero` itself): only ordinary files are ever replaced. Every
/// write checks this; [`check_target`] checks it before any work is done.
fn replaceable(path: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => Err(Error::other(format!(
            "{} 已存在，但不是普通文件（可能是文件夹、设备或链接），不能写入。请换一个文件名。",
            path.display()
        ))),
        _ => Ok(()),
    }
}

fn stage_inner(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Error> {
    replaceable(path)?;
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| {
        Error::other(format!(
            "写不了 {}：{e}。请检查文件夹是否存在、是否有写权限。",
            path.display()
        ))
    };
    sweep_stale(&dir);
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    // Temporary files are created private (0600); an output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(tmp)
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A CSV file as offices open it: UTF-8 with a byte-order mark, so WPS and
/// Excel do not take it for GBK.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
    /// What is being written, for the error message.
    what: String,
}

impl Csv {
    /// A CSV with its header row.
    pub fn new<I, S>(what: &str, header: I) -> Result<Csv, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut csv = Csv {
            writer: csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]),
            what: what.to_string(),
        };
        csv.row(header)?;
        Ok(csv)
    }

    /// Writes a row; a cell that a spreadsheet would run as a formula is
    /// written as text (see [`neutralise`]).
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let cells: Vec<Vec<u8>> = cells.into_iter().map(|c| neutralise(c.as_ref())).collect();
        self.writer
            .write_record(&cells)
            .map_err(|e| Error::other(format!("生成{}失败：{e}", self.what)))
    }

    pub fn into_bytes(self) -> Result<Vec<u8>, Error> {
        let what = self.what;
        self.writer
            .into_inner()
            .map_err(|e| Error::other(format!("生成{what}失败：{e}")))
    }
}

/// CSV injection (OWASP): Excel and WPS run a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return as a formula. Such a cell gets a
/// leading `'`, which both show as text and hide.
pub fn neutralise(cell: &[u8]) -> Vec<u8> {
    match cell.first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => {
            let mut out = Vec::with_capacity(cell.len() + 1);
            out.push(b'\'');
            out.extend_from_slice(cell);
            out
        }
        _ => cell.to_vec(),
    }
}

/// A zip whose bytes depend only on its entries: every entry dated `date`,
/// entries in the order given. The same input gives the same package.
pub fn zip(entries: &[(String, Vec<u8>)], date: chrono::NaiveDate) -> Result<Vec<u8>, Error> {
    use chrono::Datelike;
    let fail = |e: &dyn std::fmt::Display| Error::other(format!("生成压缩包失败：{e}"));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let when = zip::DateTime::from_date_and_time(
            date.year().clamp(1980, 2107) as u16,
            date.month() as u8,
            date.day() as u8,
            0,
            0,
            0,
        )
        .map_err(|e| fail(&format!("{e:?}")))?;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(when);
        for (name, bytes) in entries {
            zip.start_file(name.as_str(), options)
                .map_err(|e| fail(&e))?;
            zip.write_all(bytes).map_err(|e| fail(&e))?;
        }
        zip.finish().map_err(|e| fail(&e))?;
    }
    Ok(buf.into_inner())
}

/// Text for XML or HTML content and quoted attributes: `& < > " '` escaped
/// (`'` as `&#39;`, which both read), and the characters XML 1.0 cannot hold
/// (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) left out —
/// gongwen refuses them in input anyway. One escape for the OFD and DOCX
/// writers and the workbench's pages, so user text is never markup.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
