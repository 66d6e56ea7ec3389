//! Content: the seeds' full text is on the pages, in order — in the laid-out
//! document and in the PDF's extractable text.

use crate::common::*;

/// Seed text normalised the way the samples document their fixes.
fn normalise(s: &str) -> String {
    let s = s
        .replace('(', "（")
        .replace(')', "）")
        .replace('﹝', "〔")
        .replace('﹞', "〕");
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Paragraphs of a seed between two markers (exclusive of `end`).
fn seed_paras(file: &str, start: &str, end: Option<&str>, skip: &[&str]) -> Vec<String> {
    // Copies of ../shared/seeds, so a fresh clone can run the test.
    let text = std::fs::read_to_string(root().join("tests/seeds").join(file))
        .expect("seed file in tests/seeds");
    let a = text.find(start).expect("start marker");
    let b = end
        .map(|e| text[a..].find(e).expect("end marker") + a)
        .unwrap_or(text.len());
    // The seeds' PDF extraction cut some paragraphs at page breaks.
    let body = text[a..b]
        .replace("委\n\n会主任", "委会主任")
        .replace("通过\n\n各类", "通过各类")
        .replace("直接\n\n责任人", "直接责任人");
    body.lines()
        .map(normalise)
        .filter(|l| !l.is_empty() && !skip.iter().any(|s| l.contains(s)))
        .collect()
}

/// Asserts every paragraph occurs in `doc`, each after the previous one.
fn assert_in_order(doc: &str, paras: &[String], what: &str) {
    let mut at = 0;
    for p in paras {
        match doc[at..].find(p.as_str()) {
            Some(i) => at += i + p.len(),
            None => {
                let anywhere = doc.contains(p.as_str());
                panic!(
                    "{what}: paragraph {} (elsewhere in the document: {anywhere}):\n{p}",
                    if anywhere { "out of order" } else { "missing" }
                );
            }
        }
    }
}

/// Text of the PDF as a PDF reader extracts it (lopdf, through the fonts'
/// ToUnicode maps), page numbers removed.
fn pdf_text(sample: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let status = crate::common::command()
        .args([
            "render",
            root().join("samples").join(sample).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-system-fonts",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let doc = lopdf::Document::load(&out).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().cloned().collect();
    let txt = doc.extract_text(&pages).expect("extractable text");
    let s: String = txt.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut rest = s.as_str();
    // Drop page numbers “—N—”.
    while let Some(i) = rest.find('—') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '—'.len_utf8()..];
        let digits = after.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push('—');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn qianquan_paras() -> Vec<String> {
    let mut notice = seed_paras(
        "000_2b80bdad4c6509a5.txt",
        "千街发〔2019〕8号",
        Some("千泉街道党政办公室"),
        &[],
    );
    // The red header text of the seed is garbled by extraction; the title's
    // space is a line break.
    notice.retain(|p| !p.starts_with("千泉街道办事处关于印发"));
    notice.insert(1, "千泉街道办事处关于印发《千泉街道深化“素质固安”工程、强化行政执法、开展“零事故”村（居）创建活动实施方案》的通知".to_string());
    let plan = seed_paras(
        "000_2b80bdad4c6509a5.txt",
        "千泉街道深化“素质固安”工程、强化行政执法、开展“零事故”村（居）创建活动实施方案\n",
        Some("千泉街道党工委、办事处 () 公文签批单"),
        &[],
    );
    let mut all = notice;
    all.extend(plan);
    all
}

#[test]
fn seed_000_full_text_in_order() {
    let ins = sample("qianquan-2019-8.yaml");
    let doc = ins.text();
    assert_in_order(&doc, &qianquan_paras(), "seed 000 (layout)");
    // 版记 last (GW-E-01).
    assert_in_order(
        &doc,
        &["千泉街道党政办公室2019年4月15日印发".to_string()],
        "seed 000 版记",
    );
    assert!(doc.contains("共印80份"));
    assert_in_order(
        &pdf_text("qianquan-2019-8.yaml"),
        &qianquan_paras(),
        "seed 000 (PDF text)",
    );
}

#[test]
fn seed_001_full_text_in_order() {
    let paras = seed_paras("001_851fa318a040d9f6.txt", "根据县安委办", None, &[]);
    let ins = sample("lingchuan-2020-28.yaml");
    assert_in_order(&ins.text(), &paras, "seed 001 (layout)");
    assert!(ins.text().contains("陵民字〔2020〕28号"));
    assert_in_order(
        &pdf_text("lingchuan-2020-28.yaml"),
        &paras,
        "seed 001 (PDF text)",
    );
}

#[test]
fn seed_002_full_text_in_order() {
    let paras = seed_paras(
        "002_f466d6329ff1b159.txt",
        "泽安委办发〔2021〕24号",
        Some("\n办公室\n"),
        &[],
    );
    let ins = sample("zezhou-2021-24.yaml");
    assert_in_order(&ins.text(), &paras, "seed 002 (layout)");
    assert_in_order(
        &pdf_text("zezhou-2021-24.yaml"),
        &paras,
        "seed 002 (PDF text)",
    );
}
