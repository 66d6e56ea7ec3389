//! `gongwen serve`: the web workbench (issue 16) — a form for each 文种
//! with live preview, 取号并生成 through the office's one register, the
//! 登记簿, and accounts when it listens beyond this machine.
//!
//! A new door in the sense of ARCHITECTURE.md: the form becomes YAML
//! (`form`), read by `SourceFile` like a file, and goes through
//! `render::prepare_notice` and `render::render_prepared` like `render
//! --register` (`desk`). Typst work runs on a bounded blocking pool; a full
//! queue answers 503 at once, a form too large for one request 413 before
//! any typesetting. The pages (`templates/web/`) are compiled into
//! the program: vanilla JavaScript that builds the page with `textContent`,
//! never HTML from strings.

pub mod accounts;
mod archiving;
pub mod backup;
pub mod campaign;
pub mod desk;
pub mod form;
mod ledgers;
pub mod preview;
mod units;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Semaphore;

use accounts::{Accounts, Role, Sessions, User};
use desk::{Desk, FormDoc};

use crate::error::{Error, Result};
use crate::model::number::DocNumber;
use crate::register::{Register, Status};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data: PathBuf,
    /// Require sign-in even on loopback (`--accounts`).
    pub accounts: bool,
    /// Documents typeset at once.
    pub workers: usize,
    /// Requests that may wait for a worker; more are refused (503).
    pub queue: usize,
    /// The longest a request waits for its typesetting.
    pub timeout: Duration,
}

impl Config {
    pub fn new(listen: SocketAddr, data: PathBuf) -> Config {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            listen,
            data,
            accounts: false,
            workers: cores.clamp(1, 4),
            queue: 32,
            timeout: Duration::from_secs(60),
        }
    }
}

/// The largest request body (a form); uploads have their own.
const MAX_BODY: usize = 4_000_000;
/// The largest Word draft uploaded.
pub const MAX_UPLOAD: usize = 20_000_000;

struct App {
    desk: Desk,
    campaigns: campaign::Campaigns,
    accounts: Accounts,
    sessions: Sessions,
    /// Sign-in required (off loopback, or `--accounts`).
    signed: bool,
    /// The CSRF token of pages without a session (loopback use, sign-in).
    public_csrf: String,
    listen: SocketAddr,
    queue: Semaphore,
    work: Arc<Semaphore>,
    timeout: Duration,
}

