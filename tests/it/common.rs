//! Shared test helpers: one engine per test binary, rendering YAML text and
//! reading the laid-out pages back in millimetres.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongwen::render::{self, EngineOptions};
use gongwen::typeset::fonts::FontOptions;
use gongwen::typeset::inspect::{Inspection, Line, TextRun};
use gongwen::typeset::Engine;

/// The `gongwen` binary as every test runs it: the bundled fonts, a font
/// index private to this test run (the user's cache is neither read nor
/// written), and no register inherited from the environment.
pub fn command() -> std::process::Command {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    let index = INDEX.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"));
    c.env("GONGWEN_FONTS", root().join("fonts"))
        .env("GONGWEN_FONT_INDEX", index.path().join("font-index"))
        .env_remove("GONGWEN_REGISTER");
    c
}

/// Runs `gongwen` (see [`command`]) in `dir` and waits for it.
pub fn gongwen(args: &[&str], dir: &Path) -> std::process::Output {
    command()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gongwen")
}

/// 1 行 (GW-U-02).
pub const L: f64 = 10.39;
/// 1 字 as gongwen sets it (GW-U-01).
pub fn zi() -> f64 {
    gongwen::compose::grid::PITCH_PT * 25.4 / 72.0
}

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        // Bundled fonts only: the measurements must not depend on the machine.
        let opts = EngineOptions {
            fonts: FontOptions {
                no_system_fonts: true,
                ..Default::default()
            },
            templates: None,
        };
        render::engine(&opts).expect("engine loads")
    })
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `yaml` (and optional extra files) to a fresh folder and lays it out.
pub fn render(yaml: &str) -> Result<Inspection, gongwen::Error> {
    render_with(yaml, &[])
}

pub fn render_with(yaml: &str, files: &[(&str, &[u8])]) -> Result<Inspection, gongwen::Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write file");
    }
    let path = dir.path().join("doc.yaml");
    std::fs::write(&path, yaml).expect("write yaml");
    render_path(&path)
}

/// Lays out a document file. Every test that lays out a document this way
/// also asserts that no character of any field went missing from the pages
/// (nothing is lost silently).
pub fn render_path(path: &Path) -> Result<Inspection, gongwen::Error> {
    let doc = render::prepare(engine(), path)?;
    let paged = render::pages(engine(), &doc)?;
    let ins = Inspection::of(&paged);
    let lost = ins.lost(&doc.layout.texts());
    assert!(lost.is_empty(), "text missing from the pages: {lost:?}");
    Ok(ins)
}

pub fn sample(name: &str) -> Inspection {
    render_path(&root().join("samples").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The first line on `page` whose text contains `needle`.
pub fn line<'a>(lines: &'a [Line], needle: &str) -> &'a Line {
    lines
        .iter()
        .find(|l| l.text.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no line contains {needle:?}; lines: {:#?}",
                lines.iter().map(|l| &l.text).collect::<Vec<_>>()
            )
        })
}

pub fn run<'a>(ins: &'a Inspection, needle: &str) -> &'a TextRun {
    ins.find(needle)
        .unwrap_or_else(|| panic!("no run contains {needle:?}"))
}

#[track_caller]
pub fn near(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.2} mm, want {want:.2} ± {tol} mm"
    );
}

/// Body lines of a page: everything except the page number.
pub fn body_lines(ins: &Inspection, page: usize) -> Vec<Line> {
    ins.lines(page)
        .into_iter()
        .filter(|l| !l.text.starts_with('—'))
        .collect()
}

/// Grid cells a line occupies: full-width characters 1, others ½ (GW-P-08).
pub fn cells(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if gongwen::compose::punct::is_cjk(c) {
                1.0
            } else {
                0.5
            }
        })
        .sum()
}

/// A minimal valid notice; `extra` lines are appended (later keys win).
pub fn notice(extra: &str) -> String {
    let base = "kind: 通知\nissuer: 某某市人民政府文件\nnumber: 某政发〔2024〕5号\ntitle: 某某市人民政府关于开展安全检查的通知\nto: 各县（市、区）人民政府\nbody: |\n  请认真组织开展安全检查。\nsignature: 某某市人民政府\ndate: 2024-05-20\nprinter: 某某市人民政府办公室\nprint_date: 2024-05-20\n";
    merge(base, extra)
}

/// Replaces top-level keys of `base` by those in `extra`.
pub fn merge(base: &str, extra: &str) -> String {
    let keys: Vec<&str> = extra
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(':'))
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    let mut out = String::new();
    let mut skip = false;
    for l in base.lines() {
        if !l.starts_with(' ') {
            let k = l.split(':').next().unwrap_or("");
            skip = keys.contains(&k);
        }
        if !skip {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push_str(extra);
    out
}

/// A red round seal as SVG.
pub const SEAL_SVG: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" width="420" height="420" viewBox="0 0 420 420"><circle cx="210" cy="210" r="200" fill="none" stroke="#e60000" stroke-width="14"/><text x="210" y="230" font-size="60" text-anchor="middle" fill="#e60000">*</text></svg>"##;

/// A `gongwen` run stopped at a failpoint (`GONGWEN_FAILPOINT`), or not.
pub struct Stopped {
    pub child: std::process::Child,
    /// Whether the `failpoint <name>` line came on stderr.
    pub at_failpoint: bool,
}

/// Starts `cmd` with `GONGWEN_FAILPOINT=<point>` and waits (at most
/// `timeout`) for it to print `failpoint <point>` on stderr. The process is
/// left running (asleep at the failpoint); the caller kills it.
pub fn run_to_failpoint(
    mut cmd: std::process::Command,
    point: &str,
    timeout: std::time::Duration,
) -> Stopped {
    use std::io::BufRead;
    // The font index is off: its file is written atomically too, and the
    // failpoint is meant for the output.
    let mut child = cmd
        .env("GONGWEN_FAILPOINT", point)
        .env("GONGWEN_FONT_INDEX", "")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn gongwen");
    let stderr = child.stderr.take().expect("stderr pipe");
    let (tx, rx) = std::sync::mpsc::channel();
    let want = format!("failpoint {point}");
    std::thread::spawn(move || {
        for l in std::io::BufReader::new(stderr).lines() {
            let Ok(l) = l else { break };
            if l == want {
                let _ = tx.send(());
            }
        }
    });
    let at_failpoint = rx.recv_timeout(timeout).is_ok();
    Stopped {
        child,
        at_failpoint,
    }
}

/// Kills a child (SIGKILL) and reaps it.
pub fn kill(mut child: std::process::Child) {
    child.kill().expect("kill");
    child.wait().expect("reap");
}

/// Names of gongwen's temporary files (`.gongwen-*`) in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gongwen-"))
        .collect()
}

/// All text in the order the template set it (paragraph by paragraph, a
/// wrapped paragraph's lines one after another), without whitespace and
/// page numbers.
pub fn flow_text(ins: &Inspection) -> String {
    ins.runs
        .iter()
        .filter(|r| !gongwen::typeset::inspect::is_page_number(&r.text))
        .flat_map(|r| r.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// All text of a PDF file (lopdf's ToUnicode extraction), whitespace removed.
pub fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().cloned().collect();
    doc.extract_text(&pages)
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A zip archive of `(name, text)` parts, deflated: the .docx and .xlsx
/// files the tests build by hand.
pub fn zip_parts(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        z.start_file(*name, o).expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip");
    buf.into_inner()
}
