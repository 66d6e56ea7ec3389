//! The 3号 character grid of GB/T 9704 (GW-P-07/08): 28 characters on a
//! 156 mm line, never 29, no punctuation hanging outside the 版心.
//!
//! Typst's own line breaker squeezes CJK punctuation, which lets 29
//! characters onto a line; so body lines are broken here, the way Word's
//! 文档网格 does (push-out, never push-in), and Typst only justifies them.

use serde::Serialize;

use super::punct::is_cjk;
use crate::geometry::{BODY_SIZE_PT, BODY_WIDTH_MM};
use crate::typeset::fonts::{FontSet, Role};

/// 版心 width: 156 mm in pt.
pub const LINE_PT: f64 = BODY_WIDTH_MM / 25.4 * 72.0;
/// Body size: 3号.
pub const BODY_PT: f64 = BODY_SIZE_PT;
/// Tracking between characters. Typst does not track the last glyph of a
/// shaped run, so a line of 28 characters in `r` runs is 28 em + (28 − r)
/// trackings wide; the value lets lines of up to three runs (a run-in
/// heading in another face, a number) hold 28 characters, and justification
/// closes the remaining ≤ 0.2 mm (≈ −0.232 pt).
pub const TRACKING_PT: f64 = (LINE_PT - 28.0 * BODY_PT) / 25.0 - 0.0005;
/// Character pitch, 1 字 (≈ 5.569 mm).
pub const PITCH_PT: f64 = BODY_PT + TRACKING_PT;

/// A run of text in one face.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "f")]
    pub role: &'static str,
    /// Set on its own (a box in the template): a punctuation mark after
    /// another one, which Typst would otherwise squeeze to half width
    /// (“）、”); on the grid every mark is one full character.
    #[serde(rename = "b", skip_serializing_if = "std::ops::Not::not")]
    pub alone: bool,
}

impl Span {
    pub fn new(text: impl Into<String>, role: Role) -> Span {
        Span {
            text: text.into(),
            role: role.key(),
            alone: false,
        }
    }
}

/// `text` in one face as spans, each punctuation mark that follows another
/// on its own (see [`Span::alone`]).
pub fn spans_of(text: &str, role: Role) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let alone = prev.is_some_and(squeezable) && squeezable(c);
        match out.last_mut() {
            Some(s) if !alone && !s.alone => s.text.push(c),
            _ => out.push(Span {
                text: c.to_string(),
                role: role.key(),
                alone,
            }),
        }
        prev = Some(c);
    }
    out
}

/// Extra runs (each with an untracked last glyph) that [`spans_of`] makes.
pub fn punct_pairs(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .filter(|w| squeezable(w[0]) && squeezable(w[1]))
        .count()
        * 2
}

/// Full-width punctuation Typst adjusts when two meet (clreq 3.1.6.1).
fn squeezable(c: char) -> bool {
    "，。．、：；？！”’》）』」】〗〕〉］｝“‘《（『「【〖〔〈［｛".contains(c)
}

/// Whether token `t` follows a punctuation mark with one of its own.
fn after_punct(prev: &Token, t: &Token) -> bool {
    prev.text.chars().last().is_some_and(squeezable)
        && t.text.chars().next().is_some_and(squeezable)
}

/// Characters that may not start a line (GB/T 15834 / clreq 避头).
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』”’〕】〉｝］…—·%％‰,.;:?!)]}".contains(c)
}

/// Characters that may not end a line (避尾).
fn no_line_end(c: char) -> bool {
    "（《「『“‘〔【〈［｛([{".contains(c)
}

/// An unbreakable unit: one CJK character, a Latin word or number, or a
/// doubled dash/ellipsis.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    role: &'static str,
    width: f64,
}

/// Measures characters for a given size: full-width characters take one
/// pitch; others their advance in the role's face, tracked.
pub struct Measure<'a> {
    pub fonts: &'a FontSet,
    pub size: f64,
    pub tracking: f64,
}

impl Measure<'_> {
    pub fn body(fonts: &FontSet) -> Measure<'_> {
        Measure {
            fonts,
            size: BODY_PT,
            tracking: TRACKING_PT,
        }
    }

    pub fn char_width(&self, role: Role, c: char) -> f64 {
        let em = if is_cjk(c) {
            1.0
        } else {
            self.fonts.advance_em(role, c)
        };
        em * self.size + self.tracking
    }

    pub fn width(&self, role: Role, s: &str) -> f64 {
        s.chars().map(|c| self.char_width(role, c)).sum()
    }
}

