//! Word drafts: any document.xml (with numbering.xml and styles.xml after
//! NUL bytes) imports or is refused with a Chinese message; an import
//! always writes YAML that reads back to a notice.
#![no_main]

#[path = "../bodies/word_docx.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
