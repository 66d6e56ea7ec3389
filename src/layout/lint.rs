//! Warnings a clerk needs (issue 13 item 10): things that print correctly or
//! are put right silently, but that the clerk should know about before the
//! document goes out — how a date was typed, a 发文字号 of another year, an
//! 印发日期 before the 成文日期, a heading sequence that skips.

use chrono::Datelike;

use super::build::Builder;
use super::PageFormat;
use crate::compose::heading::{self, Level};
use crate::model::notice::{Block, Body, Notice};
use crate::model::number::Requested;

impl Builder<'_> {
    pub(super) fn lint(&mut self, n: &Notice, format: PageFormat) {
        for (field, what) in [("date", "成文日期"), ("print_date", "印发日期")] {
            let date = if field == "date" {
                n.date
            } else {
                n.print_date
            };
            if let (Some(d), Some(typed)) = (date, self.origin.written(field)) {
                if let Some(why) = date_form(&typed) {
                    self.warn(
                        field,
                        format!(
                            "{what}写成了“{typed}”（{why}），已按“{}”印出（GW-B-40：年份写全，月、日不编虚位）。",
                            d.chinese()
                        ),
                    );
                }
            }
        }
        if let (Some(date), Some(req)) = (n.date, self.requested.as_ref()) {
            let year = match req {
                Requested::Fixed(d) => d.year,
                Requested::Auto { year, .. } => *year,
            };
            if year != date.0.year() {
                self.warn(
                    "number",
                    format!(
                        "发文字号的年份是 {year} 年，成文日期却是 {} 年。请核对（发文字号的年份一般是成文日期的年份）。",
                        date.0.year()
                    ),
                );
            }
        }
        if let (Some(d), Some(p)) = (n.date, n.print_date) {
            if p < d {
                self.warn(
                    "print_date",
                    format!(
                        "印发日期 {} 早于成文日期 {}。请核对（公文先成文、后印发，GW-E-11）。",
                        p.chinese(),
                        d.chinese()
                    ),
                );
            }
        }
        if format == PageFormat::Letter {
            if let Some(crate::model::notice::Issuer::Text(t)) = &n.issuer {
                if t.trim().ends_with("文件") {
                    self.warn(
                        "issuer",
                        "信函格式的发文机关标志只用机关全称或规范化简称，不加“文件”二字（GW-S-01）。",
                    );
                }
            }
        }
        if let Some(body) = &n.body {
            self.heading_sequence("body", body);
        }
    }

    /// 一、二、四: a number left out or repeated in a heading sequence.
    fn heading_sequence(&mut self, path: &str, body: &Body) {
        // Expected next number per level; a higher level resets the lower.
        let mut next = [0u32; 4];
        // The last number of each level before a higher level reset it: a
        // document may number its items on through its sections (seed 003
        // 篇4: （一）1.–4.，（二）5. …).
        let mut last = [0u32; 4];
        for block in body.blocks() {
            let Block::Text(text) = block else { continue };
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let p = heading::detect(line);
                let level = match p.level {
                    Level::H1 => 0,
                    Level::H2 => 1,
                    Level::H3 => 2,
                    Level::H4 => 3,
                    Level::Para | Level::Lead => continue,
                };
                let Some(number) = ordinal(line) else {
                    continue;
                };
                let want = next[level] + 1;
                let continued = next[level] == 0 && last[level] > 0 && number == last[level] + 1;
                if !continued
                    && (number != want && next[level] > 0 || next[level] == 0 && number != 1)
                {
                    let start: String = line.chars().take(12).collect();
                    self.warn(
                        path,
                        format!(
                            "标题序号不连续：“{start}…”是第 {number} 项，前面应是第 {want} 项。请核对是否漏写或重复（GW-B-22）。"
                        ),
                    );
                }
                next[level] = number;
                last[level] = number;
                for lower in next.iter_mut().skip(level + 1) {
                    *lower = 0;
                }
            }
        }
    }
}

/// Why a typed date is not in a recommended form, if it is not.
fn date_form(typed: &str) -> Option<&'static str> {
    if typed.contains('.') {
        Some("用了“.”分隔")
    } else if typed.contains('/') {
        Some("用了“/”分隔")
    } else if typed.contains('年')
        && typed
            .split(['年', '月', '日'])
            .skip(1)
            .any(|p| p.starts_with('0'))
    {
        Some("月或日前多了“0”")
    } else {
        None
    }
}

/// The number of a heading marker: 一、→ 1, （十二）→ 12, 3. → 3, （4）→ 4.
fn ordinal(line: &str) -> Option<u32> {
    let t = line.trim_start_matches(['（', '(']);
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let numerals: String = t
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .collect();
    chinese_number(&numerals)
}

/// 一 … 九十九.
pub(super) fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        [d] => digit(*d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal("四、"), Some(4));
        assert_eq!(ordinal("（十二）"), Some(12));
        assert_eq!(ordinal("二十一、"), Some(21));
        assert_eq!(ordinal("3.工作"), Some(3));
        assert_eq!(ordinal("（4）"), Some(4));
    }

    #[test]
    fn date_forms() {
        assert!(date_form("2019年04月05日").is_some());
        assert!(date_form("2019.4.5").is_some());
        assert!(date_form("2019/4/5").is_some());
        assert!(date_form("2019-04-05").is_none());
        assert!(date_form("2019年4月5日").is_none());
    }
}
