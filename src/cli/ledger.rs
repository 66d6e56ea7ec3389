use std::path::PathBuf;

use clap::Args;
use gongwen::reports::ledger::{self, Kind, Signoff};

use super::{EngineArgs, FormatArg};

#[derive(Args)]
pub struct LedgerArgs {
    /// 台账种类：activity（活动台账）、hazard（隐患排查治理台账），或台账格式文件
    kind: String,
    /// 台账数据（.csv、.xlsx、.yaml；xlsx 可写 文件.xlsx#工作表名）
    data: PathBuf,
    /// 统计月份，如 2019-05
    #[arg(long)]
    month: String,
    /// 只列这个单位（也作为填报单位）
    #[arg(long)]
    unit: Option<String>,
    /// 填报单位（不按单位筛选时写，如 千泉街道安监办）
    #[arg(long, default_value = "")]
    reporter: String,
    /// 填表人
    #[arg(long, default_value = "")]
    filler: String,
    /// 审核人
    #[arg(long, default_value = "")]
    reviewer: String,
    /// 负责人
    #[arg(long, default_value = "")]
    head: String,
    /// 填报日期（默认为统计月份的最后一天）
    #[arg(long)]
    date: Option<String>,
    /// 输出文件：.pdf 或 .ofd
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    format: FormatArg,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: LedgerArgs) -> gongwen::Result<i32> {
    let (year, month) = ledger::parse_month(&a.month).map_err(gongwen::Error::Other)?;
    let date =
        ledger::report_date(a.date.as_deref(), year, month).map_err(gongwen::Error::Other)?;
    let format = a.format.resolve(Some(&a.output))?;
    gongwen::output::check_target(&a.output, &[format.ext()], &[&a.data])?;
    let kind = Kind::load(&a.kind, a.engine.templates_dir())?;
    let rows = ledger::read_rows(&kind, &a.data)?;
    let m = ledger::month(&kind, &rows, year, month, a.unit.as_deref());
    let engine = gongwen::render::engine(&a.engine.options())?;
    let signoff = Signoff {
        unit: a.reporter,
        filler: a.filler,
        reviewer: a.reviewer,
        head: a.head,
        date,
    };
    let paged = ledger::pages(&engine, &kind, &m, year, month, a.unit.as_deref(), &signoff)?;
    let title = format!(
        "{}{year}年{month}月{}",
        a.unit.as_deref().unwrap_or(""),
        kind.name
    );
    let ident = format!("ledger-{}-{year}-{month}", kind.name);
    let bytes = gongwen::render::export(&paged, &ident, format, None, &title)?;
    gongwen::output::write_atomic(&a.output, &bytes)?;
    eprintln!(
        "已生成 {}（{year}年{month}月，{} 条）",
        a.output.display(),
        m.rows.len()
    );
    Ok(0)
}
