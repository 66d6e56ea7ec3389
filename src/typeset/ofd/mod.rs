//! OFD export (GB/T 33190-2016, 电子文件存储与交换格式 版式文档) of laid-out
//! pages: the same `PagedDocument` the PDF is written from, walked as
//! [`inspect`](super::inspect) walks it.
//!
//! The package (§7.1, 图2):
//!
//! ```text
//! OFD.xml                         entry: DocInfo (标题, 发文机关, 发文字号 …), DocRoot
//! Doc_0/Document.xml              CommonData (PageArea A4, resources), Pages, CustomTags
//! Doc_0/PublicRes.xml             fonts and the RGB colour space
//! Doc_0/DocumentRes.xml           images (seals, charts given as pictures)
//! Doc_0/Res/font_N.otf|ttf        font subsets, with a cmap (see `font`)
//! Doc_0/Res/image_N.png|jpg
//! Doc_0/Pages/Page_N/Content.xml  one layer: TextObject, PathObject, ImageObject
//! Doc_0/Tags/CustomTags.xml       公文 structure marks (see `marks`)
//! Doc_0/Tags/GongwenTags.xml
//! ```
//!
//! Text is a `TextObject` per run, its `TextCode` holding the characters
//! and each character's position (`DeltaX`, and `DeltaY` where glyphs move
//! up or down), so it is searchable and selectable; a glyph that the
//! font's `cmap` would not give for its character gets a `CGTransform`
//! (§11.4). Rules and borders are `PathObject`s; images `ImageObject`s.
//! Units are millimetres, origin top-left, y down — Typst's own frame
//! convention, so positions carry over without flipping.
//!
//! Electronic seals (GB/T 38540, `Signatures.xml`) are not written. A
//! signing step can be added on top of [`Package`]: it takes the package's
//! files as they are, adds `Doc_0/Signs/…` and rewrites `OFD.xml` with
//! [`ofd_xml`] given the signature list's location; nothing here needs to
//! change for that.

mod font;
mod marks;
mod xml;

use std::fmt::Write as _;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{Font, TextItem};
use typst::visualize::{CurveItem, FixedStroke, Geometry, Image, ImageKind, Paint};
use typst_layout::PagedDocument;

pub use marks::{Mark, MarkFind};

use crate::error::Error;
use font::FontUse;
use xml::{esc, num};

const NS: &str = "http://www.ofdspec.org/2016";

/// What the package says about the document (DocInfo, §7.4) and how its
/// parts are marked.
#[derive(Debug, Clone, Default)]
pub struct OfdInfo {
    /// Seeds the DocID, so the same document keeps the same id.
    pub ident: String,
    pub title: String,
    /// 发文机关.
    pub author: String,
    /// 文种.
    pub subject: String,
    /// 发文字号 and the like.
    pub keywords: Vec<String>,
    /// The document's own date (成文日期), not the time of the run: the
    /// same input gives the same bytes.
    pub date: Option<chrono::NaiveDate>,
    /// Name–value pairs for `CustomDatas` (发文字号, 密级 …).
    pub custom: Vec<(String, String)>,
    /// 公文 parts in document order.
    pub marks: Vec<Mark>,
}

/// The files of an OFD package, before they are zipped.
pub struct Package {
    pub files: Vec<(String, Vec<u8>)>,
    date: Option<chrono::NaiveDate>,
}

impl Package {
    /// The package as a zip, every entry dated the document's date.
    pub fn zip(&self) -> Result<Vec<u8>, Error> {
        let date = self
            .date
            .unwrap_or(chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default());
        crate::output::zip(&self.files, date)
    }
}

/// Exports a laid-out document to OFD.
pub fn ofd(doc: &PagedDocument, info: &OfdInfo) -> Result<Vec<u8>, Error> {
    package(doc, info)?.zip()
}

