use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use gongwen::register::{self, Register};

use super::EngineArgs;

#[derive(Args)]
pub struct RegisterArgs {
    #[command(subcommand)]
    command: RegisterCommand,
    /// 发文登记簿文件（默认：环境变量 GONGWEN_REGISTER，否则 ./gongwen.db）
    #[arg(long, global = true, value_name = "文件")]
    register: Option<PathBuf>,
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// 导出某年的发文登记簿（横排表格 PDF 或 CSV）
    Export {
        #[arg(long)]
        year: i32,
        /// 只导出这个机关代字
        #[arg(long)]
        code: Option<String>,
        #[arg(long, value_enum, default_value = "pdf")]
        format: Format,
        /// 输出文件（默认：发文登记簿-年份.pdf/csv）
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// 备份登记簿（使用中也可以安全备份）
    Backup {
        /// 备份文件（不能已存在）
        dest: PathBuf,
    },
    /// 新建一个空的发文登记簿（文件已存在时不做任何改动）
    Init,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Pdf,
    Csv,
}

pub fn run(a: RegisterArgs) -> gongwen::Result<i32> {
    let path = register::location_with(
        a.register.as_deref(),
        super::office(std::path::Path::new("."))?
            .and_then(|o| o.register)
            .as_deref(),
    );
    if let RegisterCommand::Init = a.command {
        Register::create(&path)?;
        eprintln!("已新建发文登记簿 {}", path.display());
        return Ok(0);
    }
    let reg = Register::open_read_only(&path)?;
    match a.command {
        RegisterCommand::Init => {}
        RegisterCommand::Export {
            year,
            code,
            format,
            output,
            engine,
        } => {
            let entries = reg.list(code.as_deref(), Some(year))?;
            let ext = match format {
                Format::Pdf => "pdf",
                Format::Csv => "csv",
            };
            let output =
                output.unwrap_or_else(|| PathBuf::from(format!("发文登记簿-{year}.{ext}")));
            gongwen::output::check_target(&output, &[ext], &[&path])?;
            let bytes = match format {
                Format::Csv => gongwen::reports::register_book::csv(&entries)?,
                Format::Pdf => {
                    let engine = gongwen::render::engine(&engine.options())?;
                    gongwen::reports::register_book::pdf(&engine, &entries, year, code.as_deref())?
                }
            };
            gongwen::output::write_atomic(&output, &bytes)?;
            eprintln!("已导出 {}（{} 条）", output.display(), entries.len());
        }
        RegisterCommand::Backup { dest } => {
            reg.backup(&dest)?;
            eprintln!("已备份到 {}", dest.display());
        }
    }
    Ok(0)
}
