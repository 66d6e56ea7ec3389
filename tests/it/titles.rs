//! 标题 line breaks (GW-B-03) on a corpus of county and street-office titles
//! (`tests/data/titles.txt`): 2–4 centred lines of at most 20 characters,
//! 梯形 or 菱形, never broken inside a word, a number with its unit or a
//! place name. The numbers are found here by a scanner of its own, not by
//! the one in `src/compose/title.rs`.

use std::collections::BTreeSet;

use gongwen::compose::title::{break_title, is_allowed_shape, words, MAX_UNITS};

use crate::common::{cells, notice, render};

fn corpus() -> Vec<String> {
    let path = crate::common::root().join("tests/data/titles.txt");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Byte offsets where `lines` break their title.
fn breaks(lines: &[String]) -> Vec<usize> {
    lines
        .iter()
        .scan(0, |at, l| {
            *at += l.len();
            Some(*at)
        })
        .take(lines.len().saturating_sub(1))
        .collect()
}

/// Byte offsets between the words of the raw jieba cut.
fn word_bounds(title: &str) -> BTreeSet<usize> {
    words(title)
        .iter()
        .scan(0, |at, w| {
            *at += w.len();
            Some(*at)
        })
        .collect()
}

const UNITS: [&str; 21] = [
    "季度", "年度", "年", "月", "日", "号", "次", "批", "届", "期", "个", "项", "家", "名", "人",
    "万", "亿", "元", "%", "天", "亩",
];

fn arabic(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

fn chinese(c: char) -> bool {
    "〇零一二三四五六七八九十百千两".contains(c)
}

/// Numbers with their unit as byte ranges: [第] digits or Chinese numerals
/// [余/多] unit (two after 万/亿), a range (1—6月, 2024—2026年) counted as one, and
/// 上半年/下半年. A bare Chinese numeral without 第 or a unit is not counted
/// (一 of 统一 is no number).
fn numbers_with_units(t: &str) -> Vec<(usize, usize)> {
    let cs: Vec<(usize, char)> = t.char_indices().collect();
    let at = |i: usize| cs.get(i).map_or(t.len(), |x| x.0);
    let rest = |i: usize| &t[at(i)..];
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if let Some(w) = ["上半年", "下半年"]
            .iter()
            .find(|w| rest(i).starts_with(**w))
        {
            out.push((at(i), at(i) + w.len()));
            i += w.chars().count();
            continue;
        }
        let ordinal = cs[i].1 == '第';
        let mut j = if ordinal { i + 1 } else { i };
        let digits = j < cs.len() && cs[j].1.is_ascii_digit();
        let class: fn(char) -> bool = if digits { arabic } else { chinese };
        let first = j;
        while j < cs.len() && class(cs[j].1) {
            j += 1;
            // 1—6月: the dash and the number after it belong to the number.
            if j + 1 < cs.len() && "—-～~".contains(cs[j].1) && class(cs[j + 1].1) {
                j += 1;
            }
        }
        if j == first {
            i += 1;
            continue;
        }
        if j < cs.len() && "余多".contains(cs[j].1) {
            j += 1;
        }
        let mut has_unit = false;
        // A second unit only after 万 or 亿 (5万亩, 3.2亿元).
        while let Some(u) = UNITS.iter().find(|u| rest(j).starts_with(**u)) {
            j += u.chars().count();
            has_unit = true;
            if !matches!(*u, "万" | "亿") {
                break;
            }
        }
        if digits || has_unit || ordinal {
            out.push((at(i), at(j)));
        }
        i = j.max(i + 1);
    }
    out
}

/// Place names of the corpus, listed by hand.
const PLACES: [&str; 9] = [
    "青石县",
    "青石市",
    "城关街道",
    "柳河镇",
    "柳河街道",
    "白沙乡",
    "白沙村",
    "东关社区",
    "红星村",
];

/// What is wrong with the lines of one title, if anything.
fn faults(t: &str, lines: &[String]) -> Vec<String> {
    let mut f = Vec::new();
    if lines.concat() != t {
        f.push("lines do not join back to the title".to_string());
    }
    if !(2..=4).contains(&lines.len()) {
        f.push(format!("{} lines, want 2–4", lines.len()));
    }
    if let Some(l) = lines.iter().find(|l| cells(l) > MAX_UNITS) {
        f.push(format!("line “{l}” is {} characters wide", cells(l)));
    }
    if !is_allowed_shape(lines) {
        f.push("沙漏形".to_string());
    }
    let bounds = word_bounds(t);
    let numbers = numbers_with_units(t);
    for b in breaks(lines) {
        if !bounds.contains(&b) {
            f.push(format!("break inside a word: “{}／{}”", &t[..b], &t[b..]));
        }
        for &(s, e) in &numbers {
            if s < b && b < e {
                f.push(format!("break inside the number “{}”", &t[s..e]));
            }
        }
        for p in PLACES {
            for (s, _) in t.match_indices(p) {
                if s < b && b < s + p.len() {
                    f.push(format!("break inside the place name “{p}”"));
                }
            }
        }
    }
    f
}

#[test]
fn gw_b_03_corpus_titles_break_between_words_numbers_and_places() {
    let titles = corpus();
    assert!(titles.len() >= 45, "corpus has {} titles", titles.len());
    let t0 = std::time::Instant::now();
    let broken: Vec<Vec<String>> = titles.iter().map(|t| break_title(t, &[])).collect();
    let took = t0.elapsed();
    let mut bad = Vec::new();
    for (t, lines) in titles.iter().zip(&broken) {
        assert!(
            cells(t) > 18.0,
            "GW-B-03 corpus title fits on one line: {t}"
        );
        for f in faults(t, lines) {
            bad.push(format!("{}: {f}", lines.join("／")));
        }
    }
    assert!(
        bad.is_empty(),
        "GW-B-03: {} faults in the title corpus:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // The word list loads once (about 20 ms); the search is micro-seconds.
    let limit = if cfg!(debug_assertions) { 10 } else { 1 };
    assert!(
        took.as_secs_f64() < limit as f64,
        "GW-B-03 breaking {} titles took {took:?}",
        titles.len()
    );
}

#[test]
fn gw_b_03_reported_bad_breaks_are_gone() {
    // Issue 13 item 2: each title with the break it used to get.
    let cases = [
        (
            "青石县水利局关于提供2024年主汛期水情雨情信息的函",
            "提供2024",
            "年主汛期",
        ),
        (
            "青石县人民政府办公室关于2024年上半年政务公开工作情况的通报",
            "关于2024",
            "年上半年",
        ),
        (
            "青石县人民政府关于同意青石县城关街道设立便民服务中心的批复",
            "青石县城",
            "关街道",
        ),
        (
            "青石县人民政府关于2024年1月至6月全县重大项目建设推进情况的通报",
            "1月至6",
            "月",
        ),
        (
            "城关街道办事处关于2024年第二季度安全生产工作情况的报告",
            "第二",
            "季度",
        ),
    ];
    for (t, left, right) in cases {
        let lines = break_title(t, &[]);
        assert_eq!(lines.concat(), t);
        assert!(
            !lines
                .windows(2)
                .any(|w| w[0].ends_with(left) && w[1].starts_with(right)),
            "GW-B-03 {left}／{right}: {}",
            lines.join("／")
        );
        assert!(
            faults(t, &lines).is_empty(),
            "GW-B-03 {}: {:?}",
            lines.join("／"),
            faults(t, &lines)
        );
    }
}

#[test]
fn gw_b_03_printed_title_lines_are_the_computed_ones() {
    let title = "青石县人民政府关于同意青石县城关街道设立2024年便民服务中心的批复";
    let ins = render(&notice(&format!(
        "issuer: 青石县人民政府文件\nsignature: 青石县人民政府\ntitle: {title}\n"
    )))
    .expect("renders");
    // The names the builder protects: the issuer and the signature.
    let names = [
        "青石县人民政府文件".to_string(),
        "青石县人民政府".to_string(),
    ];
    let want = break_title(title, &names);
    // 2号 = 22 pt, black: the title (the red 发文机关标志 is larger).
    let printed: Vec<String> = ins
        .lines(1)
        .into_iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == 22.0 && !r.red))
        .map(|l| l.text)
        .collect();
    assert_eq!(printed, want, "GW-B-03 printed title lines");
    assert!(printed.len() >= 2, "GW-B-03 title on one line: {printed:?}");
    for (l, next) in printed.iter().zip(&printed[1..]) {
        let joint = format!("{l}|{next}");
        for whole in ["青石县", "城关街道", "2024年"] {
            let split = (1..whole.chars().count()).any(|k| {
                let cut: usize = whole.char_indices().nth(k).map_or(0, |x| x.0);
                joint.contains(&format!("{}|{}", &whole[..cut], &whole[cut..]))
            });
            assert!(
                !split,
                "GW-B-03 printed line ends inside “{whole}”: {printed:?}"
            );
        }
    }
}

#[test]
fn gw_b_03_a_joint_title_broken_at_the_space_between_organs_stays_centred() {
    let title = "中共城关街道工作委员会 城关街道办事处关于表彰2023年度城关街道安全生产、森林防火、防汛抗旱工作先进集体和先进个人的决定";
    let ins = render(&notice(&format!("kind: 决定\ntitle: {title}\n"))).expect("renders");
    let printed: Vec<_> = ins
        .lines(1)
        .into_iter()
        .filter(|l| l.runs.iter().all(|r| r.size_pt == 22.0 && !r.red))
        .collect();
    assert!(
        printed.len() >= 2,
        "{:?}",
        printed.iter().map(|l| &l.text).collect::<Vec<_>>()
    );
    for l in &printed {
        // The right edge is the last glyph's, never a trailing space's.
        crate::common::near(
            (l.left + l.ink_right) / 2.0,
            106.0,
            0.6,
            &format!("GW-B-03 title line “{}” centred", l.text),
        );
    }
}
