//! 正文 heading detection, punctuation normalisation and title breaking:
//! never panic, never lose or invent text.

use gongwen::compose::{heading, punct, title};

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (norm, _) = punct::normalise(s);
    assert_eq!(
        norm.chars().count(),
        s.chars().count(),
        "normalising keeps one character per character"
    );
    for line in norm.lines() {
        let p = heading::detect(line.trim());
        let _ = (p.head.len(), p.rest.len());
    }
    if s.chars().count() < 200 && !s.contains('\n') && !s.trim().is_empty() {
        let lines = title::break_title(s.trim(), &[]);
        assert_eq!(lines.concat(), s.trim(), "title breaking keeps the text");
    }
}
