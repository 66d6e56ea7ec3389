//! 发文字号 parsing: any string parses or gives a message; a parsed number
//! prints back to a string that parses to the same number.
#![no_main]

#[path = "../bodies/doc_number.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
