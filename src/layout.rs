//! From a validated [`Notice`] to the layout data the Typst template places.
//!
//! Everything here is data: strings stay strings and reach Typst as JSON,
//! never as markup. Validation happens on the way, so every problem is
//! reported with its field path and source position.

use std::path::Path;

use serde::Serialize;

use crate::compose::grid::{self, Measure, Span, LINE_PT, PITCH_PT};
use crate::compose::heading::{self, Level};
use crate::compose::{punct, title};
use crate::error::Diagnostic;
use crate::model::approval::{Approval, Opinion};
use crate::model::notice::{
    Block, Body, Format, Issuer, Notice, Secrecy, Table, KINDS, UPWARD_KINDS,
};
use crate::model::number::{DocNumber, Requested};
use crate::register::DocRecord;
use crate::source::SourceFile;
use crate::typeset::fonts::{FontSet, Role};

/// Most characters of 正文, 附件 and 随文印发的文件 together.
pub const MAX_CHARS: usize = 300_000;
/// Most attachments.
pub const MAX_ATTACHMENTS: usize = 200;

/// The JSON handed to `templates/notice.typ`.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub fonts: serde_json::Map<String, serde_json::Value>,
    pub metrics: Metrics,
    pub red: &'static str,
    pub mirror: bool,
    pub red_rule_mm: f64,
    /// `file` (通用格式) or `letter` (信函格式).
    pub format: &'static str,
    pub header: Header,
    pub title: Vec<String>,
    pub to: Vec<Vec<Span>>,
    /// 主送 as one string, for the 版记 when it has to move there (GW-B-12).
    pub to_text: Option<String>,
    pub body: Vec<BlockOut>,
    pub attachment_note: Vec<String>,
    pub signature: Option<Signature>,
    pub note: Option<String>,
    pub enclosure: Option<Part>,
    pub attachments: Vec<Part>,
    pub colophon: Colophon,
    /// 归档章 on page 1 (set when the document is archived).
    pub stamp: Option<Stamp>,
    /// The 发文字号 as asked for (`seq: auto` is filled in by the register).
    #[serde(skip)]
    pub requested: Option<Requested>,
    /// What the register records about this document.
    #[serde(skip)]
    pub record: DocRecord,
    /// Data of the 公文签批单 (`templates/approval.typ`), without the number.
    #[serde(skip)]
    pub approval: Option<serde_json::Value>,
}

impl Layout {
    /// Sets the printed 发文字号 (after the register gave it, or for a draft).
    pub fn set_number(&mut self, number: Option<String>) {
        if let Some(a) = self.approval.as_mut().and_then(|a| a.as_object_mut()) {
            a.insert(
                "number".into(),
                serde_json::Value::String(number.clone().unwrap_or_default()),
            );
        }
        self.header.number = number;
    }
}

/// Values of the 归档章 (GW-A-10); 页数 is computed by the layout.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    /// 全宗号
    pub fonds: String,
    pub year: i32,
    /// 件号, four digits.
    pub item: String,
    /// 机构（问题）, may be empty.
    pub dept: String,
    /// 保管期限: 永久 / 30年 / 10年.
    pub retention: String,
}

#[derive(Debug, Serialize)]
pub struct Metrics {
    pub pitch_pt: f64,
    pub tracking_pt: f64,
    /// Height of the 页码 dash's centre above the baseline, in em of the
    /// 宋体 face (GW-N-02 measures the dash, not the em box).
    pub dash_centre_em: f64,
}

