//! The content-template machinery of plans: values printed as data (never
//! structure), bounded output and filters, and minijinja errors in Chinese.

use minijinja::Value;

use super::units::Unit;
use crate::error::Diagnostic;
use crate::source::SourceFile;

/// For an undefined variable: the variables a unit row has.
pub(super) fn unit_hint_text(e: &str, unit: &Unit) -> String {
    if !e.contains(UNDEFINED) {
        return String::new();
    }
    let vars: Vec<String> = unit.values.keys().map(|k| format!("unit.{k}")).collect();
    format!("。名单提供的变量有：{}", vars.join("、"))
}

pub(super) const UNDEFINED: &str = "用到了未定义的变量";

/// Marks around every value a template prints, so the lines it makes can be
/// told from the template's own: data never becomes a table directive. They
/// are private-use characters, removed before anything is printed.
pub(super) const DATA_OPEN: char = '\u{E000}';
pub(super) const DATA_CLOSE: char = '\u{E001}';

/// Largest text a template may produce (the 正文 limit is 30 万字).
const MAX_OUTPUT_BYTES: usize = 2_000_000;

/// Prints a value: marked as data, and on one line (a line break inside a
/// unit's cell must not start a paragraph, which could become a heading).
pub(super) fn data_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    use std::fmt::Write;
    let fail = |_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "输出失败");
    match value.as_str() {
        Some(s) => {
            let one_line: String = s
                .chars()
                .filter(|c| *c != DATA_OPEN && *c != DATA_CLOSE)
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            write!(out, "{DATA_OPEN}{one_line}{DATA_CLOSE}").map_err(fail)
        }
        None => {
            out.write_char(DATA_OPEN).map_err(fail)?;
            minijinja::escape_formatter(out, state, value)?;
            out.write_char(DATA_CLOSE).map_err(fail)
        }
    }
}

/// Removes the data marks.
pub(super) fn strip_marks(s: &str) -> String {
    s.chars()
        .filter(|c| *c != DATA_OPEN && *c != DATA_CLOSE)
        .collect()
}

/// `indent` with a sensible width: the built-in one would build a gigabyte
/// for `indent(1000000000)` before anything could stop it.
pub(super) fn bounded_indent(
    value: String,
    width: Option<usize>,
    first: Option<bool>,
    blank: Option<bool>,
) -> Result<String, minijinja::Error> {
    let width = width.unwrap_or(4);
    if width > 40 {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("indent 的宽度 {width} 太大（最多 40）"),
        ));
    }
    let pad = " ".repeat(width);
    let mut out = String::new();
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = (i > 0 || first.unwrap_or(false))
            && (blank.unwrap_or(false) || !line.trim().is_empty());
        if indent {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(out)
}

/// A sink that refuses to grow past [`MAX_OUTPUT_BYTES`], so a template
/// that prints without end stops while it renders, not after.
struct Capped {
    text: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("too long"));
        }
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders with the output bounded; errors in Chinese (see [`describe`]).
pub(super) fn render_capped(
    t: &minijinja::Template,
    ctx: &Value,
    text: &str,
) -> Result<String, String> {
    let mut sink = Capped {
        text: Vec::new(),
        over: false,
    };
    match t.render_captured_to(ctx, &mut sink) {
        Ok(_) => String::from_utf8(sink.text).map_err(|_| "模板输出不是 UTF-8 文本".to_string()),
        Err(_) if sink.over => Err(format!(
            "模板输出超过了 {} MB 的上限（可能是循环写出了太多内容），已停止",
            MAX_OUTPUT_BYTES / 1_000_000
        )),
        Err(e) => Err(describe(&e, text)),
    }
}

/// A minijinja error in Chinese: what, where (template line, quoted from
/// `text`, the template or string that was rendered).
pub(super) fn describe(e: &minijinja::Error, text: &str) -> String {
    use minijinja::ErrorKind as K;
    let what = match e.kind() {
        K::UndefinedError => UNDEFINED.to_string(),
        K::SyntaxError => "模板语法错误".to_string(),
        K::OutOfFuel => "模板运算太多（可能是死循环），已停止".to_string(),
        K::InvalidOperation => "无效的运算".to_string(),
        K::UnknownFilter => "不认识的过滤器".to_string(),
        K::UnknownFunction => "不认识的函数".to_string(),
        K::TemplateNotFound => "模板不存在（内容模板不能引用其他文件）".to_string(),
        _ => "模板出错".to_string(),
    };
    let detail = e.detail().map(|d| format!("（{d}）")).unwrap_or_default();
    let place = match (e.name(), e.line()) {
        (Some(n), Some(l)) => format!("，位置 {n} 第 {l} 行"),
        (None, Some(l)) => format!("，第 {l} 行"),
        _ => String::new(),
    };
    let source = e
        .line()
        .and_then(|l| text.lines().nth(l.saturating_sub(1)))
        .map(|t| format!("：{}", t.trim()))
        .unwrap_or_default();
    format!("{what}{detail}{place}{source}")
}

pub(super) fn template_error(
    source: &SourceFile,
    name: &str,
    e: &minijinja::Error,
    text: &str,
) -> Diagnostic {
    source
        .error(
            "template",
            format!("内容模板 {name}：{}", describe(e, text)),
        )
        .hint("检查 {{ }} 和 {% %} 是否成对、变量名是否写对。")
}
