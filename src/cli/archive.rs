use std::path::PathBuf;

use clap::Args;
use gongwen::reports::archive::{self, ArchiveOptions, Retention};

use super::EngineArgs;

#[derive(Args)]
pub struct ArchiveArgs {
    /// 要归档的公文（YAML 文件或文件夹）
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 全宗号，如 A13
    #[arg(long)]
    fonds: String,
    /// 年度（默认今年）
    #[arg(long)]
    year: Option<i32>,
    /// 保管期限：永久、30年、10年
    #[arg(long)]
    retention: String,
    /// 机构（问题）代码，如 BGS（不按机构分类时不写）
    #[arg(long)]
    dept: Option<String>,
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
    let inputs: Vec<&std::path::Path> = a.inputs.iter().map(|p| p.as_path()).collect();
    gongwen::output::check_target(&a.output, &["zip"], &inputs)?;
    let engine = gongwen::render::engine(&a.engine.options())?;
    let opts = ArchiveOptions {
        fonds,
        year,
        retention,
        dept,
    };
    let items = archive::run(&engine, &a.inputs, &opts, &a.output)?;
    for it in &items {
        eprintln!(
            "{}  {}  {}页  {}",
            it.code,
            it.title,
            it.pages,
            it.source.display()
        );
    }
    eprintln!(
        "已生成归档包 {}（{} 件，PDF/A-2b，含归档文件目录和清单）",
        a.output.display(),
        items.len()
    );
    Ok(0)
}