/// Checks the data folder and the listening address, then serves until
/// Ctrl-C or SIGTERM; `ready` is told the address once it listens.
pub fn run(desk: Desk, config: Config, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let accounts = Accounts::open(&desk.data)?;
    let campaigns = campaign::Campaigns::open(&desk.data)?;
    let signed = config.accounts || !config.listen.ip().is_loopback();
    if signed && accounts.is_empty()? {
        return Err(Error::other(format!(
            "在 {} 上监听会让局域网里的其他电脑访问，必须先建立账户：gongwen user add 姓名 --role 管理 --data {}（角色：{}）。只在本机使用时用 --listen 127.0.0.1:8090，不需要账户。",
            config.listen,
            config.data.display(),
            accounts::ROLES
        )));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(config.workers + 4)
        .enable_all()
        .build()
        .map_err(|e| Error::other(format!("启动失败：{e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| {
                Error::other(format!(
                    "无法在 {} 上监听：{}。端口可能已被占用，换一个端口（如 --listen 127.0.0.1:8091）再试。",
                    config.listen,
                    crate::guard::io_reason(&e)
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::other(format!("启动失败：{e}")))?;
        let app = Arc::new(App {
            desk,
            campaigns,
            accounts,
            sessions: Sessions::default(),
            signed,
            public_csrf: accounts::token(),
            listen: addr,
            queue: Semaphore::new(config.workers + config.queue),
            work: Arc::new(Semaphore::new(config.workers)),
            timeout: config.timeout,
        });
        ready(addr);
        axum::serve(
            listener,
            router(app).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped())
        .await
        .map_err(|e| Error::other(format!("服务出错：{e}")))
    })
    // Dropping the runtime waits for typesetting still running: a number
    // being taken is committed (or not) before the process ends.
}

async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

type Shared = Arc<App>;

fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(shell))
        .route("/draft/{id}", get(shell))
        .route("/register", get(shell))
        .route("/audit", get(shell))
        .route("/campaigns", get(shell))
        .route("/campaigns/{id}", get(shell))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/static/{name}", get(asset))
        .route("/api/session", get(session))
        .route("/api/docs", get(list_docs).post(new_doc))
        .route("/api/docs/{id}", get(open_doc))
        .route("/api/docs/{id}/preview", post(preview))
        .route("/api/docs/{id}/finalise", post(finalise))
        .route("/api/docs/{id}/yaml", get(download_yaml))
        .route(
            "/api/docs/{id}/seal",
            get(seal_image)
                .post(seal_upload)
                .delete(seal_remove)
                .layer(DefaultBodyLimit::max(desk::MAX_SEAL_BYTES + 1)),
        )
        .route("/api/docs/{id}/versions/{n}/pdf", get(download_pdf))
        .route(
            "/api/import",
            post(import_docx).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/api/page/{hash}", get(page_png))
        .route("/api/clean", post(clean))
        .route("/api/register", get(register_list))
        .route("/api/register/void", post(register_void))
        .route("/api/register/reserve", post(register_reserve))
        .route("/api/register/export.csv", get(register_csv))
        .route("/api/register/export.pdf", get(register_pdf))
        .route("/api/audit", get(audit_log))
        .route(
            "/api/campaigns",
            get(units::list)
                .post(units::create)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD * 2)),
        )
        .route("/api/campaigns/{id}", get(units::show))
        .route("/api/campaigns/{id}/zip", get(units::zip))
        .route("/api/campaigns/{id}/data.csv", get(units::data_csv))
        .route("/api/campaigns/{id}/units/{no}/pdf", get(units::office_pdf))
        .route("/api/campaigns/{id}/units/{no}/{what}", post(units::relink))
        .route(
            "/api/campaigns/{id}/ledgers/{kind}/{month}",
            get(ledgers::office_status),
        )
        .route(
            "/api/campaigns/{id}/ledgers/{kind}/{month}/pdf",
            get(ledgers::office_pdf),
        )
        .route("/api/campaigns/{id}/summary", get(ledgers::office_summary))
        .route(
            "/api/campaigns/{id}/summary/preview",
            post(ledgers::office_summary_preview),
        )
        .route(
            "/u/{token}/api/ledger/{kind}/{month}",
            get(ledgers::unit_get).post(ledgers::unit_file),
        )
        .route(
            "/u/{token}/api/ledger/{kind}/{month}/upload",
            post(ledgers::unit_upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/api/archive", post(archiving::make))
        .route("/api/archive/{name}", get(archiving::download))
        .route("/u/{token}", get(units::unit_page))
        .route("/u/{token}/api/form", get(units::unit_form))
        .route("/u/{token}/api/save", post(units::unit_save))
        .route("/u/{token}/api/preview", post(units::unit_preview))
        .route("/u/{token}/api/generate", post(units::unit_generate))
        .route("/u/{token}/pdf", get(units::unit_pdf))
        .route("/u/{token}/page/{hash}", get(units::unit_page_png))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .fallback(not_found)
        .with_state(app)
}

// ---- answers ----------------------------------------------------------

/// A refusal or failure, as JSON for the page's scripts, or as a small
/// page when a person opened the address.
struct Fail {
    status: StatusCode,
    message: String,
    notes: Vec<desk::Note>,
}

impl Fail {
    fn new(status: StatusCode, message: impl Into<String>) -> Fail {
        Fail {
            status,
            message: message.into(),
            notes: Vec::new(),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        let status = match &e {
            Error::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Other(m)
                if m.starts_with("没有这份文稿")
                    || m.starts_with("没有这次填报")
                    || m.starts_with("这次填报里没有") =>
            {
                StatusCode::NOT_FOUND
            }
            Error::Other(m) if m.starts_with("这份文稿太大") => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Other(m) if m.starts_with("没有这份文稿的印章") => {
                StatusCode::NOT_FOUND
            }
            Error::Other(_) => StatusCode::CONFLICT,
        };
        let message = match &e {
            Error::Input(d) => format!(
                "有 {} 处需要修改，见各栏下的红字。",
                d.iter().filter(|d| d.is_error()).count()
            ),
            Error::Other(m) => m.clone(),
        };
        Fail {
            status,
            message,
            notes: desk::notes(&e),
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let mut r = Json(json!({ "error": self.message, "notes": self.notes })).into_response();
        *r.status_mut() = self.status;
        r
    }
}

type Answer<T> = std::result::Result<T, Fail>;

/// A small page in Chinese for a person (busy, refused, not found).
fn plain_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{t}</title>\
         <link rel=\"stylesheet\" href=\"/static/app.css\"><body class=\"plain\"><main class=\"card\">\
         <h1>{t}</h1><p>{x}</p><p><a href=\"/\">返回工作台</a></p></main></body></html>",
        t = escape_html(title),
        x = escape_html(text)
    );
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Escapes text for HTML (the one escape of
/// [`crate::output::escape_markup`]).
pub fn escape_html(s: &str) -> String {
    crate::output::escape_markup(s)
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

fn busy(headers: &HeaderMap) -> Response {
    const MSG: &str = "排版的人太多，服务器正忙。请稍等几秒再试；您填写的内容不会丢失。";
    if wants_html(headers) {
        plain_page(StatusCode::SERVICE_UNAVAILABLE, "服务器正忙", MSG)
    } else {
        let mut r = Fail::new(StatusCode::SERVICE_UNAVAILABLE, MSG).into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        r
    }
}

async fn not_found(headers: HeaderMap) -> Response {
    if wants_html(&headers) {
        plain_page(StatusCode::NOT_FOUND, "没有这个页面", "地址可能输错了。")
    } else {
        Fail::new(StatusCode::NOT_FOUND, "没有这个地址。").into_response()
    }
}

fn file_download(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

// ---- who is asking ----------------------------------------------------

const COOKIE: &str = "gongwen_session";

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The machine's own user, on loopback without accounts.
fn local_user() -> User {
    User {
        name: "本机".to_string(),
        role: Role::Admin,
    }
}

impl App {
    /// Loopback use answers only to addresses naming this machine, so a
    /// web page elsewhere cannot reach it through a name it controls.
    fn host_ok(&self, headers: &HeaderMap) -> bool {
        if self.signed {
            return true;
        }
        let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let name = match host.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
            _ => host,
        };
        matches!(name, "localhost" | "127.0.0.1" | "[::1]") || name.starts_with("127.")
    }

    /// The person behind a request, if allowed `need`.
    fn user(&self, headers: &HeaderMap, need: Role) -> Answer<User> {
        if !self.host_ok(headers) {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                "请用 http://127.0.0.1 开头的地址打开工作台。",
            ));
        }
        let user = if self.signed {
            let session = cookie(headers).and_then(|t| self.sessions.get(&t));
            match session {
                Some(s) => s.user,
                None => {
                    return Err(Fail::new(
                        StatusCode::UNAUTHORIZED,
                        "请先登录（登录已过期或尚未登录）。",
                    ))
                }
            }
        } else {
            local_user()
        };
        if user.role < need {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                format!(
                    "您的角色是“{}”，这一步需要“{}”或更高的角色。请找管理员。",
                    user.role.label(),
                    need.label()
                ),
            ));
        }
        Ok(user)
    }

    /// A change: also needs the page's CSRF token in `X-CSRF-Token`, and
    /// is refused when the browser says it comes from another site.
    fn changer(&self, headers: &HeaderMap, need: Role) -> Answer<User> {
        if foreign(headers) {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                "拒绝了来自其他网站的请求。请直接在工作台页面上操作。",
            ));
        }
        let user = self.user(headers, need)?;
        let given = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let want = if self.signed {
            cookie(headers)
                .and_then(|t| self.sessions.get(&t))
                .map(|s| s.csrf)
                .unwrap_or_default()
        } else {
            self.public_csrf.clone()
        };
        if want.is_empty() || !same(given, &want) {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                "页面已过期（缺少或不符的校验码）。请刷新页面后再操作。",
            ));
        }
        Ok(user)
    }

    /// Runs typesetting on the blocking pool: refused at once when the
    /// queue is full, given up (not stopped: Typst has no way to cancel)
    /// after the timeout. What one request may lay out is bounded before
    /// it gets here (`form::over_budget`), so a worker is held for
    /// seconds, not for as long as a hostile draft would take.
    async fn typeset<T: Send + 'static>(
        self: &Arc<Self>,
        headers: &HeaderMap,
        work: impl FnOnce(&App) -> T + Send + 'static,
    ) -> std::result::Result<T, Response> {
        let Ok(place) = self.queue.try_acquire() else {
            return Err(busy(headers));
        };
        let permit =
            match tokio::time::timeout(self.timeout, self.work.clone().acquire_owned()).await {
                Ok(Ok(p)) => p,
                _ => return Err(busy(headers)),
            };
        drop(place);
        let app = self.clone();
        let job = tokio::task::spawn_blocking(move || {
            let out = work(&app);
            drop(permit);
            out
        });
        match tokio::time::timeout(self.timeout, job).await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(_)) => Err(Fail::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "排版时出了内部错误。请把这份文稿的 YAML 下载下来，报告给维护人员。",
            )
            .into_response()),
            Err(_) => Err(Fail::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "排版超过了 {} 秒还没有完成，已放弃等待。请把过长的表格或正文分成附件后再试。",
                    self.timeout.as_secs()
                ),
            )
            .into_response()),
        }
    }
}

