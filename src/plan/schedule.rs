//! When tasks fall due: a task's 频次 over its period becomes real calendar
//! dates (month ends, quarter ends …), from which the 月度 and 季度任务分解
//! tables are drawn.

use chrono::{Datelike, NaiveDate};

/// 频次 of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    Once,
}

impl Frequency {
    /// Reads the Chinese forms clerks write.
    pub fn parse(s: &str) -> Result<Frequency, String> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let f = if t.starts_with("每月") {
            Frequency::Monthly
        } else if t.starts_with("每季度") || t.starts_with("每季") {
            Frequency::Quarterly
        } else if t.starts_with("每半年") {
            Frequency::HalfYearly
        } else if t.starts_with("每年") {
            Frequency::Yearly
        } else if t == "一次性" || t == "一次" || t == "限期完成" {
            Frequency::Once
        } else {
            return Err(format!(
                "频次“{s}”看不懂。可写：每月至少1次、每月1次、每季度1次、每季度至少1次、每半年1次、每年1次、一次性。"
            ));
        };
        Ok(f)
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

/// Due dates of a task active from `start` to `end` (inclusive): the end of
/// each month, quarter, half-year or year it touches, never after `end`;
/// a one-off task is due on `end` (its deadline).
pub fn due_dates(freq: Frequency, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    if end < start {
        return Vec::new();
    }
    if freq == Frequency::Once {
        return vec![end];
    }
    let months_per = match freq {
        Frequency::Monthly => 1,
        Frequency::Quarterly => 3,
        Frequency::HalfYearly => 6,
        Frequency::Yearly => 12,
        Frequency::Once => unreachable!("handled above"),
    };
    let mut out = Vec::new();
    let mut y = start.year();
    // First month of the block containing `start`.
    let mut m = (start.month() - 1) / months_per * months_per + 1;
    loop {
        let block_end_month = m + months_per - 1;
        let due = month_end(y, block_end_month).min(end);
        if due >= start {
            out.push(due);
        }
        if month_end(y, block_end_month) >= end {
            break;
        }
        m += months_per;
        if m > 12 {
            m -= 12;
            y += 1;
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

    #[test]
    fn monthly_due_at_month_ends_including_leap_february() {
        let due = due_dates(Frequency::Monthly, d(2020, 1, 15), d(2020, 4, 10));
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
        let due = due_dates(Frequency::Quarterly, d(2019, 5, 15), d(2019, 12, 31));
        assert_eq!(due, vec![d(2019, 6, 30), d(2019, 9, 30), d(2019, 12, 31)]);
    }

    #[test]
    fn boundaries_across_years() {
        let due = due_dates(Frequency::Quarterly, d(2019, 12, 31), d(2020, 3, 31));
        assert_eq!(due, vec![d(2019, 12, 31), d(2020, 3, 31)]);
        let due = due_dates(Frequency::HalfYearly, d(2019, 5, 1), d(2021, 1, 31));
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
        let due = due_dates(Frequency::Yearly, d(2024, 1, 1), d(2026, 12, 31));
        assert_eq!(due, vec![d(2024, 12, 31), d(2025, 12, 31), d(2026, 12, 31)]);
        assert_eq!(
            due_dates(Frequency::Once, d(2019, 5, 1), d(2019, 5, 31)),
            vec![d(2019, 5, 31)]
        );
        assert!(due_dates(Frequency::Monthly, d(2019, 5, 1), d(2019, 4, 30)).is_empty());
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
    fn frequency_words() {
        assert_eq!(Frequency::parse("每月至少1次").unwrap(), Frequency::Monthly);
        assert_eq!(Frequency::parse("每季度1次").unwrap(), Frequency::Quarterly);
        assert_eq!(
            Frequency::parse("每半年1次").unwrap(),
            Frequency::HalfYearly
        );
        assert_eq!(Frequency::parse("每年1次").unwrap(), Frequency::Yearly);
        assert_eq!(Frequency::parse("一次性").unwrap(), Frequency::Once);
        assert!(Frequency::parse("经常").is_err());
    }
}
