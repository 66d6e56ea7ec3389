//! The fixed parts of the package: styles, settings, fonts, footers,
//! relationships, content types and document properties.

use std::fmt::Write as _;

use super::xml::esc;
use super::{
    Media, BODY_SPACING, BOTTOM_TW, INSIDE_TW, LINE_TW, OUTSIDE_TW, PAGE_H_TW, PAGE_W_TW, RED,
    TOP_TW,
};
use crate::layout::{Facts, Layout, PageFormat};
use crate::typeset::fonts::Role;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Footer distance from the paper's bottom edge: the 页码 dash's centre
/// 7 mm under the 版心 (y = 269 mm, GW-N-02).
pub const FOOTER_TW: i64 = 1414;

/// The name offices have for a role's face (DESIGN.md §Fonts).
pub fn font_name(role: Role) -> &'static str {
    match role {
        Role::Fang => "仿宋_GB2312",
        Role::XiaoBiaoSong => "方正小标宋简体",
        Role::Hei => "黑体",
        Role::Kai => "楷体_GB2312",
        Role::Song => "宋体",
    }
}

/// The bundled face gongwen uses for the role when the genuine one is
/// missing, named as the font's alternate (`w:altName`).
fn bundled_name(role: Role) -> &'static str {
    match role {
        Role::Fang => "FandolFang",
        Role::XiaoBiaoSong => "Noto Serif CJK SC",
        Role::Hei => "FandolHei",
        Role::Kai => "FandolKai",
        Role::Song => "FandolSong",
    }
}

pub fn document_xml(body: &str, sect: &str) -> String {
    format!(
        "{HEAD}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\" xmlns:wp=\"{WP}\"><w:body>{body}{sect}</w:body></w:document>"
    )
}

/// What kind of section a `w:sectPr` ends.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sect {
    /// The blank page and the 版记 page after it (GW-N-05): no numbers.
    pub unnumbered: bool,
    /// A turned table's pages (GW-S-30/31).
    pub landscape: bool,
    /// The document's first section (page 1: a 信函's has no number).
    pub first: bool,
}

/// Margins of a landscape section, in mm: the portrait 版心 turned. The
/// paper is turned clockwise to read it, so the landscape page's left edge
/// is the paper's bottom and its top the paper's left edge: the 版心 runs
/// from y = 37 to 262 mm (left and right margins 35 and 35, one mm off
/// each side so mirrored pages, whose left and right swap, stay within a
/// millimetre) and from x = 28 (odd) or 26 (even) mm (top and bottom 27).
pub const TURNED_SIDE_MM: f64 = 36.0;
pub const TURNED_TOP_MM: f64 = 27.0;

/// Section properties: A4, the margins of [`super::TOP_TW`] and
/// [`super::BOTTOM_TW`], mirrored by `w:mirrorMargins` in the settings,
/// odd/even footers (or none: the blank page and the 版记 page after it,
/// GW-N-05), 22 lines a page; or a landscape section for a turned table,
/// its footers holding the page number turned, where it is on a portrait
/// page (GW-N-07, GW-S-30).
pub fn sect_pr(format: PageFormat, sect: Sect) -> String {
    let mut s = String::from("<w:sectPr>");
    let letter_first = format == PageFormat::Letter && sect.first && !sect.unnumbered;
    if sect.unnumbered {
        s.push_str("<w:footerReference w:type=\"default\" r:id=\"rIdFtr3\"/><w:footerReference w:type=\"even\" r:id=\"rIdFtr3\"/>");
    } else if sect.landscape {
        s.push_str("<w:footerReference w:type=\"default\" r:id=\"rIdFtr4\"/><w:footerReference w:type=\"even\" r:id=\"rIdFtr5\"/>");
    } else {
        s.push_str("<w:footerReference w:type=\"default\" r:id=\"rIdFtr1\"/><w:footerReference w:type=\"even\" r:id=\"rIdFtr2\"/>");
        if letter_first {
            // GW-S-07: no number on the first page of a 信函.
            s.push_str("<w:footerReference w:type=\"first\" r:id=\"rIdFtr3\"/>");
        }
    }
    if sect.landscape {
        let side = super::tw(TURNED_SIDE_MM);
        let top = super::tw(TURNED_TOP_MM);
        let _ = write!(
            s,
            "<w:type w:val=\"nextPage\"/><w:pgSz w:w=\"{PAGE_H_TW}\" w:h=\"{PAGE_W_TW}\" w:orient=\"landscape\"/><w:pgMar w:top=\"{top}\" w:right=\"{side}\" w:bottom=\"{top}\" w:left=\"{side}\" w:header=\"567\" w:footer=\"284\" w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\"/><w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/></w:sectPr>"
        );
        return s;
    }
    let _ = write!(
        s,
        "<w:type w:val=\"nextPage\"/><w:pgSz w:w=\"{PAGE_W_TW}\" w:h=\"{PAGE_H_TW}\"/><w:pgMar w:top=\"{TOP_TW}\" w:right=\"{OUTSIDE_TW}\" w:bottom=\"{BOTTOM_TW}\" w:left=\"{INSIDE_TW}\" w:header=\"851\" w:footer=\"{FOOTER_TW}\" w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\"/><w:cols w:space=\"425\"/>"
    );
    if letter_first {
        s.push_str("<w:titlePg/>");
    }
    let _ = write!(
        s,
        "<w:docGrid w:type=\"lines\" w:linePitch=\"{LINE_TW}\"/></w:sectPr>"
    );
    s
}