/// A request the browser says comes from another site (or whose Origin
/// is not this server).
fn foreign(headers: &HeaderMap) -> bool {
    let cross = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == "cross-site" || s == "same-site");
    let origin_ok = match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            origin
                .strip_prefix("http://")
                .or(origin.strip_prefix("https://"))
                == Some(host)
        }
        (Some(_), None) => false,
        (None, _) => true,
    };
    cross || !origin_ok
}

/// Compares tokens in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A file download recorded in the audit log: who downloaded what, from where.
fn audited_download(
    app: &App,
    who: &str,
    addr: &SocketAddr,
    what: &str,
    bytes: Vec<u8>,
    mime: &'static str,
    file: &str,
) -> Response {
    app.accounts.audit(who, "下载", what, &from(addr));
    file_download(bytes, mime, file)
}

fn from(addr: &SocketAddr) -> String {
    addr.ip().to_string()
}

// ---- pages ------------------------------------------------------------

const INDEX_HTML: &str = include_str!("../../templates/web/index.html");
const LOGIN_HTML: &str = include_str!("../../templates/web/login.html");
const APP_JS: &str = include_str!("../../templates/web/app.js");
const APP_CSS: &str = include_str!("../../templates/web/app.css");
const UNIT_JS: &str = include_str!("../../templates/web/unit.js");
const DOM_JS: &str = include_str!("../../templates/web/dom.js");
/// The office's quarterly summary section (campaign page), beside app.js.
const SUMMARY_JS: &str = include_str!("../../templates/web/summary.js");

