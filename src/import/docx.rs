//! Reading a .docx (Office Open XML) draft into paragraphs: the visible text
//! of each paragraph as Word shows it with all tracked changes accepted,
//! automatic numbers written out (“一、”, “（一）”, “1.”), and the hints a
//! clerk's layout gives (centred, right-aligned, bold, size) and, for
//! paragraphs in tables, their row and cell.
//!
//! Everything is bounded: the archive's entries (count and decompressed
//! size) and the XML nesting. quick-xml never expands entities other than
//! the five predefined ones and reads no DTD, so no external entity is ever
//! fetched or expanded.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Largest decompressed part read (document.xml, numbering.xml).
pub const MAX_ENTRY_BYTES: u64 = 50_000_000;
/// Most entries an archive may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest XML nesting accepted.
const MAX_DEPTH: usize = 256;
/// Most paragraphs read.
const MAX_PARAS: usize = 100_000;

/// One paragraph of the draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub text: String,
    /// The number Word prints before it (automatic numbering), if any.
    pub auto_number: Option<String>,
    pub centred: bool,
    pub right: bool,
    /// Every run with text is bold.
    pub bold: bool,
    /// Largest font size in points, when set on a run.
    pub size: Option<f64>,
    /// Inside a table: `Some((table, row, cell))`.
    pub cell: Option<(usize, usize, usize)>,
    /// How its table cell is merged with others.
    pub shape: CellShape,
    /// Pictures anchored in or placed inline in this paragraph, as their
    /// relationship ids (`r:embed`), resolved to part names by [`read`].
    pub images: Vec<String>,
}

/// A table cell's merging (`w:gridSpan`, `w:vMerge`) and whether its row
/// repeats as a header row (`w:tblHeader`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellShape {
    /// Grid columns the cell covers (1 when not merged).
    pub span: usize,
    pub merge: Merge,
    pub header_row: bool,
}

/// A cell's part in a vertical merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Merge {
    #[default]
    None,
    /// The top cell of a vertical merge.
    Start,
    /// A cell covered by the one above.
    Continue,
}

/// What the reader saw besides the text.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub insertions: usize,
    pub deletions: usize,
    pub comments: usize,
    /// Footnote and endnote references (their text is not imported).
    pub footnotes: usize,
    pub images: usize,
    /// Headers and footers with text (page numbers, running titles).
    pub headers_footers: usize,
    pub tables: usize,
    /// Each table's grid column widths in twips (`w:tblGrid`), by table.
    pub grids: Vec<Vec<u32>>,
    pub fields: usize,
    pub dropped_chars: usize,
}

/// A problem with the file itself, in Chinese.
pub type Fault = String;

/// Reads the paragraphs of a .docx file's bytes.
pub fn read(bytes: &[u8]) -> Result<(Vec<Para>, Seen), Fault> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(OLD_FORMAT.to_string());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        "文件不是有效的 .docx（无法按 Word 文档打开，可能已损坏或只是改了扩展名）。".to_string()
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "文件里有 {} 个部件，超过了 {MAX_ENTRIES} 个的上限，不像一份公文草稿。",
            zip.len()
        ));
    }
    let document = entry(&mut zip, "word/document.xml")?
        .ok_or("文件里没有 word/document.xml，不是 Word 文档（.docx）。")?;
    let numbering = entry(&mut zip, "word/numbering.xml")?;
    let styles = entry(&mut zip, "word/styles.xml")?;
    let comments =
        entry(&mut zip, "word/comments.xml")?.map_or(0, |c| c.matches("<w:comment ").count());
    let rels = entry(&mut zip, "word/_rels/document.xml.rels")?;
    let (mut paras, mut seen) = read_parts(&document, numbering.as_deref(), styles.as_deref())?;
    seen.comments = comments;
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names {
        let running = name.strip_prefix("word/").is_some_and(|n| {
            (n.starts_with("header") || n.starts_with("footer")) && n.ends_with(".xml")
        });
        if running && entry(&mut zip, &name)?.is_some_and(|x| x.contains("<w:t")) {
            seen.headers_footers += 1;
        }
    }
    let targets = rels
        .as_deref()
        .map(relationships)
        .transpose()?
        .unwrap_or_default();
    for p in &mut paras {
        for id in &mut p.images {
            *id = targets
                .get(id.as_str())
                .map(|t| {
                    format!(
                        "word/{}",
                        t.trim_start_matches('/').trim_start_matches("word/")
                    )
                })
                .unwrap_or_default();
        }
        p.images.retain(|t| !t.is_empty());
    }
    Ok((paras, seen))
}

