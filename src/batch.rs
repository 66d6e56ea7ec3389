//! Batch rendering: one plan per unit, on all cores, with a progress bar; a
//! bad row is reported by its row number and the others still render.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Error;
use crate::output::{self, sha256_hex, Csv};
use crate::plan::units::Unit;
use crate::plan::Plan;
use crate::render::{self, prepare_notice};
use crate::source::Origin;
use crate::typeset::Engine;

/// Options of a batch run.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out_dir: PathBuf,
    /// Worker threads (default: all cores).
    pub jobs: usize,
    /// Also pack the PDFs and a manifest into this zip.
    pub zip: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// PDF (default) or OFD files.
    pub format: render::Format,
}

/// A unit rendered.
#[derive(Debug, Clone)]
pub struct Done {
    pub row: usize,
    pub unit: String,
    pub file: PathBuf,
    pub pages: usize,
    pub sha256: String,
}

/// A unit that failed, with the reason in Chinese.
#[derive(Debug, Clone)]
pub struct Failed {
    pub row: usize,
    pub unit: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub done: Vec<Done>,
    pub failed: Vec<Failed>,
}

/// Typst's memo cache is trimmed after every document, keeping what the
/// last two used: memory stays flat over a long batch, and what every plan
/// shares (the template's text, identical paragraphs and table rows) is
/// laid out once — with 16 or 600 units, about half the layout work.
const EVICT_AGE: usize = 2;

/// Renders every unit. Errors of single units land in the report; only
/// problems with the plan itself or the output folder stop the run.
pub fn run(
    engine: &Engine,
    plan: &Plan,
    units: &[Unit],
    opts: &BatchOptions,
) -> Result<Report, Error> {
    std::fs::create_dir_all(&opts.out_dir)
        .map_err(|e| Error::other(format!("建不了输出文件夹 {}：{e}", opts.out_dir.display())))?;
    let names = unique_names(plan, units);
    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(units.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 份  已用 {elapsed}  预计还需 {eta}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let jobs = opts.jobs.max(1).min(units.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(unit) = units.get(i) else { break };
                let result = match &names[i] {
                    Ok(name) => one(engine, plan, unit, name, &opts.out_dir, opts.format),
                    Err(e) => Err(e.clone()),
                };
                let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
                match result {
                    Ok(done) => r.done.push(done),
                    Err(reason) => r.failed.push(Failed {
                        row: unit.row,
                        unit: unit.name(),
                        reason,
                    }),
                }
                drop(r);
                bar.set_message(unit.name());
                bar.inc(1);
                typst::comemo::evict(EVICT_AGE);
            });
        }
    });
    bar.finish_and_clear();
    let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
    report.done.sort_by_key(|d| d.row);
    report.failed.sort_by_key(|f| f.row);
    if let Some(zip) = &opts.zip {
        write_zip(zip, &report)?;
    }
    Ok(report)
}

/// One unit: expand, validate, lay out, write. Errors become one line.
fn one(
    engine: &Engine,
    plan: &Plan,
    unit: &Unit,
    name: &str,
    out_dir: &Path,
    format: render::Format,
) -> Result<Done, String> {
    let notice = plan.expand(unit)?;
    // The generated document lives “in” the plan's folder (seals, images).
    let origin = Origin::built(plan.dir().join(format!("{name}.yaml")));
    let doc = prepare_notice(engine, &notice, origin).map_err(|e| one_line(&e))?;
    // PDF, OFD or an editable .docx for each unit.
    let (bytes, pages) = render::write_doc(engine, &doc, name, format).map_err(|e| one_line(&e))?;
    let file = out_dir.join(format!("{name}.{}", format.ext()));
    output::write_atomic(&file, &bytes).map_err(|e| one_line(&e))?;
    Ok(Done {
        row: unit.row,
        unit: unit.name(),
        file,
        pages,
        sha256: sha256_hex(&bytes),
    })
}

/// An error as one readable line (a generated document has no positions:
/// the user never wrote it).
pub fn one_line(e: &Error) -> String {
    match e {
        Error::Input(diags) => diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let hint = d
                    .hint
                    .as_ref()
                    .map(|h| format!("（{h}）"))
                    .unwrap_or_default();
                format!("{}{hint}", d.message)
            })
            .collect::<Vec<_>>()
            .join("；"),
        Error::Other(m) => m.clone(),
    }
}

/// File names from unit names, unique against every name already given
/// (东关社区, 东关社区-2 …; a unit really named 东关社区-2 does not
/// collide with the second 东关社区). A unit without a name has none: it
/// fails with the reason.
fn unique_names(plan: &Plan, units: &[Unit]) -> Vec<Result<String, String>> {
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    units
        .iter()
        .map(|u| {
            let base = plan.file_name(u)?;
            let mut name = base.clone();
            let mut n = 1;
            // File systems that ignore case would still collide on these.
            while !used.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            Ok(name)
        })
        .collect()
}

/// The zip: every PDF plus `清单.csv` (unit → file, pages, SHA-256). Entries
/// carry a fixed date so the same input gives the same bytes.
fn write_zip(path: &Path, report: &Report) -> Result<(), Error> {
    let mut entries = Vec::new();
    let mut manifest = Csv::new("清单.csv", ["行号", "单位", "文件", "页数", "SHA-256"])?;
    for d in &report.done {
        let name = d
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&d.file)
            .map_err(|e| Error::other(format!("生成压缩包 {} 失败：{e}", path.display())))?;
        manifest.row([
            d.row.to_string(),
            d.unit.clone(),
            name.clone(),
            d.pages.to_string(),
            d.sha256.clone(),
        ])?;
        entries.push((name, bytes));
    }
    entries.push(("清单.csv".to_string(), manifest.into_bytes()?));
    let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date");
    output::write_atomic(path, &output::zip(&entries, date)?)
}
