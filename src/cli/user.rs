use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use gongwen::serve::accounts::{Accounts, Role, ROLES};

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    /// 工作台的数据文件夹（与 gongwen serve --data 相同）
    #[arg(
        long,
        global = true,
        value_name = "文件夹",
        default_value = "gongwen-data"
    )]
    data: PathBuf,
}

#[derive(Subcommand)]
enum UserCommand {
    /// 添加账户；密码从键盘输入（输入时不显示），或从标准输入读一行
    Add {
        /// 姓名（登录名）
        name: String,
        /// 角色：拟稿、核稿、签发、管理
        #[arg(long)]
        role: String,
        /// 已有此账户时改它的密码和角色
        #[arg(long)]
        replace: bool,
    },
    /// 列出账户
    List,
    /// 删除账户
    Remove {
        /// 姓名
        name: String,
    },
}

pub fn run(a: UserArgs) -> gongwen::Result<i32> {
    gongwen::serve::desk::create_data_folder(&a.data)?;
    let accounts = Accounts::open(&a.data)?;
    match a.command {
        UserCommand::Add {
            name,
            role,
            replace,
        } => {
            let Some(role) = Role::parse(&role) else {
                return Err(gongwen::Error::other(format!(
                    "角色“{role}”不对：只能是 {ROLES}。"
                )));
            };
            let password = read_password()?;
            accounts.add(&name, role, &password, replace)?;
            eprintln!("已添加账户“{}”（角色：{}）。", name.trim(), role.label());
        }
        UserCommand::List => {
            let users = accounts.list()?;
            if users.is_empty() {
                eprintln!("还没有账户。用 gongwen user add 姓名 --role 管理 添加。");
            }
            for (u, created) in users {
                println!("{}\t{}\t{created}", u.name, u.role.label());
            }
        }
        UserCommand::Remove { name } => {
            if accounts.remove(&name)? {
                eprintln!("已删除账户“{}”。", name.trim());
            } else {
                return Err(gongwen::Error::other(format!(
                    "没有名为“{}”的账户。",
                    name.trim()
                )));
            }
        }
    }
    Ok(0)
}

/// The password: typed twice without echo on a terminal, else one line of
/// standard input (scripts).
fn read_password() -> gongwen::Result<String> {
    let read_line = || -> gongwen::Result<String> {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| gongwen::Error::other(format!("读不到密码：{e}")))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    if !terminal::is_tty() {
        return read_line();
    }
    eprint!("密码（至少 8 位，输入时不显示）：");
    let first = terminal::without_echo(read_line)?;
    eprint!("\n再输入一次：");
    let second = terminal::without_echo(read_line)?;
    eprintln!();
    if first != second {
        return Err(gongwen::Error::other(
            "两次输入的密码不一样，账户没有添加。",
        ));
    }
    Ok(first)
}

#[cfg(unix)]
mod terminal {
    pub fn is_tty() -> bool {
        // SAFETY: isatty only reads the descriptor's state.
        unsafe { libc::isatty(0) == 1 }
    }

    /// Runs `f` with the terminal's echo off, restoring it afterwards.
    pub fn without_echo<T>(f: impl FnOnce() -> T) -> T {
        // SAFETY: termios is plain data; tcgetattr fills it, and the
        // saved state is written back before returning.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut saved) != 0 {
                return f();
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            libc::tcsetattr(0, libc::TCSANOW, &quiet);
            let out = f();
            libc::tcsetattr(0, libc::TCSANOW, &saved);
            out
        }
    }
}

#[cfg(not(unix))]
mod terminal {
    pub fn is_tty() -> bool {
        false
    }
    pub fn without_echo<T>(f: impl FnOnce() -> T) -> T {
        f()
    }
}