fn html(text: &'static str) -> Response {
    let mut r = text.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure_headers(h);
    r
}

fn secure_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

async fn shell(State(app): State<Shared>, headers: HeaderMap) -> Response {
    match app.user(&headers, Role::Drafter) {
        Ok(_) => html(INDEX_HTML),
        Err(f) if f.status == StatusCode::UNAUTHORIZED => {
            let mut r = StatusCode::SEE_OTHER.into_response();
            r.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/login"));
            r
        }
        Err(f) => plain_page(f.status, "不能打开", &f.message),
    }
}

async fn login_page(State(app): State<Shared>) -> Response {
    if !app.signed {
        let mut r = StatusCode::SEE_OTHER.into_response();
        r.headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
        return r;
    }
    html(LOGIN_HTML)
}

async fn asset(UrlPath(name): UrlPath<String>) -> Response {
    let (body, mime) = match name.as_str() {
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "unit.js" => (UNIT_JS, "text/javascript; charset=utf-8"),
        "dom.js" => (DOM_JS, "text/javascript; charset=utf-8"),
        "summary.js" => (SUMMARY_JS, "text/javascript; charset=utf-8"),
        _ => return Fail::new(StatusCode::NOT_FOUND, "没有这个文件。").into_response(),
    };
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

// ---- session ----------------------------------------------------------

async fn session(State(app): State<Shared>, headers: HeaderMap) -> Answer<Response> {
    if !app.host_ok(&headers) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            "请用 http://127.0.0.1 开头的地址打开工作台。",
        ));
    }
    let (user, csrf) = if app.signed {
        match cookie(&headers).and_then(|t| app.sessions.get(&t)) {
            Some(s) => (Some(s.user), s.csrf),
            None => (None, app.public_csrf.clone()),
        }
    } else {
        (Some(local_user()), app.public_csrf.clone())
    };
    let mut r = Json(json!({
        "user": user,
        "role": user_role_label(&user),
        "signed": app.signed,
        "csrf": csrf,
        "kinds": crate::model::notice::KINDS,
        "fields": form::FIELDS,
        "listen": app.listen.to_string(),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

fn user_role_label(user: &Option<User>) -> &'static str {
    user.as_ref().map_or("", |u| u.role.label())
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
}

async fn login(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(form): Json<LoginForm>,
) -> Answer<Response> {
    let cross = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == "cross-site" || s == "same-site");
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if cross || !same(token, &app.public_csrf) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            "页面已过期（缺少或不符的校验码）。请刷新登录页后再试。",
        ));
    }
    let ip = from(&addr);
    if let Some(wait) = app.sessions.wait(&form.name, &ip) {
        let secs = wait.as_secs().max(1);
        let at = chrono::Local::now() + chrono::Duration::seconds(secs as i64);
        return Err(Fail::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "“{}”的密码输错的次数太多，已暂停登录。请在 {} 以后（约 {} 秒后）再试；忘了密码请找管理员重设。",
                form.name.trim(),
                at.format("%H:%M:%S"),
                secs
            ),
        ));
    }
    let (name, password) = (form.name.clone(), form.password.clone());
    let verified = tokio::task::spawn_blocking({
        let app = app.clone();
        move || app.accounts.verify(&name, &password)
    })
    .await
    .map_err(|_| Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "内部错误：登录"))??;
    let Some(user) = verified else {
        app.sessions.failed(&form.name, &ip);
        app.accounts.audit(form.name.trim(), "登录失败", "", &ip);
        return Err(Fail::new(StatusCode::UNAUTHORIZED, "姓名或密码不对。"));
    };
    app.sessions.succeeded(&user.name);
    app.accounts.audit(&user.name, "登录", "", &ip);
    let (token, _) = app.sessions.start(user);
    let mut r = Json(json!({ "ok": true })).into_response();
    let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