/// The OFD package of a laid-out document.
pub fn package(doc: &PagedDocument, info: &OfdInfo) -> Result<Package, Error> {
    let mut w = Walker::default();
    for page in doc.pages() {
        let mut objs = Vec::new();
        w.walk(&page.frame, Transform::identity(), &mut objs)?;
        w.pages.push(PageOut {
            size: (page.frame.width().to_mm(), page.frame.height().to_mm()),
            objs,
        });
    }
    w.finish(info)
}

/// `OFD.xml`; `signatures` is the location of `Signatures.xml` once a
/// signing step has made one.
pub fn ofd_xml(info: &OfdInfo, signatures: Option<&str>) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(info.ident.as_bytes());
    let id: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        s,
        "<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo>"
    );
    let _ = write!(s, "<ofd:DocID>{id}</ofd:DocID>");
    let el = |s: &mut String, name: &str, v: &str| {
        if !v.is_empty() {
            let _ = write!(s, "<ofd:{name}>{}</ofd:{name}>", esc(v));
        }
    };
    el(&mut s, "Title", &info.title);
    el(&mut s, "Author", &info.author);
    el(&mut s, "Subject", &info.subject);
    if let Some(d) = info.date {
        el(&mut s, "CreationDate", &d.format("%Y-%m-%d").to_string());
    }
    el(&mut s, "DocUsage", "Normal");
    let keywords: Vec<&String> = info.keywords.iter().filter(|k| !k.is_empty()).collect();
    if !keywords.is_empty() {
        s.push_str("<ofd:Keywords>");
        for k in keywords {
            el(&mut s, "Keyword", k);
        }
        s.push_str("</ofd:Keywords>");
    }
    el(&mut s, "Creator", "gongwen");
    el(&mut s, "CreatorVersion", env!("CARGO_PKG_VERSION"));
    let custom: Vec<_> = info.custom.iter().filter(|(_, v)| !v.is_empty()).collect();
    if !custom.is_empty() {
        s.push_str("<ofd:CustomDatas>");
        for (k, v) in custom {
            let _ = write!(
                s,
                "<ofd:CustomData Name=\"{}\">{}</ofd:CustomData>",
                esc(k),
                esc(v)
            );
        }
        s.push_str("</ofd:CustomDatas>");
    }
    s.push_str("</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>");
    if let Some(loc) = signatures {
        el(&mut s, "Signatures", loc);
    }
    s.push_str("</ofd:DocBody></ofd:OFD>\n");
    s
}

/// A page's graphic objects, in painting order.
struct PageOut {
    size: (f64, f64),
    objs: Vec<Obj>,
}

enum Obj {
    Text(TextObj),
    Path(PathObj),
    Image(ImageObj),
}

struct TextObj {
    font: usize,
    size: f64,
    fill: [u8; 3],
    stroke: Option<(f64, [u8; 3])>,
    boundary: [f64; 4],
    /// Set when the run is turned or scaled: local → boundary coordinates.
    ctm: Option<[f64; 6]>,
    clusters: Vec<Cluster>,
    /// Left end of the baseline on the page, for reading order.
    at: (f64, f64),
}

/// Characters drawn by one or more glyphs, at one position (relative to
/// the boundary, or local when the object has a CTM).
struct Cluster {
    text: String,
    glyphs: Vec<u16>,
    x: f64,
    y: f64,
}

struct PathObj {
    boundary: [f64; 4],
    /// AbbreviatedData, relative to the boundary.
    data: String,
    stroke: Option<Stroke>,
    fill: Option<[u8; 3]>,
    even_odd: bool,
}

struct Stroke {
    width: f64,
    color: [u8; 3],
    cap: &'static str,
    join: &'static str,
    dash: Option<(Vec<f64>, f64)>,
}

struct ImageObj {
    media: usize,
    boundary: [f64; 4],
    ctm: [f64; 6],
}

struct Media {
    key: (Image, u32),
    bytes: Vec<u8>,
    format: &'static str,
    ext: &'static str,
}

#[derive(Default)]
struct Walker {
    fonts: Vec<FontUse>,
    media: Vec<Media>,
    pages: Vec<PageOut>,
}

