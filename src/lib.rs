//! gongwen: structured data → GB/T 9704-2012 党政机关公文 PDF, through an
//! embedded Typst compiler.
//!
//! The pipeline is `source` (YAML with positions) → `model` (typed, serde)
//! → `layout` (validated layout data, composed lines) → `typeset` (Typst
//! world, templates, PDF).

pub mod archive;
pub mod batch;
pub mod compose;
pub mod error;
pub mod inspect;
pub mod layout;
pub mod ledger;
pub mod model;
pub mod plan;
pub mod register;
pub mod render;
pub mod scaffold;
pub mod source;
pub mod squeeze;
pub mod summary;
pub mod typeset;

pub use error::{Diagnostic, Error, Result};
