//! The 公文 data model (spec §2–§5, §7.2) as users write it in YAML.

use serde::Deserialize;

use super::date::Date;
use super::number::NumberSpec;

/// The 15 文种 of spec §7.1 (GW-T-01).
pub const KINDS: [&str; 15] = [
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要",
];

/// 文种 that go upwards and need 签发人 (GW-H-30).
pub const UPWARD_KINDS: [&str; 3] = ["请示", "报告", "议案"];

/// A 公文 as written by the user, or as gongwen builds one (a plan for a
/// unit, a quarterly summary).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// 文种, one of [`KINDS`] (“令” is accepted for 命令); a stand-alone
    /// 方案 (`format: 方案`) needs none.
    #[serde(default)]
    pub kind: String,
    /// 版式: 文件 (default), 信函 (default for 函).
    #[serde(default)]
    pub format: Option<Format>,
    /// 行文方向; derived from 文种 when absent (意见 can go either way).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// 份号 (GW-H-01).
    #[serde(default)]
    pub copy_number: Option<Scalar>,
    /// 密级和保密期限 (GW-H-02).
    #[serde(default)]
    pub secrecy: Option<Secrecy>,
    /// 紧急程度 (GW-H-03).
    #[serde(default)]
    pub urgency: Option<String>,
    /// 发文机关标志 (GW-H-10..12).
    #[serde(default)]
    pub issuer: Option<Issuer>,
    /// 发文字号 (GW-H-20).
    #[serde(default)]
    pub number: Option<NumberSpec>,
    /// 签发人 (GW-H-30..32).
    #[serde(default)]
    pub signers: Vec<String>,
    /// 标题; a line break in the text forces a break (GW-B-03).
    pub title: String,
    /// 主送机关 (GW-B-10).
    #[serde(default)]
    pub to: Option<String>,
    /// 正文: one paragraph per line, or a list of paragraphs and tables.
    #[serde(default)]
    pub body: Option<Body>,
    /// 附件说明 names; derived from `attachments` when absent (GW-B-30..32).
    #[serde(default)]
    pub attachment_note: Vec<String>,
    /// 附件 pages (GW-B-70..74).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// 发文机关署名; several for 联合行文.
    #[serde(default)]
    pub signature: Option<OneOrMany>,
    /// 成文日期 (GW-B-40).
    #[serde(default)]
    pub date: Option<Date>,
    /// 印章 image(s), one per 署名.
    #[serde(default)]
    pub seal: Option<Seals>,
    /// 附注, printed in parentheses (GW-B-60).
    #[serde(default)]
    pub note: Option<String>,
    /// The document printed with a “关于印发《…》的通知” (seed 000).
    #[serde(default)]
    pub enclosure: Option<Enclosure>,
    /// 抄送机关 (GW-E-10).
    #[serde(default)]
    pub cc: Option<String>,
    /// 印发机关 (GW-E-11).
    #[serde(default)]
    pub printer: Option<String>,
    /// 印发日期 (GW-E-11).
    #[serde(default)]
    pub print_date: Option<Date>,
    /// 印制份数.
    #[serde(default)]
    pub copies: Option<u32>,
    /// Layout options.
    #[serde(default)]
    pub options: Options,
    /// Identity of the document in the 发文登记簿 (default: the input file's
    /// absolute path), so a re-render keeps its number.
    #[serde(default)]
    pub register_id: Option<String>,
    /// The 公文签批单 (发文稿纸) of this document.
    #[serde(default)]
    pub approval: Option<super::approval::Approval>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Format {
    #[serde(rename = "文件")]
    File,
    #[serde(rename = "信函")]
    Letter,
    /// A stand-alone 方案 or 清单 (GW-S-40): no 版头, no red, no 版记.
    #[serde(rename = "方案")]
    Plan,
    /// 命令（令）格式 (GW-S-10..13); the default of `kind: 命令`.
    #[serde(rename = "命令")]
    Order,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Direction {
    #[serde(rename = "上行文")]
    Up,
    #[serde(rename = "下行文")]
    Down,
    #[serde(rename = "平行文")]
    Parallel,
}

/// Any YAML scalar kept as text (份号 000001 must not lose its zeros).
#[derive(Debug, Clone)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_yaml::Value::deserialize(d)?;
        match v {
            serde_yaml::Value::String(s) => Ok(Scalar(s)),
            serde_yaml::Value::Number(n) => Ok(Scalar(n.to_string())),
            serde_yaml::Value::Bool(b) => Ok(Scalar(b.to_string())),
            serde_yaml::Value::Null => Ok(Scalar(String::new())),
            _ => Err(serde::de::Error::custom(
                "这里要写一段文字或一个数字，不能是列表或多个字段",
            )),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Secrecy {
    Text(String),
    Parts(SecrecyParts),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecrecyParts {
    /// 绝密 / 机密 / 秘密
    pub level: String,
    /// 保密期限, e.g. 1年
    #[serde(default)]
    pub period: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Issuer {
    Text(String),
    Parts(IssuerParts),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerParts {
    /// 机关名称; several for 联合行文, 主办机关 first.
    pub names: Vec<String>,
    /// “文件”, or nothing.
    #[serde(default)]
    pub suffix: Option<String>,
    /// Largest size in pt (default 36); shrunk to fit 156 mm.
    #[serde(default)]
    pub max_size: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Seals {
    One(Seal),
    Many(Vec<Seal>),
}

impl Seals {
    pub fn to_vec(&self) -> Vec<Seal> {
        match self {
            Seals::One(s) => vec![s.clone()],
            Seals::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Seal {
    File(String),
    Parts(SealParts),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealParts {
    /// PNG or SVG file, relative to the YAML file.
    pub file: String,
    /// Diameter in mm (default 42).
    #[serde(default)]
    pub size_mm: Option<f64>,
}

impl Seal {
    pub fn file(&self) -> &str {
        match self {
            Seal::File(f) => f,
            Seal::Parts(p) => &p.file,
        }
    }

    pub fn size_mm(&self) -> f64 {
        match self {
            Seal::File(_) => 42.0,
            Seal::Parts(p) => p.size_mm.unwrap_or(42.0),
        }
    }
}

/// 正文 (or an attachment's body): lines of text, or a list of blocks.
#[derive(Debug, Clone)]
pub enum Body {
    Text(String),
    Blocks(Vec<Block>),
}

/// What a body's list item may be, for errors.
const BLOCK_KINDS: &str = "正文的一项是一段文字，或 table（表格）、heading（标题）、paragraph（段落）、members（名单）、chart（图表）之一";

// Body and Block are read by hand (not `untagged`), so an error inside a
// block keeps its place: body[1].table.rows[0] at its line, not “body”.
impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Body;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("正文写成多行文字（每段一行），或写成列表")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Body, E> {
                Ok(Body::Text(s.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
                let mut blocks = Vec::new();
                while let Some(b) = seq.next_element::<Block>()? {
                    blocks.push(b);
                }
                Ok(Body::Blocks(blocks))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Body, A::Error> {
                Err(serde::de::Error::custom(format!(
                    "正文写成多行文字（body: |，每段一行），或写成列表（每项以“- ”开头）：{BLOCK_KINDS}"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Block;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(BLOCK_KINDS)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Block, E> {
                Ok(Block::Text(s.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Block, E> {
                Ok(Block::Text(n.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Block, E> {
                Ok(Block::Text(n.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Block, E> {
                Ok(Block::Text(n.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Block, A::Error> {
                use serde::de::Error;
                let Some(key) = map.next_key::<String>()? else {
                    return Err(A::Error::custom(format!("这一项是空的。{BLOCK_KINDS}")));
                };
                let block = match key.as_str() {
                    "table" | "表格" => Block::Table(TableBlock {
                        table: map.next_value()?,
                    }),
                    "chart" | "图表" => Block::Chart(ChartBlock {
                        chart: map.next_value()?,
                    }),
                    "heading" | "标题" => Block::Heading(HeadingBlock {
                        heading: map.next_value()?,
                    }),
                    "paragraph" | "段落" => Block::Paragraph(ParagraphBlock {
                        paragraph: map.next_value()?,
                    }),
                    "members" | "名单" => Block::Members(MembersBlock {
                        members: map.next_value()?,
                    }),
                    other => {
                        return Err(A::Error::custom(format!(
                        "正文里不认识“{other}”：{BLOCK_KINDS}。文字里有冒号时，用引号把整段括起来"
                    )))
                    }
                };
                if let Some(more) = map.next_key::<String>()? {
                    return Err(A::Error::custom(format!(
                        "正文的一项只能写一种，这里写了“{key}”又写了“{more}”：分成两项写（每项以“- ”开头）"
                    )));
                }
                Ok(block)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone)]
pub enum Block {
    /// Paragraphs, one per line; “一、”“（一）”“1.” start headings, told
    /// from numbered sentences by what comes before and after
    /// (`compose::heading::detect_in`).
    Text(String),
    Table(TableBlock),
    Chart(ChartBlock),
    /// `heading: 安监员的资格条件`: this line is a heading, whatever it looks like.
    Heading(HeadingBlock),
    /// `paragraph: 一、加强领导。`: this line is a paragraph, never a heading.
    Paragraph(ParagraphBlock),
    /// `members: {组长: …, 成员: […]}`: a 领导小组 list, names aligned after
    /// the labels.
    Members(MembersBlock),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingBlock {
    #[serde(alias = "标题")]
    pub heading: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParagraphBlock {
    #[serde(alias = "段落")]
    pub paragraph: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersBlock {
    #[serde(alias = "名单")]
    pub members: Members,
}

/// Labels (组长, 副组长, 成员 …) with their names, in the order written:
/// a mapping (`组长: 张三`, `成员: [李四, 王五]`) or a list of such.
#[derive(Debug, Clone, Default)]
pub struct Members(pub Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        const SHAPE: &str =
            "名单写成“组长: 张三”，每个称谓一行；几个人写成列表“成员: [李四, 王五]”";
        fn names<E: Error>(v: &serde_yaml::Value) -> Result<Vec<String>, E> {
            let one = |v: &serde_yaml::Value| match v {
                serde_yaml::Value::String(s) => Ok(s.clone()),
                serde_yaml::Value::Number(n) => Ok(n.to_string()),
                serde_yaml::Value::Null => Ok(String::new()),
                _ => Err(E::custom(SHAPE)),
            };
            match v {
                serde_yaml::Value::Sequence(items) => items.iter().map(one).collect(),
                v => one(v).map(|s| vec![s]),
            }
        }
        fn entries<E: Error>(
            m: &serde_yaml::Mapping,
            out: &mut Vec<(String, Vec<String>)>,
        ) -> Result<(), E> {
            for (k, v) in m {
                let label = match k {
                    serde_yaml::Value::String(s) => s.clone(),
                    _ => return Err(E::custom(SHAPE)),
                };
                out.push((label, names(v)?));
            }
            Ok(())
        }
        let v = serde_yaml::Value::deserialize(d)?;
        let mut out = Vec::new();
        match &v {
            serde_yaml::Value::Mapping(m) => entries(m, &mut out)?,
            serde_yaml::Value::Sequence(items) => {
                for item in items {
                    match item {
                        serde_yaml::Value::Mapping(m) => entries(m, &mut out)?,
                        _ => return Err(D::Error::custom(SHAPE)),
                    }
                }
            }
            _ => return Err(D::Error::custom(SHAPE)),
        }
        if out.is_empty() {
            return Err(D::Error::custom("名单是空的：至少写一项，如“组长: 张三”"));
        }
        Ok(Members(out))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartBlock {
    pub chart: Chart,
}

/// A horizontal bar chart (e.g. completion by unit), drawn in the document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    #[serde(default)]
    pub title: Option<String>,
    pub bars: Vec<Bar>,
    /// Value of a full bar (default 100).
    #[serde(default)]
    pub max: Option<f64>,
    /// Unit printed after each value (default “%”).
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableBlock {
    pub table: Table,
}

/// A table inside 正文 or an attachment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Optional caption above the table.
    #[serde(default)]
    pub title: Option<String>,
    /// One header row of column names …
    #[serde(default)]
    pub columns: Vec<String>,
    /// … or several header rows with merged cells (`{text: 启动建设,
    /// colspan: 2}`), repeated on every page.
    #[serde(default)]
    pub header: Vec<Vec<Cell>>,
    /// Rows of cells; a merged cell covers the places of the cells it spans,
    /// and every row must cover every column (a short row is an error).
    #[serde(default)]
    pub rows: Vec<Vec<Cell>>,
    /// Relative column widths.
    #[serde(default)]
    pub widths: Vec<f64>,
    /// Print turned 90° on its own pages (wide tables, GW-S-30).
    #[serde(default)]
    pub landscape: bool,
}

/// A table cell: text, or text merged over several rows or columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            rowspan: 1,
            colspan: 1,
        }
    }

    /// The cell merged over `n` rows.
    pub fn down(mut self, n: usize) -> Cell {
        self.rowspan = n;
        self
    }
}

/// The largest span of a merged cell.
const MAX_SPAN: u64 = 1000;

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        const SHAPE: &str = "表格的格写一段文字或一个数字；合并的格写成 {text: 合计, colspan: 2}（跨两列）或 {text: 张三, rowspan: 3}（跨三行）";
        let text = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            serde_yaml::Value::Null => Some(String::new()),
            _ => None,
        };
        let v = serde_yaml::Value::deserialize(d)?;
        if let Some(t) = text(&v) {
            return Ok(Cell::new(t));
        }
        let serde_yaml::Value::Mapping(m) = &v else {
            return Err(D::Error::custom(SHAPE));
        };
        let mut cell = Cell::new("");
        for (k, x) in m {
            let span = |x: &serde_yaml::Value| match x.as_u64() {
                Some(n) if (1..=MAX_SPAN).contains(&n) => Ok(n as usize),
                _ => Err(D::Error::custom(format!(
                    "合并的行数、列数写 1 到 {MAX_SPAN} 的整数"
                ))),
            };
            match k.as_str().unwrap_or_default() {
                "text" | "内容" => cell.text = text(x).ok_or_else(|| D::Error::custom(SHAPE))?,
                "rowspan" | "跨行" => cell.rowspan = span(x)?,
                "colspan" | "跨列" => cell.colspan = span(x)?,
                other => {
                    return Err(D::Error::custom(format!(
                        "格里不认识“{other}”：只能写 text、rowspan、colspan（或 内容、跨行、跨列）"
                    )))
                }
            }
        }
        Ok(cell)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    #[serde(default)]
    pub body: Option<Body>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    pub title: String,
    #[serde(default)]
    pub body: Option<Body>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Mirrored margins on even pages (GW-P-04).
    #[serde(default = "yes")]
    pub mirror_margins: bool,
    /// Red-rule thickness in mm (GW-H-41).
    #[serde(default = "rule_mm")]
    pub red_rule_mm: f64,
    /// Print 印制份数 in the 版记 (“共印80份”, common local practice).
    #[serde(default)]
    pub show_copies: bool,
    /// Red as sRGB (255,0,0) instead of CMYK Y80% M80% (GW-C-02).
    #[serde(default)]
    pub rgb_red: bool,
}

fn yes() -> bool {
    true
}

fn rule_mm() -> f64 {
    0.5
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mirror_margins: true,
            red_rule_mm: 0.5,
            show_copies: false,
            rgb_red: false,
        }
    }
}

impl Block {
    /// A table block (columns, rows of text, relative widths).
    pub fn table(
        title: Option<String>,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f64>,
        landscape: bool,
    ) -> Block {
        Block::Table(TableBlock {
            table: Table {
                title,
                columns,
                header: Vec::new(),
                rows: rows
                    .into_iter()
                    .map(|r| r.into_iter().map(Cell::new).collect())
                    .collect(),
                widths,
                landscape,
            },
        })
    }
}

impl Body {
    /// Blocks with their field path; text blocks split one paragraph per line.
    pub fn blocks(&self) -> Vec<Block> {
        match self {
            Body::Text(t) => vec![Block::Text(t.clone())],
            Body::Blocks(b) => b.clone(),
        }
    }
}
