use std::path::PathBuf;

use clap::Args;

#[derive(Args)]
pub struct ImportArgs {
    /// Word 草稿（.docx）、纯文本（.txt）或 Markdown（.md）草稿
    input: PathBuf,
    /// 输出 YAML 文件（默认：与草稿同名的 .yaml，放在草稿旁边）
    #[arg(short, long, value_name = "YAML")]
    output: Option<PathBuf>,
    /// 输出文件已存在时覆盖它
    #[arg(long)]
    force: bool,
}

pub fn run(a: ImportArgs) -> gongwen::Result<i32> {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| gongwen::import::default_output(&a.input));
    gongwen::output::check_target(&output, &["yaml", "yml"], &[&a.input])?;
    if output.exists() && !a.force {
        return Err(gongwen::Error::other(format!(
            "{} 已经存在，没有覆盖它。要覆盖请加 --force，或用 -o 指定另一个文件名。",
            output.display()
        )));
    }
    let imported = gongwen::import::import(&a.input)?;
    let r = &imported.report;
    println!("识别结果（{}）：", a.input.display());
    for f in &r.found {
        println!("  {f}");
    }
    if !r.changes.is_empty() {
        println!("导入时改动的文字：");
        for c in &r.changes {
            println!("  {c}");
        }
    }
    if !r.unsure.is_empty() {
        println!("没有把握、请核对：");
        for u in &r.unsure {
            println!("  {u}");
        }
    }
    let written = gongwen::import::save(&imported, &a.input, &output)?;
    if written.len() > 1 {
        eprintln!(
            "已把署名处的图片存为印章 {}（YAML 里 seal: 用它）。",
            written[0].display()
        );
    }
    eprintln!(
        "已生成 {}。核对后运行 `gongwen render {}` 排版。",
        output.display(),
        output.display()
    );
    Ok(0)
}
