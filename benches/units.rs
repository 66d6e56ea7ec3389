//! Village campaign benchmark (issue 18): 600 units on loopback, each
//! through its own link — every unit saves its plan form, then files its
//! May activity ledger (3 rows) — sent by 100 clients at once to the built
//! `gongwen serve`, as a street office's villages would on the last
//! afternoon. Prints saves per second, p50/p95 latency of each kind of
//! save, and the server's peak resident memory; every save must succeed
//! and be read back whole.
//!
//! Run with `cargo bench --bench units`; `-- --check` exits 1 when a
//! README target (p95 ≤ 1 s per save, ≥ 100 saves/s, ≤ 300 MiB) is missed.

#[allow(dead_code)]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use serde_json::{json, Value};

const UNITS: usize = 600;
const CLIENTS: usize = 100;

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    )
}

/// The server's peak resident memory (VmHWM), MiB.
fn peak_mib(pid: u32) -> f64 {
    common::peak_mib(&pid.to_string())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// One unit's link and its page token.
struct Unit {
    no: usize,
    base: String,
    csrf: String,
}

fn post(a: &ureq::Agent, url: &str, csrf: &str, body: &Value) -> (u16, Value) {
    let r = a
        .post(url)
        .header("X-CSRF-Token", csrf)
        .send_json(body)
        .expect("the server answers");
    let status = r.status().as_u16();
    let v = r.into_body().read_json().unwrap_or(Value::Null);
    (status, v)
}

/// Sends `work` for every unit from `CLIENTS` threads at once; returns the
/// wall time (s) and each request's latency (ms), sorted.
fn at_once(units: &[Unit], work: &(dyn Fn(&ureq::Agent, &Unit) + Sync)) -> (f64, Vec<f64>) {
    let times = Mutex::new(Vec::with_capacity(units.len()));
    let start = Instant::now();
    std::thread::scope(|s| {
        for part in units.chunks(units.len().div_ceil(CLIENTS)) {
            let times = &times;
            s.spawn(move || {
                let a = agent();
                for u in part {
                    let t = Instant::now();
                    work(&a, u);
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    times.lock().unwrap().push(ms);
                }
            });
        }
    });
    let wall = start.elapsed().as_secs_f64();
    let mut v = times.into_inner().unwrap();
    v.sort_by(f64::total_cmp);
    (wall, v)
}

fn main() {
    let bin = common::release_binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");

    // The office's campaign of 600 units, published in the data folder
    // before the server starts (publishing is not what is measured).
    let mut list = String::from("村（居）,主管负责人\n");
    for i in 0..UNITS {
        list.push_str(&format!("第{i}村,负责人{i}\n"));
    }
    let plan_path = common::root().join("samples/plans/village-zero-accident.yaml");
    let plan = std::fs::read_to_string(&plan_path).expect("plan");
    std::fs::create_dir_all(&data).expect("data folder");
    let links = {
        let campaigns = gongwen::serve::campaign::Campaigns::open(&data).expect("campaigns");
        let (_, links) = campaigns
            .create(
                &gongwen::serve::campaign::Publish {
                    plan_name: "village-zero-accident.yaml",
                    plan_text: &plan,
                    template: None,
                    units_name: "名单.csv",
                    units_bytes: list.as_bytes(),
                    title: None,
                },
                "基准测试",
            )
            .expect("published");
        links
    };
    assert_eq!(links.len(), UNITS);

    let mut child = Command::new(&bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("GONGWEN_FONTS", common::root().join("fonts"))
        .env("GONGWEN_FONT_INDEX", dir.path().join("font-index"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gongwen serve starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("the address");
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let base = line[line.find("http://").expect("an address")..]
        .trim()
        .trim_end_matches('/')
        .to_string();
    let pid = child.id();
    let started = peak_mib(pid);

    // Each unit opens its page (the page token comes with its form).
    let a = agent();
    let units: Vec<Unit> = links
        .iter()
        .map(|l| {
            let base = format!("{base}{}", l.path);
            let f: Value = a
                .get(&format!("{base}/api/form"))
                .call()
                .expect("form")
                .into_body()
                .read_json()
                .expect("json");
            Unit {
                no: l.no as usize - 1,
                base,
                csrf: f["csrf"].as_str().expect("csrf").to_string(),
            }
        })
        .collect();

    let (plan_wall, plan_ms) = at_once(&units, &|a, u| {
        let i = u.no;
        let values = json!({
            "leader": format!("负责人{i}"), "leader_title": "村党支部书记、村委会主任",
            "contact": format!("联系人{i}"), "phone": format!("0537-{i:07}"),
            "population": (1000 + i).to_string(), "grids": "6",
            "grid_members": "甲某某、乙某某、丙某某、丁某某、戊某某、己某某",
            "places": "40", "focus": "村小学1所、加油站1座",
        });
        let (status, r) = post(
            a,
            &format!("{}/api/save", u.base),
            &u.csrf,
            &json!({ "values": values, "by": format!("填表人{i}") }),
        );
        assert_eq!(status, 200, "{r}");
    });
    let after_plans = peak_mib(pid);

    let (ledger_wall, ledger_ms) = at_once(&units, &|a, u| {
        let i = u.no;
        let rows: Vec<Value> = [("送教入村", 6), ("培训", 14), ("志愿服务", 22)]
            .iter()
            .map(|(kind, day)| {
                json!({
                    "date": format!("2019-05-{day:02}"), "place": "村委会议室", "kind": kind,
                    "content": format!("第{i}村{kind}活动"), "people": (20 + i % 50).to_string(),
                    "organizer": "王某某",
                })
            })
            .collect();
        let (status, r) = post(
            a,
            &format!("{}/api/ledger/activity/2019-05", u.base),
            &u.csrf,
            &json!({ "rows": rows, "by": format!("填表人{i}"), "version": 0 }),
        );
        assert_eq!(status, 200, "{r}");
    });
    let after_ledgers = peak_mib(pid);

    // Read back whole: every unit's values and rows are its own.
    for u in &units {
        let f: Value = a
            .get(&format!("{}/api/form", u.base))
            .call()
            .expect("form")
            .into_body()
            .read_json()
            .expect("json");
        assert_eq!(f["values"]["phone"], format!("0537-{:07}", u.no));
        let l: Value = a
            .get(&format!("{}/api/ledger/activity/2019-05", u.base))
            .call()
            .expect("ledger")
            .into_body()
            .read_json()
            .expect("json");
        assert_eq!(l["rows"].as_array().map(Vec::len), Some(3));
        assert_eq!(l["rows"][1]["content"], format!("第{}村培训活动", u.no));
    }
    let _ = child.kill();
    let _ = child.wait();

    let report = |what: &str, wall: f64, ms: &[f64]| {
        let rate = ms.len() as f64 / wall;
        println!(
            "{what}: {} saves in {wall:.2} s = {rate:.0} saves/s; latency p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            ms.len(),
            percentile(ms, 0.50),
            percentile(ms, 0.95),
            ms[ms.len() - 1],
        );
        (rate, percentile(ms, 0.95))
    };
    println!("{UNITS} units, {CLIENTS} clients at once on loopback (gongwen serve, release)");
    let (plan_rate, plan_p95) = report("plan forms", plan_wall, &plan_ms);
    let (ledger_rate, ledger_p95) = report("May ledgers (3 rows)", ledger_wall, &ledger_ms);
    println!(
        "server peak RSS: {started:.0} MiB started, {after_plans:.0} MiB after the forms, {after_ledgers:.0} MiB after the ledgers"
    );

    let mut t = common::Targets::default();
    t.check("plan form save p95", Some(plan_p95), 1000.0, true, "ms");
    t.check("ledger filing p95", Some(ledger_p95), 1000.0, true, "ms");
    t.check("plan form saves", Some(plan_rate), 100.0, false, "saves/s");
    t.check("ledger filings", Some(ledger_rate), 100.0, false, "saves/s");
    t.check("server peak RSS", Some(after_ledgers), 300.0, true, "MiB");
    t.finish();
}
