//! Heading levels of 正文 (GW-B-22) detected from their markers.

use crate::typeset::fonts::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Para,
    /// A sub-heading without a number (“安监员的资格条件” above a list in
    /// an attachment), or a heading the data marks as one: 黑体.
    Lead,
    /// 一、 (黑体)
    H1,
    /// （一） (楷体)
    H2,
    /// 1. (仿宋)
    H3,
    /// （1） (仿宋)
    H4,
}

impl Level {
    pub fn role(self) -> Role {
        match self {
            Level::H1 | Level::Lead => Role::Hei,
            Level::H2 => Role::Kai,
            _ => Role::Fang,
        }
    }
}

/// A paragraph split into its heading part (in the heading face) and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub level: Level,
    pub head: String,
    pub rest: String,
    /// Marker problems worth a warning (e.g. “1、”, half-width parentheses).
    pub lint: Option<String>,
}

const NUMERALS: &str = "一二三四五六七八九十百零〇";

/// Detects the level and splits a run-in heading (“（一）目标。正文……”):
/// the heading part runs to the first “。” when more text follows it.
pub fn detect(text: &str) -> Para {
    let (level, marker_len, lint, text) = marker(text);
    if level == Level::Para {
        return Para {
            level,
            head: String::new(),
            rest: text,
            lint,
        };
    }
    let after: &str = &text[marker_len..];
    let head_end = match after.find('。') {
        Some(i) if i + '。'.len_utf8() < after.len() => marker_len + i + '。'.len_utf8(),
        // One sentence with clauses (“（一）会议要求，……。”), or longer
        // than a heading runs (“三、各单位于6月10日前将……报县政府办公室。”),
        // is a numbered paragraph, not a heading: it has no heading part
        // (GW-B-22).
        _ if after.ends_with(['。', '；'])
            && (after.contains(['，', '；', '：']) || after.chars().count() > 24) =>
        {
            0
        }
        _ => text.len(),
    };
    Para {
        level,
        head: text[..head_end].to_string(),
        rest: text[head_end..].to_string(),
        lint,
    }
}

/// Most characters after the marker of a numbered line that may still be a
/// heading (“（一）统一认识，加强领导，明确职责。”); longer is a sentence.
const HEADING_CHARS: usize = 24;

/// Most characters of a sub-heading without a number.
const LEAD_CHARS: usize = 16;

/// [`detect`] with what comes before and after the line (the lines of the
/// same run of text; `None` at its start or end, or next to a table):
///
/// - a numbered line ending as a sentence (“。”, “；”) next to a line with
///   the same kind of number is an item of a list — “一、试点社区内具有
///   ……。二、……。五、经市……合格。” — and has no heading part;
/// - a short numbered sentence followed by ordinary text is a heading
///   (“（一）统一认识，加强领导，明确职责。” then its paragraph);
/// - a short line without a number and without punctuation, followed by a
///   list or by a sentence, is a sub-heading ([`Level::Lead`], 黑体):
///   “安监员的资格条件” above “一、……”.
pub fn detect_in(prev: Option<&str>, line: &str, next: Option<&str>) -> Para {
    let p = detect(line);
    let level_of = |t: Option<&str>| t.map(|t| marker(t.trim()).0).unwrap_or(Level::Para);
    if p.level == Level::Para {
        if is_lead(line, next) {
            return Para {
                level: Level::Lead,
                head: p.rest,
                rest: String::new(),
                lint: p.lint,
            };
        }
        return p;
    }
    let whole = format!("{}{}", p.head, p.rest);
    let run_in = !p.head.is_empty() && !p.rest.is_empty();
    if run_in || !whole.ends_with(['。', '；']) {
        return p;
    }
    let (_, marker_len, _, _) = marker(line.trim());
    let after = whole.get(marker_len..).unwrap_or("").chars().count();
    let sibling = level_of(prev) == p.level || level_of(next) == p.level;
    if sibling {
        return Para {
            head: String::new(),
            rest: whole,
            ..p
        };
    }
    let text_follows = next.is_some_and(|n| {
        let n = n.trim();
        marker(n).0 == Level::Para && !is_lead(n, None)
    });
    if p.head.is_empty() && text_follows && after <= HEADING_CHARS {
        return Para {
            head: whole,
            rest: String::new(),
            ..p
        };
    }
    p
}

