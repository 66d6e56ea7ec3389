//! The little XML writing the package needs: escaping and numbers.

/// Text for XML content or a quoted attribute (the one escape of
/// [`crate::output::escape_markup`]).
pub use crate::output::escape_markup as esc;

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
