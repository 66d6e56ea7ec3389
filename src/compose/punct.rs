//! Punctuation in Chinese text (GB/T 15834, GW-B-23): straight quotes and
//! half-width marks next to Chinese are turned into their full-width forms.

/// Whether `c` is Chinese script or full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x20000..=0x3134F)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Normalises `text`; returns the new text and what was changed (for lints).
pub fn normalise(text: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let mut changes = Vec::new();
    let near_cjk = |i: usize| {
        let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        before.is_some_and(|c| is_cjk(*c)) || after.is_some_and(|c| is_cjk(*c))
    };
    // Parentheses: convert a pair when its content or surroundings are Chinese.
    let mut stack = Vec::new();
    for i in 0..chars.len() {
        match chars[i] {
            '(' => stack.push(i),
            ')' => {
                if let Some(open) = stack.pop() {
                    let inner_cjk = chars[open + 1..i].iter().any(|c| is_cjk(*c));
                    if inner_cjk || near_cjk(open) && near_cjk(i) {
                        out[open] = '（';
                        out[i] = '）';
                        note(&mut changes, "半角括号 () 改为全角（）");
                    }
                }
            }
            _ => {}
        }
    }
    let mut double_open = true;
    let mut single_open = true;
    for i in 0..chars.len() {
        let c = chars[i];
        let full = match c {
            ',' => Some('，'),
            ';' => Some('；'),
            ':' => Some('：'),
            '?' => Some('？'),
            '!' => Some('！'),
            _ => None,
        };
        // A full stop typed half-width after Chinese (“结尾.”, “报送.联系”);
        // not a heading marker (“一.”, handled with headings), a decimal
        // point or a dot inside a Latin word.
        if c == '.'
            && i > 0
            && is_cjk(chars[i - 1])
            && !"一二三四五六七八九十".contains(chars[i - 1])
            && chars
                .get(i + 1)
                .is_none_or(|n| n.is_whitespace() || is_cjk(*n))
        {
            out[i] = '。';
            note(&mut changes, "中文后的半角句点 . 改为句号。");
            continue;
        }
        if let Some(f) = full {
            // Keep “10:30” and “1,000”.
            let digit_around = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            if near_cjk(i) && !digit_around {
                out[i] = f;
                note(&mut changes, "半角标点改为全角");
            }
            continue;
        }
        if c == '"' && near_cjk(i) {
            out[i] = if double_open { '“' } else { '”' };
            double_open = !double_open;
            note(&mut changes, "直引号 \" 改为弯引号“”");
        } else if c == '\'' && near_cjk(i) {
            out[i] = if single_open { '‘' } else { '’' };
            single_open = !single_open;
            note(&mut changes, "直引号 ' 改为弯引号‘’");
        }
    }
    (out.into_iter().collect(), changes)
}

/// Whether `c` is a space a word processor or a PDF leaves in text: ASCII,
/// no-break (U+00A0), the typographic spaces and the full-width space.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Char ranges `from..to` of the runs of spaces that sit between two
/// Chinese characters (the full-width space itself is no such character).
fn gaps(chars: &[char]) -> Vec<(usize, usize)> {
    let han = |c: char| is_cjk(c) && c != '\u{3000}';
    let mut out = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        if is_space(chars[i]) && han(chars[i - 1]) {
            let mut j = i;
            while j < chars.len() && is_space(chars[j]) {
                j += 1;
            }
            if j < chars.len() && han(chars[j]) {
                out.push((i, j));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Runs of spaces between two Chinese characters (“安全 生产”), which print
/// as gaps off the character grid; each with two characters of context on
/// either side, for the warning.
pub fn stray_spaces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    gaps(&chars)
        .into_iter()
        .map(|(i, j)| {
            chars[i.saturating_sub(2)..(j + 2).min(chars.len())]
                .iter()
                .collect()
        })
        .collect()
}

/// The 事由 part of a title, from its first “关于” (the whole title if it has
/// none): spaces between the organ names before it are customary.
pub fn after_organs(title: &str) -> &str {
    title.find("关于").map_or(title, |i| &title[i..])
}

/// `text` without the spaces [`stray_spaces`] finds.
pub fn drop_stray_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (i, j) in gaps(&chars) {
        out.extend(&chars[at..i]);
        at = j;
    }
    out.extend(&chars[at..]);
    out
}

/// Drops the spaces between Chinese characters of a pasted line, as a clerk
/// would by hand — except in a 纪要 name list (出席/请假/列席: names set apart
/// by spaces) and, in a title, between the organ names before “关于”.
/// Returns the text and the gaps dropped (for the list of changes).
pub fn drop_pasted_spaces(text: &str, title: bool) -> (String, Vec<String>) {
    if ["出席", "请假", "列席"].iter().any(|p| text.starts_with(p)) {
        return (text.to_string(), Vec::new());
    }
    let keep = if title {
        text.len() - after_organs(text).len()
    } else {
        0
    };
    let (organs, rest) = text.split_at(keep);
    let found = stray_spaces(rest);
    if found.is_empty() {
        return (text.to_string(), found);
    }
    (format!("{organs}{}", drop_stray_spaces(rest)), found)
}

fn note(changes: &mut Vec<String>, what: &str) {
    if !changes.iter().any(|c| c == what) {
        changes.push(what.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_marks_next_to_chinese() {
        let (t, ch) = normalise("村(居),各单位:请\"认真\"执行");
        assert_eq!(t, "村（居），各单位：请“认真”执行");
        assert_eq!(ch.len(), 3);
    }

    #[test]
    fn finds_and_drops_spaces_between_chinese() {
        let t = "安全 生产\u{A0}\u{A0}工作，Word 文档　　和 PDF";
        assert_eq!(
            stray_spaces(t),
            vec!["安全 生产", "生产\u{A0}\u{A0}工作", "文档　　和 "]
        );
        assert_eq!(drop_stray_spaces(t), "安全生产工作，Word 文档和 PDF");
    }

    #[test]
    fn leaves_latin_and_numbers_alone() {
        assert_eq!(normalise("10:30 at 1,000 (ok)").0, "10:30 at 1,000 (ok)");
        assert_eq!(
            normalise("(邹安字〔2019〕11号)").0,
            "（邹安字〔2019〕11号）"
        );
    }
}