/// A sub-heading without a number: at most [`LEAD_CHARS`] characters, no
/// punctuation but quotes and brackets, followed by a numbered line or a
/// sentence — and not a line cut off in mid-sentence (see
/// [`hard_wrapped`]) nor a closing formula (特此通知).
fn is_lead(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    let n = t.chars().count();
    if !(2..=LEAD_CHARS).contains(&n) || t.contains(|c: char| "。，；：！？、,.;:!?…—·".contains(c))
    {
        return false;
    }
    if [
        "特此",
        "附件",
        "联系人",
        "此页无正文",
        "抄送",
        "主送",
        "出席",
        "列席",
        "请假",
    ]
    .iter()
    .any(|w| t.starts_with(w))
        || t.ends_with("如下")
        || t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "年月日".contains(c))
    {
        return false;
    }
    let Some(next) = next.map(str::trim).filter(|n| !n.is_empty()) else {
        return false;
    };
    let listed = marker(next).0 != Level::Para;
    let sentence = next.ends_with(['。', '；', '：', '！', '？', ':']);
    (listed || sentence) && !(n >= 12 && hard_wrapped(t, next))
}

/// Whether `line` looks cut off in mid-sentence and `next` is its rest: the
/// way text copied from a PDF or a web page arrives, one printed line per
/// line. A line of at least 12 characters that ends in no closing mark, is
/// no heading and is followed by a line that does not start a heading, a
/// list item or an indented paragraph.
pub fn hard_wrapped(line: &str, next: &str) -> bool {
    const ENDS: &str = "。！？；：…”’）」』】》〕.!?;:)]—";
    let l = line.trim_end();
    let n = next.trim_end();
    if l.chars().count() < 12 || n.is_empty() || l.ends_with(|c: char| ENDS.contains(c)) {
        return false;
    }
    // A new paragraph typed with a first-line indent, or a list item.
    if n.starts_with([' ', '\u{3000}', '\t', '-', '•', '·']) {
        return false;
    }
    if [
        "出席",
        "请假",
        "列席",
        "附件",
        "抄送",
        "主送",
        "联系人",
        "（联系人",
    ]
    .iter()
    .any(|p| n.starts_with(p) || l.starts_with(p))
    {
        return false;
    }
    // A heading stands alone; a numbered line of 24 characters or more
    // with a comma in it is a paragraph cut at a printed line's end.
    let head_only = |t: &str| {
        let p = detect(t.trim());
        p.level != Level::Para
            && p.rest.is_empty()
            && (t.chars().count() < 24 || !t.contains(['，', ',']))
    };
    if head_only(l) || marker(n.trim()).0 != Level::Para {
        return false;
    }
    true
}

