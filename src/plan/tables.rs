//! The tables of a plan, computed from its tasks: 任务清单, 责任清单 and the
//! 季度/月度任务分解 with due dates on the real calendar.

use super::schedule::{self, months, quarters, Frequency};
use super::{Period, Task};
use crate::model::date::Date;
use crate::model::notice::{Block, Cell, Table, TableBlock};

pub(super) fn table_block(
    title: &str,
    (columns, rows, widths): TableData,
    landscape: bool,
) -> Block {
    Block::Table(TableBlock {
        table: Table {
            title: Some(title.to_string()),
            columns: columns.into_iter().map(String::from).collect(),
            header: Vec::new(),
            rows,
            widths,
            landscape,
        },
    })
}

type TableData = (Vec<&'static str>, Vec<Vec<Cell>>, Vec<f64>);

fn cells(row: Vec<String>) -> Vec<Cell> {
    row.into_iter().map(Cell::new).collect()
}

/// 任务清单 (GW-S-41 columns plus 举措 and 频次).
pub(super) fn task_list(tasks: &[Task]) -> TableData {
    let rows = tasks
        .iter()
        .map(|t| {
            cells(vec![
                t.no.to_string(),
                t.name.clone(),
                t.measures.clone(),
                t.lead.clone(),
                t.responsible.clone(),
                deadline_text(t),
                t.frequency.clone(),
            ])
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

/// The people (or units) a 责任单位（人） names: “姜某某、董某某” is two,
/// “各村（居、社区）” one (separators inside brackets do not count).
pub(super) fn persons(who: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in who.chars() {
        match c {
            '（' | '(' | '《' | '〔' | '“' => depth += 1,
            '）' | ')' | '》' | '〕' | '”' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／') {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    let mut seen = Vec::new();
    for p in out
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
    {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen
}

/// 责任清单: for each person (or unit), in the order they first appear,
/// the tasks they answer for, one row each with its deadline; the person's
/// cell is merged over their rows.
pub(super) fn responsibility_list(tasks: &[Task]) -> TableData {
    let mut by: Vec<(String, Vec<&Task>)> = Vec::new();
    for t in tasks {
        let who = if t.responsible.trim().is_empty() {
            &t.lead
        } else {
            &t.responsible
        };
        for p in persons(who) {
            match by.iter_mut().find(|(q, _)| *q == p) {
                Some((_, list)) => list.push(t),
                None => by.push((p, vec![t])),
            }
        }
    }
    let mut rows = Vec::new();
    for (who, list) in by {
        for (i, t) in list.iter().enumerate() {
            let mut row = Vec::new();
            if i == 0 {
                row.push(Cell::new(who.clone()).down(list.len()));
            }
            row.extend(cells(vec![
                t.no.to_string(),
                t.name.clone(),
                deadline_text(t),
            ]));
            rows.push(row);
        }
    }
    (
        vec!["责任单位（人）", "序号", "承担的任务", "完成时限"],
        rows,
        vec![1.6, 0.8, 3.2, 2.4],
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
            cells(vec![
                format!("{y}年{}", Q[(q - 1) as usize]),
                items.join("\n"),
            ])
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
            cells(vec![format!("{y}年{m}月"), items.join("\n")])
        })
        .collect();
    (vec!["月份", "任务及完成时限"], rows, vec![2.0, 6.0])
}

#[cfg(test)]
mod tests {
    #[test]
    fn persons_are_split_between_names_not_inside_brackets() {
        assert_eq!(super::persons("姜某某、董某某"), ["姜某某", "董某某"]);
        assert_eq!(super::persons("董某某、各网格员"), ["董某某", "各网格员"]);
        assert_eq!(super::persons("各村（居、社区）"), ["各村（居、社区）"]);
        assert_eq!(super::persons("甲，乙；甲"), ["甲", "乙"]);
        assert!(super::persons(" ").is_empty());
    }
}
