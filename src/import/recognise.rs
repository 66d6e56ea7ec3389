//! Which paragraph of a draft is which part of a 公文, read from the text
//! and its place as a clerk lays a draft out: 红头 and 发文字号 at the top,
//! the 标题 (centred) before the 主送 (ending with “：”), the 正文, the
//! 附件说明, the 署名 and 成文日期, a 附注 in parentheses, and the 版记
//! (抄送, 印发) at the end.

use super::docx::{CellShape, Merge};
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
    /// Its table cell's merging, when in a table.
    pub shape: CellShape,
    /// Pictures in (or just after) this paragraph: part names in the .docx.
    pub images: Vec<String>,
}

/// What was recognised: the fields of a notice as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub kind: String,
    /// 联合行文: the organs of a joint 发文机关标志 typed on one line with
    /// spaces between them (`issuer` is then their suffix, “文件”).
    pub issuer_names: Vec<String>,
    /// `Some("方案")` for a plan printed on its own (no 版头, no 版记).
    pub format: Option<String>,
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    pub issuer: Option<String>,
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub title: String,
    pub to: Option<String>,
    pub body: Vec<String>,
    /// Tables and member lists of the 正文, each before the body paragraph
    /// at its index.
    pub inserts: Vec<(usize, Insert)>,
    pub attachment_note: Vec<String>,
    pub signature: Vec<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub note: Option<String>,
    /// The picture over the 署名 and date (a part name in the .docx).
    pub seal: Option<String>,
    pub enclosure: Option<Section>,
    pub attachments: Vec<Section>,
    pub cc: Option<String>,
    pub printer: Option<String>,
    pub print_date: Option<String>,
    /// 印制份数 (“（共印80份）”).
    pub copies: Option<u32>,
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
    // “1、” starts a third-level item as “1.” (GW-B-21).
    let digits = v.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && v[digits..].starts_with('、') && !title {
        what.push(format!("序号“{}、”改为“{}.”", &v[..digits], &v[..digits]));
        v = format!("{}.{}", &v[..digits], &v[digits + '、'.len_utf8()..]);
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
    organ_and_date(s.trim().strip_suffix("印发")?)
}

/// An organ's name followed by a date (“青石县人民政府办公室　2024年6月3日”).
fn organ_and_date(t: &str) -> Option<(String, Result<String, String>)> {
    let t = t.trim();
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

/// A 令号: “第3号”.
fn order_number(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    let n = t.strip_prefix('第')?.strip_suffix('号')?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then_some(t)
}

/// A 纪要's 期数 line: “第5期”, “〔2024〕第5期”, “（第5期）”.
fn issue_line(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    t.chars().count() <= 16
        && t.ends_with(['期', '）', ')'])
        && t.contains('第')
        && t.contains('期')
}

/// A 标志 line: short, no sentence.
fn short_name(t: &str) -> bool {
    t.chars().count() <= 40 && !is_sentence(t)
}

/// Organ names typed on one line with spaces between (“青石县人民政府办公室
/// 青石县应急管理局”); empty unless there are two or more.
fn organ_names(raw: &str) -> Vec<String> {
    let names: Vec<String> = raw
        .split(|c: char| punct::is_space(c) || c == '\t')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if names.len() >= 2
        && names
            .iter()
            .all(|n| organ_name(n) && n.chars().count() >= 3)
    {
        names
    } else {
        Vec::new()
    }
}

/// A joint 发文机关标志 typed one organ a line, “文件” after the last
/// (alone or on the last organ's line): the names and the index of the
/// line with “文件”.
fn stacked_issuer(l: &[Line], i: usize, j: usize) -> Option<(Vec<String>, usize)> {
    let k = (i + 1..j.min(i + 6)).find(|&k| l[k].text.ends_with("文件"))?;
    let mut names: Vec<String> = l[i..k].iter().map(|x| x.text.clone()).collect();
    let last = l[k].text.trim_end_matches("文件");
    if !last.is_empty() {
        names.push(last.to_string());
    }
    let ok = names.len() >= 2
        && l[i..=k].iter().all(|x| x.centred || x.big)
        && names
            .iter()
            .all(|n| organ_name(n) && n.chars().count() >= 3 && short_name(n));
    ok.then_some((names, k))
}

/// The organs of a joint 发文机关标志 typed on one line (“青石县人民政府办公室
/// 青石县应急管理局文件”): each part an organ's name, the last with “文件”.
fn joint_names(raw: &str) -> Vec<String> {
    organ_names(raw.trim().strip_suffix("文件").unwrap_or(""))
}

/// A 份号 line: six digits (GW-H-01), or “份号：000123”.
fn copy_number_line(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    let t = t
        .strip_prefix("份号")
        .map(|r| r.trim_start_matches(['：', ':']))
        .unwrap_or(&t);
    (!t.is_empty() && t.chars().count() <= 8 && t.chars().all(|c| c.is_ascii_digit()))
        .then(|| t.to_string())
}

/// A 密级 line: “机密★1年”, “秘密”, “绝密★长期” (GW-H-02).
fn secrecy_line(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    let level = ["绝密", "机密", "秘密"]
        .into_iter()
        .find(|l| t.starts_with(l))?;
    let rest = &t[level.len()..];
    let ok = rest.is_empty()
        || (rest.starts_with(['★', '*', '☆']) && rest.chars().count() <= 8 && !is_sentence(rest));
    ok.then(|| t.replace(['*', '☆'], "★"))
}

/// A 印制份数 line of the 版记: “（共印80份）”, “共印 80 份”.
fn copies_line(s: &str) -> Option<u32> {
    let t: String = s.chars().filter(|c| !punct::is_space(*c)).collect();
    let t = t
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')', '。']);
    let n = t.strip_prefix("共印")?.strip_suffix('份')?;
    n.parse().ok().filter(|n| *n > 0)
}

