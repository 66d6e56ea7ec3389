//! Dates as clerks write them, printed per GW-B-40.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// A calendar date that deserialises from `2019-04-15`, `2019-4-15`,
/// `2019年4月15日` or `2019.4.15`; impossible dates are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl Date {
    /// `2019年4月15日`: full year, no leading zeros (GW-B-40).
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    pub fn parse(s: &str) -> Result<Date, String> {
        let t = s.trim();
        let nums: Vec<&str> = t
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        let shape_ok = nums.len() == 3
            && nums.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
            && nums[0].len() == 4;
        if !shape_ok {
            return Err(format!(
                "“{t}”不是日期。请写成 2019-04-15 或 2019年4月15日（年份写全四位，用阿拉伯数字）"
            ));
        }
        let y: i32 = nums[0]
            .parse()
            .map_err(|_| format!("年份“{}”不对", nums[0]))?;
        let m: u32 = nums[1]
            .parse()
            .map_err(|_| format!("月份“{}”不对", nums[1]))?;
        let d: u32 = nums[2]
            .parse()
            .map_err(|_| format!("日“{}”不对", nums[2]))?;
        NaiveDate::from_ymd_opt(y, m, d)
            .map(Date)
            .ok_or_else(|| format!("日期“{t}”不存在（{y}年没有{m}月{d}日）。请核对成文日期"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_without_leading_zeros() {
        assert_eq!(Date::parse("2019-04-05").unwrap().chinese(), "2019年4月5日");
        assert_eq!(
            Date::parse("2019年4月15日").unwrap().chinese(),
            "2019年4月15日"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2019-02-29").unwrap_err().contains("不存在"));
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("19-2-3").is_err());
    }
}
