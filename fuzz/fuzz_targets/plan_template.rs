//! Content-template expansion for one unit: never a panic, data stays data.
#![no_main]

#[path = "../bodies/plan_template.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
