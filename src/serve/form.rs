//! The 拟文 form: which fields of a 公文 the web form shows, and the way
//! between the form and the YAML that stays the saved form of a document.
//!
//! The form owns a fixed list of fields ([`FIELDS`]); simple tables (one
//! header row, no merged cells) are grids placed in 正文, an 附件 or the
//! 印发的文件 by a marker line (`【表格1】`), and 附件 pages are a list of
//! title and text. Whatever else a document holds (merged tables, 名单,
//! 签批单 rows) stays YAML in the form's “其他内容” box, so a document
//! round-trips through the form without losing anything. The YAML is made with `serde_yaml` (never by
//! pasting strings together) and then read back by the same
//! [`SourceFile`](crate::source::SourceFile) code as a file, so the form gets
//! the errors `check` gives, by field path.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

/// A document as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormDoc {
    #[serde(default)]
    pub values: Values,
    /// “其他内容”: the YAML of fields the form does not show.
    #[serde(default)]
    pub rest: String,
    /// The simple tables, numbered from 1 by their marker lines.
    #[serde(default)]
    pub tables: Vec<FormTable>,
    /// The 附件 pages, in order.
    #[serde(default)]
    pub attachments: Vec<FormAttachment>,
}

/// A table the form edits as a grid: one header row, no merged cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormTable {
    #[serde(default)]
    pub title: String,
    /// The header row.
    #[serde(default)]
    pub columns: Vec<String>,
    /// The rows, each as wide as `columns`.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, kept while the number of columns stays.
    #[serde(default)]
    pub widths: Vec<f64>,
    /// Printed turned on its own pages.
    #[serde(default)]
    pub landscape: bool,
}

/// An 附件 page: its title and text (one paragraph a line, tables by
/// marker line).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormAttachment {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// What kind of input a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    /// One line of text.
    Text,
    /// Several lines, each one item of a list.
    Lines,
    /// A large text area kept as one text (正文: one paragraph per line).
    Area,
    /// A date (`2019-04-15`).
    Date,
    /// One of fixed choices.
    Select,
    /// A whole number.
    Int,
    /// Yes or no.
    Check,
    /// The 发文字号: how it is given (auto / fixed / none), 代字, year, text.
    Number,
    /// A list of short items, each its own input (added, removed, moved).
    List,
    /// The seal picture: uploaded, shown, removed (the value is its file).
    Seal,
    /// The 附件 pages ([`FormDoc::attachments`]).
    Attachments,
    /// The simple tables ([`FormDoc::tables`]).
    Tables,
}

/// One field of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The YAML path, dotted (`approval.drafter`).
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    /// The section of the form it is shown in.
    pub section: &'static str,
    /// Choices of a [`Input::Select`].
    pub choices: &'static [&'static str],
    /// Shown as required (the check decides; this only marks the label).
    pub required: bool,
}

const fn f(
    key: &'static str,
    label: &'static str,
    input: Input,
    section: &'static str,
    hint: &'static str,
) -> Field {
    Field {
        key,
        label,
        hint,
        input,
        section,
        choices: &[],
        required: false,
    }
}

const fn req(mut field: Field) -> Field {
    field.required = true;
    field
}

const fn choose(mut field: Field, choices: &'static [&'static str]) -> Field {
    field.choices = choices;
    field
}