fn tokens(spans: &[(Role, String)], m: &Measure) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (role, text) in spans {
        let mut prev: Option<char> = None;
        for c in text.chars() {
            let w = m.char_width(*role, c);
            let glue = match (out.last(), prev) {
                (Some(last), Some(p)) if last.role == role.key() => {
                    let word = |x: char| x.is_ascii_alphanumeric() || "%.-_/:@#&+".contains(x);
                    (word(p) && word(c)) || (p == c && (c == '—' || c == '…'))
                }
                _ => false,
            };
            if glue {
                let last = out.last_mut().expect("checked above");
                last.text.push(c);
                last.width += w;
            } else {
                out.push(Token {
                    text: c.to_string(),
                    role: role.key(),
                    width: w,
                });
            }
            prev = Some(c);
        }
    }
    out
}

/// Breaks a paragraph into lines of at most `line_pt`, the first line
/// shortened by `indent_pt`, the others by `hang_pt` (hanging indent).
pub fn break_lines(
    spans: &[(Role, String)],
    m: &Measure,
    line_pt: f64,
    indent_pt: f64,
    hang_pt: f64,
) -> Vec<Vec<Span>> {
    // A word wider than a whole line (a URL, a hash, a long number) is
    // broken between any two of its characters, filling the line it starts.
    let toks = explode_wide(tokens(spans, m), m, line_pt - indent_pt.max(hang_pt));
    let mut lines: Vec<Vec<Token>> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let cap = if lines.is_empty() {
            line_pt - indent_pt
        } else {
            line_pt - hang_pt
        };
        // Typst does not track the last glyph of a shaped run, so each run
        // is |tracking| wider than its tracked sum; runs break at a change of
        // face and (conservatively) of script.
        let untracked = (-m.tracking).max(0.0);
        let mut w = 0.0;
        let mut runs = 0usize;
        let mut j = i;
        while j < toks.len() {
            let new_run = j == i
                || toks[j].role != toks[j - 1].role
                || script(&toks[j]) != script(&toks[j - 1])
                || after_punct(&toks[j - 1], &toks[j])
                || (j >= 2 && after_punct(&toks[j - 2], &toks[j - 1]));
            let r = runs + usize::from(new_run);
            if w + toks[j].width + r as f64 * untracked > cap + 1e-6 {
                break;
            }
            w += toks[j].width;
            runs = r;
            j += 1;
        }
        if j == i {
            // A single character wider than the line: give it a line.
            j = i + 1;
        }
        // Push-out: never start the next line with closing punctuation, never
        // end this one with opening punctuation.
        if j < toks.len() {
            let first = |k: usize| toks[k].text.chars().next().unwrap_or(' ');
            let last = |k: usize| toks[k].text.chars().last().unwrap_or(' ');
            let mut k = j;
            while k > i + 1 && (no_line_start(first(k)) || no_line_end(last(k - 1))) {
                k -= 1;
            }
            if k > i {
                j = k;
            }
        }
        lines.push(toks[i..j].to_vec());
        i = j;
    }
    lines.into_iter().map(merge).collect()
}

/// Splits every token wider than `cap` into one token per character.
fn explode_wide(toks: Vec<Token>, m: &Measure, cap: f64) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        if t.width <= cap || t.text.chars().nth(1).is_none() {
            out.push(t);
            continue;
        }
        let role = Role::from_key(t.role);
        out.extend(t.text.chars().map(|c| Token {
            text: c.to_string(),
            role: t.role,
            width: m.char_width(role, c),
        }));
    }
    out
}

fn script(t: &Token) -> bool {
    t.text.chars().next().is_some_and(is_cjk)
}

fn merge(tokens: Vec<Token>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut prev: Option<Token> = None;
    for t in tokens {
        let alone = prev.as_ref().is_some_and(|p| after_punct(p, &t));
        match out.last_mut() {
            Some(s) if s.role == t.role && !alone && !s.alone => s.text.push_str(&t.text),
            _ => out.push(Span {
                text: t.text.clone(),
                role: t.role,
                alone,
            }),
        }
        prev = Some(t);
    }
    out
}

/// Number of grid cells a line's text occupies (half-width counts its share).
pub fn cells(line: &[Span], m: &Measure) -> f64 {
    line.iter()
        .map(|s| m.width(Role::from_key(s.role), &s.text))
        .sum::<f64>()
        / PITCH_PT
}
