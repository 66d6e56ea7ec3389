//! The integration tests: one binary (linking the Typst engine once), one
//! module per product area. `common` holds the shared helpers: the engine
//! with the bundled fonts, the `gongwen` command runner, and measuring.

mod archive;
mod clerk;
mod cli;
mod common;
mod content;
mod docx;
mod errors;
mod fuzz_corpus;
mod hardening;
mod hollow;
mod hostile;
mod layout;
mod layout_closing;
mod ledger;
mod ofd;
mod paste;
mod plan;
mod plan_items;
mod register;
mod safety;
mod serve;
mod summary;
mod table;
mod titles;
mod units;
mod word;
