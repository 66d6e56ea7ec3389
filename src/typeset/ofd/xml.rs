//! The little XML writing the package needs: escaping and numbers.

/// Text for XML content or a quoted attribute. Characters XML 1.0 cannot
/// hold (C0 controls other than tab and line breaks) are left out; gongwen
/// refuses them in input anyway.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A length in millimetres to 0.001 mm, without trailing zeros.
pub fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" | "" => "0".to_string(),
        s => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_escapes() {
        assert_eq!(num(5.644444), "5.644");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(210.0), "210");
        assert_eq!(num(0.35), "0.35");
        assert_eq!(esc("A&B<\"〔2019〕\u{1}"), "A&amp;B&lt;&quot;〔2019〕");
    }
}
