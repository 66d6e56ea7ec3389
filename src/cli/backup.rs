use std::path::PathBuf;

use clap::Args;

#[derive(Args)]
pub struct BackupArgs {
    /// 工作台的数据文件夹（gongwen serve --data 用的）
    #[arg(long, value_name = "文件夹", default_value = "gongwen-data")]
    data: PathBuf,
    /// 备份文件（.zip）；工作台运行时也可以备份
    #[arg(short, long, value_name = "ZIP")]
    output: PathBuf,
}

pub fn run(a: BackupArgs) -> gongwen::Result<i32> {
    gongwen::output::check_target(&a.output, &["zip"], &[])?;
    let done = gongwen::serve::backup::backup(&a.data, &a.output)?;
    eprintln!(
        "已备份 {} 个文件（{}）到 {}。恢复时解压到一个文件夹，用 gongwen serve --data 该文件夹。",
        done.files,
        gongwen::guard::size_text(done.bytes as usize),
        a.output.display()
    );
    Ok(0)
}
