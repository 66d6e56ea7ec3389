//! Quarterly summary (issue 5 §4): per unit and activity requirement,
//! required vs done; hazards found / closed / overdue and the 闭环率; units
//! that missed a month, by name; a bar chart of completion by unit — written
//! as a 报告 that can carry the red header.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::ledger::{Kind, Row};
use crate::model::date::Date;
use crate::model::notice::{
    Bar, Block, Body, Chart, ChartBlock, Format, Issuer, Notice, OneOrMany,
};
use crate::model::number::NumberSpec;
use crate::plan::schedule::month_end;

/// What the summary needs to know besides the data.
#[derive(Debug, Clone, Default)]
pub struct SummaryOptions {
    pub year: i32,
    pub quarter: u32,
    /// Units to account for (default: every unit in the data).
    pub units: Vec<String>,
    /// Organ writing the report (署名, and 标志 with `red_header`).
    pub organ: String,
    pub red_header: bool,
    /// 发文字号 when printed with the red header.
    pub number: Option<String>,
    pub to: Option<String>,
    /// 签发人 (a 报告 with the red header is an upward document).
    pub signer: Option<String>,
    /// 下一步工作: paragraphs of a last section, as the office writes them.
    pub next: Option<String>,
    pub date: Option<NaiveDate>,
}

const Q: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

/// `2019Q2` → (2019, 2).
pub fn parse_quarter(s: &str) -> Result<(i32, u32), String> {
    let t = s.trim().to_uppercase();
    let (y, q) = t
        .split_once('Q')
        .ok_or_else(|| format!("季度“{s}”看不懂：写成 2019Q2。"))?;
    match (y.parse::<i32>(), q.parse::<u32>()) {
        (Ok(y), Ok(q)) if (1..=4).contains(&q) && (1949..=2100).contains(&y) => Ok((y, q)),
        _ => Err(format!("季度“{s}”看不懂：写成 2019Q2。")),
    }
}

/// Unit names from a unit list (the CSV/XLSX/YAML a plan batch is made
/// from): the column headed 村（居）, 单位, 单位名称, 名称 or name.
pub fn unit_names(path: &std::path::Path) -> Result<Vec<String>, crate::Error> {
    const HEADS: [&str; 6] = ["村（居）", "村(居)", "单位", "单位名称", "名称", "name"];
    let rows = crate::plan::units::read(path, &Default::default(), "单位名单")?;
    let Some(head) = HEADS
        .iter()
        .find(|h| rows.first().is_some_and(|r| r.values.contains_key(**h)))
    else {
        return Err(crate::Error::other(format!(
            "单位名单 {} 里找不到单位名称那一列：表头要有“村（居）”“单位”或“名称”之一。",
            path.display()
        )));
    };
    let mut names: Vec<String> = Vec::new();
    for r in &rows {
        let n = r.values.get(*head).map(|v| v.trim()).unwrap_or("");
        if !n.is_empty() && !names.iter().any(|x| x == n) {
            names.push(n.to_string());
        }
    }
    Ok(names)
}

fn cell<'a>(r: &'a Row, key: &str) -> &'a str {
    r.cells.get(key).map(String::as_str).unwrap_or("")
}

