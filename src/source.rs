//! Loading YAML input: bytes → text → typed model, with every error placed at
//! file:line:column and a field path, in Chinese.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Diagnostic, Error};

/// Largest input file read (YAML documents, plans, units in YAML).
pub const MAX_BYTES: usize = 8_000_000;

/// Largest YAML accepted after alias expansion is bounded by serde_yaml;
/// nesting deeper than this is refused before parsing.
const MAX_DEPTH: usize = 64;

/// Where a field sits in the source.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    /// 1-based line and column of the key (or of the item for list items).
    pub line: usize,
    pub column: usize,
    /// 1-based line where the value's text starts (block scalars: the
    /// first content line after `|`).
    pub value_line: usize,
    pub value_column: usize,
}

/// Where a model came from, for messages and for the files it refers to.
///
/// A notice read from a YAML file has positions: diagnostics name
/// file:line:column. A notice gongwen built itself (a plan for one unit, a
/// quarterly summary) has none: its diagnostics name `label`, and field
/// paths only.
pub enum Origin {
    File(SourceFile),
    Built {
        /// A file name for messages; its folder is where seal images are
        /// looked up.
        label: PathBuf,
    },
}

impl Origin {
    /// A model built in memory, shown as `label`.
    pub fn built(label: impl Into<PathBuf>) -> Origin {
        Origin::Built {
            label: label.into(),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Origin::File(f) => &f.path,
            Origin::Built { label } => label,
        }
    }

    /// The folder files named by the document (seals) are read from.
    pub fn dir(&self) -> PathBuf {
        match self.path().parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    pub fn place(&self, field: &str) -> Option<Place> {
        match self {
            Origin::File(f) => f.place(field),
            Origin::Built { .. } => None,
        }
    }

    /// A one-line scalar field as the clerk typed it (quotes and a trailing
    /// comment removed): warnings about the written form need it, the model
    /// keeps only the value.
    pub fn written(&self, field: &str) -> Option<String> {
        let Origin::File(f) = self else { return None };
        let place = f.place(field)?;
        let line = f.text.lines().nth(place.value_line.checked_sub(1)?)?;
        let value: String = line
            .chars()
            .skip(place.value_column.saturating_sub(1))
            .collect();
        let value = value.split(" #").next().unwrap_or("").trim();
        let value = value
            .strip_prefix(['"', '\''])
            .and_then(|v| v.strip_suffix(['"', '\'']))
            .unwrap_or(value);
        Some(value.to_string())
    }

    pub fn error(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        match self {
            Origin::File(f) => f.error(field, message),
            Origin::Built { label } => Diagnostic::error(label, field, message),
        }
    }

    pub fn warning(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        match self {
            Origin::File(f) => f.warning(field, message),
            Origin::Built { label } => Diagnostic::warning(label, field, message),
        }
    }
}

/// A YAML file read into memory, with the position of every field path.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    places: HashMap<String, Place>,
}

