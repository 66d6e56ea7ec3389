//! 正文 blocks: paragraphs on the character grid, headings, 纪要
//! attendance lines, tables (turned ones split into pages) and charts.

use super::build::Builder;
use super::{BlockOut, ChartBar};
use crate::compose::grid::{self, Measure, Span, LINE_PT, PITCH_PT};
use crate::compose::heading::{self, Level};
use crate::compose::names;
use crate::compose::punct;
use crate::geometry::{BODY_HEIGHT_MM, BODY_WIDTH_MM, MM_PER_PT};
use crate::model::notice::{Block, Body, Table};
use crate::typeset::fonts::Role;

impl Builder<'_> {
    pub(super) fn body(&mut self, path: &str, body: &Body) -> Vec<BlockOut> {
        let m = Measure::body(self.fonts);
        let mut out = Vec::new();
        let base = self.origin.place(path).map(|p| p.value_line);
        for (bi, block) in body.blocks().iter().enumerate() {
            let bpath = match body {
                Body::Text(_) => path.to_string(),
                Body::Blocks(_) => format!("{path}[{bi}]"),
            };
            match block {
                Block::Text(text) => {
                    let all: Vec<&str> = text.lines().collect();
                    for (li, line) in all.iter().copied().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        let ppath = match body {
                            Body::Text(_) => format!("{bpath}（第{}段）", li + 1),
                            Body::Blocks(_) => bpath.clone(),
                        };
                        let before = self.diags.len();
                        if let Some(par) = self.attendance(&ppath, line.trim(), &m, out.last()) {
                            out.push(par);
                            continue;
                        }
                        self.pasted(&ppath, line, all.get(li + 1).copied());
                        let p = heading::detect(line.trim());
                        let head = self.text(&ppath, p.level.role(), &p.head);
                        let rest = self.text(&ppath, Role::Fang, &p.rest);
                        if let Some(l) = p.lint {
                            self.warn(&ppath, format!("{l}（GW-B-22），已自动改正。"));
                        }
                        // Pin paragraph diagnostics on their own line of a block scalar.
                        if let (Body::Text(_), Some(b)) = (body, base) {
                            for d in &mut self.diags[before..] {
                                d.line = Some(b + li);
                                d.column = Some(1);
                            }
                        }
                        let mut spans = Vec::new();
                        if !head.is_empty() {
                            spans.push((p.level.role(), head));
                        }
                        if !rest.is_empty() {
                            spans.push((Role::Fang, rest));
                        }
                        // A title-like heading line (一、/（一）, no sentence
                        // punctuation) must not end a page; numbered items
                        // (1. …；) are ordinary paragraphs.
                        let heading = matches!(p.level, Level::H1 | Level::H2)
                            && p.rest.is_empty()
                            && !p.head.ends_with(['。', '；', '，', '：']);
                        let lines = grid::break_lines(&spans, &m, LINE_PT, 2.0 * PITCH_PT, 0.0);
                        out.push(BlockOut::Par {
                            indent: true,
                            heading,
                            hang: 0.0,
                            blank_before: false,
                            lines,
                        });
                    }
                }
                Block::Table(t) => out.push(self.table(&format!("{bpath}.table"), &t.table)),
                Block::Chart(c) => {
                    let c = &c.chart;
                    let title = c
                        .title
                        .as_ref()
                        .map(|t| self.text(&format!("{bpath}.chart.title"), Role::Hei, t));
                    let max = c.max.unwrap_or(100.0).max(1e-9);
                    let bars = c
                        .bars
                        .iter()
                        .enumerate()
                        .map(|(i, b)| ChartBar {
                            label: self.text(
                                &format!("{bpath}.chart.bars[{i}].label"),
                                Role::Fang,
                                &b.label,
                            ),
                            value: b.value,
                            share: (b.value / max).clamp(0.0, 1.0),
                        })
                        .collect();
                    out.push(BlockOut::Chart {
                        title,
                        bars,
                        unit: c.unit.clone().unwrap_or_else(|| "%".into()),
                    });
                }
            }
        }
        out
    }

    /// What text pasted from Word or a PDF leaves: a sentence cut at the end
    /// of a printed line (the rest became the next paragraph) and spaces
    /// between Chinese characters. Both would print as they are.
    fn pasted(&mut self, path: &str, line: &str, next: Option<&str>) {
        if let Some(next) = next.filter(|n| heading::hard_wrapped(line, n)) {
            let tail: String = {
                let c: Vec<char> = line.trim_end().chars().collect();
                c[c.len().saturating_sub(8)..].iter().collect()
            };
            let head: String = next.trim().chars().take(8).collect();
            self.warn(
                path,
                format!(
                    "这一段没有以标点结尾，下一段像是它的后半句（“…{tail}”｜“{head}…”），会被排成两段。从 PDF 或网页复制的文字常在每行末尾断开：请把两行接成一行，或运行 `gongwen check --fix 文件名` 自动接好。"
                ),
            );
        }
        let gaps = punct::stray_spaces(line);
        if !gaps.is_empty() {
            let shown: Vec<String> = gaps.iter().take(3).map(|g| format!("“{g}”")).collect();
            self.warn(
                path,
                format!(
                    "汉字之间有 {} 处空格，会照样印出空白：{}。请删去，或运行 `gongwen check --fix 文件名` 自动删去。",
                    gaps.len(),
                    shown.join("、")
                ),
            );
        }
    }

    /// 纪要 attendance (GW-S-21): “出席” in 黑体, names in 仿宋 aligned after
    /// the colon; one blank line before the first such line.
    fn attendance(
        &mut self,
        path: &str,
        line: &str,
        m: &Measure,
        prev: Option<&BlockOut>,
    ) -> Option<BlockOut> {
        if !self.minutes {
            return None;
        }
        let label = ["出席", "请假", "列席"]
            .into_iter()
            .find(|l| line.starts_with(l))?;
        let rest = line[label.len()..].trim_start();
        let names = rest.strip_prefix(['：', ':'])?.trim();
        let names = self.text(path, Role::Fang, names);
        let is_attendance = |b: &BlockOut| matches!(b, BlockOut::Par { hang, .. } if *hang > 0.0);
        let blank_before = !prev.is_some_and(is_attendance);
        let head = format!("{label}：");
        let hang = 2.0 + 3.0;
        // Names are never split (“陈立／峰”); each line is one run or two,
        // whose last glyphs are not tracked.
        let slack = 2.0 * m.tracking.abs();
        let first = LINE_PT - hang * PITCH_PT - slack;
        let mut lines: Vec<Vec<Span>> = names::break_names(&names, m, first, first)
            .into_iter()
            .map(|t| grid::spans_of(&t, Role::Fang))
            .collect();
        if let Some(l) = lines.first_mut() {
            l.insert(0, Span::new(head, Role::Hei));
        }
        Some(BlockOut::Par {
            indent: true,
            heading: false,
            hang,
            blank_before,
            lines,
        })
    }

    fn table(&mut self, path: &str, t: &Table) -> BlockOut {
        let columns: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| self.text(&format!("{path}.columns[{i}]"), Role::Hei, c))
            .collect();
        if columns.is_empty() {
            self.error(
                &format!("{path}.columns"),
                "表格没有列。",
                "在 columns 下列出表头，如 [序号, 任务, 责任单位]。",
            );
        }
        let mut rows = Vec::new();
        for (ri, r) in t.rows.iter().enumerate() {
            if r.len() > columns.len() {
                self.error(
                    &format!("{path}.rows[{ri}]"),
                    format!("这一行有 {} 格，但表头只有 {} 列。", r.len(), columns.len()),
                    "删去多余的格，或在 columns 里补上列名。",
                );
            }
            let mut row: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(ci, c)| self.text(&format!("{path}.rows[{ri}][{ci}]"), Role::Fang, &c.0))
                .collect();
            row.resize(columns.len(), String::new());
            rows.push(row);
        }
        if !t.widths.is_empty() && t.widths.len() != columns.len() {
            self.error(
                &format!("{path}.widths"),
                "列宽的个数和列数不一致。",
                "widths 的个数要和 columns 一样多。",
            );
        }
        let title = t
            .title
            .as_ref()
            .map(|s| self.text(&format!("{path}.title"), Role::Hei, s));
        let pages = if t.landscape {
            landscape_pages(&columns, &rows, &t.widths, title.is_some())
        } else {
            Vec::new()
        };
        BlockOut::Table {
            title,
            columns,
            rows,
            widths: t.widths.clone(),
            landscape: t.landscape,
            pages,
        }
    }
}

