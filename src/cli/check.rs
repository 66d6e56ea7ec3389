use std::path::PathBuf;

use clap::Args;

use super::{print_warnings, EngineArgs};

#[derive(Args)]
pub struct CheckArgs {
    /// 公文数据文件（YAML）
    input: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: CheckArgs) -> gongwen::Result<i32> {
    let office = super::office(&a.input)?;
    let engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    let doc = gongwen::render::prepare(&engine, &a.input)?;
    // Lay out too: template problems are found without writing anything.
    let paged = gongwen::render::pages(&engine, &doc)?;
    print_warnings(&doc.warnings);
    eprintln!(
        "检查通过：{}（{} 页，{} 条提醒）",
        a.input.display(),
        paged.pages().len(),
        doc.warnings.len()
    );
    Ok(0)
}
