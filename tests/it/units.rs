//! Villages in the workbench (issue 18): the office publishes a plan with
//! its unit list, each unit fills its own form through its own link, and
//! the office's zip is what `gongwen batch` makes from the same data —
//! over HTTP against the built binary, and in headless Chromium.

use std::path::Path;

use serde_json::{json, Value};

use super::common;
use super::serve::{add_user, agent, wait_for, Browser, Client, Reply, Server};

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Publishes `plan` with the unit list `units` (its file name, its bytes);
/// returns the campaign id and each unit's link path.
fn publish(office: &Client, plan: &Path, units_name: &str, units: &[u8]) -> (String, Vec<Value>) {
    let (status, r) = office.post(
        "/api/campaigns",
        &json!({
            "plan_name": plan.file_name().unwrap().to_str().unwrap(),
            "plan": std::fs::read_to_string(plan).unwrap(),
            "units_name": units_name,
            "units": base64(units),
        }),
    );
    assert_eq!(status, 200, "{r}");
    (
        r["id"].as_str().unwrap().to_string(),
        r["links"].as_array().unwrap().clone(),
    )
}

/// `gongwen batch --zip` of the seed's plan and list in `dir` (PDFs in
/// `dir/out`); the zip's bytes.
fn seed_batch(dir: &Path) -> Vec<u8> {
    let list = common::root().join("samples/plans/villages-2019.csv");
    let out = common::gongwen(
        &[
            "batch",
            seed_plan().to_str().unwrap(),
            "--units",
            list.to_str().unwrap(),
            "-o",
            "out",
            "--zip",
            "batch.zip",
        ],
        dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.join("batch.zip")).unwrap()
}

/// `gongwen summary` of Q2 2019 from `dir/may.csv` for the seed's 16
/// units by 千泉街道办事处, with `extra` flags, into `dir/cli.pdf`.
fn cli_summary(dir: &Path, extra: &[&str]) {
    let list = common::root().join("samples/plans/villages-2019.csv");
    let mut args = vec![
        "summary",
        "--quarter",
        "2019Q2",
        "--activities",
        "may.csv",
        "--units",
        list.to_str().unwrap(),
        "--organ",
        "千泉街道办事处",
        "-o",
        "cli.pdf",
    ];
    args.extend(extra);
    let out = common::gongwen(&args, dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn seed_plan() -> std::path::PathBuf {
    common::root().join("samples/plans/village-zero-accident.yaml")
}

fn villages_csv() -> Vec<u8> {
    std::fs::read(common::root().join("samples/plans/villages-2019.csv")).unwrap()
}

/// A unit's browser, as its page is: the link's path and its page token.
fn unit_client(server: &Server, path: &str) -> Client {
    let mut c = Client {
        agent: agent(),
        base: format!("{}{path}", server.base),
        csrf: String::new(),
        cookie: None,
    };
    let (status, f) = c.get_json("/api/form");
    assert_eq!(status, 200, "{f}");
    c.csrf = f["csrf"].as_str().unwrap().to_string();
    c
}

#[test]
fn sixteen_villages_fill_their_plans_and_the_office_zip_is_the_batch_zip() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    assert_eq!(links.len(), 16);
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["generated"], 0);
    assert!(c["units"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["status"] == "未填"));
    // The fields are the plan's unit_columns in the order written, with the
    // comments as hints.
    let labels: Vec<&str> = c["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[..3], ["村（居）", "主管负责人", "职务"]);
    assert_eq!(c["fields"][5]["integer"], true);
    assert_eq!(c["fields"][9]["optional"], true, "重点部位 # 可空");

    for (i, link) in links.iter().enumerate() {
        let unit = unit_client(&server, link["path"].as_str().unwrap());
        let (_, f) = unit.get_json("/api/form");
        assert_eq!(f["unit"], link["name"]);
        let (status, p) = unit.post(
            "/api/preview",
            &json!({ "values": f["values"], "known": [] }),
        );
        assert_eq!(status, 200, "{p}");
        assert!(p["pages"].as_array().unwrap().len() >= 10, "{p}");
        let page = p["pages"][0].as_str().unwrap();
        let png = unit.get(&format!("/page/{page}"));
        assert_eq!(png.status, 200);
        assert!(png.body.starts_with(b"\x89PNG"));
        let (status, g) = unit.post(
            "/api/generate",
            &json!({ "values": f["values"], "by": format!("填表人{i}") }),
        );
        assert_eq!(status, 200, "{g}");
        assert_eq!(g["status"], "已生成");
        let pdf = unit.get("/pdf");
        assert_eq!(pdf.status, 200);
        assert!(pdf.body.starts_with(b"%PDF"));
    }
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["generated"], 16, "the office sees 16/16");
    assert_eq!(c["units"][3]["saved_by"], "填表人3");

    // The office's zip is byte for byte the zip of `gongwen batch --zip`
    // over the same list: the same PDFs, the same 清单.csv.
    let zip = office.get(&format!("/api/campaigns/{id}/zip"));
    assert_eq!(zip.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let batch_zip = seed_batch(dir.path());
    assert!(
        zip.body == batch_zip,
        "the workbench zip differs from gongwen batch's"
    );
    // And the text of each PDF, as a reader extracts it.
    std::fs::write(dir.path().join("server.pdf"), unit_pdf(&server, &links[0])).unwrap();
    assert_eq!(
        common::pdf_text(&dir.path().join("server.pdf")),
        common::pdf_text(&dir.path().join("out/东关社区.pdf"))
    );

    // The data the units filled is a unit list `gongwen batch` reads.
    let data = office.get(&format!("/api/campaigns/{id}/data.csv"));
    assert_eq!(data.status, 200);
    std::fs::write(dir.path().join("data.csv"), &data.body).unwrap();
    let out = common::gongwen(
        &[
            "batch",
            seed_plan().to_str().unwrap(),
            "--units",
            "data.csv",
            "-o",
            "out2",
            "--zip",
            "again.zip",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(dir.path().join("again.zip")).unwrap() == batch_zip);
}

fn unit_pdf(server: &Server, link: &Value) -> Vec<u8> {
    let unit = unit_client(server, link["path"].as_str().unwrap());
    let r = unit.get("/pdf");
    assert_eq!(r.status, 200);
    r.body
}

#[test]
fn a_unit_sees_and_changes_only_its_own_data() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let a = unit_client(&server, links[0]["path"].as_str().unwrap());
    let b = unit_client(&server, links[1]["path"].as_str().unwrap());
    let (_, fa) = a.get_json("/api/form");
    let (_, fb) = b.get_json("/api/form");
    assert_eq!(fa["unit"], "东关社区");
    assert!(!fa.to_string().contains("南关社区"), "no other unit's data");
    assert_ne!(fa["csrf"], fb["csrf"]);

    // A's page token does not work on B's link; none works without one,
    // nor from another site.
    let mut forged = b.post_with(
        "/api/save",
        &json!({ "values": { "leader": "冒名" } }),
        &[("X-CSRF-Token", fa["csrf"].as_str().unwrap())],
    );
    assert_eq!(forged.status, 403);
    forged = b.post_with("/api/save", &json!({ "values": {} }), &[]);
    assert_eq!(forged.status, 403);
    forged = b.post_with(
        "/api/save",
        &json!({ "values": {} }),
        &[
            ("X-CSRF-Token", fb["csrf"].as_str().unwrap()),
            ("Sec-Fetch-Site", "cross-site"),
        ],
    );
    assert_eq!(forged.status, 403);

    // A previews; B cannot fetch A's page images by their names.
    let (_, p) = a.post("/api/preview", &json!({ "values": fa["values"] }));
    let page = p["pages"][0].as_str().unwrap().to_string();
    assert_eq!(a.get(&format!("/page/{page}")).status, 200);
    assert_eq!(b.get(&format!("/page/{page}")).status, 404);

    // A saves; B's data is untouched, and A cannot rename itself.
    let mut values = fa["values"].clone();
    values["leader"] = json!("新负责人");
    values["name"] = json!("南关社区");
    let (status, r) = a.post("/api/save", &json!({ "values": values, "by": "董某某" }));
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "已填");
    let (_, fa2) = a.get_json("/api/form");
    assert_eq!(fa2["values"]["leader"], "新负责人");
    assert_eq!(
        fa2["values"]["name"], "东关社区",
        "the name is the office's"
    );
    let (_, fb2) = b.get_json("/api/form");
    assert_eq!(fb2["values"], fb["values"]);
    assert_eq!(fb2["status"], "未填");
    // A has no PDF yet, and B's is not reachable through A.
    assert_eq!(a.get("/pdf").status, 409);

    // Made-up and altered links are not found; the office's pages are not
    // under a unit's link.
    let fake = format!("/u/{}", "0".repeat(64));
    assert_eq!(agent_get(&server, &format!("{fake}/api/form")), 404);
    assert_eq!(agent_get(&server, "/u/short/api/form"), 404);
    assert_eq!(
        a.get(&format!("/../api/campaigns/{id}")).status,
        404,
        "the token's path has no way up"
    );

    // Revoked: the link stops working; a new link works, the old does not.
    let (status, _) = office.post(&format!("/api/campaigns/{id}/units/1/revoke"), &json!({}));
    assert_eq!(status, 200);
    assert_eq!(a.get("/api/form").status, 404);
    let (status, r) = office.post(&format!("/api/campaigns/{id}/units/1/link"), &json!({}));
    assert_eq!(status, 200);
    let fresh = unit_client(&server, r["link"]["path"].as_str().unwrap());
    let (_, f) = fresh.get_json("/api/form");
    assert_eq!(f["values"]["leader"], "新负责人", "the data stays");
    assert_eq!(a.get("/api/form").status, 404);
    let page = agent()
        .get(&format!(
            "{}{}",
            server.base,
            links[0]["path"].as_str().unwrap()
        ))
        .header("Accept", "text/html")
        .call()
        .unwrap();
    assert_eq!(page.status(), 404);
}