impl SourceFile {
    /// Reads the file and checks it is non-empty UTF-8 YAML.
    pub fn read(path: &Path) -> Result<SourceFile, Error> {
        // A 公文 is a few dozen KB; refuse before reading something absurd.
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.len() > MAX_BYTES as u64 {
                return Err(Error::Input(vec![Diagnostic::error(
                    path,
                    "",
                    format!(
                        "文件有 {:.1} MB，超过了 {} MB 的上限。",
                        meta.len() as f64 / 1e6,
                        MAX_BYTES / 1_000_000
                    ),
                )
                .hint("一份公文的数据不会这么大；请检查是否选错了文件。")]));
            }
        }
        let bytes = crate::guard::read_capped(path, MAX_BYTES, "文件")?;
        Self::from_bytes(path, &bytes)
    }

    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<SourceFile, Error> {
        let fail =
            |msg: &str, hint: &str| Error::Input(vec![Diagnostic::error(path, "", msg).hint(hint)]);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(fail(
                "文件是空的，没有任何内容。",
                "用 `gongwen new 通知` 生成一个模板，再填写。",
            ));
        }
        let text = match decode(bytes) {
            Some((t, false)) => t.trim_start_matches('\u{FEFF}').to_string(),
            Some((_, true)) => {
                return Err(fail(
                    "文件是 GBK（ANSI）编码，gongwen 只读 UTF-8 编码。",
                    "运行 `gongwen check --fix 文件名` 自动转换（原文件先备份），或用记事本、WPS 打开，“另存为”时把编码选成 UTF-8。",
                ))
            }
            None => {
                return Err(fail(
                    "这不是文本文件（可能是 Word、PDF 或图片）。",
                    "gongwen 读取 YAML 文本文件（.yaml）。",
                ))
            }
        };
        refuse_invisible(path, &text)?;
        let places = index_places(&text).map_err(|(line, col, msg, hint)| {
            Error::Input(vec![Diagnostic::error(
                path,
                "",
                format!("YAML 语法错误：{msg}。"),
            )
            .at(line, col)
            .hint(hint)])
        })?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
            places,
        })
    }

    pub fn place(&self, path: &str) -> Option<Place> {
        self.places.get(path).copied()
    }

    /// Every field path of the file, sorted.
    pub fn fields(&self) -> Vec<&str> {
        let mut f: Vec<&str> = self.places.keys().map(String::as_str).collect();
        f.sort_unstable();
        f
    }

    /// A diagnostic at the given field path (nearest known parent if the field
    /// itself is not in the file).
    pub fn error(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::error(&self.path, path, message))
    }

    pub fn warning(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::warning(&self.path, path, message))
    }

    fn locate(&self, d: Diagnostic) -> Diagnostic {
        let mut p = d.path.as_str();
        loop {
            if let Some(pl) = self.places.get(p) {
                return d.at(pl.line, pl.column);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return d,
            }
        }
    }

    /// Deserialises the whole file into `T`, translating serde's messages.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let de = serde_yaml::Deserializer::from_str(&self.text);
        serde_path_to_error::deserialize(de).map_err(|err| {
            let path = clean_path(&err.path().to_string());
            let inner = err.into_inner();
            let (message, hint) = translate(&inner.to_string(), &path);
            let mut d = self.error(&path, message);
            // The field's own place is best; serde's position is used for
            // fields the file does not have (an unknown field's key).
            if self.place(&path).is_none() || path.is_empty() {
                if let Some(loc) = inner.location() {
                    d = d.at(loc.line(), loc.column());
                }
            }
            if let Some(h) = hint {
                d = d.hint(h);
            }
            Error::Input(vec![d])
        })
    }
}

/// How to clean a YAML file of pasted invisible characters.
pub const FIX_HINT: &str = "这些字符看不见，多是从 Word、网页或 PDF 复制文字时带进来的。运行 `gongwen check --fix 文件名` 自动清理（原文件先备份为“文件名.修改前.yaml”），或在记事本、WPS 中删去这个位置的字符。";

/// Control, bidirectional and invisible format characters are refused,
/// each named with its line and column (the first 20).
fn refuse_invisible(path: &Path, text: &str) -> Result<(), Error> {
    let found = crate::guard::scan(text);
    if found.is_empty() {
        return Ok(());
    }
    let mut diags: Vec<Diagnostic> = found
        .iter()
        .take(20)
        .map(|f| {
            Diagnostic::error(path, "", format!("这里有一个看不见的字符：{}。", f.label()))
                .at(f.line, f.column)
                .hint(FIX_HINT)
        })
        .collect();
    if found.len() > 20 {
        diags.push(Diagnostic::error(
            path,
            "",
            format!("……另有 {} 个这样的字符未列出。", found.len() - 20),
        ));
    }
    Err(Error::Input(diags))
}

/// Deserialises a value gongwen built itself (no file, no positions) into
/// `T`; the error is one Chinese line naming the field.
pub fn from_value<T: DeserializeOwned>(value: serde_yaml::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = clean_path(&err.path().to_string());
        let (message, hint) = translate(&err.into_inner().to_string(), &path);
        let field = if path.is_empty() {
            String::new()
        } else {
            format!("字段 {path}：")
        };
        let hint = hint.map(|h| format!("（{h}）")).unwrap_or_default();
        format!("{field}{message}{hint}")
    })
}

/// The text of a file: `(text, false)` for UTF-8, `(text, true)` for text
/// saved as GBK (ANSI), `None` for bytes that are no text at all.
pub fn decode(bytes: &[u8]) -> Option<(String, bool)> {
    match std::str::from_utf8(bytes) {
        Ok(t) if !looks_like_gbk(t, bytes) => Some((t.to_string(), false)),
        _ => {
            let (gbk, _, bad) = encoding_rs::GBK.decode(bytes);
            (!bad && !bytes.contains(&0)).then(|| (gbk.into_owned(), true))
        }
    }
}

