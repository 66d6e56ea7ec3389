//! Monthly 台账 (spec §6.5–6.6): ledger kinds are data (`templates/ledgers/
//! *.yaml`: columns, labels, widths, types, allowed values), rows come from
//! CSV, XLSX or YAML with errors naming row and column, and hazards not
//! closed by month end carry into the next month.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::{Diagnostic, Error};
use crate::model::date::Date;
use crate::plan::schedule::month_end;
use crate::plan::units;
use crate::typeset::{self, Engine};

/// Ledger kinds shipped with the program.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "activity",
        include_str!("../../templates/ledgers/activity.yaml"),
    ),
    (
        "hazard",
        include_str!("../../templates/ledgers/hazard.yaml"),
    ),
];

/// A ledger kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub name: String,
    pub columns: Vec<Column>,
    /// Key of the column that dates a row (selects the month).
    pub date_column: String,
    /// Key of the column naming the unit (for `--unit`).
    #[serde(default)]
    pub unit_column: Option<String>,
    /// Hazard bookkeeping: carry-over and overdue marks.
    #[serde(default)]
    pub hazard: Option<HazardColumns>,
    /// Monthly minimums per unit, for the quarterly summary.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    /// Print a 序号 column (1, 2, … in the month's order) before the data.
    #[serde(default)]
    pub numbered: bool,
}

/// “每月至少开展1次……” for each unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub name: String,
    /// Values of the category column that count.
    pub kinds: Vec<String>,
    pub per_month: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub key: String,
    pub label: String,
    #[serde(default = "one")]
    pub width: f64,
    /// `text` (default), `date` or `integer`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// Allowed values (empty: any).
    #[serde(default)]
    pub values: Vec<String>,
    /// Required only in rows where another column has a value, e.g. the
    /// 治理方案 of a hazard whose 等级 is 重大: `{level: 重大}`.
    #[serde(default)]
    pub required_if: BTreeMap<String, String>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardColumns {
    pub deadline: String,
    pub closed: String,
    pub status: String,
    /// 验收日期: shown only in months on or after it.
    #[serde(default)]
    pub accepted: Option<String>,
    /// 复查人: who checked and closed it, shown only once it is closed or
    /// accepted within the month printed.
    #[serde(default)]
    pub checker: Option<String>,
}

impl Kind {
    /// A built-in kind by name (`activity`, `hazard`, or its Chinese name),
    /// a file in `--templates DIR/ledgers/`, or a path to a kind file.
    pub fn load(name: &str, templates: Option<&Path>) -> Result<Kind, Error> {
        let text = if Path::new(name).is_file() {
            read_kind(Path::new(name))?
        } else if let Some(t) = templates
            .map(|d| d.join("ledgers").join(format!("{name}.yaml")))
            .filter(|p| p.is_file())
        {
            read_kind(&t)?
        } else {
            let found = BUILTIN
                .iter()
                .find(|(k, text)| *k == name || text.contains(&format!("name: {name}\n")));
            match found {
                Some((_, t)) => t.to_string(),
                None => {
                    return Err(Error::other(format!(
                        "没有“{name}”这种台账。内置：activity（活动台账）、hazard（隐患排查治理台账）；也可以写自己的台账格式文件（见 templates/ledgers/）。"
                    )))
                }
            }
        };
        let src = crate::source::SourceFile::from_bytes(
            Path::new(&format!("{name}.yaml")),
            text.as_bytes(),
        )?;
        let kind: Kind = src.parse()?;
        if kind.columns.is_empty() || kind.columns.len() > MAX_KIND_COLUMNS {
            return Err(Error::other(format!(
                "台账格式“{}”有 {} 列：一本台账要有 1 到 {MAX_KIND_COLUMNS} 列。",
                kind.name,
                kind.columns.len()
            )));
        }
        if !kind.columns.iter().any(|c| c.key == kind.date_column) {
            return Err(Error::other(format!(
                "台账格式“{}”的 date_column “{}”不是它的列。",
                kind.name, kind.date_column
            )));
        }
        Ok(kind)
    }
}

/// A ledger-kind file's text (at most 1 MB).
fn read_kind(path: &Path) -> Result<String, Error> {
    let bytes = crate::guard::read_capped(path, 1_000_000, "台账格式")?;
    String::from_utf8(bytes)
        .map_err(|_| Error::other(format!("台账格式 {} 不是 UTF-8 文本。", path.display())))
}