fn rgb(paint: &Paint) -> [u8; 3] {
    match paint {
        Paint::Solid(c) => {
            let c = c.to_rgb();
            [c.red, c.green, c.blue].map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
        }
        // Gradients and tilings are not used by the templates: black.
        _ => [0, 0, 0],
    }
}

fn mm(p: Point) -> (f64, f64) {
    (p.x.to_mm(), p.y.to_mm())
}

fn is_upright(ts: &Transform) -> bool {
    (ts.sx.get() - 1.0).abs() < 1e-9
        && (ts.sy.get() - 1.0).abs() < 1e-9
        && ts.kx.get().abs() < 1e-9
        && ts.ky.get().abs() < 1e-9
}

/// The bounding box of points, as `[x, y, w, h]`, grown by `pad`.
fn bbox(points: &[(f64, f64)], pad: f64) -> [f64; 4] {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in points {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if x0 > x1 {
        return [0.0; 4];
    }
    [x0 - pad, y0 - pad, x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad]
}

/// Boundaries are written at 0.001 mm; round outwards so the rounded box
/// still holds everything.
fn round_box(b: [f64; 4]) -> [f64; 4] {
    let x = (b[0] * 1000.0).floor() / 1000.0;
    let y = (b[1] * 1000.0).floor() / 1000.0;
    let w = ((b[0] + b[2] - x) * 1000.0).ceil() / 1000.0;
    let h = ((b[1] + b[3] - y) * 1000.0).ceil() / 1000.0;
    [x, y, w.max(0.001), h.max(0.001)]
}

impl Walker {
    fn font(&mut self, font: &Font) -> usize {
        if let Some(i) = self.fonts.iter().position(|f| &f.font == font) {
            return i;
        }
        self.fonts.push(FontUse::new(font.clone()));
        self.fonts.len() - 1
    }

    fn walk(&mut self, frame: &Frame, ts: Transform, out: &mut Vec<Obj>) -> Result<(), Error> {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    let inner = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(g.transform);
                    self.walk(&g.frame, inner, out)?;
                }
                FrameItem::Text(t) => {
                    if let Some(o) = self.text(t, *pos, ts) {
                        out.push(Obj::Text(o));
                    }
                }
                FrameItem::Shape(shape, _) => {
                    let at = |p: Point| mm(Point::new(pos.x + p.x, pos.y + p.y).transform(ts));
                    let mut pts: Vec<(char, Vec<(f64, f64)>)> = Vec::new();
                    match &shape.geometry {
                        Geometry::Line(to) => {
                            pts.push(('M', vec![at(Point::zero())]));
                            pts.push(('L', vec![at(*to)]));
                        }
                        Geometry::Rect(size) => {
                            let (w, h) = (size.x, size.y);
                            pts.push(('M', vec![at(Point::zero())]));
                            pts.push(('L', vec![at(Point::new(w, Abs::zero()))]));
                            pts.push(('L', vec![at(Point::new(w, h))]));
                            pts.push(('L', vec![at(Point::new(Abs::zero(), h))]));
                            pts.push(('C', vec![]));
                        }
                        Geometry::Curve(curve) => {
                            for c in curve.0.iter() {
                                match c {
                                    CurveItem::Move(p) => pts.push(('M', vec![at(*p)])),
                                    CurveItem::Line(p) => pts.push(('L', vec![at(*p)])),
                                    CurveItem::Cubic(a, b, p) => {
                                        pts.push(('B', vec![at(*a), at(*b), at(*p)]))
                                    }
                                    CurveItem::Close => pts.push(('C', vec![])),
                                }
                            }
                        }
                    }
                    let scale = (ts.sx.get() * ts.sy.get() - ts.kx.get() * ts.ky.get())
                        .abs()
                        .sqrt();
                    let stroke = shape.stroke.as_ref().map(|s| stroke(s, scale));
                    let fill = shape.fill.as_ref().map(rgb);
                    if stroke.is_none() && fill.is_none() {
                        continue;
                    }
                    let all: Vec<(f64, f64)> =
                        pts.iter().flat_map(|(_, p)| p.iter().copied()).collect();
                    let pad = stroke.as_ref().map(|s| s.width / 2.0).unwrap_or(0.0);
                    let b = round_box(bbox(&all, pad));
                    let mut data = String::new();
                    for (op, ps) in &pts {
                        if !data.is_empty() {
                            data.push(' ');
                        }
                        data.push(*op);
                        for (x, y) in ps {
                            let _ = write!(data, " {} {}", num(x - b[0]), num(y - b[1]));
                        }
                    }
                    out.push(Obj::Path(PathObj {
                        boundary: b,
                        data,
                        stroke,
                        fill,
                        even_odd: matches!(shape.fill_rule, typst::visualize::FillRule::EvenOdd),
                    }));
                }
                FrameItem::Image(image, size, _) => {
                    let t = ts.pre_concat(Transform::translate(pos.x, pos.y));
                    let corners = [
                        Point::zero(),
                        Point::new(size.x, Abs::zero()),
                        Point::new(size.x, size.y),
                        Point::new(Abs::zero(), size.y),
                    ]
                    .map(|p| mm(p.transform(t)));
                    let b = round_box(bbox(&corners, 0.0));
                    let (w, h) = (size.x.to_mm(), size.y.to_mm());
                    let o = mm(Point::zero().transform(t));
                    let ctm = [
                        t.sx.get() * w,
                        t.ky.get() * w,
                        t.kx.get() * h,
                        t.sy.get() * h,
                        o.0 - b[0],
                        o.1 - b[1],
                    ];
                    // Pixels for a vector image: 300 dpi at its printed size.
                    let px = ((w.max(h) * (t.sx.get().abs() + t.kx.get().abs()).max(1.0)) / 25.4
                        * 300.0)
                        .ceil()
                        .clamp(16.0, 4000.0) as u32;
                    let media = self.media(image, px)?;
                    out.push(Obj::Image(ImageObj {
                        media,
                        boundary: b,
                        ctm,
                    }));
                }
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
        Ok(())
    }

    fn text(&mut self, t: &TextItem, pos: Point, ts: Transform) -> Option<TextObj> {
        let size = t.size.to_mm();
        let font = self.font(t.font.font());
        // Glyphs grouped by their cluster (the characters they draw).
        let mut clusters: Vec<Cluster> = Vec::new();
        let mut cursor = 0.0;
        let mut last_range = None;
        for g in &t.glyphs {
            let x = cursor + g.x_offset.get() * size;
            let y = -g.y_offset.get() * size;
            cursor += g.x_advance.get() * size;
            let text = t.text.get(g.range()).unwrap_or("");
            if last_range == Some(g.range.clone()) {
                if let Some(c) = clusters.last_mut() {
                    c.glyphs.push(g.id);
                    continue;
                }
            }
            last_range = Some(g.range.clone());
            clusters.push(Cluster {
                text: text.to_string(),
                glyphs: vec![g.id],
                x,
                y,
            });
        }
        // Blank ends carry nothing a reader draws (and some readers trim
        // them, shifting the positions).
        while clusters.last().is_some_and(|c| c.text.trim().is_empty()) {
            clusters.pop();
        }
        let first = clusters.iter().position(|c| !c.text.trim().is_empty())?;
        clusters.drain(..first);
        for c in &clusters {
            let mut chars = c.text.chars();
            let one = match (chars.next(), chars.next(), c.glyphs.len()) {
                (Some(ch), None, 1) => Some(ch),
                _ => None,
            };
            for g in &c.glyphs {
                self.fonts[font].note(*g, one);
            }
        }
        let x0 = clusters.iter().map(|c| c.x).fold(f64::MAX, f64::min);
        let x1 = cursor;
        let ys = clusters.iter().map(|c| c.y);
        let (y0, y1) = ys.fold((0.0f64, 0.0f64), |(a, b), y| (a.min(y), b.max(y)));
        // Room for ink beyond the advances (accents, a glyph's overhang).
        let local = [
            (x0 - 0.1 * size, y0 - 1.1 * size),
            (x1 + 0.1 * size, y0 - 1.1 * size),
            (x1 + 0.1 * size, y1 + 0.35 * size),
            (x0 - 0.1 * size, y1 + 0.35 * size),
        ];
        let t2 = ts.pre_concat(Transform::translate(pos.x, pos.y));
        let to_page = |(x, y): (f64, f64)| mm(Point::new(Abs::mm(x), Abs::mm(y)).transform(t2));
        let corners = local.map(to_page);
        let boundary = round_box(bbox(&corners, 0.0));
        let origin = to_page((0.0, 0.0));
        let ctm = if is_upright(&ts) {
            for c in &mut clusters {
                c.x += origin.0 - boundary[0];
                c.y += origin.1 - boundary[1];
            }
            None
        } else {
            Some([
                t2.sx.get(),
                t2.ky.get(),
                t2.kx.get(),
                t2.sy.get(),
                origin.0 - boundary[0],
                origin.1 - boundary[1],
            ])
        };
        Some(TextObj {
            font,
            size,
            fill: rgb(&t.fill),
            stroke: t
                .stroke
                .as_ref()
                .map(|s| (s.thickness.to_mm(), rgb(&s.paint))),
            boundary,
            ctm,
            clusters,
            at: origin,
        })
    }

    fn media(&mut self, image: &Image, px: u32) -> Result<usize, Error> {
        let key_px = match image.kind() {
            ImageKind::Svg(_) => px,
            _ => 0,
        };
        if let Some(i) = self
            .media
            .iter()
            .position(|m| m.key.0 == *image && m.key.1 == key_px)
        {
            return Ok(i);
        }
        let fail = |what: &str| {
            Error::other(format!(
                "OFD 里写不了这张图片：{what}。请改用 PNG 或 JPG 图片。"
            ))
        };
        let (bytes, format, ext) = match image.kind() {
            ImageKind::Raster(r) => {
                use typst::visualize::{ExchangeFormat, RasterFormat};
                match r.format() {
                    RasterFormat::Exchange(ExchangeFormat::Png) => {
                        (r.data().to_vec(), "PNG", "png")
                    }
                    RasterFormat::Exchange(ExchangeFormat::Jpg) => {
                        (r.data().to_vec(), "JPEG", "jpg")
                    }
                    _ => {
                        let mut out = std::io::Cursor::new(Vec::new());
                        r.dynamic()
                            .write_to(&mut out, image::ImageFormat::Png)
                            .map_err(|e| fail(&e.to_string()))?;
                        (out.into_inner(), "PNG", "png")
                    }
                }
            }
            ImageKind::Svg(svg) => {
                let tree = svg.tree();
                let size = tree.size();
                let scale = px as f32 / size.width().max(size.height()).max(1.0);
                let w = (size.width() * scale).ceil().max(1.0) as u32;
                let h = (size.height() * scale).ceil().max(1.0) as u32;
                let mut pixmap =
                    resvg::tiny_skia::Pixmap::new(w, h).ok_or_else(|| fail("SVG 尺寸不对"))?;
                resvg::render(
                    tree,
                    resvg::tiny_skia::Transform::from_scale(scale, scale),
                    &mut pixmap.as_mut(),
                );
                let png = pixmap.encode_png().map_err(|e| fail(&e.to_string()))?;
                (png, "PNG", "png")
            }
            ImageKind::Pdf(_) => return Err(fail("PDF 格式的图片")),
        };
        self.media.push(Media {
            key: (image.clone(), key_px),
            bytes,
            format,
            ext,
        });
        Ok(self.media.len() - 1)
    }

    fn finish(self, info: &OfdInfo) -> Result<Package, Error> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut next = 0u32;
        let mut id = || {
            next += 1;
            next
        };
        // Fonts.
        let mut subsets = Vec::new();
        let mut font_ids = Vec::new();
        let mut public = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\">"
        );
        let cs = id();
        let _ = write!(
            public,
            "<ofd:ColorSpaces><ofd:ColorSpace ID=\"{cs}\" Type=\"RGB\" BitsPerComponent=\"8\"/></ofd:ColorSpaces>"
        );
        if !self.fonts.is_empty() {
            public.push_str("<ofd:Fonts>");
        }
        for f in &self.fonts {
            let fid = id();
            let sub = f.subset().map_err(|e| {
                Error::other(format!(
                    "生成 OFD 时字体 {} 无法子集化：{e}",
                    f.font.info().family
                ))
            })?;
            let file = format!("font_{fid}.{}", sub.ext);
            let info = f.font.info();
            let name = postscript_name(&f.font).unwrap_or_else(|| info.family.clone());
            let _ = write!(
                public,
                "<ofd:Font ID=\"{fid}\" FontName=\"{}\" FamilyName=\"{}\"{}><ofd:FontFile>{file}</ofd:FontFile></ofd:Font>",
                esc(&name),
                esc(&info.family),
                if info.variant.weight.to_number() >= 600 {
                    " Bold=\"true\""
                } else {
                    ""
                }
            );
            files.push((format!("Doc_0/Res/{file}"), sub.bytes.clone()));
            font_ids.push(fid);
            subsets.push(sub);
        }
        if !self.fonts.is_empty() {
            public.push_str("</ofd:Fonts>");
        }
        public.push_str("</ofd:Res>\n");
        // Images.
        let mut media_ids = Vec::new();
        let mut docres = String::new();
        if !self.media.is_empty() {
            let _ = write!(
                docres,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:MultiMedias>"
            );
            for m in &self.media {
                let mid = id();
                let file = format!("image_{mid}.{}", m.ext);
                let _ = write!(
                    docres,
                    "<ofd:MultiMedia ID=\"{mid}\" Type=\"Image\" Format=\"{}\"><ofd:MediaFile>{file}</ofd:MediaFile></ofd:MultiMedia>",
                    m.format
                );
                files.push((format!("Doc_0/Res/{file}"), m.bytes.clone()));
                media_ids.push(mid);
            }
            docres.push_str("</ofd:MultiMedias></ofd:Res>\n");
        }
        // Pages.
        let mut page_entries = String::new();
        let mut placed: Vec<marks::Placed> = Vec::new();
        let mut page_ids = Vec::new();
        let mut contents = Vec::new();
        for (n, page) in self.pages.iter().enumerate() {
            let pid = id();
            page_ids.push(pid);
            let layer = id();
            let mut s = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Area><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID=\"{layer}\" Type=\"Body\">",
                num(page.size.0),
                num(page.size.1)
            );
            for obj in &page.objs {
                let oid = id();
                match obj {
                    Obj::Text(t) => {
                        write_text(&mut s, oid, t, font_ids[t.font], &subsets[t.font], cs);
                        placed.push(marks::Placed {
                            page: n,
                            id: oid,
                            text: t.clusters.iter().map(|c| c.text.as_str()).collect(),
                            at: t.at,
                            image: false,
                        });
                    }
                    Obj::Path(p) => write_path(&mut s, oid, p, cs),
                    Obj::Image(i) => {
                        let _ = write!(
                            s,
                            "<ofd:ImageObject ID=\"{oid}\" Boundary=\"{}\" CTM=\"{}\" ResourceID=\"{}\"/>",
                            nums(&i.boundary),
                            nums(&i.ctm),
                            media_ids[i.media]
                        );
                        placed.push(marks::Placed {
                            page: n,
                            id: oid,
                            text: String::new(),
                            at: (i.boundary[0], i.boundary[1] + i.boundary[3] / 2.0),
                            image: true,
                        });
                    }
                }
            }
            s.push_str("</ofd:Layer></ofd:Content></ofd:Page>\n");
            let _ = write!(
                page_entries,
                "<ofd:Page ID=\"{pid}\" BaseLoc=\"Pages/Page_{n}/Content.xml\"/>"
            );
            contents.push((format!("Doc_0/Pages/Page_{n}/Content.xml"), s.into_bytes()));
        }
        // 公文 structure marks.
        let tags = marks::custom_tag(&info.marks, &placed, &page_ids);
        let max_id = next;
        let (w, h) = self.pages.first().map(|p| p.size).unwrap_or((210.0, 297.0));
        let mut document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>",
            num(w),
            num(h)
        );
        if !docres.is_empty() {
            document.push_str("<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>");
        }
        let _ = write!(
            document,
            "<ofd:DefaultCS>{cs}</ofd:DefaultCS></ofd:CommonData><ofd:Pages>{page_entries}</ofd:Pages>"
        );
        if tags.is_some() {
            document.push_str("<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>");
        }
        document.push_str("</ofd:Document>\n");

        let mut out: Vec<(String, Vec<u8>)> = vec![
            ("OFD.xml".into(), ofd_xml(info, None).into_bytes()),
            ("Doc_0/Document.xml".into(), document.into_bytes()),
            ("Doc_0/PublicRes.xml".into(), public.into_bytes()),
        ];
        if !docres.is_empty() {
            out.push(("Doc_0/DocumentRes.xml".into(), docres.into_bytes()));
        }
        out.extend(contents);
        if let Some((index, tag)) = tags {
            out.push(("Doc_0/Tags/CustomTags.xml".into(), index.into_bytes()));
            out.push((format!("Doc_0/Tags/{}", marks::TAG_FILE), tag.into_bytes()));
        }
        out.extend(files);
        Ok(Package {
            files: out,
            date: info.date,
        })
    }
}

