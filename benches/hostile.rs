//! Hostile inputs (issue 12): every one must end with a Chinese error, exit
//! status 1 (not a panic, an abort or the kernel's OOM kill), and peak
//! memory under 500 MiB. Each input runs as a whole `gongwen` process under
//! `/usr/bin/time -v`.
//!
//! `cargo bench --bench hostile` prints a table (also `target/bench-hostile.md`);
//! `-- --check` exits 1 if any input misses a target.

mod common;

use std::io::Write;
use std::process::Command;
use std::time::Instant;

/// Peak memory allowed for any hostile input (issue 12, "Done when").
const PEAK_MIB: f64 = 500.0;

/// A minimal notice; `extra` is appended.
fn notice(extra: &str) -> String {
    format!("kind: 通知\nissuer: 青石县人民政府文件\nnumber: 青政发〔2024〕5号\ntitle: 青石县人民政府关于开展安全检查的通知\nto: 各乡镇人民政府\nbody: |\n  请认真组织开展安全检查。\nsignature: 青石县人民政府\ndate: 2024-05-20\n{extra}")
}

/// A workbook whose one sheet holds `cells` and `padding` spaces of XML.
fn workbook(cells: &[(&str, &str)], padding: usize) -> Vec<u8> {
    let sheet_rows: String = cells
        .iter()
        .map(|(r, t)| {
            let n: String = r.chars().filter(char::is_ascii_digit).collect();
            format!(r#"<row r="{n}"><c r="{r}" t="inlineStr"><is><t>{t}</t></is></c></row>"#)
        })
        .collect();
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData>{}</worksheet>"#,
                " ".repeat(padding)
            ),
        ),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        z.start_file(name, o).expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip");
    buf.into_inner()
}

/// A PNG header claiming `w`×`h` pixels of `depth` bits per channel (RGBA).
fn png_header(w: u32, h: u32, depth: u8) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[depth, 6, 0, 0, 0, 0, 0, 0, 0]);
    v
}

struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// The input is harmless once bounded (an unreadable font index is
    /// rebuilt): the run succeeds instead of failing.
    succeeds: bool,
}

