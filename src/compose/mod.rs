//! Composition: turning clerk-typed text into laid-out lines before Typst
//! sees it — heading levels, punctuation, the 28-character grid and title
//! line breaks.

pub mod grid;
pub mod heading;
pub mod names;
pub mod punct;
pub mod title;