/// The fields of the form, in the order they are shown and written.
pub const FIELDS: &[Field] = &[
    req(choose(
        f("kind", "文种", Input::Select, "版头", "选定后按该文种的格式排版。"),
        &crate::model::notice::KINDS,
    )),
    choose(
        f("urgency", "紧急程度", Input::Select, "版头", "不紧急的公文不选。"),
        &["", "特急", "加急"],
    ),
    f(
        "issuer.names",
        "发文机关",
        Input::Lines,
        "版头",
        "红头上的机关名称，如“青石县人民政府办公室”；联合行文每行写一个，主办机关在前。",
    ),
    f(
        "issuer.suffix",
        "红头后缀",
        Input::Text,
        "版头",
        "一般写“文件”；信函格式不写。",
    ),
    f(
        "number",
        "发文字号",
        Input::Number,
        "版头",
        "机关代字〔年份〕序号号。选“定稿时取号”，取号并生成时由登记簿给下一个号。",
    ),
    f(
        "signers",
        "签发人",
        Input::Lines,
        "版头",
        "请示、报告、议案等上行文必须写签发人，每行一个姓名。",
    ),
    req(f(
        "title",
        "标题",
        Input::Text,
        "主体",
        "发文机关＋关于＋事由＋文种，如“××关于做好防汛工作的通知”。",
    )),
    f(
        "to",
        "主送机关",
        Input::Text,
        "主体",
        "如“各村（居），街道各部门”；机关之间用顿号或逗号。",
    ),
    req(f(
        "body",
        "正文",
        Input::Area,
        "主体",
        "每段一行，回车分段；“一、”“（一）”“1.”开头的段落自动排成各级标题。可直接从 Word 粘贴，会自动清理空格和半角标点。单独一行的“【表格1】”处排入表格 1。",
    )),
    f(
        "tables",
        "表格",
        Input::Tables,
        "表格",
        "第一行是表头。表格排在正文（或附件、印发的文件）里写着“【表格1】”“【表格2】”的那一行；没写的排在正文末尾。",
    ),
    f(
        "attachment_note",
        "附件说明",
        Input::List,
        "附件",
        "正文后“附件：”列出的名称，每项一个，不加书名号和标点；不填时按下面附件页的标题列出。",
    ),
    f(
        "attachments",
        "附件页",
        Input::Attachments,
        "附件",
        "版记之前另起一页印的附件：标题和内容（每段一行，可用“【表格1】”排入表格）。",
    ),
    f(
        "signature",
        "发文机关署名",
        Input::Lines,
        "主体",
        "联合行文每行写一个机关。",
    ),
    req(f(
        "date",
        "成文日期",
        Input::Date,
        "主体",
        "领导签发的日期，写成 2024-05-20。",
    )),
    f(
        "seal",
        "印章",
        Input::Seal,
        "主体",
        "上传透明底的 PNG 或 JPG 印章图片（每边不超过 5000 像素），盖在署名和成文日期上。盖实物章的写“实物章”。",
    ),
    f(
        "note",
        "附注",
        Input::Text,
        "主体",
        "如“此件公开发布”“联系人：张三，电话：1234567”，排版时自动加括号。",
    ),
    f(
        "enclosure.title",
        "印发的文件标题",
        Input::Text,
        "印发的文件",
        "“关于印发《……》的通知”后面所附文件的标题，不加书名号。",
    ),
    f(
        "enclosure.body",
        "印发的文件正文",
        Input::Area,
        "印发的文件",
        "写法同正文：每段一行。",
    ),
    f(
        "cc",
        "抄送机关",
        Input::Text,
        "版记",
        "如“县委办公室，县人大常委会办公室”。",
    ),
    f(
        "printer",
        "印发机关",
        Input::Text,
        "版记",
        "一般是发文机关的办公室。",
    ),
    f(
        "print_date",
        "印发日期",
        Input::Date,
        "版记",
        "写成 2024-05-20。",
    ),
    f("copies", "印制份数", Input::Int, "版记", "如 80。"),
    f(
        "options.show_copies",
        "版记上印份数",
        Input::Check,
        "版记",
        "印成“（共印80份）”。",
    ),
    f(
        "approval.title",
        "签批单名称",
        Input::Text,
        "签批单",
        "不写时为“发文机关＋公文签批单”。",
    ),
    f(
        "approval.doc_title",
        "签批单上的文件标题",
        Input::Text,
        "签批单",
        "与公文标题不同时才写（如印发的方案的标题）。",
    ),
    f(
        "approval.drafting_unit",
        "拟稿单位",
        Input::Text,
        "签批单",
        "",
    ),
    f("approval.drafter", "拟稿人", Input::Text, "签批单", ""),
    f(
        "approval.checker",
        "核稿人",
        Input::Text,
        "签批单",
        "部门负责人。",
    ),
    choose(
        f(
            "approval.disclosure",
            "公开属性",
            Input::Select,
            "签批单",
            "依申请公开、不予公开须写理由。",
        ),
        &["", "主动公开", "依申请公开", "不予公开"],
    ),
    f(
        "approval.reason",
        "不公开的理由",
        Input::Text,
        "签批单",
        "",
    ),
];

/// The form's values: field key → what the clerk typed (checkboxes
/// `"true"`); the number field uses `number.mode`, `number.code`,
/// `number.year` and `number.text`.
pub type Values = BTreeMap<String, String>;

/// The top-level keys in the order a 公文 file is written.
const ORDER: [&str; 26] = [
    "kind",
    "format",
    "direction",
    "copy_number",
    "secrecy",
    "urgency",
    "issuer",
    "number",
    "signers",
    "title",
    "to",
    "body",
    "attachment_note",
    "attachments",
    "signature",
    "date",
    "seal",
    "note",
    "enclosure",
    "cc",
    "printer",
    "print_date",
    "copies",
    "options",
    "register_id",
    "approval",
];

