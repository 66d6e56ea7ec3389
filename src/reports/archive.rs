//! Archive packages (DA/T 22-2015, spec §9): every document as PDF/A-2b with
//! its 归档章, named by 档号, 件号 in order, the 归档文件目录 as PDF and CSV,
//! and a manifest of SHA-256 sums — all deterministic, so a re-run gives the
//! same 件号 and the same bytes.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::error::Error;
use crate::layout::{Red, Stamp};
use crate::output::{self, sha256_hex, Csv};
use crate::render::{self, Prepared};
use crate::typeset::inspect::{is_page_number, Inspection};
use crate::typeset::{self, Engine};

/// 保管期限 (GW-A-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    Permanent,
    Years30,
    Years10,
}

impl Retention {
    pub fn parse(s: &str) -> Result<Retention, String> {
        match s.trim() {
            "永久" | "Y" | "y" => Ok(Retention::Permanent),
            "30年" | "定期30年" | "D30" | "d30" => Ok(Retention::Years30),
            "10年" | "定期10年" | "D10" | "d10" => Ok(Retention::Years10),
            other => Err(format!(
                "保管期限“{other}”不对：只能是 永久、30年 或 10年（Y、D30、D10）。"
            )),
        }
    }

    /// Code in the 档号.
    pub fn code(self) -> &'static str {
        match self {
            Retention::Permanent => "Y",
            Retention::Years30 => "D30",
            Retention::Years10 => "D10",
        }
    }

    /// Text on the 归档章.
    pub fn label(self) -> &'static str {
        match self {
            Retention::Permanent => "永久",
            Retention::Years30 => "30年",
            Retention::Years10 => "10年",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    /// 全宗号.
    pub fonds: String,
    pub year: i32,
    pub retention: Retention,
    /// 机构（问题）code, e.g. BGS; none when not classified by it.
    pub dept: Option<String>,
}

/// Checks a 机构（问题）code: it becomes part of file names in the package
/// and of the 档号 on the 归档章, so only letters, digits and Chinese
/// characters, at most 20 (e.g. BGS, 办公室).
pub fn check_dept(dept: &str) -> Result<String, String> {
    let d = dept.trim();
    let ok = !d.is_empty()
        && d.chars().count() <= 20
        && d.chars().all(|c| {
            c.is_ascii_alphanumeric() || crate::compose::punct::is_cjk(c) && c.is_alphabetic()
        });
    if ok {
        Ok(d.to_string())
    } else {
        Err(format!(
            "机构（问题）代码“{dept}”不对：只能由字母、数字或汉字组成（最多 20 个），如 BGS 或 办公室；不能有 /、\\、. 等符号。"
        ))
    }
}

/// 档号 (GW-A-01): 全宗号-WS·年度-保管期限-[机构-]件号.
pub fn archival_code(o: &ArchiveOptions, item: usize) -> String {
    let dept = o
        .dept
        .as_ref()
        .filter(|d| !d.is_empty())
        .map(|d| format!("-{d}"))
        .unwrap_or_default();
    format!(
        "{}-WS·{}-{}{dept}-{item:04}",
        o.fonds,
        o.year,
        o.retention.code()
    )
}

/// One archived 件.
#[derive(Debug, Clone)]
pub struct Item {
    pub code: String,
    pub number: String,
    pub author: String,
    pub title: String,
    pub date: String,
    pub secrecy: String,
    pub pages: usize,
    pub source: PathBuf,
}

/// The YAML documents named by `inputs` (files, or folders read one level
/// deep), in a stable order.
pub fn collect(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::other(format!("读不了文件夹 {}：{e}", p.display())))?
                .flatten()
                .map(|e| e.path())
                .filter(|f| {
                    matches!(
                        f.extension().and_then(|e| e.to_str()),
                        Some("yaml") | Some("yml")
                    )
                })
                .collect();
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Error::other(format!("找不到 {}。", p.display())));
        }
    }
    if out.is_empty() {
        return Err(Error::other("没有要归档的公文（YAML 文件）。"));
    }
    Ok(out)
}

/// 成文日期; a document without one is dated the first day of the year.
fn doc_date(doc: &Prepared, year: i32) -> NaiveDate {
    doc.facts
        .date
        .map(|d| d.0)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"))
}

/// Pages that carry content (a page with only its number does not).
fn content_pages(ins: &Inspection) -> usize {
    (1..=ins.pages)
        .filter(|p| ins.lines(*p).iter().any(|l| !is_page_number(&l.text)))
        .count()
}

