//! Long tables (月度台账, 发文登记簿, 归档文件目录) laid out in parts.
//!
//! Typst keeps every laid-out cell of a compile in memory until the compile
//! ends: one 10,000-row 台账 in one compile peaked at 1.5 GiB. So the rows go
//! through `templates/table.typ` a slice at a time. A part's last page may
//! be only partly filled, so it is dropped and the next part starts with the
//! first row that page held (every row carries a `<gw-row>` marker). The
//! first part measures the column widths; later parts are given them, so all
//! pages agree. “第 N 页 共 M 页” needs M, known only at the end: one more
//! compile prints just the footers, and they are laid over the pages.

use typst::foundations::Value;
use typst::layout::{Frame, FrameItem, Point};
use typst::model::Document;
use typst_layout::{Page, PagedDocument};

use super::{compile, markers, Engine};
use crate::error::Error;

/// Rows per part: about 30 pages, small enough that a part's transient
/// memory stays near 60 MiB, large enough that re-laying each part's last
/// page costs little.
pub const ROWS_PER_PART: usize = 400;

/// For each column, how many of its widest values the first part measures
/// to choose column widths (measuring all 10,000 rows costs seconds).
const WIDEST_PER_COLUMN: usize = 8;

/// A table document: title, subtitle, the table, an optional sign-off line.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: String,
    pub subtitle: String,
    /// Label and width weight of each column.
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<String>>,
    /// 填表人/审核人/填报日期 below the table.
    pub signoff: Option<String>,
    /// Columns whose values are never broken but before “〔” (发文字号,
    /// 档号): the column is made wide enough for the longest piece, and
    /// wider, to hold the whole value on one line, when the others can
    /// give way.
    pub whole: Vec<usize>,
}

/// Lays a table out in parts of [`ROWS_PER_PART`] rows.
pub fn pages(engine: &Engine, table: &Table) -> Result<PagedDocument, Error> {
    pages_in_parts(engine, table, ROWS_PER_PART)
}

/// Lays a table out in parts of `per_part` rows (tests use small parts to
/// check that the parts join up exactly as one compile would lay them out).
pub fn pages_in_parts(
    engine: &Engine,
    table: &Table,
    per_part: usize,
) -> Result<PagedDocument, Error> {
    let per_part = per_part.max(1);
    let columns = columns_json(table);
    let fonts = engine.fonts.role_fonts();
    let total = table.rows.len();
    let mut pages: Vec<Page> = Vec::new();
    let mut info = None;
    let mut widths: Option<Value> = None;
    let part = |start: usize, end: usize, widths: Option<&Value>| {
        let mut data = serde_json::json!({
            "fonts": fonts,
            "title": table.title,
            "subtitle": table.subtitle,
            "columns": columns,
            "rows": &table.rows[start..end],
            "first": start,
            "head": start == 0,
            "tail": end == total,
            "signoff": table.signoff.as_deref().unwrap_or(""),
        });
        match widths {
            Some(w) => data["widths"] = value_json(w),
            None => data["sample"] = serde_json::json!(width_sample(table)),
        }
        to_bytes(&data)
    };
    let mut start = 0;
    let mut size = per_part;
    loop {
        let end = (start + size).min(total);
        let tail = end == total;
        let doc = compile(
            engine,
            "table.typ",
            part(start, end, widths.as_ref())?,
            None,
        )?;
        if widths.is_none() {
            widths = markers(&doc, "gw-widths")
                .into_iter()
                .next()
                .map(|m| m.value);
            if widths.is_none() {
                // A template of the user's own (`--templates`) that does not
                // lay out in parts: the whole table in one compile.
                drop(doc);
                return compile(engine, "table.typ", part(0, total, None)?, None);
            }
        }
        let (keep, next) = if tail {
            (doc.pages().len(), end)
        } else {
            match cut(&doc, start, end) {
                Some(cut) => cut,
                None => {
                    // The part did not run past its first page: take more rows.
                    size *= 2;
                    continue;
                }
            }
        };
        pages.extend(doc.pages()[..keep].iter().cloned().map(untagged));
        info.get_or_insert_with(|| doc.info().clone());
        drop(doc);
        // This part's cells are never needed again.
        typst::comemo::evict(1);
        if tail {
            break;
        }
        start = next;
        size = per_part;
    }
    let folios = compile(
        engine,
        "table.typ",
        to_bytes(&serde_json::json!({
            "fonts": fonts,
            "columns": columns,
            "folios": pages.len(),
        }))?,
        None,
    )?;
    for (i, (page, folio)) in pages.iter_mut().zip(folios.pages()).enumerate() {
        page.frame
            .push_frame(Point::zero(), without_tags(folio.frame.clone()));
        page.number = i as u64 + 1;
    }
    Ok(PagedDocument::new(
        pages.into_iter().collect(),
        info.unwrap_or_default(),
    ))
}

