use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use clap::Args;
use gongwen::render::RenderOptions;

use super::{print_warnings, EngineArgs};

#[derive(Args)]
pub struct WatchArgs {
    /// 公文数据文件（YAML）；保存后自动重新排版（按草稿：发文字号留空，不动登记簿）
    input: PathBuf,
    /// 预览 PDF 文件（默认：与输入同名的 .预览.pdf；不能是正式文件 .pdf）
    #[arg(short, long, value_name = "PDF")]
    output: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
}

/// Whether two paths name one file (also when it does not exist yet).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let abs = |p: &std::path::Path| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = parent.map_or_else(|| std::path::PathBuf::from("."), |d| d.to_path_buf());
        dir.canonicalize()
            .ok()
            .zip(p.file_name())
            .map(|(d, f)| d.join(f))
    };
    abs(a).is_some_and(|x| Some(x) == abs(b))
}

fn modified(p: &PathBuf) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Re-renders on every save with the warm engine (fonts, templates and
/// Typst's cache stay loaded), so an edit shows in a fraction of a second.
pub fn run(a: WatchArgs) -> gongwen::Result<i32> {
    let office = super::office(&a.input)?;
    let engine = gongwen::render::engine(&a.engine.options_for(office.as_ref()))?;
    // The final PDF (通知.pdf) is never touched: a preview is its own file.
    let fin = a.input.with_extension("pdf");
    let output = a
        .output
        .unwrap_or_else(|| a.input.with_extension("预览.pdf"));
    if same_file(&output, &fin) {
        return Err(gongwen::Error::other(format!(
            "监视时不写正式文件 {}：预览是草稿（未取号），会覆盖已排好的正式文件。请去掉 -o，或指定另一个文件名（如 {}）。",
            fin.display(),
            a.input.with_extension("预览.pdf").display()
        )));
    }
    gongwen::output::check_target(&output, &["pdf"], &[&a.input])?;
    // A watched document is being edited: never take a register number,
    // and say so on every page.
    let opts = RenderOptions {
        draft: true,
        preview: true,
        ..Default::default()
    };
    eprintln!(
        "正在监视 {}，保存后自动生成 {}（按 Ctrl+C 结束）",
        a.input.display(),
        output.display()
    );
    let mut last: Option<SystemTime> = None;
    loop {
        let now = modified(&a.input);
        if now.is_some() && now != last {
            last = now;
            let t = Instant::now();
            // A Word or text draft is imported again on every save.
            let done = gongwen::import::prepare(&engine, &a.input)
                .and_then(|doc| gongwen::render::render_prepared(&engine, doc, &output, &opts));
            match done {
                Ok(done) => {
                    print_warnings(&done.warnings);
                    eprintln!(
                        "已更新 {}（{} 页，{:.0} 毫秒）",
                        output.display(),
                        done.pages,
                        t.elapsed().as_secs_f64() * 1e3
                    );
                }
                Err(e) => eprintln!("{e}"),
            }
            typst::comemo::evict(10);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
