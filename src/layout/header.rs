//! 版头: 份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人 (GW-H-*).

use super::build::Builder;
use super::{Header, PageFormat};
use crate::compose::grid::LINE_PT;
use crate::model::notice::{Issuer, Notice, Secrecy};
use crate::model::number::{DocNumber, Requested};
use crate::typeset::fonts::Role;

impl Builder<'_> {
    /// 保密期限 in Arabic numerals (GB/T 9704 7.2.2: “机密★1年”); the old
    /// form “一年” is put right with a warning.
    fn secrecy_period(&mut self, p: String) -> String {
        let numerals: String = p
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .collect();
        match super::lint::chinese_number(&numerals) {
            Some(v) if !numerals.is_empty() => {
                let fixed = format!("{v}{}", &p[numerals.len()..]);
                self.warn(
                    "secrecy",
                    format!("保密期限“{p}”要用阿拉伯数字，已改为“{fixed}”（GW-H-02）。"),
                );
                fixed
            }
            _ => p,
        }
    }

    /// 命令（令）: the 标志 names the order (“青石县人民政府令”), and the
    /// 令号 “第5号” is its own sequence, not a 发文字号 (GW-S-10/11).
    fn order_marks(&mut self, n: &Notice, h: &mut Header) {
        if let Some(name) = h.issuer_names.last() {
            if !name.ends_with('令') {
                self.warn(
                    "issuer",
                    format!("命令（令）的标志是“发文机关全称＋命令（令）”，如“青石县人民政府令”，这里是“{name}”（GW-S-10）。"),
                );
            }
        }
        let Some(spec) = &n.number else { return };
        let text = match spec {
            crate::model::number::NumberSpec::Text(t) => t.trim().to_string(),
            _ => String::new(),
        };
        let inner = text.strip_prefix('第').and_then(|t| t.strip_suffix('号'));
        let ok = inner.is_some_and(|d| {
            !d.is_empty()
                && d.chars().count() <= 8
                && d.chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c))
        });
        if ok {
            h.number = Some(self.text("number", Role::Fang, &text));
        } else {
            self.error(
                "number",
                format!("令号“{text}”不对。"),
                "命令（令）的令号写成“第N号”，如 number: 第5号（GW-S-11）。",
            );
        }
    }

    pub(super) fn header(&mut self, n: &Notice, upward: bool, format: PageFormat) -> Header {
        let mut h = Header {
            upward,
            ..Header::default()
        };
        if let Some(c) = &n.copy_number {
            let digits = c.0.trim();
            if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit())
            {
                self.error(
                    "copy_number",
                    format!("份号“{digits}”不对。"),
                    "份号是 1 到 6 位阿拉伯数字，如 000001（GW-H-01）。",
                );
            } else {
                h.copy_number = Some(format!("{digits:0>6}"));
            }
        }
        if let Some(s) = &n.secrecy {
            let (level, period) = match s {
                Secrecy::Text(t) => match t.split_once('★') {
                    Some((l, p)) => (l.trim().to_string(), Some(p.trim().to_string())),
                    None => (t.trim().to_string(), None),
                },
                Secrecy::Parts(p) => (p.level.trim().to_string(), p.period.clone()),
            };
            if !matches!(level.as_str(), "绝密" | "机密" | "秘密") {
                self.error(
                    "secrecy",
                    format!("密级“{level}”不对。"),
                    "密级只能是 绝密、机密 或 秘密（GW-H-02）。",
                );
            }
            if h.copy_number.is_none() && n.copy_number.is_none() {
                self.error(
                    "secrecy",
                    "涉密公文必须标注份号。",
                    "加上 copy_number，如 000001（GW-H-01）。",
                );
            }
            let period = period
                .filter(|p| !p.is_empty())
                .map(|p| self.text("secrecy", Role::Hei, &p))
                .map(|p| self.secrecy_period(p));
            h.secrecy = Some(match period {
                Some(p) => format!("{level}★{p}"),
                None => level,
            });
        }
        if let Some(u) = &n.urgency {
            let u = u.replace([' ', '　'], "");
            if !matches!(u.as_str(), "特急" | "加急" | "特提" | "平急") {
                self.error(
                    "urgency",
                    format!("紧急程度“{u}”不对。"),
                    "只能写 特急 或 加急（电报另有 特提、平急）（GW-H-03）。",
                );
            }
            h.urgency = Some(u);
        }
        match &n.issuer {
            Some(Issuer::Text(t)) => {
                h.issuer_names = vec![self.text("issuer", Role::XiaoBiaoSong, t)]
            }
            Some(Issuer::Parts(p)) => {
                h.issuer_names = p
                    .names
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.text(&format!("issuer.names[{i}]"), Role::XiaoBiaoSong, s))
                    .collect();
                h.issuer_suffix = p
                    .suffix
                    .as_ref()
                    .map(|s| self.text("issuer.suffix", Role::XiaoBiaoSong, s));
                if p.names.is_empty() {
                    self.error(
                        "issuer.names",
                        "发文机关名称是空的。",
                        "至少写一个机关名称。",
                    );
                }
            }
            None if format == PageFormat::Plan => {}
            None => self.error(
                "issuer",
                "缺少发文机关标志。",
                "加上 issuer，如“邹城市千泉街道办事处文件”（GW-H-10）。",
            ),
        }
        if format == PageFormat::Letter && h.issuer_suffix.is_some() {
            self.warn(
                "issuer.suffix",
                "信函格式的发文机关标志不加“文件”（GW-S-01），已略去。",
            );
            h.issuer_suffix = None;
        }
        let max = match &n.issuer {
            Some(Issuer::Parts(p)) => p.max_size.unwrap_or(36.0),
            _ => 36.0,
        };
        let longest = h
            .issuer_names
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1) as f64;
        let suffix = h
            .issuer_suffix
            .as_ref()
            .map(|s| s.chars().count() as f64)
            .unwrap_or(0.0);
        let units = if h.issuer_names.len() > 1 {
            longest + suffix + 0.5
        } else {
            longest + suffix
        };
        h.issuer_size_pt = max.min(LINE_PT / units).max(8.0);
        if format == PageFormat::Order {
            self.order_marks(n, &mut h);
        } else if let Some(spec) = &n.number {
            match spec.resolve(n.date.map(|d| chrono::Datelike::year(&d.0))) {
                Ok(req) => {
                    h.number = Some(match &req {
                        Requested::Fixed(num) => num.display(),
                        // Printed as a draft until the register gives the number.
                        Requested::Auto { code, year } => DocNumber {
                            code: code.clone(),
                            year: *year,
                            seq: None,
                        }
                        .display(),
                    });
                    self.requested = Some(req);
                }
                Err(e) => self.error(
                    "number",
                    e,
                    "发文字号写成 机关代字〔年份〕序号号，如 千街发〔2019〕8号（GW-H-20）。",
                ),
            }
        }
        h.signers = n
            .signers
            .iter()
            .enumerate()
            .map(|(i, s)| self.text(&format!("signers[{i}]"), Role::Kai, s))
            .collect();
        // A stand-alone 方案/报告 without 版头 carries no 签发人.
        if upward && h.signers.is_empty() && format != PageFormat::Plan {
            self.error(
                "signers",
                "上行文（请示、报告等）必须标注签发人。",
                "加上 signers，如 signers: [张三]（GW-H-30）。",
            );
        }
        if !upward && !h.signers.is_empty() {
            self.error(
                "signers",
                "只有上行文标注签发人（GW-H-30）。",
                "删去 signers；若确是上行文，写 direction: 上行文。",
            );
        }
        h
    }
}
