//! DOCX out (issue 19): an editable Word/WPS file written from the
//! [`Layout`] — not from the laid-out pages — that a word processor lays
//! out again and that still measures as GB/T 9704.
//!
//! Written directly as Office Open XML with `zip` (through
//! [`output::zip`], fixed dates) and escaped strings: no DOCX crate
//! expresses exact line heights with a paragraph border used as the red
//! rule, a text box anchored to the page for the 版记, odd/even footers
//! with a PAGE field at the outer edge and `w:altName` font alternates at
//! once, and the few parts needed are short.
//!
//! How the page is kept on the standard when a word processor lays it out:
//! - every gongwen style has an *exact* line height of 1 行 (589 twips,
//!   10.39 mm, GW-U-02); LibreOffice and Word put the baseline of an exact
//!   line at 4/5 of its height, so the top margin is chosen to put the em
//!   box of line 1 at y = 37 mm ([`TOP_TW`]) and the text area holds exactly
//!   22 lines (GW-P-07/09);
//! - 28 characters a line come from a character spacing of −0.25 pt on the
//!   3号 text (28 × 15.75 pt ≤ 156 mm < 29 × 15.75 pt), not from the
//!   character grid: LibreOffice sets each 16 pt character on two cells of
//!   a 15.79 pt grid (measured with 7.4), so `w:docGrid` only says 22 lines
//!   (`w:type="lines"`) and the styles do not snap to it;
//! - the head of page 1 (标志 at 72 mm, 发文字号, red rule, 标题, 主送) is
//!   placed with exact spacing before each paragraph, computed from the
//!   rule positions of the spec as the template computes them;
//! - the red rule is the 发文字号 paragraph's bottom border: it stays under
//!   the 字号 when the clerk edits it (a drawn line anchored to the page
//!   would stay where it was while the text moves);
//! - the 版记 is a text box anchored to the page, its last rule on the
//!   版心 bottom, so it stays at the foot of the page whatever is edited
//!   above it (GW-E-01/02; `w:framePr` frames and floating tables are not
//!   floated by LibreOffice 7.4); the page it goes to (same page, next
//!   page, or after a blank page) is decided by gongwen's own layout of the
//!   same document ([`ColophonPage`]).

mod parts;
mod xml;

use std::fmt::Write as _;
use std::path::Path;

use crate::compose::heading::{self, Level};
use crate::error::{Error, Result};
use crate::geometry::{LINE_MM, TOP_MM};
use crate::layout::{BlockOut, CellOut, Facts, Layout, PageFormat, Part};
use crate::output;
use crate::typeset::fonts::{FontSet, Role};

use xml::esc;

/// Twips per millimetre.
const TW_PER_MM: f64 = 1440.0 / 25.4;

fn tw(mm: f64) -> i64 {
    (mm * TW_PER_MM).round() as i64
}

/// 1 行 in twips (10.39 mm).
pub const LINE_TW: i64 = 589;
/// Where LibreOffice and Word put the baseline of an exact line: 4/5 of
/// its height (LibreOffice: `SwTextFormatter::CalcRealHeight`).
fn baseline_tw(line_tw: i64) -> f64 {
    (4 * line_tw / 5) as f64
}
/// Em top of `size_pt` text below the top of its exact line (ideographic em
/// box: 0.88 em above the baseline, GW-P-10's convention).
fn em_offset_tw(line_tw: i64, size_pt: f64) -> f64 {
    baseline_tw(line_tw) - 0.88 * size_pt * 20.0
}
/// Top margin: line 1's em box at y = 37 mm (GW-P-03/09).
pub const TOP_TW: i64 = 1908;
/// Bottom margin: the text area holds exactly 22 lines.
pub const BOTTOM_TW: i64 = PAGE_H_TW - TOP_TW - 22 * LINE_TW - 2;
const PAGE_W_TW: i64 = 11906;
const PAGE_H_TW: i64 = 16838;
/// 订口 28 mm and the outer margin 26 mm (mirrored on even pages).
const INSIDE_TW: i64 = 1587;
const OUTSIDE_TW: i64 = 1474;
/// 版心 width.
const BODY_W_TW: i64 = PAGE_W_TW - INSIDE_TW - OUTSIDE_TW;
/// 1 字 (GW-U-01), in twips.
fn zi() -> f64 {
    crate::compose::grid::PITCH_PT * 20.0
}
/// Character spacing of 3号 text, in twentieths of a point: 28 characters
/// fill the 156 mm line, 29 do not.
const BODY_SPACING: i64 = -5;
/// Red of the 标志 and the rule (GW-C-02; Word colours are RGB).
const RED: &str = "FF0000";

/// Which page the 版记 goes to, as gongwen's own layout of the document
/// decided (GW-E-01, GW-N-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColophonPage {
    /// Under the content on its last page (an even page).
    Same,
    /// Alone on the next page (the content ended on an odd page).
    Next,
    /// After a blank page; neither carries a page number.
    AfterBlank,
}

impl ColophonPage {
    /// Reads gongwen's laid-out pages: the page that ends the content
    /// (`<gw-end>`) against the last page, and the unnumbered pages.
    pub fn of(paged: &typst_layout::PagedDocument) -> ColophonPage {
        let page = crate::typeset::markers(paged, "gw-end")
            .first()
            .map_or(1, |m| m.page);
        let last = paged.pages().len();
        if !crate::typeset::markers(paged, "gw-nonum").is_empty() {
            ColophonPage::AfterBlank
        } else if last > page {
            ColophonPage::Next
        } else {
            ColophonPage::Same
        }
    }
}

/// Whether the .docx at `path` was written by gongwen (its
/// `docProps/app.xml` names gongwen): only such a file is replaced by a
/// render, never a clerk's own draft.
pub fn written_by_gongwen(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return false;
    };
    let Ok(app) = zip.by_name("docProps/app.xml") else {
        return false;
    };
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(app, 4096), &mut text).is_ok()
        && text.contains("<Application>gongwen</Application>")
}

/// What the writer reads.
pub struct Source<'a> {
    pub layout: &'a Layout,
    pub facts: &'a Facts,
    /// Measures widths (署名 centred on the date, 附件说明 indents).
    pub fonts: &'a FontSet,
    /// The input document's folder: seal images are read from it.
    pub dir: &'a Path,
    pub colophon: ColophonPage,
    /// GW-B-50: the page gongwen tightened to keep the signature with the
    /// last 正文 line, see [`Squeezed::of`].
    pub squeeze: Option<Squeezed>,
}

/// A page gongwen tightened (GW-B-50), as the .docx repeats it: the body
/// paragraphs that start on that page in gongwen's layout and the closing
/// get its line pitch as their exact line height.
#[derive(Debug, Clone)]
pub struct Squeezed {
    pub pitch_tw: i64,
    /// Per body block: it starts on the tightened page.
    pub blocks: Vec<bool>,
}

impl Squeezed {
    /// Finds each body paragraph's first line (as gongwen broke it) among
    /// the lines of the laid-out pages, in order, and marks those on the
    /// squeezed page.
    pub fn of(
        layout: &Layout,
        paged: &typst_layout::PagedDocument,
        s: crate::typeset::squeeze::Squeeze,
    ) -> Squeezed {
        let ins = crate::typeset::inspect::Inspection::of(paged);
        let strip = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
        let lines: Vec<(usize, String)> = (1..=ins.pages)
            .flat_map(|p| ins.lines(p).into_iter().map(move |l| (p, l.text)))
            .map(|(p, t)| (p, strip(&t)))
            .collect();
        let mut at = 0;
        let blocks = layout
            .body
            .iter()
            .map(|b| {
                let BlockOut::Par { lines: ls, .. } = b else {
                    return false;
                };
                let first: String = ls
                    .first()
                    .map(|l| l.iter().map(|s| s.text.as_str()).collect())
                    .unwrap_or_default();
                let first = strip(&first);
                if first.is_empty() {
                    return false;
                }
                let key: String = first.chars().take(10).collect();
                match lines[at..].iter().position(|(_, t)| t.starts_with(&key)) {
                    Some(i) => {
                        at += i + 1;
                        lines[at - 1].0 == s.page
                    }
                    None => false,
                }
            })
            .collect();
        // A word processor's exact line puts the line box, not the em box,
        // against the 版心's edges (the last line box ends 1.2 mm under its
        // em box at 0.92 行): 2 twips less a line make up for it, never
        // under 0.9 行.
        let floor = (crate::typeset::squeeze::MIN_PITCH_MM * TW_PER_MM).ceil() as i64;
        Squeezed {
            pitch_tw: (tw(s.pitch_mm) - 2).max(floor),
            blocks,
        }
    }
}

