use std::path::PathBuf;

use clap::Args;

use super::{print_warnings, EngineArgs, FormatArg};

#[derive(Args)]
pub struct ApprovalArgs {
    /// 公文数据文件（YAML，含 approval 部分）
    input: PathBuf,
    /// 输出文件：.pdf 或 .ofd（默认：输入文件名加“-签批单.pdf”）
    #[arg(short, long, value_name = "文件")]
    output: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
    /// 发文登记簿文件：已登记的公文在签批单上填入发文字号
    #[arg(long, value_name = "文件")]
    register: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: ApprovalArgs) -> gongwen::Result<i32> {
    let mut engine = gongwen::render::engine(&a.engine.options())?;
    // One document per process: hollow fonts (typeset::hollow).
    engine.hollow_fonts();
    let format = a.format.resolve(a.output.as_deref())?;
    let output = a.output.unwrap_or_else(|| {
        let stem = a
            .input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        a.input
            .with_file_name(format!("{stem}-签批单.{}", format.ext()))
    });
    gongwen::output::check_target(&output, &[format.ext()], &[&a.input])?;
    let mut doc = gongwen::import::prepare(&engine, &a.input)?;
    gongwen::render::fill_registered_number(&mut doc, a.register.as_deref())?;
    let form = gongwen::render::approval_pages(&engine, &doc)?;
    let title = format!("{}（签批单）", doc.facts.title);
    let bytes =
        gongwen::render::export(&form, &a.input.display().to_string(), format, None, &title)?;
    gongwen::output::write_atomic(&output, &bytes)?;
    print_warnings(&doc.warnings);
    eprintln!(
        "已生成 {}（签批单，{} 页）",
        output.display(),
        form.pages().len()
    );
    Ok(0)
}
