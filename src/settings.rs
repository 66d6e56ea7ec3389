//! An office's settings file, `gongwen.toml`: what every document of an
//! office shares — font folders, the one 发文登记簿, the issuer, 署名 and
//! 印发机关 — so `--font-dir` and `--register` are not needed on every
//! command and two folders of one office use one register.
//!
//! It is found like `.git`: in the document's folder or the nearest parent
//! that has one. Paths in it are relative to its own folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error};
use crate::model::notice::{Issuer, Notice, OneOrMany};

/// The file name looked for.
pub const FILE: &str = "gongwen.toml";

/// A settings file is a few lines; anything bigger is a wrong file.
const MAX_BYTES: usize = 100_000;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The file it was read from.
    pub path: PathBuf,
    /// Font folders, searched before the system's.
    pub font_dirs: Vec<PathBuf>,
    /// The office's 发文登记簿.
    pub register: Option<PathBuf>,
    pub defaults: Defaults,
}

/// Values a document takes when it does not give its own.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// 发文机关标志, e.g. “青石县人民政府办公室文件”.
    pub issuer: Option<String>,
    /// 发文机关署名.
    pub signature: Option<String>,
    /// 印发机关.
    pub printer: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    fonts: Vec<PathBuf>,
    register: Option<PathBuf>,
    #[serde(default)]
    defaults: Defaults,
}

impl Settings {
    /// The settings for a document (or a folder): the nearest
    /// `gongwen.toml` at or above it, if any.
    pub fn find(start: &Path) -> Result<Option<Settings>, Error> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            match start.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let Ok(abs) = std::fs::canonicalize(&start) else {
            return Ok(None);
        };
        for dir in abs.ancestors() {
            let file = dir.join(FILE);
            if file.is_file() {
                return Settings::read(&file).map(Some);
            }
        }
        Ok(None)
    }

    pub fn read(path: &Path) -> Result<Settings, Error> {
        let bytes = crate::guard::read_capped(path, MAX_BYTES, "设置文件")?;
        let fail = |msg: String, at: Option<(usize, usize)>| {
            let mut d = Diagnostic::error(path, "", msg).hint(
                "gongwen.toml 的写法见 `gongwen new 设置`；每行写成 键 = \"值\"，文字要加英文双引号。",
            );
            if let Some((line, col)) = at {
                d = d.at(line, col);
            }
            Error::Input(vec![d])
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| fail("设置文件不是 UTF-8 编码的文本。".into(), None))?;
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_col(text, s.start));
            fail(format!("设置文件写得不对：{}", toml_zh(e.message())), at)
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Ok(Settings {
            path: path.to_path_buf(),
            font_dirs: file.fonts.iter().map(|f| dir.join(f)).collect(),
            register: file.register.map(|r| dir.join(r)),
            defaults: file.defaults,
        })
    }

    /// Fills the fields a document left out with the office's values.
    pub fn apply(&self, n: &mut Notice) {
        let d = &self.defaults;
        if n.issuer.is_none() {
            n.issuer = d.issuer.clone().map(Issuer::Text);
        }
        if n.signature.is_none() {
            n.signature = d.signature.clone().map(OneOrMany::One);
        }
        if n.printer.is_none() {
            n.printer = d.printer.clone();
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The toml parser's common messages in Chinese.
fn toml_zh(msg: &str) -> String {
    if msg.contains("unknown field") {
        let field = msg.split('`').nth(1).unwrap_or("");
        format!("不认识的设置项“{field}”（可用：fonts、register、[defaults] 下的 issuer、signature、printer）")
    } else if msg.contains("invalid string") || msg.contains("expected") || msg.contains("invalid")
    {
        format!("格式错误（{msg}）；文字值要用英文双引号括起来")
    } else if msg.contains("duplicate key") {
        "同一个设置项写了两次".into()
    } else {
        format!("无法解析（{msg}）")
    }
}

/// A commented settings file for `gongwen new 设置`.
pub const SCAFFOLD: &str = r#"# gongwen.toml：本办公室的公共设置。放在公文所在的文件夹或它的上级文件夹里，
# 该文件夹及其所有子文件夹中的公文都使用这些设置（路径相对于本文件所在的文件夹）。

# 字体文件夹（放正版方正小标宋、仿宋_GB2312、楷体_GB2312、黑体等字体文件）
fonts = ["字体"]

# 全办公室共用的发文登记簿（各子文件夹的公文都在这里取号）
register = "发文登记簿.db"

# 公文里没写这些项时使用的默认值
[defaults]
issuer = "青石县人民政府办公室文件"
signature = "青石县人民政府办公室"
printer = "青石县人民政府办公室"
"#;
