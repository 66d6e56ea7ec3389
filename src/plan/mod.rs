//! Plans from a template for every unit: a plan file (shared data, tasks,
//! content template) plus one unit's row becomes that unit's 方案 — the
//! text from a minijinja content template, the 任务清单, 责任清单 and the
//! 季度/月度任务分解 computed from the task model.
//!
//! The content template's output is data (one paragraph per line, `[[…]]`
//! directives for tables); it reaches Typst through the ordinary 公文 model,
//! never as markup.

pub mod schedule;
mod tables;
mod template;
pub mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Deserialize;

use crate::error::Error;
use crate::model::date::Date;
use crate::model::notice::{
    Block, Body, Enclosure, Format, HeadingBlock, Notice, OneOrMany, ParagraphBlock,
};
use crate::source::{self, SourceFile};
use schedule::{due_dates, Frequency};
use tables::{monthly, quarterly, responsibility_list, table_block, task_list};
use template::{
    bounded_indent, data_formatter, describe, render_capped, strip_marks, template_error,
    unit_hint_text, DATA_CLOSE, DATA_OPEN,
};
use units::Unit;

/// Content templates shipped with the program (`templates/plans/`).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "village-zero-accident.j2",
        include_str!("../../templates/plans/village-zero-accident.j2"),
    ),
    (
        "street-three-year.j2",
        include_str!("../../templates/plans/street-three-year.j2"),
    ),
];

/// Bound on template work (loop iterations, calls): a template that loops
/// forever stops with an error instead.
const FUEL: u64 = 5_000_000;

/// A plan file as written by the user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Content template: a file next to the plan file, in `--templates
    /// DIR/plans/`, or a built-in one.
    pub template: String,
    /// Title (minijinja string).
    pub title: String,
    /// 署名 (minijinja string); a 署名 needs a `date`.
    #[serde(default)]
    pub signature: Option<String>,
    /// 成文日期 of every generated plan; without a 署名 it is printed alone,
    /// and a plan may have neither (seed 003 篇4, seed 004 第一篇).
    #[serde(default)]
    pub date: Option<Date>,
    /// Range of the 季度/月度任务分解.
    pub period: Period,
    /// Units-file header → variable name.
    #[serde(default)]
    pub unit_columns: BTreeMap<String, String>,
    /// Shared variables.
    #[serde(default)]
    pub data: serde_yaml::Value,
    #[serde(default)]
    pub tasks: Vec<TaskSpec>,
    /// Print the plan with a “关于印发《…》的通知”: the notice's fields
    /// (strings may use minijinja); the plan becomes its enclosure.
    #[serde(default)]
    pub notice: Option<serde_yaml::Mapping>,
    /// Output file name (minijinja string; default the unit's name).
    #[serde(default)]
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

/// One task of the task model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// 任务/事项.
    pub name: String,
    /// 举措.
    #[serde(default)]
    pub measures: Option<String>,
    /// 牵头单位.
    #[serde(default)]
    pub lead: Option<String>,
    /// 责任单位/责任人.
    #[serde(default)]
    pub responsible: Option<String>,
    /// 频次 (see [`schedule`] for the grammar): 每月至少1次, 每月2次,
    /// 每年不少于4次, 每月25日前, 6月10日、12月10日前, 一次性, 不定期 …
    pub frequency: String,
    /// Start (default: the period's start).
    #[serde(default)]
    pub start: Option<Date>,
    /// 完成时限 (required for 一次性; default: the period's end).
    #[serde(default)]
    pub deadline: Option<Date>,
}

/// A task with its strings expanded for one unit and its due dates.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub no: usize,
    pub name: String,
    pub measures: String,
    pub lead: String,
    pub responsible: String,
    pub frequency: String,
    pub start: String,
    pub deadline: String,
    /// Due once, on its deadline (一次性).
    pub once: bool,
    #[serde(skip)]
    pub due: Vec<chrono::NaiveDate>,
    #[serde(skip)]
    pub freq: Frequency,
    /// Start and deadline as dates.
    #[serde(skip)]
    pub active: (chrono::NaiveDate, chrono::NaiveDate),
}

