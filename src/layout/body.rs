//! 正文 blocks: paragraphs on the character grid, headings (told from
//! numbered sentences by their neighbours, or as the data marks them),
//! 纪要 attendance lines, 领导小组 member lists, tables (header rows and
//! merged cells checked to cover every column; a turned table is split into
//! pages by the template, which measures its rows) and charts.

use super::build::Builder;
use super::{BlockOut, CellOut, ChartBar};
use crate::compose::grid::{self, Measure, Span, LINE_PT, PITCH_PT};
use crate::compose::heading::{self, Level};
use crate::compose::names;
use crate::compose::punct;
use crate::model::notice::{Block, Body, Cell, Members, Table};
use crate::typeset::fonts::Role;

/// How a line of 正文 was given: as text (its level detected in context),
/// or marked by the data as a heading or a paragraph.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Given {
    Text,
    Heading,
    Paragraph,
}

impl Builder<'_> {
    pub(super) fn body(&mut self, path: &str, body: &Body) -> Vec<BlockOut> {
        let m = Measure::body(self.fonts);
        let mut out = Vec::new();
        let base = self.origin.place(path).map(|p| p.value_line);
        let blocks = body.blocks();
        // The run of text lines around each line, for telling headings from
        // numbered sentences: (block, line in block) → index in `flow`; a
        // table, chart or member list ends a run (None).
        let mut flow: Vec<Option<&str>> = Vec::new();
        let mut at: std::collections::HashMap<(usize, usize), usize> = Default::default();
        for (bi, block) in blocks.iter().enumerate() {
            let lines: Vec<&str> = match block {
                Block::Text(t) => t.lines().collect(),
                Block::Heading(h) => vec![h.heading.as_str()],
                Block::Paragraph(p) => vec![p.paragraph.as_str()],
                _ => {
                    flow.push(None);
                    continue;
                }
            };
            for (li, l) in lines.into_iter().enumerate() {
                if !l.trim().is_empty() {
                    at.insert((bi, li), flow.len());
                    flow.push(Some(l.trim()));
                }
            }
        }
        let around = |bi: usize, li: usize| -> (Option<&str>, Option<&str>) {
            let Some(&i) = at.get(&(bi, li)) else {
                return (None, None);
            };
            let prev = i.checked_sub(1).and_then(|j| flow[j]);
            let next = flow.get(i + 1).copied().flatten();
            (prev, next)
        };
        for (bi, block) in blocks.iter().enumerate() {
            let bpath = match body {
                Body::Text(_) => path.to_string(),
                Body::Blocks(_) => format!("{path}[{bi}]"),
            };
            let (text, given) = match block {
                Block::Text(t) => (t.as_str(), Given::Text),
                Block::Heading(h) => (h.heading.as_str(), Given::Heading),
                Block::Paragraph(p) => (p.paragraph.as_str(), Given::Paragraph),
                Block::Table(t) => {
                    out.push(self.table(&format!("{bpath}.table"), &t.table));
                    continue;
                }
                Block::Members(list) => {
                    out.extend(self.members(&format!("{bpath}.members"), &list.members, &m));
                    continue;
                }
                Block::Chart(c) => {
                    out.push(self.chart(&bpath, &c.chart));
                    continue;
                }
            };
            if given != Given::Text && text.trim().lines().count() > 1 {
                let key = if given == Given::Heading {
                    "heading"
                } else {
                    "paragraph"
                };
                self.error(
                    &format!("{bpath}.{key}"),
                    "这里只能写一行（一个标题或一段）。",
                    "几段文字分成几项写，或写在普通的正文里。",
                );
                continue;
            }
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
                if given == Given::Text {
                    if let Some(par) = self.attendance(&ppath, line.trim(), &m, out.last()) {
                        out.push(par);
                        continue;
                    }
                }
                let (prev, next) = around(bi, li);
                let mut p = heading::detect_in(prev, line.trim(), next);
                match given {
                    Given::Text => {}
                    Given::Heading => {
                        if p.level == Level::Para {
                            p.level = Level::Lead;
                        }
                        p.head = format!("{}{}", p.head, p.rest);
                        p.rest.clear();
                    }
                    Given::Paragraph => {
                        p.rest = format!("{}{}", p.head, p.rest);
                        p.head.clear();
                    }
                }
                if given == Given::Text && p.level != Level::Lead {
                    self.pasted(&ppath, line, all.get(li + 1).copied());
                }
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
                // punctuation, or a short one followed by its text) must
                // not end a page; numbered items (1. …；) are ordinary
                // paragraphs.
                let heading = matches!(p.level, Level::H1 | Level::H2 | Level::Lead)
                    && p.rest.is_empty()
                    && !p.head.is_empty()
                    && (given == Given::Heading
                        || !p.head.ends_with(['，', '：'])
                            && (!p.head.ends_with(['。', '；']) || next.is_some()));
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
        out
    }

    fn chart(&mut self, bpath: &str, c: &crate::model::notice::Chart) -> BlockOut {
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
        BlockOut::Chart {
            title,
            bars,
            unit: c.unit.clone().unwrap_or_else(|| "%".into()),
        }
    }

    /// A 领导小组 list (seed 003 篇4): each label (组长, 副组长, 成员) at the
    /// paragraph indent, the labels evened out with full-width spaces to the
    /// longest (“组　长：”, “副组长：”), the names after the colon, aligned
    /// under each other: several names one per line, a long name wrapped
    /// under its first character.
    fn members(&mut self, path: &str, list: &Members, m: &Measure) -> Vec<BlockOut> {
        let labels: Vec<String> = list
            .0
            .iter()
            .enumerate()
            .map(|(i, (l, _))| {
                let l = self.text(&format!("{path}[{i}]"), Role::Fang, l);
                l.trim_end_matches(['：', ':']).to_string()
            })
            .collect();
        let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        if widest > 8 {
            self.error(
                path,
                format!("名单的称谓最长 {widest} 个字，太长了（最多 8 个字）。"),
                "称谓写“组长”“副组长”“成员”等；职务写在姓名后的括号里，如“张三（街道党工委书记）”。",
            );
            return Vec::new();
        }
        let hang = 2.0 + widest as f64 + 1.0;
        // The last glyph of a run is not tracked: a little room for it.
        let width = LINE_PT - hang * PITCH_PT - 2.0 * m.tracking.abs();
        let mut out = Vec::new();
        for (i, ((_, names), label)) in list.0.iter().zip(&labels).enumerate() {
            let mut lines: Vec<String> = Vec::new();
            for (j, name) in names.iter().enumerate() {
                let name = self.text(&format!("{path}[{i}][{j}]"), Role::Fang, name);
                if name.is_empty() {
                    continue;
                }
                lines.extend(names::break_names(&name, m, width, width));
            }
            let label = format!("{}：", even_out(label, widest));
            let first = format!("{label}{}", lines.first().cloned().unwrap_or_default());
            let lines: Vec<Vec<Span>> = std::iter::once(first)
                .chain(lines.into_iter().skip(1))
                .map(|t| grid::spans_of(&t, Role::Fang))
                .collect();
            out.push(BlockOut::Par {
                indent: true,
                heading: false,
                hang,
                blank_before: false,
                lines,
            });
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
        let header_path = if t.header.is_empty() {
            "columns"
        } else {
            "header"
        };
        if !t.columns.is_empty() && !t.header.is_empty() {
            self.error(
                &format!("{path}.header"),
                "表格的 columns 和 header 只能写一个。",
                "一行表头写 columns: [序号, 任务, …]；两行以上或有合并的表头写 header。",
            );
        }
        let head_cells: Vec<Vec<Cell>> = if t.header.is_empty() {
            if t.columns.is_empty() {
                Vec::new()
            } else {
                vec![t.columns.iter().map(Cell::new).collect()]
            }
        } else {
            t.header.clone()
        };
        let text_of = |b: &mut Self, path: String, role: Role, c: &Cell| CellOut {
            text: b.text(&path, role, &c.text),
            rowspan: c.rowspan,
            colspan: c.colspan,
        };
        let header: Vec<Vec<CellOut>> = head_cells
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                r.iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        let p = if t.header.is_empty() {
                            format!("{path}.columns[{ci}]")
                        } else {
                            format!("{path}.header[{ri}][{ci}]")
                        };
                        text_of(self, p, Role::Hei, c)
                    })
                    .collect()
            })
            .collect();
        // The number of columns: what the first header row covers.
        let columns: usize = head_cells
            .first()
            .map(|r| r.iter().map(|c| c.colspan).sum())
            .unwrap_or(0);
        if columns == 0 {
            self.error(
                &format!("{path}.{header_path}"),
                "表格没有列。",
                "在 columns 下列出表头，如 [序号, 任务, 责任单位]。",
            );
        }
        let rows: Vec<Vec<CellOut>> = t
            .rows
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                r.iter()
                    .enumerate()
                    .map(|(ci, c)| text_of(self, format!("{path}.rows[{ri}][{ci}]"), Role::Fang, c))
                    .collect()
            })
            .collect();
        let mut groups = Vec::new();
        if columns > 0 {
            let head_path = |ri: usize| {
                if t.header.is_empty() {
                    format!("{path}.columns")
                } else {
                    format!("{path}.header[{ri}]")
                }
            };
            self.cover(&head_cells, columns, &head_path, "表头");
            groups = self.cover(&t.rows, columns, &|ri| format!("{path}.rows[{ri}]"), "表格");
        }
        if !t.widths.is_empty() && t.widths.len() != columns {
            self.error(
                &format!("{path}.widths"),
                "列宽的个数和列数不一致。",
                "widths 的个数要和 columns 一样多。",
            );
        }
        if t.widths.iter().any(|w| !w.is_finite() || *w <= 0.0) {
            self.error(
                &format!("{path}.widths"),
                "列宽要写大于 0 的数。",
                "widths 写各列的相对宽度，如 [1, 3, 2]。",
            );
        }
        let title = t
            .title
            .as_ref()
            .map(|s| self.text(&format!("{path}.title"), Role::Hei, s));
        // A turned table is laid out a page at a time: its columns must not
        // depend on which rows share a page, so they get widths here.
        let widths = if t.landscape && t.widths.len() != columns {
            content_widths(&header, &rows, columns)
        } else {
            t.widths.clone()
        };
        BlockOut::Table {
            field: path.to_string(),
            title,
            header,
            rows,
            columns,
            widths,
            landscape: t.landscape,
            groups,
        }
    }

    /// Checks that every row of `rows` covers exactly `columns` columns,
    /// counting merged cells and the cells merged down from rows above, and
    /// that no merged cell runs past the last row. Returns the groups of rows
    /// a merged cell joins, `[start, end)`.
    fn cover(
        &mut self,
        rows: &[Vec<Cell>],
        columns: usize,
        path: &dyn Fn(usize) -> String,
        what: &str,
    ) -> Vec<(usize, usize)> {
        // Rows still covered by a cell merged down from above, per column.
        let mut carry = vec![0usize; columns];
        let mut groups = Vec::new();
        let mut start = 0;
        for (ri, row) in rows.iter().enumerate() {
            let mut next = vec![0usize; columns];
            let mut col = 0;
            let mut covered = carry.iter().filter(|c| **c > 0).count();
            let mut over = false;
            for c in row {
                while col < columns && carry[col] > 0 {
                    col += 1;
                }
                if col + c.colspan > columns || carry[col..col + c.colspan].iter().any(|x| *x > 0) {
                    over = true;
                    covered += c.colspan;
                    col += c.colspan;
                    continue;
                }
                for n in &mut next[col..col + c.colspan] {
                    *n = c.rowspan;
                }
                covered += c.colspan;
                col += c.colspan;
            }
            let merged =
                row.iter().any(|c| c.colspan > 1 || c.rowspan > 1) || carry.iter().any(|c| *c > 0);
            if over || covered > columns {
                let msg = if merged {
                    format!("这一行有 {} 格（算上合并的格占 {covered} 列），但{what}只有 {columns} 列。", row.len())
                } else {
                    format!("这一行有 {} 格，但表头只有 {columns} 列。", row.len())
                };
                self.error(
                    &path(ri),
                    msg,
                    "删去多余的格，或在表头里补上列名；合并的格所跨的列也算在内。",
                );
            } else if covered < columns {
                self.error(
                    &path(ri),
                    format!(
                        "这一行有 {} 格，{what}有 {columns} 列，少了 {} 格（合并的格按所跨的行、列计算）。",
                        row.len(),
                        columns - covered
                    ),
                    "补上缺的格（空格写 \"\"），或把相邻的格写成 {text: …, colspan: 2} 合并。",
                );
            }
            for (k, n) in next.iter().enumerate() {
                carry[k] = carry[k].saturating_sub(1).max(n.saturating_sub(1));
            }
            if carry.iter().all(|c| *c == 0) {
                groups.push((start, ri + 1));
                start = ri + 1;
            }
        }
        if carry.iter().any(|c| *c > 0) {
            let last = rows.len().saturating_sub(1);
            self.error(
                &path(last),
                format!("有合并的格跨行超出了{what}的最后一行。"),
                "把 rowspan 改小，使合并的格不超过最后一行。",
            );
            groups.push((start, rows.len()));
        }
        groups
    }
}