#[derive(Debug, Serialize, Default)]
pub struct Header {
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    pub issuer_names: Vec<String>,
    pub issuer_suffix: Option<String>,
    pub issuer_size_pt: f64,
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub upward: bool,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockOut {
    /// `heading`: a standalone heading line, kept with what follows.
    /// `hang`: indent of the lines after the first, in 字 (纪要 attendance).
    /// `blank_before`: one empty line above (GW-S-21).
    Par {
        indent: bool,
        heading: bool,
        hang: f64,
        blank_before: bool,
        lines: Vec<Vec<Span>>,
    },
    Table {
        title: Option<String>,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f64>,
        /// Turned tables: the rows of each turned page (GW-S-30/31).
        landscape: bool,
        pages: Vec<Vec<Vec<String>>>,
    },
    Chart {
        title: Option<String>,
        bars: Vec<ChartBar>,
        unit: String,
    },
}

#[derive(Debug, Serialize)]
pub struct ChartBar {
    pub label: String,
    pub value: f64,
    /// Bar length as a share of the full width (0–1).
    pub share: f64,
}

#[derive(Debug, Serialize)]
pub struct Signature {
    pub names: Vec<String>,
    pub date: String,
    pub seals: Vec<SealOut>,
}

#[derive(Debug, Serialize)]
pub struct SealOut {
    /// Virtual path under `/input`.
    pub path: String,
    pub size_mm: f64,
}

/// An attachment, or the document printed with an 印发 notice.
#[derive(Debug, Serialize)]
pub struct Part {
    pub label: Option<String>,
    pub title: Vec<String>,
    pub body: Vec<BlockOut>,
}

#[derive(Debug, Serialize, Default)]
pub struct Colophon {
    pub to: Option<String>,
    pub cc: Option<String>,
    pub printer: Option<String>,
    pub print_date: Option<String>,
    pub copies: Option<String>,
}

/// Builds the layout, collecting every error and warning.
pub struct Builder<'a> {
    src: &'a SourceFile,
    fonts: &'a FontSet,
    pub diags: Vec<Diagnostic>,
    /// (field path, role, text) to check for drawable characters.
    texts: Vec<(String, Role, String)>,
    /// A 纪要: “出席：”/“请假：”/“列席：” lines get their own layout.
    minutes: bool,
    requested: Option<Requested>,
}

impl<'a> Builder<'a> {
    pub fn new(src: &'a SourceFile, fonts: &'a FontSet) -> Self {
        Builder {
            src,
            fonts,
            diags: Vec::new(),
            texts: Vec::new(),
            minutes: false,
            requested: None,
        }
    }

    fn error(&mut self, path: &str, msg: impl Into<String>, hint: impl Into<String>) {
        let d = self.src.error(path, msg).hint(hint);
        self.diags.push(d);
    }

    fn warn(&mut self, path: &str, msg: impl Into<String>) {
        let d = self.src.warning(path, msg);
        self.diags.push(d);
    }

    /// Normalises punctuation, warns about what changed and records the text
    /// for the glyph check.
    fn text(&mut self, path: &str, role: Role, s: &str) -> String {
        let (out, changes) = punct::normalise(s.trim());
        if !changes.is_empty() {
            self.warn(
                path,
                format!("已自动规范标点：{}（GB/T 15834）。", changes.join("；")),
            );
        }
        self.texts.push((path.to_string(), role, out.clone()));
        out
    }