/// A loaded plan: its file, its content template, ready to expand per unit.
pub struct Plan {
    pub source: SourceFile,
    pub file: PlanFile,
    env: Environment<'static>,
    /// The content template's text, for quoting the line of an error.
    text: String,
}

impl Plan {
    /// Loads a plan file and its content template. `templates` is the
    /// `--templates DIR` override.
    pub fn load(path: &Path, templates: Option<&Path>) -> Result<Plan, Error> {
        let source = SourceFile::read(path)?;
        let file: PlanFile = source.parse()?;
        let mut diags = Vec::new();
        if file.period.end < file.period.start {
            diags.push(
                source
                    .error("period", "期间的结束日期早于开始日期。")
                    .hint("把 period.end 改到 period.start 之后。"),
            );
        }
        if file.date.is_none() {
            if file.signature.is_some() {
                diags.push(
                    source
                        .error("signature", "有署名（signature）却没有成文日期（date）。")
                        .hint("加上 date，如 date: 2019-04-25；不要署名和日期的方案，signature 和 date 都不写。"),
                );
            }
            let notice_date = file.notice.as_ref().is_some_and(|n| n.contains_key("date"));
            if file.notice.is_some() && !notice_date {
                diags.push(
                    source.error("notice", "印发通知要有成文日期。").hint(
                        "在方案文件里写 date（如 date: 2019-04-25），或在 notice 下写 date。",
                    ),
                );
            }
        }
        for (i, t) in file.tasks.iter().enumerate() {
            match Frequency::parse(&t.frequency) {
                Err(e) => diags.push(source.error(&format!("tasks[{i}].frequency"), e)),
                Ok(f) if f.is_once() && t.deadline.is_none() => diags.push(
                    source
                        .error(
                            &format!("tasks[{i}]"),
                            format!("一次性任务“{}”没有完成时限。", t.name),
                        )
                        .hint("加上 deadline，如 deadline: 2019-06-30。"),
                ),
                Ok(_) => {}
            }
            if let (Some(s), Some(d)) = (t.start, t.deadline) {
                if d < s {
                    diags.push(source.error(
                        &format!("tasks[{i}].deadline"),
                        format!("任务“{}”的完成时限早于开始日期。", t.name),
                    ));
                }
            }
        }
        if !diags.is_empty() {
            return Err(Error::Input(diags));
        }
        let name = &file.template;
        if name.contains("..")
            || Path::new(name).is_absolute()
            || name.contains('/')
            || name.contains('\\')
        {
            return Err(Error::Input(vec![source
                .error("template", "内容模板只能是方案文件夹里的文件名。")
                .hint(
                    "写文件名（如 village-zero-accident.j2），不要写路径、“..”或“/”。",
                )]));
        }
        let found = find_template(name, path, templates)
            .map_err(|e| Error::Input(vec![source.error("template", e)]))?;
        let text = found.ok_or_else(|| {
            Error::Input(vec![source
                .error("template", format!("找不到内容模板“{name}”。"))
                .hint(format!(
                    "把模板放在方案文件同一文件夹，或用内置模板：{}。",
                    BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join("、")
                ))])
        })?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_formatter(data_formatter);
        env.add_filter("indent", bounded_indent);
        // No {% include %}/{% import %} of other files: templates are confined.
        env.add_template_owned(file.template.clone(), text.clone())
            .map_err(|e| Error::Input(vec![template_error(&source, &file.template, &e, &text)]))?;
        Ok(Plan {
            source,
            file,
            env,
            text,
        })
    }

    /// Renders a one-off template string (a title, a field) with the plan's
    /// environment and its limits.
    fn render_str(&self, s: &str, ctx: &Value) -> Result<String, String> {
        let t = self.env.template_from_str(s).map_err(|e| describe(&e, s))?;
        render_capped(&t, ctx, s)
    }

