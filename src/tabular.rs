//! Tables users give as files: CSV (UTF-8) and XLSX, read into numbered rows
//! of text cells. Used for unit lists (plans) and 台账 data.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Rows with their 1-based row numbers (the header is row 1).
pub type Rows = Vec<(usize, Vec<String>)>;

/// How a table file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Csv,
    /// A workbook, with the sheet named after `#` (`名单.xlsx#工作表`).
    Xlsx {
        sheet: Option<String>,
    },
    Yaml,
}

/// The file and its format; `what` names the table in messages (单位名单,
/// 台账数据 …).
pub fn format_of(path: &Path, what: &str) -> Result<(PathBuf, Format), Error> {
    let shown = path.display().to_string();
    let (file, sheet) = match shown.rsplit_once('#') {
        Some((f, s)) if f.to_lowercase().ends_with(".xlsx") => {
            (PathBuf::from(f), Some(s.to_string()))
        }
        _ => (path.to_path_buf(), None),
    };
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let format = match ext.as_str() {
        "csv" | "txt" => Format::Csv,
        "xlsx" | "xlsm" => Format::Xlsx { sheet },
        "yaml" | "yml" => Format::Yaml,
        _ => {
            return Err(Error::other(format!(
                "{what} {shown} 的格式不认识：请用 .csv、.xlsx 或 .yaml 文件。"
            )));
        }
    };
    Ok((file, format))
}

/// Reads a CSV or XLSX file's rows.
pub fn read(file: &Path, format: &Format, what: &str) -> Result<Rows, Error> {
    let bytes = std::fs::read(file)
        .map_err(|e| Error::other(format!("读不了{what} {}：{e}", file.display())))?;
    match format {
        Format::Csv => parse_csv(file, &bytes, what),
        Format::Xlsx { sheet } => parse_xlsx(file, &bytes, sheet.as_deref()),
        Format::Yaml => Err(Error::other(format!(
            "内部错误：{} 是 YAML，不是表格。",
            file.display()
        ))),
    }
}

/// Rows of a CSV file's bytes (row numbers 1-based, header included).
pub fn parse_csv(file: &Path, bytes: &[u8], what: &str) -> Result<Rows, Error> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::other(format!(
            "{what} {} 不是 UTF-8 编码（可能是 WPS/Excel 默认的 GBK）。请“另存为”时选择“CSV UTF-8”。",
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
                "{what} {} 第 {} 行格式不对：{e}",
                file.display(),
                i + 1
            ))
        })?;
        out.push((i + 1, rec.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

/// Rows of an XLSX workbook's first (or named) sheet.
pub fn parse_xlsx(file: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Rows, Error> {
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
