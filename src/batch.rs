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

/// Renders every unit on `opts.jobs` threads of this process, sharing one
/// engine. Errors of single units land in the report; only problems with
/// the plan itself or the output folder stop the run.
pub fn run(
    engine: &Engine,
    plan: &Plan,
    units: &[Unit],
    opts: &BatchOptions,
) -> Result<Report, Error> {
    spread(plan, units, opts, |take, record| {
        while let Some((i, name)) = take() {
            record(
                i,
                one(engine, plan, &units[i], &name, &opts.out_dir, opts.format),
            );
            typst::comemo::evict(EVICT_AGE);
        }
    })
}

/// The command that starts one worker: this program with the batch's own
/// arguments, told to serve units (see [`serve_worker`]).
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<std::ffi::OsString>,
}

/// Renders every unit in `opts.jobs` worker processes, each laying out one
/// unit at a time. Why processes: Typst's memo cache is one per process
/// behind locks, and two threads laying out two plans wait on each other's
/// locks and each other's parallel page layout — a 600-plan batch on two
/// cores left 9 % of the time idle (futex waits in comemo and rayon, perf);
/// two processes share nothing and keep both cores busy (16.3 s → 13.5 s).
/// A worker that dies takes only its unit with it; a new one is started.
pub fn run_in_processes(
    worker: &WorkerCommand,
    plan: &Plan,
    units: &[Unit],
    opts: &BatchOptions,
) -> Result<Report, Error> {
    let ext = opts.format.ext();
    spread(plan, units, opts, |take, record| {
        let mut current: Option<Worker> = None;
        while let Some((i, name)) = take() {
            let w = match current.as_mut() {
                Some(w) => w,
                None => match Worker::start(worker) {
                    Ok(w) => current.insert(w),
                    Err(e) => {
                        record(i, Err(e));
                        return;
                    }
                },
            };
            match w.ask(i, &name) {
                Ok(Ok((pages, sha256))) => record(
                    i,
                    Ok(Done {
                        row: units[i].row,
                        unit: units[i].name(),
                        file: opts.out_dir.join(format!("{name}.{ext}")),
                        pages,
                        sha256,
                    }),
                ),
                Ok(Err(reason)) => record(i, Err(reason)),
                Err(()) => {
                    let served = w.served;
                    let status = current.take().map(Worker::finish).unwrap_or_default();
                    record(
                        i,
                        Err(format!("排版进程意外退出（{status}），这一份没有生成。")),
                    );
                    // A worker that could not lay out even its first unit
                    // will not do better the next time.
                    if served == 0 {
                        return;
                    }
                }
            }
        }
        if let Some(w) = current {
            w.finish();
        }
    })
}

