//! GW-B-50: 署名, 日期 and 印章 stay on the page of the last 正文 line.
//!
//! `templates/notice.typ` keeps the last 正文 line together with the
//! signature block, so when the block does not fit below the 正文 the line
//! goes to the next page with it. Before accepting that, the standard asks
//! for the page to be tightened: this module reads where the block landed
//! (the template's `<gw-keep>` and `<gw-keep-end>` markers), works out the
//! line pitch that would make it fit on the page before, and the document is
//! laid out again with paragraphs on that page at that pitch — never below
//! 0.9 行. When even that does not fit, the first layout stands.

use serde::Serialize;
use typst_layout::PagedDocument;

use super::inspect::Inspection;
use super::markers;
use crate::geometry::{BODY_BOTTOM_MM, BODY_SIZE_PT, LINE_MM, MM_PER_PT, TOP_MM as BODY_TOP_MM};

/// The tightest pitch allowed (GW-B-50: ≥ 0.9 行).
pub const MIN_PITCH_MM: f64 = 0.9 * LINE_MM;
/// 3号 in millimetres: a line box is one em.
const BODY_SIZE_MM: f64 = BODY_SIZE_PT * MM_PER_PT;

/// Paragraphs that start on `page` are set at `pitch_mm`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Squeeze {
    pub page: usize,
    pub pitch_mm: f64,
}

/// The pitches worth trying, tightest last, when the signature block left
/// the page its 正文 ends on; empty when it did not, or cannot be kept there.
pub fn plan(doc: &PagedDocument) -> Vec<Squeeze> {
    let (Some(keep), Some(end)) = (
        markers(doc, "gw-keep").into_iter().next(),
        markers(doc, "gw-keep-end").into_iter().next(),
    ) else {
        return Vec::new();
    };
    // It moved only if it opens a page (and fits on one).
    if keep.page < 2 || end.page != keep.page || (keep.y_mm - BODY_TOP_MM).abs() > 1.0 {
        return Vec::new();
    }
    let page = keep.page - 1;
    let height = end.y_mm - keep.y_mm;
    // The 3号 lines of 正文 on the page before.
    let ins = Inspection::of(doc);
    let lines: Vec<f64> = ins
        .lines(page)
        .iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == BODY_SIZE_PT))
        .map(|l| l.runs[0].em_bottom())
        .filter(|bottom| *bottom <= BODY_BOTTOM_MM + 0.5)
        .collect();
    let Some(last) = lines.iter().cloned().reduce(f64::max) else {
        return Vec::new();
    };
    // Pitches that tighten: between the lines there, down to the kept
    // block, and inside it (last line, blank line, 署名, 日期 …).
    let inside = ((height - BODY_SIZE_MM) / LINE_MM).round().max(0.0) as usize;
    let gaps = lines.len() + inside;
    let start = last + (LINE_MM - BODY_SIZE_MM);
    let missing = start + height - BODY_BOTTOM_MM;
    if gaps == 0 || missing > gaps as f64 * (LINE_MM - MIN_PITCH_MM) {
        return Vec::new();
    }
    // Just enough if every line there tightens; the floor in case the
    // paragraph continued from the page before keeps its pitch.
    let just = (LINE_MM - missing.max(0.0) / gaps as f64 - 0.01).max(MIN_PITCH_MM);
    let mut tries = vec![Squeeze {
        page,
        pitch_mm: just,
    }];
    if just > MIN_PITCH_MM {
        tries.push(Squeeze {
            page,
            pitch_mm: MIN_PITCH_MM,
        });
    }
    tries
}

/// Whether the signature block stands on `page` in this layout.
pub fn kept(doc: &PagedDocument, page: usize) -> bool {
    let on = |label| markers(doc, label).first().map(|m| m.page) == Some(page);
    on("gw-keep") && on("gw-keep-end")
}
