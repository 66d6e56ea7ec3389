use std::path::PathBuf;

use clap::Args;
use gongwen::reports::ledger::{self, Kind};
use gongwen::reports::summary::{self, SummaryOptions};

use super::{print_warnings, EngineArgs, FormatArg};

#[derive(Args)]
pub struct SummaryArgs {
    /// 季度，如 2019Q2
    #[arg(long)]
    quarter: String,
    /// 活动台账数据（.csv、.xlsx、.yaml）
    #[arg(long)]
    activities: PathBuf,
    /// 隐患排查治理台账数据（可选）
    #[arg(long)]
    hazards: Option<PathBuf>,
    /// 参加统计的单位：单位名单文件（生成方案用的 .csv/.xlsx/.yaml），或用逗号、顿号分隔的单位名；
    /// 不写时只统计台账里出现的单位
    #[arg(long)]
    units: Option<String>,
    /// 报告单位（署名），如 千泉街道办事处
    #[arg(long)]
    organ: String,
    /// 加红头（发文机关标志用“报告单位文件”）
    #[arg(long)]
    red_header: bool,
    /// 发文字号（带红头时）
    #[arg(long)]
    number: Option<String>,
    /// 主送机关（带不带红头都可以写）
    #[arg(long)]
    to: Option<String>,
    /// 下一步工作：文字，或一个文本文件（每段一行），印在“存在的问题”之后
    #[arg(long)]
    next: Option<String>,
    /// 签发人（带红头时必填）
    #[arg(long)]
    signer: Option<String>,
    /// 成文日期，如 2019-07-05（不写时用季度的最后一天）
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

pub fn run(a: SummaryArgs) -> gongwen::Result<i32> {
    let mut inputs = vec![a.activities.as_path()];
    inputs.extend(a.hazards.as_deref());
    let format = a.format.resolve(Some(&a.output))?;
    gongwen::output::check_target(&a.output, &[format.ext()], &inputs)?;
    let (year, quarter) = summary::parse_quarter(&a.quarter).map_err(gongwen::Error::Other)?;
    let act_kind = Kind::load("activity", a.engine.templates_dir())?;
    let acts = ledger::read_rows(&act_kind, &a.activities)?;
    let hz_kind = Kind::load("hazard", a.engine.templates_dir())?;
    let hz = match &a.hazards {
        Some(p) => Some(ledger::read_rows(&hz_kind, p)?),
        None => None,
    };
    let units = match a.units.as_deref() {
        Some(s) if std::path::Path::new(s).is_file() => {
            summary::unit_names(std::path::Path::new(s))?
        }
        Some(s) => s
            .split([',', '，', '、'])
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect(),
        None => Vec::new(),
    };
    if units.is_empty() {
        eprintln!(
            "提醒：只统计了台账里出现的单位，一份台账也没有报送的单位不会出现在总结里。用 --units 单位名单.csv（生成方案用的名单）列出全部单位。"
        );
    }
    let next = match a.next.as_deref() {
        Some(n) if std::path::Path::new(n).is_file() => Some(
            gongwen::source::decode(&gongwen::guard::read_capped(
                std::path::Path::new(n),
                1_000_000,
                "下一步工作",
            )?)
            .map(|(t, _)| t)
            .ok_or_else(|| gongwen::Error::other(format!("{n} 不是文本文件。")))?,
        ),
        other => other.map(str::to_string),
    };
    let opts = SummaryOptions {
        year,
        quarter,
        units,
        organ: a.organ,
        red_header: a.red_header,
        number: a.number,
        to: a.to,
        signer: a.signer,
        next,
        date: match a.date.as_deref() {
            Some(d) => Some(
                gongwen::model::date::Date::parse(d)
                    .map_err(|m| gongwen::Error::Other(format!("--date：{m}")))?
                    .0,
            ),
            None => None,
        },
    };
    let notice = summary::report(
        &act_kind,
        &acts,
        hz.as_deref().map(|h| (&hz_kind, h)),
        &opts,
    )
    .map_err(gongwen::Error::Other)?;
    let engine = gongwen::render::engine(&a.engine.options())?;
    let label = a
        .activities
        .with_file_name(format!("{}Q{}-总结.yaml", year, quarter));
    let origin = gongwen::source::Origin::built(label.clone());
    let doc = gongwen::render::prepare_notice(&engine, &notice, origin)?;
    let ident = label.display().to_string();
    // PDF, OFD or an editable .docx: the summary is a 公文 like any other.
    let (bytes, pages) = gongwen::render::write_doc(&engine, &doc, &ident, format)?;
    gongwen::output::write_atomic(&a.output, &bytes)?;
    print_warnings(&doc.warnings);
    eprintln!("已生成 {}（{} 页）", a.output.display(), pages);
    Ok(0)
}
