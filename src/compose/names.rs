//! Lists of organ names — 主送 on page 1 and in the 版记, 抄送 — broken
//! between names, never inside one (GW-B-10, GW-E-10: “县公安/局” is a
//! misprint a clerk sees at once).

use super::grid::{self, Measure};
use crate::typeset::fonts::Role;

/// Characters that end one name of a list (the separator stays with it).
const SEPARATORS: [char; 6] = ['、', '，', '；', ',', ';', '：'];

/// One name and the separator after it.
fn chunks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        cur.push(c);
        if SEPARATORS.contains(&c) || c == '。' {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    // A separator typed twice (“、、”) or a closing mark after a separator
    // stays with the name before it.
    let mut merged: Vec<String> = Vec::new();
    for c in out {
        let lone = c.chars().all(|x| SEPARATORS.contains(&x) || x == '。');
        match merged.last_mut() {
            Some(last) if lone => last.push_str(&c),
            _ => merged.push(c),
        }
    }
    merged
}

/// Breaks a list of names into lines: the first at most `first_pt` wide,
/// the others `rest_pt`. Names are kept whole; only a name wider than a
/// whole line is broken, by the grid's rules for running text.
pub fn break_names(text: &str, m: &Measure, first_pt: f64, rest_pt: f64) -> Vec<String> {
    // A little room for rounding between these widths and the shaper's.
    const SLACK: f64 = 0.05;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let cap = |lines: &Vec<String>| {
        if lines.is_empty() {
            first_pt - SLACK
        } else {
            rest_pt - SLACK
        }
    };
    // Each punctuation pair is set as separate runs, each |tracking| wider.
    let width = |s: &str| m.width(Role::Fang, s) + grid::punct_pairs(s) as f64 * m.tracking.abs();
    for chunk in chunks(text) {
        let w = width(&format!("{cur}{chunk}"));
        if w <= cap(&lines) {
            cur.push_str(&chunk);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if width(&chunk) <= cap(&lines) {
            cur = chunk;
            continue;
        }
        // A name longer than a line: break it as running text.
        let (first, rest) = (cap(&lines), rest_pt - SLACK);
        let line = first.max(rest);
        let mut parts: Vec<String> =
            grid::break_lines(&[(Role::Fang, chunk)], m, line, line - first, line - rest)
                .into_iter()
                .map(|l| l.into_iter().map(|s| s.text).collect())
                .collect();
        cur = parts.pop().unwrap_or_default();
        lines.extend(parts);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_stay_with_their_name() {
        assert_eq!(
            chunks("县委办，县公安局、县财政局。"),
            vec!["县委办，", "县公安局、", "县财政局。"]
        );
        assert_eq!(chunks("甲、、乙"), vec!["甲、、", "乙"]);
    }
}
