//! gongwen: structured data → GB/T 9704-2012 党政机关公文 PDF, through an
//! embedded Typst compiler.
//!
//! The pipeline (see ARCHITECTURE.md):
//!
//! ```text
//! source / tabular / plan / reports / import   ways in: YAML files, tables, documents gongwen builds, Word drafts,
//! serve                                        the web form (`gongwen serve`)
//!          │  a model::Notice (file inputs keep line:column in an Origin)
//!          ▼
//! layout   Builder: validated layout data (Layout, ApprovalForm) + Facts
//!          ▼
//! render   the pipeline: numbering policy (register), typeset, write (output)
//!          ▼
//! typeset  Typst world, templates, pages, PDF / PDF/A
//! ```

pub mod batch;
pub mod compose;
pub mod docx;
pub mod error;
pub mod fix;
pub mod geometry;
pub mod guard;
pub mod import;
pub mod layout;
pub mod model;
pub mod output;
pub mod plan;
pub mod register;
pub mod render;
pub mod reports;
pub mod scaffold;
pub mod serve;
pub mod settings;
pub mod source;
pub mod tabular;
pub mod typeset;

pub use error::{Diagnostic, Error, Result};
