use std::path::PathBuf;

use clap::Args;

use super::{print_warnings, EngineArgs};

#[derive(Args)]
pub struct RenderArgs {
    /// 公文数据文件（YAML）
    input: PathBuf,
    /// 输出 PDF 文件（默认：与输入同名的 .pdf）
    #[arg(short, long, value_name = "PDF")]
    output: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: RenderArgs) -> gongwen::Result<i32> {
    let engine = gongwen::render::engine(&a.engine.options())?;
    let output = a.output.unwrap_or_else(|| a.input.with_extension("pdf"));
    let (pages, warnings) = gongwen::render::render_file(&engine, &a.input, &output)?;
    print_warnings(&warnings);
    eprintln!("已生成 {}（{pages} 页）", output.display());
    Ok(0)
}