/// Largest picture taken out of a draft (a seal).
pub const MAX_IMAGE_BYTES: u64 = 10_000_000;

/// The bytes of a picture in the draft (a part name from [`Para::images`]).
pub fn image(bytes: &[u8], name: &str) -> Result<Vec<u8>, Fault> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "文件不是有效的 .docx。".to_string())?;
    let file = zip
        .by_name(name)
        .map_err(|_| format!("文件里的图片 {name} 读不出来。"))?;
    if file.size() > MAX_IMAGE_BYTES {
        return Err(format!("文件里的图片 {name} 超过 10 MB，不像一枚印章。"));
    }
    let mut out = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| format!("文件里的图片 {name} 解压失败。"))?;
    if out.len() as u64 > MAX_IMAGE_BYTES {
        return Err(format!("文件里的图片 {name} 超过 10 MB，不像一枚印章。"));
    }
    Ok(out)
}

/// word/_rels/document.xml.rels: relationship id → target part.
fn relationships(xml: &str) -> Result<HashMap<String, String>, Fault> {
    let mut out = HashMap::new();
    walk(xml, "word/_rels/document.xml.rels", |tag| {
        if let Tag::Open(e, _) = tag {
            if e.local_name().as_ref() == b"Relationship"
                && attr(e, b"TargetMode").as_deref() != Some("External")
            {
                if let (Some(id), Some(t)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    out.insert(id, t);
                }
            }
        }
    })?;
    Ok(out)
}

/// Reads the paragraphs from the XML parts themselves (document.xml, and
/// numbering.xml and styles.xml when the file has them).
pub fn read_parts(
    document: &str,
    numbering: Option<&str>,
    styles: Option<&str>,
) -> Result<(Vec<Para>, Seen), Fault> {
    let mut numbering = match numbering {
        Some(x) => Numbering::parse(x)?,
        None => Numbering::default(),
    };
    let styles = match styles {
        Some(x) => Styles::parse(x)?,
        None => Styles::default(),
    };
    numbering.follow_style_links(&styles);
    let mut seen = Seen::default();
    let paras = paragraphs(document, &numbering, &styles, &mut seen)?;
    Ok((paras, seen))
}

pub const OLD_FORMAT: &str = "这是旧版 Word（.doc）或 WPS（.wps）格式，gongwen 只读 .docx。";

fn entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, Fault> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(format!("文件里的 {name} 读不出来（文件可能已损坏）。")),
    };
    if file.size() > MAX_ENTRY_BYTES {
        return Err(too_big(name));
    }
    let mut bytes = Vec::new();
    file.take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| format!("文件里的 {name} 解压失败（文件可能已损坏）。"))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(too_big(name));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("文件里的 {name} 不是 UTF-8 文本（文件可能已损坏）。"))
}

fn too_big(name: &str) -> Fault {
    format!(
        "文件里的 {name} 解压后超过 {} MB，不像一份公文草稿。",
        MAX_ENTRY_BYTES / 1_000_000
    )
}

fn xml_fault(part: &str, e: impl std::fmt::Display) -> Fault {
    format!("文件里的 {part} 不是合法的 XML（{e}），文件可能已损坏。请用 Word 或 WPS 打开后重新保存为 .docx。")
}

