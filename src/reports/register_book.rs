//! The 发文登记簿 (GW-T-22): the register's entries as a landscape table
//! (PDF) or as CSV for WPS/Excel.

use crate::error::Error;
use crate::model::date::Date;
use crate::output::Csv;
use crate::register::{Entry, Status};
use crate::typeset::{self, Engine};

/// Columns of the 发文登记簿: label, relative width.
pub const COLUMNS: [(&str, f64); 16] = [
    ("登记序号", 0.9),
    ("发文字号", 2.6),
    ("标题", 5.0),
    ("文种", 0.9),
    ("密级/保密期限", 1.1),
    ("紧急程度", 0.9),
    ("拟稿人", 0.9),
    ("签发人", 0.9),
    ("成文日期", 2.0),
    ("主送", 2.4),
    ("抄送", 1.8),
    ("印制份数", 0.8),
    ("附件", 1.6),
    ("印发日期", 2.0),
    ("公开属性", 1.0),
    ("状态/备注", 1.5),
];

/// One row per entry, in the column order of [`COLUMNS`].
pub fn rows(entries: &[Entry]) -> Vec<Vec<String>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let d = &e.doc;
            let with_note = |label: &str| {
                if e.note.is_empty() {
                    label.to_string()
                } else {
                    format!("{label}：{}", e.note)
                }
            };
            let status = match e.status {
                Status::Issued if d.title.is_empty() => with_note("已取号"),
                Status::Issued => String::new(),
                Status::Reserved => with_note("预留"),
                Status::Void => format!("作废：{}", e.note),
            };
            vec![
                (i + 1).to_string(),
                e.number().display(),
                d.title.clone(),
                d.kind.clone(),
                d.secrecy.clone(),
                d.urgency.clone(),
                d.drafter.clone(),
                d.signers.clone(),
                d.date.clone(),
                d.to.clone(),
                d.cc.clone(),
                d.copies.map(|c| c.to_string()).unwrap_or_default(),
                d.attachments.clone(),
                d.print_date.clone(),
                d.disclosure.clone(),
                status,
            ]
        })
        .collect()
}

/// The register as CSV, with the output file, its SHA-256 and the time of
/// registration as extra columns.
pub fn csv(entries: &[Entry]) -> Result<Vec<u8>, Error> {
    let header = COLUMNS
        .iter()
        .map(|c| c.0)
        .chain(["输出文件", "SHA-256", "登记时间"]);
    let mut w = Csv::new("发文登记簿 CSV", header)?;
    for (row, e) in rows(entries).into_iter().zip(entries) {
        let mut row = row;
        row.extend([
            e.doc.output.clone(),
            e.doc.sha256.clone(),
            e.created.clone(),
        ]);
        w.row(&row)?;
    }
    w.into_bytes()
}

/// The 发文登记簿 of one year as a landscape table PDF.
pub fn pdf(
    engine: &Engine,
    entries: &[Entry],
    year: i32,
    code: Option<&str>,
) -> Result<Vec<u8>, Error> {
    let today = chrono::Local::now().date_naive();
    let subtitle = format!(
        "{}导出日期：{}　共 {} 条",
        code.map(|c| format!("机关代字：{c}　")).unwrap_or_default(),
        Date(today).chinese(),
        entries.len()
    );
    let table = typeset::table::Table {
        title: format!("{year}年发文登记簿"),
        subtitle,
        columns: COLUMNS.iter().map(|(l, w)| (l.to_string(), *w)).collect(),
        rows: rows(entries),
        signoff: None,
        // 发文字号 broken only before “〔”, as in the 归档文件目录.
        whole: vec![1],
    };
    let paged = typeset::table::pages(engine, &table)?;
    typeset::pdf(&paged, &format!("register-{year}"))
}
