//! Accounts, sessions and the audit log of the workbench (`workbench.db` in
//! the data folder, SQLite like the register).
//!
//! Passwords are stored as argon2id hashes (PHC strings with their salt);
//! sessions live in memory (a restart signs everyone out) under a random
//! 256-bit token sent as an HttpOnly, SameSite=Strict cookie, each with its
//! own CSRF token. Failed sign-ins are throttled per account name, with a
//! generous ceiling per address (an office may share one NAT address).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};

/// What a person may do on the workbench.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Role {
    /// 拟稿: draft, preview, download drafts.
    Drafter,
    /// 核稿: also read the register.
    Checker,
    /// 签发: also take numbers and generate the final PDF.
    Signer,
    /// 管理: also void and reserve numbers, read the audit log.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s.trim() {
            "拟稿" => Role::Drafter,
            "核稿" => Role::Checker,
            "签发" => Role::Signer,
            "管理" => Role::Admin,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Drafter => "拟稿",
            Role::Checker => "核稿",
            Role::Signer => "签发",
            Role::Admin => "管理",
        }
    }
}

/// The roles as users type them.
pub const ROLES: &str = "拟稿、核稿、签发、管理";

/// A signed-in person (or, on loopback, the machine's own user).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub name: String,
    pub role: Role,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub who: String,
    pub action: String,
    pub what: String,
    pub from: String,
}

/// The accounts file.
pub struct Accounts {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn db(path: &Path, e: rusqlite::Error) -> Error {
    Error::other(format!("账户文件 {} 读写失败：{e}", path.display()))
}

/// Random bytes as hex, from the operating system.
pub fn token() -> String {
    let mut b = [0u8; 32];
    // The OS generator failing is not something a user can act on; a
    // zeroed token would be guessable, so stop instead.
    getrandom::fill(&mut b).expect("the operating system's random generator works");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Accounts {
    /// Opens (creating) `workbench.db` in the data folder.
    pub fn open(data: &Path) -> Result<Accounts> {
        let path = data.join("workbench.db");
        let conn = Connection::open(&path).map_err(|e| db(&path, e))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| db(&path, e))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS users (
               name TEXT PRIMARY KEY,
               role TEXT NOT NULL,
               hash TEXT NOT NULL,
               created TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS audit (
               id INTEGER PRIMARY KEY,
               at TEXT NOT NULL,
               who TEXT NOT NULL,
               action TEXT NOT NULL,
               what TEXT NOT NULL,
               origin TEXT NOT NULL DEFAULT ''
             );",
        )
        .map_err(|e| db(&path, e))?;
        Ok(Accounts {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds (or, with `replace`, changes) an account.
    pub fn add(&self, name: &str, role: Role, password: &str, replace: bool) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 32 || name.chars().any(char::is_control) {
            return Err(Error::other("姓名要写 1 到 32 个字，不含控制字符。"));
        }
        if password.chars().count() < 8 {
            return Err(Error::other("密码至少 8 位。"));
        }
        let hash = hash_password(password)?;
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        let conn = self.conn();
        let sql = if replace {
            "INSERT INTO users (name, role, hash, created) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET role = ?2, hash = ?3"
        } else {
            "INSERT INTO users (name, role, hash, created) VALUES (?1, ?2, ?3, ?4)"
        };
        match conn.execute(sql, params![name, role.label(), hash, now]) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(Error::other(format!(
                    "已有名为“{name}”的账户。要改密码或角色，加上 --replace。"
                )))
            }
            Err(e) => Err(db(&self.path, e)),
        }
    }

    pub fn remove(&self, name: &str) -> Result<bool> {
        self.conn()
            .execute("DELETE FROM users WHERE name = ?1", params![name.trim()])
            .map(|n| n > 0)
            .map_err(|e| db(&self.path, e))
    }

    pub fn list(&self) -> Result<Vec<(User, String)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT name, role, created FROM users ORDER BY name")
            .map_err(|e| db(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .map_err(|e| db(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, created) = row.map_err(|e| db(&self.path, e))?;
            if let Some(role) = Role::parse(&role) {
                out.push((User { name, role }, created));
            }
        }
        Ok(out)
    }

    pub fn is_empty(&self) -> Result<bool> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))
            .map(|n| n == 0)
            .map_err(|e| db(&self.path, e))
    }

    /// The account if the password is right.
    pub fn verify(&self, name: &str, password: &str) -> Result<Option<User>> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT role, hash FROM users WHERE name = ?1",
                params![name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| db(&self.path, e))?;
        let Some((role, hash)) = row else {
            // Same work for an unknown name, so timing does not tell names.
            let _ = verify_password(password, dummy_hash());
            return Ok(None);
        };
        if !verify_password(password, &hash) {
            return Ok(None);
        }
        Ok(Role::parse(&role).map(|role| User {
            name: name.trim().to_string(),
            role,
        }))
    }

    /// Writes one line of the audit log.
    pub fn audit(&self, who: &str, action: &str, what: &str, from: &str) {
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        let done = self.conn().execute(
            "INSERT INTO audit (at, who, action, what, origin) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now, who, action, what, from],
        );
        if let Err(e) = done {
            eprintln!("错误：审计日志写不进 {}：{e}", self.path.display());
        }
    }

    /// The latest audit lines, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT at, who, action, what, origin FROM audit ORDER BY id DESC LIMIT ?1")
            .map_err(|e| db(&self.path, e))?;
        let rows = stmt
            .query_map(params![limit as i64], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    who: r.get(1)?,
                    action: r.get(2)?,
                    what: r.get(3)?,
                    from: r.get(4)?,
                })
            })
            .map_err(|e| db(&self.path, e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| db(&self.path, e))
    }
}

