//! 10,000-row 台账 benchmark (issue 5 §3, issue 6): time and peak memory of
//! one monthly hazard ledger with 10,000 rows, as a whole process.
//!
//! `cargo bench --bench ledger`; the table goes to `target/bench-ledger.md`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let root = common::root();
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut csv = String::from("排查日期,村（居）,部位/场所,隐患描述,等级,整改措施,整改责任人,整改时限,状态,复查人,销号日期,治理方案/应急预案\n");
    let places = [
        "农贸市场",
        "老旧小区楼道",
        "加油站",
        "学校配电室",
        "建筑工地",
        "沿街商铺",
        "村文化广场",
    ];
    for i in 0..10_000 {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "2019-05-{day:02},第{}网格,{}{}号,消防设施未定期检查或通道堵塞（第{i}处）,{},清理通道、补齐器材并建立检查记录,责任人{},2019-06-{:02},整改中,,,{}\n",
            i % 40 + 1,
            places[i % places.len()],
            i % 97,
            if i % 50 == 0 { "重大" } else { "一般" },
            i % 30,
            day,
            // A 重大 hazard needs its 治理方案 (templates/ledgers/hazard.yaml).
            if i % 50 == 0 { "专项治理方案及应急预案已制定" } else { "" },
        ));
    }
    let data = dir.path().join("hazards.csv");
    std::fs::write(&data, csv).unwrap();
    let out = dir.path().join("l.pdf");
    let args = [
        "ledger",
        "hazard",
        data.to_str().unwrap(),
        "--month",
        "2019-05",
        "-o",
        out.to_str().unwrap(),
    ];
    let t = Instant::now();
    let o = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(&bin)
        .args(args)
        .output()
        .expect("run");
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let peak: f64 = err
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0;
    let pages = lopdf_pages(&out);
    let table = format!(
        "| measure | value |\n|---|---|\n| rows | 10,000 |\n| pages | {pages} |\n| wall time (whole process) | {secs:.1} s |\n| peak RSS | {peak:.0} MiB |\n| PDF size | {:.0} KB |\n",
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1000.0
    );
    println!("{table}");
    let _ = std::fs::write(root.join("target/bench-ledger.md"), &table);
    // README 性能: ≤ 10 s, ≤ 600 MiB.
    let mut t = common::Targets::default();
    t.check("wall time", Some(secs), 10.0, true, "s");
    t.check("peak RSS", (peak > 0.0).then_some(peak), 600.0, true, "MiB");
    t.check("pages", Some(pages as f64), 1.0, false, "");
    t.finish();
}

/// Page count from the PDF's /Count (avoids a PDF library in the bench).
fn lopdf_pages(p: &Path) -> usize {
    let bytes = std::fs::read(p).unwrap_or_default();
    let s = String::from_utf8_lossy(&bytes);
    s.split("/Count ")
        .skip(1)
        .filter_map(|x| x.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .max()
        .unwrap_or(0)
}