/// The form field a diagnostic's field path belongs to: the longest field
/// key that is the path or a parent of it; else `None` (shown above the
/// form, or beside “其他内容”).
pub fn field_of(path: &str) -> Option<&'static str> {
    let top = |k: &str| {
        path == k
            || path
                .strip_prefix(k)
                .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
    };
    if top("issuer") {
        return Some("issuer.names");
    }
    FIELDS
        .iter()
        .map(|f| f.key)
        .filter(|k| top(k))
        .max_by_key(|k| k.len())
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn lines_of(v: &Value) -> Option<String> {
    match v {
        Value::Sequence(items) => {
            let t: Option<Vec<String>> = items.iter().map(text).collect();
            t.map(|t| t.join("\n"))
        }
        v => text(v),
    }
}

fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

/// The value at a dotted path of a mapping.
fn get<'a>(m: &'a Mapping, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = m.get(key(parts.next()?))?;
    for p in parts {
        v = v.as_mapping()?.get(key(p))?;
    }
    Some(v)
}

/// Removes the value at a dotted path, and parents left empty.
fn remove(m: &mut Mapping, path: &str) {
    match path.split_once('.') {
        None => {
            m.remove(key(path));
        }
        Some((head, rest)) => {
            if let Some(Value::Mapping(inner)) = m.get_mut(key(head)) {
                remove(inner, rest);
                if inner.is_empty() {
                    m.remove(key(head));
                }
            }
        }
    }
}

/// Sets the value at a dotted path, making parent mappings.
fn set(m: &mut Mapping, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            m.insert(key(path), v);
        }
        Some((head, rest)) => {
            let slot = m
                .entry(key(head))
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if !slot.is_mapping() {
                *slot = Value::Mapping(Mapping::new());
            }
            if let Value::Mapping(inner) = slot {
                set(inner, rest, v);
            }
        }
    }
}

/// Splits a YAML document into the form (values, tables, 附件 pages) and
/// the rest (“其他内容”, YAML text, empty when nothing is left). A field
/// whose value has a shape the form cannot show (正文 with a merged table
/// or a 名单) stays in the rest.
pub fn from_yaml(yaml: &str) -> Result<FormDoc, String> {
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let mut m = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        _ => return Err("文件的最外层应是“字段: 值”的形式。".to_string()),
    };
    let mut out = FormDoc::default();
    for field in FIELDS {
        let taken = match field.input {
            Input::Number => take_number(&m),
            _ if field.key == "issuer.names" => take_issuer(&m),
            _ if field.key == "issuer.suffix" => continue,
            Input::Tables => continue,
            Input::Attachments => {
                if let Some((pages, tables)) = take_attachments(&m, out.tables.len()) {
                    out.attachments = pages;
                    out.tables.extend(tables);
                    remove(&mut m, field.key);
                }
                continue;
            }
            Input::Area => get(&m, field.key)
                .and_then(|v| split_blocks(v, out.tables.len()))
                .map(|(t, tables)| {
                    out.tables.extend(tables);
                    vec![(field.key.to_string(), t)]
                }),
            Input::Lines | Input::List => get(&m, field.key)
                .and_then(lines_of)
                .map(|t| vec![(field.key.to_string(), t)]),
            Input::Check => match get(&m, field.key) {
                Some(Value::Bool(b)) => Some(vec![(
                    field.key.to_string(),
                    if *b { "true" } else { "" }.into(),
                )]),
                _ => None,
            },
            _ => get(&m, field.key)
                .and_then(text)
                .map(|t| vec![(field.key.to_string(), t)]),
        };
        if let Some(pairs) = taken {
            let owned = if field.key == "issuer.names" {
                "issuer"
            } else {
                field.key
            };
            remove(&mut m, owned);
            out.values.extend(pairs);
        }
    }
    out.rest = if m.is_empty() {
        String::new()
    } else {
        serde_yaml::to_string(&m).map_err(|e| e.to_string())?
    };
    Ok(out)
}

/// The marker line placing table `n` (from 1): `【表格n】`.
pub fn marker(n: usize) -> String {
    format!("【表格{n}】")
}

/// The table (from 0) a line places, if it is a marker line.
fn marked(line: &str) -> Option<usize> {
    line.trim()
        .strip_prefix("【表格")?
        .strip_suffix('】')?
        .parse::<usize>()
        .ok()?
        .checked_sub(1)
}

