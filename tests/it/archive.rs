//! The archive package: 归档章 geometry and 页数, 档号, 件号 order, PDF/A-2b,
//! catalogue, manifest, byte-identical re-runs (issue 5 §5–6, spec §9).

use std::path::Path;

use gongwen::layout::Stamp;
use gongwen::reports::archive::{archival_code, ArchiveOptions, Retention};
use gongwen::typeset::inspect::Inspection;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn gw_a_01_02_archival_code() {
    let o = ArchiveOptions {
        fonds: "0194".into(),
        year: 2016,
        retention: Retention::Years30,
        dept: Some("BGS".into()),
    };
    assert_eq!(archival_code(&o, 1), "0194-WS·2016-D30-BGS-0001");
    let o = ArchiveOptions {
        fonds: "A13".into(),
        year: 2019,
        retention: Retention::Permanent,
        dept: None,
    };
    assert_eq!(
        archival_code(&o, 64),
        "A13-WS·2019-Y-0064",
        "机构 omitted with its “-”"
    );
    assert!(Retention::parse("5年").is_err());
}

#[test]
fn gw_a_10_11_12_13_stamp_in_the_top_margin_with_computed_pages() {
    let mut doc = gongwen::render::prepare(
        crate::common::engine(),
        &root().join("samples/qianquan-2019-8.yaml"),
    )
    .unwrap();
    doc.layout.stamp = Some(Stamp {
        fonds: "A13".into(),
        year: 2019,
        item: "0064".into(),
        dept: String::new(),
        retention: "永久".into(),
    });
    let paged = gongwen::render::pages(crate::common::engine(), &doc).unwrap();
    let ins = Inspection::of(&paged);
    let frame: Vec<_> = ins
        .rules
        .iter()
        .filter(|r| r.page == 1 && r.red && r.y < 37.0)
        .collect();
    assert!(!frame.is_empty(), "a red stamp frame on page 1");
    let x0 = frame.iter().map(|r| r.x).fold(f64::MAX, f64::min);
    let x1 = frame.iter().map(|r| r.x + r.width).fold(0.0, f64::max);
    let y0 = frame.iter().map(|r| r.y).fold(f64::MAX, f64::min);
    let y1 = frame.iter().map(|r| r.y + r.height).fold(0.0, f64::max);
    crate::common::near(x1 - x0, 45.0, 0.6, "GW-A-11 stamp width");
    crate::common::near(y1 - y0, 16.0, 0.6, "GW-A-11 stamp height");
    crate::common::near((x0 + x1) / 2.0, 105.0, 0.5, "GW-A-12 centred");
    crate::common::near(y0, 12.0, 0.5, "GW-A-12 top at 12 mm");
    let stamp_text: Vec<&str> = ins
        .runs
        .iter()
        .filter(|r| r.page == 1 && r.baseline < 30.0)
        .map(|r| r.text.as_str())
        .collect();
    for v in ["A13", "2019", "0064", "永久", "10"] {
        assert!(
            stamp_text.contains(&v),
            "GW-A-10 {v} in the stamp: {stamp_text:?}"
        );
    }
    assert!(
        ins.runs
            .iter()
            .filter(|r| r.page == 1 && r.baseline < 30.0)
            .all(|r| !r.red),
        "GW-A-12 values in black"
    );
    assert!(
        ins.runs.iter().all(|r| r.page == 1 || r.baseline > 30.0),
        "stamp on page 1 only"
    );
}