/// The hash of a random password, checked against when a name is
/// unknown (made once).
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&token()).unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::other(format!("取随机数失败：{e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::other(format!("内部错误：{e}")))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::other(format!("内部错误：密码加密失败：{e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// How long a session lasts without use.
const IDLE: Duration = Duration::from_secs(8 * 3600);

/// A signed-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    seen: Instant,
}

/// The sessions in memory, and the failed sign-ins.
#[derive(Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Failed sign-ins of one account name allowed before waiting.
const FREE_TRIES: u32 = 5;

/// Failed sign-ins from one address allowed before waiting: generous, as
/// a whole office may sign in from behind one NAT address, and the
/// account's own count already stops guessing at one name.
const FREE_TRIES_PER_ADDRESS: u32 = 100;

/// Who a failed sign-in is counted against.
fn keys(name: &str, ip: &str) -> [(String, u32); 2] {
    [
        (format!("name:{}", name.trim()), FREE_TRIES),
        (format!("ip:{ip}"), FREE_TRIES_PER_ADDRESS),
    ]
}

impl Sessions {
    /// Starts a session; returns (cookie token, CSRF token).
    pub fn start(&self, user: User) -> (String, String) {
        let (t, csrf) = (token(), token());
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, s| s.seen.elapsed() < IDLE);
        map.insert(
            t.clone(),
            Session {
                user,
                csrf: csrf.clone(),
                seen: Instant::now(),
            },
        );
        (t, csrf)
    }

    pub fn get(&self, token: &str) -> Option<Session> {
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        let s = map.get_mut(token)?;
        if s.seen.elapsed() >= IDLE {
            map.remove(token);
            return None;
        }
        s.seen = Instant::now();
        Some(s.clone())
    }

    pub fn end(&self, token: &str) {
        self.by_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
    }

    /// How long a sign-in as `name` from `ip` must still wait: after 5
    /// failures for the name (or 100 from the address), 30 seconds,
    /// doubling with each further failure, at most 15 minutes. Throttling
    /// is per account, so one clerk's mistyped password does not lock out
    /// the office behind the same address.
    pub fn wait(&self, name: &str, ip: &str) -> Option<Duration> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys(name, ip)
            .iter()
            .filter_map(|(k, free)| {
                let (n, at) = map.get(k)?;
                let n = n.checked_sub(*free)?;
                let lock = Duration::from_secs(30u64 << n.min(5)).min(Duration::from_secs(900));
                lock.checked_sub(at.elapsed())
            })
            .max()
    }

    pub fn failed(&self, name: &str, ip: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (_, at)| at.elapsed() < Duration::from_secs(900));
        }
        for (k, _) in keys(name, ip) {
            let e = map.entry(k).or_insert((0, Instant::now()));
            e.0 += 1;
            e.1 = Instant::now();
        }
    }

    /// Clears the account's failures; the address's stay, so one valid
    /// account cannot reset the address's ceiling while guessing others.
    pub fn succeeded(&self, name: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("name:{}", name.trim()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let a = Accounts::open(dir.path()).unwrap();
        a.add("张三", Role::Signer, "correct horse", false).unwrap();
        assert!(a.add("张三", Role::Signer, "another one", false).is_err());
        assert!(a.verify("张三", "wrong password").unwrap().is_none());
        let u = a.verify("张三", "correct horse").unwrap().unwrap();
        assert_eq!(u.role, Role::Signer);
        assert!(a.verify("李四", "correct horse").unwrap().is_none());
        let stored: String = a
            .conn()
            .query_row("SELECT hash FROM users", [], |r| r.get(0))
            .unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("correct"));
    }

    #[test]
    fn failed_sign_ins_are_throttled_per_account() {
        let s = Sessions::default();
        for _ in 0..FREE_TRIES {
            assert!(s.wait("张三", "10.0.0.9").is_none());
            s.failed("张三", "10.0.0.9");
        }
        s.failed("张三", "10.0.0.9");
        assert!(s.wait("张三", "10.0.0.9").is_some());
        assert!(s.wait("张三", "10.0.0.7").is_some(), "another address too");
        assert!(s.wait("李四", "10.0.0.9").is_none(), "not the office");
        s.succeeded("张三");
        assert!(s.wait("张三", "10.0.0.9").is_none());
        // Guessing at many names from one address meets its ceiling.
        for i in 0..=FREE_TRIES_PER_ADDRESS {
            s.failed(&format!("用户{i}"), "10.0.0.66");
        }
        assert!(s.wait("王五", "10.0.0.66").is_some());
        assert!(s.wait("王五", "10.0.0.9").is_none());
    }
}
