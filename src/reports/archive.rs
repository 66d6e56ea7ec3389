//! Archive packages (DA/T 22-2015, spec §9): every document of the year as
//! PDF/A-2b with its 归档章 (and its 签批单, GW-K-05), named by 档号, the
//! 归档文件目录 as PDF (with an optional cover) and CSV, and a manifest of
//! SHA-256 sums. The 档号 given are kept in the register (`archived`
//! table), so 件号 continue from run to run and a re-run of the same
//! documents gives the same 件号 and the same bytes.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use typst_layout::PagedDocument;

use crate::error::Error;
use crate::layout::{Red, Stamp};
use crate::output::{self, sha256_hex, Csv};
use crate::register::policy::{self, Candidate, Placement};
use crate::register::{ArchivedItem, Register, Series, Snapshot};
use crate::render::{self, Prepared};
use crate::source::Origin;
use crate::typeset::inspect::{is_page_number, Inspection};
use crate::typeset::table::Table;
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
    /// 件号.
    pub item: u32,
    pub number: String,
    pub author: String,
    pub title: String,
    pub date: String,
    pub secrecy: String,
    /// Pages with content, the 签批单's included (the 归档章's 页数).
    pub pages: usize,
    pub source: PathBuf,
    /// Already in the register with this content (a re-run): same 档号.
    pub archived_before: bool,
    /// 备注 in the catalogue.
    pub remark: String,
}

/// How a run is made, beyond its sequence ([`ArchiveOptions`]).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The register that keeps the 档号 given (see
    /// [`crate::register::location_with`]); created by the first run that
    /// records an item.
    pub register: PathBuf,
    /// 全宗名称 (GW-A-21): printed in the catalogue and on its cover; each
    /// document of another issuing organ is reported.
    pub fonds_name: Option<String>,
    /// First 件号 of a sequence the register has no item of (an office
    /// moving from paper, whose last paper 件 of the year was `start - 1`).
    pub start: Option<u32>,
    /// Refuse the run, writing nothing, instead of leaving documents of
    /// another year out or warning about a document.
    pub strict: bool,
    /// A cover page (GW-A-21) before the printed catalogue.
    pub cover: bool,
}

/// What a run did.
#[derive(Debug)]
pub struct Report {
    /// The package's items in 档号 order.
    pub items: Vec<Item>,
    /// One line each: a document left out and why, or a warning about one.
    pub notes: Vec<String>,
    /// The register file, when this run created it.
    pub created_register: Option<PathBuf>,
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

/// Pages that carry content (a page with only its number does not).
fn content_pages(ins: &Inspection) -> usize {
    (1..=ins.pages)
        .filter(|p| ins.lines(*p).iter().any(|l| !is_page_number(&l.text)))
        .count()
}

/// SHA-256 of a document's source as gongwen read it (no byte-order mark,
/// LF line ends): what the register recognises an archived document by.
pub fn source_sha256(doc: &Prepared) -> String {
    match &doc.origin {
        Origin::File(f) => {
            let text = f.text.trim_start_matches('\u{FEFF}').replace("\r\n", "\n");
            sha256_hex(text.as_bytes())
        }
        Origin::Built { label } => sha256_hex(label.to_string_lossy().as_bytes()),
    }
}

/// A document of the run.
struct Doc {
    file: PathBuf,
    doc: Prepared,
    date: NaiveDate,
    sha: String,
}

impl Doc {
    /// How a line names the document: its file, with its 发文字号.
    fn named(&self) -> String {
        match self.doc.final_number() {
            Some(n) => format!("{}（{}）", self.file.display(), n.display()),
            None => self.file.display().to_string(),
        }
    }

