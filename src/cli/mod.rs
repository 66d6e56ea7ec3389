//! One module per subcommand; none holds layout or business logic.

mod approval;
mod archive;
mod backup;
mod batch;
mod check;
mod fonts;
mod import;
mod ledger;
mod new;
mod number;
mod register;
mod render;
mod serve;
mod summary;
mod user;
mod watch;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use gongwen::render::EngineOptions;
use gongwen::render::Format;
use gongwen::settings::Settings;
use gongwen::typeset::fonts::FontOptions;

#[derive(Parser)]
#[command(
    name = "gongwen",
    version,
    about = "把 YAML 数据排成符合 GB/T 9704-2012 的党政机关公文 PDF"
)]
#[command(disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 排版一份公文，生成 PDF
    Render(render::RenderArgs),
    /// 检查公文数据（不生成文件）；有错误时退出码为 1
    Check(check::CheckArgs),
    /// 导入 Word 草稿（.docx）或纯文本草稿（.txt），生成 YAML 并报告各段识别结果
    Import(import::ImportArgs),
    /// 打印某一文种的 YAML 模板（带注释，可直接排版）
    New(new::NewArgs),
    /// 列出各字体角色实际使用的字体、来源和字符覆盖
    Fonts(fonts::FontsArgs),
    /// 单独生成公文签批单（发文稿纸）
    Approval(approval::ApprovalArgs),
    /// 发文字号：取号、预留、作废、列出
    Number(number::NumberArgs),
    /// 发文登记簿：导出（PDF/CSV）、备份
    Register(register::RegisterArgs),
    /// 按方案模板为名单中的每个单位各生成一份方案（多核并行）
    Batch(batch::BatchArgs),
    /// 监视公文文件，保存后立即重新排版（草稿）
    Watch(watch::WatchArgs),
    /// 生成归档包：PDF/A-2b、归档章、档号、归档文件目录（DA/T 22）
    Archive(archive::ArchiveArgs),
    /// 生成月度台账（活动台账、隐患排查治理台账等）
    Ledger(ledger::LedgerArgs),
    /// 生成季度工作情况报告（完成情况、闭环率、未完成单位、完成率图）
    Summary(summary::SummaryArgs),
    /// 启动网页工作台：在浏览器里拟文、预览、取号、生成 PDF、查登记簿
    Serve(serve::ServeArgs),
    /// 工作台账户：添加、列出、删除（局域网使用时需要）
    User(user::UserArgs),
    /// 备份工作台的整个数据文件夹（登记簿、文稿、村居填报）为 zip，工作台运行时也可以
    Backup(backup::BackupArgs),
}

/// Options every typesetting command takes.
#[derive(Args, Clone, Default)]
pub struct EngineArgs {
    /// 额外的字体文件夹（可多次指定），优先于系统字体
    #[arg(long = "font-dir", value_name = "文件夹")]
    font_dirs: Vec<PathBuf>,
    /// 不使用系统字体（只用附带字体和 --font-dir）
    #[arg(long)]
    no_system_fonts: bool,
    /// 用此文件夹中的同名 Typst 版式模板替换内置模板
    #[arg(long, value_name = "文件夹")]
    templates: Option<PathBuf>,
}

/// `--format pdf|ofd|docx`: the output file's format, when its name does
/// not say it (`-o x.ofd` is OFD without it).
#[derive(Args, Clone, Debug, Default)]
pub struct FormatArg {
    /// 输出格式：pdf（默认）、ofd（GB/T 33190 版式文档）或 docx（可再编辑的 Word 文件，用于 render、batch、summary；签批单和台账不出 docx）；不写时按输出文件的扩展名
    #[arg(long, value_name = "pdf|ofd|docx")]
    format: Option<String>,
}

impl FormatArg {
    /// The format, checked against the output's name when there is one.
    pub fn resolve(&self, output: Option<&std::path::Path>) -> gongwen::Result<Format> {
        let given = match self.format.as_deref() {
            Some(s) => Some(Format::parse(s).ok_or_else(|| {
                gongwen::Error::other(format!("--format {s} 不认识：只能是 pdf、ofd 或 docx。"))
            })?),
            None => None,
        };
        let named = output.map(Format::of);
        match (given, named, output) {
            (Some(g), Some(n), Some(o)) if g != n => Err(gongwen::Error::other(format!(
                "--format {} 与输出文件 {} 的扩展名不一致。请把输出文件改成 .{} 结尾，或去掉 --format。",
                g.ext(),
                o.display(),
                g.ext()
            ))),
            (Some(g), _, _) => Ok(g),
            (None, Some(n), _) => Ok(n),
            (None, None, _) => Ok(Format::Pdf),
        }
    }
}

impl EngineArgs {
    fn templates_dir(&self) -> Option<&std::path::Path> {
        self.templates.as_deref()
    }

    fn options(&self) -> EngineOptions {
        self.options_for(None)
    }

    /// Options with the office's font folders (`gongwen.toml`) after the
    /// ones given on the command line.
    fn options_for(&self, office: Option<&Settings>) -> EngineOptions {
        let mut font_dirs = self.font_dirs.clone();
        if let Some(s) = office {
            font_dirs.extend(s.font_dirs.iter().cloned());
        }
        EngineOptions {
            fonts: FontOptions {
                font_dirs,
                no_system_fonts: self.no_system_fonts,
                bundled_dir: None,
                font_index: font_index(),
            },
            templates: self.templates.clone(),
        }
    }
}

/// The office settings for a document or folder (`gongwen.toml`).
fn office(start: &std::path::Path) -> gongwen::Result<Option<Settings>> {
    Settings::find(start)
}

/// Where the font index lives: `GONGWEN_FONT_INDEX` (a file; empty turns
/// it off), else the user's cache folder.
fn font_index() -> Option<PathBuf> {
    match std::env::var_os("GONGWEN_FONT_INDEX") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => gongwen::typeset::font_index::FontIndex::default_path(),
    }
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    // Long runs lay out many documents; one-document runs keep glibc's
    // defaults, which give the lowest peak.
    if matches!(
        cli.command,
        Command::Batch(_)
            | Command::Serve(_)
            | Command::Watch(_)
            | Command::Ledger(_)
            | Command::Summary(_)
            | Command::Archive(_)
    ) {
        crate::memory::keep_freed_memory();
    }
    let result = match cli.command {
        Command::Render(a) => render::run(a),
        Command::Check(a) => check::run(a),
        Command::Import(a) => import::run(a),
        Command::New(a) => new::run(a),
        Command::Fonts(a) => fonts::run(a),
        Command::Approval(a) => approval::run(a),
        Command::Number(a) => number::run(a),
        Command::Register(a) => register::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Watch(a) => watch::run(a),
        Command::Archive(a) => archive::run(a),
        Command::Ledger(a) => ledger::run(a),
        Command::Summary(a) => summary::run(a),
        Command::Serve(a) => serve::run(a),
        Command::User(a) => user::run(a),
        Command::Backup(a) => backup::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// Prints warnings to stderr.
fn print_warnings(warnings: &[gongwen::Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}
