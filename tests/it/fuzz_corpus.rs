//! The fuzz targets' bodies (fuzz/bodies/, shared with fuzz/fuzz_targets/)
//! run on every file of their corpus (fuzz/corpus/<target>/): each target's
//! own assertions hold on its seeds without building cargo-fuzz.

#[path = "../../fuzz/bodies/body_text.rs"]
mod body_text;
#[path = "../../fuzz/bodies/doc_number.rs"]
mod doc_number;
#[path = "../../fuzz/bodies/ledger_rows.rs"]
mod ledger_rows;
#[path = "../../fuzz/bodies/notice_yaml.rs"]
mod notice_yaml;
#[path = "../../fuzz/bodies/plan_template.rs"]
mod plan_template;
#[path = "../../fuzz/bodies/word_docx.rs"]
mod word_docx;

/// Runs `body` on every corpus file of `target`; returns how many there were.
fn corpus(target: &str, body: fn(&[u8])) -> usize {
    let dir = crate::common::root().join("fuzz/corpus").join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let r = std::panic::catch_unwind(|| body(&data));
        assert!(
            r.is_ok(),
            "fuzz target {target} fails on {}",
            path.display()
        );
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
    n
}

#[test]
fn fuzz_target_body_text_on_its_corpus() {
    corpus("body_text", body_text::run);
}

#[test]
fn fuzz_target_doc_number_on_its_corpus() {
    corpus("doc_number", doc_number::run);
}

#[test]
fn fuzz_target_ledger_rows_on_its_corpus() {
    corpus("ledger_rows", ledger_rows::run);
}

#[test]
fn fuzz_target_notice_yaml_on_its_corpus() {
    corpus("notice_yaml", notice_yaml::run);
}

#[test]
fn fuzz_target_plan_template_on_its_corpus() {
    corpus("plan_template", plan_template::run);
}

#[test]
fn fuzz_target_word_docx_on_its_corpus() {
    corpus("word_docx", word_docx::run);
}