fn agent_get(server: &Server, path: &str) -> u16 {
    let r = agent()
        .get(&format!("{}{path}", server.base))
        .call()
        .unwrap();
    r.status().as_u16()
}

#[test]
fn field_errors_are_shown_and_the_form_is_kept() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let u = unit_client(&server, links[2]["path"].as_str().unwrap());
    let (_, f) = u.get_json("/api/form");
    let mut values = f["values"].clone();
    values["population"] = json!("四千一百八十");
    values["leader"] = json!("");
    values["focus"] = json!("<script>alert(1)</script>");
    let (status, r) = u.post("/api/generate", &json!({ "values": values }));
    assert_eq!(status, 422, "{r}");
    assert_eq!(r["status"], "已填");
    let notes = r["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n["field"] == "population" && n["message"].as_str().unwrap().contains("整数")));
    assert!(notes
        .iter()
        .any(|n| n["field"] == "leader" && n["message"].as_str().unwrap().contains("不能空着")));
    // Kept as typed, as text.
    let (_, f) = u.get_json("/api/form");
    assert_eq!(f["values"]["population"], "四千一百八十");
    assert_eq!(f["values"]["focus"], "<script>alert(1)</script>");
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["units"][2]["status"], "已填");
    assert_eq!(c["generated"], 0);
}

#[test]
fn six_hundred_units_saving_at_once_lose_and_mix_nothing() {
    // 600 units (the street of 600), saved by 100 simulated
    // clients at once, each for 6 units, 2 rounds.
    const UNITS: usize = 600;
    const CLIENTS: usize = 100;
    let server = Server::start(&[]);
    let office = server.client();
    let mut csv = String::from("村（居）,主管负责人\n");
    for i in 0..UNITS {
        csv.push_str(&format!("第{i}村,负责人{i}\n"));
    }
    let (id, links) = publish(&office, &seed_plan(), "units.csv", csv.as_bytes());
    assert_eq!(links.len(), UNITS);
    let clients: Vec<(usize, Client)> = links
        .iter()
        .enumerate()
        .map(|(i, l)| (i, unit_client(&server, l["path"].as_str().unwrap())))
        .collect();
    std::thread::scope(|s| {
        for part in clients.chunks(UNITS / CLIENTS) {
            s.spawn(move || {
                for round in 0..2 {
                    for (i, c) in part {
                        let values = json!({
                            "leader": format!("负责人{i}"),
                            "phone": format!("0537-{i:04}{round}"),
                            "population": (1000 + i).to_string(),
                        });
                        let (status, r) = c.post(
                            "/api/save",
                            &json!({ "values": values, "by": format!("人{i}") }),
                        );
                        assert_eq!(status, 200, "{r}");
                    }
                }
            });
        }
    });
    for (i, c) in &clients {
        let (_, f) = c.get_json("/api/form");
        assert_eq!(f["unit"], format!("第{i}村"));
        assert_eq!(f["values"]["phone"], format!("0537-{i:04}1"));
        assert_eq!(f["values"]["population"], (1000 + i).to_string());
        assert_eq!(f["saved_by"], format!("人{i}"));
    }
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["filled"], UNITS);
    let data = office.get(&format!("/api/campaigns/{id}/data.csv"));
    let text = String::from_utf8(data.body).unwrap();
    assert!(text.contains("第557村,负责人557,"), "{text}");
    assert_eq!(text.lines().count(), UNITS + 1);
}

/// Lets Chromium save downloads into `dir` (DevTools through chromedriver),
/// so the test downloads by clicking, as a person does.
fn downloads_into(browser: &Browser, dir: &Path) {
    browser.call(
        "POST",
        &browser.s("/goog/cdp/execute"),
        Some(json!({
            "cmd": "Browser.setDownloadBehavior",
            "params": { "behavior": "allow", "downloadPath": dir.to_str().unwrap() },
        })),
    );
}

/// Clicks the link `css` and returns the file that arrives in `dir`: its
/// name (from the server's Content-Disposition) and bytes.
fn download(browser: &Browser, css: &str, dir: &Path) -> (String, Vec<u8>) {
    let names = || -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = names();
    browser.click(css);
    let mut got = String::new();
    wait_for(&format!("the download of {css}"), || {
        let now = names();
        if now.iter().any(|n| n.ends_with(".crdownload")) {
            return None;
        }
        let new = now.into_iter().find(|n| !before.contains(n))?;
        (std::fs::metadata(dir.join(&new)).ok()?.len() > 0).then_some(())?;
        got = new;
        Some(())
    });
    let bytes = std::fs::read(dir.join(&got)).unwrap();
    (got, bytes)
}