async fn logout(State(app): State<Shared>, headers: HeaderMap) -> Answer<Response> {
    let user = app.changer(&headers, Role::Drafter)?;
    if let Some(t) = cookie(&headers) {
        app.sessions.end(&t);
    }
    app.accounts.audit(&user.name, "退出", "", "");
    let mut r = Json(json!({ "ok": true })).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("gongwen_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(r)
}

// ---- documents --------------------------------------------------------

async fn list_docs(State(app): State<Shared>, headers: HeaderMap) -> Answer<Response> {
    app.user(&headers, Role::Drafter)?;
    Ok(Json(app.desk.list()?).into_response())
}

/// A new document: of a 文种 (its scaffold), or from a YAML file.
#[derive(Deserialize)]
struct NewDoc {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    yaml: Option<String>,
}

async fn new_doc(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<NewDoc>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Drafter)?;
    let (id, what) = match &req.yaml {
        Some(yaml) => {
            // It must read as a document the form can hold.
            form::from_yaml(yaml).map_err(|m| {
                Fail::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("这个文件不是 gongwen 的公文 YAML：{m}"),
                )
            })?;
            (app.desk.create(yaml)?, "打开 YAML 文件".to_string())
        }
        None => (app.desk.create_kind(&req.kind)?, req.kind.clone()),
    };
    app.accounts.audit(
        &user.name,
        "拟文",
        &format!("新建文稿 {id}（{what}）"),
        &from(&addr),
    );
    Ok(Json(json!({ "id": id })).into_response())
}

async fn open_doc(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Drafter)?;
    Ok(Json(app.desk.open_doc(&id)?).into_response())
}

#[derive(Deserialize)]
struct PreviewReq {
    form: FormDoc,
    #[serde(default)]
    known: Vec<String>,
}