    pub fn build(mut self, n: &Notice) -> (Option<Layout>, Vec<Diagnostic>) {
        let kind = if n.kind == "令" {
            "命令".to_string()
        } else {
            n.kind.trim().to_string()
        };
        self.minutes = kind == "纪要";
        // A stand-alone 方案/清单 (GW-S-40) is not a 公文: no 文种, 版头 or 主送.
        let plan = n.format == Some(Format::Plan);
        if !plan && !KINDS.contains(&kind.as_str()) {
            self.error(
                "kind",
                format!("“{}”不是公文文种。", n.kind),
                format!(
                    "文种只能是这 15 种之一：{}。方案、总结、规定等随“通知”印发。",
                    KINDS.join("、")
                ),
            );
        }
        let upward = match n.direction {
            Some(d) => d == crate::model::notice::Direction::Up,
            None => UPWARD_KINDS.contains(&kind.as_str()),
        };
        let format = match n.format {
            Some(Format::Letter) => "letter",
            Some(Format::File) => "file",
            Some(Format::Plan) => "plan",
            None if kind == "函" => "letter",
            None => "file",
        };
        let header = self.header(n, upward, format);
        let title_text = self.text("title", Role::XiaoBiaoSong, &n.title);
        if title_text.is_empty() {
            self.error(
                "title",
                "标题是空的。",
                "写上“发文机关＋事由＋文种”，如“千泉街道办事处关于……的通知”。",
            );
        }
        if !plan && !KINDS.iter().any(|k| title_text.ends_with(k)) && !title_text.ends_with('令') {
            self.warn(
                "title",
                format!("标题没有以文种（如“通知”“请示”）结尾（GW-B-02）：“{title_text}”。"),
            );
        }
        if title_text.ends_with(['。', '，', '；', '！', '？']) {
            self.error(
                "title",
                "标题末尾不加标点（GW-B-05）。",
                "删去标题末尾的标点。",
            );
        }
        let names: Vec<String> = header
            .issuer_names
            .iter()
            .cloned()
            .chain(n.signature.as_ref().map(|s| s.to_vec()).unwrap_or_default())
            .collect();
        let title_lines = title::break_title(&title_text, &names);
        let m = Measure::body(self.fonts);
        let mut to_text = None;
        let to = match &n.to {
            Some(t) if !t.trim().is_empty() => {
                let mut t = self.text("to", Role::Fang, t);
                t = t.trim_end_matches([':', '：']).to_string();
                if kind == "请示" && count_names(&t) > 1 {
                    self.error(
                        "to",
                        format!(
                            "请示只能主送一个上级机关，这里写了 {} 个：“{t}”。",
                            count_names(&t)
                        ),
                        "只保留一个主送机关，其余写到抄送（cc）（GW-T-10）。",
                    );
                }
                to_text = Some(t.clone());
                t.push('：');
                grid::break_lines(&[(Role::Fang, t)], &m, LINE_PT, 0.0, 0.0)
            }
            _ => {
                if !plan
                    && !matches!(
                        kind.as_str(),
                        "公告" | "通告" | "公报" | "决议" | "纪要" | "命令"
                    )
                {
                    self.warn(
                        "to",
                        "没有主送机关（GW-B-10）。除公告、通告等外，公文一般都有主送机关。",
                    );
                }
                Vec::new()
            }
        };
        // Bounds that keep a mistaken input from running for hours: a 公文
        // of 30 万字 is already some 500 pages.
        let chars = |b: &Option<Body>| -> usize {
            b.as_ref()
                .map(|b| match b {
                    Body::Text(t) => t.chars().count(),
                    Body::Blocks(v) => v
                        .iter()
                        .map(|x| match x {
                            Block::Text(t) => t.chars().count(),
                            Block::Table(t) => t
                                .table
                                .rows
                                .iter()
                                .flatten()
                                .map(|c| c.0.chars().count())
                                .sum(),
                            Block::Chart(c) => c.chart.bars.len(),
                        })
                        .sum(),
                })
                .unwrap_or(0)
        };
        let total = chars(&n.body)
            + n.attachments.iter().map(|a| chars(&a.body)).sum::<usize>()
            + n.enclosure.as_ref().map(|e| chars(&e.body)).unwrap_or(0);
        if total > MAX_CHARS {
            self.error(
                "body",
                format!("正文和附件共 {total} 字，超过了 {MAX_CHARS} 字的上限。"),
                "这么长的材料请拆成几份公文或附件分别排版。",
            );
            return (None, std::mem::take(&mut self.diags));
        }
        if n.attachments.len() > MAX_ATTACHMENTS {
            self.error(
                "attachments",
                format!(
                    "有 {} 个附件，超过了 {MAX_ATTACHMENTS} 个的上限。",
                    n.attachments.len()
                ),
                "附件这么多时，请合并成附件清单或分批印发。",
            );
            return (None, std::mem::take(&mut self.diags));
        }
        let body = match &n.body {
            Some(b) => self.body("body", b),
            None => Vec::new(),
        };
        let attachments = self.attachments(n, &names);
        let attachment_note = self.attachment_note(n);
        let enclosure = n.enclosure.as_ref().map(|e| Part {
            label: None,
            title: title::break_title(
                &self.text("enclosure.title", Role::XiaoBiaoSong, &e.title),
                &names,
            ),
            body: e
                .body
                .as_ref()
                .map(|b| self.body("enclosure.body", b))
                .unwrap_or_default(),
        });
        if body.is_empty() && attachments.is_empty() && enclosure.is_none() {
            self.error("body", "公文没有正文。", "在 body 下写正文，每段一行。");
        }
        let signature = self.signature(n);
        let note = n.note.as_ref().filter(|s| !s.trim().is_empty()).map(|s| {
            let t = self.text("note", Role::Fang, s);
            format!(
                "（{}）",
                t.trim_start_matches(['（', '('])
                    .trim_end_matches(['）', ')'])
            )
        });
        let colophon = Colophon {
            to: None,
            cc: n.cc.as_ref().filter(|s| !s.trim().is_empty()).map(|s| {
                let t = self.text("cc", Role::Fang, s);
                format!("{}。", t.trim_end_matches(['。', '.']))
            }),
            printer: n
                .printer
                .as_ref()
                .map(|s| self.text("printer", Role::Fang, s)),
            print_date: n.print_date.map(|d| format!("{}印发", d.chinese())),
            copies: n
                .copies
                .filter(|_| n.options.show_copies)
                .map(|c| format!("共印{c}份")),
        };
        if format == "file" && n.printer.is_some() != n.print_date.is_some() {
            self.error(
                if n.printer.is_some() {
                    "print_date"
                } else {
                    "printer"
                },
                "印发机关和印发日期要同时写（GW-E-11）。",
                "补上 printer（印发机关，如“千泉街道党政办公室”）和 print_date（印发日期）。",
            );
        }
        self.check_glyphs();
        let fonts = fonts_json(self.fonts);
        let requested = self.requested.take();
        let record = DocRecord {
            doc_id: String::new(),
            title: title_text.clone(),
            kind: kind.clone(),
            date: n.date.map(|d| d.chinese()).unwrap_or_default(),
            to: n.to.clone().unwrap_or_default(),
            cc: n.cc.clone().unwrap_or_default(),
            copies: n.copies,
            signers: n.signers.join("、"),
            secrecy: header.secrecy.clone().unwrap_or_default(),
            urgency: header.urgency.clone().unwrap_or_default(),
            drafter: n
                .approval
                .as_ref()
                .and_then(|a| a.drafter.clone())
                .unwrap_or_default(),
            attachments: n
                .attachments
                .iter()
                .map(|a| a.title.trim().to_string())
                .collect::<Vec<_>>()
                .join("；"),
            print_date: n.print_date.map(|d| d.chinese()).unwrap_or_default(),
            disclosure: n
                .approval
                .as_ref()
                .and_then(|a| a.disclosure().ok().flatten())
                .unwrap_or_default()
                .to_string(),
            output: String::new(),
            sha256: String::new(),
        };
        let approval = n
            .approval
            .as_ref()
            .map(|a| self.approval(a, n, &fonts, &title_text, &header));
        let mut layout = Layout {
            fonts,
            metrics: Metrics {
                pitch_pt: PITCH_PT,
                tracking_pt: grid::TRACKING_PT,
                dash_centre_em: self.fonts.glyph_centre_em(Role::Song, '—').unwrap_or(0.38),
            },
            red: if n.options.rgb_red { "rgb" } else { "cmyk" },
            mirror: n.options.mirror_margins,
            red_rule_mm: n.options.red_rule_mm,
            format,
            header,
            title: title_lines,
            to,
            to_text,
            body,
            attachment_note,
            signature,
            note,
            enclosure,
            attachments,
            colophon,
            stamp: None,
            requested,
            record,
            approval,
        };
        let number = layout.header.number.clone();
        layout.set_number(number);
        let ok = !self.diags.iter().any(Diagnostic::is_error);
        (ok.then_some(layout), self.diags)
    }

