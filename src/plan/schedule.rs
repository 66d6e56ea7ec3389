//! When tasks fall due: a task's 频次 over its period becomes real calendar
//! dates (month ends, quarter ends, the days a clerk names …), from which
//! the 月度 and 季度任务分解 tables are drawn.
//!
//! 频次 is a small grammar (every form found in the seeds):
//!
//! ```text
//! 频次   = 不定期 | 随时 | 长期 | 常态化 | 经常性          no due dates
//!        | 一次性 | 一次 | 限期完成                      due on the deadline
//!        | [每年|于] 日期 {、日期} [前|之前]               every year on those days
//!        | 每 周期 [至少|不少于] [动词] [次数 次]          次数 times a 周期
//!        | 每 周期 N 日[前]                                 (每月) on day N
//! 周期   = 月 | N个月 | 季度 | 季 | 半年 | 年 | 年度 | 周 | 星期
//! 日期   = M月D日 | M月底 | M月末
//! 次数   = 1, 2 … | 一, 两, 二 … 十
//! ```
//!
//! A block of the 周期 done 次数 times is split evenly: by months when they
//! divide (每年4次 → quarter ends), else by days (每月2次 → the 15th and the
//! month end).

use chrono::{Datelike, NaiveDate};

/// 频次 of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    /// `times` times in every block of `months` months (blocks start in
    /// January); on `day` of the block's last month when given (每月25日前).
    Periodic {
        months: u32,
        times: u32,
        day: Option<u32>,
    },
    /// `times` times a week (weeks from Monday to Sunday).
    Weekly { times: u32 },
    /// Every year on these (month, day) dates; day 0 is the month's end.
    Dates(Vec<(u32, u32)>),
    /// Due once, on the task's deadline.
    Once,
    /// No fixed due dates (不定期, 随时, 长期): shown as written.
    Open,
}

/// What a clerk may write, listed in every frequency error.
pub const FORMS: &str = "“每月1次”“每月至少2次”“每季度1次”“每半年1次”“每年不少于4次”“每两个月1次”“每周1次”“每月25日前”“6月10日、12月10日前”“一次性”“不定期”“随时”“长期”";

const OPEN_WORDS: [&str; 6] = ["不定期", "随时", "长期", "常态化", "经常性", "持续"];
const ONCE_WORDS: [&str; 4] = ["一次性", "一次", "限期完成", "按期完成"];

/// A count written in Arabic or Chinese numerals (1–99, 一 … 九十九).
fn number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n < 10_000);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Splits a leading number (digits or Chinese numerals) off `s`.
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let len: usize = s
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || "零一二两三四五六七八九十".contains(*c))
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    number(&s[..len]).map(|n| (n, &s[len..]))
}

fn days_in(month: u32) -> u32 {
    // February as in a leap year: “2月29日” is every year's last day of
    // February, clamped in the other years.
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(month - 1) as usize]
}

