//! Tables users give as files: CSV (UTF-8) and XLSX, read into numbered rows
//! of text cells. Used for unit lists (plans) and 台账 data.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::guard;

/// Rows with their 1-based row numbers (the header is row 1).
pub type Rows = Vec<(usize, Vec<String>)>;

/// Largest table file read.
pub const MAX_FILE_BYTES: usize = 20_000_000;
/// Largest total size of an XLSX workbook's parts once unpacked (a small
/// file of compressed whitespace can unpack to gigabytes).
pub const MAX_UNPACKED_BYTES: u64 = 100_000_000;
/// Most rows and columns of a table, and characters in one cell.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_COLUMNS: usize = 200;
pub const MAX_CELL_CHARS: usize = 2_000;

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
    let bytes = guard::read_capped(file, MAX_FILE_BYTES, what)?;
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
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::other(format!(
            "{what} {} 是 UTF-16 编码（Excel 的“Unicode 文本”）。请“另存为”时选择“CSV UTF-8（逗号分隔）”。",
            file.display()
        )));
    }
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
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        check_row(file, what, i + 1, &cells)?;
        out.push((i + 1, cells));
    }
    Ok(out)
}

/// Row and column limits, and no cell with invisible or control characters.
fn check_row(file: &Path, what: &str, row: usize, cells: &[String]) -> Result<(), Error> {
    let place = |col: usize| format!("{what} {} 第 {row} 行第 {col} 列", file.display());
    if row > MAX_ROWS {
        return Err(Error::other(format!(
            "{what} {} 超过了 {MAX_ROWS} 行的上限。请分成几个文件。",
            file.display()
        )));
    }
    if cells.len() > MAX_COLUMNS && cells[MAX_COLUMNS..].iter().any(|c| !c.trim().is_empty()) {
        return Err(Error::other(format!(
            "{}：超过了 {MAX_COLUMNS} 列的上限。请删去多余的列。",
            place(MAX_COLUMNS + 1)
        )));
    }
    for (ci, cell) in cells.iter().enumerate() {
        let n = cell.chars().count();
        if n > MAX_CELL_CHARS {
            return Err(Error::other(format!(
                "{}：有 {n} 个字，超过了一格 {MAX_CELL_CHARS} 字的上限。",
                place(ci + 1)
            )));
        }
        if let Some(f) = guard::scan(cell).first() {
            return Err(Error::other(format!(
                "{}：有一个看不见的字符 {}（格内第 {} 行第 {} 个字）。{}",
                place(ci + 1),
                f.label(),
                f.line,
                f.column,
                guard::FORBIDDEN_HINT
            )));
        }
    }
    Ok(())
}

/// The unpacked size of a zip's parts, refused above [`MAX_UNPACKED_BYTES`]
/// before anything is unpacked.
fn check_unpacked(file: &Path, bytes: &[u8]) -> Result<(), Error> {
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(()); // not a zip: the workbook reader says so in its words
    };
    let total: u64 = archive
        .decompressed_size()
        .map(|s| s as u64)
        .unwrap_or(u64::MAX);
    if total > MAX_UNPACKED_BYTES {
        return Err(Error::other(format!(
            "表格 {} 解压后超过 {} MB 的上限（文件异常或内容过多）。请另存为新的 .xlsx 再试，或分成几个文件。",
            file.display(),
            MAX_UNPACKED_BYTES / 1_000_000
        )));
    }
    Ok(())
}

/// Rows of an XLSX workbook's first (or named) sheet.
pub fn parse_xlsx(file: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Rows, Error> {
    use calamine::{Reader, Xlsx};
    check_unpacked(file, bytes)?;
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
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| Error::other(format!("读不了工作表“{name}”：{e}")))?;
    // Cells one at a time: a sheet whose used range is huge (cells in A1
    // and XFD1048576) would otherwise be allocated whole.
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| Error::other(format!("读不了工作表“{name}”：{e}")))?
    {
        let (r, c) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let at = format!("{}{}", column_name(c as usize), r + 1);
        if r as usize >= MAX_ROWS {
            return Err(Error::other(format!(
                "表格 {} 的单元格 {at} 超过了 {MAX_ROWS} 行的上限。请删去多余的行，或分成几个文件。",
                file.display()
            )));
        }
        if c as usize >= MAX_COLUMNS {
            return Err(Error::other(format!(
                "表格 {} 的单元格 {at} 超过了 {MAX_COLUMNS} 列的上限。请删去多余的列。",
                file.display()
            )));
        }
        let row = rows.entry(r).or_default();
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    let mut out = Vec::new();
    for (r, cells) in rows {
        check_row(file, "表格", r as usize + 1, &cells)?;
        out.push((r as usize + 1, cells));
    }
    Ok(out)
}

fn cell_text(v: &calamine::DataRef) -> String {
    use calamine::DataRef as D;
    match v {
        D::Empty => String::new(),
        D::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        D::Float(f) => f.to_string(),
        D::Int(i) => i.to_string(),
        D::String(s) | D::DateTimeIso(s) | D::DurationIso(s) => s.clone(),
        D::SharedString(s) => s.to_string(),
        D::Bool(b) => b.to_string(),
        D::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        D::Error(e) => e.to_string(),
    }
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
fn column_name(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
