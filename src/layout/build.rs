//! The builder: from a validated [`Notice`] to its [`Layout`], collecting
//! every error and warning with its field path on the way.

use super::{Built, Facts, Layout, Metrics, PageFormat, Part, Red};
use crate::compose::grid::{self, Measure, Span, LINE_PT, PITCH_PT};
use crate::compose::{names, punct, title};
use crate::error::Diagnostic;
use crate::geometry;
use crate::model::notice::{Block, Body, Direction, Format, Notice, KINDS, UPWARD_KINDS};
use crate::model::number::Requested;
use crate::source::Origin;
use crate::typeset::fonts::{FontSet, Role};

/// Most characters of 正文, 附件 and 随文印发的文件 together.
pub const MAX_CHARS: usize = 300_000;
/// Most characters of a 标题 (four full lines are 100).
pub const MAX_TITLE_CHARS: usize = 200;
/// Most characters of a short field (主送, 抄送, 署名, 附件名 …).
pub const MAX_FIELD_CHARS: usize = 2_000;
/// Most characters of a 附注: it travels with the 署名 and 日期 as one block
/// that must fit on a page (11 lines of 附注 leave room for them).
pub const MAX_NOTE_CHARS: usize = 300;
/// Most attachments.
pub const MAX_ATTACHMENTS: usize = 200;

/// Builds the layout, collecting every error and warning.
pub struct Builder<'a> {
    pub(super) origin: &'a Origin,
    pub(super) fonts: &'a FontSet,
    pub diags: Vec<Diagnostic>,
    /// (field path, role, text) to check for drawable characters.
    texts: Vec<(String, Role, String)>,
    /// A 纪要: “出席：”/“请假：”/“列席：” lines get their own layout.
    pub(super) minutes: bool,
    pub(super) requested: Option<Requested>,
}

impl<'a> Builder<'a> {
    /// `origin` places diagnostics (file:line:column when the notice was
    /// read from a file) and gives the folder seal images are read from.
    pub fn new(origin: &'a Origin, fonts: &'a FontSet) -> Self {
        Builder {
            origin,
            fonts,
            diags: Vec::new(),
            texts: Vec::new(),
            minutes: false,
            requested: None,
        }
    }

    pub(super) fn error(&mut self, path: &str, msg: impl Into<String>, hint: impl Into<String>) {
        let d = self.origin.error(path, msg).hint(hint);
        self.diags.push(d);
    }

    pub(super) fn warn(&mut self, path: &str, msg: impl Into<String>) {
        let d = self.origin.warning(path, msg);
        self.diags.push(d);
    }