/// An element met while walking an XML part.
enum Tag<'a, 'b> {
    /// An opening element, and whether it is empty (`<w:b/>`).
    Open(&'a BytesStart<'b>, bool),
    /// The local name of a closing element.
    Close(&'a [u8]),
}

/// Walks the elements of a part with their nesting bounded ([`MAX_DEPTH`]):
/// the shared loop of the numbering and style readers.
fn walk(xml: &str, part: &str, mut on: impl FnMut(Tag)) -> Result<(), Fault> {
    let mut r = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match r.read_event().map_err(|e| xml_fault(part, e))? {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(xml_fault(part, "嵌套太深"));
                }
                on(Tag::Open(&e, false));
            }
            Event::Empty(e) => on(Tag::Open(&e, true)),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                on(Tag::Close(e.local_name().as_ref()));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                let raw = String::from_utf8_lossy(&a.value);
                quick_xml::escape::unescape(&raw)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Whether an on/off property (`<w:b/>`, `<w:b w:val="0"/>`) is on.
fn on(e: &BytesStart) -> bool {
    !matches!(
        attr(e, b"val").as_deref(),
        Some("0") | Some("false") | Some("off")
    )
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// word/numbering.xml: list definitions and the lists that use them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by level)
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// abstractNumId → the list style whose list it is (`w:numStyleLink`:
    /// Word's list styles keep their levels in another definition).
    links: HashMap<String, String>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, Fault> {
        let mut n = Numbering::default();
        let mut abs: Option<String> = None;
        let mut lvl: Option<u8> = None;
        let mut num: Option<String> = None;
        let mut over: Option<u8> = None;
        walk(xml, "word/numbering.xml", |tag| {
            let e = match tag {
                Tag::Close(name) => {
                    match name {
                        b"abstractNum" => abs = None,
                        b"lvl" => lvl = None,
                        b"num" => num = None,
                        b"lvlOverride" => over = None,
                        _ => {}
                    }
                    return;
                }
                Tag::Open(e, _) => e,
            };
            let val = || attr(e, b"val").unwrap_or_default();
            match e.local_name().as_ref() {
                b"abstractNum" => abs = attr(e, b"abstractNumId"),
                b"lvl" if abs.is_some() => {
                    lvl = attr(e, b"ilvl").and_then(|v| v.parse().ok());
                    if let (Some(a), Some(l)) = (&abs, lvl) {
                        n.abstracts.entry(a.clone()).or_default().insert(
                            l,
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        );
                    }
                }
                b"start" | b"numFmt" | b"lvlText" if abs.is_some() => {
                    if let (Some(a), Some(l)) = (&abs, lvl) {
                        if let Some(level) = n.abstracts.get_mut(a).and_then(|m| m.get_mut(&l)) {
                            match e.local_name().as_ref() {
                                b"start" => level.start = val().parse().unwrap_or(1),
                                b"numFmt" => level.format = val(),
                                _ => level.text = val(),
                            }
                        }
                    }
                }
                b"num" => {
                    num = attr(e, b"numId");
                }
                b"abstractNumId" => {
                    if let Some(id) = &num {
                        n.nums.entry(id.clone()).or_default().0 = val();
                    }
                }
                b"lvlOverride" => over = attr(e, b"ilvl").and_then(|v| v.parse().ok()),
                b"numStyleLink" => {
                    if let (Some(a), Some(st)) = (&abs, attr(e, b"val")) {
                        n.links.insert(a.clone(), st);
                    }
                }
                b"startOverride" => {
                    if let (Some(id), Some(l)) = (&num, over) {
                        let start = val().parse().unwrap_or(1);
                        n.nums.entry(id.clone()).or_default().1.insert(l, start);
                    }
                }
                _ => {}
            }
        })?;
        Ok(n)
    }

    /// Gives a definition that only links to a list style the levels of
    /// the definition that style's list uses.
    fn follow_style_links(&mut self, styles: &Styles) {
        for (abs, style) in self.links.clone() {
            let target = styles
                .find(&style, |s| s.num.clone())
                .and_then(|(num, _)| self.nums.get(&num).map(|n| n.0.clone()));
            if let Some(levels) = target
                .filter(|t| *t != abs)
                .and_then(|t| self.abstracts.get(&t).cloned())
            {
                self.abstracts.insert(abs, levels);
            }
        }
    }

    fn level(&self, num: &str, ilvl: u8) -> Option<Level> {
        let (abs, overrides) = self.nums.get(num)?;
        let mut level = self.abstracts.get(abs)?.get(&ilvl)?.clone();
        if let Some(s) = overrides.get(&ilvl) {
            level.start = *s;
        }
        Some(level)
    }
}

/// What a paragraph style gives its paragraphs: a list, an alignment.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    num: Option<(String, u8)>,
    jc: Option<String>,
}

