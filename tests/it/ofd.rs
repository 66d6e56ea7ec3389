//! OFD output (GB/T 33190-2016, issue 17): the package says what the PDF
//! shows, is the same for the same input, marks the 公文 parts, and opens
//! in a reader nobody here wrote (PyPI easyofd, through
//! `tests/ofd_check.py`), which finds the same text at the same places as
//! in the PDF.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use gongwen::render;
use gongwen::typeset::inspect::Inspection;
use gongwen::typeset::ofd;

use crate::common::{engine, gongwen, notice, root, SEAL_SVG};

/// The files of an OFD package.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an OFD is a zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_string(), b);
    }
    out
}

/// Elements of an XML file: (name, attributes, text).
fn elements(xml: &[u8]) -> Vec<(String, BTreeMap<String, String>, String)> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut out: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut buf = Vec::new();
    let start = |e: &quick_xml::events::BytesStart| {
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    quick_xml::escape::unescape(std::str::from_utf8(&a.value).unwrap())
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect();
        (name, attrs, String::new())
    };
    loop {
        match r.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                out.push(start(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(start(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].2.push_str(&t.unescape().unwrap());
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn sample_package(path: &Path) -> (render::Prepared, typst_layout::PagedDocument, ofd::Package) {
    let doc = render::prepare(engine(), path).expect("prepares");
    let paged = render::pages(engine(), &doc).expect("lays out");
    let info = render::ofd_info(&doc, "test");
    let pkg = ofd::package(&paged, &info).expect("writes OFD");
    (doc, paged, pkg)
}

/// Every character of the pages is in a TextCode, in the same order; every
/// TextCode character without a CGTransform is found through its embedded
/// font's cmap; IDs are unique and below MaxUnitID; DocInfo holds the
/// document's facts; the same input gives the same bytes.
#[test]
fn ofd_package_holds_the_pages_text_fonts_and_facts() {
    for name in [
        "qianquan-2019-8.yaml",
        "lingchuan-2020-28.yaml",
        "zezhou-2021-24.yaml",
    ] {
        let path = root().join("samples").join(name);
        let (doc, paged, pkg) = sample_package(&path);
        let files: BTreeMap<String, Vec<u8>> = pkg.files.iter().cloned().collect();
        for f in ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml"] {
            assert!(files.contains_key(f), "{name}: no {f}");
        }
        // DocInfo.
        let info = elements(&files["OFD.xml"]);
        let text_of = |el: &str| {
            info.iter()
                .find(|e| e.0 == el)
                .map(|e| e.2.clone())
                .unwrap_or_default()
        };
        assert_eq!(text_of("ofd:Title"), doc.facts.title, "{name}");
        assert_eq!(text_of("ofd:Author"), doc.facts.author, "{name}");
        assert_eq!(text_of("ofd:DocID").len(), 32);
        let date = doc.facts.date.expect("sample has a date").0;
        assert_eq!(
            text_of("ofd:CreationDate"),
            date.format("%Y-%m-%d").to_string()
        );
        let number = doc.layout.header.number.clone().expect("a 发文字号");
        assert!(
            info.iter().any(|e| e.0 == "ofd:Keyword" && e.2 == number),
            "{name}: 发文字号 {number} among the keywords"
        );
        // Fonts, by ID.
        let mut fonts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for e in elements(&files["Doc_0/PublicRes.xml"]) {
            if e.0 == "ofd:Font" {
                fonts.insert(e.1["ID"].clone(), Vec::new());
            }
        }
        let public = elements(&files["Doc_0/PublicRes.xml"]);
        let mut current = String::new();
        for e in &public {
            if e.0 == "ofd:Font" {
                current = e.1["ID"].clone();
            }
            if e.0 == "ofd:FontFile" {
                fonts.insert(
                    current.clone(),
                    files[&format!("Doc_0/Res/{}", e.2)].clone(),
                );
            }
        }
        // Pages in order; text of every TextCode; IDs.
        let doc_xml = elements(&files["Doc_0/Document.xml"]);
        let max_id: u32 = doc_xml
            .iter()
            .find(|e| e.0 == "ofd:MaxUnitID")
            .map(|e| e.2.parse().unwrap())
            .unwrap();
        let pages: Vec<String> = doc_xml
            .iter()
            .filter(|e| e.0 == "ofd:Page")
            .map(|e| format!("Doc_0/{}", e.1["BaseLoc"]))
            .collect();
        assert_eq!(pages.len(), paged.pages().len(), "{name}");
        let mut ids = std::collections::BTreeSet::new();
        let mut text = String::new();
        let mut unmapped = Vec::new();
        for p in &pages {
            let els = elements(&files[p]);
            let mut font = String::new();
            let mut transformed = false;
            for e in &els {
                if let Some(id) = e.1.get("ID") {
                    let id: u32 = id.parse().unwrap();
                    assert!(ids.insert(id), "{name}: ID {id} twice");
                    assert!(id <= max_id, "{name}: ID {id} above MaxUnitID {max_id}");
                }
                match e.0.as_str() {
                    "ofd:TextObject" => {
                        font = e.1["Font"].clone();
                        transformed = false;
                    }
                    "ofd:CGTransform" => transformed = true,
                    "ofd:TextCode" => {
                        text.push_str(&e.2);
                        if !transformed {
                            let face = ttf_parser::Face::parse(&fonts[&font], 0)
                                .expect("embedded font parses");
                            for c in e.2.chars().filter(|c| !c.is_whitespace()) {
                                if face.glyph_index(c).is_none_or(|g| g.0 == 0) {
                                    unmapped.push(c);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(unmapped.is_empty(), "{name}: not in the cmap: {unmapped:?}");
        let ins = Inspection::of(&paged);
        let want: String = ins
            .runs
            .iter()
            .flat_map(|r| r.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let got: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(
            got, want,
            "{name}: the TextCodes hold the pages' text in order"
        );
        // The zip holds the files; same input, same bytes.
        let zipped = pkg.zip().unwrap();
        assert_eq!(unzip(&zipped), files, "{name}");
        let (_, _, again) = sample_package(&path);
        assert_eq!(zipped, again.zip().unwrap(), "{name}: reproducible");
    }
}

/// The 公文 parts are marked as a custom tag (GB/T 33190 §16), each part
/// pointing at the objects that print it; a seal is an ImageObject of a
/// PNG in DocumentRes.
#[test]
fn ofd_marks_the_parts_of_a_gongwen() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.svg"), SEAL_SVG).unwrap();
    std::fs::write(
        d.join("a.yaml"),
        notice("seal: seal.svg\ncc: 县委办公室\nnote: （此件公开发布）\n"),
    )
    .unwrap();
    let (_, _, pkg) = sample_package(&d.join("a.yaml"));
    let files: BTreeMap<String, Vec<u8>> = pkg.files.iter().cloned().collect();
    let index = String::from_utf8(files["Doc_0/Tags/CustomTags.xml"].clone()).unwrap();
    assert!(
        index.contains("<ofd:FileLoc>GongwenTags.xml</ofd:FileLoc>"),
        "{index}"
    );
    let tags = elements(&files["Doc_0/Tags/GongwenTags.xml"]);
    // Object IDs of each part.
    let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for e in &tags {
        if let Some(n) = e.0.strip_prefix("gw:") {
            current = n.to_string();
        } else if e.0 == "ofd:ObjectRef" {
            parts.entry(current.clone()).or_default().push(e.2.clone());
        }
    }
    // Every object's text, and every image, over all pages.
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut page = Vec::new();
    for (f, bytes) in &files {
        if f.ends_with("Content.xml") {
            let mut current = String::new();
            for e in elements(bytes) {
                if e.0 == "ofd:TextObject" {
                    current = e.1["ID"].clone();
                } else if e.0 == "ofd:TextCode" {
                    texts.entry(current.clone()).or_default().push_str(&e.2);
                } else if e.0 == "ofd:ImageObject" {
                    page.push(e);
                }
            }
        }
    }
    let text_of = |id: &str| texts.get(id).cloned().unwrap_or_default();
    let part = |n: &str| -> String {
        parts
            .get(n)
            .unwrap_or_else(|| panic!("no {n} in {parts:?}"))
            .iter()
            .map(|id| text_of(id))
            .collect()
    };
    assert!(part("发文机关标志").contains("某某市人民政府"));
    assert_eq!(part("发文字号"), "某政发〔2024〕5号");
    assert_eq!(part("标题"), "某某市人民政府关于开展安全检查的通知");
    assert!(part("主送机关").contains("各县（市、区）人民政府"));
    assert!(part("正文").contains("请认真组织开展安全检查。"));
    assert!(part("成文日期").contains("2024年5月20日"));
    assert!(part("附注").contains("此件公开发布"));
    assert!(part("抄送机关").contains("县委办公室"));
    assert!(part("印发机关和印发日期").contains("某某市人民政府办公室"));
    // The seal: an ImageObject whose resource is a PNG.
    let seal = &parts["印章"];
    assert_eq!(seal.len(), 1, "{parts:?}");
    let image = page
        .iter()
        .find(|e| e.1["ID"] == seal[0])
        .expect("the seal is an ImageObject");
    let res = elements(&files["Doc_0/DocumentRes.xml"]);
    let media = res
        .iter()
        .position(|e| e.0 == "ofd:MultiMedia" && e.1["ID"] == image.1["ResourceID"])
        .expect("its MultiMedia");
    assert_eq!(res[media].1["Format"], "PNG");
    let file = &res[media + 1].2;
    assert!(files[&format!("Doc_0/Res/{file}")].starts_with(b"\x89PNG"));
}

/// `-o x.ofd` with a document that has errors writes nothing; a `--format`
/// that contradicts the file name is refused before anything is written.
#[test]
fn ofd_bad_requests_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = root().join("samples/bad/qianquan-2019-8-seed-errors.yaml");
    std::fs::copy(&bad, d.join("bad.yaml")).unwrap();
    let o = gongwen(&["render", "bad.yaml", "-o", "bad.ofd", "--draft"], d);
    assert!(!o.status.success());
    assert!(!d.join("bad.ofd").exists());
    std::fs::write(d.join("a.yaml"), notice("")).unwrap();
    let o = gongwen(&["render", "a.yaml", "-o", "a.pdf", "--format", "ofd"], d);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--format ofd") && err.contains(".ofd"),
        "{err}"
    );
    assert!(!d.join("a.pdf").exists() && !d.join("a.ofd").exists());
    let o = gongwen(&["render", "a.yaml", "--format", "ofd", "--draft"], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(d.join("a.ofd")).unwrap().starts_with(b"PK"));
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".gongwen-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Each sample, a 签批单, a ledger, a batch plan's document and a sealed
/// notice, as OFD and as PDF, opened by two readers nobody here wrote:
/// easyofd (tests/ofd_check.py) and ofd.js in headless Chromium
/// (tests/ofdjs_check.py): the same text in the same order, each character
/// within 0.2 mm of the PDF's (and with easyofd, the pages drawn alike).
/// Each is skipped with a notice when its reader is missing, except under
/// CI (`.ci/run` installs both).
#[test]
fn ofd_opens_in_easyofd_and_ofdjs_like_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let samples = root().join("samples");
    let run = |args: &[&str]| {
        let o = gongwen(args, d);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for s in ["qianquan-2019-8", "lingchuan-2020-28", "zezhou-2021-24"] {
        std::fs::copy(
            samples.join(format!("{s}.yaml")),
            d.join(format!("{s}.yaml")),
        )
        .unwrap();
        for ext in ["pdf", "ofd"] {
            run(&[
                "render",
                &format!("{s}.yaml"),
                "-o",
                &format!("{s}.{ext}"),
                "--draft",
            ]);
        }
        pairs.push((format!("{s}.ofd"), format!("{s}.pdf")));
    }
    for ext in ["pdf", "ofd"] {
        run(&[
            "approval",
            "qianquan-2019-8.yaml",
            "-o",
            &format!("ap.{ext}"),
        ]);
        let csv = samples.join("ledgers/activities-2019.csv");
        run(&[
            "ledger",
            "activity",
            csv.to_str().unwrap(),
            "--month",
            "2019-05",
            "-o",
            &format!("led.{ext}"),
        ]);
        let plan = samples.join("plans/village-zero-accident.yaml");
        let units = samples.join("plans/villages-2019.csv");
        run(&[
            "batch",
            plan.to_str().unwrap(),
            "--units",
            units.to_str().unwrap(),
            "--only",
            "九里村",
            "-o",
            ext,
            "--format",
            ext,
        ]);
    }
    pairs.push(("ap.ofd".into(), "ap.pdf".into()));
    pairs.push(("led.ofd".into(), "led.pdf".into()));
    pairs.push(("ofd/九里村.ofd".into(), "pdf/九里村.pdf".into()));
    // The seal without its “*”: text inside an SVG is text in the PDF but
    // pixels in the OFD (OFD images are raster), so the texts would differ.
    let seal = String::from_utf8(SEAL_SVG.to_vec()).unwrap();
    let seal = seal.split("<text").next().unwrap().to_string() + "</svg>";
    std::fs::write(d.join("seal.svg"), seal).unwrap();
    std::fs::write(d.join("s.yaml"), notice("seal: seal.svg\n")).unwrap();
    run(&["render", "s.yaml", "-o", "s.pdf"]);
    run(&["render", "s.yaml", "-o", "s.ofd"]);
    pairs.push(("s.ofd".into(), "s.pdf".into()));

    let font = root().join("fonts/LXGWWenKai-Regular.ttf");
    read_with(
        "tests/ofd_check.py",
        &font,
        &pairs,
        d,
        "pip install easyofd==20260427",
    );
    // The second reader: ofd.js in headless Chromium (`.ci/run` unpacks
    // `npm pack ofd.js@0.2.6` into target/ofdjs).
    let ofdjs = std::env::var_os("GONGWEN_OFDJS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target/ofdjs/package"));
    read_with(
        "tests/ofdjs_check.py",
        &ofdjs,
        &pairs,
        d,
        "mkdir -p target/ofdjs && cd target/ofdjs && npm pack ofd.js@0.2.6 && tar xzf ofd.js-0.2.6.tgz; apt-get install chromium",
    );
}

/// Runs a reader's check script on the (OFD, PDF) pairs: skipped with a
/// notice when the reader is missing (exit 77), except under CI.
fn read_with(script: &str, first: &Path, pairs: &[(String, String)], d: &Path, install: &str) {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(root().join(script)).arg(first);
    for (o, p) in pairs {
        cmd.arg(o).arg(p);
    }
    let out = cmd.current_dir(d).output();
    let Ok(out) = out else {
        assert!(std::env::var_os("CI").is_none(), "CI has python3 (.ci/run)");
        say(&format!("{script} skipped: python3 not found"));
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(77) {
        assert!(
            std::env::var_os("CI").is_none(),
            ".ci/run installs the reader of {script}: {stdout}"
        );
        say(&format!("{script} skipped ({install} to run it): {stdout}"));
        return;
    }
    // The reader's version and findings, outside the test harness's capture.
    say(&stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches(": ok:").count(), pairs.len(), "{stdout}");
}

/// Writes to the test process's stderr directly (not captured).
fn say(s: &str) {
    let _ = std::io::stderr().write_all(format!("{}\n", s.trim_end()).as_bytes());
}
