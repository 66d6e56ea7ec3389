//! Hollow fonts (typeset::hollow, issue 20): a one-document run lays out
//! with fonts whose unused outlines are empty; the PDF must be byte for
//! byte the one the whole fonts give.

use std::collections::HashSet;

use gongwen::render::{self, EngineOptions};
use gongwen::typeset::fonts::FontOptions;
use gongwen::typeset::Engine;
use typst_layout::PagedDocument;

use crate::common::*;

fn engine(hollow: bool) -> Engine {
    let opts = EngineOptions {
        fonts: FontOptions {
            no_system_fonts: true,
            ..Default::default()
        },
        templates: None,
    };
    let mut engine = render::engine(&opts).expect("engine loads");
    if hollow {
        engine.hollow_fonts();
    }
    engine
}

/// Sizes of the font files the pages were drawn with.
fn font_sizes(doc: &PagedDocument) -> HashSet<usize> {
    fn walk(frame: &typst::layout::Frame, out: &mut HashSet<usize>) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.insert(t.font.font().data().len());
                }
                _ => {}
            }
        }
    }
    let mut out = HashSet::new();
    for p in doc.pages() {
        walk(&p.frame, &mut out);
    }
    out
}

fn pdfs(engine: &Engine, path: &std::path::Path) -> (Vec<u8>, Option<Vec<u8>>, HashSet<usize>) {
    let doc = render::prepare(engine, path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages = render::pages(engine, &doc).expect("layout");
    let sizes = font_sizes(&pages);
    let pdf = gongwen::typeset::pdf(&pages, "hollow-test").expect("pdf");
    let approval = doc.approval.is_some().then(|| {
        let a = render::approval_pages(engine, &doc).expect("approval");
        gongwen::typeset::pdf(&a, "hollow-test").expect("pdf")
    });
    (pdf, approval, sizes)
}

#[test]
fn hollow_fonts_give_the_same_pdf_bytes_as_the_whole_fonts() {
    let whole = engine(false);
    let hollow = engine(true);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files: Vec<std::path::PathBuf> = [
        "qianquan-2019-8.yaml",
        "lingchuan-2020-28.yaml",
        "zezhou-2021-24.yaml",
    ]
    .iter()
    .map(|s| root().join("samples").join(s))
    .collect();
    // Titles and text the bundled faces shape with GSUB (“——” joined, Latin
    // ligatures), rare characters drawn by the fallback faces (TrueType
    // LXGW WenKai, CFF Noto), kana, full-width digits, a 附件 page.
    for (i, extra) in [
        "title: 关于开展“安全生产月”活动——以WiFi、office和ﬁ为例的通知\nbody: |\n  一、总体要求\n  （一）王堃、张喆、𠮷野家……请于６月３０日前报送。\n  二、工作安排\n  にほん語と한국어も。\n",
        "kind: 请示\ntitle: 关于2024年第二季度1—6月安全检查经费的请示\nsigners: [王堃]\nbody: |\n  请认真组织开展安全检查——重点是“九小场所”。\nattachments:\n  - title: 安全检查表\n    body: |\n      检查对象为全县“九小场所”。\n",
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("t{i}.yaml"));
        std::fs::write(&path, notice(extra)).expect("write");
        files.push(path);
    }
    for path in &files {
        let (a, a_approval, whole_sizes) = pdfs(&whole, path);
        let (b, b_approval, hollow_sizes) = pdfs(&hollow, path);
        assert!(a == b, "{}: the PDFs differ", path.display());
        assert!(
            a_approval == b_approval,
            "{}: the 签批单 PDFs differ",
            path.display()
        );
        // The hollow run did use hollow faces: the CJK faces it drew with
        // are a few MB at most, where the whole ones are 5–25 MB.
        assert!(
            whole_sizes.iter().any(|s| *s > 4_000_000),
            "{whole_sizes:?}"
        );
        let big: Vec<_> = hollow_sizes.iter().filter(|s| **s > 4_000_000).collect();
        assert!(
            big.iter().all(|s| whole_sizes.contains(s)) && big.len() < whole_sizes.len(),
            "{}: hollow run drew with whole fonts {big:?} (whole run: {whole_sizes:?})",
            path.display()
        );
    }
    assert_eq!(hollow.hollow_relayouts(), 0, "a glyph was left empty");
}
