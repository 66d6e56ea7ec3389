//! Reading back a laid-out document: every text run with its position, font
//! and colour, every rule and image. Tests measure layout with it; `gongwen`
//! itself uses it to verify its own output where a rule demands (e.g. the
//! number of characters per line).

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, Geometry, Paint, ProcessColor};
use typst_layout::PagedDocument;

/// Millimetres from points.
pub fn mm(a: Abs) -> f64 {
    a.to_mm()
}

/// A run of text placed on a page.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub page: usize,
    pub text: String,
    /// Left edge and baseline, in mm from the page's top-left corner.
    pub x: f64,
    pub baseline: f64,
    pub width: f64,
    /// Right edge of the last glyph's ink cell: its start plus at most one
    /// em (justification adds space after a glyph, not ink).
    pub ink_right: f64,
    pub size_pt: f64,
    pub family: String,
    pub red: bool,
    /// Where the run's baseline ends on the page, in mm: `(x + width,
    /// baseline)` for upright text, elsewhere for a turned table's text.
    pub end: (f64, f64),
}

impl TextRun {
    /// Top of the em box (baseline − 0.88 em).
    pub fn em_top(&self) -> f64 {
        self.baseline - 0.88 * self.size_pt * 25.4 / 72.0
    }

    pub fn em_bottom(&self) -> f64 {
        self.baseline + 0.12 * self.size_pt * 25.4 / 72.0
    }

    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// A filled rectangle or a stroked line.
#[derive(Debug, Clone)]
pub struct Rule {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub red: bool,
}

#[derive(Debug, Clone)]
pub struct ImageBox {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Default)]
pub struct Inspection {
    pub pages: usize,
    pub runs: Vec<TextRun>,
    pub rules: Vec<Rule>,
    pub images: Vec<ImageBox>,
}

impl Inspection {
    pub fn of(doc: &PagedDocument) -> Inspection {
        let mut out = Inspection {
            pages: doc.pages().len(),
            ..Default::default()
        };
        for (i, page) in doc.pages().iter().enumerate() {
            walk(&page.frame, Transform::identity(), i + 1, &mut out);
        }
        out
    }

    /// Text of a page, runs joined in reading order (top to bottom, left to
    /// right), lines separated by `\n`.
    pub fn lines(&self, page: usize) -> Vec<Line> {
        let mut runs: Vec<&TextRun> = self.runs.iter().filter(|r| r.page == page).collect();
        runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
        // Runs within 0.5 mm of a baseline are one line (a boxed mark sits a
        // hair off it), read left to right.
        let mut groups: Vec<Vec<&TextRun>> = Vec::new();
        for r in runs {
            match groups.last_mut() {
                Some(g) if (g[0].baseline - r.baseline).abs() < 0.5 => g.push(r),
                _ => groups.push(vec![r]),
            }
        }
        for g in &mut groups {
            g.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        let runs = groups.into_iter().flatten();
        let mut lines: Vec<Line> = Vec::new();
        for r in runs {
            match lines.last_mut() {
                Some(l) if (l.baseline - r.baseline).abs() < 0.5 => {
                    l.text.push_str(&r.text);
                    l.right = l.right.max(r.right());
                    l.ink_right = l.ink_right.max(r.ink_right);
                    l.runs.push(r.clone());
                }
                _ => lines.push(Line {
                    baseline: r.baseline,
                    left: r.x,
                    right: r.right(),
                    ink_right: r.ink_right,
                    text: r.text.clone(),
                    runs: vec![r.clone()],
                }),
            }
        }
        lines
    }

    /// All text of the document in reading order, without whitespace and
    /// without page numbers.
    pub fn text(&self) -> String {
        (1..=self.pages)
            .flat_map(|p| self.lines(p))
            .filter(|l| !is_page_number(&l.text))
            .map(|l| l.text)
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    /// Characters of `fields` (field path, text) that appear on no page:
    /// each field's characters, counted with repetition, must be found in
    /// text runs lying wholly on the A4 sheet. Whitespace is not counted.
    /// “Nothing is lost silently” is asserted with it.
    pub fn lost(&self, fields: &[(String, String)]) -> Vec<String> {
        use std::collections::HashMap;
        let mut have: HashMap<char, usize> = HashMap::new();
        let inside =
            |(x, y): (f64, f64)| (-0.01..=210.01).contains(&x) && (-0.01..=297.01).contains(&y);
        for r in &self.runs {
            let upright = (r.end.1 - r.baseline).abs() < 0.01;
            // Turned text (a turned table) runs up the page: both ends of its
            // baseline, an em to its side, must be on the sheet.
            let em = r.size_pt * 25.4 / 72.0;
            let on_sheet = inside((r.x, r.baseline))
                && inside(r.end)
                && if upright {
                    r.em_top() >= -0.01 && r.em_bottom() <= 297.01
                } else {
                    inside((r.x - em, r.baseline)) && inside((r.x + em, r.baseline))
                };
            if on_sheet {
                for c in r.text.chars() {
                    *have.entry(c).or_default() += 1;
                }
            }
        }
        let mut lost = Vec::new();
        for (field, text) in fields {
            let mut missing = String::new();
            for c in text.chars().filter(|c| !c.is_whitespace()) {
                match have.get_mut(&c) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => missing.push(c),
                }
            }
            if !missing.is_empty() {
                lost.push(format!("{field}: “{missing}”"));
            }
        }
        lost
    }

    /// The first run containing `needle`.
    pub fn find(&self, needle: &str) -> Option<&TextRun> {
        self.runs.iter().find(|r| r.text.contains(needle))
    }
}

/// “— 7 —”
pub fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.starts_with('—')
        && t.ends_with('—')
        && t.trim_matches('—').chars().all(|c| c.is_ascii_digit())
}

