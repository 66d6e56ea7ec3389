//! Which paragraph of a draft is which part of a 公文, read from the text
//! and its place as a clerk lays a draft out: 红头 and 发文字号 at the top,
//! the 标题 (centred) before the 主送 (ending with “：”), the 正文, the
//! 附件说明, the 署名 and 成文日期, a 附注 in parentheses, and the 版记
//! (抄送, 印发) at the end.

use crate::compose::heading::{self, Level};
use crate::compose::punct;
use crate::model::date::Date;
use crate::model::notice::KINDS;
use crate::model::number::DocNumber;

/// One paragraph of the draft (a .docx paragraph or a .txt line).
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// 1-based paragraph (or line) number in the draft.
    pub no: usize,
    pub text: String,
    pub centred: bool,
    pub right: bool,
    /// The number was Word's automatic numbering.
    pub auto: bool,
    /// Inside a table: (table, row, cell), 1-based.
    pub cell: Option<(usize, usize, usize)>,
    /// Set large or bold: a title candidate when nothing is centred.
    pub big: bool,
    /// The text before cleaning (the title keeps spaces between organs).
    pub raw: String,
}

/// What was recognised: the fields of a notice as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub kind: String,
    pub urgency: Option<String>,
    pub issuer: Option<String>,
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub title: String,
    pub to: Option<String>,
    pub body: Vec<String>,
    /// Simple tables of the 正文: (body paragraph they come before,
    /// header row, rows).
    pub tables: Vec<(usize, Vec<String>, Vec<Vec<String>>)>,
    pub attachment_note: Vec<String>,
    pub signature: Vec<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub note: Option<String>,
    pub enclosure: Option<(String, Vec<String>)>,
    pub attachments: Vec<(String, Vec<String>)>,
    pub cc: Option<String>,
    pub printer: Option<String>,
    pub print_date: Option<String>,
}

/// The recognition report, in Chinese.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Which paragraph became which field.
    pub found: Vec<String>,
    /// What gongwen was not sure of (printed as warnings by render/check).
    pub unsure: Vec<String>,
    /// Text changed while importing (punctuation, spaces, soft breaks).
    pub changes: Vec<String>,
}

/// A paragraph named for a clerk: “第 3 段“关于做好……””.
pub fn cite(no: usize, text: &str) -> String {
    let short: String = text.chars().take(16).collect();
    let more = if text.chars().count() > 16 {
        "……"
    } else {
        ""
    };
    format!("第 {no} 段“{short}{more}”")
}

/// Cleans one paragraph's text as `check --fix` would: soft breaks joined,
/// tabs and stray spaces between Chinese removed, half-width punctuation
/// next to Chinese made full-width. Returns the text and what changed.
pub fn clean(raw: &str, title: bool) -> (String, Vec<String>) {
    let mut what = Vec::new();
    let mut t = String::new();
    let chars: Vec<char> = raw.chars().collect();
    let mut soft = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\u{B}' || c == '\u{2028}' {
            soft += 1;
            let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(chars[..i].last()) && latin(chars.get(i + 1)) {
                t.push(' ');
            }
            continue;
        }
        t.push(if c == '\t' { ' ' } else { c });
    }
    if soft > 0 {
        what.push(format!("{soft} 处手动换行接上"));
    }
    let trimmed = t.trim_matches(|c: char| punct::is_space(c) || c == '\t');
    let mut v = trimmed.to_string();
    // Punctuation first: “到岗, 不得” leaves a space after the “，”.
    let (norm, marks) = punct::normalise(&v);
    if !marks.is_empty() {
        what.extend(marks);
        v = norm;
    }
    let (text, gaps) = punct::drop_pasted_spaces(&v, title);
    if !gaps.is_empty() {
        what.push(format!("删去汉字之间的空格（{}）", gaps.join("、")));
        v = text;
    }
    (v, what)
}

/// A line that is a date and nothing else: `2024年5月20日`,
/// `二〇二四年五月二十日`, `2024-05-20`. `Some(Err)` for a date that does
/// not exist.
pub fn date_line(s: &str) -> Option<Result<String, String>> {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    if t.is_empty() || t.chars().count() > 16 {
        return None;
    }
    let digits = if t.contains('年') {
        let (y, rest) = t.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))?;
        format!("{}-{}-{}", year(y)?, small(m)?, small(d)?)
    } else {
        let parts: Vec<&str> = t.split(['-', '.', '/']).collect();
        if parts.len() != 3
            || parts[0].len() != 4
            || !parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        parts.join("-")
    };
    Some(match Date::parse(&digits) {
        Ok(d) => Ok(d.0.format("%Y-%m-%d").to_string()),
        Err(e) => Err(e),
    })
}

