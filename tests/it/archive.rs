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
        extra_pages: 0,
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
            .env("GONGWEN_REGISTER", d.join("gongwen.db"))
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

// ---- issue 14: archive items 1–5 ------------------------------------------

/// A 通知 of 某某市人民政府 numbered 某政发〔2024〕`seq`号, dated `date`.
fn doc(seq: u32, date: &str, extra: &str) -> String {
    crate::common::notice(&format!(
        "number: 某政发〔2024〕{seq}号\ntitle: 某某市人民政府关于第{seq}项工作的通知\ndate: {date}\n{extra}"
    ))
}

/// `gongwen archive` run in `dir`, with the register `dir/gongwen.db`
/// given through the environment (as an office sets it once).
fn archive_in(dir: &Path, args: &[&str]) -> std::process::Output {
    crate::common::command()
        .arg("archive")
        .args(args)
        .current_dir(dir)
        .env("GONGWEN_REGISTER", dir.join("gongwen.db"))
        .output()
        .expect("run gongwen")
}

fn ok(o: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "{err}");
    err
}

fn read_zip(path: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut v).unwrap();
    v
}

fn zip_names(path: &Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .collect()
}

/// The catalogue rows of a package: (档号, 文号, 页数, 备注).
fn catalogue(path: &Path) -> Vec<(String, String, String, String)> {
    let csv = String::from_utf8(read_zip(path, "归档文件目录.csv")).unwrap();
    csv.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (
                c[1].to_string(),
                c[2].to_string(),
                c[7].to_string(),
                c[8].to_string(),
            )
        })
        .collect()
}

const SERIES: [&str; 6] = ["--fonds", "A13", "--year", "2024", "--retention", "永久"];

fn args<'a>(files: &[&'a str], out: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = files.to_vec();
    v.extend(SERIES);
    v.extend(more);
    v.extend(["-o", out]);
    v
}

#[test]
fn item01_overlapping_runs_never_give_one_code_to_two_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    std::fs::write(d.join("b.yaml"), doc(2, "2024-04-01", "")).unwrap();
    std::fs::write(d.join("c.yaml"), doc(3, "2024-05-01", "")).unwrap();
    ok(&archive_in(d, &args(&["a.yaml", "b.yaml"], "1.zip", &[])));
    ok(&archive_in(d, &args(&["b.yaml", "c.yaml"], "2.zip", &[])));
    let first = catalogue(&d.join("1.zip"));
    let second = catalogue(&d.join("2.zip"));
    // Across both runs, one 档号 names one document and one document has
    // one 档号.
    let mut seen: Vec<(String, String)> = Vec::new();
    for (code, number, ..) in first.iter().chain(&second) {
        for (c, n) in &seen {
            assert!(
                (c == code) == (n == number),
                "{code} {number} against {c} {n}: {first:?} {second:?}"
            );
        }
        seen.push((code.clone(), number.clone()));
    }
    let code_of = |rows: &[(String, String, String, String)], n: &str| {
        rows.iter().find(|r| r.1 == n).map(|r| r.0.clone()).unwrap()
    };
    assert_eq!(code_of(&first, "某政发〔2024〕1号"), "A13-WS·2024-Y-0001");
    assert_eq!(code_of(&first, "某政发〔2024〕2号"), "A13-WS·2024-Y-0002");
    assert_eq!(
        code_of(&second, "某政发〔2024〕2号"),
        "A13-WS·2024-Y-0002",
        "a document keeps its 档号"
    );
    assert_eq!(
        code_of(&second, "某政发〔2024〕3号"),
        "A13-WS·2024-Y-0003",
        "GW-A-02 a new document takes the next 件号 of its sequence"
    );
    // A re-run of the same documents is the same package, byte for byte.
    ok(&archive_in(d, &args(&["b.yaml", "c.yaml"], "3.zip", &[])));
    assert_eq!(
        std::fs::read(d.join("2.zip")).unwrap(),
        std::fs::read(d.join("3.zip")).unwrap()
    );
    // Another 保管期限 is its own sequence; a document archived under 永久
    // is never given a second 档号 there.
    let o = archive_in(
        d,
        &[
            "c.yaml",
            "--fonds",
            "A13",
            "--year",
            "2024",
            "--retention",
            "30年",
            "-o",
            "4.zip",
        ],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("已经归档为 A13-WS·2024-Y-0003"), "{err}");
    assert!(!d.join("4.zip").exists());
}

