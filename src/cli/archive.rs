use std::path::PathBuf;

use clap::Args;
use gongwen::reports::archive::{self, ArchiveOptions, Retention, RunOptions};

use super::EngineArgs;

#[derive(Args)]
pub struct ArchiveArgs {
    /// 要归档的公文（YAML 文件或文件夹）
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 全宗号，如 A13
    #[arg(long)]
    fonds: String,
    /// 全宗名称（立档单位名称），印在归档文件目录和封面上，并用来核对每份公文的发文机关
    #[arg(long, value_name = "名称")]
    fonds_name: Option<String>,
    /// 年度（默认今年）：只归档成文日期在这一年的公文
    #[arg(long)]
    year: Option<i32>,
    /// 保管期限：永久、30年、10年
    #[arg(long)]
    retention: String,
    /// 机构（问题）代码，如 BGS（不按机构分类时不写）
    #[arg(long)]
    dept: Option<String>,
    /// 登记簿里这一年度、保管期限还没有件时，第一件的件号（从纸质归档转来时，写纸质最后一件的下一号，如 64）
    #[arg(long, value_name = "件号")]
    start: Option<u32>,
    /// 严格：有不属于该年度的公文、发文机关不符或归档后改动过的公文时，不生成归档包
    #[arg(long)]
    strict: bool,
    /// 在归档文件目录前加封面（全宗号、全宗名称、年度、保管期限、机构）
    #[arg(long)]
    cover: bool,
    /// 发文登记簿文件，记录已归档的件号（默认：环境变量 GONGWEN_REGISTER，否则 ./gongwen.db）
    #[arg(long, value_name = "文件")]
    register: Option<PathBuf>,
    /// 输出的归档包（zip）
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: ArchiveArgs) -> gongwen::Result<i32> {
    let retention = Retention::parse(&a.retention).map_err(gongwen::Error::Other)?;
    let year = archive::check_year(a.year.unwrap_or_else(archive::this_year))
        .map_err(gongwen::Error::Other)?;
    let fonds = a.fonds.trim().to_string();
    if fonds.is_empty() || !fonds.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(gongwen::Error::other(
            "全宗号只能由字母和数字组成，如 A13 或 0194。",
        ));
    }
    let dept = match a.dept.as_deref() {
        Some(d) => Some(archive::check_dept(d).map_err(gongwen::Error::Other)?),
        None => None,
    };
    if let Some(s) = a.start {
        archive::check_start(s).map_err(gongwen::Error::Other)?;
    }
    let fonds_name = match a.fonds_name.as_deref() {
        Some(n) => Some(archive::check_fonds_name(n).map_err(gongwen::Error::Other)?),
        None => None,
    };
    let office = match a.inputs.first() {
        Some(first) => super::office(first)?,
        None => None,
    };
    let register = gongwen::register::location_with(
        a.register.as_deref(),
        office.as_ref().and_then(|o| o.register.as_deref()),
    );
    let mut inputs: Vec<&std::path::Path> = a.inputs.iter().map(|p| p.as_path()).collect();
    inputs.push(&register);
    gongwen::output::check_target(&a.output, &["zip"], &inputs)?;
    let engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    let opts = ArchiveOptions {
        fonds,
        year,
        retention,
        dept,
    };
    let how = RunOptions {
        register,
        fonds_name,
        start: a.start,
        strict: a.strict,
        cover: a.cover,
    };
    let done = archive::run(&engine, &a.inputs, &opts, &how, &a.output)?;
    for note in &done.notes {
        eprintln!("{note}");
    }
    for it in &done.items {
        eprintln!(
            "{}  {}  {}页  {}{}",
            it.code,
            it.title,
            it.pages,
            it.source.display(),
            if it.archived_before {
                "（已归档过，档号不变）"
            } else {
                ""
            }
        );
    }
    if let Some(reg) = &done.created_register {
        eprintln!(
            "注意：没有找到发文登记簿，已新建 {} 记录归档的件号。若本办公室已有登记簿，请删除这个新文件，用 --register 指定原来的登记簿后重新归档。",
            reg.display()
        );
    }
    let new = done.items.iter().filter(|i| !i.archived_before).count();
    eprintln!(
        "已生成归档包 {}（{} 件，其中新归档 {} 件，PDF/A-2b，含归档文件目录和清单；件号已记入登记簿 {}）",
        a.output.display(),
        done.items.len(),
        new,
        how.register.display()
    );
    Ok(0)
}
