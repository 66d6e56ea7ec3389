//! 发文字号 parsing: any string parses or gives a message; a parsed number
//! prints back to a string that parses to the same number.
#![no_main]

use gongwen::model::number::DocNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = DocNumber::parse(s) {
        if n.seq.is_some() {
            assert_eq!(DocNumber::parse(&n.display()).as_ref(), Ok(&n));
        }
    }
});