fn digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or_else(|| (c == '零' || c == 'O' || c == '○').then_some(0))
        .or_else(|| c.to_digit(10))
}

fn year(y: &str) -> Option<String> {
    if y.chars().count() != 4 {
        return None;
    }
    y.chars()
        .map(|c| digit(c).and_then(|d| char::from_digit(d, 10)))
        .collect()
}

/// 1–31 in Arabic or Chinese numerals (五, 十二, 二十一).
fn small(s: &str) -> Option<u32> {
    if !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let c: Vec<char> = s.chars().collect();
    let n = match c.as_slice() {
        [a] if *a == '十' => 10,
        [a] => digit(*a)?,
        ['十', b] => 10 + digit(*b)?,
        [a, '十'] => digit(*a)? * 10,
        [a, '十', b] => digit(*a)? * 10 + digit(*b)?,
        _ => return None,
    };
    (1..=31).contains(&n).then_some(n)
}

/// “县政府办公室　　2024年5月21日印发” → (印发机关, date).
fn print_line(s: &str) -> Option<(String, Result<String, String>)> {
    let t = s.trim().strip_suffix("印发")?;
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for &(i, c) in &chars {
        if digit(c).is_none() {
            continue;
        }
        if let Some(d) = date_line(&t[i..]) {
            let printer = t[..i]
                .trim_matches(|c: char| punct::is_space(c) || c == '\t')
                .to_string();
            if printer.is_empty() {
                return None;
            }
            return Some((printer, d));
        }
    }
    None
}

/// Whether a short line ends like the name of an organ (政府, 委员会, 局 …).
fn organ_name(s: &str) -> bool {
    s.ends_with(|c: char| "府会室局委部厅处道心司校院所站队组乡镇村区联社行".contains(c))
}

fn is_sentence(s: &str) -> bool {
    s.contains(['。', '，', '；', '：', '！', '？', ',', ';', ':'])
}

/// A 发文字号 line, maybe with “签发人：…” on it.
fn number_line(s: &str) -> Option<(String, Option<String>)> {
    let (num, signer) = match s.find("签发人") {
        Some(i) => (s[..i].trim(), Some(s[i..].to_string())),
        None => (s.trim(), None),
    };
    let num: String = num.chars().filter(|c| !punct::is_space(*c)).collect();
    let looks = num.ends_with('号')
        && num.chars().count() <= 30
        && num.contains(['〔', '[', '［', '（', '(', '【', '﹝'])
        && num.chars().any(|c| c.is_ascii_digit());
    looks.then_some((num, signer))
}

fn signers(s: &str) -> Vec<String> {
    let rest = s
        .trim_start_matches("签发人")
        .trim_start_matches(['：', ':'])
        .trim();
    rest.split(|c: char| punct::is_space(c) || c == '、' || c == '，')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn level_name(text: &str) -> Option<&'static str> {
    match heading::detect(text).level {
        Level::Para => None,
        Level::H1 => Some("一级标题（黑体）"),
        Level::H2 => Some("二级标题（楷体）"),
        Level::H3 => Some("三级标题"),
        Level::Lead => Some("小标题（黑体）"),
        Level::H4 => Some("四级标题"),
    }
}

/// The heading marker at the start of an attachment item (“1.”, “2、”).
fn strip_item_number(s: &str) -> &str {
    let d = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if d > 0 {
        let rest = &s[d..];
        for m in ['.', '．', '、'] {
            if let Some(r) = rest.strip_prefix(m) {
                return r.trim_start();
            }
        }
    }
    s
}

fn is_attachment_label(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    let Some(rest) = t.strip_prefix("附件") else {
        return false;
    };
    rest.chars().all(|c| c.is_ascii_digit()) || rest == "："
}

