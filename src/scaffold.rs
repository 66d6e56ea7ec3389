//! `gongwen new`: commented YAML scaffolds, one per 文种, that render as
//! they are. They are data (`templates/new/*.yaml`), written for a county or
//! street office, so an office can read and copy them without reading code.

/// The scaffolds, in the order of the 15 文种 of the 条例 (纪要 last).
const SCAFFOLDS: [(&str, &str); 15] = [
    ("决议", include_str!("../templates/new/决议.yaml")),
    ("决定", include_str!("../templates/new/决定.yaml")),
    ("命令", include_str!("../templates/new/命令.yaml")),
    ("公报", include_str!("../templates/new/公报.yaml")),
    ("公告", include_str!("../templates/new/公告.yaml")),
    ("通告", include_str!("../templates/new/通告.yaml")),
    ("意见", include_str!("../templates/new/意见.yaml")),
    ("通知", include_str!("../templates/new/通知.yaml")),
    ("通报", include_str!("../templates/new/通报.yaml")),
    ("报告", include_str!("../templates/new/报告.yaml")),
    ("请示", include_str!("../templates/new/请示.yaml")),
    ("批复", include_str!("../templates/new/批复.yaml")),
    ("议案", include_str!("../templates/new/议案.yaml")),
    ("函", include_str!("../templates/new/函.yaml")),
    ("纪要", include_str!("../templates/new/纪要.yaml")),
];

/// 文种 with a scaffold.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    SCAFFOLDS.iter().map(|(k, _)| *k)
}

/// The scaffold of a 文种 (“令” is 命令).
pub fn scaffold(kind: &str) -> Option<String> {
    let kind = if kind.trim() == "令" {
        "命令"
    } else {
        kind.trim()
    };
    if matches!(kind, "设置" | "gongwen.toml") {
        return Some(crate::settings::SCAFFOLD.to_string());
    }
    SCAFFOLDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, text)| text.to_string())
}
