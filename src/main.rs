//! The `gongwen` command line: parse arguments, call the library, print
//! errors in Chinese.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