    /// The issuing organs (first the 主办机关), then the 署名.
    fn organs(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .doc
            .layout
            .header
            .issuer_names
            .iter()
            .map(|n| n.trim().trim_end_matches("文件").trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let author = self.doc.facts.author.trim();
        if !author.is_empty() && !out.iter().any(|o| o == author) {
            out.push(author.to_string());
        }
        out
    }
}

/// Whether an organ's name and a 全宗名称 name the same organ: equal, or
/// one the other with the place name left off (“千泉街道办事处” and
/// “邹城市千泉街道办事处”).
fn same_organ(organ: &str, fonds: &str) -> bool {
    let short = |s: &str| s.chars().count() >= 2;
    short(organ) && short(fonds) && (organ.ends_with(fonds) || fonds.ends_with(organ))
}

/// A warning line for each document that is not the 全宗's (item 2 of
/// issue 14): of another organ, or a joint document whose 主办机关 is
/// another organ (its original is archived there, GW-A-40). Without a
/// 全宗名称, the organ of most documents stands for it.
fn organ_warnings(docs: &[Doc], fonds_name: Option<&str>) -> Vec<String> {
    let (fonds, guessed) = match fonds_name {
        Some(f) => (f.to_string(), false),
        None => {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for d in docs {
                let Some(o) = d.organs().into_iter().next() else {
                    continue;
                };
                match counts.iter_mut().find(|(k, _)| *k == o) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((o, 1)),
                }
            }
            let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
            match counts.into_iter().find(|(_, n)| *n == best) {
                Some((o, _)) => (o, true),
                None => return Vec::new(),
            }
        }
    };
    let mut out = Vec::new();
    for d in docs {
        let organs = d.organs();
        let Some(first) = organs.first() else {
            continue;
        };
        let issuers = d.doc.layout.header.issuer_names.len();
        let at = organs.iter().position(|o| same_organ(o, &fonds));
        let whose = if guessed {
            format!("这次归档的多数文件的机关“{fonds}”（没有写 --fonds-name，按多数文件判断）")
        } else {
            format!("全宗“{fonds}”")
        };
        match at {
            Some(0) => {}
            Some(i) if i < issuers => out.push(format!(
                "注意：{}是联合行文，主办机关是“{first}”：原件由主办机关归档，本机关归档的是复制件（GW-A-40）。",
                d.named()
            )),
            Some(_) => {}
            None => out.push(format!(
                "注意：{}的发文机关是“{}”，不是{whose}的文件；一个全宗只收本机关形成的文件。确属本机关的，核对 --fonds-name；不属于的，从这次归档中去掉。",
                d.named(),
                organs.join("、")
            )),
        }
    }
    out
}

/// Builds the archive zip at `output` and records its new items in the
/// register: 件号 continue from the items the register holds (a document
/// archived before keeps its 档号), documents of another year are left out
/// (or, with `strict`, refuse the run). Nothing is written unless the whole
/// package is made: the items are recorded in the same transaction that
/// puts the package in place.
pub fn run(
    engine: &Engine,
    inputs: &[PathBuf],
    opts: &ArchiveOptions,
    how: &RunOptions,
    output: &Path,
) -> Result<Report, Error> {
    let files = collect(inputs)?;
    let mut left_out = Vec::new();
    let mut docs = Vec::new();
    for f in &files {
        let mut doc = render::prepare(engine, f)?;
        render::fill_registered_number(&mut doc, Some(&how.register))?;
        let sha = source_sha256(&doc);
        let d = Doc {
            file: f.clone(),
            date: NaiveDate::default(),
            sha,
            doc,
        };
        match d.doc.facts.date.map(|d| d.0) {
            None => left_out.push(format!(
                "未归档：{}没有成文日期（date），不能确定年度，目录的日期栏也无法填写。补上成文日期后再归档。",
                d.named()
            )),
            Some(date) if date.year() != opts.year => left_out.push(format!(
                "未归档：{}的成文日期是 {}，不是 {} 年度的文件。请在 {} 年度的归档中归档（--year {}）。",
                d.named(),
                crate::model::date::Date(date).chinese(),
                opts.year,
                date.year(),
                date.year()
            )),
            Some(date) => docs.push(Doc { date, ..d }),
        }
    }
    if how.strict && !left_out.is_empty() {
        return Err(refused(&left_out, opts.year));
    }
    if docs.is_empty() {
        return Err(Error::other(format!(
            "没有 {} 年度的公文可以归档：\n{}",
            opts.year,
            left_out.join("\n")
        )));
    }
    // New 件号 in date order, then 发文字号, then file name: stable.
    docs.sort_by(|a, b| {
        let key = |d: &Doc| {
            (
                d.date,
                d.doc.layout.header.number.clone().unwrap_or_default(),
                d.file.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let warnings = organ_warnings(&docs, how.fonds_name.as_deref());
    let series = Series {
        fonds: opts.fonds.clone(),
        year: opts.year,
        retention: opts.retention.code().to_string(),
        dept: opts.dept.clone().unwrap_or_default(),
    };
    let candidates: Vec<Candidate> = docs
        .iter()
        .map(|d| Candidate {
            file: d.file.clone(),
            doc_id: d.doc.doc_id(),
            source_sha256: d.sha.clone(),
            number: number_of(&d.doc),
        })
        .collect();
    // Planned on what the register holds, rendered, then recorded if no
    // other run archived into the 全宗 meanwhile (else planned again): the
    // register is not locked while documents are laid out.
    for _ in 0..3 {
        let (existing, seen) = if how.register.is_file() {
            Register::open(&how.register)?.archived(&opts.fonds)?
        } else {
            (Vec::new(), Snapshot::default())
        };
        let plan = policy::place_items(&existing, &series, how.start, &candidates, |i| {
            archival_code(opts, i as usize)
        })?;
        let mut notes = warnings.clone();
        for (d, p) in docs.iter().zip(&plan) {
            if let Placement::New {
                item,
                earlier: Some(e),
            } = p
            {
                notes.push(format!(
                    "注意：{}在 {} 已归档为 {}，此后内容有改动。改动后的文件算作新的一件，档号为 {}；原档号仍属于改动前的文件（目录备注中注明）。若只是误改，恢复原文件后再运行即可沿用原档号。",
                    d.named(),
                    e.archived.get(..10).unwrap_or(&e.archived),
                    e.code,
                    archival_code(opts, *item as usize)
                ));
            }
        }
        if how.strict && !notes.is_empty() {
            let mut all = left_out.clone();
            all.extend(notes);
            return Err(refused(&all, opts.year));
        }
        let mut made = Vec::new();
        for (d, p) in docs.iter_mut().zip(&plan) {
            let (item, bytes) = render_item(engine, d, opts, p)?;
            made.push((item, bytes, p));
        }
        made.sort_by_key(|m| m.0.item);
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        let mut new_rows = Vec::new();
        for (item, bytes, p) in &made {
            let pdf_sha = sha256_hex(bytes);
            match p {
                Placement::Known(e) if e.pdf_sha256 != pdf_sha => notes.push(format!(
                    "注意：{} 这次排出的 PDF 与 {} 归档时的不同（字体、版式模板或 gongwen 版本有变化），档号不变。",
                    item.code,
                    e.archived.get(..10).unwrap_or(&e.archived)
                )),
                Placement::Known(_) => {}
                Placement::New { earlier, .. } => new_rows.push(ArchivedItem {
                    fonds: series.fonds.clone(),
                    year: series.year,
                    retention: series.retention.clone(),
                    dept: series.dept.clone(),
                    item: item.item,
                    code: item.code.clone(),
                    doc_id: candidates
                        .iter()
                        .find(|c| c.file == item.source)
                        .map(|c| c.doc_id.clone())
                        .unwrap_or_default(),
                    source_sha256: candidates
                        .iter()
                        .find(|c| c.file == item.source)
                        .map(|c| c.source_sha256.clone())
                        .unwrap_or_default(),
                    pdf_sha256: pdf_sha,
                    number: item.number.clone(),
                    title: item.title.clone(),
                    doc_date: item.date.clone(),
                    pages: item.pages as u32,
                    archived: String::new(),
                    earlier: earlier.as_ref().map(|e| e.code.clone()).unwrap_or_default(),
                }),
            }
            entries.push((format!("{}.pdf", item.code), bytes.clone()));
        }
        let items: Vec<Item> = made.into_iter().map(|m| m.0).collect();
        let (catalogue_pdf, catalogue_csv) = catalogue(engine, opts, how, &items)?;
        entries.push(("归档文件目录.pdf".to_string(), catalogue_pdf));
        entries.push(("归档文件目录.csv".to_string(), catalogue_csv));
        let mut manifest = Csv::new("归档包清单", ["文件", "字节数", "SHA-256"])?;
        for (name, bytes) in &entries {
            manifest.row([name.clone(), bytes.len().to_string(), sha256_hex(bytes)])?;
        }
        entries.push(("清单.csv".to_string(), manifest.into_bytes()?));
        let zip = output::zip(&entries, year_end(opts.year))?;
        let (mut register, created) = Register::open_or_create(&how.register)?;
        let mut staged = None;
        let recorded = register.record_archive(&opts.fonds, seen, &new_rows, || {
            staged = Some(output::stage(output, &zip)?);
            Ok(())
        })?;
        if recorded {
            // The items are recorded; only now does the package appear.
            if let Some(tmp) = staged {
                output::commit_file(tmp, output)?;
            }
            let mut notes = notes;
            left_out.append(&mut notes);
            return Ok(Report {
                items,
                notes: left_out,
                created_register: created.then(|| how.register.clone()),
            });
        }
    }
    Err(Error::other(format!(
        "另一个程序正在向全宗 {} 归档，发文登记簿 {} 一直在变。请等它完成后再运行；没有生成归档包。",
        opts.fonds,
        how.register.display()
    )))
}

/// The 发文字号 of a document, empty if none.
fn number_of(doc: &Prepared) -> String {
    doc.final_number().map(|n| n.display()).unwrap_or_default()
}

/// The error of a `--strict` run that would have left documents out or
/// warned.
fn refused(lines: &[String], year: i32) -> Error {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_start_matches("注意："))
        .collect();
    Error::other(format!(
        "{}\n用了 --strict：以上 {} 处问题都要先处理（或去掉 --strict，按上面所说排除或提醒后归档 {year} 年度的文件），没有生成归档包，登记簿没有改动。",
        lines.join("\n"),
        lines.len()
    ))
}

/// Lays out one 件 with `item` as its 件号: the document with its 归档章,
/// then its 签批单 when it has one (正本 → 发文稿纸, GW-K-05), counted in
/// the 归档章's 页数.
pub fn item_pages(
    engine: &Engine,
    doc: &mut Prepared,
    opts: &ArchiveOptions,
    item: u32,
) -> Result<PagedDocument, Error> {
    // PDF/A-2b without a CMYK output intent: red in sRGB (GW-C-02 allows it).
    doc.layout.red = Red::Rgb;
    let form = match doc.approval {
        Some(_) => Some(render::approval_pages(engine, doc)?),
        None => None,
    };
    let extra = form
        .as_ref()
        .map(|f| content_pages(&Inspection::of(f)))
        .unwrap_or(0);
    doc.layout.stamp = Some(Stamp {
        fonds: opts.fonds.clone(),
        year: opts.year,
        item: format!("{item:04}"),
        dept: opts.dept.clone().unwrap_or_default(),
        retention: opts.retention.label().to_string(),
        extra_pages: extra,
    });
    let paged = render::pages(engine, doc)?;
    Ok(match form {
        Some(form) => typeset::concat(vec![paged, form]),
        None => paged,
    })
}

/// One 件 as PDF/A-2b, with its catalogue row.
fn render_item(
    engine: &Engine,
    d: &mut Doc,
    opts: &ArchiveOptions,
    place: &Placement,
) -> Result<(Item, Vec<u8>), Error> {
    let item = place.item();
    let code = archival_code(opts, item as usize);
    let paged = item_pages(engine, &mut d.doc, opts, item)?;
    let doc = &d.doc;
    let bytes = typeset::pdf_archival(&paged, &code, d.date).map_err(|e| match e {
        Error::Other(m) => Error::other(format!("{}：{m}", d.file.display())),
        other => other,
    })?;
    let ins = Inspection::of(&paged);
    let remark = match place {
        Placement::New {
            earlier: Some(e), ..
        } => format!("内容改动后重新归档，原档号 {}", e.code),
        _ => String::new(),
    };
    Ok((
        Item {
            code,
            item,
            number: number_of(doc),
            author: doc.facts.author.clone(),
            title: doc.facts.title.clone(),
            date: d.date.format("%Y%m%d").to_string(),
            secrecy: doc.facts.secrecy.clone(),
            pages: content_pages(&ins),
            source: d.file.clone(),
            archived_before: matches!(place, Placement::Known(_)),
            remark,
        },
        bytes,
    ))
}

/// The last day of the archive's year: the date of every entry in the zip.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default()
}

/// Columns of the 归档文件目录 (GW-A-20) and their width weights.
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

/// The printed 归档文件目录 (GW-A-20..22) as a table: the 档号 never
/// broken, the 文号 only before “〔”.
pub fn catalogue_table(o: &ArchiveOptions, fonds_name: Option<&str>, items: &[Item]) -> Table {
    let dept = o
        .dept
        .as_ref()
        .filter(|d| !d.is_empty())
        .map(|d| format!("　机构（问题）：{d}"))
        .unwrap_or_default();
    let name = fonds_name
        .filter(|n| !n.trim().is_empty())
        .map(|n| format!("　全宗名称：{}", n.trim()))
        .unwrap_or_default();
    Table {
        title: "归档文件目录".to_string(),
        subtitle: format!(
            "全宗号：{}{name}　年度：{}　保管期限：{}{dept}　共 {} 件",
            o.fonds,
            o.year,
            o.retention.label(),
            items.len()
        ),
        columns: COLUMNS.iter().map(|(l, w)| (l.to_string(), *w)).collect(),
        rows: catalogue_rows(items),
        signoff: None,
        whole: vec![1, 2, 5],
    }
}

fn catalogue_rows(items: &[Item]) -> Vec<Vec<String>> {
    items
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
                it.remark.clone(),
            ]
        })
        .collect()
}

