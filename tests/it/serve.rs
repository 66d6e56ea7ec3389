//! `gongwen serve` (issue 16): the built binary serving on 127.0.0.1, driven
//! over HTTP — preview pages, numbers taken and kept, the register, CSRF and
//! sign-in, limits, hostile text — and through a real headless Chromium
//! (WebDriver, `chromedriver`), required when `CI` is set.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::common;

/// A running `gongwen serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    pub(crate) data: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Serves a fresh data folder on 127.0.0.1 (a free port).
    pub(crate) fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut s = Server::start_in(&data, extra);
        s._dir = Some(dir);
        s
    }

    pub(crate) fn start_in(data: &Path, extra: &[&str]) -> Server {
        let mut child = common::command()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongwen serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("read the address");
        // Drained while it runs: a closed pipe would end the server.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let Some(at) = line.find("http://") else {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait");
            panic!(
                "serve did not start: {line}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        if let Some(mut err) = child.stderr.take() {
            std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        }
        let base = line[at..].trim().trim_end_matches('/').to_string();
        Server {
            child,
            base,
            data: data.to_path_buf(),
            _dir: None,
        }
    }

    pub(crate) fn client(&self) -> Client {
        let mut c = Client {
            agent: agent(),
            base: self.base.clone(),
            csrf: String::new(),
            cookie: None,
        };
        let (status, s) = c.get_json("/api/session");
        assert_eq!(status, 200, "{s}");
        c.csrf = s["csrf"].as_str().unwrap_or_default().to_string();
        c
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build(),
    )
}

/// An HTTP client of the workbench, holding the page's CSRF token and the
/// session cookie as a browser would.
pub(crate) struct Client {
    pub(crate) agent: ureq::Agent,
    pub(crate) base: String,
    pub(crate) csrf: String,
    pub(crate) cookie: Option<String>,
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: ureq::http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

impl Client {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn finish(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut r = r.expect("HTTP request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r
            .body_mut()
            .with_config()
            .limit(100_000_000)
            .read_to_vec()
            .expect("body");
        Reply {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        let mut req = self.agent.get(&self.url(path));
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        Client::finish(req.call())
    }

    pub(crate) fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.get(path);
        (r.status, r.json())
    }

    /// POSTs JSON with the page's token, as the workbench's script does.
    pub(crate) fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.post_with(path, body, &[("X-CSRF-Token", &self.csrf.clone())]);
        (r.status, r.json())
    }

    pub(crate) fn post_with(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.post(&self.url(path));
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Client::finish(req.send_json(body))
    }

    fn post_bytes(&self, path: &str, bytes: &[u8]) -> Result<Reply, ureq::Error> {
        let mut req = self
            .agent
            .post(&self.url(path))
            .header("X-CSRF-Token", &self.csrf)
            .header("Content-Type", "application/octet-stream");
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", c);
        }
        req.send(bytes).map(|r| Client::finish(Ok(r)))
    }

    /// A new document; returns its id.
    fn create(&self, body: Value) -> String {
        let (status, r) = self.post("/api/docs", &body);
        assert_eq!(status, 200, "{r}");
        r["id"].as_str().expect("id").to_string()
    }

    fn form(&self, id: &str) -> Value {
        let (status, r) = self.get_json(&format!("/api/docs/{id}"));
        assert_eq!(status, 200, "{r}");
        r["form"].clone()
    }
}

/// The seed-000 document as the form holds it, asking the register for its
/// number (千街发, 2019, auto).
pub(crate) fn seed_form() -> Value {
    let yaml = std::fs::read_to_string(common::root().join("samples/qianquan-2019-8.yaml"))
        .expect("sample");
    let (mut values, rest) = gongwen::serve::form::from_yaml(&yaml).expect("sample reads");
    values.insert("number.mode".into(), "auto".into());
    values.insert("number.code".into(), "千街发".into());
    values.insert("number.year".into(), "2019".into());
    values.remove("number.text");
    json!({ "values": values, "rest": rest })
}

