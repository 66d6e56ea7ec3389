//! The HTTP side of plan campaigns (`campaign`): the office's pages (管理
//! role, or this machine on loopback) and each unit's pages under its
//! secret link `/u/<token>/…`. A unit's requests name no campaign and no
//! unit: the token alone says which unit, so one unit has no way to ask
//! for another's data.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::accounts::Role;
use super::campaign::{self, Campaigns, UnitKey};
use super::{
    audited_download, file_download, foreign, from, html, plain_page, Answer, Fail, Shared,
};

const UNIT_HTML: &str = include_str!("../../templates/web/unit.html");

// ---- the office -------------------------------------------------------

pub async fn list(State(app): State<Shared>, headers: HeaderMap) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    let list = blocking(move || app.campaigns.list()).await?;
    Ok(Json(list).into_response())
}

#[derive(Deserialize)]
pub struct NewCampaign {
    plan_name: String,
    plan: String,
    #[serde(default)]
    template_name: Option<String>,
    #[serde(default)]
    template: Option<String>,
    units_name: String,
    /// The unit list file, base64.
    units: String,
    #[serde(default)]
    title: Option<String>,
}

pub async fn create(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<NewCampaign>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Admin)?;
    let bytes = base64_decode(&req.units).ok_or_else(|| {
        Fail::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "单位名单没有传全，请重新选择文件后再发布。",
        )
    })?;
    let by = user.name.clone();
    let a = app.clone();
    let (id, links) = blocking(move || {
        let template = match (&req.template_name, &req.template) {
            (Some(n), Some(t)) if !t.is_empty() => Some((n.as_str(), t.as_str())),
            _ => None,
        };
        a.campaigns.create(
            &campaign::Publish {
                plan_name: &req.plan_name,
                plan_text: &req.plan,
                template,
                units_name: &req.units_name,
                units_bytes: &bytes,
                title: req.title.as_deref(),
            },
            &by,
        )
    })
    .await?;
    app.accounts.audit(
        &user.name,
        "发布填报",
        &format!("填报 {id}（{} 个单位）", links.len()),
        &from(&addr),
    );
    Ok(Json(json!({ "id": id, "links": links })).into_response())
}

pub async fn show(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    let (c, rows) = blocking(move || app.campaigns.rows(&id)).await?;
    let done = rows.iter().filter(|r| r.status == "已生成").count();
    let filled = rows.iter().filter(|r| r.status != "未填").count();
    Ok(Json(json!({
        "id": c.id,
        "title": c.title,
        "created": c.created,
        "by": c.by,
        "plan": c.plan,
        "fields": c.fields,
        "units": rows,
        "filled": filled,
        "generated": done,
    }))
    .into_response())
}

pub async fn relink(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((id, no, what)): UrlPath<(String, u32, String)>,
) -> Answer<Response> {
    let user = app.changer(&headers, Role::Admin)?;
    let revoke = match what.as_str() {
        "link" => false,
        "revoke" => true,
        _ => return Err(Fail::new(StatusCode::NOT_FOUND, "没有这个地址。")),
    };
    let a = app.clone();
    let i = id.clone();
    let link = blocking(move || a.campaigns.relink(&i, no, revoke)).await?;
    app.accounts.audit(
        &user.name,
        if revoke {
            "停用链接"
        } else {
            "重发链接"
        },
        &format!("填报 {id} 第 {no} 个单位"),
        &from(&addr),
    );
    Ok(Json(json!({ "ok": true, "link": link })).into_response())
}

pub async fn office_pdf(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((id, no)): UrlPath<(String, u32)>,
) -> Answer<Response> {
    let user = app.user(&headers, Role::Admin)?;
    let a = app.clone();
    let i = id.clone();
    let (bytes, name) = blocking(move || a.campaigns.pdf(&i, no)).await?;
    Ok(audited_download(
        &app,
        &user.name,
        &addr,
        &format!("填报 {id} {name}"),
        bytes,
        "application/pdf",
        &name,
    ))
}

