//! What went wrong with the register, said in Chinese with what to do — and
//! only a damaged register is ever sent to its backup.

use std::path::Path;

use crate::error::Error;

/// Message for a register kept locked by another process.
pub(super) const BUSY: &str = "登记簿正被其他程序长时间占用";

/// SQLite answered “busy” or “locked”: another process holds the register.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub(super) fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as Code;
    let shown = path.display();
    let (why, advice) = match e.sqlite_error_code() {
        Some(Code::NotADatabase | Code::DatabaseCorrupt) => (
            "文件已损坏或不是 gongwen 的登记簿".to_string(),
            "登记簿不会被自动重建；请从备份（gongwen register backup 生成的文件）恢复，或用 --register 指定正确的文件。",
        ),
        _ if is_busy(&e) => (
            BUSY.to_string(),
            "请等其他正在取号或排版的程序结束后再试。",
        ),
        Some(Code::DiskFull) => (
            "磁盘已满".to_string(),
            "登记簿没有改动。请清理磁盘空间后再试。",
        ),
        Some(Code::ReadOnly) => (
            "登记簿是只读的（只读磁盘、共享文件夹或文件属性）".to_string(),
            "查看（number list、register export）可以照常进行；取号需要可写的登记簿。",
        ),
        Some(Code::CannotOpen | Code::PermissionDenied) if on_read_only_disk(path) => (
            "登记簿在只读的磁盘上（只读挂载、写保护的 U 盘或只读共享）".to_string(),
            "查看（number list、register export）可以照常进行；取号需要可写的登记簿。",
        ),
        Some(Code::CannotOpen | Code::PermissionDenied) => (
            "没有读写权限或文件夹不存在".to_string(),
            "检查登记簿文件和所在文件夹的权限，或用 --register 指定正确的文件。",
        ),
        Some(Code::SystemIoFailure) => (
            "读写磁盘出错（磁盘已满、已拔出或网络盘断开）".to_string(),
            "登记簿没有改动。检查磁盘后再试。",
        ),
        _ => (
            format!("数据库错误（{e}）"),
            "登记簿没有改动。若反复出现，请先用 gongwen register backup 备份再检查。",
        ),
    };
    Error::other(format!("发文登记簿 {shown} 无法使用：{why}。{advice}"))
}

/// SQLite says only “cannot open”; asking the system to open the file for
/// writing tells a read-only disk apart from missing permissions.
fn on_read_only_disk(path: &Path) -> bool {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::ReadOnlyFilesystem)
}

/// Another process is rendering the same document (its identity is
/// already being recorded): not damage, just wait.
fn is_same_document(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(m))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && m.contains("doc_id"))
}

/// A write that failed: the same document recorded by another process is
/// said as such, anything else as [`db_error`] says it.
pub(super) fn write_error(path: &Path, e: rusqlite::Error) -> Error {
    if is_same_document(&e) {
        return Error::other(format!(
            "另一个程序正在排版同一份公文，发文登记簿 {} 没有改动。请等它完成后再试。",
            path.display()
        ));
    }
    db_error(path, e)
}

pub(super) trait Detail {
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
