//! 正文 heading detection, punctuation normalisation and title breaking:
//! never panic, never lose or invent text.
#![no_main]

#[path = "../bodies/body_text.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