/// Builds the report as a 公文, for the ordinary pipeline.
pub fn report(
    activity: &Kind,
    acts: &[Row],
    hazard: Option<(&Kind, &[Row])>,
    o: &SummaryOptions,
) -> Result<Notice, String> {
    let first_month = (o.quarter - 1) * 3 + 1;
    let start = NaiveDate::from_ymd_opt(o.year, first_month, 1).ok_or("季度不对")?;
    let end = month_end(o.year, first_month + 2);
    let unit_col = activity
        .unit_column
        .clone()
        .ok_or("活动台账格式没有 unit_column，无法按单位统计。")?;
    let kind_col = activity
        .columns
        .iter()
        .find(|c| !c.values.is_empty())
        .map(|c| c.key.clone())
        .ok_or("活动台账格式没有“活动类别”这样的可选值列。")?;
    let mut units: Vec<String> = o.units.clone();
    if units.is_empty() {
        let set: BTreeSet<String> = acts
            .iter()
            .map(|r| cell(r, &unit_col).to_string())
            .filter(|u| !u.is_empty())
            .collect();
        units = set.into_iter().collect();
    }
    let qname = format!("{}年{}", o.year, Q[(o.quarter - 1) as usize]);
    let months: Vec<u32> = (first_month..first_month + 3).collect();
    let in_quarter: Vec<&Row> = acts
        .iter()
        .filter(|r| r.date >= start && r.date <= end)
        .collect();
    let reqs = &activity.requirements;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut missed: Vec<String> = Vec::new();
    let (mut all_req, mut all_done) = (0u32, 0u32);
    for u in &units {
        let mine: Vec<&&Row> = in_quarter
            .iter()
            .filter(|r| cell(r, &unit_col) == u)
            .collect();
        let mut row = vec![u.clone()];
        let (mut req_u, mut done_u) = (0u32, 0u32);
        let mut gaps = Vec::new();
        for q in reqs {
            let required = q.per_month * 3;
            let mut credited = 0;
            let mut count = 0;
            for m in &months {
                let n = mine
                    .iter()
                    .filter(|r| {
                        r.date.month() == *m && q.kinds.iter().any(|k| k == cell(r, &kind_col))
                    })
                    .count() as u32;
                count += n;
                credited += n.min(q.per_month);
                if n < q.per_month {
                    gaps.push(format!("{m}月{}", q.name));
                }
            }
            req_u += required;
            done_u += credited;
            row.push(format!("{count}/{required}"));
        }
        let rate = if req_u == 0 {
            100.0
        } else {
            100.0 * done_u as f64 / req_u as f64
        };
        row.push(format!("{rate:.1}%"));
        rows.push(row);
        bars.push(Bar {
            label: u.clone(),
            value: (rate * 10.0).round() / 10.0,
        });
        all_req += req_u;
        all_done += done_u;
        // A unit that filed nothing is named once, below, not per month.
        if !gaps.is_empty() && !mine.is_empty() {
            missed.push(format!("{u}（{}）", gaps.join("、")));
        }
    }
    let overall = if all_req == 0 {
        100.0
    } else {
        100.0 * all_done as f64 / all_req as f64
    };
    // Units on the list that filed nothing this quarter are named.
    let silent: Vec<&String> = units
        .iter()
        .filter(|u| !in_quarter.iter().any(|r| cell(r, &unit_col) == u.as_str()))
        .collect();
    let mut columns = vec!["单位".to_string()];
    columns.extend(reqs.iter().map(|q| format!("{}（已开展/应开展）", q.name)));
    columns.push("完成率".into());
    let mut widths = vec![1.6];
    widths.extend(reqs.iter().map(|_| 1.5));
    widths.push(1.0);
    let text = |s: &str| Block::Text(s.to_string());
    let mut body: Vec<Block> = vec![
        text(&format!("现将{qname}“零事故”创建活动开展和隐患排查治理情况报告如下。")),
        text("一、活动开展情况"),
        Block::Text(format!(
            "按照每个村（居）每月至少开展{}的要求，本季度{}个单位应开展活动{}次，按月计已完成{}次，完成率{:.1}%；共登记活动{}次。",
            reqs.iter().map(|q| format!("{}{}次", q.name, q.per_month)).collect::<Vec<_>>().join("、"),
            units.len(),
            all_req,
            all_done,
            overall,
            in_quarter.len()
        )),
        Block::table(
            Some(format!("{qname}各单位活动开展情况")),
            columns,
            rows,
            widths,
            false,
        ),
        Block::Chart(ChartBlock {
            chart: Chart {
                title: Some("各单位活动完成率".to_string()),
                bars,
                max: None,
                unit: None,
            },
        }),
    ];
    if let Some((hk, hz)) = hazard {
        let h = hk.hazard.as_ref().ok_or("隐患台账格式缺少 hazard 设置。")?;
        let date_of = |r: &Row, k: &str| Date::parse(cell(r, k)).ok().map(|d| d.0);
        let hunit = hk.unit_column.clone().unwrap_or_default();
        let mut hrows = Vec::new();
        let (mut tf, mut tc, mut to) = (0, 0, 0);
        for u in &units {
            let found: Vec<&Row> = hz
                .iter()
                .filter(|r| {
                    r.date >= start && r.date <= end && (hunit.is_empty() || cell(r, &hunit) == u)
                })
                .collect();
            let closed = found
                .iter()
                .filter(|r| date_of(r, &h.closed).is_some_and(|c| c <= end))
                .count();
            let overdue = hz
                .iter()
                .filter(|r| r.date <= end && (hunit.is_empty() || cell(r, &hunit) == u))
                .filter(|r| {
                    date_of(r, &h.closed).is_none_or(|c| c > end)
                        && date_of(r, &h.deadline).is_some_and(|d| d < end)
                })
                .count();
            let rate = if found.is_empty() {
                "—".to_string()
            } else {
                format!("{:.1}%", 100.0 * closed as f64 / found.len() as f64)
            };
            tf += found.len();
            tc += closed;
            to += overdue;
            hrows.push(vec![
                u.clone(),
                found.len().to_string(),
                closed.to_string(),
                overdue.to_string(),
                rate,
            ]);
        }
        body.push(text("二、隐患排查治理情况"));
        body.push(Block::Text(format!(
            "本季度共排查隐患{tf}处，已整改销号{tc}处，闭环率{}；截至季末逾期未整改{to}处。",
            if tf == 0 {
                "—".to_string()
            } else {
                format!("{:.1}%", 100.0 * tc as f64 / tf as f64)
            }
        )));
        body.push(Block::table(
            Some(format!("{qname}隐患排查治理情况")),
            [
                "单位",
                "排查隐患（处）",
                "已销号（处）",
                "逾期未改（处）",
                "闭环率",
            ]
            .map(String::from)
            .to_vec(),
            hrows,
            vec![1.8, 1.4, 1.4, 1.4, 1.2],
            false,
        ));
    }
    let numerals = ["一", "二", "三", "四", "五"];
    let mut section = if hazard.is_some() { 2 } else { 1 };
    body.push(Block::Text(format!("{}、存在的问题", numerals[section])));
    section += 1;
    if !silent.is_empty() {
        body.push(Block::Text(format!(
            "以下{}个单位本季度没有报送活动台账：{}。",
            silent.len(),
            silent
                .iter()
                .map(|u| u.as_str())
                .collect::<Vec<_>>()
                .join("、")
        )));
    }
    if missed.is_empty() {
        body.push(text("本季度各单位均按月完成了规定活动。"));
    } else {
        body.push(Block::Text(format!(
            "以下单位有月份未完成规定活动：{}。请上述单位限期补课，并在下季度工作中加以改进。",
            missed.join("；")
        )));
    }
    if let Some(next) = o.next.as_deref().filter(|t| !t.trim().is_empty()) {
        body.push(Block::Text(format!("{}、下一步工作", numerals[section])));
        for p in next.lines().map(str::trim).filter(|p| !p.is_empty()) {
            body.push(text(p));
        }
    }
    body.push(text("特此报告。"));
    let mut notice = Notice {
        kind: "报告".to_string(),
        title: format!("{}关于{qname}“零事故”创建工作情况的报告", o.organ),
        body: Some(Body::Blocks(body)),
        signature: Some(OneOrMany::One(o.organ.clone())),
        date: Some(Date(o.date.unwrap_or(end))),
        ..Notice::default()
    };
    if o.red_header {
        notice.issuer = Some(Issuer::Text(format!("{}文件", o.organ)));
        match &o.signer {
            Some(s) => notice.signers = vec![s.clone()],
            None => return Err("带版头的报告是上行文，要写签发人：--signer 姓名。".into()),
        }
        notice.number = o.number.clone().map(NumberSpec::Text);
    } else {
        notice.format = Some(Format::Plan);
    }
    // A 主送 with or without the red header.
    notice.to = o.to.clone();
    Ok(notice)
}