    fn header(&mut self, n: &Notice, upward: bool, format: &str) -> Header {
        let mut h = Header {
            upward,
            ..Header::default()
        };
        if let Some(c) = &n.copy_number {
            let digits = c.0.trim();
            if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit())
            {
                self.error(
                    "copy_number",
                    format!("份号“{digits}”不对。"),
                    "份号是 1 到 6 位阿拉伯数字，如 000001（GW-H-01）。",
                );
            } else {
                h.copy_number = Some(format!("{digits:0>6}"));
            }
        }
        if let Some(s) = &n.secrecy {
            let (level, period) = match s {
                Secrecy::Text(t) => match t.split_once('★') {
                    Some((l, p)) => (l.trim().to_string(), Some(p.trim().to_string())),
                    None => (t.trim().to_string(), None),
                },
                Secrecy::Parts(p) => (p.level.trim().to_string(), p.period.clone()),
            };
            if !matches!(level.as_str(), "绝密" | "机密" | "秘密") {
                self.error(
                    "secrecy",
                    format!("密级“{level}”不对。"),
                    "密级只能是 绝密、机密 或 秘密（GW-H-02）。",
                );
            }
            if h.copy_number.is_none() && n.copy_number.is_none() {
                self.error(
                    "secrecy",
                    "涉密公文必须标注份号。",
                    "加上 copy_number，如 000001（GW-H-01）。",
                );
            }
            let period = period
                .filter(|p| !p.is_empty())
                .map(|p| self.text("secrecy", Role::Hei, &p));
            h.secrecy = Some(match period {
                Some(p) => format!("{level}★{p}"),
                None => level,
            });
        }
        if let Some(u) = &n.urgency {
            let u = u.replace([' ', '　'], "");
            if !matches!(u.as_str(), "特急" | "加急" | "特提" | "平急") {
                self.error(
                    "urgency",
                    format!("紧急程度“{u}”不对。"),
                    "只能写 特急 或 加急（电报另有 特提、平急）（GW-H-03）。",
                );
            }
            h.urgency = Some(u);
        }
        match &n.issuer {
            Some(Issuer::Text(t)) => {
                h.issuer_names = vec![self.text("issuer", Role::XiaoBiaoSong, t)]
            }
            Some(Issuer::Parts(p)) => {
                h.issuer_names = p
                    .names
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.text(&format!("issuer.names[{i}]"), Role::XiaoBiaoSong, s))
                    .collect();
                h.issuer_suffix = p
                    .suffix
                    .as_ref()
                    .map(|s| self.text("issuer.suffix", Role::XiaoBiaoSong, s));
                if p.names.is_empty() {
                    self.error(
                        "issuer.names",
                        "发文机关名称是空的。",
                        "至少写一个机关名称。",
                    );
                }
            }
            None if format == "plan" => {}
            None => self.error(
                "issuer",
                "缺少发文机关标志。",
                "加上 issuer，如“邹城市千泉街道办事处文件”（GW-H-10）。",
            ),
        }
        if format == "letter" && h.issuer_suffix.is_some() {
            self.warn(
                "issuer.suffix",
                "信函格式的发文机关标志不加“文件”（GW-S-01），已略去。",
            );
            h.issuer_suffix = None;
        }
        let max = match &n.issuer {
            Some(Issuer::Parts(p)) => p.max_size.unwrap_or(36.0),
            _ => 36.0,
        };
        let longest = h
            .issuer_names
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1) as f64;
        let suffix = h
            .issuer_suffix
            .as_ref()
            .map(|s| s.chars().count() as f64)
            .unwrap_or(0.0);
        let units = if h.issuer_names.len() > 1 {
            longest + suffix + 0.5
        } else {
            longest + suffix
        };
        h.issuer_size_pt = max.min(LINE_PT / units).max(8.0);
        if let Some(spec) = &n.number {
            match spec.resolve(n.date.map(|d| chrono::Datelike::year(&d.0))) {
                Ok(req) => {
                    h.number = Some(match &req {
                        Requested::Fixed(num) => num.display(),
                        // Printed as a draft until the register gives the number.
                        Requested::Auto { code, year } => DocNumber {
                            code: code.clone(),
                            year: *year,
                            seq: None,
                        }
                        .display(),
                    });
                    self.requested = Some(req);
                }
                Err(e) => self.error(
                    "number",
                    e,
                    "发文字号写成 机关代字〔年份〕序号号，如 千街发〔2019〕8号（GW-H-20）。",
                ),
            }
        }
        h.signers = n
            .signers
            .iter()
            .enumerate()
            .map(|(i, s)| self.text(&format!("signers[{i}]"), Role::Kai, s))
            .collect();
        // A stand-alone 方案/报告 without 版头 carries no 签发人.
        if upward && h.signers.is_empty() && format != "plan" {
            self.error(
                "signers",
                "上行文（请示、报告等）必须标注签发人。",
                "加上 signers，如 signers: [张三]（GW-H-30）。",
            );
        }
        if !upward && !h.signers.is_empty() {
            self.error(
                "signers",
                "只有上行文标注签发人（GW-H-30）。",
                "删去 signers；若确是上行文，写 direction: 上行文。",
            );
        }
        h
    }

    fn body(&mut self, path: &str, body: &Body) -> Vec<BlockOut> {
        let m = Measure::body(self.fonts);
        let mut out = Vec::new();
        let base = self.src.place(path).map(|p| p.value_line);
        for (bi, block) in body.blocks().iter().enumerate() {
            let bpath = match body {
                Body::Text(_) => path.to_string(),
                Body::Blocks(_) => format!("{path}[{bi}]"),
            };
            match block {
                Block::Text(text) => {
                    for (li, line) in text.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        let ppath = match body {
                            Body::Text(_) => format!("{bpath}（第{}段）", li + 1),
                            Body::Blocks(_) => bpath.clone(),
                        };
                        let before = self.diags.len();
                        if let Some(par) = self.attendance(&ppath, line.trim(), &m, out.last()) {
                            out.push(par);
                            continue;
                        }
                        let p = heading::detect(line.trim());
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
                        // punctuation) must not end a page; numbered items
                        // (1. …；) are ordinary paragraphs.
                        let heading = matches!(p.level, Level::H1 | Level::H2)
                            && p.rest.is_empty()
                            && !p.head.ends_with(['。', '；', '，', '：']);
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
                Block::Table(t) => out.push(self.table(&format!("{bpath}.table"), &t.table)),
                Block::Chart(c) => {
                    let c = &c.chart;
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
                    out.push(BlockOut::Chart {
                        title,
                        bars,
                        unit: c.unit.clone().unwrap_or_else(|| "%".into()),
                    });
                }
            }
        }
        out
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
        let lines = grid::break_lines(
            &[(Role::Hei, head), (Role::Fang, names)],
            m,
            LINE_PT,
            2.0 * PITCH_PT,
            hang * PITCH_PT,
        );
        Some(BlockOut::Par {
            indent: true,
            heading: false,
            hang,
            blank_before,
            lines,
        })
    }

    fn table(&mut self, path: &str, t: &Table) -> BlockOut {
        let columns: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| self.text(&format!("{path}.columns[{i}]"), Role::Hei, c))
            .collect();
        if columns.is_empty() {
            self.error(
                &format!("{path}.columns"),
                "表格没有列。",
                "在 columns 下列出表头，如 [序号, 任务, 责任单位]。",
            );
        }
        let mut rows = Vec::new();
        for (ri, r) in t.rows.iter().enumerate() {
            if r.len() > columns.len() {
                self.error(
                    &format!("{path}.rows[{ri}]"),
                    format!("这一行有 {} 格，但表头只有 {} 列。", r.len(), columns.len()),
                    "删去多余的格，或在 columns 里补上列名。",
                );
            }
            let mut row: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(ci, c)| self.text(&format!("{path}.rows[{ri}][{ci}]"), Role::Fang, &c.0))
                .collect();
            row.resize(columns.len(), String::new());
            rows.push(row);
        }
        if !t.widths.is_empty() && t.widths.len() != columns.len() {
            self.error(
                &format!("{path}.widths"),
                "列宽的个数和列数不一致。",
                "widths 的个数要和 columns 一样多。",
            );
        }
        let title = t
            .title
            .as_ref()
            .map(|s| self.text(&format!("{path}.title"), Role::Hei, s));
        let pages = if t.landscape {
            landscape_pages(&columns, &rows, &t.widths, title.is_some())
        } else {
            Vec::new()
        };
        BlockOut::Table {
            title,
            columns,
            rows,
            widths: t.widths.clone(),
            landscape: t.landscape,
            pages,
        }
    }

    fn attachments(&mut self, n: &Notice, names: &[String]) -> Vec<Part> {
        let many = n.attachments.len() > 1;
        let mut out = Vec::new();
        for (i, a) in n.attachments.iter().enumerate() {
            let title = self.text(
                &format!("attachments[{i}].title"),
                Role::XiaoBiaoSong,
                &a.title,
            );
            let body = a
                .body
                .as_ref()
                .map(|b| self.body(&format!("attachments[{i}].body"), b))
                .unwrap_or_default();
            out.push(Part {
                label: Some(if many {
                    format!("附件{}", i + 1)
                } else {
                    "附件".to_string()
                }),
                title: title::break_title(&title, names),
                body,
            });
        }
        out
    }

    /// 附件说明 lines: “1.名称” per attachment (GW-B-30..32).
    fn attachment_note(&mut self, n: &Notice) -> Vec<String> {
        let titles: Vec<String> = n
            .attachments
            .iter()
            .map(|a| punct::normalise(a.title.trim()).0)
            .collect();
        let names: Vec<String> = if n.attachment_note.is_empty() {
            titles.clone()
        } else {
            let names: Vec<String> = n
                .attachment_note
                .iter()
                .map(|s| {
                    let s = punct::normalise(s.trim()).0;
                    // Accept “1.名称” as typed; compare the name only.
                    let stripped = s
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start_matches(['.', '．']);
                    stripped.trim_end_matches(['。', '；', '，']).to_string()
                })
                .collect();
            if names.len() != titles.len() {
                self.error(
                    "attachment_note",
                    format!("附件说明列了 {} 个附件，实际附件（attachments）有 {} 个。", names.len(), titles.len()),
                    "附件说明的个数和名称要与附件页一致（GW-B-32）。删去 attachment_note 可由附件标题自动生成。",
                );
            } else {
                for (i, (a, b)) in names.iter().zip(&titles).enumerate() {
                    if a != b {
                        self.error(
                            &format!("attachment_note[{i}]"),
                            format!("附件说明第 {} 项“{a}”与附件标题“{b}”不一致。", i + 1),
                            "两处名称要逐字相同（GW-B-32）。",
                        );
                    }
                }
            }
            names
        };
        if names.len() == 1 {
            vec![names[0].clone()]
        } else {
            names
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}.{s}", i + 1))
                .collect()
        }
    }

    fn signature(&mut self, n: &Notice) -> Option<Signature> {
        let names: Vec<String> = n
            .signature
            .as_ref()
            .map(|s| s.to_vec())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, s)| self.text(&format!("signature[{i}]"), Role::Fang, s))
            .collect();
        let Some(date) = n.date else {
            self.error(
                "date",
                "缺少成文日期。",
                "加上 date，如 date: 2019-04-15（GW-B-40）。",
            );
            return None;
        };
        let mut seals = Vec::new();
        for (i, seal) in n
            .seal
            .as_ref()
            .map(|s| s.to_vec())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let path = if matches!(n.seal, Some(crate::model::notice::Seals::Many(_))) {
                format!("seal[{i}]")
            } else {
                "seal".to_string()
            };
            let file = seal.file();
            let dir = self.src.path.parent().unwrap_or(Path::new("."));
            let full = dir.join(file);
            let ext = full
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            if !matches!(ext.as_str(), "png" | "svg" | "jpg" | "jpeg") {
                self.error(
                    &path,
                    format!("印章“{file}”不是 PNG、SVG 或 JPG 图片。"),
                    "用透明底的 PNG 或 SVG 印章图片。",
                );
            } else if Path::new(file).is_absolute() || file.contains("..") {
                self.error(
                    &path,
                    format!("印章“{file}”不在公文文件所在的文件夹里。"),
                    "把印章图片放到 YAML 文件同一文件夹（或子文件夹）中，写相对路径。",
                );
            } else if !full.is_file() {
                self.error(
                    &path,
                    format!("找不到印章图片“{}”。", full.display()),
                    "检查文件名，图片要放在 YAML 文件同一文件夹（或其子文件夹）中。",
                );
            }
            let size = seal.size_mm();
            if !(20.0..=60.0).contains(&size) {
                self.error(
                    &path,
                    format!("印章直径 {size} mm 不合常理。"),
                    "size_mm 一般在 38 到 45 之间。",
                );
            }
            seals.push(SealOut {
                path: format!("/input/{}", file.replace('\\', "/")),
                size_mm: size,
            });
        }
        if !seals.is_empty() && seals.len() != names.len() {
            self.error(
                "seal",
                format!("有 {} 个署名却有 {} 个印章。", names.len(), seals.len()),
                "每个署名配一个印章，印章不能盖在空白处（GW-B-46）。",
            );
        }
        Some(Signature {
            names,
            date: date.chinese(),
            seals,
        })
    }

    /// The 签批单 data (GW-K-03); empty cells stay empty.
    fn approval(
        &mut self,
        a: &Approval,
        n: &Notice,
        fonts: &serde_json::Map<String, serde_json::Value>,
        title: &str,
        h: &Header,
    ) -> serde_json::Value {
        if let Err(e) = a.disclosure() {
            let path = if a.disclosure.as_deref().is_some_and(|d| {
                ["主动公开", "依申请公开", "不予公开", "免予公开"].contains(&d.trim())
            }) {
                "approval.reason"
            } else {
                "approval.disclosure"
            };
            self.error(
                path,
                e,
                "公文属性写 主动公开、依申请公开 或 不予公开；后两者在 reason 写明理由。",
            );
        }
        let text = |b: &mut Self, path: &str, s: &Option<String>| {
            b.text(path, Role::Fang, s.as_deref().unwrap_or(""))
        };
        let opinion = |b: &mut Self, path: &str, o: &Opinion, label: &str| {
            serde_json::json!({
                "label": b.text(&format!("{path}.label"), Role::Hei, o.label.as_deref().unwrap_or(label)),
                "text": b.text(&format!("{path}.text"), Role::Kai, o.text.as_deref().unwrap_or("")),
                "name": b.text(&format!("{path}.name"), Role::Kai, o.name.as_deref().unwrap_or("")),
                "date": o.date.map(|d| d.chinese()).unwrap_or_default(),
            })
        };
        let sign = opinion(
            self,
            "approval.sign",
            &a.sign.clone().unwrap_or_default(),
            "签发",
        );
        let countersign: Vec<_> = a
            .countersign
            .iter()
            .enumerate()
            .map(|(i, o)| opinion(self, &format!("approval.countersign[{i}]"), o, "会签"))
            .collect();
        let reviews: Vec<_> = a
            .reviews
            .iter()
            .enumerate()
            .map(|(i, o)| opinion(self, &format!("approval.reviews[{i}]"), o, "审核"))
            .collect();
        let form_title = match &a.title {
            Some(t) => self.text("approval.title", Role::XiaoBiaoSong, t),
            None => format!(
                "{}公文签批单",
                h.issuer_names
                    .first()
                    .map(|s| s.trim_end_matches("文件"))
                    .unwrap_or("")
            ),
        };
        serde_json::json!({
            "fonts": fonts,
            "title": form_title,
            "sign": sign,
            "countersign": countersign,
            "reviews": reviews,
            "joint_opinion": text(self, "approval.joint_opinion", &a.joint_opinion),
            "drafting_unit": text(self, "approval.drafting_unit", &a.drafting_unit),
            "checker": text(self, "approval.checker", &a.checker),
            "drafter": text(self, "approval.drafter", &a.drafter),
            "copies": n.copies.map(|c| c.to_string()).unwrap_or_default(),
            "doc_title": match &a.doc_title {
                Some(t) => self.text("approval.doc_title", Role::Fang, t),
                None => title.to_string(),
            },
            "number": "",
            "secrecy": h.secrecy.clone().unwrap_or_default(),
            "urgency": h.urgency.clone().unwrap_or_default(),
            "disclosure": a.disclosure().ok().flatten().unwrap_or(""),
            "reason": text(self, "approval.reason", &a.reason),
        })
    }

    /// “No silent tofu”: every character must be drawable by its role.
    fn check_glyphs(&mut self) {
        let texts = std::mem::take(&mut self.texts);
        for (path, role, text) in texts {
            let missing = self.fonts.missing(role, &text);
            if !missing.is_empty() {
                let list: String = missing
                    .iter()
                    .map(|c| format!("“{c}”(U+{:04X}) ", *c as u32))
                    .collect();
                self.error(
                    &path,
                    format!(
                        "字体角色“{}”的字体都画不出这些字：{}",
                        role.label(),
                        list.trim_end()
                    ),
                    "安装含有这些字的正版字体并用 --font-dir 指定其文件夹，或改用常用字。",
                );
            }
        }
    }
}

