//! Text as XML character data: user strings are escaped, never markup.

/// Escapes user text for WordprocessingML (the one escape of
/// [`crate::output::escape_markup`]).
pub use crate::output::escape_markup as esc;

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_user_text_stays_text() {
        assert_eq!(
            esc("</w:t><w:r>&\"'\u{1}"),
            "&lt;/w:t&gt;&lt;w:r&gt;&amp;&quot;&#39;"
        );
    }
}