fn stroke(s: &FixedStroke, scale: f64) -> Stroke {
    use typst::visualize::{LineCap, LineJoin};
    Stroke {
        width: s.thickness.to_mm() * scale,
        color: rgb(&s.paint),
        cap: match s.cap {
            LineCap::Butt => "Butt",
            LineCap::Round => "Round",
            LineCap::Square => "Square",
        },
        join: match s.join {
            LineJoin::Miter => "Miter",
            LineJoin::Round => "Round",
            LineJoin::Bevel => "Bevel",
        },
        dash: s.dash.as_ref().map(|d| {
            (
                d.array.iter().map(|a| a.to_mm() * scale).collect(),
                d.phase.to_mm() * scale,
            )
        }),
    }
}

fn nums(v: &[f64]) -> String {
    v.iter().map(|x| num(*x)).collect::<Vec<_>>().join(" ")
}

fn color(c: [u8; 3], cs: u32) -> String {
    format!("Value=\"{} {} {}\" ColorSpace=\"{cs}\"", c[0], c[1], c[2])
}

/// `DeltaX`/`DeltaY` from positions; runs of one value written `g N v`
/// (§11.3, 表 46).
fn deltas(pos: &[f64]) -> Option<String> {
    let d: Vec<String> = pos.windows(2).map(|w| num(w[1] - w[0])).collect();
    if d.iter().all(|v| v == "0") {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let mut j = i + 1;
        while j < d.len() && d[j] == d[i] {
            j += 1;
        }
        if j - i >= 3 {
            out.push(format!("g {} {}", j - i, d[i]));
        } else {
            out.extend(d[i..j].iter().cloned());
        }
        i = j;
    }
    Some(out.join(" "))
}