/// A worker's side: reads requests (`{"i": 3, "name": "东关社区"}`, one per
/// line) from `input`, renders unit `i` of `units` as file `name`, and
/// answers on `output` with `{"i": 3, "pages": 14, "sha256": "…"}` or
/// `{"i": 3, "error": "…"}`. Ends when `input` ends.
pub fn serve_worker(
    engine: &Engine,
    plan: &Plan,
    units: &[Unit],
    out_dir: &Path,
    format: render::Format,
    input: impl std::io::BufRead,
    mut output: impl std::io::Write,
) -> Result<(), Error> {
    let broken = |e: std::io::Error| Error::other(format!("排版进程与主进程的连接断了：{e}"));
    for line in input.lines() {
        let line = line.map_err(broken)?;
        let Ok(ask) = serde_json::from_str::<Ask>(&line) else {
            return Err(Error::other("排版进程收到了看不懂的请求。"));
        };
        // File names come from the parent's unique names; one that would
        // leave the output folder is refused all the same.
        let plain = !ask.name.is_empty()
            && !ask.name.contains(['/', '\\'])
            && ask.name != ".."
            && ask.name != ".";
        let answer = match units.get(ask.i).filter(|_| plain) {
            Some(unit) => match one(engine, plan, unit, &ask.name, out_dir, format) {
                Ok(done) => Answer {
                    i: ask.i,
                    pages: Some(done.pages),
                    sha256: Some(done.sha256),
                    error: None,
                },
                Err(reason) => Answer {
                    i: ask.i,
                    pages: None,
                    sha256: None,
                    error: Some(reason),
                },
            },
            None => Answer {
                i: ask.i,
                pages: None,
                sha256: None,
                error: Some(if plain {
                    "名单里没有这一行（名单在排版时被改动了？）".into()
                } else {
                    format!("文件名“{}”不能用。", ask.name)
                }),
            },
        };
        let json = serde_json::to_string(&answer).map_err(|e| Error::other(e.to_string()))?;
        writeln!(output, "{json}").map_err(broken)?;
        output.flush().map_err(broken)?;
        typst::comemo::evict(EVICT_AGE);
    }
    Ok(())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Ask {
    i: usize,
    name: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Answer {
    i: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// One running worker process and the pipes to it.
struct Worker {
    child: std::process::Child,
    to: std::process::ChildStdin,
    from: std::io::BufReader<std::process::ChildStdout>,
    served: usize,
}

impl Worker {
    fn start(cmd: &WorkerCommand) -> Result<Worker, String> {
        let mut c = std::process::Command::new(&cmd.program);
        c.args(&cmd.args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit());
        // Each worker is one of `jobs` processes already: Typst's own
        // parallel page layout inside it would only compete for the cores.
        if std::env::var_os("RAYON_NUM_THREADS").is_none() {
            c.env("RAYON_NUM_THREADS", "1");
        }
        let fail =
            |e: &dyn std::fmt::Display| format!("启动不了排版进程 {}：{e}", cmd.program.display());
        let mut child = c.spawn().map_err(|e| fail(&e))?;
        let (Some(to), Some(from)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(fail(&"没有管道"));
        };
        Ok(Worker {
            child,
            to,
            from: std::io::BufReader::new(from),
            served: 0,
        })
    }

    /// Asks for unit `i` as file `name`: `Err(())` when the worker is gone
    /// or answers out of turn.
    fn ask(&mut self, i: usize, name: &str) -> Result<Result<(usize, String), String>, ()> {
        use std::io::{BufRead, Write};
        let ask = serde_json::to_string(&Ask {
            i,
            name: name.to_string(),
        })
        .map_err(|_| ())?;
        writeln!(self.to, "{ask}").map_err(|_| ())?;
        self.to.flush().map_err(|_| ())?;
        let mut line = String::new();
        match self.from.read_line(&mut line) {
            Ok(n) if n > 0 => {}
            _ => return Err(()),
        }
        let answer: Answer = serde_json::from_str(&line).map_err(|_| ())?;
        if answer.i != i {
            return Err(());
        }
        self.served += 1;
        Ok(match (answer.pages, answer.sha256, answer.error) {
            (Some(pages), Some(sha256), None) => Ok((pages, sha256)),
            (_, _, Some(e)) => Err(e),
            _ => Err("排版进程的回答不完整。".to_string()),
        })
    }

    /// Closes the worker's input and waits for it; the exit status in
    /// words.
    fn finish(self) -> String {
        let Worker { mut child, to, .. } = self;
        drop(to);
        match child.wait() {
            Ok(s) if s.success() => "正常结束".into(),
            Ok(s) => match s.code() {
                Some(c) => format!("退出码 {c}"),
                None => "被系统终止，可能是内存不够".into(),
            },
            Err(e) => e.to_string(),
        }
    }
}

/// The frame of a batch, whatever does the work: output folder, unique
/// file names, progress bar, report, zip. `work` runs on each of
/// `opts.jobs` threads with `take` (the next unit and its file name) and
/// `record` (its outcome); a unit whose name is already an error is
/// reported without reaching `work`, and a unit no worker took is
/// reported as not rendered.
fn spread<F>(plan: &Plan, units: &[Unit], opts: &BatchOptions, work: F) -> Result<Report, Error>
where
    F: Fn(&dyn Fn() -> Option<(usize, String)>, &dyn Fn(usize, Result<Done, String>)) + Sync,
{
    std::fs::create_dir_all(&opts.out_dir)
        .map_err(|e| Error::other(format!("建不了输出文件夹 {}：{e}", opts.out_dir.display())))?;
    let names = unique_names(plan, units);
    let next = AtomicUsize::new(0);
    let report = Mutex::new((Report::default(), vec![false; units.len()]));
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
    let record = |i: usize, result: Result<Done, String>| {
        let Some(unit) = units.get(i) else { return };
        let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
        r.1[i] = true;
        match result {
            Ok(done) => r.0.done.push(done),
            Err(reason) => r.0.failed.push(Failed {
                row: unit.row,
                unit: unit.name(),
                reason,
            }),
        }
        drop(r);
        bar.set_message(unit.name());
        bar.inc(1);
    };
    let take = || loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        match names.get(i)? {
            Ok(name) => return Some((i, name.clone())),
            Err(e) => record(i, Err(e.clone())),
        }
    };
    let jobs = opts.jobs.max(1).min(units.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| work(&take, &record));
        }
    });
    bar.finish_and_clear();
    let (mut report, seen) = report.into_inner().unwrap_or_else(|p| p.into_inner());
    for (unit, seen) in units.iter().zip(seen) {
        if !seen {
            report.failed.push(Failed {
                row: unit.row,
                unit: unit.name(),
                reason: "没有生成：排版进程都已退出（见上面的错误信息）。".into(),
            });
        }
    }
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