/// Splits a turned table's rows into pages that each end on a whole row
/// (GW-S-31): the turned 版心 is 225 mm wide and 156 mm high; cells are set
/// in 12 pt (小四) with 1.6 mm padding, so a row's height follows from its
/// longest cell wrapped in its column.
pub fn landscape_pages(
    columns: &[String],
    rows: &[Vec<String>],
    widths: &[f64],
    titled: bool,
) -> Vec<Vec<Vec<String>>> {
    let n = columns.len().max(1);
    let weights: Vec<f64> = if widths.len() == n {
        widths.to_vec()
    } else {
        vec![1.0; n]
    };
    let total: f64 = weights.iter().sum::<f64>().max(1e-9);
    let col_mm: Vec<f64> = weights
        .iter()
        .map(|w| BODY_HEIGHT_MM * w / total - 3.2)
        .collect();
    let line = 12.0 * MM_PER_PT * 1.5;
    let height = |cells: &[String], size: f64| -> f64 {
        let lines = cells
            .iter()
            .zip(&col_mm)
            .map(|(c, w)| {
                c.split('\n')
                    .map(|part| {
                        let units: f64 = part
                            .chars()
                            .map(|ch| if punct::is_cjk(ch) { 1.0 } else { 0.55 })
                            .sum();
                        (units * size * MM_PER_PT / w.max(5.0)).ceil().max(1.0)
                    })
                    .sum::<f64>()
            })
            .fold(1.0, f64::max);
        lines * line + 3.2
    };
    let head = height(columns, 12.0);
    let budget = BODY_WIDTH_MM - 4.0;
    let mut pages: Vec<Vec<Vec<String>>> = Vec::new();
    let mut used = f64::MAX;
    for r in rows {
        let h = height(r, 12.0);
        let first = pages.is_empty();
        let room = budget - if first && titled { 10.0 } else { 0.0 };
        if used + h > room {
            pages.push(Vec::new());
            used = head;
        }
        used += h;
        pages.last_mut().expect("pushed above").push(r.clone());
    }
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}
