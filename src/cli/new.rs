use clap::Args;

#[derive(Args)]
pub struct NewArgs {
    /// 文种：通知、请示、报告、函、纪要、决定、命令（令）、公告、通告、意见、通报、批复、议案、决议、公报
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
            gongwen::scaffold::kinds().collect::<Vec<_>>().join("、")
        ))),
    }
}