#[test]
fn item01_start_and_changed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    std::fs::write(d.join("b.yaml"), doc(2, "2024-04-01", "")).unwrap();
    // An office moving from paper: its last paper 件 of 2024 was 63.
    ok(&archive_in(
        d,
        &args(&["a.yaml"], "1.zip", &["--start", "64"]),
    ));
    assert_eq!(catalogue(&d.join("1.zip"))[0].0, "A13-WS·2024-Y-0064");
    // --start once the register has the year's items: they continue.
    ok(&archive_in(
        d,
        &args(&["a.yaml", "b.yaml"], "2.zip", &["--start", "64"]),
    ));
    let rows = catalogue(&d.join("2.zip"));
    assert_eq!(rows[0].0, "A13-WS·2024-Y-0064");
    assert_eq!(rows[1].0, "A13-WS·2024-Y-0065");
    // A --start that would leave a gap is refused.
    let o = archive_in(d, &args(&["b.yaml"], "x.zip", &["--start", "100"]));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("空号"));
    assert!(!d.join("x.zip").exists());
    // A document changed after it was archived: refused with --strict …
    std::fs::write(
        d.join("a.yaml"),
        doc(1, "2024-03-01", "body: |\n  改过的正文。\n"),
    )
    .unwrap();
    let o = archive_in(d, &args(&["a.yaml"], "3.zip", &["--strict"]));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("A13-WS·2024-Y-0064") && err.contains("--strict"),
        "{err}"
    );
    assert!(!d.join("3.zip").exists());
    // … else a new 件 with a warning naming the old 档号, which stays with
    // the old content.
    let err = ok(&archive_in(d, &args(&["a.yaml"], "3.zip", &[])));
    assert!(
        err.contains("a.yaml（某政发〔2024〕1号）在")
            && err.contains("已归档为 A13-WS·2024-Y-0064")
            && err.contains("档号为 A13-WS·2024-Y-0066"),
        "{err}"
    );
    let rows = catalogue(&d.join("3.zip"));
    assert_eq!(rows[0].0, "A13-WS·2024-Y-0066");
    assert!(rows[0].3.contains("原档号 A13-WS·2024-Y-0064"), "{rows:?}");
}