    pub fn dir(&self) -> PathBuf {
        self.source
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Expands the plan for one unit into a 公文, ready for the ordinary
    /// pipeline.
    pub fn expand(&self, unit: &Unit) -> Result<Notice, String> {
        unit.check_name()?;
        let f = &self.file;
        let base = minijinja::context! {
            unit => Value::from_serialize(&unit.values),
            data => Value::from_serialize(&f.data),
            period => minijinja::context! { start => f.period.start.chinese(), end => f.period.end.chinese() },
        };
        let render = |what: &str, s: &str, ctx: &Value| -> Result<String, String> {
            self.render_str(s, ctx)
                .map(|t| strip_marks(&t))
                .map_err(|e| format!("{what}：{e}{}", unit_hint_text(&e, unit)))
        };
        let mut tasks = Vec::new();
        for (i, t) in f.tasks.iter().enumerate() {
            let path = format!("tasks[{i}]");
            let field = |v: &Option<String>, name: &str| -> Result<String, String> {
                render(&format!("{path}.{name}"), v.as_deref().unwrap_or(""), &base)
            };
            let freq =
                Frequency::parse(&t.frequency).map_err(|e| format!("{path}.frequency：{e}"))?;
            let start = t.start.unwrap_or(f.period.start).0.max(f.period.start.0);
            let deadline = t.deadline.unwrap_or(f.period.end).0.min(if freq.is_once() {
                chrono::NaiveDate::MAX
            } else {
                f.period.end.0
            });
            tasks.push(Task {
                no: i + 1,
                name: render(&format!("{path}.name"), &t.name, &base)?,
                measures: field(&t.measures, "measures")?,
                lead: field(&t.lead, "lead")?,
                responsible: field(&t.responsible, "responsible")?,
                frequency: t.frequency.trim().to_string(),
                start: Date(start).chinese(),
                deadline: Date(deadline).chinese(),
                due: due_dates(&freq, start, deadline),
                once: freq.is_once(),
                freq,
                active: (start, deadline),
            });
        }
        let title = render("title", &f.title, &base)?;
        let ctx = minijinja::context! { title => title.clone(), tasks => Value::from_serialize(&tasks), ..base.clone() };
        let text = self
            .env
            .get_template(&f.template)
            .map_err(|e| describe(&e, &self.text))
            .and_then(|t| render_capped(&t, &ctx, &self.text))
            .map_err(|e| format!("内容模板 {}：{e}{}", f.template, unit_hint_text(&e, unit)))?;
        let mut body: Vec<Block> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // The template's own mark (a unit's value starts with a data
            // mark, so it never makes one): this line is a heading, or a
            // paragraph, whatever it looks like.
            if let Some(rest) = line.strip_prefix("[[标题]]") {
                body.push(Block::Heading(HeadingBlock {
                    heading: strip_marks(rest).trim().to_string(),
                }));
                continue;
            }
            if let Some(rest) = line.strip_prefix("[[段落]]") {
                body.push(Block::Paragraph(ParagraphBlock {
                    paragraph: strip_marks(rest).trim().to_string(),
                }));
                continue;
            }
            // A line that holds data (a unit's value) is text, whatever it says.
            if line.contains([DATA_OPEN, DATA_CLOSE]) {
                body.push(Block::Text(strip_marks(line)));
                continue;
            }
            match line {
                "[[任务清单]]" => body.push(table_block("任务清单", task_list(&tasks), true)),
                "[[责任清单]]" => {
                    body.push(table_block("责任清单", responsibility_list(&tasks), false))
                }
                "[[季度任务分解]]" => body.push(table_block(
                    "季度任务分解表",
                    quarterly(&tasks, f.period),
                    false,
                )),
                "[[月度任务分解]]" => body.push(table_block(
                    "月度任务分解表",
                    monthly(&tasks, f.period),
                    false,
                )),
                l if l.starts_with("[[") && l.ends_with("]]") => {
                    return Err(format!("内容模板 {}：不认识的指令“{l}”（可用：[[任务清单]]、[[责任清单]]、[[季度任务分解]]、[[月度任务分解]]，行首的 [[标题]]、[[段落]]）", f.template));
                }
                l => body.push(Block::Text(l.to_string())),
            }
        }
        let signature = match &f.signature {
            Some(s) => Some(render("signature", s, &base)?),
            None => None,
        };
        let notice = match &f.notice {
            None => Notice {
                kind: "通知".to_string(),
                format: Some(Format::Plan),
                title,
                body: Some(Body::Blocks(body)),
                date: f.date,
                signature: signature.map(OneOrMany::One),
                ..Notice::default()
            },
            Some(fields) => {
                let mut rendered = serde_yaml::Mapping::new();
                for (k, v) in fields {
                    let key = k.as_str().unwrap_or_default();
                    rendered.insert(
                        k.clone(),
                        self.render_value(&format!("notice.{key}"), v, &ctx)?,
                    );
                }
                let mut notice: Notice = source::from_value(serde_yaml::Value::Mapping(rendered))
                    .map_err(|e| format!("notice：{e}"))?;
                notice.enclosure = Some(Enclosure {
                    title,
                    body: Some(Body::Blocks(body)),
                });
                notice.date = notice.date.or(f.date);
                notice
            }
        };
        Ok(notice)
    }