/// The cover of the printed catalogue (GW-A-21): 全宗号, 全宗名称 (a line
/// left to fill in by hand when not given), 年度, 保管期限, 机构（问题）.
pub fn cover_fields(o: &ArchiveOptions, fonds_name: Option<&str>) -> Vec<(String, String)> {
    let mut f = vec![
        ("全宗号".to_string(), o.fonds.clone()),
        (
            "全宗名称".to_string(),
            fonds_name.unwrap_or("").trim().to_string(),
        ),
        ("年度".to_string(), o.year.to_string()),
        ("保管期限".to_string(), o.retention.label().to_string()),
    ];
    if let Some(d) = o.dept.as_ref().filter(|d| !d.is_empty()) {
        f.push(("机构（问题）".to_string(), d.clone()));
    }
    f
}

/// 归档文件目录 (GW-A-20..22) as PDF/A-2b (with its cover when asked) and
/// CSV.
fn catalogue(
    engine: &Engine,
    o: &ArchiveOptions,
    how: &RunOptions,
    items: &[Item],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let table = catalogue_table(o, how.fonds_name.as_deref(), items);
    let mut w = Csv::new("归档文件目录", COLUMNS.iter().map(|c| c.0))?;
    for r in &table.rows {
        w.row(r)?;
    }
    let csv = w.into_bytes()?;
    let mut paged = typeset::table::pages(engine, &table)?;
    if how.cover {
        let cover = typeset::table::cover(
            engine,
            "归档文件目录",
            &cover_fields(o, how.fonds_name.as_deref()),
        )?;
        paged = typeset::concat(vec![cover, paged]);
    }
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

/// Checks `--start`: a 件号 of four digits.
pub fn check_start(start: u32) -> Result<u32, String> {
    if (1..=policy::MAX_ITEM).contains(&start) {
        Ok(start)
    } else {
        Err(format!(
            "--start {start} 不对：件号是 1 到 {} 之间的数（纸质归档最后一件是 63 号，就写 --start 64）。",
            policy::MAX_ITEM
        ))
    }
}

/// Checks `--fonds-name`: a name of one line, printed in the catalogue.
pub fn check_fonds_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 60 || n.chars().any(char::is_control) {
        Err(format!(
            "全宗名称“{name}”不对：写立档单位的全称或规范简称（一行，最多 60 字），如 邹城市千泉街道办事处。"
        ))
    } else {
        Ok(n.to_string())
    }
}