pub async fn zip(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    let user = app.user(&headers, Role::Admin)?;
    let a = app.clone();
    let i = id.clone();
    let (bytes, n) = blocking(move || a.campaigns.zip(&i)).await?;
    Ok(audited_download(
        &app,
        &user.name,
        &addr,
        &format!("填报 {id} 压缩包（{n} 份）"),
        bytes,
        "application/zip",
        &format!("填报{id}-全部方案.zip"),
    ))
}

pub async fn data_csv(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    let i = id.clone();
    let bytes = blocking(move || app.campaigns.data_csv(&i)).await?;
    Ok(file_download(
        bytes,
        "text/csv; charset=utf-8",
        &format!("填报{id}-填报数据.csv"),
    ))
}

// ---- a unit -----------------------------------------------------------

/// The unit behind a link; a link that is wrong or stopped is “not found”,
/// whatever it looks like.
pub(super) fn unit_of(app: &Shared, headers: &HeaderMap, token: &str) -> Answer<UnitKey> {
    if !app.host_ok(headers) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            "请用 http://127.0.0.1 开头的地址打开。",
        ));
    }
    app.campaigns.find(token).ok_or_else(|| {
        Fail::new(
            StatusCode::NOT_FOUND,
            "这个填报链接无效或已停用。请向街道办索取本单位的链接。",
        )
    })
}

/// A unit's change: its page's token, from its own page.
pub(super) fn unit_changer(app: &Shared, headers: &HeaderMap, token: &str) -> Answer<UnitKey> {
    if foreign(headers) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            "拒绝了来自其他网站的请求。请直接在填报页面上操作。",
        ));
    }
    let key = unit_of(app, headers, token)?;
    let given = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !campaign::same(given, &campaign::unit_csrf(token)) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            "页面已过期（缺少或不符的校验码）。请刷新页面后再操作。",
        ));
    }
    Ok(key)
}

pub async fn unit_page(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
) -> Response {
    match unit_of(&app, &headers, &token) {
        Ok(_) => html(UNIT_HTML),
        Err(f) => plain_page(f.status, "打不开填报页面", &f.message),
    }
}

