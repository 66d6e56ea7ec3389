//! gongwen against its floor (issue 20): the whole-process cold render of
//! `samples/qianquan-2019-8.yaml` side by side with the Typst engine alone
//! compiling the same notice written directly in Typst
//! (`benches/floor/notice.typ`, same bundled fonts), run alternately so both
//! see the same machine. Prints medians, the ratio and both peak RSS.
//!
//! `cargo bench --bench floor` reports; `-- --check` exits 1 when the ratio
//! is above 0.9 or gongwen's peak memory above 100 MiB.
//!
//! The bare side is this same binary run as `floor --bare notice.typ out.pdf`:
//! it does what `typst compile --font-path fonts --ignore-system-fonts` does
//! (scan the font folder, read the used fonts, compile, export PDF, write),
//! with the typst crates gongwen itself builds, so the engine version is the
//! same on both sides.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// The bare engine's world: one main file, fonts from one folder, nothing
/// else readable.
struct Bare {
    library: LazyHash<Library>,
    fonts: FontStore,
    main: Source,
}

impl World for Bare {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2019, 4, 15)
    }
}

/// `--bare main.typ out.pdf fonts/`: compile and export like Typst's CLI.
fn bare(main: &Path, out: &Path, fonts: &Path) {
    let text = std::fs::read_to_string(main).expect("read the .typ");
    let mut store = FontStore::new();
    store.extend(typst_kit::fonts::scan(fonts));
    let world = Bare {
        library: LazyHash::new(Library::builder().build()),
        fonts: store,
        main: Source::new(gongwen::typeset::world::file_id("/main.typ"), text),
    };
    let doc = typst::compile::<PagedDocument>(&world)
        .output
        .unwrap_or_else(|e| panic!("the bare .typ does not compile: {e:?}"));
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .unwrap_or_else(|e| panic!("PDF export failed: {e:?}"));
    std::fs::write(out, pdf).expect("write the PDF");
    eprintln!("pages {}", doc.pages().len());
}

/// Runs a command to its end; wall time and the child's own peak RSS (KiB)
/// from `wait4`, so no `/usr/bin/time` is needed.
#[allow(clippy::zombie_processes)] // `wait4` below reaps the child
fn measured(cmd: &mut Command) -> (f64, u64) {
    let t = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child");
    let mut status = 0;
    // SAFETY: plain syscall on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let secs = t.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed: {cmd:?}"
    );
    (secs, usage.ru_maxrss as u64)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pages_of(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap_or_default();
    lopdf::Document::load_mem(&bytes)
        .map(|d| d.get_pages().len())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--bare") {
        bare(
            Path::new(&args[2]),
            Path::new(&args[3]),
            Path::new(&args[4]),
        );
        return;
    }
    let root = common::root();
    let bin = common::release_binary();
    let me: PathBuf = std::env::current_exe().expect("own path");
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = root.join("samples/qianquan-2019-8.yaml");
    let typ = root.join("benches/floor/notice.typ");
    let fonts = root.join("fonts");
    let ours = dir.path().join("gongwen.pdf");
    let theirs = dir.path().join("typst.pdf");
    let index = dir.path().join("font-index.json");

    let gongwen = || {
        let mut c = Command::new(&bin);
        c.arg("render")
            .arg(&sample)
            .arg("-o")
            .arg(&ours)
            .env("GONGWEN_FONT_INDEX", &index);
        c
    };
    let typst = || {
        let mut c = Command::new(&me);
        c.arg("--bare").arg(&typ).arg(&theirs).arg(&fonts);
        c
    };
    // Warm the page cache and gongwen's font index (a user's second run).
    measured(&mut gongwen());
    measured(&mut typst());

    let runs = 21;
    let (mut ours_t, mut theirs_t) = (Vec::new(), Vec::new());
    let (mut ours_m, mut theirs_m) = (0u64, 0u64);
    let mut ratios = Vec::new();
    for _ in 0..runs {
        let (a, am) = measured(&mut gongwen());
        let (b, bm) = measured(&mut typst());
        ours_t.push(a);
        theirs_t.push(b);
        ratios.push(a / b);
        ours_m = ours_m.max(am);
        theirs_m = theirs_m.max(bm);
    }
    let (ours_med, theirs_med) = (median(ours_t), median(theirs_t));
    let ratio = median(ratios);
    let mib = |k: u64| k as f64 / 1024.0;
    let table = format!(
        "| whole process, median of {runs} alternating runs | time | peak RSS | pages |\n\
         |---|---|---|---|\n\
         | gongwen render samples/qianquan-2019-8.yaml | {:.3} s | {:.1} MiB | {} |\n\
         | Typst engine alone, benches/floor/notice.typ | {:.3} s | {:.1} MiB | {} |\n\
         | ratio gongwen / Typst (median of the pairs) | {ratio:.2} | {:.2} | |\n",
        ours_med,
        mib(ours_m),
        pages_of(&ours),
        theirs_med,
        mib(theirs_m),
        pages_of(&theirs),
        ours_m as f64 / theirs_m as f64,
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-floor.md"), &table);
    let mut t = common::Targets::default();
    t.check("cold render / bare Typst", Some(ratio), 0.9, true, "×");
    t.check(
        "cold render peak RSS",
        Some(mib(ours_m)),
        100.0,
        true,
        "MiB",
    );
    t.finish();
}
