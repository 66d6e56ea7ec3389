//! 标题 line breaking (GW-B-03): 梯形 or 菱形, never inside a word, a number,
//! a quotation or a 《…》 pair that fits on one line.

use std::sync::OnceLock;

use jieba_rs::Jieba;

use super::punct::is_cjk;

/// Widest title line: 20 characters of 2号 (155.2 mm ≤ 156 mm).
pub const MAX_UNITS: f64 = 20.0;
/// A title that fits in 18 characters stays on one line (≥ 2 字 free).
pub const ONE_LINE_UNITS: f64 = 18.0;

/// Word list for title breaks: jieba's dictionary (MIT) trimmed to words
/// of frequency ≥ 30 (loading all 349,000 costs 120 ms per process, this
/// 66,000 about a sixth of it), plus terms of 公文 (行政执法, 零事故 …) that a
/// general dictionary splits.
const DICT: &str = include_str!("title-dict.txt");

fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(|| {
        let mut j = Jieba::empty();
        // The embedded list is well-formed; an error would only lose words.
        let _ = j.load_dict(&mut std::io::BufReader::new(DICT.as_bytes()));
        j
    })
}

fn units(s: &str) -> f64 {
    s.chars().map(|c| if is_cjk(c) { 1.0 } else { 0.5 }).sum()
}

/// Splits a title into lines. Explicit line breaks in the input are kept
/// as given (each part is still broken if too long). `names` are organ
/// names of the document: a break never falls inside them, nor inside their
/// place-name parts (千泉街道 of 千泉街道办事处), which a dictionary does not know.
pub fn break_title(title: &str, names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for part in title.lines().map(str::trim).filter(|p| !p.is_empty()) {
        out.extend(break_part(part, names));
    }
    out
}

/// Place and organ parts of a name: 邹城市千泉街道办事处 → 邹城市, 千泉街道, 办事处.
fn name_parts(name: &str) -> Vec<String> {
    const ENDS: [&str; 14] = [
        "委员会",
        "办公室",
        "办事处",
        "街道",
        "社区",
        "省",
        "市",
        "县",
        "区",
        "镇",
        "乡",
        "村",
        "局",
        "委",
    ];
    let mut parts = vec![name.to_string()];
    let mut cur = String::new();
    for c in name.chars() {
        cur.push(c);
        if ENDS.iter().any(|e| cur.ends_with(e)) && cur.chars().count() >= 2 {
            parts.push(std::mem::take(&mut cur));
        }
    }
    parts.retain(|p| p.chars().count() >= 2);
    parts
}

fn break_part(title: &str, names: &[String]) -> Vec<String> {
    if units(title) <= ONE_LINE_UNITS {
        return vec![title.to_string()];
    }
    let protected: Vec<String> = names.iter().flat_map(|n| name_parts(n)).collect();
    let words = protect(segments(title), &protected);
    // A 标题 of more than four lines is not a title; lay it out line by line
    // rather than searching shapes (the search grows exponentially).
    if units(title) > 4.0 * MAX_UNITS {
        return greedy(&words);
    }
    let n_min = (units(title) / MAX_UNITS).ceil().max(2.0) as usize;
    let mut best: Option<(f64, Vec<String>)> = None;
    let mut budget = SEARCH_BUDGET;
    for n in n_min..=n_min + 1 {
        let mut cuts = Vec::new();
        let mut found = None;
        search(&words, 0, n, &mut cuts, &mut found, &mut budget);
        // Fewer lines are better unless the shape is much worse.
        if let Some((cost, lines)) = found {
            let cost = cost + 6.0 * (n - n_min) as f64;
            if best.as_ref().is_none_or(|b| cost < b.0) {
                best = Some((cost, lines));
            }
        }
    }
    // No split fits (a single word longer than a line): break it anyway.
    best.map(|b| b.1).unwrap_or_else(|| greedy(&words))
}

/// Nodes the shape search may visit.
const SEARCH_BUDGET: usize = 200_000;

