//! The tables of a plan, computed from its tasks: 任务清单, 责任清单 and the
//! 季度/月度任务分解 with due dates on the real calendar.

use std::collections::BTreeMap;

use super::schedule::{self, months, quarters};
use super::{Period, Task};
use crate::model::notice::Block;

pub(super) fn table_block(
    title: &str,
    (columns, rows, widths): TableData,
    landscape: bool,
) -> Block {
    let columns = columns.into_iter().map(String::from).collect();
    Block::table(Some(title.to_string()), columns, rows, widths, landscape)
}

type TableData = (Vec<&'static str>, Vec<Vec<String>>, Vec<f64>);

/// 任务清单 (GW-S-41 columns plus 举措 and 频次).
pub(super) fn task_list(tasks: &[Task]) -> TableData {
    let rows = tasks
        .iter()
        .map(|t| {
            vec![
                t.no.to_string(),
                t.name.clone(),
                t.measures.clone(),
                t.lead.clone(),
                t.responsible.clone(),
                deadline_text(t),
                t.frequency.clone(),
            ]
        })
        .collect();
    (
        vec![
            "序号",
            "任务/事项",
            "举措",
            "牵头单位",
            "责任单位（人）",
            "完成时限",
            "频次",
        ],
        rows,
        vec![0.6, 2.2, 4.4, 1.6, 1.7, 1.6, 1.2],
    )
}

fn deadline_text(t: &Task) -> String {
    if t.due.len() > 1 {
        format!("{}至{}", t.start, t.deadline)
    } else {
        format!("{}前", t.deadline)
    }
}

/// 责任清单: tasks grouped by who is responsible.
pub(super) fn responsibility_list(tasks: &[Task]) -> TableData {
    let mut by: BTreeMap<String, Vec<&Task>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for t in tasks {
        let who = if t.responsible.is_empty() {
            t.lead.clone()
        } else {
            t.responsible.clone()
        };
        if !by.contains_key(&who) {
            order.push(who.clone());
        }
        by.entry(who).or_default().push(t);
    }
    let rows = order
        .iter()
        .map(|who| {
            let list = &by[who];
            vec![
                who.clone(),
                list.iter()
                    .map(|t| format!("{}.{}", t.no, t.name))
                    .collect::<Vec<_>>()
                    .join("\n"),
                list.iter()
                    .map(|t| format!("{}：{}", t.no, deadline_text(t)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        })
        .collect();
    (
        vec!["责任单位（人）", "承担的任务", "完成时限"],
        rows,
        vec![1.6, 3.6, 2.4],
    )
}

fn md(d: &chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}月{}日", d.month(), d.day())
}

/// 季度任务分解: for each quarter of the period, the tasks due in it.
pub(super) fn quarterly(tasks: &[Task], p: Period) -> TableData {
    const Q: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];
    let rows = quarters(p.start.0, p.end.0)
        .into_iter()
        .map(|(y, q)| {
            let items: Vec<String> = tasks
                .iter()
                .filter_map(|t| {
                    let due: Vec<_> = t
                        .due
                        .iter()
                        .filter(|d| chrono::Datelike::year(*d) == y && schedule::quarter(**d) == q)
                        .collect();
                    match due.len() {
                        0 => None,
                        1 => Some(format!("{}.{}（{}前完成）", t.no, t.name, md(due[0]))),
                        n => Some(format!(
                            "{}.{}（{}，本季度{n}次，{}前各完成1次）",
                            t.no,
                            t.name,
                            t.frequency,
                            due.iter().map(|d| md(d)).collect::<Vec<_>>().join("、")
                        )),
                    }
                })
                .collect();
            vec![format!("{y}年{}", Q[(q - 1) as usize]), items.join("\n")]
        })
        .collect();
    (vec!["季度", "任务及完成时限"], rows, vec![2.0, 6.0])
}

/// 月度任务分解: for each month of the period, the tasks due in it.
pub(super) fn monthly(tasks: &[Task], p: Period) -> TableData {
    use chrono::Datelike;
    let rows = months(p.start.0, p.end.0)
        .into_iter()
        .map(|(y, m)| {
            let items: Vec<String> = tasks
                .iter()
                .filter_map(|t| {
                    let due = t.due.iter().find(|d| d.year() == y && d.month() == m)?;
                    Some(format!("{}.{}（{}前）", t.no, t.name, md(due)))
                })
                .collect();
            vec![format!("{y}年{m}月"), items.join("\n")]
        })
        .collect();
    (vec!["月份", "任务及完成时限"], rows, vec![2.0, 6.0])
}