/// One checked row: its row number and cells by column key.
#[derive(Debug, Clone)]
pub struct Row {
    pub row: usize,
    pub cells: BTreeMap<String, String>,
    pub date: NaiveDate,
}

/// Reads and checks the rows; every bad cell is reported (file, row,
/// column, what is wrong), and then nothing is produced.
pub fn read_rows(kind: &Kind, data: &Path) -> Result<Vec<Row>, Error> {
    const WHAT: &str = "台账数据";
    let (file, format) = crate::tabular::format_of(data, WHAT)?;
    if format == crate::tabular::Format::Yaml {
        let table = units::read(data, &kind.header_map(), WHAT)?;
        return check_rows(kind, data, table);
    }
    // A column the office's file does not have yet (a kind grew a column)
    // is empty, unless it is required.
    let table = crate::tabular::read(&file, &format, WHAT)?;
    let header: Vec<String> = table
        .first()
        .map(|(_, h)| {
            h.iter()
                .map(|c| c.trim().trim_start_matches('\u{FEFF}').to_string())
                .collect()
        })
        .unwrap_or_default();
    let map: BTreeMap<String, String> = kind
        .columns
        .iter()
        .filter(|c| c.required || header.contains(&c.label))
        .map(|c| (c.label.clone(), c.key.clone()))
        .collect();
    let table = units::from_table(&file, table, &map, WHAT)?;
    check_rows(kind, data, table)
}

impl Kind {
    /// Header label → column key.
    pub fn header_map(&self) -> BTreeMap<String, String> {
        self.columns
            .iter()
            .map(|c| (c.label.clone(), c.key.clone()))
            .collect()
    }
}

/// Checks rows already read (`data` names the file in messages).
pub fn check_rows(kind: &Kind, data: &Path, table: Vec<units::Unit>) -> Result<Vec<Row>, Error> {
    let mut diags = Vec::new();
    let mut rows = Vec::new();
    for u in table {
        let mut ok = true;
        for c in &kind.columns {
            let v = u.values.get(&c.key).map(String::as_str).unwrap_or("");
            let when: Vec<String> = c
                .required_if
                .iter()
                .filter(|(k, want)| u.values.get(*k).is_some_and(|x| x == *want))
                .map(|(k, want)| {
                    let label = kind
                        .columns
                        .iter()
                        .find(|x| &x.key == k)
                        .map_or(k.as_str(), |x| x.label.as_str());
                    format!("{label}为“{want}”")
                })
                .collect();
            let mut bad = |msg: String, hint: String| {
                ok = false;
                diags.push(
                    Diagnostic::error(data, format!("第 {} 行「{}」", u.row, c.label), msg)
                        .at(u.row, 1)
                        .hint(hint),
                );
            };
            if v.is_empty() {
                if c.required {
                    bad(
                        format!("「{}」不能空着。", c.label),
                        format!("在第 {} 行填上{}。", u.row, c.label),
                    );
                } else if !when.is_empty() {
                    let hint = if u.values.contains_key(&c.key) {
                        format!("在第 {} 行填上{}。", u.row, c.label)
                    } else {
                        format!(
                            "表头还没有「{}」这一列：在第一行加上这一列，再在第 {} 行填写。",
                            c.label, u.row
                        )
                    };
                    bad(
                        format!("{}的隐患，「{}」不能空着。", when.join("、"), c.label),
                        hint,
                    );
                }
                continue;
            }
            match c.kind.as_deref() {
                Some("date") => {
                    if let Err(e) = Date::parse(v) {
                        bad(e, "日期写成 2019-05-08 或 2019年5月8日。".into());
                    }
                }
                Some("integer") if v.parse::<u64>().is_err() => {
                    bad(format!("“{v}”不是整数。"), "只写阿拉伯数字，如 35。".into());
                }
                _ => {}
            }
            if !c.values.is_empty() && !c.values.iter().any(|x| x == v) {
                bad(
                    format!("“{v}”不是可选的值。"),
                    format!("{}只能填：{}。", c.label, c.values.join("、")),
                );
            }
        }
        if ok {
            let date = u
                .values
                .get(&kind.date_column)
                .and_then(|v| Date::parse(v).ok())
                .map(|d| d.0);
            if let Some(date) = date {
                rows.push(Row {
                    row: u.row,
                    cells: u.values,
                    date,
                });
            }
        }
    }
    if diags.is_empty() {
        Ok(rows)
    } else {
        // A wrong file can have an error in every row: show the first ones.
        if diags.len() > MAX_REPORTED {
            let more = diags.len() - MAX_REPORTED;
            diags.truncate(MAX_REPORTED);
            diags.push(
                Diagnostic::error(data, "", format!("……另有 {more} 处错误未列出。"))
                    .hint("先改正上面列出的错误，再检查一次。"),
            );
        }
        Err(Error::Input(diags))
    }
}