/// Relative widths from the longest line of each column's cells (merged
/// cells spread over their columns), between 2 and 16 characters: a turned
/// table without `widths`.
fn content_widths(header: &[Vec<CellOut>], rows: &[Vec<CellOut>], columns: usize) -> Vec<f64> {
    let mut w = vec![2.0f64; columns];
    // Cells are placed left to right, skipping columns merged from above.
    for table in [header, rows] {
        let mut carry = vec![0usize; columns];
        for row in table {
            let mut next = vec![0usize; columns];
            let mut col = 0;
            for c in row {
                while col < columns && carry[col] > 0 {
                    col += 1;
                }
                if col + c.colspan > columns {
                    break;
                }
                let longest = c
                    .text
                    .split('\n')
                    .map(|l| {
                        l.chars()
                            .map(|ch| if punct::is_cjk(ch) { 1.0 } else { 0.55 })
                            .sum::<f64>()
                    })
                    .fold(0.0, f64::max);
                let each = (longest / c.colspan as f64).min(16.0);
                for k in col..col + c.colspan {
                    w[k] = w[k].max(each);
                    next[k] = c.rowspan;
                }
                col += c.colspan;
            }
            for (k, n) in next.iter().enumerate() {
                carry[k] = carry[k].saturating_sub(1).max(n.saturating_sub(1));
            }
        }
    }
    w
}

/// A label spread to `width` characters with full-width spaces between its
/// characters (“组长” → “组　长” beside “副组长”).
fn even_out(label: &str, width: usize) -> String {
    let chars: Vec<char> = label.chars().collect();
    let n = chars.len();
    if n == 0 || n >= width {
        return label.to_string();
    }
    let gaps = (n - 1).max(1);
    let spaces = width - n;
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        if i < gaps && (n > 1 || i == 0) {
            // Spread the spaces over the gaps, the first gaps taking the rest.
            let k = spaces / gaps + usize::from(i < spaces % gaps);
            out.extend(std::iter::repeat_n('\u{3000}', k));
        }
    }
    out
}