/// “6月10日、12月10日” (or “6月底”): (month, day) pairs, day 0 the month end.
fn dates(s: &str, whole: &str) -> Result<Vec<(u32, u32)>, String> {
    let mut out = Vec::new();
    for part in s.split(['、', '，', ',', '和', '及']) {
        let Some((m, rest)) = leading_number(part) else {
            return Err(part_error(whole, part, "日期写成“6月10日”。"));
        };
        let Some(rest) = rest.strip_prefix('月') else {
            return Err(part_error(whole, part, "日期写成“6月10日”。"));
        };
        if !(1..=12).contains(&m) {
            return Err(part_error(whole, &format!("{m}月"), "月份只能是1到12。"));
        }
        let day = if rest == "底" || rest == "末" {
            0
        } else {
            match rest.strip_suffix(['日', '号']).and_then(number) {
                Some(d) if d >= 1 && d <= days_in(m) => d,
                Some(_) => {
                    return Err(part_error(whole, part, &format!("{m}月没有这一天。")));
                }
                None => return Err(part_error(whole, part, "日期写成“6月10日”或“6月底”。")),
            }
        };
        out.push((m, day));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn part_error(whole: &str, part: &str, how: &str) -> String {
    format!("频次“{whole}”里的“{part}”看不懂：{how}可写的频次有：{FORMS}。")
}

impl Frequency {
    /// Reads the Chinese forms clerks write (see the module's grammar).
    pub fn parse(s: &str) -> Result<Frequency, String> {
        let whole = s.trim();
        let t: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect();
        let t = t.trim_end_matches(['。', '；', ';']);
        if t.is_empty() {
            return Err(format!("频次是空的。可写的频次有：{FORMS}。"));
        }
        if OPEN_WORDS.iter().any(|w| {
            t == *w
                || t.strip_prefix(w)
                    .is_some_and(|r| r == "开展" || r == "进行")
        }) {
            return Ok(Frequency::Open);
        }
        if ONCE_WORDS.contains(&t) {
            return Ok(Frequency::Once);
        }
        let Some(rest) = t.strip_prefix('每') else {
            // Days of the year: “6月10日、12月10日前”, “于4月底前”.
            let d = t.strip_prefix('于').unwrap_or(t);
            let d = d.strip_suffix("之前").or(d.strip_suffix('前')).unwrap_or(d);
            if d.contains('月') {
                return dates(d, whole).map(Frequency::Dates);
            }
            return Err(part_error(whole, whole, ""));
        };
        // The 周期.
        let (months, weekly, rest) =
            if let Some(r) = rest.strip_prefix("季度").or(rest.strip_prefix('季')) {
                (3, false, r)
            } else if let Some(r) = rest.strip_prefix("半年") {
                (6, false, r)
            } else if let Some(r) = rest.strip_prefix("年度").or(rest.strip_prefix('年')) {
                (12, false, r)
            } else if let Some(r) = rest.strip_prefix('月') {
                (1, false, r)
            } else if let Some(r) = rest.strip_prefix('周').or(rest.strip_prefix("星期")) {
                (0, true, r)
            } else if let Some((n, r)) = leading_number(rest) {
                let Some(r) = r.strip_prefix("个月") else {
                    return Err(part_error(
                        whole,
                        rest,
                        "周期写成“月、季度、半年、年、周”或“两个月”。",
                    ));
                };
                if ![1, 2, 3, 4, 6, 12].contains(&n) {
                    return Err(part_error(
                        whole,
                        &format!("{n}个月"),
                        "几个月一次只能是1、2、3、4、6或12个月（从1月起分段）。",
                    ));
                }
                (n, false, r)
            } else {
                return Err(part_error(
                    whole,
                    rest,
                    "“每”后面写周期：月、季度、半年、年、周。",
                ));
            };
        // 每年6月10日前: days of the year.
        if months == 12 && rest.contains('月') {
            let d = rest
                .strip_suffix("之前")
                .or(rest.strip_suffix('前'))
                .unwrap_or(rest);
            return dates(d, whole).map(Frequency::Dates);
        }
        let rest = ["至少", "不少于", "不低于", "不得少于"]
            .iter()
            .find_map(|q| rest.strip_prefix(q))
            .unwrap_or(rest);
        // 每月25日前: a day of the month.
        if months == 1 && !weekly {
            if let Some((d, tail)) = leading_number(rest) {
                if matches!(tail, "日" | "日前" | "日之前" | "号前" | "号") {
                    if !(1..=31).contains(&d) {
                        return Err(part_error(whole, &format!("{d}日"), "日子只能是1到31。"));
                    }
                    return Ok(Frequency::Periodic {
                        months: 1,
                        times: 1,
                        day: Some(d),
                    });
                }
            }
        }
        // [动词] 次数 次: the count is the last number, ended by “次”.
        let times = if rest.is_empty() {
            1
        } else {
            let Some(body) = rest.strip_suffix('次') else {
                let tail = rest
                    .rfind('次')
                    .map(|i| &rest[i + '次'.len_utf8()..])
                    .filter(|t| !t.is_empty());
                return Err(match tail {
                    Some(tail) => part_error(
                        whole,
                        tail,
                        "“次”后面的字不属于频次，请写到任务名称或举措里。",
                    ),
                    None => part_error(
                        whole,
                        rest.trim_start_matches(|c: char| {
                            !c.is_ascii_digit() && !"零一二两三四五六七八九十".contains(c)
                        }),
                        "次数写成“1次”“2次”“一次”。",
                    ),
                });
            };
            let digits_at = body
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit() || "零一二两三四五六七八九十".contains(*c))
                .last()
                .map(|(i, _)| i);
            let Some(at) = digits_at else {
                return Err(part_error(whole, rest, "次数写成“1次”“2次”“一次”。"));
            };
            let verb = &body[..at];
            if verb.chars().any(|c| c.is_ascii_digit()) {
                return Err(part_error(whole, verb, "次数写成“1次”“2次”。"));
            }
            let n = number(&body[at..]).unwrap_or(0);
            if n == 0 {
                return Err(part_error(
                    whole,
                    &format!("{}次", &body[at..]),
                    "次数至少是1次。",
                ));
            }
            n
        };
        let most = if weekly { 7 } else { months * 28 };
        if times > most {
            return Err(part_error(
                whole,
                &format!("{times}次"),
                &format!("次数太多（每个周期最多 {most} 次，一天一次）。"),
            ));
        }
        Ok(if weekly {
            Frequency::Weekly { times }
        } else {
            Frequency::Periodic {
                months,
                times,
                day: None,
            }
        })
    }

    /// Due once, on the deadline.
    pub fn is_once(&self) -> bool {
        matches!(self, Frequency::Once)
    }
}

/// Last day of a month (28/29/30/31, leap years included).
pub fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .expect("valid month")
}