/// Most columns of a ledger kind (a landscape page holds about 20).
const MAX_KIND_COLUMNS: usize = 40;

/// Errors listed before the rest are summarised.
const MAX_REPORTED: usize = 200;
/// Most rows in one monthly ledger (10,000 rows print as about 700 pages).
pub const MAX_MONTH_ROWS: usize = 50_000;

/// A month of a ledger, ready to print.
#[derive(Debug, Clone)]
pub struct Month {
    pub rows: Vec<Vec<String>>,
    /// Hazards carried over from earlier months / overdue at month end.
    pub carried: usize,
    pub overdue: usize,
}

/// Selects the month's rows (and the carried-over open hazards), in date order.
pub fn month(kind: &Kind, rows: &[Row], year: i32, month: u32, unit: Option<&str>) -> Month {
    let start = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let end = month_end(year, month);
    let date_of = |r: &Row, key: &str| {
        r.cells
            .get(key)
            .and_then(|v| Date::parse(v).ok())
            .map(|d| d.0)
    };
    let mut out = Vec::new();
    let (mut carried, mut overdue) = (0, 0);
    let mut selected: Vec<&Row> = rows
        .iter()
        .filter(|r| match (unit, &kind.unit_column) {
            (Some(u), Some(col)) => r.cells.get(col).map(String::as_str) == Some(u),
            _ => true,
        })
        .filter(|r| {
            if r.date >= start && r.date <= end {
                return true;
            }
            // A hazard found earlier and still open at the start of the month.
            kind.hazard
                .as_ref()
                .is_some_and(|h| r.date < start && date_of(r, &h.closed).is_none_or(|c| c >= start))
        })
        .collect();
    selected.sort_by_key(|r| (r.date, r.row));
    for r in selected {
        let mut cells: Vec<String> = kind
            .columns
            .iter()
            .map(|c| r.cells.get(&c.key).cloned().unwrap_or_default())
            .collect();
        if let Some(h) = &kind.hazard {
            let closed = date_of(r, &h.closed).filter(|c| *c <= end);
            let mut marks = Vec::new();
            if r.date < start {
                marks.push("上月结转");
                carried += 1;
            }
            if closed.is_none() && date_of(r, &h.deadline).is_some_and(|d| d < end) {
                marks.push("逾期");
                overdue += 1;
            }
            if let Some(i) = kind.columns.iter().position(|c| c.key == h.status) {
                let status = if closed.is_some() {
                    "已销号".to_string()
                } else {
                    cells[i].clone()
                };
                let status = if status == "已销号" && closed.is_none() {
                    "整改中".to_string()
                } else {
                    status
                };
                cells[i] = std::iter::once(status)
                    .chain(marks.iter().map(|m| format!("（{m}）")))
                    .collect::<Vec<_>>()
                    .join("");
            }
            // What happens after the month (销号, 验收, who checked) is not
            // in that month's ledger.
            let accepted = h
                .accepted
                .as_ref()
                .and_then(|k| date_of(r, k))
                .filter(|a| *a <= end);
            let later = [
                (Some(&h.closed), closed.is_none()),
                (h.accepted.as_ref(), accepted.is_none()),
                (h.checker.as_ref(), closed.is_none() && accepted.is_none()),
            ];
            for (key, clear) in later {
                if let (Some(key), true) = (key, clear) {
                    if let Some(i) = kind.columns.iter().position(|c| &c.key == key) {
                        cells[i].clear();
                    }
                }
            }
        }
        // Dates printed as clerks write them.
        for (i, c) in kind.columns.iter().enumerate() {
            if c.kind.as_deref() == Some("date") {
                if let Ok(d) = Date::parse(&cells[i]) {
                    cells[i] = d.chinese();
                }
            }
        }
        out.push(cells);
    }
    if kind.numbered {
        for (i, row) in out.iter_mut().enumerate() {
            row.insert(0, (i + 1).to_string());
        }
    }
    Month {
        rows: out,
        carried,
        overdue,
    }
}