/// Words a stand-alone document's title ends with (printed as `format:
/// 方案`, GW-S-40): plans and rules that are no 文种 of their own.
const PLAN_WORDS: [&str; 12] = [
    "方案", "计划", "规划", "办法", "细则", "要点", "规则", "制度", "清单", "预案", "安排", "规定",
];

/// Labels of a 领导小组 list (“组长：…”, “成员：…”).
const MEMBER_LABELS: [&str; 11] = [
    "副组长",
    "组长",
    "组员",
    "成员",
    "副主任",
    "主任",
    "委员",
    "顾问",
    "联络员",
    "副秘书长",
    "秘书长",
];

/// A line of a 领导小组 list: its label and names.
fn member_line(s: &str) -> Option<(String, Vec<String>)> {
    let (label, names) = s.split_once(['：', ':'])?;
    let label: String = label.chars().filter(|c| !punct::is_space(*c)).collect();
    if !MEMBER_LABELS.contains(&label.as_str()) || names.trim().is_empty() {
        return None;
    }
    let names = names.trim().trim_end_matches(['。', '；', ';']);
    let list = if ["成员", "组员", "委员"].contains(&label.as_str()) {
        names
            .split(['、', '，', ','])
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect()
    } else {
        vec![names.to_string()]
    };
    Some((label, list))
}

/// What goes between the paragraphs of a part: a table or a member list.
#[derive(Debug, Clone, PartialEq)]
pub enum Insert {
    Table(TableDraft),
    /// 领导小组: (label, names) in the order written.
    Members(Vec<(String, Vec<String>)>),
}

/// A table of the draft in the shape of the model's `table` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableDraft {
    pub header: Vec<Vec<CellDraft>>,
    pub rows: Vec<Vec<CellDraft>>,
    /// Relative column widths (centimetres as Word had them), when known.
    pub widths: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDraft {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
}

/// A part with paragraphs: the 正文, an enclosed document, an attachment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub title: String,
    pub body: Vec<String>,
    /// Tables and member lists, each before the paragraph at its index.
    pub inserts: Vec<(usize, Insert)>,
    /// The draft's paragraph number of each `body` paragraph (tables are
    /// put between paragraphs by number).
    pub nos: Vec<usize>,
}

