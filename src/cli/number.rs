use std::path::PathBuf;

use clap::{Args, Subcommand};
use gongwen::model::number::DocNumber;
use gongwen::register::{self, Register, Status};

#[derive(Args)]
pub struct NumberArgs {
    #[command(subcommand)]
    command: NumberCommand,
    /// 发文登记簿文件（默认：环境变量 GONGWEN_REGISTER，否则 ./gongwen.db）
    #[arg(long, global = true, value_name = "文件")]
    register: Option<PathBuf>,
}

#[derive(Subcommand)]
enum NumberCommand {
    /// 取下一个发文字号并登记，打印在标准输出（如 千街发〔2019〕8号）
    Next(Take),
    /// 预留下一个发文字号给尚未排版的公文
    Reserve(Take),
    /// 作废一个发文字号（作废的号不再使用）
    Void {
        /// 发文字号，如 千街发〔2019〕8号
        number: String,
        /// 作废原因
        #[arg(long)]
        reason: String,
    },
    /// 列出登记的发文字号
    List {
        /// 机关代字
        code: Option<String>,
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Args)]
struct Take {
    /// 机关代字，如 千街发
    code: String,
    /// 年份（默认今年）
    #[arg(long)]
    year: Option<i32>,
    /// 备注（如用途、文件标题）
    #[arg(long, default_value = "")]
    note: String,
}

fn checked(code: &str, year: Option<i32>) -> gongwen::Result<(String, i32)> {
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&chrono::Local::now().date_naive()));
    DocNumber::parse(&format!("{code}〔{year}〕1号")).map_err(gongwen::Error::Other)?;
    Ok((code.trim().to_string(), year))
}

/// Takes the next number and prints it on stdout, for scripts.
fn take(reg: &mut Register, t: &Take, status: Status) -> gongwen::Result<()> {
    let (code, year) = checked(&t.code, t.year)?;
    let seq = reg.take(&code, year, status, &t.note, |_| Ok(None))?;
    println!(
        "{}",
        DocNumber {
            code,
            year,
            seq: Some(seq)
        }
        .display()
    );
    Ok(())
}

/// Opens the register for taking numbers; the first time, creates it and
/// says so plainly (a typo in `--register` must not pass unnoticed).
pub fn open_for_numbers(path: &std::path::Path) -> gongwen::Result<Register> {
    let (reg, created) = Register::open_or_create(path)?;
    if created {
        eprintln!(
            "注意：没有找到发文登记簿，已新建 {}（从 1 号开始编号）。若本办公室已有登记簿，请删除这个新文件，用 --register 指定原来的登记簿。",
            path.display()
        );
    }
    Ok(reg)
}

pub fn run(a: NumberArgs) -> gongwen::Result<i32> {
    let path = register::location_with(
        a.register.as_deref(),
        super::office(std::path::Path::new("."))?
            .and_then(|o| o.register)
            .as_deref(),
    );
    match a.command {
        NumberCommand::Next(t) => take(&mut open_for_numbers(&path)?, &t, Status::Issued)?,
        NumberCommand::Reserve(t) => take(&mut open_for_numbers(&path)?, &t, Status::Reserved)?,
        NumberCommand::Void { number, reason } => {
            let mut reg = Register::open(&path)?;
            let n = DocNumber::parse(&number).map_err(gongwen::Error::Other)?;
            if reason.trim().is_empty() {
                return Err(gongwen::Error::other("作废要写明原因：--reason “……”。"));
            }
            reg.void(&n, reason.trim())?;
            eprintln!(
                "已作废 {}（{}）。此号不会再使用。",
                n.display(),
                reason.trim()
            );
        }
        NumberCommand::List { code, year } => {
            let reg = Register::open_read_only(&path)?;
            let entries = reg.list(code.as_deref(), year)?;
            if entries.is_empty() {
                eprintln!("登记簿里没有符合条件的发文字号。");
            }
            for e in entries {
                let what = if e.doc.title.is_empty() {
                    e.note.clone()
                } else {
                    e.doc.title.clone()
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    e.number().display(),
                    e.status.label(),
                    e.doc.date,
                    what
                );
            }
        }
    }
    Ok(0)
}