/// Recognises the parts of a draft from its cleaned, non-empty lines.
pub fn recognise(lines: Vec<Line>) -> (Draft, Report) {
    let mut d = Draft::default();
    let mut rep = Report::default();
    // Tables: taken out of the flow; simple ones go back into the 正文.
    let mut lines_out: Vec<Line> = Vec::new();
    let mut tables: Vec<(usize, Vec<Line>)> = Vec::new();
    for l in lines {
        match l.cell {
            Some((t, ..)) => match tables.last_mut() {
                Some((_, cells)) if cells[0].cell.map(|c| c.0) == Some(t) => cells.push(l),
                _ => tables.push((l.no, vec![l])),
            },
            None if l.text.trim().is_empty() => {}
            None => lines_out.push(l),
        }
    }
    let mut l: Vec<Line> = lines_out;
    // Clean every line; the title's organ names keep their spaces.
    for x in l.iter_mut() {
        x.raw = x.text.clone();
        let (t, what) = clean(&x.text, false);
        if !what.is_empty() {
            rep.changes
                .push(format!("{}：{}", cite(x.no, &t), what.join("；")));
        }
        x.text = t;
    }
    l.retain(|x| !x.text.is_empty());
    let mut j = l.len();

    // 版记, from the end.
    if j > 0 {
        if let Some((printer, date)) = print_line(&l[j - 1].text) {
            rep.found.push(format!(
                "印发机关和印发日期（版记）：{}",
                cite(l[j - 1].no, &l[j - 1].text)
            ));
            d.printer = Some(printer);
            match date {
                Ok(x) => d.print_date = Some(x),
                Err(e) => rep
                    .unsure
                    .push(format!("{}：{e}", cite(l[j - 1].no, &l[j - 1].text))),
            }
            j -= 1;
        }
    }
    while j > 0 {
        let t = &l[j - 1].text;
        if let Some(rest) = t.strip_prefix("抄送") {
            let rest = rest.trim_start_matches(['：', ':']).trim();
            d.cc = Some(rest.trim_end_matches('。').to_string());
            rep.found
                .push(format!("抄送（版记）：{}", cite(l[j - 1].no, t)));
            j -= 1;
        } else {
            break;
        }
    }

    // 版头, from the start.
    let mut i = 0;
    while i < j {
        let t = l[i].text.clone();
        let no = l[i].no;
        if i == 0 && ["特急", "加急", "特提", "平急"].contains(&t.as_str()) {
            d.urgency = Some(t.clone());
            rep.found.push(format!("紧急程度：{}", cite(no, &t)));
        } else if d.issuer.is_none()
            && d.number.is_none()
            && t.ends_with("文件")
            && t.chars().count() <= 40
            && !is_sentence(&t)
        {
            d.issuer = Some(t.clone());
            rep.found.push(format!("发文机关标志：{}", cite(no, &t)));
        } else if d.issuer.is_none()
            && d.number.is_none()
            && l[i].centred
            && t.chars().count() <= 40
            && !is_sentence(&t)
            && l.get(i + 1).is_some_and(|n| number_line(&n.text).is_some())
        {
            // 信函: the organ's name alone, then the 发文字号.
            d.issuer = Some(t.clone());
            rep.found.push(format!("发文机关标志：{}", cite(no, &t)));
        } else if let Some((num, signer)) = number_line(&t).filter(|_| d.number.is_none()) {
            match DocNumber::parse(&num) {
                Ok(n) => {
                    d.number = Some(n.display());
                    rep.found.push(format!("发文字号：{}", cite(no, &t)));
                }
                Err(e) => rep
                    .unsure
                    .push(format!("{}像是发文字号，但没有导入：{e}", cite(no, &t))),
            }
            if let Some(s) = signer {
                d.signers = signers(&s);
                rep.found.push(format!("签发人：{}", cite(no, &t)));
            }
        } else if t.starts_with("签发人") && d.signers.is_empty() {
            d.signers = signers(&t);
            rep.found.push(format!("签发人：{}", cite(no, &t)));
        } else {
            break;
        }
        i += 1;
    }

    // 标题 and 主送.
    let to_at = (i + 1..j.min(i + 6)).find(|&k| {
        let t = &l[k].text;
        t.ends_with('：')
            && t.chars().count() <= 300
            && level_name(t).is_none()
            && !t.starts_with("附件")
            && l[i..k].iter().all(|x| !x.text.ends_with(['。', '：']))
    });
    let body_from;
    let title_lines: Vec<&Line> = match to_at {
        Some(k) => {
            let t = &l[k].text;
            d.to = Some(t.trim_end_matches('：').to_string());
            rep.found.push(format!("主送机关：{}", cite(l[k].no, t)));
            body_from = k + 1;
            l[i..k].iter().collect()
        }
        None => {
            let mut centred: Vec<&Line> =
                l[i..j].iter().take_while(|x| x.centred).take(3).collect();
            if centred.is_empty() {
                centred = l[i..j].iter().take_while(|x| x.big).take(3).collect();
            }
            let take = if centred.is_empty() {
                if i < j {
                    rep.unsure.push(format!(
                        "没有居中的段落，把{}当作标题",
                        cite(l[i].no, &l[i].text)
                    ));
                }
                l[i..j].iter().take(1).collect()
            } else {
                centred
            };
            rep.unsure.push(
                "没有找到主送机关（标题后面以“：”结尾的一段）。若有主送机关，在 YAML 里写 to: …"
                    .to_string(),
            );
            body_from = i + take.len();
            take
        }
    };
    if title_lines.is_empty() {
        rep.unsure
            .push("没有找到标题。请在 YAML 的 title 里写上标题".to_string());
    } else {
        let raw: String = title_lines
            .iter()
            .map(|x| {
                x.raw
                    .trim_matches(|c: char| punct::is_space(c) || c == '\t')
            })
            .collect();
        let (t, what) = clean(&raw, true);
        d.title = t;
        let nos: Vec<String> = title_lines.iter().map(|x| x.no.to_string()).collect();
        rep.found.push(format!(
            "标题：第 {} 段“{}”{}",
            nos.join("、"),
            d.title,
            if title_lines.len() > 1 {
                format!(
                    "（{} 段合成一行，由 gongwen 按规则断行）",
                    title_lines.len()
                )
            } else {
                String::new()
            }
        ));
        if title_lines.len() > 3 {
            rep.unsure.push(format!(
                "标题由 {} 段合成，可能把正文也算进了标题，请核对",
                title_lines.len()
            ));
        }
        if !what.is_empty() {
            rep.changes.push(format!("标题：{}", what.join("；")));
        }
    }
    d.kind = KINDS
        .iter()
        .filter(|k| d.title.ends_with(**k))
        .max_by_key(|k| k.len())
        .map(|k| k.to_string())
        .unwrap_or_else(|| {
            if d.title.ends_with('令') {
                "命令".to_string()
            } else {
                if !d.title.is_empty() {
                    rep.unsure.push(format!(
                        "从标题看不出文种，按“通知”导入。请在 YAML 里改 kind（可选：{}）",
                        KINDS.join("、")
                    ));
                }
                "通知".to_string()
            }
        });

    // 成文日期 and 署名.
    let date_at = (body_from..j).find(|&k| date_line(&l[k].text).is_some());
    let mut body_to = date_at.unwrap_or(j);
    if let Some(k) = date_at {
        match date_line(&l[k].text) {
            Some(Ok(x)) => {
                d.date = Some(x);
                rep.found
                    .push(format!("成文日期：{}", cite(l[k].no, &l[k].text)));
            }
            Some(Err(e)) => rep.unsure.push(format!(
                "{}：{e}，成文日期未导入",
                cite(l[k].no, &l[k].text)
            )),
            None => {}
        }
        // The line above the date, and above it more organs (联合行文)
        // when they are right-aligned too or read as organ names.
        let mut s = k;
        while s > body_from && k - s < 3 {
            let x = &l[s - 1];
            let t = &x.text;
            let short = t.chars().count() <= 30
                && !is_sentence(t)
                && level_name(t).is_none()
                && !t.starts_with("特此")
                && !t.starts_with("附件");
            let more = s == k || (x.right && l[s].right) || organ_name(t);
            if !short || !more {
                break;
            }
            s -= 1;
        }
        if s < k {
            d.signature = l[s..k].iter().map(|x| x.text.clone()).collect();
            for x in &l[s..k] {
                rep.found.push(format!("署名：{}", cite(x.no, &x.text)));
            }
        } else {
            rep.unsure.push(format!(
                "成文日期{}前面没有找到署名（发文机关名称）",
                cite(l[k].no, &l[k].text)
            ));
        }
        body_to = s;
        // 附注, then what follows the 通知 (an enclosed 方案, 附件 pages).
        let mut m = k + 1;
        if m < j && l[m].text.starts_with(['（', '(']) && l[m].text.ends_with(['）', ')']) {
            let t = &l[m].text;
            let inner = t
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')'])
                .to_string();
            d.note = Some(inner);
            rep.found.push(format!("附注：{}", cite(l[m].no, t)));
            m += 1;
        }
        if m < j {
            tail_parts(&l[m..j], &mut d, &mut rep);
        }
    } else {
        rep.unsure.push(
            "没有找到成文日期（单独一段的“2024年5月20日”），署名也未识别。请在 YAML 里写 signature 和 date"
                .to_string(),
        );
    }

    // 附件说明 inside the body's end.
    let mut body: Vec<&Line> = l[body_from.min(body_to)..body_to].iter().collect();
    if let Some(a) = body.iter().position(|x| {
        let t: String = x.text.chars().filter(|c| !punct::is_space(*c)).collect();
        t.starts_with("附件：") && t.chars().count() > 3
    }) {
        let first = body[a].text.split_once('：').map(|x| x.1).unwrap_or("");
        let mut items = vec![strip_item_number(first.trim()).to_string()];
        rep.found
            .push(format!("附件说明：{}", cite(body[a].no, &body[a].text)));
        let mut e = a + 1;
        while e < body.len() {
            let t = body[e].text.as_str();
            let numbered = t.starts_with(|c: char| c.is_ascii_digit()) && strip_item_number(t) != t;
            if !numbered {
                break;
            }
            items.push(strip_item_number(t).to_string());
            rep.found.push(format!("附件说明：{}", cite(body[e].no, t)));
            e += 1;
        }
        if e < body.len() {
            rep.unsure.push(format!(
                "附件说明后面还有{}等 {} 段，按正文导入；附件说明应在正文之后",
                cite(body[e].no, &body[e].text),
                body.len() - e
            ));
        }
        d.attachment_note = items
            .into_iter()
            .map(|s| s.trim_end_matches(['。', '；']).to_string())
            .collect();
        body.drain(a..e);
    }
    for x in &body {
        let kind = match level_name(&x.text) {
            Some(n) if x.auto => format!("{n}，Word 自动编号"),
            Some(n) => n.to_string(),
            None => "段落".to_string(),
        };
        rep.found
            .push(format!("正文（{kind}）：{}", cite(x.no, &x.text)));
    }
    if body.is_empty() {
        rep.unsure.push("没有找到正文".to_string());
    }
    d.body = body.iter().map(|x| x.text.clone()).collect();
    let body_span = match (body.first(), body.last()) {
        (Some(a), Some(b)) => Some((a.no, b.no)),
        _ => None,
    };
    for (no, cells) in tables {
        let first = cells
            .iter()
            .find(|c| !c.text.trim().is_empty())
            .map_or(String::new(), |c| c.text.clone());
        let inside = body_span.is_some_and(|(a, b)| no > a && no < b + 2);
        match simple_table(&cells) {
            Some((columns, rows)) if inside => {
                let at = body.iter().take_while(|x| x.no < no).count();
                rep.found.push(format!(
                    "正文中的表格：{}起，{} 列 {} 行（第一行作表头）",
                    cite(no, &first),
                    columns.len(),
                    rows.len()
                ));
                d.tables.push((at, columns, rows));
            }
            _ => rep.unsure.push(format!(
                "{}起是一个表格，表格未导入（{}，其中的文字不在生成的 YAML 里）。请在 body 里用 table 写（见 `gongwen new 通知`），或把表格作为附件",
                cite(no, &first),
                if inside {
                    "有合并单元格、各行列数不同或只有一行"
                } else {
                    "不在正文里"
                }
            )),
        }
    }
    if !d.attachment_note.is_empty() && d.attachments.is_empty() {
        // The model keeps 附件说明 and 附件 pages in step (GW-B-32).
        d.attachments = d
            .attachment_note
            .iter()
            .map(|n| (n.clone(), Vec::new()))
            .collect();
        rep.unsure.push(format!(
            "草稿里只有附件说明，没有附件正文：已按附件名生成 {} 个只有标题的附件页。请在 YAML 的 attachments 里给每个附件写上 body（附件内容），或删去 attachments 和 attachment_note、附件另行印发",
            d.attachments.len()
        ));
    }
    // The report reads in the draft's order.
    rep.found.sort_by_key(|f| paragraph_of(f));
    (d, rep)
}

