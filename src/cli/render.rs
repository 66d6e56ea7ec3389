use std::path::PathBuf;

use clap::Args;
use gongwen::render::RenderOptions;

use super::{print_warnings, EngineArgs, FormatArg};

#[derive(Args)]
pub struct RenderArgs {
    /// 公文数据文件（YAML），或 Word 草稿（.docx）、纯文本草稿（.txt）
    input: PathBuf,
    /// 输出文件：.pdf、.ofd 或 .docx（默认：与输入同名的 .pdf，或 --format 所说的格式）
    #[arg(short, long, value_name = "文件")]
    output: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
    /// 草稿：发文字号印成“千街发〔2019〕 号”，不动登记簿
    #[arg(long)]
    draft: bool,
    /// 在正本后附上公文签批单（同一个 PDF，归档顺序）
    #[arg(long)]
    with_approval: bool,
    /// 发文登记簿文件（默认：环境变量 GONGWEN_REGISTER，否则 ./gongwen.db）
    #[arg(long, value_name = "文件")]
    register: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: RenderArgs) -> gongwen::Result<i32> {
    let office = super::office(&a.input)?;
    let mut engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    // One document per process: hollow fonts (typeset::hollow).
    engine.hollow_fonts();
    let format = a.format.resolve(a.output.as_deref())?;
    let output = a
        .output
        .unwrap_or_else(|| a.input.with_extension(format.ext()));
    let register = gongwen::register::location_with(
        a.register.as_deref(),
        office.as_ref().and_then(|o| o.register.as_deref()),
    );
    gongwen::output::check_target(&output, &[format.ext()], &[&a.input, &register])?;
    let opts = RenderOptions {
        draft: a.draft,
        register: Some(register),
        with_approval: a.with_approval,
        preview: false,
    };
    let doc = gongwen::import::prepare(&engine, &a.input)?;
    let done = gongwen::render::render_prepared(&engine, doc, &output, &opts)?;
    print_warnings(&done.warnings);
    if let Some(reg) = &done.created_register {
        eprintln!(
            "注意：没有找到发文登记簿，已新建 {}（从 1 号开始编号）。若本办公室已有登记簿，请删除这个新文件，用 --register 指定原来的登记簿。",
            reg.display()
        );
    }
    match done.number {
        Some(n) => eprintln!(
            "已生成 {}（{} 页，发文字号 {n}）",
            output.display(),
            done.pages
        ),
        None => eprintln!("已生成 {}（{} 页）", output.display(), done.pages),
    }
    Ok(0)
}