/// A unit uploads `csv` as its May 2019 activity ledger (`query`: more of
/// the address's query, such as `&version=1`), as its page sends a file.
fn upload_may(u: &Client, query: &str, csv: &str) -> Reply {
    let req = u
        .agent
        .post(&format!(
            "{}/api/ledger/activity/2019-05/upload?name=5月.csv{query}",
            u.base
        ))
        .header("X-CSRF-Token", &u.csrf)
        .header("Content-Type", "application/octet-stream");
    Client::finish(req.send(csv.as_bytes()))
}

/// The rows of the unit list `gongwen batch` reads: header → value.
fn batch_rows() -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = villages_csv();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A village's May 2019 activity rows (the ledger's columns in order): the
/// seed's rows for the four villages it has, made-up ones for the others —
/// some villages miss an activity, so the summary's chart differs by unit.
fn may_rows(name: &str, i: usize) -> Vec<[String; 8]> {
    let seed = activity_rows("2019-05");
    if let Some((_, rows)) = seed.iter().find(|(n, _)| n == name) {
        return rows
            .iter()
            .map(|r| ACTIVITY_KEYS.map(|k| r[k].as_str().unwrap().to_string()))
            .collect();
    }
    let row = |day: usize, kind: &str, content: &str, people: usize| {
        [
            format!("2019-05-{day:02}"),
            name.to_string(),
            "村委会议室".to_string(),
            kind.to_string(),
            content.to_string(),
            people.to_string(),
            "王某某".to_string(),
            String::new(),
        ]
    };
    let mut out = vec![row(
        3 + i,
        "送教入村",
        "安全知识送教入村，发放安全手册",
        30 + i,
    )];
    if !i.is_multiple_of(3) {
        out.push(row(10 + i, "培训", "用电、用气安全知识培训", 25 + i));
    }
    if i % 4 != 1 {
        out.push(row(
            12 + i,
            "志愿服务",
            "安全教育志愿服务队入户宣传",
            18 + i,
        ));
    }
    out
}

/// The activity ledger's column keys, in the order of [`LEDGER_HEADER`].
const ACTIVITY_KEYS: [&str; 8] = [
    "date",
    "unit",
    "place",
    "kind",
    "content",
    "people",
    "organizer",
    "note",
];

const LEDGER_HEADER: &str = "日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注";