#[test]
fn archive_package_is_pdfa_with_catalogue_and_manifest_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |out: &str| {
        let o = crate::common::command()
            .args([
                "archive",
                "samples",
                "--fonds",
                "A13",
                "--year",
                "2019",
                "--retention",
                "永久",
                "-o",
            ])
            .arg(d.join(out))
            .current_dir(root())
            .env("GONGWEN_FONTS", root().join("fonts"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run("a.zip");
    run("b.zip");
    assert_eq!(
        std::fs::read(d.join("a.zip")).unwrap(),
        std::fs::read(d.join("b.zip")).unwrap(),
        "byte-identical re-run"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("a.zip")).unwrap()).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .collect();
    assert!(
        names.contains(&"A13-WS·2019-Y-0001.pdf".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"归档文件目录.pdf".to_string())
            && names.contains(&"归档文件目录.csv".to_string())
    );
    let read = |zip: &mut zip::ZipArchive<std::fs::File>, n: &str| {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(n).unwrap(), &mut v).unwrap();
        v
    };
    // PDF/A-2b identification in the XMP metadata.
    let pdf = read(&mut zip, "A13-WS·2019-Y-0001.pdf");
    let has = |hay: &[u8], n: &str| hay.windows(n.len()).any(|w| w == n.as_bytes());
    assert!(
        has(&pdf, "pdfaid:part")
            && (has(&pdf, "pdfaid:part=\"2\"") || has(&pdf, "<pdfaid:part>2</pdfaid:part>")),
        "PDF/A part 2"
    );
    assert!(
        has(&pdf, "pdfaid:conformance=\"B\"")
            || has(&pdf, "<pdfaid:conformance>B</pdfaid:conformance>"),
        "conformance B"
    );
    // Catalogue: GW-A-20 columns, 件号 in date order, 日期 YYYYMMDD.
    let csv = String::from_utf8(read(&mut zip, "归档文件目录.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap().trim_start_matches('\u{FEFF}'),
        "序号,档号,文号,责任者,题名,日期,密级,页数,备注"
    );
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("1,A13-WS·2019-Y-0001,千街发〔2019〕8号,千泉街道办事处,")
            && first.contains(",20190415,"),
        "{first}"
    );
    // Manifest: SHA-256 of every file.
    let manifest = String::from_utf8(read(&mut zip, "清单.csv")).unwrap();
    let sha = gongwen::output::sha256_hex(&pdf);
    assert!(
        manifest.contains(&format!("A13-WS·2019-Y-0001.pdf,{},{sha}", pdf.len())),
        "{manifest}"
    );
    assert!(
        csv.starts_with('\u{FEFF}') && manifest.starts_with('\u{FEFF}'),
        "BOM for WPS/Excel"
    );
    assert_eq!(
        manifest
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{FEFF}'),
        "文件,字节数,SHA-256"
    );
    // Every file of the package is in the manifest with its size and hash.
    let listed: Vec<&str> = manifest.lines().skip(1).collect();
    let others: Vec<String> = names.iter().filter(|n| *n != "清单.csv").cloned().collect();
    assert_eq!(listed.len(), others.len(), "{manifest}");
    for name in &others {
        let bytes = read(&mut zip, name);
        let row = format!(
            "{name},{},{}",
            bytes.len(),
            gongwen::output::sha256_hex(&bytes)
        );
        assert!(listed.contains(&row.as_str()), "{row} not in {manifest}");
    }
    // PDF/A-2b markers in every PDF of the package, the catalogue included.
    let pdfs: Vec<&String> = names.iter().filter(|n| n.ends_with(".pdf")).collect();
    assert!(pdfs.len() >= 2, "{names:?}");
    for name in &pdfs {
        let bytes = read(&mut zip, name);
        assert!(
            has(&bytes, "pdfaid:part=\"2\"") || has(&bytes, "<pdfaid:part>2</pdfaid:part>"),
            "{name}: PDF/A part 2"
        );
        assert!(
            has(&bytes, "pdfaid:conformance=\"B\"")
                || has(&bytes, "<pdfaid:conformance>B</pdfaid:conformance>"),
            "{name}: conformance B"
        );
    }
    // 页数 of every catalogue row is the page count of its document.
    let rows: Vec<Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), pdfs.len() - 1, "one row per document");
    for r in &rows {
        let bytes = read(&mut zip, &format!("{}.pdf", r[1]));
        let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
        assert_eq!(r[7], pages.to_string(), "页数 of {}", r[1]);
    }
}