fn fonts(role: Role) -> String {
    let f = font_name(role);
    format!("<w:rFonts w:ascii=\"{f}\" w:eastAsia=\"{f}\" w:hAnsi=\"{f}\" w:cs=\"{f}\" w:hint=\"eastAsia\"/>")
}

/// One paragraph style.
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    ppr: String,
    rpr: String,
}

fn style(o: &mut String, s: &Style, based: Option<&str>) {
    let default = if s.id == "Normal" {
        " w:default=\"1\""
    } else {
        ""
    };
    let _ = write!(
        o,
        "<w:style w:type=\"paragraph\"{default} w:styleId=\"{}\"><w:name w:val=\"{}\"/>",
        s.id, s.name
    );
    if let Some(b) = based {
        let _ = write!(o, "<w:basedOn w:val=\"{b}\"/><w:next w:val=\"Normal\"/>");
    }
    o.push_str("<w:qFormat/>");
    if !s.ppr.is_empty() {
        let _ = write!(o, "<w:pPr>{}</w:pPr>", s.ppr);
    }
    if !s.rpr.is_empty() {
        let _ = write!(o, "<w:rPr>{}</w:rPr>", s.rpr);
    }
    o.push_str("</w:style>");
}

const NO_INDENT: &str = "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/>";

/// The styles a clerk keeps using: 正文 (Normal), 标题 (Title), 一级至四级
/// 标题 with outline levels 1–4 (the 标题 is level 0), and one style for
/// each part of the 公文.
pub fn styles(layout: &Layout) -> String {
    let mut o = format!("{HEAD}<w:styles xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    // Defaults: 3号 仿宋, exact 1 行, no snapping to the grid (the grid says
    // 22 lines; the exact height keeps them), no extra space between
    // Chinese and Latin or digits, no punctuation hanging outside the 版心
    // (GW-P-08), no widow control (pages break as gongwen's own layout).
    let _ = write!(
        o,
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"0\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:overflowPunct w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{LINE_TW}\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        fonts(Role::Fang)
    );
    let body_rpr = format!(
        "{}<w:spacing w:val=\"{BODY_SPACING}\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
        fonts(Role::Fang)
    );
    style(
        &mut o,
        &Style {
            id: "Normal",
            name: "Normal",
            ppr: "<w:widowControl w:val=\"0\"/><w:overflowPunct w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:snapToGrid w:val=\"0\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"632\"/>".into(),
            rpr: body_rpr,
        },
        None,
    );
    let face = |role: Role, size_hp: i64, extra: &str| {
        format!(
            "{}{extra}<w:spacing w:val=\"{}\"/><w:sz w:val=\"{size_hp}\"/><w:szCs w:val=\"{size_hp}\"/>",
            fonts(role),
            if size_hp == 32 { BODY_SPACING } else { 0 }
        )
    };
    let issuer_hp = (layout.header.issuer_size_pt * 2.0).round() as i64;
    let list: Vec<(Style, Option<&str>)> = vec![
        (
            Style {
                id: "Title",
                name: "Title",
                ppr: format!("<w:keepNext/>{NO_INDENT}<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>"),
                rpr: face(Role::XiaoBiaoSong, 44, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwIssuer",
                name: "发文机关标志",
                ppr: format!("{NO_INDENT}<w:jc w:val=\"center\"/>"),
                rpr: face(Role::XiaoBiaoSong, issuer_hp.max(2), &format!("<w:color w:val=\"{RED}\"/>")),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwMark",
                name: "份号",
                ppr: format!("{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwMarkHei",
                name: "密级和紧急程度",
                ppr: format!("{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: face(Role::Hei, 32, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwNumber",
                name: "发文字号",
                ppr: format!("{NO_INDENT}<w:jc w:val=\"center\"/>"),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwTo",
                name: "主送机关",
                ppr: format!("<w:keepNext/>{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwNoIndent",
                name: "正文（无缩进）",
                ppr: NO_INDENT.into(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwHeading1",
                name: "一级标题",
                ppr: "<w:keepNext/><w:outlineLvl w:val=\"1\"/>".into(),
                rpr: face(Role::Hei, 32, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwHeading2",
                name: "二级标题",
                ppr: "<w:keepNext/><w:outlineLvl w:val=\"2\"/>".into(),
                rpr: face(Role::Kai, 32, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwHeading3",
                name: "三级标题",
                ppr: "<w:keepNext/><w:outlineLvl w:val=\"3\"/>".into(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwHeading4",
                name: "四级标题",
                ppr: "<w:keepNext/><w:outlineLvl w:val=\"4\"/>".into(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwAttachmentNote",
                name: "附件说明",
                ppr: "<w:jc w:val=\"left\"/>".into(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwSignature",
                name: "署名",
                ppr: format!("<w:keepNext/>{NO_INDENT}"),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwDate",
                name: "成文日期",
                ppr: NO_INDENT.into(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwNote",
                name: "附注",
                ppr: String::new(),
                rpr: String::new(),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwAttachmentLabel",
                name: "附件标签",
                ppr: format!("<w:keepNext/>{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: face(Role::Hei, 32, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwColophon",
                name: "版记",
                ppr: format!("<w:keepLines/>{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: face(Role::Fang, 28, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwTableTitle",
                name: "表格标题",
                ppr: format!("<w:keepNext/>{NO_INDENT}<w:jc w:val=\"center\"/>"),
                rpr: face(Role::Hei, 32, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwCell",
                name: "表格文字",
                ppr: format!("<w:spacing w:before=\"45\" w:after=\"45\" w:line=\"240\" w:lineRule=\"auto\"/>{NO_INDENT}<w:jc w:val=\"left\"/>"),
                rpr: face(Role::Fang, 28, ""),
            },
            Some("Normal"),
        ),
        (
            Style {
                id: "GwCellHead",
                name: "表头",
                ppr: "<w:jc w:val=\"center\"/>".into(),
                rpr: face(Role::Hei, 28, ""),
            },
            Some("GwCell"),
        ),
        (
            Style {
                id: "GwPageNumber",
                name: "页码",
                ppr: format!("<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"400\" w:lineRule=\"exact\"/>{NO_INDENT}"),
                rpr: face(Role::Song, 28, ""),
            },
            Some("Normal"),
        ),
    ];
    for (s, based) in &list {
        style(&mut o, s, *based);
    }
    o.push_str("<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"GwTable\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>");
    o.push_str("</w:styles>");
    o
}

pub fn settings(mirror: bool) -> String {
    let mut o =
        format!("{HEAD}<w:settings xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:zoom w:percent=\"100\"/>");
    if mirror {
        // GW-P-04: 订口 28 mm on the binding side of every page.
        o.push_str("<w:mirrorMargins/>");
    }
    o.push_str("<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>");
    o
}

pub fn font_table() -> String {
    let mut o = format!("{HEAD}<w:fonts xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    for role in Role::ALL {
        let family = if role == Role::Hei { "swiss" } else { "modern" };
        let _ = write!(
            o,
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"86\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"fixed\"/></w:font>",
            font_name(role),
            bundled_name(role)
        );
    }
    o.push_str("</w:fonts>");
    o
}

/// A footer: `Some(false)` odd pages (right, 1 字 from the edge),
/// `Some(true)` even pages (left), `None` empty (GW-N-01..05).
pub fn footer(even: Option<bool>) -> String {
    let mut o = format!("{HEAD}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    let one = super::zi().round() as i64;
    match even {
        None => o.push_str("<w:p><w:pPr><w:pStyle w:val=\"GwPageNumber\"/></w:pPr></w:p>"),
        Some(even) => {
            let (ind, jc) = if even {
                (
                    format!("<w:ind w:left=\"{one}\" w:right=\"0\" w:firstLine=\"0\"/>"),
                    "left",
                )
            } else {
                (
                    format!("<w:ind w:left=\"0\" w:right=\"{one}\" w:firstLine=\"0\"/>"),
                    "right",
                )
            };
            let _ = write!(
                o,
                "<w:p><w:pPr><w:pStyle w:val=\"GwPageNumber\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p>"
            );
        }
    }
    o.push_str("</w:ftr>");
    o
}

/// The footer of a landscape (turned table) page: the page number in a
/// text box anchored to the page, its text turned (`vert`: read top to
/// bottom, so along the paper's width once the sheet is turned back), at
/// the place the number has on a portrait page (GW-N-07, GW-S-30): the
/// dash's centre 7 mm under the 版心, 1 字 in from the outer edge.
/// `dash_centre_em`: the dash's centre above the baseline, in em.
pub fn footer_turned(even: bool, dash_centre_em: f64, mirror: bool) -> String {
    let pt = 25.4 / 72.0;
    let size = 14.0;
    let line_tw: i64 = 350;
    let line_mm = line_tw as f64 / super::TW_PER_MM;
    // Portrait em top and bottom of the number (y), its extent along x.
    let em_top = crate::geometry::PAGE_NUMBER_Y_MM - (0.88 - dash_centre_em) * size * pt;
    let zi = crate::compose::grid::PITCH_PT * pt;
    let length = 45.0;
    let (x0, jc) = if even {
        let inner = if mirror {
            crate::geometry::OUTSIDE_MM
        } else {
            crate::geometry::INSIDE_MM
        };
        (inner + zi, "left")
    } else {
        (
            crate::geometry::PAGE_WIDTH_MM - crate::geometry::OUTSIDE_MM - zi - length,
            "right",
        )
    };
    // Landscape x = 297 − portrait y; the text's top faces landscape +x, so
    // the box's right edge is the line's top: em top + the baseline's 4/5
    // of the line − 0.88 em.
    let em_top_x = crate::geometry::PAGE_HEIGHT_MM - em_top;
    let box_right = em_top_x + 0.8 * line_mm - 0.88 * size * pt;
    let emu = |mm: f64| (mm * 36000.0).round() as i64;
    let (bx, by, bw, bh) = (emu(box_right - line_mm), emu(x0), emu(line_mm), emu(length));
    let field = "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>";
    format!(
        "{HEAD}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\" xmlns:wp=\"{WP}\"><w:p><w:pPr><w:pStyle w:val=\"GwPageNumber\"/></w:pPr><w:r><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"251659300\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"page\"><wp:posOffset>{bx}</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"page\"><wp:posOffset>{by}</wp:posOffset></wp:positionV><wp:extent cx=\"{bw}\" cy=\"{bh}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/><wp:docPr id=\"{id}\" name=\"页码\"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{bw}\" cy=\"{bh}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val=\"GwPageNumber\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{line_tw}\" w:lineRule=\"exact\"/><w:jc w:val=\"{jc}\"/></w:pPr>{field}</w:p></w:txbxContent></wps:txbx><wps:bodyPr rot=\"0\" vert=\"vert\" wrap=\"square\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" anchor=\"t\" anchorCtr=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p></w:ftr>",
        id = if even { 9002 } else { 9001 },
    )
}

pub const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

pub const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>gongwen</Application></Properties>";

pub fn document_rels(media: &[Media]) -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut o = format!("{HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    let _ = write!(o, "<Relationship Id=\"rIdStyles\" Type=\"{base}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"{base}/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdFonts\" Type=\"{base}/fontTable\" Target=\"fontTable.xml\"/>");
    for i in 1..=5 {
        let _ = write!(
            o,
            "<Relationship Id=\"rIdFtr{i}\" Type=\"{base}/footer\" Target=\"footer{i}.xml\"/>"
        );
    }
    for i in 1..=media.len() {
        let _ = write!(
            o,
            "<Relationship Id=\"rIdSeal{i}\" Type=\"{base}/image\" Target=\"media/seal{i}.png\"/>"
        );
    }
    o.push_str("</Relationships>");
    o
}

pub fn content_types(media: &[Media]) -> String {
    let mut o = format!("{HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    if !media.is_empty() {
        o.push_str("<Default Extension=\"png\" ContentType=\"image/png\"/>");
    }
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let _ = write!(o, "<Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"{wml}.fontTable+xml\"/>");
    for i in 1..=5 {
        let _ = write!(
            o,
            "<Override PartName=\"/word/footer{i}.xml\" ContentType=\"{wml}.footer+xml\"/>"
        );
    }
    o.push_str("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>");
    o
}

/// Document properties: title and author from the facts, dated by the
/// document's own date (the same input gives the same file).
pub fn core(facts: &Facts, date: chrono::NaiveDate) -> String {
    let when = format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    format!(
        "{HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:lastModifiedBy>gongwen</cp:lastModifiedBy><dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>",
        esc(&facts.title),
        esc(&facts.kind),
        esc(&facts.author),
    )
}