#[test]
fn item01_an_old_register_is_migrated_and_keeps_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A register as gongwen wrote them before archive items were kept
    // (schema version 1).
    let db = d.join("gongwen.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES ('app', 'gongwen-register');
             CREATE TABLE numbers (
               id INTEGER PRIMARY KEY, code TEXT NOT NULL, year INTEGER NOT NULL,
               seq INTEGER NOT NULL CHECK (seq > 0),
               status TEXT NOT NULL CHECK (status IN ('issued', 'reserved', 'void')),
               doc_id TEXT UNIQUE, note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
               title TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
               date TEXT NOT NULL DEFAULT '', recipients TEXT NOT NULL DEFAULT '',
               cc TEXT NOT NULL DEFAULT '', copies INTEGER,
               signers TEXT NOT NULL DEFAULT '', secrecy TEXT NOT NULL DEFAULT '',
               urgency TEXT NOT NULL DEFAULT '', drafter TEXT NOT NULL DEFAULT '',
               attachments TEXT NOT NULL DEFAULT '', print_date TEXT NOT NULL DEFAULT '',
               disclosure TEXT NOT NULL DEFAULT '', output TEXT NOT NULL DEFAULT '',
               sha256 TEXT NOT NULL DEFAULT '', UNIQUE (code, year, seq));
             INSERT INTO numbers (code, year, seq, status, note, created)
               VALUES ('某政发', 2024, 7, 'issued', '纸质', '2024-01-02 08:00:00');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let version = || -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    // Reading it changes nothing.
    let o = crate::common::gongwen(&["number", "list", "--register", db.to_str().unwrap()], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("某政发〔2024〕7号"));
    assert_eq!(version(), 1);
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    std::fs::write(d.join("b.yaml"), doc(2, "2024-04-01", "")).unwrap();
    ok(&archive_in(d, &args(&["a.yaml"], "1.zip", &[])));
    assert_eq!(version(), 2, "migrated");
    ok(&archive_in(d, &args(&["a.yaml", "b.yaml"], "2.zip", &[])));
    assert_eq!(catalogue(&d.join("2.zip"))[1].0, "A13-WS·2024-Y-0002");
    let o = crate::common::gongwen(
        &[
            "number",
            "next",
            "某政发",
            "--year",
            "2024",
            "--register",
            db.to_str().unwrap(),
        ],
        d,
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "某政发〔2024〕8号"
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let archived: Vec<(String, String)> = c
        .prepare("SELECT code, source_sha256 FROM archived ORDER BY item")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(archived.len(), 2);
    // The recorded SHA-256 is the source YAML's.
    assert_eq!(
        archived[0].1,
        gongwen::output::sha256_hex(&std::fs::read(d.join("a.yaml")).unwrap())
    );
}

#[test]
fn item02_documents_of_another_year_are_left_out_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |strict: bool, out: &str| {
        let mut c = crate::common::command();
        c.args([
            "archive",
            "samples",
            "--fonds",
            "A13",
            "--year",
            "2019",
            "--retention",
            "永久",
        ]);
        if strict {
            c.arg("--strict");
        }
        c.arg("-o")
            .arg(d.join(out))
            .current_dir(root())
            .env("GONGWEN_REGISTER", d.join("gongwen.db"))
            .output()
            .unwrap()
    };
    let o = run(true, "strict.zip");
    assert!(!o.status.success());
    assert!(!d.join("strict.zip").exists());
    assert!(
        !d.join("gongwen.db").exists(),
        "a refused run records nothing"
    );
    let err = ok(&run(false, "2019.zip"));
    let rows = catalogue(&d.join("2019.zip"));
    assert_eq!(
        rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["千街发〔2019〕8号"],
        "only the 2019 document"
    );
    for (number, date) in [
        ("陵民字〔2020〕28号", "2020年6月15日"),
        ("泽安委办发〔2021〕24号", "2021年3月23日"),
    ] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(number)).collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(
            lines[0].starts_with("未归档：")
                && lines[0].contains(date)
                && lines[0].contains("不是 2019 年度"),
            "{}",
            lines[0]
        );
    }
    let names = zip_names(&d.join("2019.zip"));
    assert_eq!(
        names.iter().filter(|n| n.starts_with("A13-")).count(),
        1,
        "{names:?}"
    );
}

#[test]
fn item02_documents_of_another_organ_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    std::fs::write(d.join("b.yaml"), doc(2, "2024-04-01", "")).unwrap();
    std::fs::write(
        d.join("c.yaml"),
        crate::common::notice(
            "issuer: 青石县人民政府文件\nnumber: 青政发〔2024〕9号\ntitle: 青石县人民政府关于开展安全检查的通知\nsignature: 青石县人民政府\ndate: 2024-06-01\n",
        ),
    )
    .unwrap();
    // Without a 全宗名称 the organ of most documents stands for it.
    let err = ok(&archive_in(
        d,
        &args(&["a.yaml", "b.yaml", "c.yaml"], "1.zip", &[]),
    ));
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("的发文机关是")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("c.yaml（青政发〔2024〕9号）")
            && lines[0].contains("青石县人民政府")
            && lines[0].contains("某某市人民政府"),
        "{}",
        lines[0]
    );
    // Named: “某某市人民政府” also matches a shorter or longer form.
    let err = ok(&archive_in(
        d,
        &args(
            &["a.yaml", "b.yaml", "c.yaml"],
            "2.zip",
            &["--fonds-name", "某某市人民政府"],
        ),
    ));
    assert_eq!(
        err.lines().filter(|l| l.contains("的发文机关是")).count(),
        1,
        "{err}"
    );
    let o = archive_in(
        d,
        &args(
            &["c.yaml"],
            "3.zip",
            &["--fonds-name", "某某市人民政府", "--strict"],
        ),
    );
    assert!(!o.status.success() && !d.join("3.zip").exists());
}