/// Writes the .docx package.
pub fn docx(src: &Source) -> Result<Vec<u8>> {
    let mut w = Writer::new(src);
    w.document()?;
    let body = std::mem::take(&mut w.out);
    let sect = w.final_sect();
    let document = parts::document_xml(&body, &sect);
    let date = src
        .facts
        .date
        .or(src.facts.print_date)
        .map(|d| d.0)
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"));
    let mut entries: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            parts::content_types(&w.media).into_bytes(),
        ),
        ("_rels/.rels".into(), parts::ROOT_RELS.as_bytes().to_vec()),
        (
            "docProps/core.xml".into(),
            parts::core(src.facts, date).into_bytes(),
        ),
        ("docProps/app.xml".into(), parts::APP.as_bytes().to_vec()),
        ("word/document.xml".into(), document.into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            parts::document_rels(&w.media).into_bytes(),
        ),
        (
            "word/styles.xml".into(),
            parts::styles(src.layout).into_bytes(),
        ),
        (
            "word/settings.xml".into(),
            parts::settings(src.layout.mirror).into_bytes(),
        ),
        (
            "word/fontTable.xml".into(),
            parts::font_table().into_bytes(),
        ),
        (
            "word/footer1.xml".into(),
            parts::footer(Some(false)).into_bytes(),
        ),
        (
            "word/footer2.xml".into(),
            parts::footer(Some(true)).into_bytes(),
        ),
        ("word/footer3.xml".into(), parts::footer(None).into_bytes()),
        (
            "word/footer4.xml".into(),
            parts::footer_turned(false, src.layout.metrics.dash_centre_em, src.layout.mirror)
                .into_bytes(),
        ),
        (
            "word/footer5.xml".into(),
            parts::footer_turned(true, src.layout.metrics.dash_centre_em, src.layout.mirror)
                .into_bytes(),
        ),
    ];
    for (i, m) in w.media.iter().enumerate() {
        entries.push((format!("word/media/seal{}.png", i + 1), m.png.clone()));
    }
    output::zip(&entries, date)
}

/// A picture placed in the document (a seal), as PNG.
pub(crate) struct Media {
    png: Vec<u8>,
}

struct Writer<'a> {
    src: &'a Source<'a>,
    out: String,
    media: Vec<Media>,
    /// Drawing object ids.
    next_id: u32,
    /// Space before the next block (after a title or a head), in twips.
    pending_before: Option<i64>,
    /// The last section (blank page and 版记 page) has no page numbers.
    unnumbered_tail: bool,
    /// The 主送 left page 1 for the 版记 (GW-B-12).
    moved_to: bool,
    /// Drawings anchored to the page (信函 标志 and double rules), put
    /// into the next paragraph written.
    carry: String,
    /// Sections ended so far (page 1 is in the first).
    sections: usize,
    /// Where the last paragraph written starts in `out` (none after a
    /// table): a section break goes into its properties.
    last_para: Option<usize>,
    /// Writing the 正文 (not an attachment's).
    in_body: bool,
}

/// Paragraph properties gongwen sets directly (the rest is in the style).
#[derive(Default)]
struct Props {
    before: i64,
    line: Option<i64>,
    jc: Option<&'static str>,
    /// left, right, first line (negative: hanging), in twips.
    ind: Option<(i64, i64, i64)>,
    page_break_before: bool,
    keep_next: bool,
    border: Option<String>,
    frame: Option<String>,
    tabs: Vec<(&'static str, i64)>,
    sect: Option<String>,
}

/// A run: text in one face.
struct Run<'t> {
    text: &'t str,
    role: Option<Role>,
    size_pt: Option<f64>,
    color: Option<&'static str>,
    /// Character spacing in twentieths of a point.
    spacing: Option<i64>,
}