/// word/styles.xml, the paragraph styles (a heading style linked to a
/// multilevel list numbers its paragraphs; a title style centres them).
#[derive(Debug, Default)]
struct Styles {
    styles: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, Fault> {
        let mut out = Styles::default();
        let mut current: Option<String> = None;
        let mut in_ppr = false;
        walk(xml, "word/styles.xml", |tag| {
            let (e, empty) = match tag {
                Tag::Close(b"style") => {
                    current = None;
                    return;
                }
                Tag::Close(b"pPr") => {
                    in_ppr = false;
                    return;
                }
                Tag::Close(_) => return,
                Tag::Open(e, empty) => (e, empty),
            };
            let name = e.local_name();
            if name.as_ref() == b"style" {
                current = attr(e, b"styleId");
                return;
            }
            let Some(id) = &current else { return };
            let st = out.styles.entry(id.clone()).or_default();
            match name.as_ref() {
                b"pPr" if !empty => in_ppr = true,
                b"basedOn" => st.based_on = attr(e, b"val"),
                b"jc" if in_ppr => st.jc = attr(e, b"val"),
                b"ilvl" if in_ppr => {
                    let l = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let id = st.num.take().map(|n| n.0).unwrap_or_default();
                    st.num = Some((id, l));
                }
                b"numId" if in_ppr => {
                    let l = st.num.take().map(|n| n.1).unwrap_or(0);
                    st.num = Some((attr(e, b"val").unwrap_or_default(), l));
                }
                _ => {}
            }
        })?;
        Ok(out)
    }

    /// A property of a style or of the styles it is based on.
    fn find<T>(&self, id: &str, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut id = id.to_string();
        for _ in 0..16 {
            let st = self.styles.get(&id)?;
            if let Some(v) = get(st) {
                return Some(v);
            }
            id = st.based_on.clone()?;
        }
        None
    }
}

/// Counts the lists' items as Word does: lists (`w:num`) drawn from one
/// definition (`w:abstractNum`) share their counters, a list that overrides
/// a level's start restarts it where it is first used, and a level's
/// counter restarts when a higher level moves on.
#[derive(Default)]
struct Counters {
    lists: HashMap<String, [Option<u32>; 9]>,
    /// Lists whose start overrides have taken effect.
    restarted: std::collections::HashSet<String>,
}

impl Counters {
    fn next(&mut self, numbering: &Numbering, num: &str, ilvl: u8) -> Option<String> {
        let ilvl = ilvl.min(8);
        let level = numbering.level(num, ilvl)?;
        let (abs, overrides) = numbering.nums.get(num)?;
        let counts = self.lists.entry(abs.clone()).or_default();
        if !overrides.is_empty() && self.restarted.insert(num.to_string()) {
            for l in overrides.keys() {
                if let Some(c) = counts.get_mut(*l as usize) {
                    *c = None;
                }
            }
        }
        let i = ilvl as usize;
        counts[i] = Some(counts[i].map_or(level.start, |c| c.saturating_add(1)));
        for c in counts.iter_mut().skip(i + 1) {
            *c = None;
        }
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let l = (d as usize).saturating_sub(1).min(8);
                    let fmt = numbering
                        .level(num, l as u8)
                        .map(|lv| lv.format)
                        .unwrap_or_default();
                    let value = counts[l]
                        .unwrap_or_else(|| numbering.level(num, l as u8).map_or(1, |lv| lv.start));
                    out.push_str(&format_number(value, &fmt));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

/// A counter in a numFmt.
pub fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "chineseLegalSimplified"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n),
        "lowerLetter" => letter(n, b'a'),
        "upperLetter" => letter(n, b'A'),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 105 → 一百零五.
pub fn chinese(n: u32) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "〇".into();
    }
    if n >= 1000 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push(D[h as usize]);
        s.push('百');
    }
    if t > 0 {
        if !(h == 0 && t == 1) {
            s.push(D[t as usize]);
        }
        s.push('十');
    } else if h > 0 && u > 0 {
        s.push('零');
    }
    if u > 0 {
        s.push(D[u as usize]);
    }
    s
}

