use std::path::PathBuf;

use clap::Args;

use super::{print_warnings, EngineArgs};

#[derive(Args)]
pub struct CheckArgs {
    /// 公文数据文件（YAML），或 Word 草稿（.docx）、纯文本草稿（.txt）
    input: PathBuf,
    /// 自动清理从 Word、网页、PDF 复制带来的问题（看不见的字符、手动换行、汉字间空格、
    /// 断开的句子、半角标点、GBK 编码），原文件备份为“名字.修改前.yaml”
    #[arg(long)]
    fix: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: CheckArgs) -> gongwen::Result<i32> {
    if a.fix {
        let report = gongwen::fix::fix_file(&a.input)?;
        match &report.backup {
            None => eprintln!("没有需要自动清理的地方：{}", a.input.display()),
            Some(b) => {
                eprintln!(
                    "已清理 {}（原文件保存为 {}）：",
                    a.input.display(),
                    b.display()
                );
                for c in &report.changes {
                    eprintln!("  第 {} 行：{}", c.line, c.what);
                }
            }
        }
    }
    let office = super::office(&a.input)?;
    let mut engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    // One document per process: hollow fonts (typeset::hollow).
    engine.hollow_fonts();
    let doc = gongwen::import::prepare(&engine, &a.input)?;
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