/// Prints a month: title, 填报单位, 统计期, the table (header repeated,
/// rows whole, “第 N 页 共 M 页”), 填表人/审核人/填报日期.
pub fn pdf(
    engine: &Engine,
    kind: &Kind,
    m: &Month,
    year: i32,
    month: u32,
    unit: Option<&str>,
    signoff: &Signoff,
) -> Result<Vec<u8>, Error> {
    let paged = pages(engine, kind, m, year, month, unit, signoff)?;
    typeset::pdf(&paged, &format!("ledger-{}-{year}-{month}", kind.name))
}

/// The laid-out pages of [`pdf`], for any output format.
pub fn pages(
    engine: &Engine,
    kind: &Kind,
    m: &Month,
    year: i32,
    month: u32,
    unit: Option<&str>,
    signoff: &Signoff,
) -> Result<typst_layout::PagedDocument, Error> {
    if m.rows.len() > MAX_MONTH_ROWS {
        return Err(Error::other(format!(
            "{year}年{month}月有 {} 条记录，超过了一本月度台账 {MAX_MONTH_ROWS} 条的上限。请用 --unit 按单位分开生成。",
            m.rows.len()
        )));
    }
    let mut subtitle = format!(
        "填报单位：{}　统计期：{year}年{month}月　共 {} 条",
        unit.unwrap_or(if signoff.unit.is_empty() {
            ""
        } else {
            &signoff.unit
        }),
        m.rows.len()
    );
    if kind.hazard.is_some() {
        subtitle.push_str(&format!(
            "（上月结转 {} 条，逾期 {} 条）",
            m.carried, m.overdue
        ));
    }
    let numbered = kind.numbered.then(|| ("序号".to_string(), 0.6));
    let reporter = unit.unwrap_or(&signoff.unit);
    let table = typeset::table::Table {
        title: format!("{}{year}年{month}月{}", unit.unwrap_or(""), kind.name),
        subtitle,
        columns: numbered
            .into_iter()
            .chain(kind.columns.iter().map(|c| (c.label.clone(), c.width)))
            .collect(),
        rows: m.rows.clone(),
        // The unit signs and stamps its ledger (the seal goes over the
        // 填报单位 line, hence the blank line under it).
        signoff: Some(format!(
            "填报单位（盖章）：{}\n\n负责人：{}　　　　审核人：{}　　　　填表人：{}　　　　填报日期：{}",
            blank(reporter),
            blank(&signoff.head),
            blank(&signoff.reviewer),
            blank(&signoff.filler),
            blank(&signoff.date)
        )),
        whole: Vec::new(),
    };
    typeset::table::pages(engine, &table)
}

fn blank(s: &str) -> String {
    if s.is_empty() {
        "　".repeat(6)
    } else {
        s.to_string()
    }
}

/// Who fills in and checks the ledger.
#[derive(Debug, Clone, Default)]
pub struct Signoff {
    pub unit: String,
    pub filler: String,
    pub reviewer: String,
    /// 负责人 of the unit.
    pub head: String,
    /// 填报日期 as printed (2019年5月31日).
    pub date: String,
}

/// `2019-05` → (2019, 5).
pub fn parse_month(s: &str) -> Result<(i32, u32), String> {
    let t = s.trim().replace(['年', '月', '/', '.'], "-");
    let mut it = t.split('-').filter(|p| !p.is_empty());
    let y = it
        .next()
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1949..=2100).contains(y));
    let m = it
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m));
    match (y, m) {
        (Some(y), Some(m)) => Ok((y, m)),
        _ => Err(format!("月份“{s}”看不懂：写成 2019-05。")),
    }
}

/// The 填报日期 as printed: the date given (any form clerks write, printed
/// 2019年5月31日), else the last day of the month the ledger covers — a May
/// ledger printed in June or years later is still dated for May.
pub fn report_date(given: Option<&str>, year: i32, month: u32) -> Result<String, String> {
    match given {
        Some(g) => Date::parse(g)
            .map(|d| d.chinese())
            .map_err(|e| format!("填报日期 --date：{e}")),
        None => {
            let d = month_end(year, month);
            Ok(format!("{}年{}月{}日", d.year(), d.month(), d.day()))
        }
    }
}
