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
    fn leaves_latin_and_numbers_alone() {
        assert_eq!(normalise("10:30 at 1,000 (ok)").0, "10:30 at 1,000 (ok)");
        assert_eq!(
            normalise("(邹安字〔2019〕11号)").0,
            "（邹安字〔2019〕11号）"
        );
    }
}