#[test]
fn item03_the_approval_form_is_part_of_the_item_and_of_its_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = crate::common::engine();
    let sample = root().join("samples/qianquan-2019-8.yaml");
    let mut doc = gongwen::render::prepare(e, &sample).unwrap();
    let notice = gongwen::render::pages(e, &doc).unwrap().pages().len();
    let form = gongwen::render::approval_pages(e, &doc)
        .unwrap()
        .pages()
        .len();
    assert!(form >= 1);
    let o = crate::common::command()
        .args([
            "archive",
            "samples/qianquan-2019-8.yaml",
            "--fonds",
            "A13",
            "--year",
            "2019",
            "--retention",
            "永久",
            "-o",
        ])
        .arg(d.join("a.zip"))
        .current_dir(root())
        .env("GONGWEN_REGISTER", d.join("gongwen.db"))
        .output()
        .unwrap();
    ok(&o);
    let pdf = read_zip(&d.join("a.zip"), "A13-WS·2019-Y-0001.pdf");
    let pdf_doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert_eq!(
        pdf_doc.get_pages().len(),
        notice + form,
        "GW-K-05 正本 then 签批单 in one 件"
    );
    let last = *pdf_doc.get_pages().keys().last().unwrap();
    let text: String = pdf_doc
        .extract_text(&[last])
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        text.contains("公文签批单"),
        "the last page is the form: {text}"
    );
    assert_eq!(
        catalogue(&d.join("a.zip"))[0].2,
        (notice + form).to_string()
    );
    // The 归档章's 页数 counts the form's pages too.
    let opts = ArchiveOptions {
        fonds: "A13".into(),
        year: 2019,
        retention: Retention::Permanent,
        dept: None,
    };
    let paged = gongwen::reports::archive::item_pages(e, &mut doc, &opts, 1).unwrap();
    let ins = Inspection::of(&paged);
    let stamp: Vec<&str> = ins
        .runs
        .iter()
        .filter(|r| r.page == 1 && r.baseline < 30.0)
        .map(|r| r.text.as_str())
        .collect();
    assert!(
        stamp.contains(&(notice + form).to_string().as_str()),
        "页数 {} in the stamp: {stamp:?}",
        notice + form
    );
}

/// Catalogue rows with the given 文号.
fn items(numbers: &[&str]) -> Vec<gongwen::reports::archive::Item> {
    numbers
        .iter()
        .enumerate()
        .map(|(i, n)| gongwen::reports::archive::Item {
            code: format!("A13-WS·2020-Y-{:04}", i + 1),
            item: i as u32 + 1,
            number: n.to_string(),
            author: "陵川县民政局".into(),
            title: "陵川县民政局关于印发《“零事故”创建工作方案》的通知".into(),
            date: "20200615".into(),
            secrecy: String::new(),
            pages: 6,
            source: "a.yaml".into(),
            archived_before: false,
            remark: String::new(),
        })
        .collect()
}

#[test]
fn item04_the_document_number_is_broken_only_before_its_bracket() {
    let opts = ArchiveOptions {
        fonds: "A13".into(),
        year: 2020,
        retention: Retention::Permanent,
        dept: None,
    };
    let numbers = [
        "千街发〔2019〕8号",
        "陵民字〔2020〕28号",
        "泽安委办发〔2021〕24号",
        "某某县安全生产委员会办公室发〔2020〕128号",
    ];
    let table = gongwen::reports::archive::catalogue_table(&opts, None, &items(&numbers));
    let paged = gongwen::typeset::table::pages(crate::common::engine(), &table).unwrap();
    let ins = Inspection::of(&paged);
    let lines: Vec<String> = (1..=ins.pages)
        .flat_map(|p| ins.lines(p))
        .map(|l| l.text.split_whitespace().collect())
        .collect();
    let whole_on_a_line = |s: &str| lines.iter().any(|l| l.contains(s));
    for n in &numbers[..3] {
        assert!(whole_on_a_line(n), "GW-A-20 {n} on one line: {lines:#?}");
    }
    // Too long for one line: broken before “〔”, nowhere else.
    assert!(
        whole_on_a_line("某某县安全生产委员会办公室发") && whole_on_a_line("〔2020〕128号"),
        "{lines:#?}"
    );
    for code in ["A13-WS·2020-Y-0001", "A13-WS·2020-Y-0004", "20200615"] {
        assert!(whole_on_a_line(code), "{code} on one line: {lines:#?}");
    }
}

