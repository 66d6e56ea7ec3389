//! YAML 公文 input → validation → layout data (no Typst compile): any bytes
//! give a layout or Chinese diagnostics, never a panic.

use std::path::Path;
use std::sync::OnceLock;

use gongwen::typeset::fonts::{FontOptions, FontSet};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| {
        FontSet::load(&FontOptions {
            no_system_fonts: true,
            ..Default::default()
        })
        .expect("bundled fonts")
    })
}

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let Ok(src) = gongwen::source::SourceFile::from_bytes(Path::new("fuzz.yaml"), data) else {
        return;
    };
    let Ok(notice) = src.parse::<gongwen::model::Notice>() else {
        return;
    };
    let origin = gongwen::source::Origin::File(src);
    let (built, diags) = gongwen::layout::Builder::new(&origin, fonts()).build(&notice);
    if let Some(b) = built {
        let _ = serde_json::to_vec(&b.layout);
    }
    for d in diags {
        let _ = d.to_string();
    }
}