fn main() {
    let root = common::root();
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let put = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).expect("write input");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let ledger = |file: &str| {
        s(&[
            "ledger", "activity", file, "--month", "2019-05", "-o", "x.pdf",
        ])
    };

    put(
        "far.xlsx",
        &workbook(&[("A1", "日期"), ("XFD1048576", "x")], 0),
    );
    put("air.xlsx", &workbook(&[("A1", "日期")], 150_000_000));
    let mut big = String::from("日期,村（居）\n");
    while big.len() < 21_000_000 {
        big.push_str("2019-05-01,东关社区\n");
    }
    put("big.csv", big.as_bytes());
    let mut bad = String::from("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n");
    for i in 0..60_000 {
        bad.push_str(&format!("2019-13-{:02},东关社区,,跳舞,,多,,\n", i % 28 + 1));
    }
    put("bad.csv", bad.as_bytes());
    put("seal8.png", &png_header(40_000, 40_000, 8));
    put("seal16.png", &png_header(35_000, 35_000, 16));
    put("seal8.yaml", notice("seal: seal8.png\n").as_bytes());
    put("seal16.yaml", notice("seal: seal16.png\n").as_bytes());
    put(
        "title.yaml",
        notice(&format!("note: {}\n", "安全".repeat(500_000)))
            .replace("title: ", "title: 关于")
            .as_bytes(),
    );
    put(
        "nest.yaml",
        format!(
            "kind: 通知\ntitle: t\nbody: {}{}\n",
            "[".repeat(5000),
            "]".repeat(5000)
        )
        .as_bytes(),
    );
    // A plan's free `data:` takes any YAML, aliases included.
    let mut bomb = String::from("template: t.j2\ntitle: x\ndate: 2019-04-25\nperiod: {start: 2019-05-01, end: 2019-12-31}\ndata:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        bomb.push_str(&format!(
            "  {c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
        prev = c;
    }
    put("bomb.yaml", bomb.as_bytes());
    put("units.csv", "name\n甲\n".as_bytes());
    let attachments: String = (0..5000).map(|i| format!("  - title: 附件{i}\n")).collect();
    put(
        "many.yaml",
        notice(&format!("attachments:\n{attachments}")).as_bytes(),
    );
    let mut huge = notice("note: |\n");
    while huge.len() < 10_500_000 {
        huge.push_str("  安全生产工作要常抓不懈。\n");
    }
    put("huge.yaml", huge.as_bytes());
    let columns: String = (0..10_000)
        .map(|i| format!("  - {{key: c{i}, label: 列{i}}}\n"))
        .collect();
    put(
        "wide-kind.yaml",
        format!("name: 宽台账\ncolumns:\n{columns}date_column: c0\n").as_bytes(),
    );
    put("plain.yaml", notice("").as_bytes());

    let cases = vec![
        Case {
            name: "XLSX, cells A1 and XFD1048576 (1.7 KB)",
            args: ledger("far.xlsx"),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "XLSX, 150 MB of compressed whitespace",
            args: ledger("air.xlsx"),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "CSV over 20 MB",
            args: ledger("big.csv"),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "CSV, 60,000 bad rows",
            args: ledger("bad.csv"),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "ledger kind of 10,000 columns",
            args: s(&[
                "ledger",
                "wide-kind.yaml",
                "bad.csv",
                "--month",
                "2019-05",
                "-o",
                "x.pdf",
            ]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "seal PNG 40000² RGBA 8-bit (header)",
            args: s(&["check", "seal8.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "seal PNG 35000² RGBA 16-bit (header)",
            args: s(&["check", "seal16.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "YAML, 1,000,000-character field",
            args: s(&["check", "title.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "YAML, 5,000 levels of nesting",
            args: s(&["check", "nest.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "YAML, alias bomb (9⁹ items)",
            args: s(&["batch", "bomb.yaml", "--units", "units.csv", "-o", "out"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "YAML, 5,000 attachments",
            args: s(&["check", "many.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "YAML over 8 MB",
            args: s(&["check", "huge.yaml"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "check /dev/zero",
            args: s(&["check", "/dev/zero"]),
            env: vec![],
            succeeds: false,
        },
        Case {
            name: "font index /dev/zero",
            args: s(&["check", "plain.yaml"]),
            env: vec![("GONGWEN_FONT_INDEX", "/dev/zero".into())],
            succeeds: true,
        },
    ];
    let mut table = String::from(
        "| input | exit | peak RSS | wall | first line of the message |\n|---|---|---|---|---|\n",
    );
    let mut t = common::Targets::default();
    for c in cases {
        let start = Instant::now();
        let mut cmd = Command::new("/usr/bin/time");
        cmd.arg("-v").arg(&bin).args(&c.args).current_dir(d);
        cmd.env("GONGWEN_FONTS", root.join("fonts"));
        for (k, v) in &c.env {
            cmd.env(k, v);
        }
        let o = cmd.output().expect("run gongwen under /usr/bin/time");
        let secs = start.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&o.stderr);
        let peak = err
            .lines()
            .find(|l| l.contains("Maximum resident set size"))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0);
        // `time -v` reports the child's status on its own line.
        let exit = err
            .lines()
            .find(|l| l.contains("Exit status"))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse::<i32>().ok());
        let detail = err
            .lines()
            .take_while(|l| !l.starts_with('\t') && !l.starts_with("Command"))
            .collect::<Vec<_>>()
            .join(" ");
        let want = if c.succeeds { 0 } else { 1 };
        let chinese = !detail.contains("panicked")
            && if c.succeeds {
                detail.contains("检查通过")
            } else {
                detail.contains("错误")
            };
        let shown: String = detail.chars().take(70).collect();
        table.push_str(&format!(
            "| {} | {} | {} | {secs:.2} s | {} |\n",
            c.name,
            exit.map_or("?".into(), |e| e.to_string()),
            peak.map_or("?".into(), |p| format!("{p:.0} MiB")),
            shown.replace('|', "｜")
        ));
        t.check(
            &format!("{}: peak RSS", c.name),
            peak,
            PEAK_MIB,
            true,
            "MiB",
        );
        t.check(
            &format!("{}: exit status {want}, message in Chinese", c.name),
            Some(if exit == Some(want) && chinese {
                1.0
            } else {
                0.0
            }),
            1.0,
            false,
            "",
        );
    }
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-hostile.md"), &table);
    t.finish();
}
