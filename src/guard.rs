//! Guards on everything a user hands in: reads that stop at a limit (a
//! device, a pipe or a huge file never fills memory) and the characters no
//! document should contain (control, bidirectional and invisible format
//! characters), named in Chinese so a clerk can find and delete them.

use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// Reads at most `limit` bytes of a regular file; a larger file, or one that
/// is not a regular file (a device, a FIFO, a folder), is an error naming
/// `what`.
pub fn read_capped(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, Error> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::other(format!(
            "读不了{what} {shown}：{}。请检查路径是否写对。",
            io_reason(&e)
        ))
    })?;
    if !meta.is_file() {
        return Err(Error::other(format!(
            "{what} {shown} 不是普通文件（可能是文件夹或设备）。请指定一个文件。"
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::other(format!("读不了{what} {shown}：{}。", io_reason(&e))))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::other(format!("读不了{what} {shown}：{}。", io_reason(&e))))?;
    if bytes.len() > limit {
        return Err(Error::other(format!(
            "{what} {shown} 超过了 {} 的上限。请检查是否选错了文件。",
            size_text(limit)
        )));
    }
    Ok(bytes)
}

/// “8 MB”, “512 KB”.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else {
        format!("{} KB", bytes / 1_000)
    }
}

/// An I/O error in Chinese.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "磁盘是只读的".into(),
        K::IsADirectory => "这是一个文件夹".into(),
        _ => format!("系统错误（{e}）"),
    }
}

/// The Chinese name of a character no input may contain, or `None` for an
/// ordinary character. Line feeds, carriage returns and tabs are layout of
/// the file, not text, and pass.
pub fn forbidden(c: char) -> Option<&'static str> {
    Some(match c {
        '\n' | '\r' | '\t' => return None,
        '\u{0}' => "空字符（NUL）",
        '\u{7}' => "响铃符（BEL）",
        '\u{8}' => "退格符",
        '\u{B}' => "垂直制表符（Word 的手动换行）",
        '\u{C}' => "换页符（Word 的分页符）",
        '\u{1B}' => "转义符（ESC）",
        '\u{1}'..='\u{1F}' => "控制字符",
        '\u{7F}' => "删除符（DEL）",
        '\u{80}'..='\u{9F}' => "控制字符（C1）",
        '\u{AD}' => "软连字符",
        '\u{61C}' => "阿拉伯文字母标记",
        '\u{200B}' => "零宽空格",
        '\u{200C}' => "零宽不连字",
        '\u{200D}' => "零宽连字",
        '\u{200E}' => "从左到右标记",
        '\u{200F}' => "从右到左标记",
        '\u{2028}' => "行分隔符",
        '\u{2029}' => "段分隔符",
        '\u{202A}' => "从左到右嵌入",
        '\u{202B}' => "从右到左嵌入",
        '\u{202C}' => "方向格式结束",
        '\u{202D}' => "从左到右覆盖",
        '\u{202E}' => "从右到左覆盖",
        '\u{2060}' => "零宽不换行",
        '\u{2061}'..='\u{2064}' => "不可见的数学符号",
        '\u{2066}' => "从左到右隔离",
        '\u{2067}' => "从右到左隔离",
        '\u{2068}' => "首强隔离",
        '\u{2069}' => "方向隔离结束",
        '\u{FEFF}' => "零宽不换行空格（BOM）",
        '\u{FFF9}'..='\u{FFFB}' => "行间注释符",
        _ => return None,
    })
}

/// A forbidden character found in a text: where, which, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbidden {
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub ch: char,
    pub name: &'static str,
}

impl Forbidden {
    /// “U+202E 从右到左覆盖”
    pub fn label(&self) -> String {
        format!("U+{:04X} {}", self.ch as u32, self.name)
    }
}

/// Every forbidden character of `text`, with its line and column.
pub fn scan(text: &str) -> Vec<Forbidden> {
    let mut out = Vec::new();
    for (li, line) in text.split('\n').enumerate() {
        for (ci, ch) in line.chars().enumerate() {
            if let Some(name) = forbidden(ch) {
                out.push(Forbidden {
                    line: li + 1,
                    column: ci + 1,
                    ch,
                    name,
                });
            }
        }
    }
    out
}

/// How to remove such characters, for every message that names one.
pub const FORBIDDEN_HINT: &str = "这些字符看不见，多是从 Word、网页或 PDF 复制文字时带进来的。请在记事本或 WPS 中删去这个位置的字符（可先删去整个词再重新输入）。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_invisible_characters_with_their_place() {
        let found = scan("第一行\n甲\u{202E}乙\u{200B}");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].column), (2, 2));
        assert_eq!(found[0].label(), "U+202E 从右到左覆盖");
        assert_eq!(found[1].label(), "U+200B 零宽空格");
        assert!(scan("普通文字\t和 tab\r\n").is_empty());
    }
}
