//! Units (村居, 部门 …) read from CSV, XLSX or YAML, one row per unit, with
//! the row number kept for error reports.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostic, Error};
use crate::tabular::{self, Format, Rows};

/// One unit: its row in the file (1-based, the header being row 1) and its
/// cells by variable name.
#[derive(Debug, Clone)]
pub struct Unit {
    pub row: usize,
    pub values: BTreeMap<String, String>,
    /// The header (or YAML key) the name is read from: the one mapped to
    /// `name`, else the first.
    pub name_column: String,
}

impl Unit {
    /// The unit's name: the `name` variable, else the first cell.
    pub fn name(&self) -> String {
        self.values
            .get("name")
            .cloned()
            .unwrap_or_else(|| self.values.values().next().cloned().unwrap_or_default())
    }

    /// A unit must have a name: its plan is titled, signed and named after it.
    pub fn check_name(&self) -> Result<(), String> {
        if self.name().trim().is_empty() {
            return Err(format!(
                "这一行的「{}」是空的：每个单位都要写名称，方案的标题、署名和文件名都用它。请在名单里补上名称，或删去这一行。",
                self.name_column
            ));
        }
        Ok(())
    }
}

/// The header whose cells name the units: the one mapped to `name`, else
/// the first.
fn name_column<'a>(
    headers: impl Iterator<Item = &'a String> + Clone,
    columns: &BTreeMap<String, String>,
) -> String {
    let var = |h: &String| columns.get(h).cloned().unwrap_or_else(|| h.clone());
    headers
        .clone()
        .find(|h| var(h) == "name")
        .or_else(|| headers.clone().find(|h| !h.is_empty()))
        .cloned()
        .unwrap_or_else(|| "名称".to_string())
}

/// Reads units; `columns` maps file headers to variable names (headers not
/// in the map keep their own name). `file.xlsx#工作表` picks a sheet.
/// `what` names the file in messages (单位名单, 台账数据).
pub fn read(
    path: &Path,
    columns: &BTreeMap<String, String>,
    what: &str,
) -> Result<Vec<Unit>, Error> {
    let (file, format) = tabular::format_of(path, what)?;
    if format == Format::Yaml {
        return read_yaml(&file, columns);
    }
    let table = tabular::read(&file, &format, what)?;
    from_table(&file, table, columns, what)
}

/// Units from a table whose first row is the header.
pub fn from_table(
    file: &Path,
    table: Rows,
    columns: &BTreeMap<String, String>,
    what: &str,
) -> Result<Vec<Unit>, Error> {
    let shown = file.display().to_string();
    let mut rows = table.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(Error::other(format!(
            "{what} {shown} 是空的：第一行应是表头，之后每行一条。"
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
            format!("{what}的表头缺少列：{}。", list.join("、")),
        )
        .at(1, 1)
        .hint(format!(
            "第一行表头现在是：{}。请补上缺少的列（可以留空）。",
            header.join("、")
        ))]));
    }
    let name_column = name_column(header.iter(), columns);
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
        out.push(Unit {
            row,
            values,
            name_column: name_column.clone(),
        });
    }
    Ok(out)
}

fn read_yaml(file: &Path, columns: &BTreeMap<String, String>) -> Result<Vec<Unit>, Error> {
    let src = crate::source::SourceFile::read(file)?;
    let rows: Vec<BTreeMap<String, crate::model::notice::Scalar>> = src.parse()?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let name_column = name_column(m.keys(), columns);
            Unit {
                row: i + 1,
                values: m
                    .into_iter()
                    .map(|(k, v)| (columns.get(&k).cloned().unwrap_or(k), v.0))
                    .collect(),
                name_column,
            }
        })
        .collect())
}