pub async fn unit_form(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
) -> Answer<Response> {
    let key = unit_of(&app, &headers, &token)?;
    let csrf = campaign::unit_csrf(&token);
    let (c, s, unit) = blocking(move || {
        let c = app.campaigns.file(&key.campaign)?;
        let s = app.campaigns.state(&c, key.no)?;
        let unit = c
            .units
            .iter()
            .find(|u| u.no == key.no)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        Ok((c, s, unit))
    })
    .await?;
    let mut r = Json(json!({
        "campaign": c.title,
        "unit": unit,
        "fields": c.fields,
        "values": s.values,
        "status": s.status(),
        "saved_at": s.saved_at,
        "saved_by": s.saved_by,
        "generated": s.generated,
        "csrf": csrf,
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

#[derive(Deserialize)]
pub struct UnitSave {
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    by: String,
    #[serde(default)]
    known: Vec<String>,
}

pub async fn unit_save(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
    Json(req): Json<UnitSave>,
) -> Answer<Response> {
    let key = unit_changer(&app, &headers, &token)?;
    let a = app.clone();
    let k = key.clone();
    let (s, notes) = blocking(move || a.campaigns.save(&k, &req.values, &req.by)).await?;
    app.accounts.audit(
        &format!("单位链接（{}）", who(&s.saved_by)),
        "保存填报",
        &format!("填报 {} 第 {} 个单位", key.campaign, key.no),
        &from(&addr),
    );
    Ok(Json(json!({
        "status": s.status(),
        "saved_at": s.saved_at,
        "notes": notes,
    }))
    .into_response())
}

fn who(by: &str) -> &str {
    if by.trim().is_empty() {
        "未署名"
    } else {
        by
    }
}

pub async fn unit_preview(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
    Json(req): Json<UnitSave>,
) -> Response {
    let key = match unit_changer(&app, &headers, &token) {
        Ok(k) => k,
        Err(f) => return f.into_response(),
    };
    let known: Vec<String> = req.known.into_iter().take(1000).collect();
    let done = app
        .typeset(&headers, move |app| -> crate::error::Result<_> {
            let c = app.campaigns.file(&key.campaign)?;
            let entry = c
                .units
                .iter()
                .find(|u| u.no == key.no)
                .ok_or_else(|| crate::error::Error::other("这次填报里没有这个单位。"))?;
            let (values, mut notes) = Campaigns::clean_values(&c, entry, &req.values);
            if !notes.is_empty() {
                // The fields' own errors say it better than the template would.
                return Ok(json!({ "pages": [], "notes": notes }));
            }
            let pages = match app.campaigns.lay_out(&app.desk.engine, &c, key.no, &values) {
                Ok((paged, _, warnings)) => {
                    notes.extend(warnings);
                    let mut pages = app.desk.pages.update(&paged, &known);
                    pages.truncate(200);
                    typst::comemo::evict(10);
                    pages
                }
                Err(n) => {
                    notes.extend(n);
                    Vec::new()
                }
            };
            app.campaigns
                .shown
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(key.token_sha256.clone(), pages.clone());
            Ok(json!({ "pages": pages, "notes": notes }))
        })
        .await;
    match done {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

pub async fn unit_generate(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
    Json(req): Json<UnitSave>,
) -> Response {
    let key = match unit_changer(&app, &headers, &token) {
        Ok(k) => k,
        Err(f) => return f.into_response(),
    };
    let by = req.by.clone();
    let k = key.clone();
    let done = app
        .typeset(&headers, move |app| {
            app.campaigns
                .generate(&app.desk.engine, &k, &req.values, &req.by)
        })
        .await;
    match done {
        Ok(Ok(Ok(g))) => {
            app.accounts.audit(
                &format!("单位链接（{}）", who(&by)),
                "生成方案",
                &format!("填报 {} 第 {} 个单位：{}", key.campaign, key.no, g.file),
                &from(&addr),
            );
            Json(json!({ "status": "已生成", "generated": g, "notes": [] })).into_response()
        }
        Ok(Ok(Err(notes))) => {
            let mut r = Json(json!({
                "error": "有需要修改的地方，见各栏下的红字。表单已保存。",
                "status": "已填",
                "notes": notes,
            }))
            .into_response();
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

pub async fn unit_pdf(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(token): UrlPath<String>,
) -> Answer<Response> {
    let key = unit_of(&app, &headers, &token)?;
    let a = app.clone();
    let k = key.clone();
    let (bytes, name) = blocking(move || a.campaigns.pdf(&k.campaign, k.no)).await?;
    Ok(audited_download(
        &app,
        "单位链接",
        &addr,
        &format!("填报 {} 第 {} 个单位 {name}", key.campaign, key.no),
        bytes,
        "application/pdf",
        &name,
    ))
}

pub async fn unit_page_png(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath((token, hash)): UrlPath<(String, String)>,
) -> Answer<Response> {
    let key = unit_of(&app, &headers, &token)?;
    let hash = hash.trim_end_matches(".png").to_string();
    let shown = app
        .campaigns
        .shown
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key.token_sha256)
        .is_some_and(|pages| pages.contains(&hash));
    let png = shown.then(|| app.desk.pages.get(&hash)).flatten();
    let Some(png) = png else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            "这一页的预览已过期，请刷新预览。",
        ));
    };
    Ok(super::png_page(png.as_ref().clone()))
}

// ---- helpers ----------------------------------------------------------

/// Runs file work off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> crate::error::Result<T> + Send + 'static,
) -> Answer<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "内部错误。"))?
        .map_err(Fail::from)
}

/// Standard base64 (a file read by the browser); `None` when malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.split_once(',').map_or(
        s,
        |(head, rest)| {
            if head.contains("base64") {
                rest
            } else {
                s
            }
        },
    );
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut digits = Vec::with_capacity(s.len());
    for c in s.bytes() {
        match c {
            b'=' | b'\n' | b'\r' | b' ' => {}
            c => digits.push(val(c)?),
        }
    }
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &d)| acc | (d as u32) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn base64_reads_what_browsers_send() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(
            base64_decode("data:text/csv;base64,5p2R").unwrap(),
            "村".as_bytes()
        );
        assert!(base64_decode("a$b=").is_none());
    }
}
