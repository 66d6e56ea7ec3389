//! 标题 line breaking (GW-B-03): 梯形 or 菱形, never inside a word, a number
//! with its unit (2024年, 第二季度, 1—6月), a place or organ name (青石县,
//! 城关街道), a quotation or a 《…》 pair that fits on one line.

use std::collections::HashSet;

use jieba_rs::Jieba;

use super::punct::is_cjk;

/// Widest title line: 20 characters of 2号 (155.2 mm ≤ 156 mm).
pub const MAX_UNITS: f64 = 20.0;
/// A title that fits in 18 characters stays on one line (≥ 2 字 free).
pub const ONE_LINE_UNITS: f64 = 18.0;

/// Word list for title breaks: jieba's dictionary (MIT) trimmed to words
/// of frequency ≥ 30 (loading all 349,000 costs 120 ms per process, this
/// 66,000 about a sixth of it), plus terms of 公文 (行政执法, 零事故 …) that a
/// general dictionary splits. One `word freq tag` a line, sorted by the
/// word's bytes and without repeats, so a word is found by binary search.
const DICT: &str = include_str!("title-dict.txt");

/// The sum of the dictionary's frequencies (tested).
const TOTAL: usize = 58_830_133;

/// The frequency of `word` in [`DICT`], found by binary search over the
/// text's lines: nothing is built at start-up.
fn frequency(word: &str) -> Option<usize> {
    let text = DICT.as_bytes();
    // `lo` is always the start of a line; line starts below `hi` remain.
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = text[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let end = text[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |p| start + p);
        let line = DICT.get(start..end)?;
        let mut it = line.split_whitespace();
        let w = it.next()?;
        match w.as_bytes().cmp(word.as_bytes()) {
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
            std::cmp::Ordering::Equal => return it.next()?.parse().ok(),
        }
    }
    None
}

/// A segmenter for one text: jieba with only the dictionary words that
/// occur in `text`, plus one word no text can contain holding the rest of
/// the dictionary's total frequency. jieba's cut without HMM looks up only
/// substrings of the text and the total, so it cuts `text` exactly as with
/// the whole dictionary loaded — which built a 66,000-word trie on every
/// start, a tenth of a cold render (perf).
fn segmenter(text: &str) -> Jieba {
    const LONGEST_WORD: usize = 15;
    let mut j = Jieba::empty();
    let mut found = HashSet::new();
    let mut sum = 0;
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    for (k, &a) in starts.iter().enumerate() {
        for &b in starts[k + 1..]
            .iter()
            .chain(std::iter::once(&text.len()))
            .take(LONGEST_WORD)
        {
            let piece = &text[a..b];
            if let Some(freq) = frequency(piece) {
                if found.insert(piece) {
                    j.add_word(piece, Some(freq), None);
                    sum += freq;
                }
            }
        }
    }
    // A line break never reaches a word block of jieba's cut (it splits
    // text into runs of Han, letters and digits first). Not NUL: the trie
    // uses byte 0 as its end mark.
    j.add_word("\n", Some(TOTAL - sum), None);
    j
}