fn write_text(s: &mut String, oid: u32, t: &TextObj, fid: u32, sub: &font::Subset, cs: u32) {
    let _ = write!(
        s,
        "<ofd:TextObject ID=\"{oid}\" Boundary=\"{}\" Font=\"{fid}\" Size=\"{}\"",
        nums(&t.boundary),
        num(t.size)
    );
    if let Some(ctm) = &t.ctm {
        let _ = write!(s, " CTM=\"{}\"", nums(ctm));
    }
    if let Some((w, _)) = t.stroke {
        let _ = write!(s, " Stroke=\"true\" LineWidth=\"{}\"", num(w));
    }
    s.push('>');
    if t.fill != [0, 0, 0] {
        let _ = write!(s, "<ofd:FillColor {}/>", color(t.fill, cs));
    }
    if let Some((_, c)) = t.stroke {
        let _ = write!(s, "<ofd:StrokeColor {}/>", color(c, cs));
    }
    // Characters, each at its cluster's position; glyphs a reader would not
    // find through the cmap are given by CGTransform.
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut text = String::new();
    let mut transforms = String::new();
    for c in &t.clusters {
        let n = c.text.chars().count();
        let one = match (c.text.chars().next(), n, c.glyphs.len()) {
            (Some(ch), 1, 1) if sub.mapped(ch, c.glyphs[0]) => true,
            _ => n == 0,
        };
        if !one {
            let glyphs: Vec<String> = c.glyphs.iter().map(|g| sub.glyph(*g).to_string()).collect();
            let _ = write!(
                transforms,
                "<ofd:CGTransform CodePosition=\"{}\" CodeCount=\"{n}\" GlyphCount=\"{}\"><ofd:Glyphs>{}</ofd:Glyphs></ofd:CGTransform>",
                xs.len(),
                glyphs.len(),
                glyphs.join(" ")
            );
        }
        for _ in 0..n {
            xs.push(c.x);
            ys.push(c.y);
        }
        text.push_str(&c.text);
    }
    s.push_str(&transforms);
    let _ = write!(
        s,
        "<ofd:TextCode X=\"{}\" Y=\"{}\"",
        num(xs.first().copied().unwrap_or(0.0)),
        num(ys.first().copied().unwrap_or(0.0))
    );
    if let Some(d) = deltas(&xs) {
        let _ = write!(s, " DeltaX=\"{d}\"");
    }
    if let Some(d) = deltas(&ys) {
        let _ = write!(s, " DeltaY=\"{d}\"");
    }
    let _ = write!(s, ">{}</ofd:TextCode></ofd:TextObject>", esc(&text));
}

