//! Monthly 台账 of a campaign's units (issue 18): a unit enters its rows in
//! an editable table or uploads its CSV/XLSX under its own link; the rows
//! are checked as `gongwen ledger` checks a file (the same messages, by row
//! and column) and kept as the unit's file for that month. The office sees
//! who has filed, prints the month's ledger of all units (open hazards of
//! earlier months carried over) and gets the quarterly summary.
//!
//! On disk: `campaigns/<id>/ledgers/<kind>/<YYYY-MM>/<no>.csv` (a ledger
//! file with the kind's header, readable by `gongwen ledger`) and
//! `<no>.json` (when and by whom it was filed, and its version).
//!
//! A unit's month is one transaction: the pair of files is written and
//! read under a lock of that unit and month ([`month_lock`]), and a save
//! that names the version it was edited from is refused with 409 when
//! someone filed the month in between — so two people of one village
//! saving at once neither lose each other's rows silently nor leave one's
//! rows with the other's record.

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
use super::campaign::{CampaignFile, Campaigns};
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
    /// Counts the filings of this unit's month (1: the first); a page
    /// sends back the version it loaded, so a stale save is refused.
    #[serde(default)]
    version: u64,
}

/// What a stale save is told (409).
pub const STALE: &str = "该月台账已被他人修改（有人在您打开之后报送过），请刷新后再保存：点“刷新”或重新选择月份，核对后再报送。";

/// The lock of one unit's month: saves of the same unit and month run one
/// after another, and readers never see one save's rows with another's
/// record. Keyed by the month's folder, so separate data folders (tests,
/// benchmarks) never share a lock.
fn month_lock(dir: &Path, no: u32) -> std::sync::Arc<std::sync::Mutex<()>> {
    use super::campaign::KeyedLocks;
    static LOCKS: std::sync::OnceLock<KeyedLocks<(PathBuf, u32)>> = std::sync::OnceLock::new();
    LOCKS
        .get_or_init(KeyedLocks::default)
        .get((dir.to_path_buf(), no))
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

/// Writes a unit's month as a ledger file, under the month's lock; `from`
/// is the version the rows were edited from (`None`: whatever is there is
/// replaced). Returns the new version.
fn store(
    dir: &Path,
    kind: &Kind,
    no: u32,
    rows: &[Row],
    by: &str,
    from: Option<u64>,
) -> Result<u64> {
    let lock = month_lock(dir, no);
    let _guard = lock.lock().unwrap_or_else(|p| p.into_inner());
    let now = read_pair(kind, dir, no)?.map_or(0, |(_, f)| f.version);
    if from.is_some_and(|v| v != now) {
        return Err(Error::other(STALE));
    }
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
        version: now + 1,
    };
    let json = serde_json::to_vec(&filed).map_err(|e| Error::other(format!("内部错误：{e}")))?;
    crate::output::write_atomic_own(&dir.join(format!("{no:04}.json")), &json)?;
    Ok(filed.version)
}

/// A unit's filed rows of a month (none: not filed), read under the
/// month's lock.
fn filed_rows(kind: &Kind, dir: &Path, no: u32) -> Result<Option<(Vec<Row>, Filed)>> {
    let lock = month_lock(dir, no);
    let _guard = lock.lock().unwrap_or_else(|p| p.into_inner());
    read_pair(kind, dir, no)
}

/// The month's two files of a unit; the caller holds the lock.
fn read_pair(kind: &Kind, dir: &Path, no: u32) -> Result<Option<(Vec<Row>, Filed)>> {
    let csv = dir.join(format!("{no:04}.csv"));
    if !csv.is_file() {
        return Ok(None);
    }
    let rows = ledger::read_rows(kind, &csv)?;
    let mut filed: Filed = std::fs::read(dir.join(format!("{no:04}.json")))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Filed {
            at: String::new(),
            by: String::new(),
            rows: rows.len(),
            version: 0,
        });
    // Filed before versions were kept: the first version.
    filed.version = filed.version.max(1);
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
    /// The version the page loaded (0: not filed then); absent: replace.
    #[serde(default)]
    version: Option<u64>,
}