#[test]
fn item04_fonds_name_and_cover_of_the_printed_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    ok(&archive_in(d, &args(&["a.yaml"], "1.zip", &[])));
    ok(&archive_in(
        d,
        &args(
            &["a.yaml"],
            "2.zip",
            &["--fonds-name", "某某市人民政府", "--cover"],
        ),
    ));
    let plain = lopdf::Document::load_mem(&read_zip(&d.join("1.zip"), "归档文件目录.pdf")).unwrap();
    let covered =
        lopdf::Document::load_mem(&read_zip(&d.join("2.zip"), "归档文件目录.pdf")).unwrap();
    assert_eq!(covered.get_pages().len(), plain.get_pages().len() + 1);
    let text = |doc: &lopdf::Document, page: u32| -> String {
        doc.extract_text(&[page])
            .unwrap()
            .split_whitespace()
            .collect()
    };
    let cover = text(&covered, 1);
    for v in [
        "归档文件目录",
        "全宗号",
        "A13",
        "全宗名称",
        "某某市人民政府",
        "年度",
        "2024",
        "保管期限",
        "永久",
    ] {
        assert!(cover.contains(v), "GW-A-21 {v} on the cover: {cover}");
    }
    assert!(!cover.contains("第1页"), "the cover has no folio: {cover}");
    let table = text(&covered, 2);
    assert!(table.contains("全宗名称：某某市人民政府"), "{table}");
    assert!(!text(&plain, 1).contains("全宗名称"));
}

