use clap::Args;

#[derive(Args)]
pub struct NewArgs {
    /// 文种：通知、请示、报告、函、纪要 等
    kind: String,
}

pub fn run(a: NewArgs) -> gongwen::Result<i32> {
    match gongwen::scaffold::scaffold(&a.kind) {
        Some(text) => {
            print!("{text}");
            Ok(0)
        }
        None => Err(gongwen::Error::other(format!(
            "没有“{}”的模板。可用：{}",
            a.kind,
            gongwen::scaffold::KINDS.join("、")
        ))),
    }
}
