//! Units (村居, 部门 …) read from CSV, XLSX or YAML, one row per unit, with
//! the row number kept for error reports.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostic, Error};

/// One unit: its row in the file (1-based, the header being row 1) and its
/// cells by variable name.
#[derive(Debug, Clone)]
pub struct Unit {
    pub row: usize,
    pub values: BTreeMap<String, String>,
}

impl Unit {
    /// The unit's name: the `name` variable, else the first cell.
    pub fn name(&self) -> String {
        self.values
            .get("name")
            .cloned()
            .unwrap_or_else(|| self.values.values().next().cloned().unwrap_or_default())
    }
}

/// Reads units; `columns` maps file headers to variable names (headers not
/// in the map keep their own name). `file.xlsx#工作表` picks a sheet.
pub fn read(path: &Path, columns: &BTreeMap<String, String>) -> Result<Vec<Unit>, Error> {
    let shown = path.display().to_string();
    let (file, sheet) = match shown.rsplit_once('#') {
        Some((f, s)) if f.to_lowercase().ends_with(".xlsx") => {
            (Path::new(f).to_path_buf(), Some(s.to_string()))
        }
        _ => (path.to_path_buf(), None),
    };
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let table: Vec<(usize, Vec<String>)> = match ext.as_str() {
        "csv" | "txt" => read_csv(&file)?,
        "xlsx" | "xlsm" => read_xlsx(&file, sheet.as_deref())?,
        "yaml" | "yml" => return read_yaml(&file, columns),
        _ => {
            return Err(Error::other(format!(
                "单位名单 {shown} 的格式不认识：请用 .csv、.xlsx 或 .yaml 文件。"
            )));
        }
    };
    from_table(&file, table, columns)
}

/// Units from a table whose first row is the header.
pub fn from_table(
    file: &Path,
    table: Vec<(usize, Vec<String>)>,
    columns: &BTreeMap<String, String>,
) -> Result<Vec<Unit>, Error> {
    let shown = file.display().to_string();
    let mut rows = table.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(Error::other(format!(
            "单位名单 {shown} 是空的：第一行应是表头，之后每行一个单位。"
        )));
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{FEFF}').to_string())
        .collect();
    let missing: Vec<&String> = columns.keys().filter(|k| !header.contains(k)).collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|s| format!("“{s}”")).collect();
        return Err(Error::Input(vec![Diagnostic::error(
            file,
            "",
            format!("单位名单的表头缺少列：{}。", list.join("、")),
        )
        .at(1, 1)
        .hint(format!(
            "第一行表头现在是：{}。请补上缺少的列（可以留空）。",
            header.join("、")
        ))]));
    }
    let mut out = Vec::new();
    for (row, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut values = BTreeMap::new();
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            let var = columns.get(h).cloned().unwrap_or_else(|| h.clone());
            values.insert(
                var,
                cells
                    .get(i)
                    .map(|c| c.trim().to_string())
                    .unwrap_or_default(),
            );
        }
        out.push(Unit { row, values });
    }
    Ok(out)
}

fn read_csv(file: &Path) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let bytes = std::fs::read(file)
        .map_err(|e| Error::other(format!("读不了单位名单 {}：{e}", file.display())))?;
    parse_csv(file, &bytes)
}

/// Rows of a CSV file's bytes (row numbers 1-based, header included).
pub fn parse_csv(file: &Path, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Error> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::other(format!(
            "单位名单 {} 不是 UTF-8 编码（可能是 WPS/Excel 默认的 GBK）。请“另存为”时选择“CSV UTF-8”。",
            file.display()
        )));
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::other(format!(
                "单位名单 {} 第 {} 行格式不对：{e}",
                file.display(),
                i + 1
            ))
        })?;
        out.push((i + 1, rec.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

fn read_xlsx(file: &Path, sheet: Option<&str>) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let bytes = std::fs::read(file)
        .map_err(|e| Error::other(format!("读不了表格 {}：{e}", file.display())))?;
    parse_xlsx(file, &bytes, sheet)
}

/// Rows of an XLSX workbook's first (or named) sheet.
pub fn parse_xlsx(
    file: &Path,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Vec<(usize, Vec<String>)>, Error> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Error::other(format!(
            "读不了表格 {}：{e}（只支持 .xlsx）",
            file.display()
        ))
    })?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Error::other(format!(
                    "表格 {} 里没有工作表“{s}”；有：{}",
                    file.display(),
                    names.join("、")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::other(format!("表格 {} 没有工作表。", file.display())))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| Error::other(format!("读不了工作表“{name}”：{e}")))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells = row
            .iter()
            .map(|c| match c {
                Data::Empty => String::new(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::DateTime(d) => d
                    .as_datetime()
                    .map(|t| t.date().format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                other => other.to_string(),
            })
            .collect();
        out.push((first_row + i + 1, cells));
    }
    Ok(out)
}

fn read_yaml(file: &Path, columns: &BTreeMap<String, String>) -> Result<Vec<Unit>, Error> {
    let src = crate::source::SourceFile::read(file)?;
    let rows: Vec<BTreeMap<String, crate::model::notice::Scalar>> = src.parse()?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, m)| Unit {
            row: i + 1,
            values: m
                .into_iter()
                .map(|(k, v)| (columns.get(&k).cloned().unwrap_or(k), v.0))
                .collect(),
        })
        .collect())
}
