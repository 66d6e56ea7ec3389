//! Validated document models, one file per document family.

pub mod approval;
pub mod date;
pub mod notice;
pub mod number;

pub use notice::Notice;