/// Builds the archive zip at `output`.
pub fn run(
    engine: &Engine,
    inputs: &[PathBuf],
    opts: &ArchiveOptions,
    output: &Path,
) -> Result<Vec<Item>, Error> {
    let files = collect(inputs)?;
    let mut docs = Vec::new();
    for f in &files {
        let mut doc = render::prepare(engine, f)?;
        render::fill_registered_number(&mut doc, None)?;
        docs.push((f.clone(), doc));
    }
    // 件号 in date order, then 发文字号, then file name: stable across runs.
    docs.sort_by(|a, b| {
        let key = |d: &(PathBuf, Prepared)| {
            (
                doc_date(&d.1, opts.year),
                d.1.layout.header.number.clone().unwrap_or_default(),
                d.0.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut items = Vec::new();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (file, mut doc)) in docs.into_iter().enumerate() {
        let code = archival_code(opts, i + 1);
        // PDF/A-2b without a CMYK output intent: red in sRGB (GW-C-02 allows it).
        doc.layout.red = Red::Rgb;
        doc.layout.stamp = Some(Stamp {
            fonds: opts.fonds.clone(),
            year: opts.year,
            item: format!("{:04}", i + 1),
            dept: opts.dept.clone().unwrap_or_default(),
            retention: opts.retention.label().to_string(),
        });
        let paged = render::pages(engine, &doc)?;
        let date = doc_date(&doc, opts.year);
        let bytes = typeset::pdf_archival(&paged, &code, date).map_err(|e| match e {
            Error::Other(m) => Error::other(format!("{}：{m}", file.display())),
            other => other,
        })?;
        let ins = Inspection::of(&paged);
        items.push(Item {
            code: code.clone(),
            number: doc.final_number().map(|n| n.display()).unwrap_or_default(),
            author: doc.facts.author.clone(),
            title: doc.facts.title.clone(),
            date: date.format("%Y%m%d").to_string(),
            secrecy: doc.facts.secrecy.clone(),
            pages: content_pages(&ins),
            source: file,
        });
        entries.push((format!("{code}.pdf"), bytes));
    }
    let (catalogue_pdf, catalogue_csv) = catalogue(engine, opts, &items)?;
    entries.push(("归档文件目录.pdf".to_string(), catalogue_pdf));
    entries.push(("归档文件目录.csv".to_string(), catalogue_csv));
    let mut manifest = Csv::new("归档包清单", ["文件", "字节数", "SHA-256"])?;
    for (name, bytes) in &entries {
        manifest.row([name.clone(), bytes.len().to_string(), sha256_hex(bytes)])?;
    }
    entries.push(("清单.csv".to_string(), manifest.into_bytes()?));
    let zip = output::zip(&entries, year_end(opts.year))?;
    output::write_atomic(output, &zip)?;
    Ok(items)
}

/// The last day of the archive's year: the date of every entry in the zip.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default()
}

/// 归档文件目录 (GW-A-20..22) as PDF/A-2b and CSV.
fn catalogue(
    engine: &Engine,
    o: &ArchiveOptions,
    items: &[Item],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    const COLUMNS: [(&str, f64); 9] = [
        ("序号", 0.7),
        ("档号", 3.0),
        ("文号", 2.2),
        ("责任者", 2.2),
        ("题名", 5.2),
        ("日期", 1.3),
        ("密级", 0.8),
        ("页数", 0.7),
        ("备注", 1.2),
    ];
    let rows: Vec<Vec<String>> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            vec![
                (i + 1).to_string(),
                it.code.clone(),
                it.number.clone(),
                it.author.clone(),
                it.title.clone(),
                it.date.clone(),
                it.secrecy.clone(),
                it.pages.to_string(),
                String::new(),
            ]
        })
        .collect();
    let mut w = Csv::new("归档文件目录", COLUMNS.iter().map(|c| c.0))?;
    for r in &rows {
        w.row(r)?;
    }
    let csv = w.into_bytes()?;
    let dept = o
        .dept
        .as_ref()
        .filter(|d| !d.is_empty())
        .map(|d| format!("　机构（问题）：{d}"))
        .unwrap_or_default();
    let table = typeset::table::Table {
        title: "归档文件目录".to_string(),
        subtitle: format!(
            "全宗号：{}　年度：{}　保管期限：{}{dept}　共 {} 件",
            o.fonds,
            o.year,
            o.retention.label(),
            items.len()
        ),
        columns: COLUMNS.iter().map(|(l, w)| (l.to_string(), *w)).collect(),
        rows,
        signoff: None,
    };
    let paged = typeset::table::pages(engine, &table)?;
    let pdf = typeset::pdf_archival(
        &paged,
        &format!("catalogue-{}-{}", o.fonds, o.year),
        year_end(o.year),
    )?;
    Ok((pdf, csv))
}

/// Whether a year is plausible for an archive.
pub fn check_year(year: i32) -> Result<i32, String> {
    if (1949..=2100).contains(&year) && year.to_string().len() == 4 {
        Ok(year)
    } else {
        Err(format!("年度“{year}”不对：写四位年份。"))
    }
}

/// Today's year (default for `--year`).
pub fn this_year() -> i32 {
    chrono::Local::now().date_naive().year()
}