fn write_path(s: &mut String, oid: u32, p: &PathObj, cs: u32) {
    let _ = write!(
        s,
        "<ofd:PathObject ID=\"{oid}\" Boundary=\"{}\"",
        nums(&p.boundary)
    );
    match &p.stroke {
        Some(st) => {
            let _ = write!(s, " LineWidth=\"{}\"", num(st.width));
            if st.cap != "Butt" {
                let _ = write!(s, " Cap=\"{}\"", st.cap);
            }
            if st.join != "Miter" {
                let _ = write!(s, " Join=\"{}\"", st.join);
            }
            if let Some((arr, phase)) = &st.dash {
                let _ = write!(
                    s,
                    " DashOffset=\"{}\" DashPattern=\"{}\"",
                    num(*phase),
                    nums(arr)
                );
            }
        }
        None => s.push_str(" Stroke=\"false\""),
    }
    if p.fill.is_some() {
        s.push_str(" Fill=\"true\"");
        if p.even_odd {
            s.push_str(" Rule=\"Even-Odd\"");
        }
    }
    s.push('>');
    if let Some(st) = &p.stroke {
        let _ = write!(s, "<ofd:StrokeColor {}/>", color(st.color, cs));
    }
    if let Some(f) = p.fill {
        let _ = write!(s, "<ofd:FillColor {}/>", color(f, cs));
    }
    let _ = write!(
        s,
        "<ofd:AbbreviatedData>{}</ofd:AbbreviatedData></ofd:PathObject>",
        p.data
    );
}

/// The font's PostScript name (name id 6), if it has one.
fn postscript_name(font: &Font) -> Option<String> {
    let face = ttf_parser::Face::parse(font.data().as_slice(), font.index()).ok()?;
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
}
