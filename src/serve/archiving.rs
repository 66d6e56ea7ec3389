//! The 归档 button: the archive package (`gongwen archive`) of the
//! documents the workbench generated — each document's last generated
//! version, under its workbench name in the register, so its number is
//! found and the 件号 continue from the register's (a document archived
//! before keeps its 档号). Packages are kept in `archives/` of the data
//! folder.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::{ConnectInfo, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::accounts::Role;
use super::{file_download, from, Answer, Fail, Shared};
use crate::error::{Error, Result};
use crate::reports::archive::{self, ArchiveOptions, Retention, RunOptions};

#[derive(Deserialize)]
pub struct ArchiveReq {
    year: i32,
    retention: String,
    fonds: String,
    #[serde(default)]
    fonds_name: String,
    #[serde(default)]
    dept: String,
}

/// The YAML of each document's last version, named for the register as
/// the workbench named it (`workbench/<id>`).
fn sources(app: &super::App) -> Result<(tempfile::TempDir, Vec<PathBuf>)> {
    let stage = tempfile::Builder::new()
        .prefix(".gongwen-archive-")
        .tempdir_in(&app.desk.data)
        .map_err(|e| Error::other(format!("归档失败：{}", crate::guard::io_reason(&e))))?;
    let mut files = Vec::new();
    for doc in app.desk.list()? {
        let Some(last) = app.desk.versions(&doc.id)?.last().map(|v| v.n) else {
            continue;
        };
        let dir = app.desk.draft_path(&doc.id)?;
        let Some(dir) = dir.parent() else { continue };
        let version = dir
            .join("versions")
            .join(format!("{last:03}"))
            .join("draft.yaml");
        let Ok(yaml) = std::fs::read_to_string(&version) else {
            continue;
        };
        let mut value: serde_yaml::Value = serde_yaml::from_str(&yaml)
            .map_err(|e| Error::other(format!("文稿 {} 的 YAML 读不出来：{e}", doc.id)))?;
        if let Some(m) = value.as_mapping_mut() {
            m.insert("register_id".into(), format!("workbench/{}", doc.id).into());
        }
        let text =
            serde_yaml::to_string(&value).map_err(|e| Error::other(format!("内部错误：{e}")))?;
        // Beside the document, so its seal images are found as when generated.
        let file = dir.join(format!(".archive-{last:03}.yaml"));
        crate::output::write_atomic_own(&file, text.as_bytes())?;
        files.push(file);
    }
    Ok((stage, files))
}

pub async fn make(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<ArchiveReq>,
) -> Response {
    let user = match app.changer(&headers, Role::Admin) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let checked = (|| -> std::result::Result<(ArchiveOptions, Option<String>), String> {
        let retention = Retention::parse(&req.retention)?;
        let year = archive::check_year(req.year)?;
        let fonds = req.fonds.trim().to_string();
        if fonds.is_empty() || fonds.len() > 20 || !fonds.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err("全宗号只能由字母和数字组成，如 A13 或 0194。".into());
        }
        let dept = match req.dept.trim() {
            "" => None,
            d => Some(archive::check_dept(d)?),
        };
        let fonds_name = match req.fonds_name.trim() {
            "" => None,
            n => Some(archive::check_fonds_name(n)?),
        };
        Ok((
            ArchiveOptions {
                fonds,
                year,
                retention,
                dept,
            },
            fonds_name,
        ))
    })();
    let (opts, fonds_name) = match checked {
        Ok(x) => x,
        Err(m) => return Fail::new(StatusCode::UNPROCESSABLE_ENTITY, m).into_response(),
    };
    let done = app
        .typeset(&headers, move |app| -> Result<_> {
            let (stage, files) = sources(app)?;
            if files.is_empty() {
                return Err(Error::other(
                    "还没有生成过的公文：先在“拟文”里“取号并生成”，再归档。",
                ));
            }
            let dir = app.desk.data.join("archives");
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::other(format!("归档失败：{}", crate::guard::io_reason(&e))))?;
            let name = format!(
                "归档-{}-{}-{}.zip",
                opts.year,
                opts.retention.label(),
                chrono::Local::now().format("%Y%m%d%H%M%S")
            );
            let how = RunOptions {
                register: app.desk.register.clone(),
                fonds_name,
                start: None,
                strict: false,
                cover: true,
            };
            let out = stage.path().join("package.zip");
            let result = archive::run(&app.desk.engine, &files, &opts, &how, &out);
            for f in &files {
                let _ = std::fs::remove_file(f);
            }
            let report = result?;
            if report.items.is_empty() {
                return Err(Error::other(format!(
                    "{}年没有可归档的公文。{}",
                    opts.year,
                    report.notes.join("；")
                )));
            }
            std::fs::rename(&out, dir.join(&name))
                .map_err(|e| Error::other(format!("归档失败：{}", crate::guard::io_reason(&e))))?;
            let items: Vec<_> = report
                .items
                .iter()
                .map(|i| {
                    json!({
                        "code": i.code, "title": i.title, "number": i.number,
                        "pages": i.pages, "before": i.archived_before,
                    })
                })
                .collect();
            Ok(json!({ "file": name, "items": items, "notes": report.notes }))
        })
        .await;
    match done {
        Ok(Ok(v)) => {
            app.accounts.audit(
                &user.name,
                "归档",
                &format!(
                    "{}（{} 件）",
                    v["file"].as_str().unwrap_or(""),
                    v["items"].as_array().map_or(0, Vec::len)
                ),
                &from(&addr),
            );
            Json(v).into_response()
        }
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

pub async fn download(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(name): UrlPath<String>,
) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    let ok = name.starts_with("归档-")
        && name.ends_with(".zip")
        && !name.contains(['/', '\\'])
        && !name.contains("..");
    let bytes = ok
        .then(|| std::fs::read(app.desk.data.join("archives").join(&name)).ok())
        .flatten()
        .ok_or_else(|| Fail::new(StatusCode::NOT_FOUND, "没有这个归档包。"))?;
    Ok(file_download(bytes, "application/zip", &name))
}
