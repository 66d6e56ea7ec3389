//! Monthly 台账 of a campaign's units (issue 18): a unit enters its rows in
//! an editable table or uploads its CSV/XLSX under its own link; the rows
//! are checked as `gongwen ledger` checks a file (the same messages, by row
//! and column) and kept as the unit's file for that month. The office sees
//! who has filed, prints the month's ledger of all units (open hazards of
//! earlier months carried over) and gets the quarterly summary.
//!
//! On disk: `campaigns/<id>/ledgers/<kind>/<YYYY-MM>/<no>.csv` (a ledger
//! file with the kind's header, readable by `gongwen ledger`) and
//! `<no>.json` (when and by whom it was filed).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::accounts::Role;
use super::campaign::CampaignFile;
use super::units::{blocking, unit_changer, unit_of};
use super::{audited_download, from, Answer, Fail, Shared};
use crate::error::{Error, Result};
use crate::plan::units::Unit;
use crate::reports::ledger::{self, Kind, Row};

/// The most rows a unit files for one month.
const MAX_ROWS: usize = 2_000;

/// A ledger kind by its name in the address.
fn kind(name: &str) -> Answer<Kind> {
    if !matches!(name, "activity" | "hazard") {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            "没有这种台账（可选：activity 活动台账、hazard 隐患排查治理台账）。",
        ));
    }
    Kind::load(name, None).map_err(Fail::from)
}

fn month_of(s: &str) -> Answer<(i32, u32)> {
    ledger::parse_month(s).map_err(|m| Fail::new(StatusCode::UNPROCESSABLE_ENTITY, m))
}

fn folder(dir: &Path, kind: &str, year: i32, month: u32) -> PathBuf {
    dir.join("ledgers")
        .join(kind)
        .join(format!("{year:04}-{month:02}"))
}

/// When and by whom a month was filed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Filed {
    at: String,
    by: String,
    rows: usize,
}

/// A bad cell: the table's row (0-based), the column's key, what is wrong
/// and how to fix it — the words `gongwen ledger` uses.
#[derive(Debug, Clone, Serialize)]
struct CellNote {
    row: Option<usize>,
    column: Option<String>,
    message: String,
    hint: String,
}

/// Checks a unit's rows for a month; the unit column is the unit's name.
fn check(
    kind: &Kind,
    unit: &str,
    year: i32,
    month: u32,
    rows: &[BTreeMap<String, String>],
) -> std::result::Result<Vec<Row>, Vec<CellNote>> {
    let unit_col = kind.unit_column.clone();
    let mut notes = Vec::new();
    let mut table = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        if cells.values().all(|v| v.trim().is_empty()) {
            continue;
        }
        let mut values: BTreeMap<String, String> = kind
            .columns
            .iter()
            .map(|c| {
                let v = cells.get(&c.key).map(|v| v.trim()).unwrap_or("");
                (c.key.clone(), v.chars().take(2_000).collect())
            })
            .collect();
        if let Some(u) = &unit_col {
            let given = values.get(u).cloned().unwrap_or_default();
            if !given.is_empty() && given != unit {
                notes.push(CellNote {
                    row: Some(i),
                    column: Some(u.clone()),
                    message: format!("第 {} 行是“{given}”的，不是本单位（{unit}）的。", i + 2),
                    hint: "只填报本单位的行；其他单位的行请删去。".into(),
                });
                continue;
            }
            values.insert(u.clone(), unit.to_string());
        }
        table.push(Unit {
            row: i + 2,
            values,
            name_column: String::new(),
        });
    }
    if table.len() > MAX_ROWS {
        notes.push(CellNote {
            row: None,
            column: None,
            message: format!("一个月最多填报 {MAX_ROWS} 行。"),
            hint: String::new(),
        });
    }
    let label = |l: &str| {
        kind.columns
            .iter()
            .find(|c| c.label == l)
            .map(|c| c.key.clone())
    };
    let checked = match ledger::check_rows(kind, Path::new("台账"), table) {
        Ok(rows) => rows,
        Err(Error::Input(diags)) => {
            for d in diags {
                // “第 N 行「日期」”: the row and the column's label.
                let column = d
                    .path
                    .split_once('「')
                    .and_then(|(_, rest)| rest.strip_suffix('」'))
                    .and_then(label);
                notes.push(CellNote {
                    row: d.line.and_then(|l| l.checked_sub(2)),
                    column,
                    message: if d.path.is_empty() {
                        d.message.clone()
                    } else {
                        format!("{}：{}", d.path, d.message)
                    },
                    hint: d.hint.clone().unwrap_or_default(),
                });
            }
            return Err(notes);
        }
        Err(e) => {
            notes.push(CellNote {
                row: None,
                column: None,
                message: super::campaign::one_line(&e),
                hint: String::new(),
            });
            return Err(notes);
        }
    };
    for r in &checked {
        use chrono::Datelike;
        if r.date.year() != year || r.date.month() != month {
            notes.push(CellNote {
                row: r.row.checked_sub(2),
                column: Some(kind.date_column.clone()),
                message: format!(
                    "第 {} 行的日期 {} 不在 {year}年{month}月。",
                    r.row,
                    r.date.format("%Y-%m-%d")
                ),
                hint: format!("这里只填报 {year}年{month}月的行；其他月份请换到那个月填报。"),
            });
        }
    }
    if notes.is_empty() {
        Ok(checked)
    } else {
        Err(notes)
    }
}