    /// Strings inside the `notice` mapping are minijinja strings too.
    fn render_value(
        &self,
        path: &str,
        v: &serde_yaml::Value,
        ctx: &Value,
    ) -> Result<serde_yaml::Value, String> {
        Ok(match v {
            serde_yaml::Value::String(s) => serde_yaml::Value::String(
                self.render_str(s, ctx)
                    .map(|t| strip_marks(&t))
                    .map_err(|e| format!("{path}：{e}"))?,
            ),
            serde_yaml::Value::Sequence(items) => serde_yaml::Value::Sequence(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.render_value(&format!("{path}[{i}]"), x, ctx))
                    .collect::<Result<_, _>>()?,
            ),
            serde_yaml::Value::Mapping(m) => {
                let mut out = serde_yaml::Mapping::new();
                for (k, x) in m {
                    let key = k.as_str().unwrap_or_default();
                    out.insert(
                        k.clone(),
                        self.render_value(&format!("{path}.{key}"), x, ctx)?,
                    );
                }
                serde_yaml::Value::Mapping(out)
            }
            other => other.clone(),
        })
    }

    /// Output file name for a unit (without extension), safe on every
    /// file system; an empty one is an error (never “第5行”).
    pub fn file_name(&self, unit: &Unit) -> Result<String, String> {
        unit.check_name()?;
        let raw = match &self.file.file_name {
            Some(t) => {
                let ctx = minijinja::context! { unit => Value::from_serialize(&unit.values), data => Value::from_serialize(&self.file.data) };
                self.render_str(t, &ctx)
                    .map(|t| strip_marks(&t))
                    .map_err(|e| format!("file_name：{e}"))?
            }
            None => unit.name(),
        };
        let clean: String = raw
            .chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect::<String>()
            .trim()
            .trim_matches('.')
            .to_string();
        if clean.is_empty() {
            return Err(format!(
                "file_name：文件名是空的（“{raw}”去掉不能用在文件名里的字符后什么也不剩）。请在 file_name 里用一定有内容的变量，如 {{{{ unit.name }}}}。"
            ));
        }
        Ok(clean)
    }
}

/// Largest content template read.
const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// The content template's text: a file in the plan's folder (which must stay
/// inside that folder: a symbolic link pointing elsewhere is refused), in
/// `--templates DIR/plans/`, or a built-in one.
fn find_template(
    name: &str,
    plan: &Path,
    templates: Option<&Path>,
) -> Result<Option<String>, String> {
    let dirs = [
        plan.parent().map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            }
        }),
        templates.map(|d| d.join("plans")),
    ];
    for dir in dirs.into_iter().flatten() {
        let file = dir.join(name);
        if !file.exists() {
            continue;
        }
        let inside = match (dir.canonicalize(), file.canonicalize()) {
            (Ok(d), Ok(f)) => f.starts_with(&d),
            _ => false,
        };
        if !inside {
            return Err(format!(
                "内容模板“{name}”指向 {} 以外的文件（符号链接），已拒绝。",
                dir.display()
            ));
        }
        return crate::guard::read_capped(&file, MAX_TEMPLATE_BYTES, "内容模板")
            .map_err(|e| e.to_string())
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| format!("内容模板“{name}”不是 UTF-8 文本。"))
            })
            .map(Some);
    }
    Ok(BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string()))
}