/// Quarter (1–4) of a date.
pub fn quarter(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// Due dates of a task active from `start` to `end` (inclusive): within
/// each block of its 周期 the ends of its even parts (or the named day),
/// never before `start`; a date past `end` becomes `end`, once. A one-off
/// task is due on `end` (its deadline); a task without fixed dates never.
pub fn due_dates(freq: &Frequency, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    if end < start {
        return Vec::new();
    }
    let mut raw: Vec<NaiveDate> = Vec::new();
    match freq {
        Frequency::Once => return vec![end],
        Frequency::Open => return Vec::new(),
        Frequency::Dates(days) => {
            for y in start.year()..=end.year() {
                for &(m, d) in days {
                    let last = month_end(y, m);
                    let due = if d == 0 {
                        last
                    } else {
                        last.with_day(d).unwrap_or(last)
                    };
                    if due >= start && due <= end {
                        raw.push(due);
                    }
                }
            }
            return raw;
        }
        Frequency::Weekly { times } => {
            let times = (*times).clamp(1, 7);
            let mut monday =
                start - chrono::Duration::days(start.weekday().num_days_from_monday() as i64);
            while monday <= end {
                for i in 1..=times {
                    raw.push(monday + chrono::Duration::days((7 * i / times) as i64 - 1));
                }
                monday += chrono::Duration::days(7);
            }
        }
        Frequency::Periodic { months, times, day } => {
            let months = (*months).clamp(1, 12);
            let times = (*times).max(1);
            let mut y = start.year();
            // First month of the block containing `start`.
            let mut m = (start.month() - 1) / months * months + 1;
            loop {
                let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
                let last_month = m + months - 1;
                let block_end = month_end(y, last_month);
                if let Some(d) = day {
                    raw.push(block_end.with_day(*d).unwrap_or(block_end));
                } else if months % times == 0 {
                    let step = months / times;
                    for i in 1..=times {
                        raw.push(month_end(y, m + i * step - 1));
                    }
                } else {
                    let days = (block_end - first).num_days() + 1;
                    for i in 1..=times as i64 {
                        raw.push(
                            first + chrono::Duration::days((days * i / times as i64).max(1) - 1),
                        );
                    }
                }
                if block_end >= end {
                    break;
                }
                m += months;
                if m > 12 {
                    m -= 12;
                    y += 1;
                }
            }
        }
    }
    let mut out: Vec<NaiveDate> = Vec::new();
    for due in raw {
        if due < start {
            continue;
        }
        let due = due.min(end);
        if out.last() != Some(&due) {
            out.push(due);
        }
        if due == end {
            break;
        }
    }
    out
}

/// The months from `start` to `end`, as (year, month).
pub fn months(start: NaiveDate, end: NaiveDate) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (start.year(), start.month());
    while (y, m) <= (end.year(), end.month()) {
        out.push((y, m));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

/// The quarters from `start` to `end`, as (year, quarter).
pub fn quarters(start: NaiveDate, end: NaiveDate) -> Vec<(i32, u32)> {
    let mut out: Vec<(i32, u32)> = Vec::new();
    for (y, m) in months(start, end) {
        let q = (m - 1) / 3 + 1;
        if out.last() != Some(&(y, q)) {
            out.push((y, q));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn every(months: u32, times: u32) -> Frequency {
        Frequency::Periodic {
            months,
            times,
            day: None,
        }
    }

    #[test]
    fn monthly_due_at_month_ends_including_leap_february() {
        let due = due_dates(&every(1, 1), d(2020, 1, 15), d(2020, 4, 10));
        assert_eq!(
            due,
            vec![
                d(2020, 1, 31),
                d(2020, 2, 29),
                d(2020, 3, 31),
                d(2020, 4, 10)
            ]
        );
        assert_eq!(month_end(2019, 2), d(2019, 2, 28));
        assert_eq!(
            month_end(2100, 2),
            d(2100, 2, 28),
            "2100 is not a leap year"
        );
        assert_eq!(month_end(2000, 2), d(2000, 2, 29));
    }

    #[test]
    fn quarterly_task_starting_mid_quarter_is_first_due_at_that_quarter_end() {
        let due = due_dates(&every(3, 1), d(2019, 5, 15), d(2019, 12, 31));
        assert_eq!(due, vec![d(2019, 6, 30), d(2019, 9, 30), d(2019, 12, 31)]);
    }

    #[test]
    fn boundaries_across_years() {
        let due = due_dates(&every(3, 1), d(2019, 12, 31), d(2020, 3, 31));
        assert_eq!(due, vec![d(2019, 12, 31), d(2020, 3, 31)]);
        let due = due_dates(&every(6, 1), d(2019, 5, 1), d(2021, 1, 31));
        assert_eq!(
            due,
            vec![
                d(2019, 6, 30),
                d(2019, 12, 31),
                d(2020, 6, 30),
                d(2020, 12, 31),
                d(2021, 1, 31)
            ]
        );
        let due = due_dates(&every(12, 1), d(2024, 1, 1), d(2026, 12, 31));
        assert_eq!(due, vec![d(2024, 12, 31), d(2025, 12, 31), d(2026, 12, 31)]);
        assert_eq!(
            due_dates(&Frequency::Once, d(2019, 5, 1), d(2019, 5, 31)),
            vec![d(2019, 5, 31)]
        );
        assert!(due_dates(&every(1, 1), d(2019, 5, 1), d(2019, 4, 30)).is_empty());
    }

    #[test]
    fn several_times_a_block_split_by_months_or_by_days() {
        // 每年不少于4次: the quarter ends.
        let due = due_dates(&every(12, 4), d(2019, 5, 1), d(2019, 12, 31));
        assert_eq!(due, vec![d(2019, 6, 30), d(2019, 9, 30), d(2019, 12, 31)]);
        // 每月2次: the middle and the end of the month.
        let due = due_dates(&every(1, 2), d(2019, 2, 1), d(2019, 3, 31));
        assert_eq!(
            due,
            vec![
                d(2019, 2, 14),
                d(2019, 2, 28),
                d(2019, 3, 15),
                d(2019, 3, 31)
            ]
        );
        // 每季度2次: by days (45 and 91 days into the quarter).
        let due = due_dates(&every(3, 2), d(2019, 7, 1), d(2019, 9, 30));
        assert_eq!(due, vec![d(2019, 8, 15), d(2019, 9, 30)]);
        // 每月25日前.
        let day25 = Frequency::Periodic {
            months: 1,
            times: 1,
            day: Some(25),
        };
        assert_eq!(
            due_dates(&day25, d(2019, 11, 1), d(2019, 12, 31)),
            vec![d(2019, 11, 25), d(2019, 12, 25)]
        );
        let day31 = Frequency::Periodic {
            months: 1,
            times: 1,
            day: Some(31),
        };
        assert_eq!(
            due_dates(&day31, d(2019, 2, 1), d(2019, 3, 31)),
            vec![d(2019, 2, 28), d(2019, 3, 31)],
            "the 31st of a short month is its last day"
        );
        // 每周1次: Sundays.
        let due = due_dates(
            &Frequency::Weekly { times: 1 },
            d(2019, 7, 1),
            d(2019, 7, 31),
        );
        assert_eq!(
            due,
            vec![
                d(2019, 7, 7),
                d(2019, 7, 14),
                d(2019, 7, 21),
                d(2019, 7, 28),
                d(2019, 7, 31)
            ]
        );
        // 6月10日、12月10日前 over two years.
        let due = due_dates(
            &Frequency::Dates(vec![(6, 10), (12, 10)]),
            d(2024, 1, 1),
            d(2025, 11, 30),
        );
        assert_eq!(due, vec![d(2024, 6, 10), d(2024, 12, 10), d(2025, 6, 10)]);
        assert!(due_dates(&Frequency::Open, d(2019, 1, 1), d(2019, 12, 31)).is_empty());
    }

    #[test]
    fn month_and_quarter_lists() {
        assert_eq!(
            months(d(2019, 11, 20), d(2020, 2, 1)),
            vec![(2019, 11), (2019, 12), (2020, 1), (2020, 2)]
        );
        assert_eq!(
            quarters(d(2019, 5, 1), d(2020, 1, 31)),
            vec![(2019, 2), (2019, 3), (2019, 4), (2020, 1)]
        );
    }

    #[test]
    fn every_form_of_the_seeds_is_read() {
        let p = |s: &str| Frequency::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        for (s, months, times) in [
            ("每月至少1次", 1, 1),
            ("每月1次", 1, 1),
            ("每月2次", 1, 2),
            ("每月", 1, 1),
            ("每季度1次", 3, 1),
            ("每季度至少1次", 3, 1),
            ("每季度至少召开一次", 3, 1),
            ("每季度学习1次", 3, 1),
            ("每季至少1次", 3, 1),
            ("每半年1次", 6, 1),
            ("每半年至少组织一次", 6, 1),
            ("每年1次", 12, 1),
            ("每年至少组织开展1次", 12, 1),
            ("每年组织召开一次", 12, 1),
            ("每年不少于4次", 12, 4),
            ("每年不少于一次", 12, 1),
            ("每年度1次", 12, 1),
            ("每两个月1次", 2, 1),
            ("每 月 ２ 次", 1, 2),
        ] {
            assert_eq!(p(s), every(months, times), "{s}");
        }
        assert_eq!(
            p("每月25日前"),
            Frequency::Periodic {
                months: 1,
                times: 1,
                day: Some(25)
            }
        );
        assert_eq!(p("每周1次"), Frequency::Weekly { times: 1 });
        assert_eq!(p("每周两次"), Frequency::Weekly { times: 2 });
        assert_eq!(
            p("6月10日、12月10日前"),
            Frequency::Dates(vec![(6, 10), (12, 10)])
        );
        assert_eq!(
            p("每年6月10日、12月10日前"),
            Frequency::Dates(vec![(6, 10), (12, 10)])
        );
        assert_eq!(p("4月底前"), Frequency::Dates(vec![(4, 0)]));
        assert_eq!(p("于7月30日前"), Frequency::Dates(vec![(7, 30)]));
        for s in ["不定期", "随时", "长期", "常态化", "不定期开展"] {
            assert_eq!(p(s), Frequency::Open, "{s}");
        }
        for s in ["一次性", "一次", "限期完成"] {
            assert_eq!(p(s), Frequency::Once, "{s}");
        }
    }

    #[test]
    fn what_is_not_understood_is_named() {
        for (s, part) in [
            ("每月2回", "2回"),
            ("每月0次", "0次"),
            ("13月10日前", "13月"),
            ("2月30日前", "2月30日"),
            ("经常", "经常"),
            ("每月至少带队开展1次自查", "自查"),
            ("每5个月1次", "5个月"),
            ("每月40次", "40次"),
            ("每天1次", "天1次"),
            ("", ""),
        ] {
            let e = Frequency::parse(s).expect_err(s);
            assert!(e.contains(&format!("“{part}”")) || s.is_empty(), "{s}: {e}");
            assert!(e.contains("每月25日前"), "{s}: the forms are listed: {e}");
        }
    }
}