/// Writes a unit's month as a ledger file.
fn store(dir: &Path, kind: &Kind, no: u32, rows: &[Row], by: &str) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::other(format!("保存台账失败：{}", crate::guard::io_reason(&e))))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::other(format!("保存台账失败：{e}"));
    w.write_record(kind.columns.iter().map(|c| c.label.as_str()))
        .map_err(err)?;
    for r in rows {
        w.write_record(
            kind.columns
                .iter()
                .map(|c| r.cells.get(&c.key).cloned().unwrap_or_default()),
        )
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::other(format!("保存台账失败：{e}")))?;
    crate::output::write_atomic_own(&dir.join(format!("{no:04}.csv")), &bytes)?;
    let filed = Filed {
        at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        by: by.chars().take(32).collect(),
        rows: rows.len(),
    };
    let json = serde_json::to_vec(&filed).map_err(|e| Error::other(format!("内部错误：{e}")))?;
    crate::output::write_atomic_own(&dir.join(format!("{no:04}.json")), &json)
}

/// A unit's filed rows of a month (none: not filed).
fn filed_rows(kind: &Kind, dir: &Path, no: u32) -> Result<Option<(Vec<Row>, Filed)>> {
    let csv = dir.join(format!("{no:04}.csv"));
    if !csv.is_file() {
        return Ok(None);
    }
    let rows = ledger::read_rows(kind, &csv)?;
    let filed = std::fs::read(dir.join(format!("{no:04}.json")))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Filed {
            at: String::new(),
            by: String::new(),
            rows: rows.len(),
        });
    Ok(Some((rows, filed)))
}

/// Every row the units filed for months up to `year-month` (hazards of
/// earlier months carry over).
fn all_rows(
    kind: &Kind,
    name: &str,
    campaign: &Path,
    c: &CampaignFile,
    upto: (i32, u32),
) -> Result<Vec<Row>> {
    let base = campaign.join("ledgers").join(name);
    let mut out = Vec::new();
    let Ok(read) = std::fs::read_dir(&base) else {
        return Ok(out);
    };
    let mut months: Vec<(i32, u32)> = read
        .flatten()
        .filter_map(|e| ledger::parse_month(&e.file_name().to_string_lossy()).ok())
        .filter(|m| *m <= upto)
        .collect();
    months.sort();
    for (y, m) in months {
        let dir = folder(campaign, name, y, m);
        for u in &c.units {
            if let Some((rows, _)) = filed_rows(kind, &dir, u.no)? {
                out.extend(rows);
            }
        }
    }
    Ok(out)
}

fn kind_json(k: &Kind) -> serde_json::Value {
    json!({
        "name": k.name,
        "unit_column": k.unit_column,
        "date_column": k.date_column,
        "columns": k.columns.iter().map(|c| json!({
            "key": c.key, "label": c.label, "type": c.kind.as_deref().unwrap_or("text"),
            "required": c.required, "values": c.values,
        })).collect::<Vec<_>>(),
    })
}

// ---- a unit -----------------------------------------------------------