    /// Normalises punctuation, warns about what changed and records the text
    /// for the glyph check.
    pub(super) fn text(&mut self, path: &str, role: Role, s: &str) -> String {
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

    pub fn build(mut self, n: &Notice) -> (Option<Built>, Vec<Diagnostic>) {
        if self.field_too_long(n) {
            return (None, std::mem::take(&mut self.diags));
        }
        let kind = if n.kind == "令" {
            "命令".to_string()
        } else {
            n.kind.trim().to_string()
        };
        self.minutes = kind == "纪要";
        // A stand-alone 方案/清单 (GW-S-40) is not a 公文: no 文种, 版头 or 主送.
        let plan = n.format == Some(Format::Plan);
        if !plan && kind.is_empty() {
            self.error(
                "kind",
                "缺少必填字段“kind”。",
                format!("写上文种，如 kind: 通知；文种是这 15 种之一：{}。独立印发的方案写 format: 方案，不用写文种。", KINDS.join("、")),
            );
        } else if !plan && !KINDS.contains(&kind.as_str()) {
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
            Some(d) => d == Direction::Up,
            None => UPWARD_KINDS.contains(&kind.as_str()),
        };
        let format = match n.format {
            Some(Format::Letter) => PageFormat::Letter,
            Some(Format::File) => PageFormat::File,
            Some(Format::Plan) => PageFormat::Plan,
            Some(Format::Order) => PageFormat::Order,
            None if kind == "函" => PageFormat::Letter,
            None if kind == "命令" => PageFormat::Order,
            None => PageFormat::File,
        };
        let header = self.header(n, upward, format);
        // A 命令 prints no 标题 (GW-S-12): its title names it in the register.
        let title_text = self.title(n, plan || format == PageFormat::Order);
        let names: Vec<String> = header
            .issuer_names
            .iter()
            .cloned()
            .chain(n.signature.as_ref().map(|s| s.to_vec()).unwrap_or_default())
            .collect();
        // A break at the space between joint organ names leaves it at a line
        // end, where it would push the centred line half a character left.
        let title_lines: Vec<String> = title::break_title(&title_text, &names)
            .into_iter()
            .map(|l| l.trim().to_string())
            .collect();
        let (to, to_text) = self.recipients(n, &kind, plan);
        if self.too_large(n) {
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
        let signature = self.signature(n, format);
        let note = self.note(n);
        let colophon = self.colophon(n, format, to_text.as_deref());
        self.lint(n, format);
        self.check_glyphs();
        let facts = Facts {
            title: title_text.clone(),
            kind,
            date: n.date,
            to: n.to.clone().unwrap_or_default(),
            cc: n.cc.clone().unwrap_or_default(),
            copies: n.copies,
            signers: n.signers.clone(),
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
                .collect(),
            print_date: n.print_date,
            disclosure: n
                .approval
                .as_ref()
                .and_then(|a| a.disclosure().ok().flatten())
                .unwrap_or_default()
                .to_string(),
            author: signature
                .as_ref()
                .map(|s| s.names.join("、"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| header.issuer_names.join("、")),
            requested: self.requested.take(),
            register_id: n
                .register_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        };
        let approval = n
            .approval
            .as_ref()
            .map(|a| self.approval(a, n, &title_text, &header));
        let layout = Layout {
            fonts: self.fonts.role_fonts(),
            page: geometry::PAGE,
            metrics: Metrics {
                pitch_pt: PITCH_PT,
                tracking_pt: grid::TRACKING_PT,
                dash_centre_em: self.fonts.glyph_centre_em(Role::Song, '—').unwrap_or(0.38),
            },
            red: if n.options.rgb_red {
                Red::Rgb
            } else {
                Red::Cmyk
            },
            mirror: n.options.mirror_margins,
            red_rule_mm: n.options.red_rule_mm,
            format,
            header,
            title: title_lines,
            to,
            body,
            attachment_note,
            signature,
            note,
            enclosure,
            attachments,
            colophon,
            stamp: None,
            preview: false,
            numbered: false,
            squeeze: None,
        };
        let ok = !self.diags.iter().any(Diagnostic::is_error);
        let built = ok.then_some(Built {
            layout,
            approval,
            facts,
        });
        (built, self.diags)
    }

    /// 标题 text, checked (GW-B-02, GW-B-05).
    fn title(&mut self, n: &Notice, plan: bool) -> String {
        let title_text = self.text("title", Role::XiaoBiaoSong, &n.title);
        // Organ names before “关于” are often set apart by a space in a
        // joint title (中共青石县委 青石县人民政府关于…); the 事由 is not.
        let gaps = punct::stray_spaces(punct::after_organs(&title_text));
        if !gaps.is_empty() {
            self.warn(
                "title",
                format!(
                    "标题里汉字之间有空格，会照样印出空白：“{}”。要让标题在某处换行，请写成“title: |”，再把标题分成几行写（见 README“标题怎样换行”），不要用空格。",
                    gaps[0]
                ),
            );
        }
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
        let n = title_text.chars().count();
        if n > MAX_TITLE_CHARS {
            self.error(
                "title",
                format!("标题有 {n} 个字，超过了 {MAX_TITLE_CHARS} 字的上限。"),
                "标题写“发文机关＋事由＋文种”，一般不超过三四行；说明的文字写进正文。",
            );
        }
        if title_text.ends_with(['。', '，', '；', '！', '？']) {
            self.error(
                "title",
                "标题末尾不加标点（GW-B-05）。",
                "删去标题末尾的标点。",
            );
        }
        title_text
    }

    /// 主送 lines, and the text for the 版记 should it move there (GW-B-10..12).
    fn recipients(
        &mut self,
        n: &Notice,
        kind: &str,
        plan: bool,
    ) -> (Vec<Vec<Span>>, Option<String>) {
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
                // The last glyph of a run is not tracked: with the grid's
                // negative tracking a line is |tracking| wider than its sum.
                let line = LINE_PT + m.tracking.min(0.0);
                names::break_names(&t, &m, line, line)
                    .into_iter()
                    .map(|text| grid::spans_of(&text, Role::Fang))
                    .collect()
            }
            _ => {
                if !plan && !matches!(kind, "公告" | "通告" | "公报" | "决议" | "纪要" | "命令")
                {
                    self.warn(
                        "to",
                        "没有主送机关（GW-B-10）。除公告、通告等外，公文一般都有主送机关。",
                    );
                }
                Vec::new()
            }
        };
        (to, to_text)
    }

    /// A short field (主送, 抄送, 附注, 署名 …) of more than
    /// [`MAX_FIELD_CHARS`] characters is a mistake (a pasted document in
    /// the wrong place) that would otherwise lay out hundreds of pages.
    fn field_too_long(&mut self, n: &Notice) -> bool {
        let mut fields: Vec<(String, &str)> = vec![
            ("to".into(), n.to.as_deref().unwrap_or("")),
            ("cc".into(), n.cc.as_deref().unwrap_or("")),
            ("note".into(), n.note.as_deref().unwrap_or("")),
            ("printer".into(), n.printer.as_deref().unwrap_or("")),
            ("urgency".into(), n.urgency.as_deref().unwrap_or("")),
        ];
        for (i, s) in n.signers.iter().enumerate() {
            fields.push((format!("signers[{i}]"), s));
        }
        for (i, s) in n.attachment_note.iter().enumerate() {
            fields.push((format!("attachment_note[{i}]"), s));
        }
        for (i, a) in n.attachments.iter().enumerate() {
            fields.push((format!("attachments[{i}].title"), &a.title));
        }
        let signature = n.signature.as_ref().map(|s| s.to_vec()).unwrap_or_default();
        for (i, s) in signature.iter().enumerate() {
            fields.push((format!("signature[{i}]"), s));
        }
        let note = n.note.as_deref().unwrap_or("").chars().count();
        if note > MAX_NOTE_CHARS {
            self.error(
                "note",
                format!("附注有 {note} 个字，超过了 {MAX_NOTE_CHARS} 字的上限。"),
                "附注一般只有一两行（如“（联系人：李明，电话：1234567）”）；较长的说明请写进正文（body）。",
            );
            return true;
        }
        for (path, text) in fields {
            let count = text.chars().count();
            if count > MAX_FIELD_CHARS {
                self.error(
                    &path,
                    format!("这一项有 {count} 个字，超过了 {MAX_FIELD_CHARS} 字的上限。"),
                    "主送、抄送、附注、署名这类项目只有几行；大段文字请写进正文（body）或附件。",
                );
                return true;
            }
        }
        false
    }

    /// Bounds that keep a mistaken input from running for hours: a 公文
    /// of 30 万字 is already some 500 pages.
    fn too_large(&mut self, n: &Notice) -> bool {
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
                                .map(|c| c.text.chars().count())
                                .sum(),
                            Block::Chart(c) => c.chart.bars.len(),
                            Block::Heading(h) => h.heading.chars().count(),
                            Block::Paragraph(p) => p.paragraph.chars().count(),
                            Block::Members(m) => m
                                .members
                                .0
                                .iter()
                                .map(|(l, n)| {
                                    l.chars().count()
                                        + n.iter().map(|x| x.chars().count()).sum::<usize>()
                                })
                                .sum(),
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
            return true;
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
            return true;
        }
        false
    }