/// The level, the byte length of the marker, a lint message and the text with
/// the marker normalised.
fn marker(text: &str) -> (Level, usize, Option<String>, String) {
    let chars: Vec<char> = text.chars().collect();
    let numerals = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| NUMERALS.contains(**c))
            .count()
    };
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let byte_len = |n: usize| chars[..n].iter().map(|c| c.len_utf8()).sum::<usize>();
    let plain = (Level::Para, 0, None, text.to_string());

    // 一、
    let n = numerals(0);
    if n > 0 && chars.get(n) == Some(&'、') {
        return strip_space(Level::H1, n + 1, &chars);
    }
    // （一） and （1）, also the wrong half-width (1)
    if let Some(&open) = chars.first() {
        if open == '（' || open == '(' {
            let n = numerals(1);
            let d = digits(1);
            let (level, len) = if n > 0 {
                (Level::H2, n)
            } else if d > 0 {
                (Level::H4, d)
            } else {
                return plain;
            };
            let close = chars.get(1 + len).copied();
            if close == Some('）') || close == Some(')') {
                let mut lint = None;
                let mut fixed = chars.clone();
                if open == '(' || close == Some(')') {
                    fixed[0] = '（';
                    fixed[1 + len] = '）';
                    lint = Some("序号的括号要用全角“（）”".to_string());
                }
                let (lvl, ml, l2, t) = strip_space(level, len + 2, &fixed);
                return (lvl, ml, lint.or(l2), t);
            }
            return plain;
        }
    }
    // 1.  1．  and the wrong 1、
    let d = digits(0);
    if d > 0 {
        match chars.get(d) {
            Some('.') | Some('．') => {
                // “1.5万” is a number, not a heading.
                if chars.get(d + 1).is_some_and(|c| c.is_ascii_digit()) {
                    return plain;
                }
                return strip_space(Level::H3, d + 1, &chars);
            }
            Some('、') => {
                let mut fixed = chars.clone();
                fixed[d] = '.';
                let (lvl, ml, _, t) = strip_space(Level::H3, d + 1, &fixed);
                return (
                    lvl,
                    ml,
                    Some(format!(
                        "“{}、”应写成“{}.”（阿拉伯数字后用圆点）",
                        &text[..byte_len(d)],
                        &text[..byte_len(d)]
                    )),
                    t,
                );
            }
            _ => {}
        }
    }
    plain
}