/// The first paragraph number a report line names (“第 12 段”).
fn paragraph_of(line: &str) -> usize {
    line.split("第 ")
        .nth(1)
        .and_then(|r| {
            let n: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
            n.parse().ok()
        })
        .unwrap_or(usize::MAX)
}

/// A table whose rows all have the same number of cells (two or more) and
/// that has a header and at least one row: (header, rows).
type Grid = (Vec<String>, Vec<Vec<String>>);

fn simple_table(cells: &[Line]) -> Option<Grid> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut at: Option<(usize, usize)> = None;
    for c in cells {
        let (_, r, k) = c.cell?;
        let (text, _) = clean(&c.text, false);
        if at.map(|a| a.0) != Some(r) {
            rows.push(Vec::new());
        }
        let row = rows.last_mut()?;
        if at == Some((r, k)) {
            // A second paragraph in the same cell.
            if let Some(last) = row.last_mut() {
                last.push_str(&text);
            }
        } else {
            row.push(text);
        }
        at = Some((r, k));
    }
    let width = rows.first()?.len();
    if width < 2 || rows.len() < 2 || rows.iter().any(|r| r.len() != width) {
        return None;
    }
    let header = rows.remove(0);
    Some((header, rows))
}

/// After the 成文日期 and 附注: 附件 pages (“附件1” then a title) or a
/// document the notice prints (a 方案: its title, then its text).
fn tail_parts(rest: &[Line], d: &mut Draft, rep: &mut Report) {
    if is_attachment_label(&rest[0].text) {
        let mut k = 0;
        while k < rest.len() {
            if !is_attachment_label(&rest[k].text) || k + 1 >= rest.len() {
                rep.unsure.push(format!(
                    "{}不在任何附件里，未导入",
                    cite(rest[k].no, &rest[k].text)
                ));
                k += 1;
                continue;
            }
            let title = rest[k + 1].text.clone();
            rep.found.push(format!(
                "附件 {} 标题：{}",
                d.attachments.len() + 1,
                cite(rest[k + 1].no, &title)
            ));
            let mut e = k + 2;
            let mut body = Vec::new();
            while e < rest.len() && !is_attachment_label(&rest[e].text) {
                body.push(rest[e].text.clone());
                e += 1;
            }
            d.attachments.push((title, body));
            k = e;
        }
        return;
    }
    let n = if rest[0].centred {
        rest.iter().take_while(|x| x.centred).count().min(3)
    } else {
        1
    };
    let title: String = rest[..n].iter().map(|x| x.text.as_str()).collect();
    let (title, _) = clean(&title, true);
    rep.found.push(format!(
        "印发的文件（enclosure）标题：{}",
        cite(rest[0].no, &title)
    ));
    let body: Vec<String> = rest[n..].iter().map(|x| x.text.clone()).collect();
    for x in &rest[n..] {
        if let Some(name) = level_name(&x.text) {
            let how = if x.auto { "，Word 自动编号" } else { "" };
            rep.found.push(format!(
                "印发的文件正文（{name}{how}）：{}",
                cite(x.no, &x.text)
            ));
        }
    }
    rep.found.push(format!("印发的文件正文：{} 段", body.len()));
    d.enclosure = Some((title, body));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_line("2024年5月20日"), Some(Ok("2024-05-20".into())));
        assert_eq!(
            date_line("二〇二四年五月二十日"),
            Some(Ok("2024-05-20".into()))
        );
        assert_eq!(
            date_line("二〇一九年十二月三十一日"),
            Some(Ok("2019-12-31".into()))
        );
        assert_eq!(date_line("2019-04-15"), Some(Ok("2019-04-15".into())));
        assert!(matches!(date_line("2019年2月30日"), Some(Err(_))));
        assert_eq!(date_line("2019年-2021年。"), None);
        assert_eq!(date_line("特此通知。"), None);
    }

    #[test]
    fn print_lines() {
        let (p, d) = print_line("县政府办公室\t2024年5月21日印发").unwrap();
        assert_eq!(
            (p.as_str(), d.unwrap().as_str()),
            ("县政府办公室", "2024-05-21")
        );
        let (p, _) = print_line("千泉街道党政办公室　　2019年4月15日印发").unwrap();
        assert_eq!(p, "千泉街道党政办公室");
        assert!(print_line("现印发").is_none());
    }

    #[test]
    fn cleans_soft_breaks_and_spaces() {
        let (t, what) = clean("各乡镇\u{B}人民政府 做好,工作", false);
        assert_eq!(t, "各乡镇人民政府做好，工作");
        assert_eq!(what.len(), 3, "{what:?}");
    }
}
