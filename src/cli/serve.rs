use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use gongwen::serve::{desk::Desk, Config};

use super::EngineArgs;

#[derive(Args)]
pub struct ServeArgs {
    /// 监听地址；只在本机用时保持 127.0.0.1，局域网使用（如 0.0.0.0:8090）须先建账户
    #[arg(long, value_name = "地址:端口", default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// 数据文件夹：文稿、各版本 PDF、发文登记簿（gongwen.db）和账户都存在这里
    #[arg(long, value_name = "文件夹", default_value = "gongwen-data")]
    data: PathBuf,
    /// 只在本机监听也要求登录（多人共用一台电脑时）
    #[arg(long)]
    accounts: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: ServeArgs) -> gongwen::Result<i32> {
    gongwen::serve::desk::create_data_folder(&a.data)?;
    let office = super::office(&a.data)?;
    let engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    let desk = Desk::open(engine, &a.data)?;
    let mut config = Config::new(a.listen, a.data.clone());
    config.accounts = a.accounts;
    gongwen::serve::run(desk, config, |addr| {
        let shown = if addr.ip().is_unspecified() {
            format!(
                "http://127.0.0.1:{}/（局域网内用本机的 IP 地址访问）",
                addr.port()
            )
        } else {
            format!("http://{addr}/")
        };
        println!("gongwen 工作台已启动：{shown}");
        println!("数据文件夹：{}　按 Ctrl+C 停止。", a.data.display());
        let _ = std::io::stdout().flush();
    })?;
    eprintln!("工作台已停止。");
    Ok(0)
}