pub async fn unit_get(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath((token, kind_name, month)): UrlPath<(String, String, String)>,
) -> Answer<Response> {
    let key = unit_of(&app, &headers, &token)?;
    let k = kind(&kind_name)?;
    let (y, m) = month_of(&month)?;
    let kj = kind_json(&k);
    let filed = blocking(move || {
        let dir = folder(&app.campaigns.folder(&key.campaign)?, &kind_name, y, m);
        filed_rows(&k, &dir, key.no)
    })
    .await?;
    let (rows, filed) = match filed {
        Some((rows, f)) => (
            rows.into_iter().map(|r| r.cells).collect::<Vec<_>>(),
            Some(f),
        ),
        None => (Vec::new(), None),
    };
    Ok(
        Json(json!({ "kind": kj, "rows": rows, "filed": filed, "month": format!("{y}年{m}月") }))
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct FileReq {
    #[serde(default)]
    rows: Vec<BTreeMap<String, String>>,
    #[serde(default)]
    by: String,
}

/// Rows a unit files for a month, from the table or a file.
struct Filing {
    addr: SocketAddr,
    token: String,
    kind_name: String,
    month: String,
    rows: Vec<BTreeMap<String, String>>,
    by: String,
}

async fn file_rows(app: Shared, headers: HeaderMap, f: Filing) -> Answer<Response> {
    let Filing {
        addr,
        token,
        kind_name,
        month,
        rows,
        by,
    } = f;
    let key = unit_changer(&app, &headers, &token)?;
    let k = kind(&kind_name)?;
    let (y, m) = month_of(&month)?;
    if rows.len() > MAX_ROWS * 2 {
        return Err(Fail::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("一个月最多填报 {MAX_ROWS} 行。"),
        ));
    }
    let a = app.clone();
    let k2 = key.clone();
    let result = blocking(move || {
        let c = a.campaigns.file(&k2.campaign)?;
        let unit = c
            .units
            .iter()
            .find(|u| u.no == k2.no)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        match check(&k, &unit, y, m, &rows) {
            Ok(checked) => {
                let dir = folder(&a.campaigns.folder(&c.id)?, &kind_name, y, m);
                store(&dir, &k, k2.no, &checked, &by)?;
                Ok(Ok((checked.len(), k.name.clone())))
            }
            Err(notes) => Ok(Err(notes)),
        }
    })
    .await?;
    match result {
        Ok((n, name)) => {
            app.accounts.audit(
                "单位链接",
                "填报台账",
                &format!(
                    "填报 {} 第 {} 个单位 {y}年{m}月{name}（{n} 行）",
                    key.campaign, key.no
                ),
                &from(&addr),
            );
            Ok(Json(json!({ "ok": true, "rows": n })).into_response())
        }
        Err(notes) => {
            let mut r = Json(json!({
                "error": format!("有 {} 处需要修改，见表格里标红的格子。这个月还没有报上去。", notes.len()),
                "notes": notes,
            }))
            .into_response();
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

pub async fn unit_file(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((token, kind_name, month)): UrlPath<(String, String, String)>,
    Json(req): Json<FileReq>,
) -> Answer<Response> {
    let f = Filing {
        addr,
        token,
        kind_name,
        month,
        rows: req.rows,
        by: req.by,
    };
    file_rows(app, headers, f).await
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    by: String,
}

/// A CSV or XLSX file of the month, read as `gongwen ledger` reads it.
pub async fn unit_upload(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((token, kind_name, month)): UrlPath<(String, String, String)>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Answer<Response> {
    unit_changer(&app, &headers, &token)?;
    let k = kind(&kind_name)?;
    let name = q.name.to_lowercase();
    let ext = if name.ends_with(".xlsx") {
        "xlsx"
    } else if name.ends_with(".csv") {
        "csv"
    } else {
        return Err(Fail::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请上传 .xlsx 或 .csv 文件（第一行是台账的表头）。",
        ));
    };
    let rows = blocking(move || {
        let shown = Path::new(if ext == "xlsx" {
            "上传的台账.xlsx"
        } else {
            "上传的台账.csv"
        });
        let table = if ext == "xlsx" {
            crate::tabular::parse_xlsx(shown, &body, None)?
        } else {
            crate::tabular::parse_csv(shown, &body, "台账数据")?
        };
        let mut it = table.into_iter();
        let header: Vec<String> = it
            .next()
            .map(|(_, h)| {
                h.iter()
                    .map(|c| c.trim().trim_start_matches('\u{FEFF}').to_string())
                    .collect()
            })
            .unwrap_or_default();
        let keys: Vec<Option<String>> = header
            .iter()
            .map(|h| {
                k.columns
                    .iter()
                    .find(|c| &c.label == h)
                    .map(|c| c.key.clone())
            })
            .collect();
        let missing: Vec<&str> = k
            .columns
            .iter()
            .filter(|c| c.required && !header.contains(&c.label))
            .map(|c| c.label.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::other(format!(
                "上传的表格缺少列：{}。第一行表头要用台账的列名：{}。",
                missing.join("、"),
                k.columns
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )));
        }
        Ok(it
            .map(|(_, cells)| {
                keys.iter()
                    .zip(cells)
                    .filter_map(|(k, v)| k.clone().map(|k| (k, v)))
                    .collect::<BTreeMap<String, String>>()
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let f = Filing {
        addr,
        token,
        kind_name,
        month,
        rows,
        by: q.by,
    };
    file_rows(app, headers, f).await
}

// ---- the office -------------------------------------------------------

/// Which units filed the month.
pub async fn office_status(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath((id, kind_name, month)): UrlPath<(String, String, String)>,
) -> Answer<Response> {
    app.user(&headers, Role::Admin)?;
    let k = kind(&kind_name)?;
    let (y, m) = month_of(&month)?;
    let rows = blocking(move || {
        let c = app.campaigns.file(&id)?;
        let dir = folder(&app.campaigns.folder(&id)?, &kind_name, y, m);
        let mut out = Vec::new();
        for u in &c.units {
            let filed = filed_rows(&k, &dir, u.no)?.map(|(_, f)| f);
            out.push(json!({ "no": u.no, "name": u.name, "filed": filed }));
        }
        Ok(out)
    })
    .await?;
    let n = rows.iter().filter(|r| !r["filed"].is_null()).count();
    Ok(Json(json!({ "units": rows, "filed": n })).into_response())
}

/// The month's ledger of every unit that filed, as `gongwen ledger` prints it.
pub async fn office_pdf(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath((id, kind_name, month)): UrlPath<(String, String, String)>,
) -> Response {
    let user = match app.user(&headers, Role::Admin) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let (k, (y, m)) = match (kind(&kind_name), month_of(&month)) {
        (Ok(k), Ok(m)) => (k, m),
        (Err(f), _) | (_, Err(f)) => return f.into_response(),
    };
    let name = k.name.clone();
    let done = app
        .typeset(&headers, move |app| -> Result<Vec<u8>> {
            let c = app.campaigns.file(&id)?;
            let dir = app.campaigns.folder(&id)?;
            let rows = all_rows(&k, &kind_name, &dir, &c, (y, m))?;
            let month = ledger::month(&k, &rows, y, m, None);
            let signoff = ledger::Signoff {
                date: ledger::report_date(None, y, m).map_err(Error::Other)?,
                ..Default::default()
            };
            let paged = ledger::pages(&app.desk.engine, &k, &month, y, m, None, &signoff)?;
            crate::render::export(
                &paged,
                &format!("ledger-{}-{y}-{m}", k.name),
                crate::render::Format::Pdf,
                None,
                &format!("{y}年{m}月{}", k.name),
            )
        })
        .await;
    match done {
        Ok(Ok(bytes)) => audited_download(
            &app,
            &user.name,
            &addr,
            &format!("{y}年{m}月{name}"),
            bytes,
            "application/pdf",
            &format!("{y}年{m}月{name}.pdf"),
        ),
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
pub struct SummaryQuery {
    quarter: String,
    #[serde(default)]
    organ: String,
}

/// The quarterly summary from what the units filed.
pub async fn office_summary(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<SummaryQuery>,
) -> Response {
    use crate::reports::summary;
    let user = match app.user(&headers, Role::Admin) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let (year, quarter) = match summary::parse_quarter(&q.quarter) {
        Ok(x) => x,
        Err(m) => return Fail::new(StatusCode::UNPROCESSABLE_ENTITY, m).into_response(),
    };
    let organ = q.organ.trim().chars().take(60).collect::<String>();
    if organ.is_empty() {
        return Fail::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请写上报告单位（署名），如 千泉街道办事处。",
        )
        .into_response();
    }
    let done = app
        .typeset(&headers, move |app| -> Result<Vec<u8>> {
            let c = app.campaigns.file(&id)?;
            let dir = app.campaigns.folder(&id)?;
            let upto = (year, quarter * 3);
            let act = Kind::load("activity", None)?;
            let acts = all_rows(&act, "activity", &dir, &c, upto)?;
            let hz_kind = Kind::load("hazard", None)?;
            let hz = all_rows(&hz_kind, "hazard", &dir, &c, upto)?;
            let opts = summary::SummaryOptions {
                year,
                quarter,
                units: c.units.iter().map(|u| u.name.clone()).collect(),
                organ,
                red_header: false,
                number: None,
                to: None,
                signer: None,
                next: None,
                date: None,
            };
            let hazards = (!hz.is_empty()).then_some((&hz_kind, hz.as_slice()));
            let notice = summary::report(&act, &acts, hazards, &opts).map_err(Error::Other)?;
            let label = dir.join(format!("{year}Q{quarter}-总结.yaml"));
            let doc = crate::render::prepare_notice(
                &app.desk.engine,
                &notice,
                crate::source::Origin::built(label.clone()),
            )?;
            let paged = crate::render::pages(&app.desk.engine, &doc)?;
            crate::render::export(
                &paged,
                &label.display().to_string(),
                crate::render::Format::Pdf,
                None,
                &doc.facts.title,
            )
        })
        .await;
    match done {
        Ok(Ok(bytes)) => audited_download(
            &app,
            &user.name,
            &addr,
            &format!("{year}年第{quarter}季度总结"),
            bytes,
            "application/pdf",
            &format!("{year}年第{quarter}季度工作总结.pdf"),
        ),
        Ok(Err(e)) => Fail::from(e).into_response(),
        Err(r) => r,
    }
}