async fn preview(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Json(req): Json<PreviewReq>,
) -> Response {
    if let Err(f) = app.changer(&headers, Role::Drafter) {
        return f.into_response();
    }
    let known: Vec<String> = req.known.into_iter().take(1000).collect();
    match app
        .typeset(&headers, move |app| {
            app.desk.preview(&id, &req.form, &known)
        })
        .await
    {
        Ok(Ok(p)) => Json(p).into_response(),
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

async fn finalise(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Json(form): Json<FormDoc>,
) -> Response {
    let user = match app.changer(&headers, Role::Signer) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let by = user.name.clone();
    let doc = id.clone();
    match app
        .typeset(&headers, move |app| app.desk.finalise(&doc, &form, &by))
        .await
    {
        Ok(Ok(v)) => {
            app.accounts.audit(
                &user.name,
                "取号并生成",
                &format!(
                    "文稿 {id} 第 {} 版，{}",
                    v.n,
                    v.number.as_deref().unwrap_or("无发文字号")
                ),
                &from(&addr),
            );
            Json(v).into_response()
        }
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

async fn download_yaml(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    let user = app.user(&headers, Role::Drafter)?;
    let yaml = app.desk.yaml(&id)?;
    app.accounts.audit(
        &user.name,
        "下载",
        &format!("文稿 {id} 的 YAML"),
        &from(&addr),
    );
    Ok(file_download(
        yaml.into_bytes(),
        "application/yaml; charset=utf-8",
        &format!("文稿{id}.yaml"),
    ))
}

#[derive(Deserialize)]
struct PdfQuery {
    #[serde(default)]
    approval: Option<String>,
}

async fn download_pdf(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((id, n)): UrlPath<(String, u32)>,
    Query(q): Query<PdfQuery>,
) -> Answer<Response> {
    let user = app.user(&headers, Role::Drafter)?;
    let approval = q.approval.as_deref().is_some_and(|a| a == "1");
    let (bytes, name) = app.desk.version_pdf(&id, n, approval)?;
    Ok(audited_download(
        &app,
        &user.name,
        &addr,
        &format!("文稿 {id} 第 {n} 版 {name}"),
        bytes,
        "application/pdf",
        &name,
    ))
}

/// Which document a Word draft is imported into (its seal is kept there).
#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    doc: Option<String>,
}

async fn import_docx(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Response {
    let user = match app.changer(&headers, Role::Drafter) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let size = body.len();
    match app
        .typeset(&headers, move |app| {
            app.desk.import_docx(&body, q.doc.as_deref())
        })
        .await
    {
        Ok(Ok((form, report))) => {
            app.accounts.audit(
                &user.name,
                "拟文",
                &format!("导入 Word 草稿（{}）", crate::guard::size_text(size)),
                &from(&addr),
            );
            Json(json!({
                "form": form,
                "found": report.found,
                "unsure": report.unsure,
                "changes": report.changes,
            }))
            .into_response()
        }
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

async fn seal_upload(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> Response {
    let user = match app.changer(&headers, Role::Drafter) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    if body.len() > desk::MAX_SEAL_BYTES {
        return Fail::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "印章图片有 {}，超过了 {} 的上限。印章图片 1000–2000 像素见方的 PNG 就足够清晰，请缩小后再上传。",
                crate::guard::size_text(body.len()),
                crate::guard::size_text(desk::MAX_SEAL_BYTES)
            ),
        )
        .into_response();
    }
    let doc = id.clone();
    match app
        .typeset(&headers, move |app| app.desk.put_seal(&doc, &body))
        .await
    {
        Ok(Ok(name)) => {
            app.accounts.audit(
                &user.name,
                "拟文",
                &format!("文稿 {id} 上传印章图片"),
                &from(&addr),
            );
            Json(json!({ "seal": name })).into_response()
        }
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

async fn seal_image(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Drafter)?;
    let (bytes, mime) = app.desk.seal(&id)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn seal_remove(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Drafter)?;
    app.desk.remove_seal(&id)?;
    app.accounts.audit(
        &user.name,
        "拟文",
        &format!("文稿 {id} 去掉印章图片"),
        &from(&addr),
    );
    Ok(Json(json!({ "ok": true })).into_response())
}

async fn page_png(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(hash): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Drafter)?;
    let hash = hash.trim_end_matches(".png");
    let Some(png) = app.desk.pages.get(hash) else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            "这一页的预览已过期，请刷新预览。",
        ));
    };
    Ok(png_page(png.as_ref().clone()))
}

/// A preview page as a response: a page's name is the hash of its content,
/// so it never changes and may be cached.
pub(crate) fn png_page(png: Vec<u8>) -> Response {
    let mut r = png.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400, immutable"),
    );
    r
}

#[derive(Deserialize)]
struct CleanReq {
    text: String,
    #[serde(default)]
    title: bool,
}

async fn clean(
    State(app): State<Shared>,
    headers: HeaderMap,
    Json(req): Json<CleanReq>,
) -> Answer<Response> {
    app.changer(&headers, Role::Drafter)?;
    let (text, changes) = form::clean_pasted(&req.text, req.title);
    Ok(Json(json!({ "text": text, "changes": changes })).into_response())
}

// ---- register ---------------------------------------------------------

#[derive(Deserialize, Default)]
struct RegisterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    year: Option<String>,
}

impl RegisterQuery {
    fn year(&self) -> Option<i32> {
        self.year.as_deref().and_then(|y| y.trim().parse().ok())
    }
}