#[test]
fn done_when_sixteen_villages_plan_and_file_in_a_real_browser() {
    // Issue 18's done-when, in one browser session: the 16 villages of seed
    // 000 each open their own link, type their data (the batch list's
    // values), see the preview, download their PDF; the office page shows
    // 16/16 and its zip is `gongwen batch --zip`'s; each village files its
    // May 2019 activity ledger (one through the table, a bad cell shown as
    // `gongwen ledger` reports it and corrected; one XLSX and the rest CSV
    // through the page's upload); the office previews the Q2 summary with
    // its chart and downloads it: the text of `gongwen summary`'s.
    let Some(browser) = Browser::for_test() else {
        return;
    };
    let started = std::time::Instant::now();
    let lap = |what: &str| eprintln!("  {:>6.1} s  {what}", started.elapsed().as_secs_f64());
    let server = Server::start(&[]);
    let shots = std::env::temp_dir().join("gongwen-units-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    eprintln!("村居填报截图：{}", shots.display());
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("下载");
    std::fs::create_dir_all(&downloads).unwrap();
    downloads_into(&browser, &downloads);

    // What `gongwen batch` makes of the seed's list, to compare with.
    let batch_zip = seed_batch(dir.path());
    lap("gongwen batch");

    // The office publishes through its page a list of names only: the
    // villages type everything else.
    let rows = batch_rows();
    let names_csv = dir.path().join("名单.csv");
    let mut names = String::from("村（居）\n");
    for r in &rows {
        names.push_str(&r["村（居）"]);
        names.push('\n');
    }
    std::fs::write(&names_csv, names).unwrap();
    browser.go(&format!("{}/campaigns", server.base));
    let upload = |css: &str, path: &Path| {
        let e = browser.find(css);
        browser.call(
            "POST",
            &browser.s(&format!("/element/{e}/value")),
            Some(json!({ "text": path.to_str().unwrap() })),
        );
    };
    upload("#c-plan", &seed_plan());
    upload("#c-units", &names_csv);
    browser.click("#c-publish");
    wait_for("the links", || {
        (browser
            .script(
                "return document.querySelectorAll('#links tbody tr').length;",
                json!([]),
            )
            .as_u64()
            == Some(16))
        .then_some(())
    });
    browser.screenshot(&shots.join("01-发布.png"));
    let links: Vec<String> = browser
        .script(
            "return [...document.querySelectorAll('#links tbody td.link-cell')].map(e => e.textContent);",
            json!([]),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    browser.click("#c-open");
    wait_for("the status table", || {
        browser.url().contains("/campaigns/").then_some(())
    });
    let office_url = browser.url();
    let id = office_url.rsplit('/').next().unwrap().to_string();
    assert_eq!(browser.text("#done-count"), "0/16");
    let office = server.client();
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    let fields: Vec<(String, String)> = c["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fixed"] != true)
        .map(|f| {
            (
                f["label"].as_str().unwrap().to_string(),
                f["var"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(fields.len(), 9, "{fields:?}");
    lap("published");

    let set = "const e = document.querySelector(arguments[0]); e.value = arguments[1];
               e.dispatchEvent(new Event('change')); e.dispatchEvent(new Event('input'));";
    let pages_ready = "const imgs = [...document.querySelectorAll(arguments[0] + ' img.page')];
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0;";
    let mut filed_csv = format!("{LEDGER_HEADER}\n");
    for (i, (link, row)) in links.iter().zip(&rows).enumerate() {
        let name = &row["村（居）"];
        browser.go(link);
        browser.find("#f-leader");
        assert_eq!(&browser.text("#who"), name);
        if i == 0 {
            // A wrong number is shown at its field, then corrected.
            browser.type_into("#f-population", "八千六百五十");
            wait_for("the field error", || {
                browser
                    .script(
                        "const e = document.querySelector('.errors[data-field=population] .msg.err');
                         return e ? e.textContent : '';",
                        json!([]),
                    )
                    .as_str()
                    .filter(|t| t.contains("整数"))
                    .map(|_| ())
            });
            browser.screenshot(&shots.join("02-字段错误.png"));
        }
        browser.type_into("#f-by", &format!("{name}填表人"));
        for (label, var) in &fields {
            let css = format!("#f-{var}");
            if row[label].is_empty() {
                browser.type_into(&css, " ");
            } else {
                browser.type_into(&css, &row[label]);
            }
        }
        wait_for("the preview of the typed data", || {
            (browser.text("#status").contains("预览已更新")
                && browser.script(pages_ready, json!(["#pages"])).as_u64() >= Some(10))
            .then_some(())
        });
        if i == 0 || i == 15 {
            browser.screenshot(&shots.join(format!("03-{name}-预览.png")));
        }
        browser.click("#generate");
        wait_for("the PDF", || {
            (browser.text("#unit-state") == "已生成").then_some(())
        });
        let (file, pdf) = download(&browser, "#download", &downloads);
        assert_eq!(file, format!("{name}.pdf"));
        assert!(
            pdf == std::fs::read(dir.path().join("out").join(&file)).unwrap(),
            "{name}: the PDF downloaded is not the one gongwen batch makes"
        );

        // The May 2019 activity ledger, in the same visit.
        browser.find("#l-rows");
        browser.script(
            "document.getElementById('l-rows').dataset.old = '1';",
            json!([]),
        );
        browser.script(set, json!(["#l-month", "2019-05"]));
        wait_for("the May ledger table", || {
            (browser
                .script(
                    "const b = document.getElementById('l-rows'); return b && !b.dataset.old ? b.rows.length : 0;",
                    json!([]),
                )
                .as_u64()
                == Some(3))
            .then_some(())
        });
        let may = may_rows(name, i);
        for r in &may {
            filed_csv.push_str(&r.join(","));
            filed_csv.push('\n');
        }
        if i == 0 {
            // Through the table, with one bad cell: shown at its row and
            // column in the words of `gongwen ledger` on the same rows.
            assert_eq!(may.len(), 3);
            let mut bad = may.clone();
            bad[1][5] = "三十".to_string();
            let mut text = format!("{LEDGER_HEADER}\n");
            for r in &bad {
                text.push_str(&r.join(","));
                text.push('\n');
            }
            std::fs::write(dir.path().join("坏.csv"), text).unwrap();
            let cli = common::gongwen(
                &[
                    "ledger", "activity", "--month", "2019-05", "坏.csv", "-o", "坏.pdf",
                ],
                dir.path(),
            );
            assert!(!cli.status.success());
            let said = String::from_utf8_lossy(&cli.stderr).into_owned();
            let field = said
                .split_once("（字段 ")
                .and_then(|(_, r)| r.split_once('）'))
                .map(|(f, _)| f.to_string())
                .expect(&said);
            let lines: Vec<&str> = said.lines().map(str::trim).collect();
            let message = lines[1];
            let hint = lines[2].trim_start_matches("改法：");
            let cell = |r: usize, key: &str| {
                format!("#l-rows tr:nth-child({}) [data-key='{key}']:not(td)", r + 1)
            };
            for (r, cells) in bad.iter().enumerate() {
                browser.script(set, json!([cell(r, "date"), cells[0]]));
                browser.script(set, json!([cell(r, "kind"), cells[3]]));
                browser.type_into(&cell(r, "place"), &cells[2]);
                browser.type_into(&cell(r, "content"), &cells[4]);
                browser.type_into(&cell(r, "people"), &cells[5]);
                browser.type_into(&cell(r, "organizer"), &cells[6]);
            }
            browser.click("#l-file");
            wait_for("the bad cell", || {
                (browser
                    .script(
                        "return [...document.querySelectorAll('#l-rows td.bad')].map(td => [td.parentNode.rowIndex, td.dataset.key]);",
                        json!([]),
                    )
                    == json!([[2, "people"]]))
                .then_some(())
            });
            let notes = browser.text("#l-notes");
            assert!(
                notes.contains(&format!("{field}：{message}")) && notes.contains(hint),
                "the page says {notes:?}, the CLI {said:?}"
            );
            browser.script(
                "document.getElementById('ledger').scrollIntoView();",
                json!([]),
            );
            browser.screenshot(&shots.join("04-台账错误.png"));
            browser.type_into(&cell(1, "people"), &may[1][5]);
            browser.click("#l-file");
        } else {
            // Uploaded through the page's control: XLSX once, CSV otherwise.
            let path = if i == 1 {
                let mut cells: Vec<(String, String)> = Vec::new();
                let columns = ["A", "B", "C", "D", "E", "F", "G", "H"];
                for (c, h) in columns.iter().zip(LEDGER_HEADER.split(',')) {
                    cells.push((format!("{c}1"), h.to_string()));
                }
                for (n, r) in may.iter().enumerate() {
                    for (c, v) in columns.iter().zip(r) {
                        if !v.is_empty() {
                            cells.push((format!("{c}{}", n + 2), v.clone()));
                        }
                    }
                }
                let refs: Vec<(&str, &str)> = cells
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str()))
                    .collect();
                let p = dir.path().join(format!("{name}-5月.xlsx"));
                std::fs::write(&p, super::safety::xlsx(&refs, 0)).unwrap();
                p
            } else {
                let mut text = format!("{LEDGER_HEADER}\n");
                for r in &may {
                    text.push_str(&r.join(","));
                    text.push('\n');
                }
                let p = dir.path().join(format!("{name}-5月.csv"));
                std::fs::write(&p, text).unwrap();
                p
            };
            upload("#l-upload", &path);
        }
        let filed = format!("本月已报送：{} 行", may.len());
        wait_for("the ledger filed", || {
            browser.text("#l-state").contains(&filed).then_some(())
        });
        if i <= 1 {
            browser.script(
                "document.getElementById('ledger').scrollIntoView();",
                json!([]),
            );
            browser.screenshot(&shots.join(format!("05-{name}-台账已报送.png")));
        }
        if i == 1 {
            // Someone else of the village files the month meanwhile: this
            // page's table is stale, so its save is refused in Chinese
            // instead of replacing theirs.
            let other = unit_client(&server, link.strip_prefix(&server.base).unwrap());
            let cells: Vec<Value> = may
                .iter()
                .map(|r| {
                    Value::Object(
                        ACTIVITY_KEYS
                            .iter()
                            .zip(r)
                            .map(|(k, v)| (k.to_string(), json!(v)))
                            .collect(),
                    )
                })
                .collect();
            let (status, r) = other.post(
                "/api/ledger/activity/2019-05",
                &json!({ "rows": cells, "by": "另一位填表人" }),
            );
            assert_eq!(status, 200, "{r}");
            browser.click("#l-file");
            wait_for("the stale save refused", || {
                (browser.text("#l-state").contains("该月台账已被他人修改")
                    && browser.text("#l-notes").contains("请刷新后再保存"))
                .then_some(())
            });
            browser.screenshot(&shots.join("05b-台账被他人修改.png"));
            browser.click("#l-reload");
            wait_for("the month read again", || {
                browser
                    .text("#l-state")
                    .contains("另一位填表人")
                    .then_some(())
            });
        }
    }
    lap("16 villages filled, generated, downloaded and filed May");

    // Another unit's link, altered by one character: refused.
    let mut wrong = links[1].clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    browser.go(&wrong);
    wait_for("the refusal", || {
        browser
            .script("return document.body.textContent;", json!([]))
            .as_str()
            .filter(|t| t.contains("链接无效或已停用"))
            .map(|_| ())
    });
    browser.screenshot(&shots.join("06-链接无效.png"));

    // The office's page: 16/16, and the zip is gongwen batch's.
    browser.go(&office_url);
    wait_for("16/16 on the office's page", || {
        (browser.text("#done-count") == "16/16").then_some(())
    });
    let row = browser.text("#unit-rows tr[data-no='1']");
    assert!(
        row.contains("已生成") && row.contains("东关社区填表人"),
        "{row}"
    );
    assert!(browser.text("#remind").contains("全部单位都已生成方案"));
    browser.screenshot(&shots.join("07-进度表-16了16.png"));
    let (file, zip) = download(&browser, "#c-zip", &downloads);
    assert_eq!(file, format!("填报{id}-全部方案.zip"));
    assert!(
        zip == batch_zip,
        "the zip the office downloaded differs from gongwen batch --zip's"
    );
    lap("office: 16/16, zip = gongwen batch --zip");

    // The May ledgers: 16/16 filed.
    // The first load (this month) is in before May is asked for.
    browser.find("#lo-filed");
    browser.script(set, json!(["#lo-month", "2019-05"]));
    wait_for("16/16 filed in May", || {
        (browser
            .script(
                "const e = document.getElementById('lo-filed'); return e ? e.textContent : '';",
                json!([]),
            )
            .as_str()
            == Some("16/16"))
        .then_some(())
    });
    browser.script(
        "document.getElementById('ledger-office').scrollIntoView();",
        json!([]),
    );
    browser.screenshot(&shots.join("08-台账报送情况.png"));

    // The Q2 summary from the page: header fields set, previewed (with its
    // chart), downloaded — the text of `gongwen summary` on the same rows.
    browser.type_into("#ls-quarter", "2019Q2");
    browser.type_into("#ls-organ", "千泉街道办事处");
    browser.type_into("#ls-to", "邹城市安全生产委员会办公室");
    browser.script(set, json!(["#ls-date", "2019-07-05"]));
    browser.type_into("#ls-next", "督促未完成的村（居）补齐活动。");
    browser.click("#ls-preview");
    wait_for("the summary's preview", || {
        (browser.text("#ls-state").contains("预览已更新")
            && browser.script(pages_ready, json!(["#ls-pages"])).as_u64() > Some(0))
        .then_some(())
    });
    let state = browser.text("#ls-state");
    assert!(
        state.contains("千泉街道办事处关于") && state.contains("第二季度"),
        "{state}"
    );
    let shown = browser
        .script(pages_ready, json!(["#ls-pages"]))
        .as_u64()
        .unwrap();
    for n in 0..shown {
        browser.script(
            "document.querySelectorAll('#ls-pages img.page')[arguments[0]].scrollIntoView();",
            json!([n]),
        );
        browser.screenshot(&shots.join(format!("09-季度总结-第{}页.png", n + 1)));
    }
    let (file, pdf) = download(&browser, "#ls-download", &downloads);
    assert_eq!(file, "2019年第2季度工作总结.pdf");
    std::fs::write(dir.path().join("server.pdf"), &pdf).unwrap();
    std::fs::write(dir.path().join("may.csv"), &filed_csv).unwrap();
    cli_summary(
        dir.path(),
        &[
            "--to",
            "邹城市安全生产委员会办公室",
            "--date",
            "2019-07-05",
            "--next",
            "督促未完成的村（居）补齐活动。",
        ],
    );
    let server_text = common::pdf_text(&dir.path().join("server.pdf"));
    assert_eq!(server_text, common::pdf_text(&dir.path().join("cli.pdf")));
    assert!(
        server_text.contains("2019年7月5日") && server_text.contains("督促未完成"),
        "{server_text}"
    );
    let pages = lopdf::Document::load(dir.path().join("server.pdf"))
        .unwrap()
        .get_pages()
        .len();
    assert_eq!(pages as u64, shown, "the preview shows every page");
    lap("office: Q2 summary previewed and downloaded = gongwen summary");
    eprintln!(
        "done-when in headless Chromium: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The seed's activity rows of a month, by unit, as the ledger's cells.
fn activity_rows(month: &str) -> Vec<(String, Vec<Value>)> {
    let text = std::fs::read_to_string(common::root().join("samples/ledgers/activities-2019.csv"))
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keys = ACTIVITY_KEYS;
    assert_eq!(header.len(), keys.len());
    let mut out: Vec<(String, Vec<Value>)> = Vec::new();
    for line in lines.filter(|l| l.starts_with(month)) {
        let cells: Vec<&str> = line.split(',').collect();
        let row: serde_json::Map<String, Value> = keys
            .iter()
            .zip(&cells)
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let unit = cells[1].to_string();
        match out.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, rows)) => rows.push(Value::Object(row)),
            None => out.push((unit, vec![Value::Object(row)])),
        }
    }
    out
}

#[test]
fn may_ledgers_filed_by_sixteen_villages_feed_the_q2_summary() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let by_unit = activity_rows("2019-05");
    let (_, s) = office.get_json(&format!("/api/campaigns/{id}/ledgers/activity/2019-05"));
    assert_eq!(s["filed"], 0);
    for link in &links {
        let u = unit_client(&server, link["path"].as_str().unwrap());
        let name = link["name"].as_str().unwrap();
        let rows = by_unit
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        if name == "东关社区" {
            // One bad cell: shown at its row and column as `gongwen ledger`
            // words it; nothing is filed until it is corrected.
            let mut bad = rows.clone();
            bad[1]["kind"] = json!("宣讲");
            let (status, r) = u.post(
                "/api/ledger/activity/2019-05",
                &json!({ "rows": bad, "by": "董某某" }),
            );
            assert_eq!(status, 422, "{r}");
            let note = &r["notes"][0];
            assert_eq!(note["row"], 1);
            assert_eq!(note["column"], "kind");
            assert!(
                note["message"]
                    .as_str()
                    .unwrap()
                    .contains("“宣讲”不是可选的值"),
                "{note}"
            );
            assert!(note["hint"].as_str().unwrap().contains("活动类别只能填"));
            let (_, r) = u.get_json("/api/ledger/activity/2019-05");
            assert!(r["filed"].is_null());
            // Another unit's row is refused too, and a row of April.
            let mut other = rows.clone();
            other[0]["unit"] = json!("南关社区");
            other[2]["date"] = json!("2019-04-30");
            let (status, r) = u.post("/api/ledger/activity/2019-05", &json!({ "rows": other }));
            assert_eq!(status, 422, "{r}");
            let text = r["notes"].to_string();
            assert!(text.contains("不是本单位"), "{text}");
        }
        let (status, r) = u.post(
            "/api/ledger/activity/2019-05",
            &json!({ "rows": rows, "by": format!("{name}填表人") }),
        );
        assert_eq!(status, 200, "{name}: {r}");
        assert_eq!(r["rows"], rows.len());
    }
    let (_, s) = office.get_json(&format!("/api/campaigns/{id}/ledgers/activity/2019-05"));
    assert_eq!(s["filed"], 16, "{s}");

    // An upload: the CSV as the CLI reads it replaces 南关社区's month.
    let nanguan = links.iter().find(|l| l["name"] == "南关社区").unwrap();
    let u = unit_client(&server, nanguan["path"].as_str().unwrap());
    let csv = "日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n\
               2019-05-06,,社区广场,志愿服务,安全教育志愿服务,40,张某某,\n\
               2019-05-14,南关社区,社区会议室,培训,燃气安全培训,35,张某某,\n\
               2019-05-22,,加油站,送教入村,送教上门,20,张某某,\n";
    let r = upload_may(&u, "", csv);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));

    // The month printed, every unit's rows in it.
    let dir = tempfile::tempdir().unwrap();
    let pdf = office.get(&format!("/api/campaigns/{id}/ledgers/activity/2019-05/pdf"));
    assert_eq!(pdf.status, 200);
    std::fs::write(dir.path().join("month.pdf"), &pdf.body).unwrap();
    let text = common::pdf_text(&dir.path().join("month.pdf"));
    assert!(
        text.contains("燃气安全培训") && text.contains("大屈村"),
        "{text}"
    );

    // The Q2 summary from what was filed is the CLI's summary of the same rows.
    let summary = office.get(&format!(
        "/api/campaigns/{id}/summary?quarter=2019Q2&organ=%E5%8D%83%E6%B3%89%E8%A1%97%E9%81%93%E5%8A%9E%E4%BA%8B%E5%A4%84"
    ));
    assert_eq!(
        summary.status,
        200,
        "{}",
        String::from_utf8_lossy(&summary.body)
    );
    std::fs::write(dir.path().join("server.pdf"), &summary.body).unwrap();
    let mut filed = String::from("日期,村（居）,地点,活动类别,内容,参加人数,组织人,备注\n");
    let all = std::fs::read_to_string(common::root().join("samples/ledgers/activities-2019.csv"))
        .unwrap();
    for line in all.lines().filter(|l| l.starts_with("2019-05")) {
        if !line.contains(",南关社区,") {
            filed.push_str(line);
            filed.push('\n');
        }
    }
    filed.push_str("2019-05-06,南关社区,社区广场,志愿服务,安全教育志愿服务,40,张某某,\n");
    filed.push_str("2019-05-14,南关社区,社区会议室,培训,燃气安全培训,35,张某某,\n");
    filed.push_str("2019-05-22,南关社区,加油站,送教入村,送教上门,20,张某某,\n");
    std::fs::write(dir.path().join("may.csv"), filed).unwrap();
    cli_summary(dir.path(), &[]);
    let server_text = common::pdf_text(&dir.path().join("server.pdf"));
    assert_eq!(server_text, common::pdf_text(&dir.path().join("cli.pdf")));
    assert!(server_text.contains("第二季度"), "{server_text}");
}