/// Short GBK text can also be valid UTF-8 (通知 in GBK reads as two accented
/// Greek/Hebrew letters). Text without any Chinese that decodes as GBK into
/// Chinese was saved as GBK.
fn looks_like_gbk(utf8: &str, bytes: &[u8]) -> bool {
    let odd = utf8.chars().any(|c| ('\u{0300}'..='\u{07FF}').contains(&c));
    let chinese = utf8.chars().any(crate::compose::punct::is_cjk);
    if !odd || chinese {
        return false;
    }
    let (gbk, _, bad) = encoding_rs::GBK.decode(bytes);
    !bad && gbk.chars().any(crate::compose::punct::is_cjk)
}

/// serde_path_to_error prints `.` for the root and `?` for unknown segments.
fn clean_path(p: &str) -> String {
    if p == "." {
        return String::new();
    }
    p.replace(".?", "").trim_start_matches('?').to_string()
}

/// Turns serde/serde_yaml English messages into Chinese with a fix.
fn translate(msg: &str, path: &str) -> (String, Option<String>) {
    let msg = msg.split(" at line ").next().unwrap_or(msg).trim();
    // serde_yaml prefixes nested errors with the field path (“copies: …”).
    let msg = [
        "unknown field ",
        "missing field ",
        "invalid type: ",
        "invalid value",
        "unknown variant",
        "data did not match",
    ]
    .iter()
    .find_map(|k| msg.find(k).map(|i| &msg[i..]))
    .unwrap_or(msg);
    // … and our own messages too (“body[1].table.rows[0]: 合并的……”).
    let msg = match msg.split_once(": ") {
        Some((p, rest))
            if !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c))
                && rest.chars().any(crate::compose::punct::is_cjk) =>
        {
            rest
        }
        _ => msg,
    };
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let names = quoted(rest);
        let bad = names.first().cloned().unwrap_or_default();
        let allowed = &names[1.min(names.len())..];
        let guess = allowed
            .iter()
            .min_by_key(|a| edit_distance(a, &bad))
            .filter(|a| edit_distance(a, &bad) <= 3);
        let hint = match guess {
            Some(g) => format!("是不是想写“{g}”？可用的字段：{}", allowed.join("、")),
            None => format!("可用的字段：{}", allowed.join("、")),
        };
        return (format!("不认识的字段“{bad}”。"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let name = quoted(rest).into_iter().next().unwrap_or_default();
        return (
            format!("缺少必填字段“{name}”。"),
            Some(format!(
                "在{}下面加上“{name}: …”。",
                if path.is_empty() {
                    "文件顶层"
                } else {
                    path
                }
            )),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!("类型不对：这里要{}，写的是{}。", want_zh(want), got_zh(got)),
            Some("对照 `gongwen new` 生成的模板检查这个字段的写法。文字里有冒号、井号等符号时，用引号把整段括起来。".to_string()),
        );
    }
    if msg.starts_with("data did not match any variant") {
        return (
            "这个字段的写法不对。".to_string(),
            Some(variant_hint(path).to_string()),
        );
    }
    if msg.contains("repetition limit exceeded") {
        return (
            "YAML 别名（*引用）展开得太多（像“别名炸弹”），已拒绝。".to_string(),
            Some("不要用 & 和 * 反复引用同一段内容；直接写出需要的数据。".to_string()),
        );
    }
    if msg.contains("recursion limit exceeded") {
        return (
            "嵌套层次太深。".to_string(),
            Some("公文数据不需要这么多层缩进，请检查缩进。".to_string()),
        );
    }
    if msg.starts_with("invalid value") || msg.starts_with("unknown variant") {
        let names = quoted(msg);
        let bad = names.first().cloned().unwrap_or_default();
        return (
            format!("取值“{bad}”不对。"),
            Some(format!(
                "可选的值：{}",
                names[1.min(names.len())..].join("、")
            )),
        );
    }
    // Our own messages are already Chinese; the rest are YAML errors
    // serde_yaml found (a key written twice, a second document).
    if msg.chars().any(crate::compose::punct::is_cjk) {
        return (msg.to_string(), None);
    }
    let (zh, hint) = yaml_error_zh(msg);
    (format!("YAML 语法错误：{zh}。"), Some(hint.to_string()))
}

fn want_zh(w: &str) -> String {
    if w.contains("string") {
        "写文字".into()
    } else if w.contains("sequence") {
        "写一个列表（每项一行，以“- ”开头）".into()
    } else if w.contains("map") || w.contains("struct") {
        "写若干“字段: 值”".into()
    } else if w.contains("integer") || w.contains("u32") || w.contains("i32") {
        "写一个整数".into()
    } else if w.contains("boolean") {
        "写 true 或 false".into()
    } else {
        format!("写 {w}")
    }
}

