//! 公文 structure marks: which page objects are the 发文机关标志, the 发文字号,
//! the 标题, the 正文 … written as an OFD custom tag (GB/T 33190-2016 §16,
//! 自定义标引): `Tags/CustomTags.xml` lists one `CustomTag`, whose file
//! refers to the objects “without touching them” (`ObjectRef` with the
//! page's ID and the object's ID), as Chinese e-invoices do.
//!
//! GB/T 33476.1-2016 (电子公文 第1部分：公文结构) names these parts; its text
//! is not available to this project, so the element names below are the
//! element names of GB/T 9704-2012 (§7) and the namespace is gongwen's own
//! (`urn:gongwen:gbt9704-2012`), not the standard's.
//!
//! The parts are found by aligning the characters of the laid-out pages, in
//! reading order, with the text each part holds in the layout (in document
//! order): the labels a template adds (签发人：, 抄送：, page numbers) are
//! skipped, and every text object takes the part most of its characters
//! belong to. A seal is the images on the page of the part before it, near
//! it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::xml::esc;

/// The custom tag file in `Doc_0/Tags/`.
pub const TAG_FILE: &str = "GongwenTags.xml";
/// gongwen's namespace for the marks.
pub const TAG_NS: &str = "urn:gongwen:gbt9704-2012";

/// One 公文 part, in document order.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The element's name in GB/T 9704 (发文字号, 标题 …).
    pub name: String,
    pub find: MarkFind,
    /// A value worth stating beside the objects (the 发文字号 as printed).
    pub value: Option<String>,
}

#[derive(Debug, Clone)]
pub enum MarkFind {
    /// The part's text, as the layout holds it.
    Text(String),
    /// The images on the page of the part before, within 60 mm of it.
    Seal,
}

/// An object placed on a page, for marking.
pub(super) struct Placed {
    /// 0-based.
    pub page: usize,
    pub id: u32,
    pub text: String,
    /// Baseline start (text) or left middle (image), in mm.
    pub at: (f64, f64),
    pub image: bool,
}

/// The `CustomTags.xml` index and the tag file, or nothing when no mark
/// was found.
pub(super) fn custom_tag(
    marks: &[Mark],
    placed: &[Placed],
    page_ids: &[u32],
) -> Option<(String, String)> {
    let found = assign(marks, placed);
    if found.iter().all(|f| f.is_empty()) {
        return None;
    }
    let ns = super::NS;
    let index = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:CustomTags xmlns:ofd=\"{ns}\"><ofd:CustomTag NameSpace=\"{TAG_NS}\" TypeID=\"gongwen-gbt9704\"><ofd:FileLoc>{TAG_FILE}</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>\n"
    );
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gw:公文 xmlns:gw=\"{TAG_NS}\" xmlns:ofd=\"{ns}\">"
    );
    for (m, objs) in marks.iter().zip(&found) {
        if objs.is_empty() {
            continue;
        }
        let _ = write!(s, "<gw:{}", m.name);
        if let Some(v) = &m.value {
            let _ = write!(s, " Value=\"{}\"", esc(v));
        }
        s.push('>');
        for i in objs {
            let p = &placed[*i];
            let _ = write!(
                s,
                "<ofd:ObjectRef PageRef=\"{}\">{}</ofd:ObjectRef>",
                page_ids.get(p.page).copied().unwrap_or(0),
                p.id
            );
        }
        let _ = write!(s, "</gw:{}>", m.name);
    }
    s.push_str("</gw:公文>\n");
    Some((index, s))
}