/// The raw word cut of a title, with the dictionary the breaker uses (no
/// gluing): every title break falls on a boundary of this cut (GW-B-03).
pub fn words(title: &str) -> Vec<String> {
    segmenter(title)
        .cut(title, false)
        .into_iter()
        .map(str::to_string)
        .collect()
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
    let raw: Vec<&str> = segmenter(title).cut(title, false);
    let spans = Spans::of(title, &raw, names);
    let words = glue(segments(&raw), &spans.hard);
    // A 标题 of more than four lines is not a title; lay it out line by line
    // rather than searching shapes (the search grows exponentially).
    if units(title) > 4.0 * MAX_UNITS {
        return greedy(&words);
    }
    // Byte offset where each word starts: a cut before word i is at starts[i].
    let starts: Vec<usize> = words
        .iter()
        .scan(0, |pos, w| {
            let s = *pos;
            *pos += w.len();
            Some(s)
        })
        .collect();
    let search = Search {
        words: &words,
        starts: &starts,
        soft: &spans.soft,
    };
    let n_min = (units(title) / MAX_UNITS).ceil().max(2.0) as usize;
    let mut best: Option<(f64, Vec<String>)> = None;
    let mut budget = SEARCH_BUDGET;
    for n in n_min..=n_min + 1 {
        let mut cuts = Vec::new();
        let mut found = None;
        search.run(0, n, 0.0, &mut cuts, &mut found, &mut budget);
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

/// Glues words so that no boundary falls on a `forbidden` byte offset.
fn glue(words: Vec<String>, forbidden: &HashSet<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pos = 0;
    for w in words {
        pos += w.len();
        match out.last_mut() {
            Some(last) if forbidden.contains(&(pos - w.len())) => last.push_str(&w),
            _ => out.push(w),
        }
    }
    out
}

/// Units a number is counted in (GW-B-03: 2024年, 第二季度, 3.2亿元, 8.5%).
/// Longer first, so 年度 wins over 年.
const NUMBER_UNITS: [&str; 52] = [
    "平方米",
    "季度",
    "年度",
    "周年",
    "学年",
    "学期",
    "小时",
    "公里",
    "万元",
    "亿元",
    "年",
    "月",
    "日",
    "号",
    "次",
    "批",
    "届",
    "期",
    "个",
    "项",
    "家",
    "名",
    "人",
    "万",
    "亿",
    "千",
    "元",
    "%",
    "％",
    "‰",
    "天",
    "周",
    "岁",
    "户",
    "条",
    "件",
    "所",
    "座",
    "处",
    "类",
    "轮",
    "亩",
    "吨",
    "部",
    "种",
    "篇",
    "位",
    "台",
    "辆",
    "套",
    "倍",
    "米",
];
/// Chinese numerals (二〇二四, 第二十三, 三年).
const CN_NUMERALS: &str = "〇零一二三四五六七八九十百千两";
/// Words of time that belong to the date before them (2024年上半年).
const TIME_WORDS: [&str; 6] = ["上半年", "下半年", "上旬", "中旬", "下旬", "全年"];
/// Place-name endings, each with the characters after it that make it part
/// of another word instead (市场, 县级, 区域, 乡村, 村民 …).
const PLACE_ENDS: [(&str, &str); 10] = [
    ("街道", ""),
    ("社区", ""),
    ("省", "级略力份钱会"),
    ("市", "场民政容级值面井"),
    ("县", "级域直"),
    ("区", "域划级间别分"),
    ("旗", "帜下舰号"),
    ("镇", "级化"),
    ("乡", "村镇级土愁亲"),
    ("村", "民级庄落务"),
];
/// One-character words that come before a place name but are no part of it
/// (全县, 各乡镇, 对青石县).
const PLACE_STOPS: &str = "全各本我该每此其的在和与及或对向为从至到等即";
/// Words after which a break right behind a place name is natural.
const AFTER_PLACE_OK: &str = "关的和与及、，等（";

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || c == '〇'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Where a title must not break (`hard`, byte offsets) and where it had
/// better not (`soft`: right after a place name, as in 青石县／城关街道, and
/// between two numbers, as in 2024年／上半年).
struct Spans {
    hard: HashSet<usize>,
    soft: HashSet<usize>,
}

impl Spans {
    fn of(title: &str, raw: &[&str], names: &[String]) -> Spans {
        let cs: Vec<char> = title.chars().collect();
        let byte: Vec<usize> = title
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(title.len()))
            .collect();
        // Word boundaries of the raw cut, as character indices.
        let mut bounds = HashSet::from([0]);
        let mut at = 0;
        for w in raw {
            at += w.chars().count();
            bounds.insert(at);
        }
        let (numbers, touching) = number_spans(&cs);
        let places = place_spans(&cs, &bounds, &numbers);
        let mut hard = HashSet::new();
        for &(s, e) in numbers.iter().chain(&places) {
            hard.extend((s + 1..e).map(|i| byte[i]));
        }
        // A short note in brackets stays with the word it annotates:
        // 各村（社区）, 方案（2024—2026年）.
        for (k, _) in cs.iter().enumerate().filter(|&(k, &c)| c == '（' && k > 0) {
            let look = (k + 1..cs.len().min(k + 18)).find(|&m| cs[m] == '）');
            if let Some(m) = look {
                let note: String = cs[k + 1..m].iter().collect();
                if units(&note) <= 8.0 {
                    hard.insert(byte[k]);
                }
            }
        }
        // The document's organ names and their parts (千泉街道 of 千泉街道办事处).
        for t in names.iter().flat_map(|n| name_parts(n)) {
            if t.chars().count() > MAX_UNITS as usize {
                continue;
            }
            for (start, _) in title.match_indices(t.as_str()) {
                hard.extend(t.char_indices().skip(1).map(|(off, _)| start + off));
            }
        }
        let number_starts: HashSet<usize> = numbers.iter().map(|n| n.0).collect();
        let soft = places
            .iter()
            .filter(|&&(_, e)| {
                e < cs.len()
                    && is_han(cs[e])
                    && !AFTER_PLACE_OK.contains(cs[e])
                    && !number_starts.contains(&e)
            })
            .map(|&(_, e)| e)
            .chain(touching)
            .map(|e| byte[e])
            .collect();
        Spans { hard, soft }
    }
}

fn starts_with_at(cs: &[char], i: usize, w: &str) -> bool {
    w.chars()
        .enumerate()
        .all(|(k, c)| cs.get(i + k) == Some(&c))
}

/// Length in characters of the number unit at `i`, if any.
fn unit_at(cs: &[char], i: usize) -> Option<usize> {
    NUMBER_UNITS
        .iter()
        .find(|u| starts_with_at(cs, i, u))
        .map(|u| u.chars().count())
}

/// End of the numeral starting at `i`: Arabic (with letters and a decimal
/// point, G205, 3.2) or Chinese; `None` if there is none.
fn numeral_end(cs: &[char], i: usize) -> Option<usize> {
    let n = cs.len();
    let mut j = i;
    let mut digit = false;
    while j < n {
        let c = cs[j];
        if is_digit(c) {
            digit = true;
        } else if !(c.is_ascii_alphabetic()
            || (matches!(c, '.' | '．')
                && j > i
                && is_digit(cs[j - 1])
                && cs.get(j + 1).is_some_and(|&d| is_digit(d))))
        {
            break;
        }
        j += 1;
    }
    if digit {
        return Some(j);
    }
    let j = (i..n).find(|&k| !CN_NUMERALS.contains(cs[k])).unwrap_or(n);
    (j > i).then_some(j)
}

/// A number with its unit starting at `i` (`第` before it included by the
/// caller): its end, or `None` if `i` starts no number.
fn number_at(cs: &[char], i: usize) -> Option<usize> {
    let mut j = numeral_end(cs, i)?;
    let arabic = cs[i..j].iter().any(|&c| is_digit(c));
    if cs.get(j).is_some_and(|&c| "余多几".contains(c)) && unit_at(cs, j + 1).is_some() {
        j += 1;
    }
    match unit_at(cs, j) {
        Some(u) => {
            j += u;
            // 5万亩, 3.2亿元: a unit after a multiplier.
            if "万亿千".contains(cs[j - 1]) {
                if let Some(u) = unit_at(cs, j) {
                    j += u;
                }
            }
        }
        // A bare Chinese numeral is a number only when long (十四五) or
        // counted (第二); 一 alone is mostly part of a word.
        None if !arabic && j - i < 2 && (i == 0 || cs[i - 1] != '第') => return None,
        None => {}
    }
    Some(j)
}

/// Numbers with their units, as character ranges: 2024年, 第二季度,
/// 二〇二四年度, 1—6月 (a range is one number), 3.2亿元, 8.5%; 至/到
/// between two numbers stays with the first. Also where two numbers touch
/// (2024年|第二季度, 2024年|上半年, 1月至|6月): a break there is allowed but
/// not liked.
fn number_spans(cs: &[char]) -> (Vec<(usize, usize)>, Vec<usize>) {
    let n = cs.len();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut glue_to: Vec<(usize, usize)> = Vec::new();
    let mut touching = Vec::new();
    let mut i = 0;
    while i < n {
        let start = if cs[i] == '第' && i + 1 < n {
            i + 1
        } else {
            i
        };
        let found = TIME_WORDS
            .iter()
            .find(|w| starts_with_at(cs, i, w))
            .map(|w| (i, i + w.chars().count()))
            .or_else(|| number_at(cs, start).map(|e| (i, e)));
        let Some((s, mut e)) = found else {
            // Skip a whole ASCII word, so a number is not found inside it.
            i += 1;
            while i < n && cs[i].is_ascii_alphanumeric() && cs[i - 1].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        };
        // 1—6月, 2024—2026年: a range is one number.
        while e + 1 < n && "—–－-~～".contains(cs[e]) {
            match number_at(cs, e + 1) {
                Some(e2) => e = e2,
                None => break,
            }
        }
        if e + 1 < n && "至到".contains(cs[e]) && number_at(cs, e + 1).is_some() {
            glue_to.push((e - 1, e + 1));
            touching.push(e + 1);
        }
        if spans.last().is_some_and(|last| last.1 == s) {
            touching.push(s);
        }
        spans.push((s, e));
        i = e;
    }
    spans.retain(|&(s, e)| e - s >= 2);
    spans.extend(glue_to);
    spans.sort_unstable();
    (spans, touching)
}

/// Place names written in the title: two or three characters and an ending
/// (青石县, 城关街道, 柳河镇, 东关社区), as character ranges. The name starts
/// on a word boundary of the raw cut where it can (关于青石县 is not 于青石县),
/// never on a word such as 全 or 各 (全县, 各乡镇 are no names), nor inside
/// a number or the place before it (青石县城关街道 is 青石县 + 城关街道).
fn place_spans(
    cs: &[char],
    bounds: &HashSet<usize>,
    numbers: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let suffix_chars: String = PLACE_ENDS.iter().map(|p| p.0).collect();
    let mut number = vec![false; cs.len()];
    for &(s, e) in numbers {
        number[s..e].iter_mut().for_each(|x| *x = true);
    }
    let in_number = |k: usize| number[k];
    let mut out = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < cs.len() {
        let Some(len) = PLACE_ENDS.iter().find_map(|(end, not_before)| {
            let len = end.chars().count();
            (starts_with_at(cs, i, end)
                && !cs.get(i + len).is_some_and(|&c| not_before.contains(c)))
            .then_some(len)
        }) else {
            i += 1;
            continue;
        };
        let mut k = i;
        while i - k < 3 && k > floor {
            let c = cs[k - 1];
            // 全 of 全县 or of 全/省 (one word or two) is no part of a name.
            let stop_word = PLACE_STOPS.contains(c)
                && bounds.contains(&(k - 1))
                && (bounds.contains(&k) || k == i);
            if !is_han(c) || stop_word || suffix_chars.contains(c) || in_number(k - 1) {
                break;
            }
            k -= 1;
        }
        if i - k >= 2 {
            let start = (k..=i - 2).find(|s| bounds.contains(s)).unwrap_or(k);
            out.push((start, i + len));
            floor = i + len;
        }
        i += len;
    }
    out
}

/// Words from jieba, then glued so that a break never falls inside a 《…》 or
/// “…” pair short enough to sit on one line, nor inside a number.
fn segments(raw: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut depth_book = 0i32;
    let mut depth_quote = 0i32;
    let mut open_start: Option<usize> = None;
    for &w in raw {
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

/// The shape search over glued words; a cut at a `soft` offset costs extra.
struct Search<'a> {
    words: &'a [String],
    starts: &'a [usize],
    soft: &'a HashSet<usize>,
}

/// What a soft break costs (青石县／城关街道 is allowed, but a shape worse by
/// up to about this many characters is preferred).
const SOFT_BREAK_COST: f64 = 4.0;

impl Search<'_> {
    fn run(
        &self,
        start: usize,
        lines_left: usize,
        extra: f64,
        cuts: &mut Vec<String>,
        best: &mut Option<(f64, Vec<String>)>,
        budget: &mut usize,
    ) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let words = self.words;
        if lines_left == 1 {
            let line: String = words[start..].concat();
            if units(&line) > MAX_UNITS {
                return;
            }
            cuts.push(line);
            let cost = shape_cost(cuts) + extra;
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
            let soft = if self.soft.contains(&self.starts[end]) {
                SOFT_BREAK_COST
            } else {
                0.0
            };
            cuts.push(line.clone());
            self.run(end, lines_left - 1, extra + soft, cuts, best, budget);
            cuts.pop();
        }
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
    fn the_dictionary_is_sorted_without_repeats_and_words_are_short() {
        let words: Vec<(&str, usize)> = DICT
            .lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?, it.next()?.parse().ok()?))
            })
            .collect();
        assert!(words.len() > 60_000);
        assert_eq!(
            DICT.lines().count(),
            words.len(),
            "a line is not `word freq tag`"
        );
        assert!(words
            .windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
        assert!(words.iter().all(|w| w.0.chars().count() <= 15));
        assert_eq!(words.iter().map(|w| w.1).sum::<usize>(), TOTAL);
        for (w, f) in words
            .iter()
            .step_by(97)
            .chain([words[0], words[words.len() - 1]].iter())
        {
            assert_eq!(frequency(w), Some(*f), "{w}");
        }
        assert_eq!(frequency("零事故零事故"), None);
        assert_eq!(frequency(""), None);
    }

    /// The per-text segmenter cuts every text as jieba with the whole
    /// dictionary loaded: the seeds' lines and sliding windows over them
    /// (titles, names, numbers, Latin, punctuation).
    #[test]
    fn the_segmenter_cuts_as_the_whole_dictionary_does() {
        let mut full = Jieba::empty();
        full.load_dict(&mut std::io::BufReader::new(DICT.as_bytes()))
            .expect("dictionary");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![
            "关于2024年上半年第二季度1—6月二〇二四年度5万亩3.2亿元8.5%的报告".to_string(),
            "青石县人民政府办公室关于印发《青石县ABC-12型设备管理办法（试行）》的通知".to_string(),
        ];
        for seed in std::fs::read_dir(root.join("tests/seeds")).expect("seeds") {
            let text = std::fs::read_to_string(seed.expect("entry").path()).expect("seed");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let cs: Vec<char> = line.chars().collect();
                texts.push(line.to_string());
                for w in (0..cs.len()).step_by(7) {
                    texts.push(cs[w..(w + 41).min(cs.len())].iter().collect());
                }
            }
        }
        assert!(texts.len() > 1_000, "{}", texts.len());
        for t in &texts {
            assert_eq!(segmenter(t).cut(t, false), full.cut(t, false), "{t}");
        }
    }

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

    /// The unbreakable pieces `Spans` finds, as text.
    fn pieces(t: &str) -> Vec<String> {
        let cs: Vec<char> = t.chars().collect();
        let raw: Vec<&str> = segmenter(t).cut(t, false);
        let mut bounds = HashSet::from([0]);
        let mut at = 0;
        for w in &raw {
            at += w.chars().count();
            bounds.insert(at);
        }
        let (numbers, _) = number_spans(&cs);
        let places = place_spans(&cs, &bounds, &numbers);
        numbers
            .iter()
            .chain(&places)
            .map(|&(s, e)| cs[s..e].iter().collect())
            .collect()
    }

    #[test]
    fn numbers_and_places_are_found_without_false_friends() {
        let p = pieces("关于2024年上半年第二季度1—6月二〇二四年度5万亩3.2亿元8.5%的报告");
        for want in [
            "2024年",
            "上半年",
            "第二季度",
            "1—6月",
            "二〇二四年度",
            "5万亩",
            "3.2亿元",
            "8.5%",
        ] {
            assert!(p.iter().any(|x| x == want), "{want}: {p:?}");
        }
        // 1月至 stays together; 至 does not join 6月.
        let p = pieces("青石县统计局关于1月至6月情况的报告");
        assert!(
            p.iter().any(|x| x == "月至") && p.iter().any(|x| x == "6月"),
            "{p:?}"
        );
        let p = pieces("关于青石县城关街道东关社区和柳河镇白沙村的批复");
        for want in ["青石县", "城关街道", "东关社区", "柳河镇", "白沙村"] {
            assert!(p.iter().any(|x| x == want), "{want}: {p:?}");
        }
        // 市场, 全县, 各乡镇, 乡村, 村级, 县级 are no place names; 一 of 统一
        // is no number.
        let p = pieces("青石县市场监督管理局关于全县各乡镇乡村振兴村级县级统一检查的通知");
        assert_eq!(p, vec!["青石县"]);
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