/// Rows a unit files for a month, from the table or a file.
struct Filing {
    addr: SocketAddr,
    token: String,
    kind_name: String,
    month: String,
    rows: Vec<BTreeMap<String, String>>,
    by: String,
    version: Option<u64>,
}

async fn file_rows(app: Shared, headers: HeaderMap, f: Filing) -> Answer<Response> {
    let Filing {
        addr,
        token,
        kind_name,
        month,
        rows,
        by,
        version,
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
        let unit = Campaigns::live(&c, &k2)?.name.clone();
        match check(&k, &unit, y, m, &rows) {
            Ok(checked) => {
                let dir = folder(&a.campaigns.folder(&c.id)?, &kind_name, y, m);
                let v = store(&dir, &k, k2.no, &checked, &by, version)?;
                Ok(Ok((checked.len(), k.name.clone(), v)))
            }
            Err(notes) => Ok(Err(notes)),
        }
    })
    .await?;
    match result {
        Ok((n, name, v)) => {
            app.accounts.audit(
                "单位链接",
                "填报台账",
                &format!(
                    "填报 {} 第 {} 个单位 {y}年{m}月{name}（{n} 行）",
                    key.campaign, key.no
                ),
                &from(&addr),
            );
            Ok(Json(json!({ "ok": true, "rows": n, "version": v })).into_response())
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
        version: req.version,
    };
    file_rows(app, headers, f).await
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    version: Option<u64>,
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
        version: q.version,
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

/// What the office sets for the quarterly summary: what `gongwen summary`
/// takes (the title follows from the organ and the quarter).
#[derive(Deserialize)]
pub struct SummaryQuery {
    quarter: String,
    #[serde(default)]
    organ: String,
    /// 主送机关.
    #[serde(default)]
    to: String,
    /// 成文日期 (empty: the quarter's last day).
    #[serde(default)]
    date: String,
    /// Printed with the red header (`--red-header`): "1", "true" or "on".
    #[serde(default)]
    red_header: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    signer: String,
    /// 下一步工作, one paragraph a line.
    #[serde(default)]
    next: String,
    /// Preview pages the page already has.
    #[serde(default)]
    known: Vec<String>,
}

/// A text the office typed: trimmed and bounded, `None` when empty.
fn given(s: &str, most: usize) -> Option<String> {
    let t: String = s.trim().chars().take(most).collect();
    (!t.is_empty()).then_some(t)
}

/// The summary's options from the office's fields, as `gongwen summary`
/// builds them from its flags.
fn summary_options(
    q: &SummaryQuery,
    units: Vec<String>,
) -> std::result::Result<crate::reports::summary::SummaryOptions, String> {
    use crate::reports::summary;
    let (year, quarter) = summary::parse_quarter(&q.quarter)?;
    let organ = given(&q.organ, 60)
        .ok_or_else(|| "请写上报告单位（署名），如 千泉街道办事处。".to_string())?;
    let date = match given(&q.date, 20) {
        Some(d) => Some(
            crate::model::date::Date::parse(&d)
                .map_err(|m| format!("成文日期：{m}"))?
                .0,
        ),
        None => None,
    };
    let red_header = matches!(q.red_header.trim(), "1" | "true" | "on");
    let signer = given(&q.signer, 40);
    if red_header && signer.is_none() {
        // Said here in the page's words (the report says --signer).
        return Err("带红头的报告是上行文，要写签发人：在“签发人”一栏写上姓名。".into());
    }
    Ok(summary::SummaryOptions {
        year,
        quarter,
        units,
        organ,
        red_header,
        number: given(&q.number, 40),
        to: given(&q.to, 200),
        signer,
        next: given(&q.next, 20_000),
        date,
    })
}

/// The quarterly summary of what the units filed, prepared as
/// `gongwen summary` prepares it (the same label, so the same file).
fn summary_doc(
    app: &super::App,
    id: &str,
    q: &SummaryQuery,
) -> Result<(crate::render::Prepared, PathBuf, (i32, u32))> {
    use crate::reports::summary;
    let c = app.campaigns.file(id)?;
    let dir = app.campaigns.folder(id)?;
    let opts = summary_options(q, c.units.iter().map(|u| u.name.clone()).collect())
        .map_err(Error::Other)?;
    let (year, quarter) = (opts.year, opts.quarter);
    let upto = (year, quarter * 3);
    let act = Kind::load("activity", None)?;
    let acts = all_rows(&act, "activity", &dir, &c, upto)?;
    let hz_kind = Kind::load("hazard", None)?;
    let hz = all_rows(&hz_kind, "hazard", &dir, &c, upto)?;
    let hazards = (!hz.is_empty()).then_some((&hz_kind, hz.as_slice()));
    let notice = summary::report(&act, &acts, hazards, &opts).map_err(Error::Other)?;
    let label = dir.join(format!("{year}Q{quarter}-总结.yaml"));
    let doc = crate::render::prepare_notice(
        &app.desk.engine,
        &notice,
        crate::source::Origin::built(label.clone()),
    )?;
    Ok((doc, label, (year, quarter)))
}

/// The summary's pages as the office's preview (with its chart), before
/// anything is downloaded.
pub async fn office_summary_preview(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Json(q): Json<SummaryQuery>,
) -> Response {
    if let Err(f) = app.changer(&headers, Role::Admin) {
        return f.into_response();
    }
    let done = app
        .typeset(&headers, move |app| -> Result<serde_json::Value> {
            let (doc, _, _) = summary_doc(app, &id, &q)?;
            let paged = crate::render::pages(&app.desk.engine, &doc)?;
            let known: Vec<String> = q.known.iter().take(1000).cloned().collect();
            let pages = app.desk.pages.update(&paged, &known);
            typst::comemo::evict(10);
            let warnings: Vec<String> = doc.warnings.iter().map(|d| d.message.clone()).collect();
            Ok(json!({ "title": doc.facts.title, "pages": pages, "warnings": warnings }))
        })
        .await;
    match done {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => summary_fail(e).into_response(),
        Err(r) => r,
    }
}

/// The quarterly summary from what the units filed, as a PDF.
pub async fn office_summary(
    State(app): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<SummaryQuery>,
) -> Response {
    let user = match app.user(&headers, Role::Admin) {
        Ok(u) => u,
        Err(f) => return f.into_response(),
    };
    let done = app
        .typeset(&headers, move |app| -> Result<(Vec<u8>, (i32, u32))> {
            let (doc, label, yq) = summary_doc(app, &id, &q)?;
            let paged = crate::render::pages(&app.desk.engine, &doc)?;
            let bytes = crate::render::export(
                &paged,
                &label.display().to_string(),
                crate::render::Format::Pdf,
                None,
                &doc.facts.title,
            )?;
            Ok((bytes, yq))
        })
        .await;
    match done {
        Ok(Ok((bytes, (year, quarter)))) => audited_download(
            &app,
            &user.name,
            &addr,
            &format!("{year}年第{quarter}季度总结"),
            bytes,
            "application/pdf",
            &format!("{year}年第{quarter}季度工作总结.pdf"),
        ),
        Ok(Err(e)) => summary_fail(e).into_response(),
        Err(r) => r,
    }
}

/// A summary that cannot be made: what the office set is wrong (422), or
/// the campaign is gone (404).
fn summary_fail(e: Error) -> Fail {
    let mut f = Fail::from(e);
    if f.status == StatusCode::CONFLICT {
        f.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    f
}
