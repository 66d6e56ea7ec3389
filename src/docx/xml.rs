//! Text as XML character data: user strings are escaped, never markup.

/// Escapes `&`, `<`, `>`, `"` and `'`, and leaves out characters XML 1.0
/// cannot hold (C0 controls other than tab and newline, U+FFFE, U+FFFF,
/// unpaired surrogates cannot occur in a Rust string).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_user_text_stays_text() {
        assert_eq!(
            esc("</w:t><w:r>&\"'\u{1}"),
            "&lt;/w:t&gt;&lt;w:r&gt;&amp;&quot;&apos;"
        );
    }
}