/// Recognises the parts of a draft from its cleaned, non-empty lines.
///
/// `grids` are the tables' column widths in twips, by table (from the
/// .docx; empty for text drafts).
pub fn recognise(lines: Vec<Line>, grids: &[Vec<u32>]) -> (Draft, Report) {
    let mut d = Draft::default();
    let mut rep = Report::default();
    // Tables: taken out of the flow, put back into the part they are in.
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

    // 版记, from the end: 抄送, 印发机关和日期, 印制份数.
    while j > 0 && colophon_line(&l[j - 1], &mut d, &mut rep) {
        j -= 1;
    }

    // 版头, from the start.
    let mut i = 0;
    // 命令（令）: the 标志 and 令号 are the whole 版头 and the title.
    let mut order = false;
    // 纪要: its 标志, then maybe the 期数 and the organ with the date.
    let mut minutes = false;
    while i < j {
        let t = l[i].text.clone();
        let no = l[i].no;
        let top = d.issuer.is_none() && d.number.is_none();
        let order_no = l.get(i + 1).and_then(|n| order_number(&n.text));
        if top && ["特急", "加急", "特提", "平急"].contains(&t.as_str()) {
            d.urgency = Some(t.clone());
            rep.found.push(format!("紧急程度：{}", cite(no, &t)));
        } else if let Some(c) = copy_number_line(&t).filter(|_| top && d.copy_number.is_none()) {
            d.copy_number = Some(c);
            rep.found.push(format!("份号：{}", cite(no, &t)));
        } else if let Some(s) = secrecy_line(&t).filter(|_| top && d.secrecy.is_none()) {
            d.secrecy = Some(s);
            rep.found.push(format!("密级和保密期限：{}", cite(no, &t)));
        } else if let Some(num) = order_no.filter(|_| top && t.ends_with('令') && short_name(&t)) {
            rep.found
                .push(format!("发文机关标志（命令）：{}", cite(no, &t)));
            rep.found
                .push(format!("令号：{}", cite(l[i + 1].no, &l[i + 1].text)));
            d.title = format!("{t}{num}");
            d.issuer = Some(t);
            d.number = Some(num);
            d.kind = "命令".to_string();
            order = true;
            i += 2;
            break;
        } else if top && t.ends_with("纪要") && short_name(&t) {
            d.issuer = Some(t.clone());
            minutes = true;
            rep.found.push(format!("纪要标志：{}", cite(no, &t)));
        } else if minutes && d.number.is_none() && issue_line(&t) {
            rep.unsure.push(format!(
                "{}是纪要的期数，没有导入：发文字号要写成 机关代字〔年份〕序号号（如 青府纪〔2024〕5号），需要时在 YAML 里写 number",
                cite(no, &t)
            ));
        } else if let Some((organ, date)) =
            organ_and_date(&t).filter(|_| minutes && d.date.is_none() && d.signature.is_empty())
        {
            rep.found
                .push(format!("纪要的印发机关和日期：{}", cite(no, &t)));
            d.signature = vec![organ];
            match date {
                Ok(x) => d.date = Some(x),
                Err(e) => rep.unsure.push(format!("{}：{e}", cite(no, &t))),
            }
        } else if let Some((names, k)) = stacked_issuer(&l, i, j).filter(|_| top) {
            rep.found.push(format!(
                "发文机关标志（联合行文，{} 个机关）：第 {}—{} 段",
                names.len(),
                no,
                l[k].no
            ));
            d.issuer_names = names;
            d.issuer = Some("文件".to_string());
            i = k;
        } else if top && t.ends_with("文件") && t.chars().count() <= 80 && !is_sentence(&t) {
            d.issuer = Some(t.clone());
            let names = joint_names(&l[i].raw);
            if names.len() >= 2 {
                rep.found.push(format!(
                    "发文机关标志（联合行文，{} 个机关）：{}",
                    names.len(),
                    cite(no, &t)
                ));
                d.issuer_names = names;
                d.issuer = Some("文件".to_string());
            } else {
                rep.found.push(format!("发文机关标志：{}", cite(no, &t)));
            }
        } else if top
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
    let to_at = (i + 1..j.min(i + 6))
        .filter(|_| !order && !minutes)
        .find(|&k| {
            let t = &l[k].text;
            // “2024年6月1日，……纪要如下：” opens a text; it addresses no one.
            t.ends_with('：')
                && !t.starts_with(|c: char| c.is_ascii_digit())
                && t.chars().count() <= 300
                && level_name(t).is_none()
                && !t.starts_with("附件")
                && member_line(t).is_none()
                && l[i..k].iter().all(|x| !x.text.ends_with(['。', '：']))
        });
    let no_header = d.issuer.is_none() && d.number.is_none();
    let date_anywhere = (i..j).any(|k| date_line(&l[k].text).is_some());
    let mut standalone = false;
    let body_from;
    let title_lines: Vec<&Line> = match to_at {
        Some(k) => {
            let t = &l[k].text;
            d.to = Some(t.trim_end_matches('：').to_string());
            rep.found.push(format!("主送机关：{}", cite(l[k].no, t)));
            body_from = k + 1;
            l[i..k].iter().collect()
        }
        None if order => {
            body_from = i;
            Vec::new()
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
            let title: String = take.iter().map(|x| x.text.as_str()).collect();
            // A 方案 or 办法 on its own: no 版头, no 主送, no 成文日期.
            standalone =
                no_header && !date_anywhere && PLAN_WORDS.iter().any(|w| title.ends_with(w));
            let kind = kind_of(&title, &mut Report::default());
            let addressed =
                !["公告", "通告", "公报", "决议", "纪要", "命令"].contains(&kind.as_str());
            if !standalone && addressed && !minutes {
                rep.unsure.push(
                    "没有找到主送机关（标题后面以“：”结尾的一段）。若有主送机关，在 YAML 里写 to: …"
                        .to_string(),
                );
            }
            body_from = i + take.len();
            take
        }
    };
    if order {
        // The title is the 标志 and 令号 (“青石县人民政府令第3号”).
    } else if title_lines.is_empty() {
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
    if standalone {
        d.format = Some("方案".to_string());
        rep.found
            .push("版式：单独印发的方案（format: 方案，没有版头、主送和版记）".to_string());
    } else if !order {
        d.kind = kind_of(&d.title, &mut rep);
    }

    // Where each part's paragraphs end (index into l) and what follows.
    let title_end_no = title_lines.last().map_or(0, |x| x.no);
    let mut parts: Vec<(Part, usize, usize)> = Vec::new();
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
            d.signature = l[s..k]
                .iter()
                .flat_map(|x| {
                    let joint = organ_names(&x.raw);
                    if joint.len() >= 2 {
                        joint
                    } else if d.kind == "命令" {
                        // “县长　王建国”: 职务 and 姓名 keep one space.
                        vec![x.raw.split_whitespace().collect::<Vec<_>>().join(" ")]
                    } else {
                        vec![x.text.clone()]
                    }
                })
                .collect();
            for x in &l[s..k] {
                let joint = organ_names(&x.raw).len();
                let what = if joint >= 2 {
                    format!("署名（{joint} 个机关）")
                } else {
                    "署名".to_string()
                };
                rep.found.push(format!("{what}：{}", cite(x.no, &x.text)));
            }
        } else {
            rep.unsure.push(format!(
                "成文日期{}前面没有找到署名（发文机关名称）",
                cite(l[k].no, &l[k].text)
            ));
        }
        // A picture over the 署名 and date is the seal.
        if let Some((x, img)) = l[s..=k]
            .iter()
            .find_map(|x| x.images.first().map(|img| (x, img)))
        {
            d.seal = Some(img.clone());
            rep.found
                .push(format!("印章（图片）：{}", cite(x.no, &x.text)));
        }
        body_to = s;
        // 附注, the 版记 when it was typed before an enclosed document,
        // then what follows the 通知 (an enclosed 方案, 附件 pages).
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
        while m < j && d.printer.is_none() && colophon_line(&l[m], &mut d, &mut rep) {
            m += 1;
        }
        if m < j {
            tail_parts(&l, m, j, &mut d, &mut parts, &mut rep);
        }
    } else {
        // Without a date, 附件 pages may still follow the text.
        if let Some(a) = (body_from..j).find(|&k| is_attachment_label(&l[k].text)) {
            tail_parts(&l, a, j, &mut d, &mut parts, &mut rep);
            body_to = a;
        }
        if !standalone && d.date.is_none() {
            rep.unsure.push(
                "没有找到成文日期（单独一段的“2024年5月20日”），署名也未识别。请在 YAML 里写 signature 和 date"
                    .to_string(),
            );
        }
    }
    let body_end_no = l.get(body_to).map_or(usize::MAX, |x| x.no);

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
    parts.insert(0, (Part::Body, title_end_no, body_end_no));
    let mut body_section = Section::default();
    fill(&mut body_section, &body, &mut rep);
    let body_nos = std::mem::take(&mut body_section.nos);
    d.body = body_section.body;
    d.inserts = body_section.inserts;

    // Tables and member lists go back into the part they are in.
    for (no, cells) in tables {
        let first = cells
            .iter()
            .find(|c| !c.text.trim().is_empty())
            .map_or(String::new(), |c| c.text.clone());
        let home = parts
            .iter()
            .rev()
            .find(|(_, from, to)| no > *from && no < *to)
            .map(|p| p.0);
        let table = home.and_then(|_| grid_table(&cells, grids.get(cells_table(&cells))));
        match (home, table) {
            (Some(part), Some((t, padded))) => {
                let place = match part {
                    Part::Body => "正文",
                    Part::Enclosure => "印发的文件",
                    Part::Attachment(_) => "附件",
                };
                let nos = match part {
                    Part::Body => &body_nos,
                    Part::Enclosure => d.enclosure.as_ref().map_or(&body_nos, |s| &s.nos),
                    Part::Attachment(a) => d.attachments.get(a).map_or(&body_nos, |s| &s.nos),
                };
                let at = nos.iter().take_while(|n| **n < no).count();
                rep.found.push(format!(
                    "{place}中的表格：{}起，{} 列 {} 行（表头 {} 行{}）",
                    cite(no, &first),
                    t.header.first().map_or(0, |r| r.iter().map(|c| c.colspan).sum()),
                    t.rows.len(),
                    t.header.len(),
                    if t.header.iter().chain(&t.rows).flatten().any(|c| c.rowspan > 1 || c.colspan > 1) {
                        "，有合并单元格"
                    } else {
                        ""
                    }
                ));
                if padded > 0 {
                    rep.changes.push(format!(
                        "{}起的表格：有的行比表头少格，已补 {padded} 个空格",
                        cite(no, &first)
                    ));
                }
                let inserts = match part {
                    Part::Body => &mut d.inserts,
                    Part::Enclosure => match d.enclosure.as_mut() {
                        Some(s) => &mut s.inserts,
                        None => continue,
                    },
                    Part::Attachment(a) => match d.attachments.get_mut(a) {
                        Some(s) => &mut s.inserts,
                        None => continue,
                    },
                };
                inserts.push((at, Insert::Table(t)));
                inserts.sort_by_key(|i| i.0);
            }
            (home, _) => rep.unsure.push(format!(
                "{}起是一个表格，表格未导入（{}，其中的文字不在生成的 YAML 里）。请在 body 里用 table 写（见 `gongwen new 通知`），或把表格作为附件",
                cite(no, &first),
                if home.is_some() {
                    "只有一行或一列"
                } else {
                    "不在正文、附件或印发的文件里"
                }
            )),
        }
    }
    if !d.attachment_note.is_empty() && d.attachments.is_empty() {
        // The model keeps 附件说明 and 附件 pages in step (GW-B-32).
        d.attachments = d
            .attachment_note
            .iter()
            .map(|n| Section {
                title: n.clone(),
                ..Section::default()
            })
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

/// Which part of the draft a stretch of paragraphs is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Body,
    Enclosure,
    Attachment(usize),
}

/// The table index (1-based) the cells belong to, as an index into
/// `Draft::grids`.
fn cells_table(cells: &[Line]) -> usize {
    cells
        .first()
        .and_then(|c| c.cell)
        .map_or(usize::MAX, |c| c.0.saturating_sub(1))
}

/// The 文种 from the end of the title.
fn kind_of(title: &str, rep: &mut Report) -> String {
    KINDS
        .iter()
        .filter(|k| title.ends_with(**k))
        .max_by_key(|k| k.len())
        .map(|k| k.to_string())
        .unwrap_or_else(|| {
            if title.ends_with('令') {
                "命令".to_string()
            } else {
                if !title.is_empty() {
                    rep.unsure.push(format!(
                        "从标题看不出文种，按“通知”导入。请在 YAML 里改 kind（可选：{}）",
                        KINDS.join("、")
                    ));
                }
                "通知".to_string()
            }
        })
}

/// Takes a line of the 版记 (抄送, 印发机关和印发日期, 印制份数) into the
/// draft; false when the line is none of them.
fn colophon_line(x: &Line, d: &mut Draft, rep: &mut Report) -> bool {
    let t = &x.text;
    if let Some(n) = copies_line(t).filter(|_| d.copies.is_none()) {
        d.copies = Some(n);
        rep.found
            .push(format!("印制份数（版记）：{}", cite(x.no, t)));
    } else if let Some((printer, date)) = print_line(t).filter(|_| d.printer.is_none()) {
        rep.found
            .push(format!("印发机关和印发日期（版记）：{}", cite(x.no, t)));
        d.printer = Some(printer);
        match date {
            Ok(v) => d.print_date = Some(v),
            Err(e) => rep.unsure.push(format!("{}：{e}", cite(x.no, t))),
        }
    } else if let Some(rest) = t.strip_prefix("抄送").filter(|_| d.cc.is_none()) {
        let rest = rest.trim_start_matches(['：', ':']).trim();
        d.cc = Some(rest.trim_end_matches('。').to_string());
        rep.found.push(format!("抄送（版记）：{}", cite(x.no, t)));
    } else {
        return false;
    }
    true
}

/// A part's lines as paragraphs, with runs of 领导小组 lines (two or more,
/// one of them 组长 or 主任) as a member list.
fn fill(s: &mut Section, lines: &[&Line], rep: &mut Report) {
    let mut k = 0;
    while k < lines.len() {
        let run: Vec<(String, Vec<String>)> = lines[k..]
            .iter()
            .map_while(|x| member_line(&x.text))
            .collect();
        let led = run.iter().any(|(l, _)| l == "组长" || l == "主任");
        if run.len() >= 2 && led {
            rep.found.push(format!(
                "领导小组名单（members）：{}起 {} 行",
                cite(lines[k].no, &lines[k].text),
                run.len()
            ));
            k += run.len();
            s.inserts.push((s.body.len(), Insert::Members(run)));
            continue;
        }
        s.body.push(lines[k].text.clone());
        s.nos.push(lines[k].no);
        k += 1;
    }
}

/// The cells of a table as the model's table: merged cells (`gridSpan`,
/// `vMerge`) as colspan/rowspan, header rows those marked to repeat or,
/// when none is, the first row and the rows its merged cells reach into.
/// Rows shorter than the header are padded with empty cells (the number
/// padded is returned). None for a table of one row or one column.
fn grid_table(cells: &[Line], grid: Option<&Vec<u32>>) -> Option<(TableDraft, usize)> {
    // Rows of (column, cell) with merged paragraphs joined.
    struct Raw {
        col: usize,
        text: String,
        span: usize,
        merge: Merge,
    }
    let mut rows: Vec<(bool, Vec<Raw>)> = Vec::new();
    let mut at: Option<(usize, usize)> = None;
    for c in cells {
        let (_, r, k) = c.cell?;
        let (text, _) = clean(&c.text, false);
        if at.map(|a| a.0) != Some(r) {
            rows.push((c.shape.header_row, Vec::new()));
        }
        let row = &mut rows.last_mut()?.1;
        if at == Some((r, k)) {
            if let Some(last) = row.last_mut() {
                last.text.push_str(&text);
            }
        } else {
            let col = row.last().map_or(0, |x| x.col + x.span);
            row.push(Raw {
                col,
                text,
                span: c.shape.span.max(1),
                merge: c.shape.merge,
            });
        }
        at = Some((r, k));
    }
    let width = rows
        .iter()
        .map(|r| r.1.last().map_or(0, |x| x.col + x.span))
        .max()?;
    if width < 2 || rows.len() < 2 {
        return None;
    }
    // Vertical merges: a continuing cell adds a row to the cell above it.
    let mut out: Vec<Vec<(usize, CellDraft)>> = Vec::new();
    for (_, row) in &rows {
        let mut cells_out = Vec::new();
        for x in row {
            if x.merge == Merge::Continue {
                let above = out
                    .iter_mut()
                    .rev()
                    .find_map(|r: &mut Vec<(usize, CellDraft)>| {
                        r.iter_mut().find(|(c, _)| *c == x.col)
                    });
                if let Some((_, cell)) = above {
                    cell.rowspan += 1;
                    continue;
                }
            }
            cells_out.push((
                x.col,
                CellDraft {
                    text: x.text.clone(),
                    rowspan: 1,
                    colspan: x.span,
                },
            ));
        }
        out.push(cells_out);
    }
    // Pad short rows so every row covers every column.
    let mut covered = vec![vec![false; width]; out.len()];
    for (r, row) in out.iter().enumerate() {
        for (c, cell) in row {
            for line in covered.iter_mut().skip(r).take(cell.rowspan) {
                for place in line.iter_mut().skip(*c).take(cell.colspan) {
                    *place = true;
                }
            }
        }
    }
    let mut padded = 0;
    for (r, row) in out.iter_mut().enumerate() {
        for (c, free) in covered[r].iter().enumerate() {
            if !free {
                row.push((
                    c,
                    CellDraft {
                        text: String::new(),
                        rowspan: 1,
                        colspan: 1,
                    },
                ));
                padded += 1;
            }
        }
        row.sort_by_key(|x| x.0);
    }
    let marked = rows.iter().take_while(|r| r.0).count();
    let heads = if marked > 0 && marked < out.len() {
        marked
    } else {
        out[0]
            .iter()
            .map(|(_, c)| c.rowspan)
            .max()
            .unwrap_or(1)
            .min(out.len() - 1)
    };
    let mut all: Vec<Vec<CellDraft>> = out
        .into_iter()
        .map(|r| r.into_iter().map(|x| x.1).collect())
        .collect();
    let rows = all.split_off(heads);
    let widths = grid
        .filter(|g| g.len() == width && g.iter().all(|w| *w > 0))
        .map(|g| {
            g.iter()
                .map(|w| (*w as f64 / 567.0 * 10.0).round() / 10.0)
                .collect()
        })
        .unwrap_or_default();
    Some((
        TableDraft {
            header: all,
            rows,
            widths,
        },
        padded,
    ))
}

/// After the 成文日期 and 附注 (or the text of a 方案): 附件 pages (“附件1”
/// then a title) or a document the notice prints (a 方案: its title, then
/// its text). Records where each part's paragraphs lie in `parts`.
fn tail_parts(
    l: &[Line],
    from: usize,
    to: usize,
    d: &mut Draft,
    parts: &mut Vec<(Part, usize, usize)>,
    rep: &mut Report,
) {
    let rest = &l[from..to];
    let end_no = l.get(to).map_or(usize::MAX, |x| x.no);
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
            while e < rest.len() && !is_attachment_label(&rest[e].text) {
                e += 1;
            }
            let mut s = Section {
                title,
                ..Section::default()
            };
            let lines: Vec<&Line> = rest[k + 2..e].iter().collect();
            fill(&mut s, &lines, rep);
            let next = rest.get(e).map_or(end_no, |x| x.no);
            parts.push((Part::Attachment(d.attachments.len()), rest[k + 1].no, next));
            d.attachments.push(s);
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
    for x in &rest[n..] {
        if let Some(name) = level_name(&x.text) {
            let how = if x.auto { "，Word 自动编号" } else { "" };
            rep.found.push(format!(
                "印发的文件正文（{name}{how}）：{}",
                cite(x.no, &x.text)
            ));
        }
    }
    let mut s = Section {
        title,
        ..Section::default()
    };
    let lines: Vec<&Line> = rest[n..].iter().collect();
    fill(&mut s, &lines, rep);
    rep.found
        .push(format!("印发的文件正文：{} 段", s.body.len()));
    parts.push((Part::Enclosure, rest[n - 1].no, end_no));
    d.enclosure = Some(s);
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
