//! `gongwen backup`: the whole data folder of the workbench in one zip,
//! safe while `gongwen serve` runs. The SQLite files (the register
//! `gongwen.db`, `workbench.db`) are copied through SQLite's online backup
//! (a consistent snapshot, never a half-committed page); every other file
//! the server writes is replaced whole by a rename, so reading it gives one
//! version or the next. Temporary files and SQLite's `-wal`/`-shm` files
//! are left out. Unpacked into a folder, the zip is a data folder again
//! (`gongwen serve --data`, `gongwen register --register …/gongwen.db`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct BackedUp {
    pub files: usize,
    pub bytes: u64,
}

/// Files not worth keeping: temporaries and SQLite's journal files.
fn skipped(name: &str) -> bool {
    name.starts_with(".gongwen-")
        || name.starts_with(".new-")
        || name.starts_with(".upload-")
        || name.starts_with(".tmp")
        || name.ends_with("-wal")
        || name.ends_with("-shm")
        || name.ends_with("-journal")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let read = std::fs::read_dir(dir).map_err(|e| {
        Error::other(format!(
            "读取 {} 失败：{}",
            dir.display(),
            crate::guard::io_reason(&e)
        ))
    })?;
    let mut entries: Vec<_> = read.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if skipped(&name) {
            continue;
        }
        // Symbolic links are not followed: a backup holds the folder only.
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            walk(&e.path(), out)?;
        } else if kind.is_file() {
            out.push(e.path());
        }
    }
    Ok(())
}

/// A consistent copy of a SQLite file, taken while others may write it.
fn sqlite_snapshot(path: &Path) -> Result<Vec<u8>> {
    let fail =
        |e: rusqlite::Error| Error::other(format!("备份数据库 {} 失败：{e}", path.display()));
    let src = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    src.busy_timeout(Duration::from_secs(10)).map_err(fail)?;
    let tmp = tempfile::NamedTempFile::new()
        .map_err(|e| Error::other(format!("备份失败：{}", crate::guard::io_reason(&e))))?;
    {
        let mut dst = rusqlite::Connection::open(tmp.path()).map_err(fail)?;
        let b = rusqlite::backup::Backup::new(&src, &mut dst).map_err(fail)?;
        b.run_to_completion(256, Duration::from_millis(5), None)
            .map_err(fail)?;
        drop(b);
        dst.close().map_err(|(_, e)| fail(e))?;
    }
    std::fs::read(tmp.path())
        .map_err(|e| Error::other(format!("备份失败：{}", crate::guard::io_reason(&e))))
}

/// Writes the zip of `data` to `out` (atomically: a stopped backup leaves
/// no half zip).
pub fn backup(data: &Path, out: &Path) -> Result<BackedUp> {
    if !data.join("gongwen.db").is_file()
        && !data.join("workbench.db").is_file()
        && !data.join("docs").is_dir()
    {
        return Err(Error::other(format!(
            "{} 不是工作台的数据文件夹（里面没有 gongwen.db、workbench.db 或 docs）。请用 --data 指向 gongwen serve 用的文件夹。",
            data.display()
        )));
    }
    let mut files = Vec::new();
    walk(data, &mut files)?;
    let out_real = out.canonicalize().ok();
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| {
        Error::other(format!(
            "写备份 {} 失败：{}",
            out.display(),
            crate::guard::io_reason(&e)
        ))
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".gongwen-backup-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io)?;
    let mut done = BackedUp::default();
    {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(tmp.as_file_mut()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let fail =
            |e: zip::result::ZipError| Error::other(format!("写备份 {} 失败：{e}", out.display()));
        for path in files {
            if out_real.is_some() && path.canonicalize().ok() == out_real {
                continue;
            }
            let Ok(rel) = path.strip_prefix(data) else {
                continue;
            };
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = name.join("/");
            let bytes = if name.ends_with(".db") {
                sqlite_snapshot(&path)?
            } else {
                match std::fs::read(&path) {
                    Ok(b) => b,
                    // Removed since the folder was read (a replaced preview).
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(io(e)),
                }
            };
            zip.start_file(name.as_str(), options).map_err(fail)?;
            zip.write_all(&bytes).map_err(io)?;
            done.files += 1;
            done.bytes += bytes.len() as u64;
        }
        let mut w = zip.finish().map_err(fail)?;
        w.flush().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(done)
}