/// For each mark, the indices (into `placed`) of its objects.
fn assign(marks: &[Mark], placed: &[Placed]) -> Vec<Vec<usize>> {
    // The pages' characters in reading order, each with its object.
    let order = reading_order(placed);
    let stream: Vec<(char, usize)> = order
        .iter()
        .flat_map(|&i| {
            placed[i]
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(move |c| (c, i))
        })
        .collect();
    // What the layout says, each character with its mark.
    let expected: Vec<(char, usize)> = marks
        .iter()
        .enumerate()
        .flat_map(|(m, mark)| match &mark.find {
            MarkFind::Text(t) => t
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| (c, m))
                .collect::<Vec<_>>(),
            MarkFind::Seal => Vec::new(),
        })
        .collect();
    let labels = align(&stream, &expected);
    // Each object: the mark most of its characters have.
    let mut votes: BTreeMap<usize, BTreeMap<usize, usize>> = BTreeMap::new();
    for ((_, obj), label) in stream.iter().zip(&labels) {
        if let Some(m) = label {
            *votes.entry(*obj).or_default().entry(*m).or_default() += 1;
        }
    }
    let mut out = vec![Vec::new(); marks.len()];
    for &i in &order {
        if let Some(v) = votes.get(&i) {
            if let Some((m, _)) = v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                out[*m].push(i);
            }
        }
    }
    // Seals: images near the part before.
    for (m, mark) in marks.iter().enumerate() {
        if !matches!(mark.find, MarkFind::Seal) || m == 0 {
            continue;
        }
        let Some(&anchor) = out[..m].iter().rev().find_map(|o| o.last()) else {
            continue;
        };
        let a = &placed[anchor];
        out[m] = placed
            .iter()
            .enumerate()
            .filter(|(_, p)| p.image && p.page == a.page && (p.at.1 - a.at.1).abs() <= 60.0)
            .map(|(i, _)| i)
            .collect();
    }
    out
}

/// Text objects by page, line (baselines within 0.5 mm) and x; page
/// numbers (“— 3 —”) left out.
fn reading_order(placed: &[Placed]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..placed.len()).filter(|&i| !placed[i].image).collect();
    idx.sort_by(|&a, &b| {
        let (p, q) = (&placed[a], &placed[b]);
        p.page.cmp(&q.page).then(p.at.1.total_cmp(&q.at.1))
    });
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for i in idx {
        match lines.last_mut() {
            Some(l)
                if placed[l[0]].page == placed[i].page
                    && (placed[l[0]].at.1 - placed[i].at.1).abs() < 0.5 =>
            {
                l.push(i)
            }
            _ => lines.push(vec![i]),
        }
    }
    let mut out = Vec::new();
    for mut l in lines {
        l.sort_by(|&a, &b| placed[a].at.0.total_cmp(&placed[b].at.0));
        let text: String = l.iter().map(|&i| placed[i].text.as_str()).collect();
        if !crate::typeset::inspect::is_page_number(&text) {
            out.extend(l);
        }
    }
    out
}

/// Labels each page character with the mark of the layout character it
/// matches. Characters only on the page (labels a template adds) take no
/// mark; layout characters not found on the page are skipped. Greedy,
/// with a lookahead that needs a few characters to agree before it skips.
fn align(stream: &[(char, usize)], expected: &[(char, usize)]) -> Vec<Option<usize>> {
    const LOOK: usize = 400;
    const AGREE: usize = 3;
    let agree = |i: usize, j: usize| {
        (0..AGREE).all(|k| match (stream.get(i + k), expected.get(j + k)) {
            (Some(a), Some(b)) => a.0 == b.0,
            (None, None) => true,
            (None, Some(_)) | (Some(_), None) => k > 0,
        })
    };
    let mut out = vec![None; stream.len()];
    let (mut i, mut j) = (0, 0);
    while i < stream.len() && j < expected.len() {
        if stream[i].0 == expected[j].0 {
            out[i] = Some(expected[j].1);
            i += 1;
            j += 1;
            continue;
        }
        let skip_page = (1..LOOK).find(|&d| i + d < stream.len() && agree(i + d, j));
        let skip_layout = (1..LOOK).find(|&d| j + d < expected.len() && agree(i, j + d));
        match (skip_page, skip_layout) {
            (Some(a), Some(b)) if b < a => j += b,
            (Some(a), _) => i += a,
            (None, Some(b)) => j += b,
            (None, None) => {
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_labels_are_skipped_and_parts_follow_the_layout() {
        let stream: Vec<(char, usize)> = "签发人：张三关于开会的通知抄送：县委办"
            .chars()
            .map(|c| (c, 0))
            .collect();
        let expected: Vec<(char, usize)> = "张三"
            .chars()
            .map(|c| (c, 0))
            .chain("关于开会的通知".chars().map(|c| (c, 1)))
            .chain("县委办".chars().map(|c| (c, 2)))
            .collect();
        let got = align(&stream, &expected);
        let s: String = got
            .iter()
            .map(|l| l.map_or('-', |m| char::from(b'0' + m as u8)))
            .collect();
        assert_eq!(s, "----001111111---222");
    }
}
