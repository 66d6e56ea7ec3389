use std::path::PathBuf;

use clap::Args;
use gongwen::batch::{self, BatchOptions, WorkerCommand};
use gongwen::plan::{units, Plan};

use super::{EngineArgs, FormatArg};

#[derive(Args)]
pub struct BatchArgs {
    /// 方案模板文件（YAML：内容模板、共用数据、任务）
    plan: PathBuf,
    /// 单位名单（.csv、.xlsx、.yaml；xlsx 可写 文件.xlsx#工作表名）
    #[arg(long, value_name = "名单")]
    units: PathBuf,
    /// 输出文件夹
    #[arg(short, long, value_name = "文件夹")]
    output: PathBuf,
    /// 另外打包成 zip（含全部输出文件——PDF、OFD 或 Word——和清单.csv）
    #[arg(long, value_name = "ZIP")]
    zip: Option<PathBuf>,
    /// 同时排版的份数（默认：CPU 核数）
    #[arg(long)]
    jobs: Option<usize>,
    /// 只排名单中的这个单位
    #[arg(long, value_name = "单位名称")]
    only: Option<String>,
    #[command(flatten)]
    format: FormatArg,
    #[command(flatten)]
    engine: EngineArgs,
    /// 内部使用：作为排版进程，从标准输入接收要排的单位
    #[arg(long, hide = true)]
    worker: bool,
}

pub fn run(a: BatchArgs) -> gongwen::Result<i32> {
    if let Some(zip) = &a.zip {
        gongwen::output::check_target(zip, &["zip"], &[&a.plan, &a.units])?;
    }
    let format = a.format.resolve(None)?;
    // Built here even when workers will lay out: a problem with the fonts
    // or templates is then one error before anything starts, not one per
    // worker.
    let engine = gongwen::render::engine(&a.engine.options())?;
    let plan = Plan::load(&a.plan, a.engine.templates_dir())?;
    let mut list = units::read(&a.units, &plan.file.unit_columns, "单位名单")?;
    if let Some(only) = &a.only {
        list.retain(|u| &u.name() == only);
        if list.is_empty() {
            return Err(gongwen::Error::other(format!("名单里没有“{only}”。")));
        }
    }
    if a.worker {
        let stdin = std::io::stdin().lock();
        let stdout = std::io::stdout().lock();
        batch::serve_worker(&engine, &plan, &list, &a.output, format, stdin, stdout)?;
        return Ok(0);
    }
    let jobs = a.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let opts = BatchOptions {
        out_dir: a.output.clone(),
        jobs,
        zip: a.zip.clone(),
        progress: true,
        format,
    };
    // More than one core and unit: worker processes, each this program
    // with the same arguments (the same plan, list, fonts and settings).
    let worker = std::env::current_exe()
        .ok()
        .filter(|_| jobs > 1 && list.len() > 1)
        .map(|program| WorkerCommand {
            program,
            args: std::env::args_os()
                .skip(1)
                .chain([std::ffi::OsString::from("--worker")])
                .collect(),
        });
    let started = std::time::Instant::now();
    let report = match &worker {
        Some(worker) => {
            // Each worker builds its own; this one has done its checking.
            drop(engine);
            // A worker that died leaves a closed pipe: writing to it must be
            // an error reported for that unit, not SIGPIPE ending the batch.
            #[cfg(unix)]
            // SAFETY: no other thread exists yet; only this process's
            // reaction to a closed pipe changes.
            unsafe {
                libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            }
            batch::run_in_processes(worker, &plan, &list, &opts)?
        }
        None => batch::run(&engine, &plan, &list, &opts)?,
    };
    let secs = started.elapsed().as_secs_f64();
    let pages: usize = report.done.iter().map(|d| d.pages).sum();
    eprintln!(
        "已生成 {} 份（共 {pages} 页，用时 {secs:.1} 秒），输出在 {}{}",
        report.done.len(),
        a.output.display(),
        a.zip
            .as_ref()
            .map(|z| format!("，压缩包 {}", z.display()))
            .unwrap_or_default()
    );
    if report.failed.is_empty() {
        return Ok(0);
    }
    eprintln!("失败 {} 份：", report.failed.len());
    for f in &report.failed {
        let unit = if f.unit.trim().is_empty() {
            String::new()
        } else {
            format!("（{}）", f.unit)
        };
        eprintln!(
            "  {} 第 {} 行{unit}：{}",
            a.units.display(),
            f.row,
            f.reason
        );
    }
    Ok(1)
}