fn got_zh(g: &str) -> String {
    if g.starts_with("string") {
        format!("文字 {}", g.trim_start_matches("string").trim())
    } else if g.starts_with("sequence") {
        "一个列表".into()
    } else if g.starts_with("map") {
        "一组“字段: 值”".into()
    } else if g.starts_with("integer") || g.starts_with("floating point") {
        format!("数字 {}", g.split('`').nth(1).unwrap_or(""))
    } else if g.starts_with("boolean") {
        "true/false".into()
    } else if g == "unit value" {
        "空值".into()
    } else {
        g.to_string()
    }
}

fn variant_hint(path: &str) -> &'static str {
    let last = path.rsplit(['.', '[']).next().unwrap_or(path);
    match last {
        "number" => "发文字号写成“千街发〔2019〕8号”，或写成 code/year/seq 三项。",
        "issuer" => "发文机关标志写成一行文字，或写 names（机关名称列表）和 suffix（如“文件”）。",
        "seal" => "印章写成图片文件名（如 seal.png），或写 file 和 size_mm。",
        "secrecy" => "密级写成“机密★1年”，或写 level 和 period。",
        "body" => "正文写成多行文字（每段一行），或写成列表：每项是一段文字，或 table、heading、paragraph、members、chart 之一。",
        _ => "对照 `gongwen new` 生成的模板检查这个字段的写法。",
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let v = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Walks the YAML event stream and records where each field path starts.
/// A YAML problem found while indexing: line, column, message, hint.
type Syntax = (usize, usize, String, &'static str);

fn index_places(text: &str) -> Result<HashMap<String, Place>, Syntax> {
    struct Frame {
        path: String,
        seq: bool,
        index: usize,
        key: Option<(String, Marker)>,
    }
    struct Recv {
        stack: Vec<Frame>,
        places: HashMap<String, Place>,
        events: usize,
        /// First place nesting went deeper than [`MAX_DEPTH`].
        too_deep: Option<(usize, usize)>,
        /// A key written twice in one mapping: its name, where, and where first.
        duplicate: Option<(String, Marker, usize)>,
        documents: usize,
        /// Where a second document (`---`) starts.
        second: Option<Marker>,
    }
    impl Recv {
        /// The path and key marker of the value about to start, or `None`
        /// if the event is a mapping key.
        fn value_slot(&mut self, ev: &Event, mark: Marker) -> Option<(String, Marker)> {
            let Some(top) = self.stack.last_mut() else {
                return Some((String::new(), mark));
            };
            if top.seq {
                let p = format!("{}[{}]", top.path, top.index);
                top.index += 1;
                return Some((p, mark));
            }
            match top.key.take() {
                Some((k, kmark)) => {
                    let p = if top.path.is_empty() {
                        k
                    } else {
                        format!("{}.{k}", top.path)
                    };
                    Some((p, kmark))
                }
                None => {
                    let key = match ev {
                        Event::Scalar(s, ..) => s.clone(),
                        _ => "?".to_string(),
                    };
                    top.key = Some((key, mark));
                    None
                }
            }
        }
    }
    impl Recv {
        fn check_duplicate(&mut self, path: &str, key: Marker) {
            if self.duplicate.is_some() || path.is_empty() || path.contains('?') {
                return;
            }
            if let Some(first) = self.places.get(path) {
                let name = path.rsplit('.').next().unwrap_or(path).to_string();
                self.duplicate = Some((name, key, first.line));
            }
        }
    }
    impl MarkedEventReceiver for Recv {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            self.events += 1;
            match &ev {
                Event::DocumentStart => {
                    self.documents += 1;
                    if self.documents == 2 {
                        self.second = Some(mark);
                    }
                }
                Event::Scalar(..) => {
                    if let Some((p, kmark)) = self.value_slot(&ev, mark) {
                        self.check_duplicate(&p, kmark);
                        let place = Place {
                            line: kmark.line(),
                            column: kmark.col() + 1,
                            value_line: mark.line(),
                            value_column: mark.col() + 1,
                        };
                        self.places.entry(p).or_insert(place);
                    }
                }
                Event::Alias(_) => {
                    let _ = self.value_slot(&ev, mark);
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let seq = matches!(ev, Event::SequenceStart(..));
                    if self.stack.len() >= MAX_DEPTH && self.too_deep.is_none() {
                        self.too_deep = Some((mark.line(), mark.col() + 1));
                    }
                    // A mapping used as a key is unusual; index it under "?".
                    let (p, kmark) = self
                        .value_slot(&ev, mark)
                        .unwrap_or_else(|| ("?".to_string(), mark));
                    self.check_duplicate(&p, kmark);
                    let place = Place {
                        line: kmark.line(),
                        column: kmark.col() + 1,
                        value_line: mark.line(),
                        value_column: mark.col() + 1,
                    };
                    self.places.entry(p.clone()).or_insert(place);
                    self.stack.push(Frame {
                        path: p,
                        seq,
                        index: 0,
                        key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.stack.pop();
                }
                _ => {}
            }
        }
    }
    let mut recv = Recv {
        stack: Vec::new(),
        places: HashMap::new(),
        events: 0,
        too_deep: None,
        duplicate: None,
        documents: 0,
        second: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut recv, true).map_err(|e| {
        let (msg, hint) = yaml_error_zh(e.info());
        (e.marker().line(), e.marker().col() + 1, msg, hint)
    })?;
    if let Some(m) = recv.second {
        let (msg, hint) = yaml_error_zh("more than one document");
        return Err((m.line(), m.col() + 1, msg, hint));
    }
    if let Some((line, col)) = recv.too_deep {
        return Err((
            line,
            col,
            format!("嵌套超过 {MAX_DEPTH} 层（公文数据不需要这么多层缩进）"),
            "检查缩进：同一层的字段缩进要对齐。",
        ));
    }
    if let Some((name, m, first)) = recv.duplicate {
        return Err((
            m.line(),
            m.col() + 1,
            format!("字段“{name}”写了两次（第一次在第 {first} 行）"),
            "同一层里每个字段只能出现一次：删去其中一个，保留要印的那一个。",
        ));
    }
    Ok(recv.places)
}

/// A YAML syntax error (yaml-rust2's scanner and parser, serde_yaml's
/// document checks) in Chinese, with how to fix it. Nothing of the English
/// message reaches the clerk.
pub fn yaml_error_zh(info: &str) -> (String, &'static str) {
    const INDENT: &str = "检查这一行的缩进和冒号：每个字段写成“字段: 值”，冒号后面要有空格；同一层的字段缩进要对齐（用空格，不用 Tab）。";
    const QUOTE: &str = "文字里有冒号、井号、引号等符号时，用引号把整段括起来，或改用“字段: |”后另起一行、缩进两格写文字。";
    let table: &[(&str, &str, &'static str)] = &[
        ("mapping values are not allowed", "这里不能出现“: ”（冒号加空格）：文字里有冒号，或这一行缩进多了", "文字里有“: ”时用引号把整段括起来，或写成“字段: |”后另起一行、缩进两格写文字；若是缩进多了，让这一行和上面的字段对齐。"),
        ("mapping keys are not allowed", "这里不能出现“? ”", QUOTE),
        ("block sequence entries are not allowed", "这里不能出现以“- ”开头的列表项", INDENT),
        ("did not find expected key", "缩进不一致：这一行和上面的字段没有对齐", INDENT),
        ("did not find expected '-' indicator", "列表项没有对齐：同一列表的每一项都以同样缩进的“- ”开头", INDENT),
        ("did not find expected node content", "这里缺少内容（冒号或“- ”后面什么也没有，或多了一个符号）", QUOTE),
        ("simple key expect", "这一行缺少“: ”（冒号加空格）", INDENT),
        ("simple key expected", "这一行缺少“: ”（冒号加空格）", INDENT),
        ("could not find expected ':'", "这一行缺少“: ”（冒号加空格）", INDENT),
        ("found a tab", "这里用了 Tab 键；YAML 只能用空格缩进、分隔", INDENT),
        ("tabs disallowed", "这里用了 Tab 键；YAML 只能用空格缩进、分隔", INDENT),
        ("cannot start with a tab", "这段文字以 Tab 开头；YAML 只能用空格缩进", INDENT),
        ("invalid indentation", "缩进不对", INDENT),
        ("while scanning a quoted scalar, found unexpected end of stream", "引号没有配对：这里开始的引号一直到文件末尾都没有结束", "在文字末尾补上同样的引号，或去掉开头的引号。"),
        ("quoted scalar, found unexpected document indicator", "引号没有配对：引号里的文字跨过了“---”", "在文字末尾补上同样的引号。"),
        ("invalid trailing content after double-quoted scalar", "引号结束后还有文字", "把整段文字都放进引号里；文字中间的双引号请用中文引号“”。"),
        ("unknown escape character", "双引号里的反斜杠“\\”后面跟了无法识别的字符", "文字里要写反斜杠时改用单引号括起来，或写成两个反斜杠。"),
        ("hexadecimal number", "双引号里的“\\x”“\\u”后面不是合法的十六进制数", "文字里要写反斜杠时改用单引号括起来，或写成两个反斜杠。"),
        ("invalid Unicode character escape", "双引号里的“\\u”不是合法的字符编码", "文字里要写反斜杠时改用单引号括起来，或写成两个反斜杠。"),
        ("flow mapping", "花括号 { } 没有配对或缺少逗号", "公文数据不需要花括号；文字以“{”开头时请用引号括起来。"),
        ("flow sequence", "方括号 [ ] 没有配对或缺少逗号", "列表可以每项一行、以“- ”开头；文字以“[”开头时请用引号括起来。"),
        ("flow construct", "方括号或花括号里的缩进不对", "列表可以每项一行、以“- ”开头；文字以“[”或“{”开头时请用引号括起来。"),
        ("anchor or alias", "“&”或“*”后面缺少名字", "文字以“&”“*”开头时请用引号括起来。"),
        ("found unknown anchor", "“*”引用了一个没有定义的名字", "文字以“*”开头时请用引号括起来。"),
        ("duplicated anchor", "同一个“&”名字定义了两次", "文字以“&”开头时请用引号括起来。"),
        ("tag", "“!”在这里有特殊含义", "文字以“!”开头时请用引号括起来。"),
        ("handle wasn't declared", "“!”在这里有特殊含义", "文字以“!”开头时请用引号括起来。"),
        ("directive", "以“%”开头的行在 YAML 里有特殊含义", "文字以“%”开头时请用引号括起来。"),
        ("block scalar", "“|”或“>”后面只能换行，不能接文字", "写成“字段: |”，文字另起一行、缩进两格。"),
        ("comments must be separated", "“#”前面要有空格（否则它既不是注释也不是文字）", "文字里有“#”时用引号把整段括起来；注释的“#”前加一个空格。"),
        ("unexpected character", "这里有一个不能作为开头的字符（如 @、`、%）", QUOTE),
        ("cannot start any token", "这里有一个不能作为开头的字符（如 @、`、%）", QUOTE),
        ("document end marker", "“...”之后还有内容", "一个文件只写一份公文：删去“...”或其后的内容。"),
        ("document start", "“---”用得不对", "一个文件只写一份公文：删去多余的“---”。"),
        ("more than one document", "文件里有两份数据（用“---”隔开了）", "一个文件只写一份公文：删去第二个“---”及其后的内容，或另存为一个文件。"),
        ("incompatible YAML document", "文件开头的“%YAML”版本不对", "删去“%YAML”这一行。"),
        ("duplicate version directive", "“%YAML”写了两次", "删去多余的“%YAML”行。"),
        ("duplicate entry", "同一个字段写了两次", "删去其中一个（保留要印的那一个）；同一层里每个字段只能出现一次。"),
        ("recursion limit", "嵌套层次太深（公文数据不需要这么多层括号或缩进）", INDENT),
        ("unexpected eof", "文件在这里意外结束", "检查最后几行：引号、括号是否配对。"),
        ("unexpected end of stream", "文件在这里意外结束", "检查最后几行：引号、括号是否配对。"),
        ("expected whitespace", "这里缺少空格", INDENT),
        ("did not find expected", "这里的写法 YAML 无法读懂", INDENT),
    ];
    for (key, zh, hint) in table {
        if info.contains(key) {
            return (zh.to_string(), hint);
        }
    }
    ("这里的写法 YAML 无法读懂".to_string(), INDENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_nested_paths() {
        let text = "title: 标题\nattachments:\n  - title: 一\n  - title: 二\nbody: |\n  第一段\n";
        let p = index_places(text).unwrap();
        let a = p["attachments[1].title"];
        assert_eq!((a.line, a.column), (4, 5));
        assert_eq!(p["body"].value_line, 6);
        assert_eq!(p["title"].line, 1);
    }

    #[test]
    fn translates_unknown_field_with_a_guess() {
        let (m, h) = translate("unknown field `titel`, expected one of `title`, `body`", "");
        assert!(m.contains("titel"));
        assert!(h.unwrap().contains("是不是想写“title”"));
    }
}