/// Takes numbers 1–7 of 千街发〔2019〕 as the office's earlier documents.
pub(crate) fn seven_numbers_taken(data: &Path) {
    std::fs::create_dir_all(data).unwrap();
    let reg = data.join("gongwen.db");
    for _ in 0..7 {
        let out = common::gongwen(
            &[
                "number",
                "next",
                "千街发",
                "--year",
                "2019",
                "--register",
                reg.to_str().unwrap(),
            ],
            data,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn preview_sends_png_pages_named_by_their_content() {
    let server = Server::start(&[]);
    let c = server.client();
    let id = c.create(json!({ "kind": "通知" }));
    let form = c.form(&id);
    let (status, p) = c.post(
        &format!("/api/docs/{id}/preview"),
        &json!({ "form": form, "known": [] }),
    );
    assert_eq!(status, 200, "{p}");
    assert!(p["notes"].as_array().unwrap().is_empty(), "{p}");
    let pages: Vec<String> = p["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    assert!(!pages.is_empty());
    for h in &pages {
        let r = c.get(&format!("/api/page/{h}"));
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-type"], "image/png");
        assert!(r.body.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG image");
    }
    // The same form gives the same pages: nothing new to send.
    let (_, again) = c.post(
        &format!("/api/docs/{id}/preview"),
        &json!({ "form": form, "known": pages }),
    );
    assert_eq!(again["pages"], p["pages"]);
    // A changed last paragraph changes the page it is on, not page 1.
    let mut changed = form.clone();
    let body = changed["values"]["body"].as_str().unwrap().to_string();
    changed["values"]["body"] = json!(format!("{body}特此通知。\n"));
    let (_, after) = c.post(
        &format!("/api/docs/{id}/preview"),
        &json!({ "form": changed, "known": pages }),
    );
    let after: Vec<&str> = after["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(after[0], pages[0], "page 1 did not change");
    assert_ne!(after, pages, "the changed page has a new name");
    // The saved form is the YAML, downloadable.
    let y = c.get(&format!("/api/docs/{id}/yaml"));
    assert_eq!(y.status, 200);
    assert!(String::from_utf8_lossy(&y.body).contains("特此通知。"));
}

#[test]
fn a_wrong_number_is_shown_at_its_field() {
    let server = Server::start(&[]);
    let c = server.client();
    let id = c.create(json!({ "kind": "通知" }));
    let mut form = c.form(&id);
    form["values"]["number.mode"] = json!("fixed");
    form["values"]["number.text"] = json!("千街发[2019]8号");
    form["values"]["title"] = json!("");
    let (status, p) = c.post(
        &format!("/api/docs/{id}/preview"),
        &json!({ "form": form, "known": [] }),
    );
    assert_eq!(status, 200, "{p}");
    let notes = p["notes"].as_array().unwrap();
    let at = |field: &str| {
        notes
            .iter()
            .find(|n| n["field"] == field)
            .unwrap_or_else(|| panic!("no note at {field}: {p}"))
    };
    let n = at("number");
    assert_eq!(n["error"], true);
    assert!(
        n["message"].as_str().unwrap().contains("千街发〔2019〕8号"),
        "{n}"
    );
    at("title");
    assert!(p["pages"].as_array().unwrap().is_empty());
}

#[test]
fn a_number_is_taken_once_and_kept_when_generated_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seven_numbers_taken(&data);
    let server = Server::start_in(&data, &[]);
    let c = server.client();
    let id = c.create(json!({ "kind": "通知" }));
    let form = seed_form();
    let (status, v1) = c.post(&format!("/api/docs/{id}/finalise"), &form);
    assert_eq!(status, 200, "{v1}");
    assert_eq!(v1["number"], "千街发〔2019〕8号");
    assert_eq!(v1["n"], 1);
    assert_eq!(v1["with_approval"], true);
    // Generated again after an edit: the same number, a second version.
    let mut edited = form.clone();
    edited["values"]["copies"] = json!("90");
    let (status, v2) = c.post(&format!("/api/docs/{id}/finalise"), &edited);
    assert_eq!(status, 200, "{v2}");
    assert_eq!(v2["number"], "千街发〔2019〕8号");
    assert_eq!(v2["n"], 2);
    let (_, opened) = c.get_json(&format!("/api/docs/{id}"));
    assert_eq!(opened["versions"].as_array().unwrap().len(), 2);
    // Both versions are kept.
    for n in [1, 2] {
        let r = c.get(&format!("/api/docs/{id}/versions/{n}/pdf"));
        assert_eq!(r.status, 200);
        assert!(r.body.starts_with(b"%PDF"));
    }
    // The PDF reads as the CLI's render of the same document.
    let web = dir.path().join("web.pdf");
    std::fs::write(&web, c.get(&format!("/api/docs/{id}/versions/1/pdf")).body).unwrap();
    let cli = dir.path().join("cli.pdf");
    let out = common::gongwen(
        &[
            "render",
            common::root()
                .join("samples/qianquan-2019-8.yaml")
                .to_str()
                .unwrap(),
            "-o",
            cli.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(common::pdf_text(&web), common::pdf_text(&cli));
    // With the 签批单: more pages, the number printed on the form too.
    let both = dir.path().join("both.pdf");
    let r = c.get(&format!("/api/docs/{id}/versions/1/pdf?approval=1"));
    assert_eq!(r.status, 200);
    std::fs::write(&both, &r.body).unwrap();
    let text = common::pdf_text(&both);
    assert!(text.matches("千街发〔2019〕8号").count() >= 2, "{text}");
    assert!(text.contains("签批单"));
    // The register lists it once, with its title; 7 and 8 follow each other.
    let (_, rows) = c.get_json("/api/register?q=千街发");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let eight = rows
        .iter()
        .find(|r| r["number"] == "千街发〔2019〕8号")
        .expect("8 is registered");
    assert!(eight["title"].as_str().unwrap().contains("千泉街道"));
    let csv = c.get("/api/register/export.csv");
    assert_eq!(csv.status, 200);
    assert!(String::from_utf8_lossy(&csv.body).contains("千街发〔2019〕8号"));
    let pdf = c.get("/api/register/export.pdf?year=2019");
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    // Voided with a reason, it is never given again.
    let (status, r) = c.post(
        "/api/register/void",
        &json!({ "number": "千街发〔2019〕3号", "reason": "" }),
    );
    assert_eq!(status, 422, "{r}");
    let (status, r) = c.post(
        "/api/register/void",
        &json!({ "number": "千街发〔2019〕3号", "reason": "发文取消" }),
    );
    assert_eq!(status, 200, "{r}");
    let (_, rows) = c.get_json("/api/register?q=发文取消");
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["void"], true);
}

#[test]
fn twenty_clients_at_once_get_twenty_consecutive_numbers() {
    let server = Server::start(&[]);
    let c = server.client();
    let ids: Vec<String> = (0..20)
        .map(|_| c.create(json!({ "kind": "通知" })))
        .collect();
    let numbers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = ids
            .iter()
            .map(|id| {
                let c = server.client();
                s.spawn(move || {
                    let mut form = c.form(id);
                    form["values"]["number.mode"] = json!("auto");
                    form["values"]["number.code"] = json!("青政办发");
                    form["values"]["number.year"] = json!("2024");
                    let (status, v) = c.post(&format!("/api/docs/{id}/finalise"), &form);
                    assert_eq!(status, 200, "{v}");
                    v["number"].as_str().unwrap().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut seqs: Vec<u32> = numbers
        .iter()
        .map(|n| {
            n.trim_start_matches("青政办发〔2024〕")
                .trim_end_matches('号')
                .parse()
                .unwrap()
        })
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=20).collect::<Vec<u32>>());
}

#[test]
fn changes_need_the_page_token_and_this_site() {
    let server = Server::start(&[]);
    let c = server.client();
    let body = json!({ "kind": "通知" });
    // No token, a wrong one, a cross-site request, another host name.
    assert_eq!(c.post_with("/api/docs", &body, &[]).status, 403);
    assert_eq!(
        c.post_with("/api/docs", &body, &[("X-CSRF-Token", "0000")])
            .status,
        403
    );
    let token = c.csrf.clone();
    let cross = c.post_with(
        "/api/docs",
        &body,
        &[("X-CSRF-Token", &token), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(cross.status, 403);
    assert!(String::from_utf8_lossy(&cross.body).contains("其他网站"));
    let origin = c.post_with(
        "/api/docs",
        &body,
        &[("X-CSRF-Token", &token), ("Origin", "http://evil.example")],
    );
    assert_eq!(origin.status, 403);
    let rebound = c.post_with(
        "/api/docs",
        &body,
        &[("X-CSRF-Token", &token), ("Host", "evil.example")],
    );
    assert_eq!(rebound.status, 403);
    let (_, docs) = c.get_json("/api/docs");
    assert!(docs.as_array().unwrap().is_empty(), "nothing was created");
    assert_eq!(c.post("/api/docs", &body).0, 200);
}

#[test]
fn oversize_bodies_are_refused() {
    let server = Server::start(&[]);
    let c = server.client();
    let big = vec![b'x'; gongwen::serve::MAX_UPLOAD + 1];
    // The server answers 413 without reading it all; the client may see
    // the connection closed before it finished sending.
    match c.post_bytes("/api/import", &big) {
        Ok(r) => assert_eq!(r.status, 413),
        Err(e) => assert!(
            matches!(e, ureq::Error::Io(_)),
            "refused, not failed otherwise: {e}"
        ),
    }
    let id = c.create(json!({ "kind": "通知" }));
    let mut form = c.form(&id);
    form["values"]["body"] = json!("很长的正文。".repeat(400_000));
    let big = serde_json::to_vec(&json!({ "form": form, "known": [] })).unwrap();
    match c.post_bytes(&format!("/api/docs/{id}/preview"), &big) {
        Ok(r) => assert_eq!(r.status, 413),
        Err(e) => assert!(matches!(e, ureq::Error::Io(_)), "{e}"),
    }
    // Still serving.
    assert_eq!(c.get_json("/api/docs").0, 200);
}

#[test]
fn hostile_text_stays_text() {
    let server = Server::start(&[]);
    let c = server.client();
    let id = c.create(json!({ "kind": "通知" }));
    let mut form = c.form(&id);
    let hostile = "#read(\"/etc/passwd\") {{ x }} <script>alert(1)</script>";
    form["values"]["title"] = json!(format!("关于{hostile}的通知"));
    form["values"]["note"] = json!("{% include '/etc/passwd' %}");
    let (status, p) = c.post(
        &format!("/api/docs/{id}/preview"),
        &json!({ "form": form, "known": [] }),
    );
    assert_eq!(status, 200, "{p}");
    assert!(!p["pages"].as_array().unwrap().is_empty(), "{p}");
    assert!(
        p["notes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["error"] == false),
        "{p}"
    );
    let (status, v) = c.post(&format!("/api/docs/{id}/finalise"), &form);
    assert_eq!(status, 200, "{v}");
    let pdf = server.data.join("web.pdf");
    std::fs::write(&pdf, c.get(&format!("/api/docs/{id}/versions/1/pdf")).body).unwrap();
    let text: String = common::pdf_text(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("{{x}}"), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(!text.contains("root:"), "no file was read");
    // The list gives it back as data (JSON), the page puts it as text.
    let (_, docs) = c.get_json("/api/docs");
    assert_eq!(docs[0]["title"], json!(format!("关于{hostile}的通知")));
    let js = String::from_utf8(c.get("/static/app.js").body).unwrap();
    assert!(
        !js.contains("innerHTML"),
        "the page never parses HTML from data"
    );
    // A page the server writes itself escapes what it shows.
    assert_eq!(
        gongwen::serve::escape_html("<b a=\"1\">&'"),
        "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
    );
}

#[test]
fn a_word_draft_fills_the_form() {
    let server = Server::start(&[]);
    let c = server.client();
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let centred = |t: &str, size: u32| {
        format!(
            r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let right = |t: &str| {
        format!(r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#)
    };
    let body = [
        centred("青石县应急管理局关于开展汛前安全检查的通知", 44),
        p("各乡镇人民政府："),
        p("为做好汛前准备，现将有关事项通知如下。"),
        right("青石县应急管理局"),
        right("2024年5月20日"),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let docx = common::zip_parts(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        ("word/document.xml", &document),
    ]);
    let r = c.post_bytes("/api/import", &docx).expect("upload");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(
        v["form"]["values"]["title"],
        "青石县应急管理局关于开展汛前安全检查的通知"
    );
    assert_eq!(v["form"]["values"]["date"], "2024-05-20");
    assert!(v["form"]["values"]["body"]
        .as_str()
        .unwrap()
        .contains("汛前准备"));
    // Not a Word file: a message, not a failure.
    let r = c.post_bytes("/api/import", b"not a zip").expect("upload");
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["error"].as_str().is_some());
}

#[test]
fn pasted_word_text_is_cleaned() {
    let server = Server::start(&[]);
    let c = server.client();
    let (status, r) = c.post(
        "/api/clean",
        &json!({ "text": "各村 (居) ,要\u{B}认真\u{200B}落实。" }),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["text"], "各村（居），要认真落实。");
    assert!(!r["changes"].as_array().unwrap().is_empty());
}

#[test]
fn off_loopback_needs_accounts_and_sign_in() {
    // Listening beyond this machine without any account: refused at start.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = common::command()
        .args(["serve", "--listen", "0.0.0.0:0", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gongwen user add"), "{err}");
    assert!(out.stdout.is_empty(), "it never served");

    let add = |name: &str, role: &str, password: &str| {
        let mut child = common::command()
            .args(["user", "add", name, "--role", role, "--data"])
            .arg(&data)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    add("张三", "拟稿", "zhangsan-pass");
    add("王五", "管理", "wangwu-password");
    let bad = common::command()
        .args(["user", "add", "李四", "--role", "局长", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("拟稿、核稿、签发、管理"));

    let server = Server::start_in(&data, &["--accounts"]);
    let mut c = server.client();
    // Not signed in: the page goes to the sign-in, the API refuses.
    let r = c.get("/");
    assert_eq!(r.status, 303);
    assert_eq!(r.headers["location"], "/login");
    assert_eq!(c.get_json("/api/docs").0, 401);
    assert_eq!(c.post("/api/docs", &json!({ "kind": "通知" })).0, 401);
    // A wrong password, then the right one.
    let login = |c: &Client, name: &str, password: &str| {
        c.post_with(
            "/login",
            &json!({ "name": name, "password": password }),
            &[("X-CSRF-Token", &c.csrf.clone())],
        )
    };
    assert_eq!(login(&c, "张三", "wrong-password").status, 401);
    let ok = login(&c, "张三", "zhangsan-pass");
    assert_eq!(ok.status, 200);
    let set = ok.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    c.cookie = Some(set.split(';').next().unwrap().to_string());
    // The session has its own token; the sign-in page's one no longer works.
    let (_, s) = c.get_json("/api/session");
    assert_eq!(s["user"]["name"], "张三");
    assert_eq!(c.post("/api/docs", &json!({ "kind": "通知" })).0, 403);
    c.csrf = s["csrf"].as_str().unwrap().to_string();
    let id = c.create(json!({ "kind": "通知" }));
    // A cross-site POST with the session cookie is refused.
    let cross = c.post_with(
        "/api/docs",
        &json!({ "kind": "通知" }),
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(cross.status, 403);
    // 拟稿 may not take numbers nor read the audit log.
    let form = c.form(&id);
    let (status, r) = c.post(&format!("/api/docs/{id}/finalise"), &form);
    assert_eq!(status, 403, "{r}");
    assert!(r["error"].as_str().unwrap().contains("签发"));
    assert_eq!(c.get_json("/api/audit").0, 403);

    // Repeated failures are throttled, even with the right password.
    let mut d = server.client();
    for _ in 0..6 {
        login(&d, "王五", "not-the-password");
    }
    let r = login(&d, "王五", "wangwu-password");
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    // The audit log (read by 管理 in another session) names who did what.
    let server2 = Server::start_in(&data, &["--accounts"]);
    d = server2.client();
    let ok = login(&d, "王五", "wangwu-password");
    assert_eq!(ok.status, 200);
    d.cookie = Some(
        ok.headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string(),
    );
    let (status, log) = d.get_json("/api/audit");
    assert_eq!(status, 200, "{log}");
    let log = log.as_array().unwrap();
    assert!(log
        .iter()
        .any(|e| e["who"] == "张三" && e["action"] == "拟文"));
    assert!(log
        .iter()
        .any(|e| e["who"] == "王五" && e["action"] == "登录失败"));
}

// ---- the browser -------------------------------------------------------

/// A WebDriver session with headless Chromium, over plain HTTP.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// Starts chromedriver and a headless Chromium; `None` when the
    /// packages are not installed.
    pub(crate) fn start() -> Option<Browser> {
        let which = |name: &str| {
            std::process::Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        };
        let driver_bin = which("chromedriver")?;
        let chrome = which("chromium").or_else(|| which("chromium-browser"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = std::process::Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let base = format!("http://127.0.0.1:{port}");
        let agent = agent();
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
        };
        wait_for("chromedriver to start", || {
            b.agent
                .get(&format!("{}/status", b.base))
                .call()
                .ok()
                .filter(|r| r.status() == 200)
                .map(|_| ())
        });
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1400,1000",
                         "--lang=zh-CN"]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session").to_string();
        Some(b)
    }

    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let r = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let reply = Client::finish(r);
        let v = reply.json();
        assert!(
            reply.status == 200,
            "WebDriver {method} {path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        v["value"].clone()
    }

    pub(crate) fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    pub(crate) fn go(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    pub(crate) fn find(&self, css: &str) -> String {
        wait_for(&format!("element {css}"), || {
            let url = format!("{}{}", self.base, self.s("/element"));
            let r = self
                .agent
                .post(&url)
                .send_json(json!({ "using": "css selector", "value": css }))
                .ok()?;
            (r.status() == 200).then_some(())?;
            let v = Client::finish(Ok(r)).json();
            v["value"][ELEMENT].as_str().map(|_| ())
        });
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    pub(crate) fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &self.s(&format!("/element/{e}/click")), None);
    }

    /// Types into a field as a person would (after clearing it).
    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &self.s(&format!("/element/{e}/clear")), None);
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            Some(json!({ "text": text })),
        );
    }

    pub(crate) fn script(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": script, "args": args })),
        )
    }

    pub(crate) fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.call("GET", &self.s(&format!("/element/{e}/text")), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub(crate) fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let v = self.call("GET", &self.s("/screenshot"), None);
        std::fs::write(path, base64_decode(v.as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Waits until `check` succeeds; a bound on waiting, not a timed assertion.
pub(crate) fn wait_for(what: &str, mut check: impl FnMut() -> Option<()>) {
    let start = Instant::now();
    while check().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "waited two minutes for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = s.bytes().filter_map(val).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &d)| acc | (d as u32) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

#[test]
fn a_clerk_drafts_numbers_and_finds_the_notice_in_a_real_browser() {
    let Some(browser) = Browser::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs chromium and chromium-driver (.ci/run) for the browser test"
        );
        eprintln!("跳过浏览器测试：没有找到 chromium 和 chromedriver（apt-get install chromium chromium-driver）。");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seven_numbers_taken(&data);
    let server = Server::start_in(&data, &[]);
    let shots = std::env::temp_dir().join("gongwen-serve-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    eprintln!("工作台截图：{}", shots.display());

    browser.go(&format!("{}/", server.base));
    browser.find("button.kind[data-kind='通知']");
    browser.screenshot(&shots.join("1-文稿.png"));
    browser.click("button.kind[data-kind='通知']");
    wait_for("the draft page", || {
        browser.url().contains("/draft/").then_some(())
    });

    // The seed-000 notice, field by field: typed where short, set (as a
    // paste would) where long.
    let form = seed_form();
    let values = form["values"].as_object().unwrap();
    browser.find("#f-title");
    browser.type_into("#f-title", values["title"].as_str().unwrap());
    browser.click("#f-number-mode-auto");
    browser.type_into("#f-number-code", "千街发");
    browser.type_into("#f-number-year", "2019");
    for (key, value) in values {
        if key == "title" || key.starts_with("number.") || key == "kind" {
            continue;
        }
        let id = format!("f-{}", key.replace('.', "-"));
        browser.script(
            "const e = document.getElementById(arguments[0]);
             if (!e) throw new Error('no field ' + arguments[0]);
             if (e.type === 'checkbox') e.checked = arguments[1] === 'true'; else e.value = arguments[1];
             e.dispatchEvent(new Event(e.tagName === 'SELECT' || e.type === 'checkbox' ? 'change' : 'input'));",
            json!([id, value]),
        );
    }
    browser.script(
        "const e = document.getElementById('f-rest'); e.value = arguments[0];
         e.dispatchEvent(new Event('input'));",
        json!([form["rest"]]),
    );
    // The preview appears: every page drawn.
    let pages_ready = "const imgs = [...document.querySelectorAll('#pages img.page')];
         return !document.getElementById('pages').classList.contains('stale')
           && document.getElementById('status').classList.contains('ok')
           && imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0;";
    wait_for("the preview", || {
        (browser.script(pages_ready, json!([])).as_u64() > Some(0)).then_some(())
    });
    let pages = browser.script(pages_ready, json!([])).as_u64().unwrap();
    assert!(
        pages >= 10,
        "the seed document and its 签批单: {pages} pages"
    );
    assert_eq!(
        browser.text("#number-shown"),
        "发文字号：千街发〔2019〕 号",
        "a draft shows no sequence"
    );
    browser.screenshot(&shots.join("2-拟文预览.png"));

    // A wrong number is shown at its field, then corrected.
    browser.click("#f-number-mode-fixed");
    browser.type_into("#f-number-text", "千街发[2019]8号");
    wait_for("the field error", || {
        browser
            .script(
                "const e = document.querySelector('.errors[data-field=number] .msg.err');
                 return e ? e.textContent : '';",
                json!([]),
            )
            .as_str()
            .filter(|t| t.contains("六角括号"))
            .map(|_| ())
    });
    browser.screenshot(&shots.join("3-字段错误.png"));
    browser.click("#f-number-mode-auto");
    wait_for("the preview again", || {
        (browser.script(pages_ready, json!([])).as_u64() > Some(0)).then_some(())
    });

    // 取号并生成: the 8th number, after the seven the office had.
    browser.click("#finalise");
    wait_for("the version", || {
        browser
            .script(
                "const e = document.querySelector('#versions li .vnum'); return e ? e.textContent : '';",
                json!([]),
            )
            .as_str()
            .filter(|t| !t.is_empty())
            .map(|_| ())
    });
    assert_eq!(browser.text("#versions li .vnum"), "千街发〔2019〕8号");
    browser.screenshot(&shots.join("4-取号并生成.png"));
    let href = browser
        .script(
            "return document.querySelector('#versions li a.download').getAttribute('href');",
            json!([]),
        )
        .as_str()
        .unwrap()
        .to_string();
    let c = server.client();
    let pdf = c.get(&href);
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));

    // The register page lists it.
    browser.go(&format!("{}/register", server.base));
    wait_for("the register rows", || {
        browser
            .script(
                "return document.querySelectorAll('#reg-rows tr').length;",
                json!([]),
            )
            .as_u64()
            .filter(|n| *n >= 8)
            .map(|_| ())
    });
    let rows = browser.text("#reg-rows");
    assert!(rows.contains("千街发〔2019〕8号"), "{rows}");
    assert!(rows.contains("千泉街道办事处关于印发"), "{rows}");
    browser.type_into("#reg-q", "千泉");
    browser.click("#reg-search");
    wait_for("the search", || {
        browser
            .script(
                "return document.querySelectorAll('#reg-rows tr').length;",
                json!([]),
            )
            .as_u64()
            .filter(|n| *n == 1)
            .map(|_| ())
    });
    browser.screenshot(&shots.join("5-登记簿.png"));
}