#[test]
fn with_accounts_only_the_office_publishes_and_units_need_only_their_link() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_user(&data, "张三", "拟稿", "zhangsan-pass");
    add_user(&data, "王五", "管理", "wangwu-password");
    let server = Server::start_in(&data, &["--accounts"]);
    let sign_in = |name: &str, password: &str| {
        let mut c = server.client();
        let ok = c.post_with(
            "/login",
            &json!({ "name": name, "password": password }),
            &[("X-CSRF-Token", &c.csrf.clone())],
        );
        assert_eq!(ok.status, 200);
        let set = ok.headers["set-cookie"].to_str().unwrap().to_string();
        c.cookie = Some(set.split(';').next().unwrap().to_string());
        let (_, s) = c.get_json("/api/session");
        c.csrf = s["csrf"].as_str().unwrap().to_string();
        c
    };
    // Not signed in, or signed in as 拟稿: no campaigns.
    let anon = server.client();
    assert_eq!(anon.get_json("/api/campaigns").0, 401);
    let drafter = sign_in("张三", "zhangsan-pass");
    assert_eq!(drafter.get_json("/api/campaigns").0, 403);
    let (status, _) = drafter.post("/api/campaigns", &json!({}));
    assert!(status == 403 || status == 422, "{status}");
    // 管理 publishes; a unit's link works without any account, and the
    // office's pages stay closed to it.
    let office = sign_in("王五", "wangwu-password");
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let unit = unit_client(&server, links[5]["path"].as_str().unwrap());
    let (_, f) = unit.get_json("/api/form");
    assert_eq!(f["unit"], "圣泉社区");
    let (status, r) = unit.post("/api/save", &json!({ "values": f["values"] }));
    assert_eq!(status, 200, "{r}");
    assert_eq!(anon.get_json(&format!("/api/campaigns/{id}")).0, 401);
    assert_eq!(anon.get(&format!("/api/campaigns/{id}/zip")).status, 401);
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["units"][5]["status"], "已填");
}

