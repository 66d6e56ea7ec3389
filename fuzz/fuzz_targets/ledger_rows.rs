//! CSV and XLSX ledger rows → checked rows → a month: any bytes give rows or
//! row-level errors, never a panic.
#![no_main]

#[path = "../bodies/ledger_rows.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