/// One visual line of a page.
#[derive(Debug, Clone)]
pub struct Line {
    pub baseline: f64,
    pub left: f64,
    pub right: f64,
    pub ink_right: f64,
    pub text: String,
    pub runs: Vec<TextRun>,
}

fn is_red(paint: &Paint) -> bool {
    let Paint::Solid(color) = paint else {
        return false;
    };
    // A CMYK red is judged by its inks: converting it to RGB builds an ICC
    // transform table, a tenth of a cold render (perf).
    if let Color::Process(ProcessColor::Cmyk(k)) = color {
        return k.c < 0.2 && k.m > 0.5 && k.y > 0.5 && k.k < 0.2;
    }
    let c = color.to_rgb();
    c.red > 0.8 && c.green < 0.4 && c.blue < 0.4
}

fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Inspection) {
    for (pos, item) in frame.items() {
        let at = |p: Point| p.transform(ts);
        match item {
            FrameItem::Group(g) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(g.transform);
                walk(&g.frame, inner, page, out);
            }
            FrameItem::Text(t) => {
                let p = at(*pos);
                let last = t
                    .glyphs
                    .last()
                    .map(|g| g.x_advance.at(t.size))
                    .unwrap_or_default();
                let cell = last.min(t.size);
                let end = Point::new(pos.x + t.width(), pos.y).transform(ts);
                out.runs.push(TextRun {
                    page,
                    text: t.text.to_string(),
                    x: mm(p.x),
                    baseline: mm(p.y),
                    width: mm(t.width()),
                    ink_right: mm(p.x + t.width() - last + cell),
                    size_pt: t.size.to_pt(),
                    family: t.font.font().info().family.clone(),
                    red: is_red(&t.fill),
                    end: (mm(end.x), mm(end.y)),
                });
            }
            FrameItem::Shape(shape, _) => {
                let p = at(*pos);
                let red = shape.fill.as_ref().map(is_red).unwrap_or(false)
                    || shape
                        .stroke
                        .as_ref()
                        .map(|s| is_red(&s.paint))
                        .unwrap_or(false);
                match &shape.geometry {
                    Geometry::Rect(size) => out.rules.push(Rule {
                        page,
                        x: mm(p.x),
                        y: mm(p.y),
                        width: mm(size.x),
                        height: mm(size.y),
                        red,
                    }),
                    Geometry::Line(to) => {
                        let th = shape
                            .stroke
                            .as_ref()
                            .map(|s| mm(s.thickness))
                            .unwrap_or(0.0);
                        out.rules.push(Rule {
                            page,
                            x: mm(p.x),
                            y: mm(p.y) - th / 2.0,
                            width: mm(to.x),
                            height: th,
                            red,
                        });
                    }
                    _ => {}
                }
            }
            FrameItem::Image(_, size, _) => {
                let p = at(*pos);
                out.images.push(ImageBox {
                    page,
                    x: mm(p.x),
                    y: mm(p.y),
                    width: mm(size.x),
                    height: mm(size.y),
                });
            }
            _ => {}
        }
    }
}