fn register_entries(app: &App, q: &RegisterQuery) -> Result<Vec<crate::register::Entry>> {
    if !app.desk.register.is_file() {
        return Ok(Vec::new());
    }
    let reg = Register::open_read_only(&app.desk.register)?;
    let needle = q.q.trim();
    Ok(reg
        .list(None, q.year())?
        .into_iter()
        .filter(|e| {
            needle.is_empty()
                || e.number().display().contains(needle)
                || e.doc.title.contains(needle)
                || e.note.contains(needle)
                || e.doc.drafter.contains(needle)
        })
        .collect())
}

async fn register_list(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<RegisterQuery>,
) -> Answer<Response> {
    app.user(&headers, Role::Checker)?;
    let entries = register_entries(&app, &q)?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "number": e.number().display(),
                "status": e.status.label(),
                "void": e.status == Status::Void,
                "title": e.doc.title,
                "kind": e.doc.kind,
                "date": e.doc.date,
                "drafter": e.doc.drafter,
                "note": e.note,
                "created": e.created,
            })
        })
        .collect();
    Ok(Json(rows).into_response())
}

#[derive(Deserialize)]
struct VoidReq {
    number: String,
    reason: String,
}

async fn register_void(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<VoidReq>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Admin)?;
    let n = DocNumber::parse(&req.number).map_err(Error::Other)?;
    let reason = req.reason.trim().to_string();
    if reason.is_empty() {
        return Err(Fail::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "作废要写明原因。",
        ));
    }
    let path = app.desk.register.clone();
    let (n2, r2) = (n.clone(), reason.clone());
    tokio::task::spawn_blocking(move || Register::open(&path)?.void(&n2, &r2))
        .await
        .map_err(|_| Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "内部错误：作废"))??;
    app.accounts.audit(
        &user.name,
        "作废",
        &format!("{}（{reason}）", n.display()),
        &from(&addr),
    );
    Ok(Json(json!({ "ok": true, "number": n.display() })).into_response())
}

#[derive(Deserialize)]
struct ReserveReq {
    code: String,
    year: i32,
    #[serde(default)]
    note: String,
}

async fn register_reserve(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<ReserveReq>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Admin)?;
    let code = req.code.trim().to_string();
    DocNumber::parse(&format!("{code}〔{}〕1号", req.year)).map_err(Error::Other)?;
    let path = app.desk.register.clone();
    let (c, y, note) = (code.clone(), req.year, req.note.trim().to_string());
    let seq = tokio::task::spawn_blocking(move || {
        let (mut reg, _) = Register::open_or_create(&path)?;
        reg.take(&c, y, Status::Reserved, &note, |_| Ok(None))
    })
    .await
    .map_err(|_| Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "内部错误：预留"))??;
    let n = DocNumber {
        code,
        year: req.year,
        seq: Some(seq),
    }
    .display();
    app.accounts.audit(&user.name, "预留", &n, &from(&addr));
    Ok(Json(json!({ "ok": true, "number": n })).into_response())
}

async fn register_csv(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<RegisterQuery>,
) -> Answer<Response> {
    let user = app.user(&headers, Role::Checker)?;
    let entries = register_entries(&app, &q)?;
    let bytes = crate::reports::register_book::csv(&entries)?;
    app.accounts
        .audit(&user.name, "下载", "发文登记簿 CSV", &from(&addr));
    Ok(file_download(
        bytes,
        "text/csv; charset=utf-8",
        "发文登记簿.csv",
    ))
}

async fn register_pdf(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<RegisterQuery>,
) -> Response {
    let user = match app.user(&headers, Role::Checker) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let year = q
        .year()
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Local::now().date_naive()));
    let q = RegisterQuery {
        q: q.q,
        year: Some(year.to_string()),
    };
    let done = app
        .typeset(&headers, move |app| {
            let entries = register_entries(app, &q)?;
            crate::reports::register_book::pdf(&app.desk.engine, &entries, year, None)
        })
        .await;
    match done {
        Ok(Ok(bytes)) => audited_download(
            &app,
            &user.name,
            &addr,
            &format!("{year}年发文登记簿 PDF"),
            bytes,
            "application/pdf",
            &format!("{year}年发文登记簿.pdf"),
        ),
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

async fn audit_log(State(app): State<Shared>, headers: HeaderMap) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    Ok(Json(app.accounts.audit_log(500)?).into_response())
}