/// A cover page for a printed table (the 归档文件目录's, GW-A-21): a title
/// and label–value lines (`templates/cover.typ`). Untagged, like the
/// table pages it is bound with.
pub fn cover(
    engine: &Engine,
    title: &str,
    fields: &[(String, String)],
) -> Result<PagedDocument, Error> {
    let doc = compile(
        engine,
        "cover.typ",
        to_bytes(&serde_json::json!({
            "fonts": engine.fonts.role_fonts(),
            "title": title,
            "fields": fields,
        }))?,
        None,
    )?;
    let info = doc.info().clone();
    Ok(PagedDocument::new(
        doc.pages().iter().cloned().map(untagged).collect(),
        info,
    ))
}

/// Which pages of a part to keep, and the row the next part starts with:
/// the pages before the one the part's last row starts on, and the first row
/// starting there — or, when the row before it is an over-tall row that may
/// run onto that page, that row. None when nothing would be kept: the part
/// must be longer.
fn cut(doc: &PagedDocument, start: usize, end: usize) -> Option<(usize, usize)> {
    let rows = row_markers(doc, "gw-row");
    let Some(&(_, last_page)) = rows.iter().find(|(r, _)| *r == end - 1) else {
        // A template without markers (a user's own): keep the part whole.
        return Some((doc.pages().len(), end));
    };
    let tall = row_markers(doc, "gw-tall");
    let page_of = |row: usize| rows.iter().find(|(r, _)| *r == row).map(|(_, p)| *p);
    let first_on = |page: usize| {
        rows.iter()
            .filter(|(_, p)| *p == page)
            .map(|(r, _)| *r)
            .min()
    };
    let mut page = last_page;
    let mut row = first_on(page)?;
    while row > start && tall.iter().any(|(r, _)| *r == row - 1) {
        page = page_of(row - 1)?;
        row = first_on(page)?;
    }
    (row > start && page > 1).then_some((page - 1, row))
}

/// Row numbers and pages of the row markers with a label.
fn row_markers(doc: &PagedDocument, label: &str) -> Vec<(usize, usize)> {
    markers(doc, label)
        .into_iter()
        .filter_map(|m| match m.value {
            Value::Int(i) => Some((usize::try_from(i).ok()?, m.page)),
            _ => None,
        })
        .collect()
}

/// The JSON for a Typst value of numbers (the measured widths).
fn value_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Array(a) => a.iter().map(value_json).collect(),
        Value::Float(f) => serde_json::json!(f),
        Value::Int(i) => serde_json::json!(i),
        _ => serde_json::Value::Null,
    }
}

/// Column labels, weights and alignment. A column whose every non-empty
/// value is a number (登记序号, 印制份数 …) is centred; this is decided over
/// the whole table so every part agrees.
fn columns_json(table: &Table) -> serde_json::Value {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (label, width))| {
            let mut values = table
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .peekable();
            let numeric = values.peek().is_some() && values.all(is_number);
            serde_json::json!({
                "label": label,
                "width": width,
                "align": if numeric { "center" } else { "left" },
                "whole": table.whole.contains(&i),
            })
        })
        .collect()
}

/// The rows holding each column's widest values (a CJK character counted as
/// two Latin ones), in table order.
fn width_sample(table: &Table) -> Vec<&Vec<String>> {
    let width = |s: &str| -> usize { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let mut picked = std::collections::BTreeSet::new();
    for i in 0..table.columns.len() {
        let mut by_width: Vec<(usize, usize)> = table
            .rows
            .iter()
            .enumerate()
            .map(|(k, r)| (r.get(i).map_or(0, |s| width(s)), k))
            .collect();
        // Widest first; the earlier row first among equals.
        by_width.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        picked.extend(by_width.iter().take(WIDEST_PER_COLUMN).map(|&(_, k)| k));
    }
    picked.into_iter().map(|k| &table.rows[k]).collect()
}

/// “12”, “3.5”, “1,200”: digits with at most one `.` or `,` inside.
fn is_number(s: &str) -> bool {
    let mut parts = s.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or("");
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

fn to_bytes(data: &serde_json::Value) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(data).map_err(|e| Error::other(format!("内部错误：{e}")))
}

/// A kept page without its introspection tags: the parts' tags no longer
/// pair up once pages are dropped, so table documents are exported untagged.
fn untagged(mut page: Page) -> Page {
    page.frame = without_tags(page.frame);
    page
}

fn without_tags(mut frame: Frame) -> Frame {
    frame.retain(|item| match item {
        FrameItem::Tag(_) => false,
        FrameItem::Group(group) => {
            group.frame = without_tags(group.frame.clone());
            true
        }
        _ => true,
    });
    frame
}

#[cfg(test)]
mod tests {
    use super::is_number;

    #[test]
    fn numbers_are_digits_with_one_separator() {
        for s in ["1", "12", "3.5", "1,200", "007"] {
            assert!(is_number(s), "{s}");
        }
        for s in ["", "1.", ".5", "1.2.3", "一", "12份", "-1", "1 2"] {
            assert!(!is_number(s), "{s}");
        }
    }
}
