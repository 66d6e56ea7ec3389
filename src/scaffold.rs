//! `gongwen new`: commented YAML scaffolds that render as they are.

/// 文种 with a scaffold.
pub const KINDS: [&str; 5] = ["通知", "请示", "报告", "函", "纪要"];

pub fn scaffold(kind: &str) -> Option<String> {
    let _ = kind;
    None
}