    /// “No silent tofu”: every character must be drawable by its role.
    fn check_glyphs(&mut self) {
        let texts = std::mem::take(&mut self.texts);
        for (path, role, text) in texts {
            self.fallback_glyphs(&path, role, &text);
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

impl Builder<'_> {
    /// Characters the role's face lacks but the fallback face draws print in
    /// another style (a 宋体 look among 仿宋): said, with the faces, so a
    /// 签发人 named 王堃 is not printed wrongly unnoticed.
    fn fallback_glyphs(&mut self, path: &str, role: Role, text: &str) {
        // Characters by the face that draws them instead.
        let mut by_face: Vec<(String, Vec<char>)> = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || self.fonts.face_covers(role, c) {
                continue;
            }
            let Some(face) = self.fonts.drawn_by(role, c) else {
                continue;
            };
            match by_face.iter_mut().find(|(f, _)| f == face) {
                Some((_, list)) if !list.contains(&c) => list.push(c),
                Some(_) => {}
                None => by_face.push((face.to_string(), vec![c])),
            }
        }
        let family = self.fonts.role(role).family.clone();
        for (fallback, list) in by_face {
            let shown: Vec<String> = list
                .iter()
                .map(|c| format!("“{c}”(U+{:04X})", *c as u32))
                .collect();
            self.warn(
                path,
                format!(
                    "{}字体 {family} 没有 {}，这些字改用 {fallback} 印出，字形与周围的字不同。请安装含有这些字的正版字体（如方正仿宋_GBK、方正楷体_GBK），用 --font-dir 或 gongwen.toml 的 fonts 指定其文件夹。",
                    role.label(),
                    shown.join(" ")
                ),
            );
        }
    }
}

/// Names in a 主送 line, separated by 、，, or ；.
fn count_names(s: &str) -> usize {
    // “各县（市、区）人民政府” is one name: separators inside brackets do
    // not count.
    let mut depth = 0i32;
    let mut names = 0;
    let mut current = false;
    for c in s.chars() {
        match c {
            '（' | '(' | '〔' | '《' => depth += 1,
            '）' | ')' | '〕' | '》' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | '；') {
            names += usize::from(current);
            current = false;
        } else if !c.is_whitespace() {
            current = true;
        }
    }
    names + usize::from(current)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_in_brackets_are_one() {
        assert_eq!(super::count_names("各县（市、区）人民政府"), 1);
        assert_eq!(super::count_names("甲市人民政府、乙市人民政府"), 2);
        assert_eq!(super::count_names(""), 0);
    }
}