#[test]
fn a_backup_taken_while_units_save_is_a_data_folder_again() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let units: Vec<Client> = links
        .iter()
        .map(|l| unit_client(&server, l["path"].as_str().unwrap()))
        .collect();
    // A number taken, so the register exists.
    let (status, r) = office.post(
        "/api/register/reserve",
        &json!({ "code": "千街发", "year": 2019, "note": "备份测试" }),
    );
    assert_eq!(status, 200, "{r}");
    let (_, f0) = units[0].get_json("/api/form");
    let (status, _) = units[0].post("/api/save", &json!({ "values": f0["values"], "by": "甲" }));
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().unwrap();
    // Units keep saving while the backup runs.
    std::thread::scope(|s| {
        for (i, u) in units.iter().enumerate().skip(1) {
            s.spawn(move || {
                let (_, f) = u.get_json("/api/form");
                for _ in 0..3 {
                    let (status, _) = u.post(
                        "/api/save",
                        &json!({ "values": f["values"], "by": format!("人{i}") }),
                    );
                    assert_eq!(status, 200);
                }
            });
        }
        let out = common::gongwen(
            &[
                "backup",
                "--data",
                server.data.to_str().unwrap(),
                "-o",
                "备份.zip",
            ],
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("已备份"));
    });
    // Unpacked, it is a data folder the workbench and the CLI read.
    let restored = dir.path().join("恢复");
    let file = std::fs::File::open(dir.path().join("备份.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with("-wal") && !n.contains(".gongwen-")),
        "{names:?}"
    );
    zip.extract(&restored).unwrap();
    let out = common::gongwen(
        &[
            "register",
            "export",
            "--year",
            "2019",
            "--format",
            "csv",
            "-o",
            "登记簿.csv",
            "--register",
            restored.join("gongwen.db").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = std::fs::read_to_string(dir.path().join("登记簿.csv")).unwrap();
    assert!(listed.contains("千街发〔2019〕1号"), "{listed}");
    drop(server);
    let again = Server::start_in(&restored, &[]);
    let (_, c) = again.client().get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["units"][0]["status"], "已填", "{c}");
    assert_eq!(c["units"][0]["saved_by"], "甲");
    // The old links still open their unit in the restored folder.
    let u = unit_client(&again, links[0]["path"].as_str().unwrap());
    assert_eq!(u.get_json("/api/form").1["unit"], "东关社区");
    // A folder that is not a data folder is refused.
    let out = common::gongwen(&["backup", "--data", ".", "-o", "x.zip"], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是工作台的数据文件夹"));
}

#[test]
fn the_archive_button_packs_what_the_workbench_generated_and_numbers_continue() {
    use super::serve::{seed_form, seven_numbers_taken};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seven_numbers_taken(&data);
    let server = Server::start_in(&data, &[]);
    let c = server.client();
    // Nothing generated yet: said so.
    let (status, r) = c.post(
        "/api/archive",
        &json!({ "year": 2019, "retention": "永久", "fonds": "A13" }),
    );
    assert_eq!(status, 409, "{r}");
    assert!(r["error"].as_str().unwrap().contains("还没有生成过的公文"));
    let (status, r) = c.post("/api/docs", &json!({ "kind": "通知" }));
    assert_eq!(status, 200);
    let id = r["id"].as_str().unwrap().to_string();
    let (status, v) = c.post(&format!("/api/docs/{id}/finalise"), &seed_form());
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["number"], "千街发〔2019〕8号");
    let (status, r) = c.post(
        "/api/archive",
        &json!({ "year": 2019, "retention": "永久", "fonds": "A13", "fonds_name": "千泉街道办事处" }),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["items"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["items"][0]["code"], "A13-WS·2019-Y-0001");
    assert_eq!(r["items"][0]["number"], "千街发〔2019〕8号");
    let zip = c.get(&format!(
        "/api/archive/{}",
        r["file"].as_str().unwrap().replace('·', "%C2%B7")
    ));
    assert_eq!(zip.status, 200);
    assert!(zip.body.starts_with(b"PK"));
    // Archived again: the same 档号, not a new one.
    let (status, r) = c.post(
        "/api/archive",
        &json!({ "year": 2019, "retention": "永久", "fonds": "A13", "fonds_name": "千泉街道办事处" }),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["items"][0]["code"], "A13-WS·2019-Y-0001");
    assert_eq!(r["items"][0]["before"], true);
    // No staging files are left beside the document.
    let left: Vec<String> = std::fs::read_dir(data.join("docs").join(&id))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(
        c.get("/api/archive/..%2Fgongwen.db").status,
        404,
        "only packages are served"
    );
}

#[test]
fn an_open_hazard_filed_in_april_is_carried_into_the_may_ledger() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let u = unit_client(&server, links[1]["path"].as_str().unwrap());
    let hazard = json!({
        "found": "2019-04-25", "finder": "田某某", "place": "加油站东侧",
        "category": "消防安全", "description": "灭火器过期未更换", "level": "一般",
        "supervised": "否", "measures": "更换灭火器", "owner": "张某某",
        "deadline": "2019-05-05", "status": "整改中",
    });
    let (status, r) = u.post("/api/ledger/hazard/2019-04", &json!({ "rows": [hazard] }));
    assert_eq!(status, 200, "{r}");
    // May: nothing new filed by this unit, the April hazard is still open.
    let (status, r) = u.post("/api/ledger/hazard/2019-05", &json!({ "rows": [] }));
    assert_eq!(status, 200, "{r}");
    let pdf = office.get(&format!("/api/campaigns/{id}/ledgers/hazard/2019-05/pdf"));
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("may.pdf"), &pdf.body).unwrap();
    let text = common::pdf_text(&dir.path().join("may.pdf"));
    assert!(text.contains("灭火器过期未更换"), "carried over: {text}");
    assert!(text.contains("南关社区"), "{text}");
}

