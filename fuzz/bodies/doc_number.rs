//! 发文字号 parsing: any string parses or gives a message; a parsed number
//! prints back to a string that parses to the same number.

use gongwen::model::number::DocNumber;

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = DocNumber::parse(s) {
        if n.seq.is_some() {
            assert_eq!(DocNumber::parse(&n.display()).as_ref(), Ok(&n));
        }
    }
}
