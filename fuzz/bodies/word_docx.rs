//! Word drafts: any document.xml (with numbering.xml and styles.xml after
//! NUL bytes) imports or is refused with a Chinese message; an import
//! always writes YAML that reads back to a notice (never “内部错误”).

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = s.split('\0');
    let document = parts.next().unwrap_or("");
    let numbering = parts.next();
    let styles = parts.next();
    match gongwen::import::import_docx_parts(document, numbering, styles) {
        // A notice has its 文种; a stand-alone 方案 its format.
        Ok(imported) => assert!(
            imported.yaml.contains("kind: ") || imported.yaml.contains("format: 方案"),
            "{}",
            imported.yaml
        ),
        Err(e) => {
            assert!(!e.contains("内部错误"), "{e}");
            assert!(
                e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{e}"
            );
        }
    }
}
