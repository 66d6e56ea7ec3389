//! YAML 公文 input → validation → layout data (no Typst compile): any bytes
//! give a layout or Chinese diagnostics, never a panic.
#![no_main]

#[path = "../bodies/notice_yaml.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