#[test]
fn saves_of_one_units_month_at_once_neither_lose_nor_mix_rows() {
    // Eight people of 东关社区 save its May ledger at the same moment.
    const PEOPLE: usize = 8;
    let server = Server::start(&[]);
    let office = server.client();
    let (_, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let path = links[0]["path"].as_str().unwrap();
    let people: Vec<Client> = (0..PEOPLE).map(|_| unit_client(&server, path)).collect();
    let rows_of = |k: usize| -> Vec<Value> {
        (0..=k)
            .map(|j| {
                json!({
                    "date": format!("2019-05-{:02}", j + 1), "kind": "培训",
                    "content": format!("第{k}人的第{j}条"), "people": "20",
                })
            })
            .collect()
    };
    let at_once = |version: Option<u64>| -> Vec<(u16, Value)> {
        let start = std::sync::Barrier::new(PEOPLE);
        std::thread::scope(|s| {
            let handles: Vec<_> = people
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let start = &start;
                    s.spawn(move || {
                        let mut body = json!({ "rows": rows_of(k), "by": format!("人{k}") });
                        if let Some(v) = version {
                            body["version"] = json!(v);
                        }
                        start.wait();
                        c.post("/api/ledger/activity/2019-05", &body)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    };
    // What is filed is one person's save, whole: its rows and its record.
    let whole = |who: usize| {
        let (_, r) = people[0].get_json("/api/ledger/activity/2019-05");
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(rows.len(), who + 1, "{r}");
        for (j, row) in rows.iter().enumerate() {
            assert_eq!(row["content"], format!("第{who}人的第{j}条"), "mixed: {r}");
        }
        assert_eq!(r["filed"]["by"], format!("人{who}"));
        assert_eq!(r["filed"]["rows"], who + 1);
        r["filed"]["version"].as_u64().unwrap()
    };

    // All loaded the empty month (version 0): one save wins, the others are
    // told in Chinese to reload — nobody's rows are silently replaced.
    let (_, r) = people[0].get_json("/api/ledger/activity/2019-05");
    assert!(r["filed"].is_null());
    let answers = at_once(Some(0));
    let won: Vec<usize> = (0..PEOPLE).filter(|&k| answers[k].0 == 200).collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (status, r) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!(*status, 409, "{r}");
        assert!(
            r["error"]
                .as_str()
                .unwrap()
                .contains("该月台账已被他人修改"),
            "{r}"
        );
    }
    assert_eq!(whole(won[0]), 1);
    assert_eq!(answers[won[0]].1["version"], 1);

    // Saves that name no version (an upload tool, an old page) replace the
    // month one after another: the last is there whole, none is mixed.
    let answers = at_once(None);
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let versions: std::collections::BTreeSet<u64> = answers
        .iter()
        .map(|(_, r)| r["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, (2..2 + PEOPLE as u64).collect(), "one at a time");
    let last = (0..PEOPLE)
        .find(|&k| answers[k].1["version"] == 1 + PEOPLE as u64)
        .unwrap();
    assert_eq!(whole(last), 1 + PEOPLE as u64);
    // A save from the version just read goes through; a stale upload does not.
    let (status, r) = people[1].post(
        "/api/ledger/activity/2019-05",
        &json!({ "rows": rows_of(1), "by": "人1", "version": 1 + PEOPLE }),
    );
    assert_eq!(status, 200, "{r}");
    let u = &people[2];
    let stale = upload_may(
        u,
        "&version=1",
        &format!("{LEDGER_HEADER}\n2019-05-09,,广场,培训,迟到的一行,3,,\n"),
    );
    assert_eq!(stale.status, 409);
    assert!(String::from_utf8_lossy(&stale.body).contains("请刷新后再保存"));
    assert_eq!(whole(1), 2 + PEOPLE as u64);
}

#[test]
fn a_revoked_link_is_refused_everywhere_and_a_reissued_one_works() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    let path = links[3]["path"].as_str().unwrap().to_string();
    let u = unit_client(&server, &path);
    let (_, f) = u.get_json("/api/form");
    let (status, p) = u.post("/api/preview", &json!({ "values": f["values"] }));
    assert_eq!(status, 200, "{p}");
    let page = p["pages"][0].as_str().unwrap().to_string();
    let (status, g) = u.post(
        "/api/generate",
        &json!({ "values": f["values"], "by": "唐某" }),
    );
    assert_eq!(status, 200, "{g}");
    let row = json!({ "date": "2019-05-06", "kind": "培训", "content": "燃气安全培训" });
    let (status, _) = u.post("/api/ledger/activity/2019-05", &json!({ "rows": [row] }));
    assert_eq!(status, 200);
    let before = office.get_json(&format!("/api/campaigns/{id}")).1["units"][3].clone();

    let (status, _) = office.post(&format!("/api/campaigns/{id}/units/4/revoke"), &json!({}));
    assert_eq!(status, 200);
    let (_, c) = office.get_json(&format!("/api/campaigns/{id}"));
    assert_eq!(c["units"][3]["revoked"], true);

    // Every door of the link: the page, its data, preview, PDF, the page
    // images already shown, saving, generating, the ledger and its upload.
    let html = agent()
        .get(&format!("{}{path}", server.base))
        .header("Accept", "text/html")
        .call()
        .unwrap();
    assert_eq!(html.status(), 404);
    let page_text = html.into_body().read_to_string().unwrap();
    assert!(page_text.contains("链接无效或已停用"), "{page_text}");
    let refused = |what: &str, r: Reply| {
        assert_eq!(
            r.status,
            404,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert!(
            String::from_utf8_lossy(&r.body).contains("链接无效或已停用"),
            "{what}"
        );
    };
    refused("form", u.get("/api/form"));
    refused("pdf", u.get("/pdf"));
    refused("page image", u.get(&format!("/page/{page}")));
    refused("ledger", u.get("/api/ledger/activity/2019-05"));
    let body = json!({ "values": f["values"], "by": "冒用" });
    refused(
        "save",
        u.post_with("/api/save", &body, &[("X-CSRF-Token", &u.csrf)]),
    );
    refused(
        "preview",
        u.post_with("/api/preview", &body, &[("X-CSRF-Token", &u.csrf)]),
    );
    refused(
        "generate",
        u.post_with("/api/generate", &body, &[("X-CSRF-Token", &u.csrf)]),
    );
    refused(
        "ledger save",
        u.post_with(
            "/api/ledger/activity/2019-05",
            &json!({ "rows": [] }),
            &[("X-CSRF-Token", &u.csrf)],
        ),
    );
    refused(
        "ledger upload",
        upload_may(&u, "", &format!("{LEDGER_HEADER}\n")),
    );
    // Nothing changed through it.
    let after = office.get_json(&format!("/api/campaigns/{id}")).1["units"][3].clone();
    assert_eq!(after["saved_by"], before["saved_by"]);
    assert_eq!(after["saved_at"], before["saved_at"]);
    let (_, s) = office.get_json(&format!("/api/campaigns/{id}/ledgers/activity/2019-05"));
    assert_eq!(s["units"][3]["filed"]["rows"], 1);

    // The office reissues: the new link opens the same data, the old stays shut.
    let (status, r) = office.post(&format!("/api/campaigns/{id}/units/4/link"), &json!({}));
    assert_eq!(status, 200);
    let fresh_path = r["link"]["path"].as_str().unwrap();
    assert_ne!(fresh_path, path);
    let fresh = unit_client(&server, fresh_path);
    let (_, f2) = fresh.get_json("/api/form");
    assert_eq!(f2["unit"], "唐王湖社区");
    assert_eq!(f2["saved_by"], "唐某");
    assert_eq!(fresh.get("/pdf").status, 200);
    assert_eq!(
        fresh.get_json("/api/ledger/activity/2019-05").1["rows"][0]["content"],
        "燃气安全培训"
    );
    refused("old link after reissue", u.get("/api/form"));
    assert_eq!(
        office.get_json(&format!("/api/campaigns/{id}")).1["units"][3]["revoked"],
        false
    );
}

#[test]
fn the_office_sets_up_and_previews_the_summary_before_downloading_it() {
    let server = Server::start(&[]);
    let office = server.client();
    let (id, links) = publish(&office, &seed_plan(), "villages-2019.csv", &villages_csv());
    for (name, rows) in activity_rows("2019-05") {
        let link = links.iter().find(|l| l["name"] == name.as_str()).unwrap();
        let u = unit_client(&server, link["path"].as_str().unwrap());
        let (status, r) = u.post("/api/ledger/activity/2019-05", &json!({ "rows": rows }));
        assert_eq!(status, 200, "{r}");
    }
    let preview = |q: Value| office.post(&format!("/api/campaigns/{id}/summary/preview"), &q);
    // What the office set wrong is said in the page's words.
    let (status, r) = preview(json!({ "quarter": "2019Q2" }));
    assert_eq!(status, 422, "{r}");
    assert!(
        r["error"].as_str().unwrap().contains("请写上报告单位"),
        "{r}"
    );
    let (status, r) = preview(json!({ "quarter": "二季度", "organ": "千泉街道办事处" }));
    assert_eq!(status, 422);
    assert!(r["error"].as_str().unwrap().contains("2019Q2"), "{r}");
    let (status, r) =
        preview(json!({ "quarter": "2019Q2", "organ": "千泉街道办事处", "date": "2019-13-40" }));
    assert_eq!(status, 422);
    assert!(r["error"].as_str().unwrap().contains("成文日期"), "{r}");
    let (status, r) =
        preview(json!({ "quarter": "2019Q2", "organ": "千泉街道办事处", "red_header": "1" }));
    assert_eq!(status, 422);
    let said = r["error"].as_str().unwrap();
    assert!(said.contains("签发人") && !said.contains("--"), "{r}");
    // Set up: the pages as images (the chart among them), and the PDF of
    // the same fields carries them.
    let q = json!({
        "quarter": "2019Q2", "organ": "千泉街道办事处", "to": "邹城市安全生产委员会办公室",
        "date": "2019年7月5日", "red_header": "1", "number": "千街发〔2019〕9号",
        "signer": "王某某", "next": "督促各村（居）按月开展活动。",
    });
    let (status, r) = preview(q.clone());
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        r["title"],
        "千泉街道办事处关于2019年第二季度“零事故”创建工作情况的报告"
    );
    let pages = r["pages"].as_array().unwrap();
    assert!(pages.len() >= 2, "{r}");
    for p in pages {
        let png = office.get(&format!("/api/page/{}", p.as_str().unwrap()));
        assert_eq!(png.status, 200);
        assert!(png.body.starts_with(b"\x89PNG"));
    }
    let query: String = q
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .as_str()
                .unwrap()
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&");
    let pdf = office.get(&format!("/api/campaigns/{id}/summary?{query}"));
    assert_eq!(pdf.status, 200, "{}", String::from_utf8_lossy(&pdf.body));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.pdf"), &pdf.body).unwrap();
    let text = common::pdf_text(&dir.path().join("s.pdf"));
    for want in [
        "千街发〔2019〕9号",
        "王某某",
        "邹城市安全生产委员会办公室",
        "2019年7月5日",
        "督促各村（居）按月开展活动",
        "各单位活动完成率",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let n = lopdf::Document::load(dir.path().join("s.pdf"))
        .unwrap()
        .get_pages()
        .len();
    assert_eq!(n, pages.len());
}