fn letter(n: u32, base: u8) -> String {
    let i = (n.max(1) - 1) % 26;
    ((base + i as u8) as char).to_string()
}

/// Where the text of the current run goes.
#[derive(Default)]
struct ParaState {
    para: Para,
    num: Option<(String, u8)>,
    style: Option<String>,
    jc_set: bool,
    runs_with_text: usize,
    bold_runs: usize,
    run_bold: bool,
    run_hidden: bool,
    run_size: Option<f64>,
    run_has_text: bool,
}

/// The paragraphs of word/document.xml.
fn paragraphs(
    xml: &str,
    numbering: &Numbering,
    styles: &Styles,
    seen: &mut Seen,
) -> Result<Vec<Para>, Fault> {
    let part = "word/document.xml";
    let mut r = Reader::from_str(xml);
    let mut out: Vec<Para> = Vec::new();
    let mut counters = Counters::default();
    // Open paragraphs (a text box holds paragraphs inside a paragraph).
    let mut stack: Vec<ParaState> = Vec::new();
    let mut depth = 0usize;
    // Depths of the subtrees whose text is skipped (deletions, fallbacks).
    let mut skip_until: Option<usize> = None;
    let mut in_ppr = false;
    let mut in_rpr = false;
    let mut in_text = false;
    // Complex fields: true once past `separate` (the cached result).
    let mut fields: Vec<bool> = Vec::new();
    // Tables: where in the innermost one the reader is.
    let mut tables: Vec<TablePos> = Vec::new();
    let mut in_tcpr = false;
    loop {
        let ev = r.read_event().map_err(|e| xml_fault(part, e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                if !empty {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(xml_fault(part, "嵌套太深"));
                    }
                }
                if skip_until.is_some() {
                    continue;
                }
                let name = e.local_name();
                let name = name.as_ref();
                match name {
                    b"del" | b"moveFrom" => {
                        seen.deletions += 1;
                        if !empty {
                            skip_until = Some(depth);
                        }
                    }
                    b"ins" | b"moveTo" => seen.insertions += 1,
                    b"footnoteReference" | b"endnoteReference" => {
                        seen.footnotes += 1;
                        if !empty {
                            skip_until = Some(depth);
                        }
                    }
                    b"Fallback" | b"instrText" | b"delText" | b"pPrChange" | b"rPrChange"
                    | b"numberingChange" | b"tcPrChange" | b"trPrChange" | b"tblPrChange"
                    | b"tblGridChange"
                        if !empty =>
                    {
                        skip_until = Some(depth);
                    }
                    b"tbl" => {
                        seen.tables += 1;
                        seen.grids.push(Vec::new());
                        tables.push(TablePos {
                            table: seen.tables,
                            ..TablePos::default()
                        });
                    }
                    b"gridCol" => {
                        if let (Some(t), Some(w)) = (
                            tables.last(),
                            attr(e, b"w").and_then(|w| w.parse::<f64>().ok()),
                        ) {
                            if let Some(g) = seen.grids.get_mut(t.table - 1) {
                                g.push(w.clamp(0.0, 1e6) as u32);
                            }
                        }
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row += 1;
                            t.cell = 0;
                            t.header_row = false;
                        }
                    }
                    b"tblHeader" => {
                        if let Some(t) = tables.last_mut() {
                            t.header_row = on(e);
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell += 1;
                            t.span = 1;
                            t.merge = Merge::None;
                        }
                    }
                    b"tcPr" if !empty => in_tcpr = true,
                    b"gridSpan" if in_tcpr => {
                        if let Some(t) = tables.last_mut() {
                            t.span = attr(e, b"val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 64);
                        }
                    }
                    b"vMerge" if in_tcpr => {
                        if let Some(t) = tables.last_mut() {
                            t.merge = match attr(e, b"val").as_deref() {
                                Some("restart") => Merge::Start,
                                _ => Merge::Continue,
                            };
                        }
                    }
                    b"p" if !empty => {
                        if out.len() >= MAX_PARAS {
                            return Err(format!(
                                "文件有超过 {MAX_PARAS} 个段落，不像一份公文草稿。"
                            ));
                        }
                        let mut st = ParaState::default();
                        if let Some(t) = tables.last() {
                            (st.para.cell, st.para.shape) = t.place();
                        }
                        stack.push(st);
                    }
                    b"p" => {
                        let mut para = Para::default();
                        if let Some(t) = tables.last() {
                            (para.cell, para.shape) = t.place();
                        }
                        out.push(para);
                    }
                    b"pPr" if !empty => in_ppr = true,
                    b"rPr" if !empty => in_rpr = true,
                    b"r" => {
                        if let Some(st) = stack.last_mut() {
                            st.run_bold = false;
                            st.run_hidden = false;
                            st.run_size = None;
                            st.run_has_text = false;
                        }
                    }
                    b"pStyle" if in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            st.style = attr(e, b"val");
                        }
                    }
                    b"jc" if in_ppr && !in_rpr => {
                        if let Some(st) = stack.last_mut() {
                            st.jc_set = true;
                            match attr(e, b"val").as_deref() {
                                Some("center") => st.para.centred = true,
                                Some("right") | Some("end") => st.para.right = true,
                                _ => {}
                            }
                        }
                    }
                    b"ilvl" if in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            let l = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            let id = st.num.take().map(|n| n.0).unwrap_or_default();
                            st.num = Some((id, l));
                        }
                    }
                    b"numId" if in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            let l = st.num.take().map(|n| n.1).unwrap_or(0);
                            st.num = Some((attr(e, b"val").unwrap_or_default(), l));
                        }
                    }
                    b"b" if in_rpr && !in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            st.run_bold = on(e);
                        }
                    }
                    // Hidden text (Word's 隐藏文字) is not printed.
                    b"vanish" | b"specVanish" if in_rpr && !in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            st.run_hidden = on(e);
                        }
                    }
                    b"sz" if in_rpr && !in_ppr => {
                        if let Some(st) = stack.last_mut() {
                            st.run_size = attr(e, b"val")
                                .and_then(|v| v.parse::<f64>().ok())
                                .map(|h| h / 2.0);
                        }
                    }
                    b"t" if !empty => in_text = true,
                    b"tab" if !in_ppr => push_text(&mut stack, &fields, "\t"),
                    // A page break is no text; a line break joins.
                    b"br" | b"cr" if attr(e, b"type").as_deref() != Some("page") => {
                        push_text(&mut stack, &fields, "\u{B}");
                    }
                    b"noBreakHyphen" => push_text(&mut stack, &fields, "-"),
                    b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                        Some("begin") => {
                            seen.fields += 1;
                            fields.push(false);
                        }
                        Some("separate") => {
                            if let Some(f) = fields.last_mut() {
                                *f = true;
                            }
                        }
                        Some("end") => {
                            fields.pop();
                        }
                        _ => {}
                    },
                    b"fldSimple" => seen.fields += 1,
                    b"blip" | b"imagedata" => {
                        seen.images += 1;
                        let id = attr(e, b"embed").or_else(|| attr(e, b"id"));
                        if let (Some(st), Some(id)) = (stack.last_mut(), id) {
                            st.para.images.push(id);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if let Some(d) = skip_until {
                    if depth == d {
                        skip_until = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                depth = depth.saturating_sub(1);
                match name {
                    b"pPr" => in_ppr = false,
                    b"rPr" => in_rpr = false,
                    b"tcPr" => in_tcpr = false,
                    b"t" => in_text = false,
                    b"tbl" => {
                        tables.pop();
                    }
                    b"r" => {
                        if let Some(st) = stack.last_mut() {
                            if st.run_has_text {
                                st.runs_with_text += 1;
                                st.bold_runs += usize::from(st.run_bold);
                                if let Some(s) = st.run_size {
                                    st.para.size = Some(st.para.size.map_or(s, |p: f64| p.max(s)));
                                }
                            }
                        }
                    }
                    b"p" => {
                        if let Some(mut st) = stack.pop() {
                            st.para.bold =
                                st.runs_with_text > 0 && st.bold_runs == st.runs_with_text;
                            if let Some(style) = &st.style {
                                if st.num.is_none() {
                                    st.num = styles.find(style, |s| s.num.clone());
                                }
                                if !st.jc_set {
                                    match styles.find(style, |s| s.jc.clone()).as_deref() {
                                        Some("center") => st.para.centred = true,
                                        Some("right") | Some("end") => st.para.right = true,
                                        _ => {}
                                    }
                                }
                            }
                            if let Some((id, l)) = &st.num {
                                if !id.is_empty() && id != "0" {
                                    st.para.auto_number = counters.next(numbering, id, *l);
                                }
                            }
                            out.push(st.para);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_text && skip_until.is_none() => {
                let s = t.unescape().map_err(|e| xml_fault(part, e))?;
                let mut clean = String::with_capacity(s.len());
                for c in s.chars() {
                    // A line break inside the XML text is a space in Word.
                    if c == '\n' || c == '\r' {
                        clean.push(' ');
                    } else if crate::guard::forbidden(c).is_some() && c != '\u{B}' {
                        seen.dropped_chars += 1;
                    } else {
                        clean.push(c);
                    }
                }
                push_text(&mut stack, &fields, &clean);
            }
            Event::CData(ref t) if in_text && skip_until.is_none() => {
                let s = String::from_utf8_lossy(t).into_owned();
                push_text(&mut stack, &fields, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Paragraphs closed inside others (text boxes) came out first; that is
    // the order Word reads them in as well.
    Ok(out)
}

/// Where in a table the reader is.
#[derive(Debug, Clone, Copy, Default)]
struct TablePos {
    table: usize,
    row: usize,
    cell: usize,
    span: usize,
    merge: Merge,
    header_row: bool,
}

impl TablePos {
    fn place(&self) -> (Option<(usize, usize, usize)>, CellShape) {
        (
            Some((self.table, self.row, self.cell)),
            CellShape {
                span: self.span.max(1),
                merge: self.merge,
                header_row: self.header_row,
            },
        )
    }
}

fn push_text(stack: &mut [ParaState], fields: &[bool], s: &str) {
    // Field codes (between `begin` and `separate`) are no text.
    if fields.iter().any(|f| !f) || s.is_empty() {
        return;
    }
    if let Some(st) = stack.last_mut().filter(|st| !st.run_hidden) {
        st.para.text.push_str(s);
        st.run_has_text = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(11), "十一");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(23), "二十三");
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(chinese(110), "一百一十");
    }

    #[test]
    fn hidden_text_field_codes_and_deletions_are_no_text() {
        let doc = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:ins><w:r><w:t>增</w:t></w:r></w:ins></w:p></w:body></w:document>"#;
        let (p, seen) = read_parts(doc, None, None).unwrap();
        assert_eq!(p[0].text, "可见3增");
        assert_eq!((seen.insertions, seen.deletions, seen.fields), (1, 1, 1));
    }

    #[test]
    fn footnote_references_are_counted() {
        let doc = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:body></w:document>"#;
        let (p, seen) = read_parts(doc, None, None).unwrap();
        assert_eq!(p[0].text, "正文");
        assert_eq!(seen.footnotes, 1);
    }

    #[test]
    fn not_a_zip_is_a_chinese_error() {
        assert!(read(b"hello").unwrap_err().contains(".docx"));
        assert!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
            .unwrap_err()
            .contains(".doc"));
    }
}