/// Fills lines up to the width, breaking between words, and inside a word
/// only when the word alone is wider than a line.
fn greedy(words: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in words {
        if units(&cur) + units(w) > MAX_UNITS && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        for c in w.chars() {
            if units(&cur) + units(&c.to_string()) > MAX_UNITS {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Glues words so that no boundary falls strictly inside a protected term.
fn protect(words: Vec<String>, terms: &[String]) -> Vec<String> {
    let text: String = words.concat();
    let mut forbidden = std::collections::HashSet::new();
    for t in terms
        .iter()
        .filter(|t| t.chars().count() <= MAX_UNITS as usize)
    {
        for (start, _) in text.match_indices(t.as_str()) {
            for (off, _) in t.char_indices().skip(1) {
                forbidden.insert(start + off);
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut pos = 0;
    for w in words {
        if forbidden.contains(&pos) && !out.is_empty() {
            out.last_mut().expect("non-empty").push_str(&w);
        } else {
            out.push(w.clone());
        }
        pos += w.len();
    }
    out
}

/// Words from jieba, then glued so that a break never falls inside a 《…》 or
/// “…” pair short enough to sit on one line, nor inside a number.
fn segments(title: &str) -> Vec<String> {
    let raw: Vec<&str> = jieba().cut(title, false);
    let mut words: Vec<String> = Vec::new();
    let mut depth_book = 0i32;
    let mut depth_quote = 0i32;
    let mut open_start: Option<usize> = None;
    for w in raw {
        let glue_to_prev = !words.is_empty()
            && (depth_quote > 0
                || w.starts_with(|c: char| "，。、；：？！）》”’〕".contains(c))
                || words
                    .last()
                    .is_some_and(|p| p.ends_with(|c: char| "（《“‘〔".contains(c)))
                || (w.starts_with(|c: char| c.is_ascii_digit())
                    && words
                        .last()
                        .is_some_and(|p| p.ends_with(|c: char| c.is_ascii_digit()))));
        if glue_to_prev {
            words.last_mut().expect("non-empty").push_str(w);
        } else {
            words.push(w.to_string());
        }
        for c in w.chars() {
            match c {
                '《' => {
                    if depth_book == 0 {
                        open_start = Some(words.len() - 1);
                    }
                    depth_book += 1;
                }
                '》' => {
                    depth_book -= 1;
                    if depth_book == 0 {
                        // A 《…》 that fits on one line is never split.
                        if let Some(s) = open_start.take() {
                            let joined: String = words[s..].concat();
                            if units(&joined) <= MAX_UNITS {
                                words.truncate(s);
                                words.push(joined);
                            }
                        }
                    }
                }
                '“' => depth_quote += 1,
                '”' => depth_quote = (depth_quote - 1).max(0),
                _ => {}
            }
        }
    }
    words
}

fn search(
    words: &[String],
    start: usize,
    lines_left: usize,
    cuts: &mut Vec<String>,
    best: &mut Option<(f64, Vec<String>)>,
    budget: &mut usize,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    if lines_left == 1 {
        let line: String = words[start..].concat();
        if units(&line) > MAX_UNITS {
            return;
        }
        cuts.push(line);
        let cost = shape_cost(cuts);
        if best.as_ref().is_none_or(|b| cost < b.0) {
            *best = Some((cost, cuts.clone()));
        }
        cuts.pop();
        return;
    }
    let mut line = String::new();
    for end in start + 1..words.len() {
        line.push_str(&words[end - 1]);
        if units(&line) > MAX_UNITS {
            break;
        }
        cuts.push(line.clone());
        search(words, end, lines_left - 1, cuts, best, budget);
        cuts.pop();
    }
}

/// Lower is better: allowed shapes only, no stub lines, balanced lengths.
fn shape_cost(lines: &[String]) -> f64 {
    let len: Vec<f64> = lines.iter().map(|l| units(l)).collect();
    let mut cost = 0.0;
    let max = len.iter().cloned().fold(0.0, f64::max);
    let min = len.iter().cloned().fold(f64::MAX, f64::min);
    cost += max - min;
    for (i, l) in lines.iter().enumerate() {
        if units(l) <= 3.0
            || matches!(
                l.as_str(),
                "的通知" | "通知" | "的意见" | "的报告" | "的请示"
            )
        {
            cost += 100.0;
        }
        if i > 0 && l.starts_with('的') {
            cost += 20.0;
        }
        if i > 0 && l.starts_with("关于") {
            cost -= 3.0;
        }
    }
    if len.len() >= 3 {
        // 沙漏形 (a middle line shorter than both neighbours) is not allowed.
        for w in len.windows(3) {
            if w[1] < w[0] && w[1] < w[2] {
                cost += 1000.0;
            }
        }
    }
    if len.windows(2).any(|w| (w[0] - w[1]).abs() < 0.01) {
        cost += 2.0;
    }
    cost
}

/// True if a sequence of line lengths is 梯形 or 菱形 (validator, GW-B-03).
pub fn is_allowed_shape(lines: &[String]) -> bool {
    let len: Vec<f64> = lines.iter().map(|l| units(l)).collect();
    !len.windows(3).any(|w| w[1] < w[0] && w[1] < w[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_or_unbreakable_titles_end_quickly_and_fit() {
        // Found by the body_text fuzz target: a long title made the shape
        // search run for minutes.
        let long = "关于".to_string() + &"加强安全生产工作的".repeat(20) + "通知";
        let t = std::time::Instant::now();
        let lines = break_title(&long, &[]);
        assert!(t.elapsed().as_secs() < 5);
        assert_eq!(lines.concat(), long);
        assert!(lines.iter().all(|l| units(l) <= MAX_UNITS));
        let word = "A".repeat(70);
        let lines = break_title(&word, &[]);
        assert_eq!(lines.concat(), word);
        assert!(lines.iter().all(|l| units(l) <= MAX_UNITS), "{lines:?}");
        let mid = "关于".to_string() + &"开展隐患排查".repeat(9) + "的通知";
        let t = std::time::Instant::now();
        assert_eq!(break_title(&mid, &[]).concat(), mid);
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn short_title_is_one_line() {
        assert_eq!(
            break_title("关于开展安全检查的通知", &[]),
            vec!["关于开展安全检查的通知"]
        );
    }

    #[test]
    fn never_splits_a_short_book_title_and_keeps_a_good_shape() {
        let t = "泽州县安全生产委员会办公室关于认真落实《三项制度》深入推进零事故单位创建的通知";
        let lines = break_title(t, &[]);
        // Two lines broken between words (after 落实, the book title whole),
        // of nearly equal length (19 and 20 characters, GW-B-03).
        assert_eq!(
            lines,
            vec![
                "泽州县安全生产委员会办公室关于认真落实",
                "《三项制度》深入推进零事故单位创建的通知"
            ]
        );
        assert!(lines.iter().all(|l| units(l) <= MAX_UNITS));
        // The shape check used on longer titles rejects an hourglass
        // (沙漏形) and accepts 梯形 and 菱形.
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(!is_allowed_shape(&s(&[
            "一二三四五六七八",
            "一二三",
            "一二三四五六七"
        ])));
        assert!(is_allowed_shape(&s(&[
            "一二三",
            "一二三四五六",
            "一二三四五六七八"
        ])));
        assert!(is_allowed_shape(&s(&[
            "一二三四",
            "一二三四五六七八",
            "一二三"
        ])));
    }

    #[test]
    fn long_book_title_breaks_only_between_words() {
        let t = "千泉街道办事处关于印发《千泉街道深化“素质固安”工程、强化行政执法、开展“零事故”村（居）创建活动实施方案》的通知";
        let lines = break_title(t, &["邹城市千泉街道办事处".to_string()]);
        assert_eq!(lines.concat(), t);
        assert!(
            lines
                .iter()
                .all(|l| !l.ends_with("千") && !l.ends_with("千泉")),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| units(l) <= MAX_UNITS), "{lines:?}");
        assert!(is_allowed_shape(&lines), "{lines:?}");
        assert!(lines
            .iter()
            .all(|l| !l.ends_with('“') && !l.starts_with('”')));
        assert!(lines.iter().any(|l| l.contains("“素质固安”")), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("行政执法")),
            "a 公文 term is never split: {lines:?}"
        );
    }
}