/// A 正文 (or 附件, 印发的文件) as the form's text: its text, with a marker
/// line for each simple table, numbered from `first` + 1. `None` when it
/// holds what the form cannot show.
fn split_blocks(v: &Value, first: usize) -> Option<(String, Vec<FormTable>)> {
    let items = match v {
        Value::Sequence(items) => items,
        v => return text(v).map(|t| (t, Vec::new())),
    };
    let mut out = String::new();
    let mut tables = Vec::new();
    for item in items {
        match item {
            Value::String(t) => {
                for l in t.lines() {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Value::Mapping(b) => {
                tables.push(simple_table(b)?);
                out.push_str(&marker(first + tables.len()));
                out.push('\n');
            }
            _ => return None,
        }
    }
    Some((out, tables))
}

/// A body block `{table: …}` the grid can hold: one header row of plain
/// cells, rows of plain cells as wide as it.
fn simple_table(block: &Mapping) -> Option<FormTable> {
    if block.len() != 1 {
        return None;
    }
    let t = match block.get(key("table")).or_else(|| block.get(key("表格")))? {
        Value::Mapping(t) => t,
        _ => return None,
    };
    if t.keys().any(|k| {
        !matches!(
            k.as_str(),
            Some("title" | "columns" | "rows" | "widths" | "landscape")
        )
    }) {
        return None;
    }
    let cells = |v: &Value| -> Option<Vec<String>> { v.as_sequence()?.iter().map(text).collect() };
    let columns = cells(t.get(key("columns"))?)?;
    let rows = match t.get(key("rows")) {
        None => Vec::new(),
        Some(v) => v
            .as_sequence()?
            .iter()
            .map(cells)
            .collect::<Option<Vec<_>>>()?,
    };
    if columns.is_empty() || rows.iter().any(|r| r.len() != columns.len()) {
        return None;
    }
    let widths = match t.get(key("widths")) {
        None => Vec::new(),
        Some(v) => v
            .as_sequence()?
            .iter()
            .map(Value::as_f64)
            .collect::<Option<Vec<_>>>()?,
    };
    let landscape = match t.get(key("landscape")) {
        None => false,
        Some(v) => v.as_bool()?,
    };
    Some(FormTable {
        title: match t.get(key("title")) {
            None => String::new(),
            Some(v) => text(v)?,
        },
        columns,
        rows,
        widths,
        landscape,
    })
}

/// The YAML of a form table (`{table: …}`).
fn table_value(t: &FormTable) -> Value {
    let strings = |v: &[String]| {
        Value::Sequence(
            v.iter()
                .map(|c| Value::String(c.trim().to_string()))
                .collect(),
        )
    };
    let mut p = Mapping::new();
    if !t.title.trim().is_empty() {
        p.insert(key("title"), Value::String(t.title.trim().to_string()));
    }
    p.insert(key("columns"), strings(&t.columns));
    p.insert(
        key("rows"),
        Value::Sequence(t.rows.iter().map(|r| strings(r)).collect()),
    );
    if !t.widths.is_empty() && t.widths.len() == t.columns.len() {
        p.insert(
            key("widths"),
            Value::Sequence(t.widths.iter().map(|w| Value::from(*w)).collect()),
        );
    }
    if t.landscape {
        p.insert(key("landscape"), Value::Bool(true));
    }
    let mut block = Mapping::new();
    block.insert(key("table"), Value::Mapping(p));
    Value::Mapping(block)
}

/// The form's text of a 正文 as YAML: the text as one block, or, when it
/// has marker lines of tables not yet `placed`, a list of text and tables.
fn join_blocks(text: &str, tables: &[FormTable], placed: &mut [bool]) -> Value {
    let mut blocks = Vec::new();
    let mut chunk = String::new();
    for line in text.lines() {
        match marked(line).filter(|&i| i < tables.len() && !placed[i]) {
            Some(i) => {
                if !chunk.trim().is_empty() {
                    blocks.push(Value::String(area(&chunk)));
                }
                chunk.clear();
                placed[i] = true;
                blocks.push(table_value(&tables[i]));
            }
            None => {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    if blocks.is_empty() {
        return Value::String(area(text));
    }
    if !chunk.trim().is_empty() {
        blocks.push(Value::String(area(&chunk)));
    }
    Value::Sequence(blocks)
}

/// The 附件 pages, when each is only a title and text with simple tables
/// (numbered from `first` + 1).
fn take_attachments(m: &Mapping, first: usize) -> Option<(Vec<FormAttachment>, Vec<FormTable>)> {
    let mut pages = Vec::new();
    let mut tables = Vec::new();
    for a in get(m, "attachments")?.as_sequence()? {
        let a = a.as_mapping()?;
        if a.keys()
            .any(|k| !matches!(k.as_str(), Some("title" | "body")))
        {
            return None;
        }
        let (body, more) = match a.get(key("body")) {
            None => (String::new(), Vec::new()),
            Some(v) => split_blocks(v, first + tables.len())?,
        };
        tables.extend(more);
        pages.push(FormAttachment {
            title: text(a.get(key("title"))?)?,
            body,
        });
    }
    Some((pages, tables))
}

fn take_issuer(m: &Mapping) -> Option<Vec<(String, String)>> {
    match get(m, "issuer")? {
        Value::String(s) => Some(vec![("issuer.names".into(), s.clone())]),
        Value::Mapping(p) => {
            // Only names and suffix: a max_size keeps the whole in the rest.
            if p.keys()
                .any(|k| !matches!(k.as_str(), Some("names" | "suffix")))
            {
                return None;
            }
            let names = lines_of(p.get(key("names"))?)?;
            let suffix = p.get(key("suffix")).and_then(text).unwrap_or_default();
            Some(vec![
                ("issuer.names".into(), names),
                ("issuer.suffix".into(), suffix),
            ])
        }
        _ => None,
    }
}

fn take_number(m: &Mapping) -> Option<Vec<(String, String)>> {
    let pair = |k: &str, v: String| (k.to_string(), v);
    match get(m, "number")? {
        Value::String(s) => Some(vec![
            pair("number.mode", "fixed".into()),
            pair("number.text", s.clone()),
        ]),
        Value::Mapping(p) => {
            let seq = p.get(key("seq"));
            if seq.and_then(Value::as_str).map(str::trim) != Some("auto") {
                return None;
            }
            if p.keys()
                .any(|k| !matches!(k.as_str(), Some("code" | "year" | "seq")))
            {
                return None;
            }
            Some(vec![
                pair("number.mode", "auto".into()),
                pair("number.code", p.get(key("code")).and_then(text)?),
                pair(
                    "number.year",
                    p.get(key("year")).and_then(text).unwrap_or_default(),
                ),
            ])
        }
        _ => None,
    }
}

/// The form as one YAML document (the saved form). A form field left
/// empty leaves the rest's value, if any, as it is; a table whose marker
/// line is gone goes at the end of 正文, never lost. Read back, tables are
/// numbered in document order (正文, 附件, 印发的文件); a form numbered
/// so (the page renumbers before sending) comes back unchanged.
pub fn to_yaml(doc: &FormDoc) -> Result<String, String> {
    let (values, rest) = (&doc.values, doc.rest.as_str());
    let mut placed = vec![false; doc.tables.len()];
    let mut m = if rest.trim().is_empty() {
        Mapping::new()
    } else {
        match serde_yaml::from_str::<Value>(rest) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            Ok(_) => return Err("“其他内容”应写成“字段: 值”的形式。".to_string()),
            Err(e) => {
                let (msg, hint) = crate::source::yaml_error_zh(&e.to_string());
                return Err(format!("“其他内容”的 YAML 写法有误：{msg}。{hint}"));
            }
        }
    };
    let val = |k: &str| values.get(k).map(|s| s.trim()).unwrap_or("");
    for field in FIELDS {
        let v = val(field.key);
        let value = match field.input {
            Input::Number => number_value(values),
            _ if field.key == "issuer.suffix" => continue,
            _ if field.key == "issuer.names" => issuer_value(&lines(v), val("issuer.suffix"))
                .map(|v| {
                    set(&mut m, "issuer", v);
                })
                .and(None),
            Input::Tables => continue,
            Input::Attachments => {
                if !doc.attachments.is_empty() {
                    let pages = doc
                        .attachments
                        .iter()
                        .map(|a| {
                            let mut p = Mapping::new();
                            p.insert(key("title"), Value::String(a.title.trim().to_string()));
                            if !a.body.trim().is_empty() {
                                p.insert(
                                    key("body"),
                                    join_blocks(&a.body, &doc.tables, &mut placed),
                                );
                            }
                            Value::Mapping(p)
                        })
                        .collect();
                    set(&mut m, field.key, Value::Sequence(pages));
                }
                continue;
            }
            _ if v.is_empty() => None,
            Input::Lines | Input::List => {
                let items = lines(v);
                if field.key == "signature" && items.len() == 1 {
                    Some(Value::String(items[0].clone()))
                } else {
                    Some(Value::Sequence(
                        items.into_iter().map(Value::String).collect(),
                    ))
                }
            }
            Input::Area => Some(join_blocks(
                values.get(field.key).map(String::as_str).unwrap_or(""),
                &doc.tables,
                &mut placed,
            )),
            Input::Int => Some(match v.parse::<u64>() {
                Ok(n) => Value::Number(n.into()),
                Err(_) => Value::String(v.to_string()),
            }),
            Input::Check => (v == "true").then_some(Value::Bool(true)),
            Input::Text | Input::Date | Input::Select | Input::Seal => {
                Some(Value::String(v.to_string()))
            }
        };
        if let Some(value) = value {
            set(&mut m, field.key, value);
        } else if field.key == "title" && !m.contains_key(key("title")) {
            // Written even when empty, so an empty title is reported at
            // its field like other findings, not as a missing key.
            m.insert(key("title"), Value::String(String::new()));
        }
    }
    let unplaced: Vec<Value> = doc
        .tables
        .iter()
        .zip(&placed)
        .filter(|(_, done)| !**done)
        .map(|(t, _)| table_value(t))
        .collect();
    if !unplaced.is_empty() {
        let body = match m.remove(key("body")) {
            None => Vec::new(),
            Some(Value::Sequence(v)) => v,
            Some(v) => vec![v],
        };
        m.insert(
            key("body"),
            Value::Sequence(body.into_iter().chain(unplaced).collect()),
        );
    }
    let mut ordered = Mapping::new();
    for k in ORDER {
        if let Some(v) = m.remove(key(k)) {
            ordered.insert(key(k), v);
        }
    }
    ordered.extend(m);
    serde_yaml::to_string(&ordered).map_err(|e| e.to_string())
}

/// Non-empty trimmed lines.
fn lines(v: &str) -> Vec<String> {
    v.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// A text area's text: lines trimmed at the end, empty lines dropped (a
/// paragraph is a line), ending with a newline.
fn area(v: &str) -> String {
    let mut out = String::new();
    for l in v
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
    {
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn issuer_value(names: &[String], suffix: &str) -> Option<Value> {
    match (names, suffix) {
        ([], _) => None,
        ([one], "") => Some(Value::String(one.clone())),
        (many, suffix) => {
            let mut p = Mapping::new();
            p.insert(
                key("names"),
                Value::Sequence(many.iter().cloned().map(Value::String).collect()),
            );
            if !suffix.is_empty() {
                p.insert(key("suffix"), Value::String(suffix.to_string()));
            }
            Some(Value::Mapping(p))
        }
    }
}

fn number_value(values: &Values) -> Option<Value> {
    let val = |k: &str| values.get(k).map(|s| s.trim()).unwrap_or("");
    match val("number.mode") {
        "auto" => {
            let mut p = Mapping::new();
            p.insert(key("code"), Value::String(val("number.code").to_string()));
            let year = val("number.year");
            if !year.is_empty() {
                p.insert(
                    key("year"),
                    match year.parse::<i64>() {
                        Ok(y) => Value::Number(y.into()),
                        Err(_) => Value::String(year.to_string()),
                    },
                );
            }
            p.insert(key("seq"), Value::String("auto".into()));
            Some(Value::Mapping(p))
        }
        "fixed" if !val("number.text").is_empty() => {
            Some(Value::String(val("number.text").to_string()))
        }
        _ => None,
    }
}

/// The most characters one workbench request may lay out: about 100
/// pages of 正文, a third of what `render` accepts from a file
/// ([`crate::layout::MAX_CHARS`]), so one clerk's request cannot hold a
/// typesetting worker for long. Typst work cannot be stopped once begun,
/// so the budget bounds what it is given.
pub const MAX_REQUEST_CHARS: usize = 60_000;

/// The most separate texts (table cells, list items, lines of 名单) one
/// request may lay out: a table of 1000 rows × 6 columns. Each costs
/// layout work even when empty, which the character count does not see.
pub const MAX_REQUEST_ITEMS: usize = 6_000;

/// Why a document is too large to lay out for one request (the saved
/// YAML, every text of it counted), or `None`.
pub fn over_budget(yaml: &str) -> Option<String> {
    fn walk(v: &Value, chars: &mut usize, items: &mut usize) {
        match v {
            Value::String(s) => {
                *chars += s.chars().count();
                *items += 1;
            }
            Value::Number(_) | Value::Bool(_) => *items += 1,
            Value::Sequence(s) => s.iter().for_each(|x| walk(x, chars, items)),
            Value::Mapping(m) => m.values().for_each(|x| walk(x, chars, items)),
            Value::Tagged(t) => walk(&t.value, chars, items),
            Value::Null => {}
        }
    }
    let value: Value = serde_yaml::from_str(yaml).ok()?;
    let (mut chars, mut items) = (0, 0);
    walk(&value, &mut chars, &mut items);
    if chars > MAX_REQUEST_CHARS {
        Some(format!(
            "这份文稿太大：共 {chars} 字，工作台一次最多排 {MAX_REQUEST_CHARS} 字（约 100 页）。请把长的材料拆成几份公文或附件分别排版，或在本机用 gongwen render 排版。"
        ))
    } else if items > MAX_REQUEST_ITEMS {
        Some(format!(
            "这份文稿太大：表格的格和各项名单共 {items} 项，工作台一次最多排 {MAX_REQUEST_ITEMS} 项（如 1000 行 × 6 列的表格）。请把大表格拆开，或作为单独的附件文件。"
        ))
    } else {
        None
    }
}

/// Cleans text pasted from Word, a web page or a PDF the way the Word
/// import and `check --fix` do (soft breaks, tabs, spaces between Chinese
/// characters, half-width punctuation next to Chinese, invisible
/// characters); returns the text and what was changed.
pub fn clean_pasted(text: &str, title: bool) -> (String, Vec<String>) {
    let text = text.replace("\r\n", "\n").replace(['\r', '\u{2029}'], "\n");
    let mut changes = Vec::new();
    let mut invisible = 0;
    let kept: String = text
        .chars()
        .filter(|&c| {
            // Soft breaks are joined by `clean`; other invisible characters go.
            let drop = c != '\n'
                && c != '\t'
                && c != '\u{B}'
                && c != '\u{2028}'
                && crate::guard::forbidden(c).is_some();
            invisible += drop as usize;
            !drop
        })
        .collect();
    if invisible > 0 {
        changes.push(format!("删去 {invisible} 个看不见的字符"));
    }
    let mut out = Vec::new();
    for line in kept.split('\n') {
        let (t, what) = crate::import::recognise::clean(line, title);
        for w in what {
            if !changes.contains(&w) {
                changes.push(w);
            }
        }
        out.push(t);
    }
    (out.join("\n"), changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_round_trips_through_the_form() {
        let yaml = include_str!("../../samples/qianquan-2019-8.yaml");
        let doc = from_yaml(yaml).unwrap();
        let (values, rest) = (&doc.values, &doc.rest);
        assert_eq!(values["issuer.names"], "邹城市千泉街道办事处");
        assert_eq!(values["issuer.suffix"], "文件");
        assert_eq!(values["number.text"], "千街发〔2019〕8号");
        assert_eq!(values["approval.drafter"], "齐超");
        // The 签批单 rows stay YAML; the form's fields do not.
        assert!(rest.contains("reviews"), "{rest}");
        assert!(!rest.contains("drafter"), "{rest}");
        let back = to_yaml(&doc).unwrap();
        let a: Value = serde_yaml::from_str(yaml).unwrap();
        let b: Value = serde_yaml::from_str(&back).unwrap();
        assert_eq!(a, b, "{back}");
    }

    #[test]
    fn auto_number_and_hostile_text_stay_data() {
        let mut v = Values::new();
        v.insert("number.mode".into(), "auto".into());
        v.insert("number.code".into(), "千街发".into());
        v.insert("number.year".into(), "2019".into());
        v.insert(
            "title".into(),
            "#read(\"/etc/passwd\") {{ x }}: - [a]".into(),
        );
        let y = to_yaml(&FormDoc {
            values: v,
            ..FormDoc::default()
        })
        .unwrap();
        let back: Value = serde_yaml::from_str(&y).unwrap();
        assert_eq!(
            back["title"].as_str(),
            Some("#read(\"/etc/passwd\") {{ x }}: - [a]")
        );
        assert_eq!(back["number"]["seq"].as_str(), Some("auto"));
        let again = from_yaml(&y).unwrap();
        assert_eq!(again.values["number.mode"], "auto");
        assert!(again.rest.is_empty());
    }

    /// Tables and 附件 pages edited in the form: form → YAML → form gives
    /// the same form, and the YAML is what a clerk would write by hand.
    #[test]
    fn tables_and_attachments_round_trip_through_the_form() {
        let grid = |title: &str, rows: &[&[&str]]| FormTable {
            title: title.into(),
            columns: rows[0].iter().map(|c| c.to_string()).collect(),
            rows: rows[1..]
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            widths: Vec::new(),
            landscape: false,
        };
        let mut doc = FormDoc::default();
        doc.values.insert("title".into(), "关于检查的通知".into());
        doc.values.insert(
            "body".into(),
            "各村要认真检查。\n【表格1】\n检查结果按时上报。\n".into(),
        );
        doc.values
            .insert("attachment_note".into(), "检查表\n联系人名单".into());
        doc.values.insert("seal".into(), "draft.印章.png".into());
        doc.tables = vec![
            grid(
                "检查安排",
                &[&["序号", "村（居）", "日期"], &["1", "东村", "5月20日"]],
            ),
            grid("", &[&["姓名", "电话"], &["张三", "1234567"]]),
            grid("", &[&["项目"], &["消防"]]),
        ];
        doc.attachments = vec![
            FormAttachment {
                title: "检查表".into(),
                body: "【表格2】\n".into(),
            },
            FormAttachment {
                title: "联系人名单".into(),
                body: "由各村报送。\n".into(),
            },
        ];
        let yaml = to_yaml(&doc).unwrap();
        let v: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(v["body"][0].as_str(), Some("各村要认真检查。\n"));
        assert_eq!(
            v["body"][1]["table"]["columns"][1].as_str(),
            Some("村（居）")
        );
        assert_eq!(v["body"][2].as_str(), Some("检查结果按时上报。\n"));
        // Table 3 has no marker line: at the end of 正文, not lost.
        assert_eq!(v["body"][3]["table"]["rows"][0][0].as_str(), Some("消防"));
        assert_eq!(
            v["attachments"][0]["body"][0]["table"]["rows"][0][1].as_str(),
            Some("1234567")
        );
        assert_eq!(v["attachment_note"][1].as_str(), Some("联系人名单"));
        assert_eq!(v["seal"].as_str(), Some("draft.印章.png"));
        // The model reads it (it is a 公文 as a file would be).
        let notice: crate::model::Notice = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(notice.attachments.len(), 2);
        // Read back, tables are numbered in document order (正文, 附件,
        // 印发的文件): table 3, placed at the end of 正文, is now table 2.
        let back = from_yaml(&yaml).unwrap();
        assert_eq!(
            back.tables,
            [
                doc.tables[0].clone(),
                doc.tables[2].clone(),
                doc.tables[1].clone()
            ]
        );
        assert_eq!(back.attachments[0].body, "【表格3】\n");
        assert_eq!(
            back.values["body"],
            "各村要认真检查。\n【表格1】\n检查结果按时上报。\n【表格2】\n"
        );
        // A form so numbered (the page keeps it so) goes form → YAML →
        // form unchanged.
        let again = from_yaml(&to_yaml(&back).unwrap()).unwrap();
        assert_eq!(again, back);
        // A merged table keeps the whole 正文 in “其他内容”.
        let merged = "title: 通知\nbody:\n  - 正文。\n  - table:\n      header:\n        - [{text: 项目, colspan: 2}]\n      rows:\n        - [a, b]\n";
        let m = from_yaml(merged).unwrap();
        assert!(m.tables.is_empty());
        assert!(!m.values.contains_key("body"));
        assert!(m.rest.contains("colspan"), "{}", m.rest);
    }

    #[test]
    fn a_document_too_large_for_one_request_is_refused() {
        let small = "title: 通知\nbody: |\n  正文。\n";
        assert!(over_budget(small).is_none());
        let long = format!(
            "title: 通知\nbody: \"{}\"\n",
            "字".repeat(MAX_REQUEST_CHARS + 1)
        );
        assert!(over_budget(&long).unwrap().contains("字"));
        let row = format!("[{}]", ["\"\""; 10].join(", "));
        let cells = format!(
            "title: 通知\nbody:\n  - table:\n      columns: [{}]\n      rows: [{}]\n",
            ["a"; 10].join(", "),
            vec![row.as_str(); MAX_REQUEST_ITEMS / 10 + 1].join(", ")
        );
        assert!(over_budget(&cells).unwrap().contains("项"));
    }

    #[test]
    fn pasted_word_text_is_cleaned() {
        let (t, what) = clean_pasted("安全 生产\u{B}工作,要\u{200B}落实", false);
        assert_eq!(t, "安全生产工作，要落实");
        assert!(!what.is_empty());
    }

    #[test]
    fn diagnostics_find_their_field() {
        assert_eq!(field_of("number"), Some("number"));
        assert_eq!(field_of("issuer.names[0]"), Some("issuer.names"));
        assert_eq!(field_of("approval.drafter"), Some("approval.drafter"));
        assert_eq!(field_of("approval.reviews[1].date"), None);
        assert_eq!(field_of("title"), Some("title"));
        assert_eq!(field_of("titles"), None);
    }
}