/// Drops spaces typed after a marker (“1. 加强” → “1.加强”).
fn strip_space(
    level: Level,
    marker_chars: usize,
    chars: &[char],
) -> (Level, usize, Option<String>, String) {
    let spaces = chars[marker_chars..]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count();
    let mut text: String = chars[..marker_chars].iter().collect();
    let marker_len = text.len();
    text.extend(&chars[marker_chars + spaces..]);
    let lint = (spaces > 0).then(|| "序号后面不空格".to_string());
    (level, marker_len, lint, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_in_mid_sentence_is_hard_wrapped() {
        let a = "为切实做好今年主汛期地质灾害防治工作，确保人民群众";
        assert!(hard_wrapped(a, "生命财产安全，现将有关事项通知如下。"));
        // A sentence that ends, a heading, a short line, a new numbered item.
        assert!(!hard_wrapped("现将有关事项通知如下：", "一、总体要求"));
        assert!(!hard_wrapped(
            "一、切实加强组织领导和统筹协调工作",
            "各村（居）要……"
        ));
        assert!(!hard_wrapped("特此通知", "青石县人民政府办公室"));
        assert!(!hard_wrapped(a, "（一）加强监测预警。"));
        assert!(hard_wrapped(
            "（一）企业主体责任落实情况，包括安全生产责任制、隐患排查治理",
            "制度、应急预案等。"
        ));
        assert!(!hard_wrapped(a, "　　另起一段。"));
    }

    #[test]
    fn a_numbered_sentence_has_no_heading_part() {
        // Issue 13 item 3: only a heading part ending in “。” takes 楷体.
        let p = detect("（一）会议要求，各村（居）要在月底前完成自查，并报街道安监办。");
        assert_eq!(p.level, Level::H2);
        assert_eq!(p.head, "");
        assert!(p.rest.starts_with("（一）会议要求"));
        let p = detect("三、各单位于2024年6月10日前将落实情况书面报县政府办公室。");
        assert!(p.head.is_empty(), "a long sentence is no heading: {p:?}");
        let p = detect("一、提高思想认识。");
        assert_eq!(p.head, "一、提高思想认识。");
        let p = detect("（一）会议要求。各村要在月底前完成自查。");
        assert_eq!(p.head, "（一）会议要求。");
        let p = detect("（二）加强组织领导");
        assert_eq!(p.head, "（二）加强组织领导");
    }

    #[test]
    fn context_tells_list_items_from_headings() {
        let list = [
            "一、试点社区内具有高中以上文化程度，年龄在45周岁以下，身体健康的男性下岗失业人员。",
            "四、坚持原则，作风正派，办事公道，勤政廉洁。",
            "五、经市安全生产监督管理部门培训考试合格。",
        ];
        // Seed 004: the last item of a list is an item too.
        let p = detect_in(Some(list[1]), list[2], Some("安监员的聘用程序"));
        assert_eq!((p.level, p.head.as_str()), (Level::H1, ""), "{p:?}");
        let p = detect_in(Some("安监员的资格条件"), list[0], Some(list[1]));
        assert!(p.head.is_empty());
        // A heading followed by its text stays one.
        let p = detect_in(
            Some("各单位要高度重视。"),
            "二、提高思想认识。",
            Some("各单位要统一思想。"),
        );
        assert_eq!(p.head, "二、提高思想认识。");
        let p = detect_in(
            None,
            "（一）统一认识，加强领导，明确职责。",
            Some("安全社区建设秉承“大安全”理论。"),
        );
        assert_eq!(p.head, "（一）统一认识，加强领导，明确职责。");
        // A long numbered sentence stays a paragraph (GW-B-22).
        let long = "（一）会议要求，各村（居）要在月底前完成自查，并报街道安监办。";
        assert!(detect_in(None, long, Some("另起一段。")).head.is_empty());
        // Sub-headings without numbers.
        for (line, next) in [
            ("安监员的资格条件", list[0]),
            (
                "安监员的聘用程序",
                "劳动就业部门提供符合资格条件的人员名单，试点社区选拔。",
            ),
            (
                "社区安监员职责",
                "在上级安监部门和社区居委会的领导下开展工作，其主要职责：",
            ),
        ] {
            let p = detect_in(None, line, Some(next));
            assert_eq!((p.level, p.head.as_str()), (Level::Lead, line));
        }
        for (line, next) in [
            ("特此通知", Some("另起一段。")),
            ("现将有关事项通知如下", Some("一、总体要求")),
            ("安监员的资格条件", None),
            ("2019年4月25日", Some("一、总体要求")),
            (
                "市政府成立“安全社区”试点工作创建",
                Some("指导委员会，由市政府副市长担任主任。"),
            ),
            ("张三", Some("李四")),
        ] {
            assert_eq!(detect_in(None, line, next).level, Level::Para, "{line}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(detect("一、指导思想").level, Level::H1);
        assert_eq!(detect("十二、其他").level, Level::H1);
        assert_eq!(detect("（一）工作目标").level, Level::H2);
        assert_eq!(detect("1.组织领导").level, Level::H3);
        assert_eq!(detect("（1）具体措施").level, Level::H4);
        assert_eq!(detect("2019年-2021年。").level, Level::Para);
        assert_eq!(detect("1.5万人参加").level, Level::Para);
    }

    #[test]
    fn run_in_heading_splits_at_first_full_stop() {
        let p = detect("（一）突出重点，明确任务。泽州县安委办作为牵头单位");
        assert_eq!(p.head, "（一）突出重点，明确任务。");
        assert_eq!(p.rest, "泽州县安委办作为牵头单位");
        let p = detect("（一）把“零事故”创建纳入基层党建重要内容");
        assert_eq!(p.rest, "");
    }

    #[test]
    fn fixes_and_lints_wrong_markers() {
        let p = detect("1. 加强安全常识普及。围绕");
        assert_eq!(p.head, "1.加强安全常识普及。");
        assert!(p.lint.is_some());
        let p = detect("(1)措施");
        assert_eq!((p.level, p.head.as_str()), (Level::H4, "（1）措施"));
        assert_eq!(detect("1、组织").level, Level::H3);
    }
}