/// Splits a turned table's rows into pages that each end on a whole row
/// (GW-S-31): the turned 版心 is 225 mm wide and 156 mm high; cells are set
/// in 12 pt (小四) with 1.6 mm padding, so a row's height follows from its
/// longest cell wrapped in its column.
pub fn landscape_pages(
    columns: &[String],
    rows: &[Vec<String>],
    widths: &[f64],
    titled: bool,
) -> Vec<Vec<Vec<String>>> {
    const PT: f64 = 25.4 / 72.0;
    let n = columns.len().max(1);
    let weights: Vec<f64> = if widths.len() == n {
        widths.to_vec()
    } else {
        vec![1.0; n]
    };
    let total: f64 = weights.iter().sum::<f64>().max(1e-9);
    let col_mm: Vec<f64> = weights.iter().map(|w| 225.0 * w / total - 3.2).collect();
    let line = 12.0 * PT * 1.5;
    let height = |cells: &[String], size: f64| -> f64 {
        let lines = cells
            .iter()
            .zip(&col_mm)
            .map(|(c, w)| {
                c.split('\n')
                    .map(|part| {
                        let units: f64 = part
                            .chars()
                            .map(|ch| if punct::is_cjk(ch) { 1.0 } else { 0.55 })
                            .sum();
                        (units * size * PT / w.max(5.0)).ceil().max(1.0)
                    })
                    .sum::<f64>()
            })
            .fold(1.0, f64::max);
        lines * line + 3.2
    };
    let head = height(columns, 12.0);
    let budget = 156.0 - 4.0;
    let mut pages: Vec<Vec<Vec<String>>> = Vec::new();
    let mut used = f64::MAX;
    for r in rows {
        let h = height(r, 12.0);
        let first = pages.is_empty();
        let room = budget - if first && titled { 10.0 } else { 0.0 };
        if used + h > room {
            pages.push(Vec::new());
            used = head;
        }
        used += h;
        pages.last_mut().expect("pushed above").push(r.clone());
    }
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}

/// The role → font-family table every template receives.
pub fn fonts_json(fonts: &FontSet) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    for role in Role::ALL {
        let face = fonts.role(role);
        out.insert(
            role.key().to_string(),
            serde_json::json!({ "families": fonts.families(role), "weight": face.weight }),
        );
    }
    out
}

/// Names in a 主送 line, separated by 、，, or ；.
fn count_names(s: &str) -> usize {
    s.split(['、', '，', ',', '；'])
        .filter(|p| !p.trim().is_empty())
        .count()
}
