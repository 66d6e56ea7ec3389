//! The tables of a plan, computed from its tasks: 任务清单, 责任清单 and the
//! 季度/月度任务分解 with due dates on the real calendar.

use std::collections::BTreeMap;

use super::schedule::{self, months, quarters, Frequency};
use super::{Period, Task};
use crate::model::date::Date;
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
    match t.due.as_slice() {
        [one] if t.freq != Frequency::Open => format!("{}前", Date(*one).chinese()),
        _ => format!("{}至{}", t.start, t.deadline),
    }
}

/// Dates listed in a 分解表 cell up to this many; more are only counted.
const LISTED: usize = 6;

/// What a 分解表 cell says of a task in one quarter or month: its due
/// dates there (`span`: 本季度, 本月), or its 频次 for a task without fixed
/// dates; `None` when nothing is due and the task is not active.
fn due_note(
    t: &Task,
    due: &[&chrono::NaiveDate],
    span: &str,
    done: &str,
    active: bool,
) -> Option<String> {
    let head = format!("{}.{}", t.no, t.name);
    if t.freq == Frequency::Open {
        return active.then(|| format!("{head}（{}）", t.frequency));
    }
    Some(match due.len() {
        0 => return None,
        1 => format!("{head}（{}前{done}）", md(due[0])),
        n if n <= LISTED => format!(
            "{head}（{}，{span}{n}次，{}前各完成1次）",
            t.frequency,
            due.iter().map(|d| md(d)).collect::<Vec<_>>().join("、")
        ),
        n => format!("{head}（{}，{span}{n}次）", t.frequency),
    })
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

/// Whether a task is active between two dates (inclusive).
fn active(t: &Task, from: chrono::NaiveDate, to: chrono::NaiveDate) -> bool {
    t.active.0 <= to && t.active.1 >= from
}

/// 季度任务分解: for each quarter of the period, the tasks due in it.
pub(super) fn quarterly(tasks: &[Task], p: Period) -> TableData {
    const Q: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];
    let rows = quarters(p.start.0, p.end.0)
        .into_iter()
        .map(|(y, q)| {
            let from = chrono::NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1).expect("valid date");
            let to = schedule::month_end(y, q * 3);
            let items: Vec<String> = tasks
                .iter()
                .filter_map(|t| {
                    let due: Vec<_> = t
                        .due
                        .iter()
                        .filter(|d| chrono::Datelike::year(*d) == y && schedule::quarter(**d) == q)
                        .collect();
                    due_note(t, &due, "本季度", "完成", active(t, from, to))
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
            let from = chrono::NaiveDate::from_ymd_opt(y, m, 1).expect("valid date");
            let to = schedule::month_end(y, m);
            let items: Vec<String> = tasks
                .iter()
                .filter_map(|t| {
                    let due: Vec<_> = t
                        .due
                        .iter()
                        .filter(|d| d.year() == y && d.month() == m)
                        .collect();
                    due_note(t, &due, "本月", "", active(t, from, to))
                })
                .collect();
            vec![format!("{y}年{m}月"), items.join("\n")]
        })
        .collect();
    (vec!["月份", "任务及完成时限"], rows, vec![2.0, 6.0])
}