/// The PDF/A-2b clauses (ISO 19005-2) an archive depends on, checked on the
/// file's objects with lopdf: an answer independent of the Typst exporter
/// that claims them. Returns what is wrong, one line each.
fn pdfa_2b_faults(bytes: &[u8]) -> Vec<String> {
    use lopdf::{Dictionary, Object};
    let mut out = Vec::new();
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not a readable PDF: {e}")],
    };
    // 6.1.3: no encryption.
    if doc.trailer.get(b"Encrypt").is_ok() || doc.is_encrypted() {
        out.push("encrypted (6.1.3)".into());
    }
    let deref = |o: &Object| -> Option<Object> { doc.dereference(o).ok().map(|(_, o)| o.clone()) };
    let catalog = match doc.catalog() {
        Ok(c) => c.clone(),
        Err(e) => {
            out.push(format!("no catalogue: {e}"));
            return out;
        }
    };
    // 6.6.2: XMP metadata identifying PDF/A-2, conformance B.
    match catalog.get(b"Metadata").ok().and_then(deref) {
        Some(Object::Stream(s)) => {
            let xmp = String::from_utf8_lossy(
                &s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone()),
            )
            .to_string();
            let part =
                xmp.contains("pdfaid:part=\"2\"") || xmp.contains("<pdfaid:part>2</pdfaid:part>");
            let conf = xmp.contains("pdfaid:conformance=\"B\"")
                || xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>");
            if !part || !conf {
                out.push(format!(
                    "XMP without pdfaid:part=2 / conformance=B (6.6.4): {xmp:.300}"
                ));
            }
        }
        _ => out.push("no XMP metadata stream in the catalogue (6.6.2)".into()),
    }
    // 6.2.3: an OutputIntent GTS_PDFA1 with an embedded ICC profile.
    let intents = match catalog.get(b"OutputIntents").ok().and_then(deref) {
        Some(Object::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut icc_ok = false;
    for i in &intents {
        let Some(Object::Dictionary(intent)) = deref(i) else {
            continue;
        };
        if intent.get(b"S").and_then(Object::as_name).ok() != Some(b"GTS_PDFA1".as_slice()) {
            continue;
        }
        if let Some(Object::Stream(icc)) = intent.get(b"DestOutputProfile").ok().and_then(deref) {
            let data = icc
                .decompressed_content()
                .unwrap_or_else(|_| icc.content.clone());
            let n = icc.dict.get(b"N").and_then(Object::as_i64).unwrap_or(0);
            icc_ok = data.len() > 128 && &data[36..40] == b"acsp" && [1, 3, 4].contains(&n);
        }
    }
    if !icc_ok {
        out.push("no OutputIntent GTS_PDFA1 with an ICC profile (6.2.3)".into());
    }
    // Every object, and every dictionary inside one.
    fn dicts<'a>(o: &'a Object, acc: &mut Vec<&'a Dictionary>) {
        match o {
            Object::Dictionary(d) => {
                acc.push(d);
                d.iter().for_each(|(_, v)| dicts(v, acc));
            }
            Object::Stream(s) => {
                acc.push(&s.dict);
                s.dict.iter().for_each(|(_, v)| dicts(v, acc));
            }
            Object::Array(a) => a.iter().for_each(|v| dicts(v, acc)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    doc.objects.values().for_each(|o| dicts(o, &mut all));
    dicts(&Object::Dictionary(doc.trailer.clone()), &mut Vec::new());
    let name = |d: &Dictionary, k: &[u8]| -> Option<Vec<u8>> {
        d.get(k)
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_name().ok().map(<[u8]>::to_vec))
    };
    let mut fonts = 0;
    for d in &all {
        // 6.2.11.4: every font embedded (Type 3 fonts are their own glyphs;
        // a Type 0 font's glyphs are in its descendant).
        if name(d, b"Type").as_deref() == Some(b"Font") {
            fonts += 1;
            let sub = name(d, b"Subtype").unwrap_or_default();
            if sub != b"Type3" && sub != b"Type0" {
                match d.get(b"FontDescriptor").ok().and_then(deref) {
                    Some(Object::Dictionary(fd)) => {
                        if !(fd.has(b"FontFile") || fd.has(b"FontFile2") || fd.has(b"FontFile3")) {
                            out.push(format!(
                                "font {} not embedded (6.2.11.4)",
                                String::from_utf8_lossy(&name(d, b"BaseFont").unwrap_or_default())
                            ));
                        }
                    }
                    _ => out.push(format!(
                        "font {} without a descriptor (6.2.11.4)",
                        String::from_utf8_lossy(&name(d, b"BaseFont").unwrap_or_default())
                    )),
                }
            }
        }
        // 6.6.1: no JavaScript, no additional actions, no forbidden actions.
        for key in [b"JS".as_slice(), b"JavaScript", b"AA"] {
            if d.has(key) {
                out.push(format!("/{} present (6.6.1)", String::from_utf8_lossy(key)));
            }
        }
        if let Some(s) = name(d, b"S") {
            let forbidden: [&[u8]; 11] = [
                b"JavaScript",
                b"Launch",
                b"Sound",
                b"Movie",
                b"ResetForm",
                b"ImportData",
                b"Hide",
                b"SetOCGState",
                b"Rendition",
                b"Trans",
                b"GoTo3DView",
            ];
            if forbidden.contains(&s.as_slice()) {
                out.push(format!("action /{} (6.6.1)", String::from_utf8_lossy(&s)));
            }
            // 6.2.10: a transparency group names its blending colour space.
            if s == b"Transparency" && !d.has(b"CS") {
                out.push("transparency group without a blending colour space /CS (6.2.10)".into());
            }
        }
    }
    if fonts == 0 {
        out.push("no font at all: the checks above saw nothing".into());
    }
    out
}

#[test]
fn item05_every_pdf_of_a_package_meets_the_pdfa_2b_clauses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A sealed document (an image with transparency), a document with its
    // 签批单, a catalogue with its cover.
    std::fs::write(d.join("seal.svg"), crate::common::SEAL_SVG).unwrap();
    std::fs::write(
        d.join("a.yaml"),
        crate::common::notice("number: 千街发〔2019〕3号\ndate: 2019-03-01\nseal: seal.svg\n"),
    )
    .unwrap();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        d.join("b.yaml"),
    )
    .unwrap();
    let o = archive_in(
        d,
        &[
            "a.yaml",
            "b.yaml",
            "--fonds",
            "A13",
            "--year",
            "2019",
            "--retention",
            "永久",
            "--cover",
            "-o",
            "p.zip",
        ],
    );
    ok(&o);
    let pdfs: Vec<String> = zip_names(&d.join("p.zip"))
        .into_iter()
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 3, "{pdfs:?}");
    let qpdf = std::process::Command::new("qpdf")
        .arg("--version")
        .output()
        .is_ok();
    assert!(
        qpdf || std::env::var_os("CI").is_none(),
        "CI installs qpdf (.ci/run) to check the files' structure"
    );
    for name in &pdfs {
        let bytes = read_zip(&d.join("p.zip"), name);
        let faults = pdfa_2b_faults(&bytes);
        assert!(faults.is_empty(), "{name}:\n{}", faults.join("\n"));
        if qpdf {
            // An independent reader of the file's structure (cross-reference
            // table, streams, object syntax).
            let f = d.join("check.pdf");
            std::fs::write(&f, &bytes).unwrap();
            let o = std::process::Command::new("qpdf")
                .arg("--check")
                .arg(&f)
                .output()
                .unwrap();
            assert!(
                o.status.success()
                    && String::from_utf8_lossy(&o.stdout)
                        .contains("No syntax or stream encoding errors"),
                "{name}: qpdf --check\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

#[test]
fn item05_the_pdfa_checks_catch_each_fault() {
    use lopdf::{Dictionary, Object};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.yaml"), doc(1, "2024-03-01", "")).unwrap();
    ok(&archive_in(d, &args(&["a.yaml"], "p.zip", &[])));
    let good = read_zip(&d.join("p.zip"), "A13-WS·2024-Y-0001.pdf");
    assert!(pdfa_2b_faults(&good).is_empty());
    // An ordinary (not archival) PDF of the same document is no PDF/A.
    let o = crate::common::gongwen(&["render", "a.yaml", "-o", "plain.pdf"], d);
    assert!(o.status.success());
    let faults = pdfa_2b_faults(&std::fs::read(d.join("plain.pdf")).unwrap()).join("\n");
    assert!(
        faults.contains("OutputIntent") && faults.contains("pdfaid"),
        "{faults}"
    );
    // Each fault written into the archival file is found.
    let mutate = |f: &dyn Fn(&mut lopdf::Document)| -> String {
        let mut doc = lopdf::Document::load_mem(&good).unwrap();
        f(&mut doc);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        pdfa_2b_faults(&out).join("\n")
    };
    let unembedded = mutate(&|doc| {
        for o in doc.objects.values_mut() {
            if let Ok(dict) = o.as_dict_mut() {
                for k in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                    dict.remove(k);
                }
            }
        }
    });
    assert!(unembedded.contains("not embedded"), "{unembedded}");
    let script = mutate(&|doc| {
        let mut js = Dictionary::new();
        js.set("S", Object::Name(b"JavaScript".to_vec()));
        js.set("JS", Object::string_literal("app.alert(1)"));
        let id = doc.add_object(js);
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        doc.get_object_mut(root)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("OpenAction", Object::Reference(id));
    });
    assert!(
        script.contains("/JS") && script.contains("action /JavaScript"),
        "{script}"
    );
    let group = mutate(&|doc| {
        let page = *doc.get_pages().values().next().unwrap();
        let mut g = Dictionary::new();
        g.set("Type", Object::Name(b"Group".to_vec()));
        g.set("S", Object::Name(b"Transparency".to_vec()));
        doc.get_object_mut(page)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Group", Object::Dictionary(g));
    });
    assert!(group.contains("blending colour space"), "{group}");
    let no_intent = mutate(&|doc| {
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        doc.get_object_mut(root)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .remove(b"OutputIntents");
    });
    assert!(no_intent.contains("OutputIntent"), "{no_intent}");
    let encrypted = mutate(&|doc| {
        let mut e = Dictionary::new();
        e.set("Filter", Object::Name(b"Standard".to_vec()));
        let id = doc.add_object(e);
        doc.trailer.set("Encrypt", Object::Reference(id));
    });
    assert!(
        encrypted.contains("encrypted") || encrypted.contains("not a readable PDF"),
        "{encrypted}"
    );
}

#[test]
fn item01_two_runs_at_once_over_overlapping_sets_never_share_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        let date = format!("2024-0{}-01", i + 3);
        std::fs::write(d.join(format!("{name}.yaml")), doc(i as u32 + 1, &date, "")).unwrap();
    }
    let start = |files: &[&str], out: &str| {
        crate::common::command()
            .arg("archive")
            .args(args(files, out, &[]))
            .current_dir(d)
            .env("GONGWEN_REGISTER", d.join("gongwen.db"))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let one = start(&["a.yaml", "b.yaml", "c.yaml"], "1.zip");
    let two = start(&["b.yaml", "c.yaml", "d.yaml"], "2.zip");
    for child in [one, two] {
        ok(&child.wait_with_output().unwrap());
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for zip in ["1.zip", "2.zip"] {
        for (code, number, ..) in catalogue(&d.join(zip)) {
            for (c, n) in &seen {
                assert!(
                    (*c == code) == (*n == number),
                    "{code} {number} against {c} {n}"
                );
            }
            seen.push((code, number));
        }
    }
    let mut codes: Vec<&String> = seen.iter().map(|s| &s.0).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 4, "four documents, four 档号: {seen:?}");
}