impl<'t> Run<'t> {
    fn plain(text: &'t str) -> Run<'t> {
        Run {
            text,
            role: None,
            size_pt: None,
            color: None,
            spacing: None,
        }
    }
    fn face(text: &'t str, role: Role) -> Run<'t> {
        Run {
            role: Some(role),
            ..Run::plain(text)
        }
    }
}

impl<'a> Writer<'a> {
    fn new(src: &'a Source<'a>) -> Self {
        Writer {
            src,
            out: String::new(),
            media: Vec::new(),
            next_id: 1,
            pending_before: None,
            unnumbered_tail: false,
            moved_to: false,
            carry: String::new(),
            sections: 0,
            last_para: None,
            in_body: false,
        }
    }

    fn l(&self) -> &Layout {
        self.src.layout
    }

    /// Width of `text` in 3号 `role` as the word processor sets it (with the
    /// body character spacing), in twips.
    fn width_tw(&self, role: Role, text: &str) -> f64 {
        text.chars()
            .map(|c| self.src.fonts.advance_em(role, c) * 16.0 * 20.0 + BODY_SPACING as f64)
            .sum()
    }

    fn para(&mut self, style: &str, p: &Props, runs: &[Run], extra: &str) {
        self.last_para = Some(self.out.len());
        let o = &mut self.out;
        o.push_str("<w:p><w:pPr>");
        let _ = write!(o, "<w:pStyle w:val=\"{style}\"/>");
        if p.keep_next {
            o.push_str("<w:keepNext/>");
        }
        if p.page_break_before {
            o.push_str("<w:pageBreakBefore/>");
        }
        if let Some(f) = &p.frame {
            o.push_str(f);
        }
        if let Some(b) = &p.border {
            o.push_str(b);
        }
        if !p.tabs.is_empty() {
            o.push_str("<w:tabs>");
            for (kind, pos) in &p.tabs {
                let _ = write!(o, "<w:tab w:val=\"{kind}\" w:pos=\"{pos}\"/>");
            }
            o.push_str("</w:tabs>");
        }
        if p.before != 0 || p.line.is_some() {
            let _ = write!(o, "<w:spacing w:before=\"{}\"", p.before.max(0));
            if let Some(line) = p.line {
                let _ = write!(o, " w:line=\"{line}\" w:lineRule=\"exact\"");
            }
            o.push_str("/>");
        }
        if let Some((left, right, first)) = p.ind {
            let _ = write!(o, "<w:ind w:left=\"{left}\" w:right=\"{right}\"");
            if first < 0 {
                let _ = write!(o, " w:hanging=\"{}\"", -first);
            } else {
                let _ = write!(o, " w:firstLine=\"{first}\"");
            }
            o.push_str("/>");
        }
        if let Some(jc) = p.jc {
            let _ = write!(o, "<w:jc w:val=\"{jc}\"/>");
        }
        if let Some(s) = &p.sect {
            o.push_str(s);
        }
        o.push_str("</w:pPr>");
        o.push_str(&std::mem::take(&mut self.carry));
        o.push_str(extra);
        for r in runs {
            run(o, r);
        }
        o.push_str("</w:p>");
    }

    fn document(&mut self) -> Result<()> {
        let l = self.src.layout;
        match l.format {
            PageFormat::File => self.file_head(),
            PageFormat::Letter => self.letter_head(),
            PageFormat::Order => self.order_head(),
            PageFormat::Plan => self.plan_head(),
        }
        let body = l.body.clone();
        self.in_body = true;
        self.blocks(&body);
        self.in_body = false;
        self.closing()?;
        if let Some(e) = &l.enclosure {
            self.part(e, true);
        }
        for a in &l.attachments {
            self.part(a, false);
        }
        self.colophon();
        Ok(())
    }

    /// 份号, 密级, 紧急程度 on lines 1–3 (GW-H-01..03); returns the text
    /// area offset (twips) below them.
    fn marks(&mut self) -> i64 {
        let h = &self.l().header;
        let mut marks: Vec<(i64, Role, String)> = Vec::new();
        if let Some(c) = &h.copy_number {
            marks.push((1, Role::Fang, c.clone()));
        }
        if let Some(s) = &h.secrecy {
            marks.push((2, Role::Hei, s.clone()));
        }
        if let Some(u) = &h.urgency {
            let k = if h.secrecy.is_some() {
                3
            } else if h.copy_number.is_some() {
                2
            } else {
                1
            };
            marks.push((k, Role::Hei, u.clone()));
        }
        let mut line = 0;
        for (k, role, text) in marks {
            let p = Props {
                before: (k - 1 - line) * LINE_TW,
                ..Props::default()
            };
            let style = if role == Role::Hei {
                "GwMarkHei"
            } else {
                "GwMark"
            };
            self.para(style, &p, &[Run::plain(&text)], "");
            line = k;
        }
        line * LINE_TW
    }

    /// The 发文机关标志 with its em top at `top_mm` on the page; returns the
    /// text-area offset below it and the page y of its em bottom.
    fn issuer(&mut self, cursor: i64, top_mm: f64) -> (i64, f64) {
        let h = self.l().header.clone();
        let size = h.issuer_size_pt;
        let line = ((size * 1.25) * 20.0).round() as i64;
        let target = tw(top_mm) - TOP_TW;
        let before = (target as f64 - cursor as f64 - em_offset_tw(line, size)).round() as i64;
        let names = &h.issuer_names;
        let n = names.len().max(1);
        let suffix = h.issuer_suffix.clone().unwrap_or_default();
        if n > 1 {
            // GW-H-12 as gongwen's PDF sets it: the names stacked, each
            // spread over the widest name's width (`distribute`), the block
            // of names, a gap of half a character and “文件” centred on the
            // 版心; “文件” in a text box beside the stack, centred on it.
            let size_tw = size * 20.0;
            let wide = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64 * size_tw;
            let (gutter, suffix_w) = if suffix.is_empty() {
                (0.0, 0.0)
            } else {
                (size_tw / 2.0, suffix.chars().count() as f64 * size_tw)
            };
            let left = ((BODY_W_TW as f64 - wide - gutter - suffix_w) / 2.0).max(0.0);
            let right = (BODY_W_TW as f64 - left - wide).max(0.0);
            let mut suffix_box = String::new();
            if !suffix.is_empty() {
                let stack_h_mm = (size + (n as f64 - 1.0) * size * 1.25) / 72.0 * 25.4;
                let em_top = top_mm + (stack_h_mm - size / 72.0 * 25.4) / 2.0;
                let y = tw(em_top) as f64 - em_offset_tw(line, size);
                let mut inner = String::new();
                let mut r = Run::plain(&suffix);
                r.size_pt = Some(size);
                let outer = std::mem::take(&mut self.out);
                let p = Props {
                    line: Some(line),
                    jc: Some("left"),
                    ..Props::default()
                };
                self.para("GwIssuer", &p, &[r], "");
                inner.push_str(&std::mem::replace(&mut self.out, outer));
                let id = self.next_id;
                self.next_id += 1;
                let at = ((left + wide + gutter).round() as i64, y.round() as i64);
                suffix_box = text_box(
                    id,
                    "文件",
                    at,
                    ((suffix_w + 40.0).round() as i64, line),
                    false,
                    &inner,
                );
            }
            for (i, name) in names.iter().enumerate() {
                let p = Props {
                    before: if i == 0 { before } else { 0 },
                    line: Some(line),
                    // 10 twips each side to spare: a word processor wraps a
                    // line that fills its width exactly.
                    ind: Some((left.round() as i64 - 10, right.round() as i64 - 10, 0)),
                    jc: Some(if name.chars().count() > 1 {
                        "distribute"
                    } else {
                        "center"
                    }),
                    ..Props::default()
                };
                let mut r = Run::plain(name);
                r.size_pt = Some(size);
                self.para("GwIssuer", &p, &[r], "");
            }
            // Anchored in the paragraph after the stack: a reader (Word's
            // and `gongwen import`) reads a text box before the paragraph
            // holding it, so “文件” comes after the names.
            self.carry.push_str(&suffix_box);
        }
        for name in names.iter().filter(|_| n == 1) {
            // One organ: “…文件” on one line.
            let mut text = name.clone();
            text.push_str(&suffix);
            let p = Props {
                before,
                line: Some(line),
                ..Props::default()
            };
            let mut r = Run::plain(&text);
            r.size_pt = Some(size);
            r.spacing = fit_spacing(&text, size);
            self.para("GwIssuer", &p, &[r], "");
        }
        if names.is_empty() && !suffix.is_empty() {
            let p = Props {
                before,
                line: Some(line),
                ..Props::default()
            };
            let mut r = Run::plain(&suffix);
            r.size_pt = Some(size);
            self.para("GwIssuer", &p, &[r], "");
        }
        let bottom_mm = top_mm + size / 72.0 * 25.4 + (n as f64 - 1.0) * size * 1.25 / 72.0 * 25.4;
        (cursor + before.max(0) + n as i64 * line, bottom_mm)
    }

    /// Space before a 3号 (or `size_pt`) line so its em top lands at page
    /// y `em_top_mm`, the paragraph starting at text-area offset `cursor`.
    fn before_for(cursor: i64, em_top_mm: f64, size_pt: f64) -> i64 {
        let target = tw(em_top_mm) - TOP_TW;
        ((target as f64 - cursor as f64 - em_offset_tw(LINE_TW, size_pt)).round() as i64).max(0)
    }

    /// Page y of the em top of a line whose paragraph starts at `cursor`
    /// with `before`.
    fn em_top_mm(cursor: i64, before: i64, size_pt: f64) -> f64 {
        (TOP_TW as f64 + cursor as f64 + before as f64 + em_offset_tw(LINE_TW, size_pt)) / TW_PER_MM
    }

    /// 通用格式 head (GW-H-10..42, GW-B-01, GW-B-10).
    fn file_head(&mut self) {
        let cursor = self.marks();
        // GW-H-11: 标志 35 mm below the 版心 top.
        let (cursor, issuer_bottom) = self.issuer(cursor, TOP_MM + 35.0);
        let h = self.l().header.clone();
        // GW-H-21: 发文字号 two lines below the 标志.
        let number_top = issuer_bottom + 2.0 * LINE_MM + em_pad(16.0);
        let rows: Vec<Vec<String>> = if h.upward {
            h.signers.chunks(2).map(|c| c.to_vec()).collect()
        } else {
            Vec::new()
        };
        let rows_n = rows.len().max(1);
        let mut cursor = cursor;
        let number = h.number.clone().unwrap_or_default();
        // Rule: its top 4 mm under the 字号's em bottom (GW-H-40), drawn
        // as the bottom border of the 字号's (last) line.
        let rule_pt = (self.l().red_rule_mm / 25.4 * 72.0 * 8.0)
            .round()
            .clamp(2.0, 96.0) as i64;
        // The border is drawn `space` points under the line box; the line
        // box ends 10.39 − 3.34 − 5.64 = 1.41 mm under the em box.
        let line_bottom_below_em = LINE_TW as f64 / TW_PER_MM
            - em_offset_tw(LINE_TW, 16.0) / TW_PER_MM
            - 16.0 / 72.0 * 25.4;
        let space_pt = ((4.0 - line_bottom_below_em) / 25.4 * 72.0).round() as i64;
        let border = format!(
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"{rule_pt}\" w:space=\"{space_pt}\" w:color=\"{RED}\"/></w:pBdr>"
        );
        let mut number_line_top = number_top;
        for r in 0..rows_n {
            let before = if r == 0 {
                Self::before_for(cursor, number_top, 16.0)
            } else {
                0
            };
            if r == 0 {
                number_line_top = Self::em_top_mm(cursor, before, 16.0);
            } else {
                number_line_top += LINE_MM;
            }
            let last = r == rows_n - 1;
            let mut p = Props {
                before,
                border: last.then(|| border.clone()),
                ..Props::default()
            };
            if h.upward {
                // GW-H-22/31/32: 字号 1 字 from the left on the last 签发人
                // line, 签发人 1 字 from the right.
                let z = zi().round() as i64;
                p.ind = Some((z, z, 0));
                p.tabs = vec![("right", BODY_W_TW - 2 * z)];
                let names = rows.get(r).cloned().unwrap_or_default().join("　");
                let label = if r == 0 { "签发人：" } else { "" };
                let left = if last { number.clone() } else { String::new() };
                let runs = [
                    Run::plain(&left),
                    Run::plain("\t"),
                    Run::plain(label),
                    Run::face(&names, Role::Kai),
                ];
                self.para("GwNumber", &p, &runs, "");
            } else {
                p.jc = Some("center");
                self.para("GwNumber", &p, &[Run::plain(&number)], "");
            }
            cursor += before + LINE_TW;
        }
        let rule_bottom = number_line_top
            + 16.0 / 72.0 * 25.4
            + line_bottom_below_em
            + space_pt as f64 / 72.0 * 25.4
            + rule_pt as f64 / 8.0 / 72.0 * 25.4;
        cursor += space_pt * 20 + rule_pt * 20 / 8;
        // GW-B-01: 标题 two lines under the rule.
        let title_top = rule_bottom + 2.0 * LINE_MM + em_pad(22.0);
        let cursor = self.title(cursor, title_top, false);
        self.to(cursor);
    }

    /// The 标题 (lines as gongwen broke them, GW-B-03) with its first em
    /// top at page y `em_top_mm`; returns the text-area offset under it.
    fn title(&mut self, cursor: i64, em_top_mm: f64, page_break: bool) -> i64 {
        let title = self.l().title.clone();
        self.title_lines(&title, cursor, em_top_mm, page_break)
    }

    fn title_lines(
        &mut self,
        lines: &[String],
        cursor: i64,
        em_top_mm: f64,
        page_break: bool,
    ) -> i64 {
        if lines.is_empty() {
            return cursor;
        }
        let before = Self::before_for(cursor, em_top_mm, 22.0);
        let p = Props {
            before,
            page_break_before: page_break,
            keep_next: true,
            ..Props::default()
        };
        let mut xml = String::new();
        for (i, t) in lines.iter().enumerate() {
            if i > 0 {
                xml.push_str("<w:r><w:br/></w:r>");
            }
            run(&mut xml, &Run::plain(t));
        }
        self.para("Title", &p, &[], &xml);
        cursor + before + LINE_TW * lines.len() as i64
    }

    /// Offset of the 正文 after a title ending at `cursor`: one blank line
    /// box between the title's and the next line's em boxes (GW-B-10).
    fn after_title_before(cursor: i64) -> i64 {
        let title_em_bottom = Self::em_top_mm(cursor - LINE_TW, 0, 22.0) + 22.0 / 72.0 * 25.4;
        let next = title_em_bottom + em_pad(22.0) + LINE_MM + em_pad(16.0);
        Self::before_for(cursor, next, 16.0)
    }

    /// 主送 (GW-B-10): flush left, one blank line under the title, on the
    /// 1 行 grid of the page so the 正文 under it keeps 22 lines a page.
    /// When it would leave no line of 正文 on page 1 it goes to the 版记
    /// (GW-B-12, GW-B-20), as the template decides.
    fn to(&mut self, cursor: i64) {
        let to = self.l().to.clone();
        let before = Self::after_title_before(cursor);
        // The 信函 head is not on the page's grid in gongwen's PDF either
        // (GW-S-05: all distances from the 标志 30 mm down).
        let before = if self.l().format == PageFormat::Letter {
            before
        } else {
            snap(cursor, before)
        };
        let l = self.l();
        let one_line_body = l.body.len() == 1
            && matches!(&l.body[0], BlockOut::Par { lines, .. } if lines.len() == 1)
            && l.signature.is_some();
        let need = if one_line_body { 4 } else { 1 } * LINE_TW;
        let after = cursor + before + to.len() as i64 * LINE_TW;
        if to.is_empty() || (l.format == PageFormat::File && after + need > 22 * LINE_TW) {
            self.moved_to = !to.is_empty();
            self.pending_before = Some(before);
            return;
        }
        let p = Props {
            before,
            ..Props::default()
        };
        let mut xml = String::new();
        for (i, line) in to.iter().enumerate() {
            if i > 0 {
                xml.push_str("<w:r><w:br/></w:r>");
            }
            for s in line {
                run(&mut xml, &span_run(&s.text, s.role));
            }
        }
        self.para("GwTo", &p, &[], &xml);
    }

    /// 信函格式 (GW-S-01..08), placed as gongwen's PDF places it: the
    /// 标志 with its em top 30 mm from the paper's top — above the text
    /// area, so in a text box anchored to the page —, the two red double
    /// rules 170 mm long centred on the page (filled rectangles anchored to
    /// the page: the upper one 4 mm under the 标志, thick over thin; the
    /// lower one thin over thick, its bottom at 277 mm), 份号/密级/紧急程度
    /// at the left and the 发文字号 flush right, their em top 4.84 mm under
    /// the upper rule; the 标题 two lines under them.
    fn letter_head(&mut self) {
        let h = self.l().header.clone();
        let size = h.issuer_size_pt;
        let issuer_top = 30.0;
        let issuer_bottom = issuer_top + letter_issuer_height_mm(&h);
        let boxed = self.issuer_box(issuer_top);
        self.carry.push_str(&boxed);
        let _ = size;
        // GW-S-02: 0.8 mm, 0.5 mm gap, 0.3 mm (upper thick first).
        let rule_top = issuer_bottom + 4.0;
        let lower_top = 277.0 - LETTER_RULE_MM;
        for (y, thick_first) in [(rule_top, true), (lower_top, false)] {
            let (a, b) = if thick_first { (0.8, 0.3) } else { (0.3, 0.8) };
            let first = self.rect_on_page(20.0, y, 170.0, a, RED);
            let second = self.rect_on_page(20.0, y + a + 0.5, 170.0, b, RED);
            self.carry.push_str(&first);
            self.carry.push_str(&second);
        }
        // GW-S-03/04: first line 4.84 mm under the upper rule.
        let first_top = rule_top + LETTER_RULE_MM + 4.84;
        let marks: Vec<(Role, String)> = [
            h.copy_number.clone().map(|c| (Role::Fang, c)),
            h.secrecy.clone().map(|c| (Role::Hei, c)),
            h.urgency.clone().map(|c| (Role::Hei, c)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let number = h.number.clone().unwrap_or_default();
        let rows = marks.len().max(1);
        let mut cursor = 0;
        for r in 0..rows {
            let before = if r == 0 {
                Self::before_for(cursor, first_top, 16.0)
            } else {
                0
            };
            let mut runs = Vec::new();
            if let Some((role, text)) = marks.get(r) {
                runs.push(Run::face(text, *role));
            }
            if r == 0 && !number.is_empty() {
                runs.push(Run::plain("\t"));
                runs.push(Run::plain(&number));
            }
            let p = Props {
                before,
                tabs: vec![("right", BODY_W_TW)],
                ind: Some((0, 0, 0)),
                ..Props::default()
            };
            self.para("GwNumber", &p, &runs, "");
            cursor += before + LINE_TW;
        }
        // GW-S-05: 标题 two lines under the last of them.
        let above_bottom = first_top + (rows as f64 - 1.0) * LINE_MM + 16.0 / 72.0 * 25.4;
        let title_top = above_bottom + em_pad(16.0) + 2.0 * LINE_MM + em_pad(22.0);
        let cursor = self.title(cursor, title_top, false);
        self.to(cursor);
    }

    /// The 标志 in a text box anchored to the page, its (first) em top at
    /// page y `top_mm` (信函: above the text area).
    fn issuer_box(&mut self, top_mm: f64) -> String {
        let outer = std::mem::take(&mut self.out);
        let (_, _) = self.issuer(0, 0.0);
        let inner = std::mem::replace(&mut self.out, outer);
        let h = &self.l().header;
        let size = h.issuer_size_pt;
        let line = ((size * 1.25) * 20.0).round() as i64;
        let n = h.issuer_names.len().max(1) as i64;
        let y = tw(top_mm) as f64 - em_offset_tw(line, size);
        let id = self.next_id;
        self.next_id += 1;
        text_box(
            id,
            "发文机关标志",
            (0, y.round() as i64),
            (BODY_W_TW, n * line),
            false,
            &inner,
        )
    }

    /// A filled rectangle anchored to the page, in front of the text:
    /// `x`, `y` its top left, `w` × `h`, all in mm.
    fn rect_on_page(&mut self, x: f64, y: f64, w: f64, h: f64, color: &str) -> String {
        let id = self.next_id;
        self.next_id += 1;
        let emu = |mm: f64| (mm * 36000.0).round() as i64;
        let (x, y, w, h) = (emu(x), emu(y), emu(w), emu(h));
        format!(
            "<w:r><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"{rh}\" behindDoc=\"0\" locked=\"1\" layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"page\"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"page\"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx=\"{w}\" cy=\"{h}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/><wp:docPr id=\"{id}\" name=\"红色双线{id}\"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{w}\" cy=\"{h}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill><a:ln><a:noFill/></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>",
            rh = 251659264 + id,
        )
    }

    /// 命令（令）格式 (GW-S-10/11): 标志 20 mm under the 版心 top, 令号
    /// two lines under it, 正文 two lines under the 令号.
    fn order_head(&mut self) {
        let cursor = self.marks();
        let (cursor, issuer_bottom) = self.issuer(cursor, TOP_MM + 20.0);
        let number = self.l().header.number.clone().unwrap_or_default();
        let top = issuer_bottom + 2.0 * LINE_MM + em_pad(16.0);
        let before = Self::before_for(cursor, top, 16.0);
        let p = Props {
            before,
            jc: Some("center"),
            ..Props::default()
        };
        self.para("GwNumber", &p, &[Run::plain(&number)], "");
        let cursor = cursor + before + LINE_TW;
        self.pending_before = Some(2 * LINE_TW);
        let to = self.l().to.clone();
        if !to.is_empty() {
            let _ = cursor;
            let p = Props {
                before: self.pending_before.take().unwrap_or(0),
                ..Props::default()
            };
            let text: String = to.iter().flatten().map(|s| s.text.as_str()).collect();
            self.para("GwTo", &p, &[Run::plain(&text)], "");
        }
    }

    /// A stand-alone 方案 (GW-S-40): the title from the 版心 top.
    fn plan_head(&mut self) {
        let cursor = self.title(0, TOP_MM, false);
        self.to(cursor);
    }

    fn blocks(&mut self, blocks: &[BlockOut]) {
        // The last 正文 paragraph stays with the signature (GW-B-50), as
        // the template keeps its last line with it.
        let signed = self.in_body && self.l().signature.is_some();
        // Only a short one (≤ 3 lines as gongwen broke it): a word
        // processor moves a whole paragraph kept with the next, where the
        // template keeps only its last line; a long one keeps its last
        // lines by widow control.
        let last_par = blocks
            .iter()
            .rposition(|b| matches!(b, BlockOut::Par { lines, .. } if lines.len() <= 3))
            .filter(|&i| signed && i + 1 == blocks.len());
        for (index, b) in blocks.iter().enumerate() {
            let tight = if self.in_body {
                self.src
                    .squeeze
                    .as_ref()
                    .filter(|s| s.blocks.get(index) == Some(&true))
                    .map(|s| s.pitch_tw)
            } else {
                None
            };
            match b {
                BlockOut::Par {
                    indent,
                    heading,
                    hang,
                    blank_before,
                    lines,
                } => {
                    let text: String = lines.iter().flatten().map(|s| s.text.as_str()).collect();
                    let mut p = Props {
                        before: self.pending_before.take().unwrap_or(0)
                            + if *blank_before {
                                tight.unwrap_or(LINE_TW)
                            } else {
                                0
                            },
                        line: tight,
                        keep_next: last_par == Some(index),
                        ..Props::default()
                    };
                    let style = if *heading {
                        p.keep_next = true;
                        match heading::detect(&text).level {
                            Level::H1 | Level::Lead => "GwHeading1",
                            Level::H2 => "GwHeading2",
                            Level::H3 => "GwHeading3",
                            Level::H4 => "GwHeading4",
                            Level::Para => "Normal",
                        }
                    } else if *hang > 0.0 {
                        let z = zi();
                        let h = (hang * z).round() as i64;
                        let first = if *indent { (2.0 * z).round() as i64 } else { h };
                        p.ind = Some((h, 0, first - h));
                        "Normal"
                    } else if *indent {
                        "Normal"
                    } else {
                        "GwNoIndent"
                    };
                    let mut xml = String::new();
                    // Runs merged by face: the word processor breaks the lines.
                    let mut spans: Vec<(String, &str)> = Vec::new();
                    for s in lines.iter().flatten() {
                        match spans.last_mut() {
                            Some((t, r)) if *r == s.role => t.push_str(&s.text),
                            _ => spans.push((s.text.clone(), s.role)),
                        }
                    }
                    let own = style_role(style);
                    for (t, r) in &spans {
                        let role = Role::from_key(r);
                        let mut run_ = Run::plain(t);
                        if role != own {
                            run_.role = Some(role);
                        }
                        run(&mut xml, &run_);
                    }
                    self.para(style, &p, &[], &xml);
                }
                BlockOut::Table {
                    title,
                    header,
                    rows,
                    columns,
                    widths,
                    landscape,
                    ..
                } => {
                    // A turned table (GW-S-30/31) gets a landscape section of
                    // its own, the 版心 turned (225 mm wide), 小四 cells as
                    // in gongwen's PDF; the text after it starts a new
                    // portrait page, as there.
                    if *landscape {
                        self.end_section(false);
                    }
                    if let Some(t) = title {
                        let p = Props {
                            before: if *landscape {
                                0
                            } else {
                                self.pending_before.take().unwrap_or(0)
                            },
                            keep_next: true,
                            ..Props::default()
                        };
                        self.para("GwTableTitle", &p, &[Run::plain(t)], "");
                    }
                    self.pending_before = None;
                    if *landscape {
                        let width = tw(crate::geometry::BODY_HEIGHT_MM);
                        self.table(header, rows, *columns, widths, width, Some(12.0));
                        self.end_section(true);
                    } else {
                        self.table(header, rows, *columns, widths, BODY_W_TW, None);
                    }
                }
                BlockOut::Chart { title, bars, unit } => {
                    // A bar chart becomes a table of its values.
                    if let Some(t) = title {
                        let p = Props {
                            keep_next: true,
                            ..Props::default()
                        };
                        self.para("GwTableTitle", &p, &[Run::plain(t)], "");
                    }
                    let rows: Vec<Vec<CellOut>> = bars
                        .iter()
                        .map(|b| {
                            vec![
                                cell(&b.label),
                                cell(&format!("{}{}", trim_number(b.value), unit)),
                            ]
                        })
                        .collect();
                    self.table(&[], &rows, 2, &[3.0, 1.0], BODY_W_TW, None);
                }
            }
        }
    }

    /// A table with the document's 0.5 pt borders, header rows repeated
    /// on each page, merged cells as `gridSpan` and `vMerge`.
    fn table(
        &mut self,
        header: &[Vec<CellOut>],
        rows: &[Vec<CellOut>],
        columns: usize,
        widths: &[f64],
        width_tw: i64,
        size_pt: Option<f64>,
    ) {
        self.last_para = None;
        let columns = columns.max(1);
        let total: f64 = if widths.len() == columns {
            widths.iter().sum()
        } else {
            0.0
        };
        let grid: Vec<i64> = (0..columns)
            .map(|i| {
                if total > 0.0 {
                    (width_tw as f64 * widths[i] / total).round() as i64
                } else {
                    width_tw / columns as i64
                }
            })
            .collect();
        let o = &mut self.out;
        o.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"GwTable\"/>");
        let _ = write!(
            o,
            "<w:tblW w:w=\"{width_tw}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        );
        o.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(
                o,
                "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
            );
        }
        o.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>");
        for g in &grid {
            let _ = write!(o, "<w:gridCol w:w=\"{g}\"/>");
        }
        o.push_str("</w:tblGrid>");
        // Rows below a vertically merged cell: (column, colspan, rows left).
        let mut below: Vec<(usize, usize, usize)> = Vec::new();
        let all = header
            .iter()
            .map(|r| (r, true))
            .chain(rows.iter().map(|r| (r, false)));
        for (row, head) in all {
            o.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if head {
                o.push_str("<w:tblHeader/>");
            }
            o.push_str("</w:trPr>");
            let mut col = 0;
            let mut cells = row.iter();
            let mut next_below: Vec<(usize, usize, usize)> = Vec::new();
            while col < columns {
                if let Some(&(c, span, left)) = below.iter().find(|(c, _, _)| *c == col) {
                    let w: i64 = grid[c..(c + span).min(columns)].iter().sum();
                    let _ = write!(o, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>");
                    if span > 1 {
                        let _ = write!(o, "<w:gridSpan w:val=\"{span}\"/>");
                    }
                    o.push_str("<w:vMerge/><w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"GwCell\"/></w:pPr></w:p></w:tc>");
                    if left > 1 {
                        next_below.push((c, span, left - 1));
                    }
                    col += span.max(1);
                    continue;
                }
                let Some(cell) = cells.next() else {
                    // A short row: an empty cell keeps the grid.
                    let w = grid[col];
                    let _ = write!(o, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"GwCell\"/></w:pPr></w:p></w:tc>");
                    col += 1;
                    continue;
                };
                let span = cell.colspan.max(1).min(columns - col);
                let w: i64 = grid[col..col + span].iter().sum();
                let _ = write!(o, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>");
                if span > 1 {
                    let _ = write!(o, "<w:gridSpan w:val=\"{span}\"/>");
                }
                if cell.rowspan > 1 {
                    o.push_str("<w:vMerge w:val=\"restart\"/>");
                    next_below.push((col, span, cell.rowspan - 1));
                }
                o.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
                let style = if head { "GwCellHead" } else { "GwCell" };
                let _ = write!(o, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
                for (i, line) in cell.text.split('\n').enumerate() {
                    if i > 0 {
                        o.push_str("<w:r><w:br/></w:r>");
                    }
                    let mut r = Run::plain(line);
                    r.size_pt = size_pt;
                    run(o, &r);
                }
                o.push_str("</w:p></w:tc>");
                col += span;
            }
            o.push_str("</w:tr>");
            below = next_below;
        }
        o.push_str("</w:tbl>");
        // A paragraph after a table keeps tables apart and ends the cell
        // flow; it is one line high like any other.
    }

    /// 附件说明, 署名, 成文日期, 印章, 附注 (GW-B-30..60).
    fn closing(&mut self) -> Result<()> {
        let l = self.src.layout;
        let z = zi();
        // GW-B-50: on a page gongwen tightened, the closing is set at the
        // tighter pitch too (the template's `signature-block-at(L, gap)`).
        let exact = self.src.squeeze.as_ref().map(|s| s.pitch_tw);
        let lt = exact.unwrap_or(LINE_TW);
        let lt_mm = lt as f64 / TW_PER_MM;
        if !l.attachment_note.is_empty() {
            // GW-B-30/31: one blank line, “附件：” 2 字 in, items aligned
            // after it, a long name wrapping under its first character.
            let label = 3.0 * z;
            for (i, item) in l.attachment_note.iter().enumerate() {
                let num: String = {
                    let digits: String = item.chars().take_while(|c| c.is_ascii_digit()).collect();
                    if !digits.is_empty() && item[digits.len()..].starts_with('.') {
                        format!("{digits}.")
                    } else {
                        String::new()
                    }
                };
                let num_w = self.width_tw(Role::Fang, &num);
                let left = (2.0 * z + label + num_w).round() as i64;
                let first = if i == 0 {
                    -((label + num_w).round() as i64)
                } else {
                    -(num_w.round() as i64)
                };
                let p = Props {
                    line: exact,
                    before: if i == 0 { lt } else { 0 },
                    ind: Some((left, 0, first)),
                    ..Props::default()
                };
                let text = if i == 0 {
                    format!("附件：{item}")
                } else {
                    item.clone()
                };
                self.para("GwAttachmentNote", &p, &[Run::plain(&text)], "");
            }
        }
        let Some(s) = &l.signature else {
            return Ok(());
        };
        let date_w = self.width_tw(Role::Fang, &s.date);
        let sealed = !s.seals.is_empty();
        if let Some(office) = &s.office {
            // GW-B-49 as gongwen's PDF sets it: two blank lines (2 行 from
            // the last line's em bottom), the 签名章 (or the name) 4 字 from
            // the right, the 职务 2 字 to its left, centred on it; one blank
            // line; the date 4 字 from the right.
            let four = 4.0 * z;
            let name = s.names.first().cloned().unwrap_or_default();
            let body_tw = 16.0 * 20.0;
            let seal = s.seals.first();
            // The stamp: the seal's square, or the name.
            let (stamp_w, stamp_h) = match seal {
                Some(seal) => (seal.size_mm * TW_PER_MM, seal.size_mm * TW_PER_MM),
                None => (self.width_tw(Role::Fang, &name), body_tw),
            };
            // Office em top under the last line's em top: its em bottom, two
            // lines, half the stamp's height over the 职务's.
            let office_before = (lt as f64 + (stamp_h + body_tw) / 2.0).round() as i64;
            let right = BODY_W_TW as f64 - four;
            let office_right = if seal.is_some() {
                four + stamp_w + 2.0 * z
            } else {
                four
            };
            let text = if seal.is_some() {
                office.clone()
            } else {
                format!("{office}　　{name}")
            };
            let anchor = match seal {
                Some(seal) => self.seal(
                    lt,
                    seal,
                    right - stamp_w / 2.0,
                    16.0 / 72.0 * 25.4 / 2.0,
                    office_before,
                )?,
                None => String::new(),
            };
            let p = Props {
                line: exact,
                before: office_before,
                jc: Some("right"),
                ind: Some((0, office_right.round() as i64, 0)),
                keep_next: true,
                ..Props::default()
            };
            self.para("GwSignature", &p, &[Run::plain(&text)], &anchor);
            // Date em top: the stamp's bottom and one line.
            let p = Props {
                line: exact,
                before: ((stamp_h + body_tw) / 2.0).round() as i64,
                jc: Some("right"),
                ind: Some((0, four.round() as i64, 0)),
                ..Props::default()
            };
            self.para("GwDate", &p, &[Run::plain(&s.date)], "");
        } else if sealed && s.names.len() <= 1 {
            // GW-B-43/44: date 4 字 from the right, 署名 centred on it, the
            // seal over both (its centre 4 mm under the 署名's em top).
            let four = 4.0 * z;
            let name = s.names.first().cloned().unwrap_or_default();
            let name_w = self.width_tw(Role::Fang, &name);
            let centre = BODY_W_TW as f64 - four - date_w / 2.0;
            let right = (BODY_W_TW as f64 - centre - name_w / 2.0).max(0.0);
            let seal = &s.seals[0];
            let r_mm = seal.size_mm / 2.0;
            let gap_mm = lt_mm - 16.0 / 72.0 * 25.4;
            let n = ((r_mm - 4.0 - gap_mm) / lt_mm).ceil().max(1.0) as i64;
            let anchor = self.seal(lt, seal, centre, 4.0, n * lt)?;
            let p = Props {
                line: exact,
                before: n * lt,
                jc: Some("right"),
                ind: Some((0, right.round() as i64, 0)),
                keep_next: true,
                ..Props::default()
            };
            self.para("GwSignature", &p, &[Run::plain(&name)], &anchor);
            let p = Props {
                line: exact,
                jc: Some("right"),
                ind: Some((0, four.round() as i64, 0)),
                ..Props::default()
            };
            self.para("GwDate", &p, &[Run::plain(&s.date)], "");
        } else {
            // GW-B-47/48 (and joint sealed 署名, one a line with its seal):
            // 署名 2 字 from the right, the date starting 2 字 right of it.
            let two = 2.0 * z;
            let name_w = s
                .names
                .iter()
                .map(|n| self.width_tw(Role::Fang, n))
                .fold(0.0, f64::max);
            let (name_left, date_left) = if date_w > name_w {
                let dl = BODY_W_TW as f64 - two - date_w;
                (dl - two, dl)
            } else {
                let nl = BODY_W_TW as f64 - two - name_w;
                (nl, nl + two)
            };
            let names = s.names.clone();
            for (i, name) in names.iter().enumerate() {
                let w = self.width_tw(Role::Fang, name);
                let anchor = match s.seals.get(i) {
                    Some(seal) => {
                        let before = match i {
                            0 => 2 * lt,
                            _ => 0,
                        };
                        self.seal(lt, seal, name_left + w / 2.0, 4.0, before)?
                    }
                    None => String::new(),
                };
                // Set from the right: a width measured a little short never
                // wraps the line.
                let right = (BODY_W_TW as f64 - name_left - w).max(0.0);
                let p = Props {
                    line: exact,
                    before: if i == 0 {
                        if sealed {
                            2 * lt
                        } else {
                            lt
                        }
                    } else {
                        0
                    },
                    jc: Some("right"),
                    ind: Some((0, right.round() as i64, 0)),
                    keep_next: true,
                    ..Props::default()
                };
                self.para("GwSignature", &p, &[Run::plain(name)], &anchor);
            }
            let right = (BODY_W_TW as f64 - date_left - date_w).max(0.0);
            let p = Props {
                line: exact,
                jc: Some("right"),
                ind: Some((0, right.round() as i64, 0)),
                ..Props::default()
            };
            self.para("GwDate", &p, &[Run::plain(&s.date)], "");
        }
        if let Some(note) = &l.note {
            // GW-B-60: on the line after the date, 2 字 in.
            self.para("GwNote", &Props::default(), &[Run::plain(note)], "");
        }
        Ok(())
    }

    /// A seal anchored to its paragraph: centred at `centre_tw` from the
    /// 版心's left edge, its centre `centre_below_mm` under the paragraph's
    /// em top, in front of the text.
    fn seal(
        &mut self,
        line_tw: i64,
        seal: &crate::layout::SealOut,
        centre_tw: f64,
        centre_below_mm: f64,
        before_tw: i64,
    ) -> Result<String> {
        let Some(path) = &seal.path else {
            // 盖实物章: the place stays empty.
            return Ok(String::new());
        };
        let rel = path.trim_start_matches("/input/");
        if rel.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(Error::other(format!("印章图片路径 {rel} 不对。")));
        }
        let file = self.src.dir.join(rel);
        let bytes = std::fs::read(&file)
            .map_err(|e| Error::other(format!("读不了印章图片 {}：{e}", file.display())))?;
        let png = seal_png(&bytes, rel)?;
        self.media.push(Media { png });
        let n = self.media.len();
        let id = self.next_id;
        self.next_id += 1;
        let size_emu = (seal.size_mm * 36000.0).round() as i64;
        let r_tw = seal.size_mm / 2.0 * TW_PER_MM;
        let x_emu = ((centre_tw - r_tw) * 635.0).round() as i64;
        // The paragraph's top is above its space before (measured in
        // LibreOffice: the anchor counts from there).
        let em_top = before_tw as f64 + em_offset_tw(line_tw, 16.0);
        let y_emu =
            ((em_top + (centre_below_mm - seal.size_mm / 2.0) * TW_PER_MM) * 635.0).round() as i64;
        Ok(format!(
            "<w:r><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"{rh}\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"margin\"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV><wp:extent cx=\"{size_emu}\" cy=\"{size_emu}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/><wp:docPr id=\"{id}\" name=\"印章{n}\" descr=\"印章\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"seal{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdSeal{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{size_emu}\" cy=\"{size_emu}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>",
            rh = 251659264 + id,
        ))
    }

    /// An 印发 notice's printed document (title from the 版心 top) or an
    /// attachment (label on line 1, title on line 3, GW-B-70..72), each on
    /// a new page.
    fn part(&mut self, part: &Part, enclosure: bool) {
        self.pending_before = None;
        let cursor = if enclosure {
            0
        } else {
            let label = part.label.clone().unwrap_or_default();
            let p = Props {
                page_break_before: true,
                keep_next: true,
                ..Props::default()
            };
            self.para("GwAttachmentLabel", &p, &[Run::plain(&label)], "");
            LINE_TW
        };
        let top = if enclosure {
            TOP_MM
        } else {
            TOP_MM + 2.0 * LINE_MM + em_pad(22.0)
        };
        let cursor = self.title_lines(&part.title, cursor, top, enclosure);
        self.pending_before = Some(snap(cursor, Self::after_title_before(cursor)));
        self.blocks(&part.body);
        self.pending_before = None;
    }

    /// The 版记 (GW-E-01..14) at the foot of its page: its last rule on
    /// the 版心 bottom (y = 262 mm), the rules paragraph borders (thick
    /// 0.35 mm first and last, thin 0.25 mm above the 印发 line), each line
    /// 1 行 high. It follows the content with the space that puts it there
    /// in gongwen's own layout, on the page that layout chose.
    fn colophon(&mut self) {
        let c = self.l().colophon.clone();
        let letter = self.l().format == PageFormat::Letter;
        let moved: Vec<String> = if self.moved_to {
            c.to.clone()
        } else {
            Vec::new()
        };
        let has =
            !c.cc.is_empty() || !moved.is_empty() || c.printer.is_some() || c.copies.is_some();
        if !has {
            return;
        }
        let thick: i64 = 8; // 1 pt ≈ 0.35 mm
        let thin: i64 = 6; // 0.75 pt ≈ 0.26 mm
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        if !moved.is_empty() {
            rows.push(("主送".into(), moved));
        }
        if !c.cc.is_empty() {
            rows.push(("抄送".into(), c.cc.clone()));
        }
        let z14 = 14.0 * 20.0;
        let one = zi().round() as i64;
        // (properties, runs, lines, a thin rule above)
        let mut paras: Vec<(Props, String, i64, bool)> = Vec::new();
        // The rules span the 版心 (GW-E-02), so the paragraphs have no
        // indent (a border follows the indents); the 1 字 insets are tab
        // stops, and wrapped 抄送 lines (broken by gongwen between names)
        // start at the tab after “抄送：” (GW-E-10).
        let hang = (3.0 * z14) as i64;
        for (label, lines) in rows {
            let mut xml = String::new();
            for (i, t) in lines.iter().enumerate() {
                if i > 0 {
                    xml.push_str("<w:r><w:br/></w:r>");
                }
                let text = if i == 0 {
                    format!("\t{label}：{t}")
                } else {
                    format!("\t{t}")
                };
                run(&mut xml, &Run::plain(&text));
            }
            // No rule between a moved 主送 and the 抄送 (GW-E-12).
            paras.push((
                Props {
                    ind: Some((0, 0, 0)),
                    tabs: vec![("left", one), ("left", one + hang)],
                    ..Props::default()
                },
                xml,
                lines.len().max(1) as i64,
                false,
            ));
        }
        if let Some(copies) = &c.copies {
            let mut xml = String::new();
            run(&mut xml, &Run::plain(&format!("\t{copies}")));
            paras.push((
                Props {
                    ind: Some((0, 0, 0)),
                    tabs: vec![("right", BODY_W_TW - one)],
                    ..Props::default()
                },
                xml,
                1,
                true,
            ));
        }
        if let Some(printer) = &c.printer {
            // GW-E-11: 印发机关 1 字 from the left, 印发日期 1 字 from the
            // right, on one line.
            let mut xml = String::new();
            run(&mut xml, &Run::plain(&format!("\t{printer}\t")));
            run(&mut xml, &Run::plain(c.print_date.as_deref().unwrap_or("")));
            paras.push((
                Props {
                    ind: Some((0, 0, 0)),
                    tabs: vec![("left", one), ("right", BODY_W_TW - one)],
                    ..Props::default()
                },
                xml,
                1,
                true,
            ));
        }
        let n = paras.len();
        // Height of the block: its lines and its rules (a border adds its
        // width to the paragraph).
        let rule_tw = |sz: i64| sz * 20 / 8;
        let mut height = 0;
        for (i, (_, _, lines, thin_above)) in paras.iter().enumerate() {
            height += lines * LINE_TW;
            if letter {
                continue;
            }
            if i == 0 {
                height += rule_tw(thick);
            } else if *thin_above {
                height += rule_tw(thin);
            }
            if i == n - 1 {
                height += rule_tw(thick);
            }
        }
        // The last rule's centre on the 版心 bottom (GW-E-02), as a text-area
        // offset.
        // 信函 (GW-S-08): no rules; each line centred in its 1 行 box, the
        // last box 0.175 mm over the 版心 bottom as in gongwen's PDF: the
        // box is raised by the difference between a word processor's
        // baseline (4/5 of the line) and the centred 4号 em box.
        let pt_mm = 25.4 / 72.0;
        let letter_raise =
            0.8 * LINE_MM - 0.88 * 14.0 * pt_mm - (LINE_MM - 14.0 * pt_mm) / 2.0 - 0.175;
        let bottom = tw(crate::geometry::BODY_BOTTOM_MM) - TOP_TW
            + if letter {
                -tw(letter_raise)
            } else {
                rule_tw(thick) / 2
            };
        let top = bottom - height;
        let page_break = match self.src.colophon {
            ColophonPage::Same => false,
            ColophonPage::Next => true,
            ColophonPage::AfterBlank => {
                // The content's section ends here; the blank page and the
                // 版记 page are a section without page numbers (GW-N-05).
                let sect = self.sect(false, false);
                let p = Props {
                    sect: Some(sect),
                    line: Some(20),
                    ..Props::default()
                };
                self.para("GwNoIndent", &p, &[], "");
                self.unnumbered_tail = true;
                self.para("GwNoIndent", &Props::default(), &[], "");
                true
            }
        };
        // The paragraphs go into a text box anchored to the page, its
        // bottom on the 版心 bottom: the 版记 stays at the foot of the page
        // however the text above it is edited or broken into lines.
        let outer = std::mem::take(&mut self.out);
        for (i, (mut p, xml, _, thin_above)) in paras.into_iter().enumerate() {
            p.keep_next = i + 1 < n;
            if !letter {
                let mut b = String::from("<w:pBdr>");
                if i == 0 {
                    let _ = write!(b, "<w:top w:val=\"single\" w:sz=\"{thick}\" w:space=\"0\" w:color=\"000000\"/>");
                } else if thin_above {
                    let _ = write!(b, "<w:top w:val=\"single\" w:sz=\"{thin}\" w:space=\"0\" w:color=\"000000\"/>");
                }
                if i == n - 1 {
                    let _ = write!(b, "<w:bottom w:val=\"single\" w:sz=\"{thick}\" w:space=\"0\" w:color=\"000000\"/>");
                }
                b.push_str("</w:pBdr>");
                p.border = Some(b);
            }
            self.para("GwColophon", &p, &[], &xml);
        }
        let inner = std::mem::replace(&mut self.out, outer);
        let id = self.next_id;
        self.next_id += 1;
        let y_emu = (TOP_TW + top) * 635;
        let anchor = text_box(
            id,
            "版记",
            (0, y_emu / 635),
            (BODY_W_TW, height),
            true,
            &inner,
        );
        let p = Props {
            page_break_before: page_break,
            line: Some(20),
            ..Props::default()
        };
        self.para("GwNoIndent", &p, &[], &anchor);
    }

    fn final_sect(&mut self) -> String {
        self.sect(self.unnumbered_tail, false)
    }

    /// A `w:sectPr` ending a section here; counts the sections.
    fn sect(&mut self, unnumbered: bool, landscape: bool) -> String {
        let s = parts::sect_pr(
            self.l().format,
            parts::Sect {
                unnumbered,
                landscape,
                first: self.sections == 0,
            },
        );
        self.sections += 1;
        s
    }

    /// Ends the section at the last paragraph written (its `w:pPr` takes
    /// the `w:sectPr`), or with an empty paragraph 1 pt high after a table.
    fn end_section(&mut self, landscape: bool) {
        let sect = self.sect(false, landscape);
        if let Some(start) = self.last_para.take() {
            if let Some(at) = self.out[start..].find("</w:pPr>") {
                self.out.insert_str(start + at, &sect);
                return;
            }
        }
        let p = Props {
            sect: Some(sect),
            line: Some(20),
            ..Props::default()
        };
        self.para("GwNoIndent", &p, &[], "");
        self.last_para = None;
    }
}

/// Height of the 信函 double rule: 0.8 mm, a 0.5 mm gap, 0.3 mm (GW-S-02).
const LETTER_RULE_MM: f64 = 1.6;

/// Height of the 标志 from its first em top to its last em bottom.
fn letter_issuer_height_mm(h: &crate::layout::Header) -> f64 {
    let size = h.issuer_size_pt;
    let n = h.issuer_names.len().max(1) as f64;
    (size + (n - 1.0) * size * 1.25) / 72.0 * 25.4
}

/// A text box anchored to the page: its left edge `at.0` twips right of
/// the 版心's left edge, its top `at.1` twips under the paper's top,
/// `size` in twips, no insets; `wrap`: the text flows above and below it
/// (the 版记), else it floats over the text (the 信函 标志, above the
/// text area). `inner` is its paragraphs.
fn text_box(
    id: u32,
    name: &str,
    at: (i64, i64),
    size: (i64, i64),
    wrap: bool,
    inner: &str,
) -> String {
    let (x, y) = (at.0 * 635, at.1 * 635);
    let (w, h) = (size.0 * 635, size.1 * 635);
    let wrap = if wrap {
        "<wp:wrapTopAndBottom/>"
    } else {
        "<wp:wrapNone/>"
    };
    format!(
        "<w:r><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"{rh}\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"0\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"margin\"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"page\"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx=\"{w}\" cy=\"{h}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>{wrap}<wp:docPr id=\"{id}\" name=\"{name}\"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{w}\" cy=\"{h}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr rot=\"0\" vert=\"horz\" wrap=\"square\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" anchor=\"b\" anchorCtr=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>",
        rh = 251659264 + id,
    )
}

/// Character spacing (twentieths of a point, negative) that keeps a line
/// of `size_pt` characters inside the 156 mm 版心 (GW-H-10: gongwen sizes
/// the 标志 to the 版心, a word processor must not wrap it).
fn fit_spacing(text: &str, size_pt: f64) -> Option<i64> {
    let n = text.chars().count() as f64;
    let room = BODY_W_TW as f64 / 20.0 - 0.5;
    (n * size_pt > room).then(|| ((room - n * size_pt) / n * 20.0).floor() as i64)
}

/// `before` changed so a paragraph starting at `cursor` starts on a
/// whole line of the page's 1 行 grid.
fn snap(cursor: i64, before: i64) -> i64 {
    let at = cursor + before;
    let k = (at as f64 / LINE_TW as f64).round() as i64;
    (k * LINE_TW - cursor).max(0)
}

/// Half the space around a glyph of `size_pt` in its 1 行 box (GW-P-10).
fn em_pad(size_pt: f64) -> f64 {
    (LINE_MM - size_pt / 72.0 * 25.4) / 2.0
}

/// The role a style sets, so runs in it need no font of their own.
fn style_role(style: &str) -> Role {
    match style {
        "GwHeading1" => Role::Hei,
        "GwHeading2" => Role::Kai,
        _ => Role::Fang,
    }
}

fn span_run<'t>(text: &'t str, role: &str) -> Run<'t> {
    let role = Role::from_key(role);
    Run {
        role: (role != Role::Fang).then_some(role),
        ..Run::plain(text)
    }
}

fn cell(text: &str) -> CellOut {
    CellOut {
        text: text.to_string(),
        rowspan: 1,
        colspan: 1,
    }
}

fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Writes one run; a tab in the text is a `w:tab`.
fn run(o: &mut String, r: &Run) {
    if r.text.is_empty() {
        return;
    }
    o.push_str("<w:r>");
    if r.role.is_some() || r.size_pt.is_some() || r.color.is_some() || r.spacing.is_some() {
        o.push_str("<w:rPr>");
        if let Some(role) = r.role {
            let f = parts::font_name(role);
            let _ = write!(
                o,
                "<w:rFonts w:ascii=\"{f}\" w:eastAsia=\"{f}\" w:hAnsi=\"{f}\" w:cs=\"{f}\" w:hint=\"eastAsia\"/>"
            );
        }
        if let Some(c) = r.color {
            let _ = write!(o, "<w:color w:val=\"{c}\"/>");
        }
        if let Some(sp) = r.spacing {
            let _ = write!(o, "<w:spacing w:val=\"{sp}\"/>");
        }
        if let Some(s) = r.size_pt {
            let hp = (s * 2.0).round() as i64;
            let _ = write!(o, "<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/>");
        }
        o.push_str("</w:rPr>");
    }
    let mut first = true;
    for piece in r.text.split('\t') {
        if !first {
            o.push_str("<w:tab/>");
        }
        first = false;
        if !piece.is_empty() {
            let _ = write!(o, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
        }
    }
    o.push_str("</w:r>");
}

/// A seal image as PNG (PNG kept, JPEG and SVG converted).
fn seal_png(bytes: &[u8], name: &str) -> Result<Vec<u8>> {
    let fail = |why: &str| {
        Error::other(format!(
            "印章图片 {name} 写不进 .docx：{why}。请换成 PNG 图片。"
        ))
    };
    if bytes.starts_with(b"\x89PNG") {
        return Ok(bytes.to_vec());
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let img = image::load_from_memory(bytes).map_err(|e| fail(&e.to_string()))?;
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| fail(&e.to_string()))?;
        return Ok(out.into_inner());
    }
    let tree = resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default())
        .map_err(|e| fail(&e.to_string()))?;
    let size = tree.size();
    let px = 600.0;
    let scale = px / size.width().max(size.height()).max(1.0);
    let w = (size.width() * scale).ceil().max(1.0) as u32;
    let h = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or_else(|| fail("SVG 尺寸不对"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(&e.to_string()))
}
