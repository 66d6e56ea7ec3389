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
pub mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Deserialize;

use crate::error::{Diagnostic, Error};
use crate::model::date::Date;
use crate::model::notice::{Block, Body, Enclosure, Format, Notice, OneOrMany};
use crate::source::{self, SourceFile};
use schedule::{due_dates, Frequency};
use tables::{monthly, quarterly, responsibility_list, table_block, task_list};
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
    /// 署名 (minijinja string).
    #[serde(default)]
    pub signature: Option<String>,
    /// 成文日期 of every generated plan.
    pub date: Date,
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
    /// 频次: 每月至少1次, 每季度1次, 每半年1次, 每年1次, 一次性 …
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
    #[serde(skip)]
    pub due: Vec<chrono::NaiveDate>,
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
        for (i, t) in file.tasks.iter().enumerate() {
            match Frequency::parse(&t.frequency) {
                Err(e) => diags.push(source.error(&format!("tasks[{i}].frequency"), e)),
                Ok(Frequency::Once) if t.deadline.is_none() => diags.push(
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
        // Checked before looking: a path out of the folder is refused as
        // such, even when the file it names exists.
        if file.template.contains("..") || Path::new(&file.template).is_absolute() {
            return Err(Error::Input(vec![
                source.error("template", "内容模板只能是方案文件夹里的文件名。")
            ]));
        }
        let text = find_template(&file.template, path, templates).ok_or_else(|| {
            Error::Input(vec![source
                .error("template", format!("找不到内容模板“{}”。", file.template))
                .hint(format!(
                    "把模板放在方案文件同一文件夹，或用内置模板：{}。",
                    BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join("、")
                ))])
        })?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
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
        let f = &self.file;
        let base = minijinja::context! {
            unit => Value::from_serialize(&unit.values),
            data => Value::from_serialize(&f.data),
            period => minijinja::context! { start => f.period.start.chinese(), end => f.period.end.chinese() },
        };
        let render = |what: &str, s: &str, ctx: &Value| -> Result<String, String> {
            self.env
                .render_str(s, ctx)
                .map_err(|e| format!("{what}：{}{}", describe(&e, s), unit_hint(&e, unit)))
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
            let deadline = t
                .deadline
                .unwrap_or(f.period.end)
                .0
                .min(if freq == Frequency::Once {
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
                due: due_dates(freq, start, deadline),
            });
        }
        let title = render("title", &f.title, &base)?;
        let ctx = minijinja::context! { title => title.clone(), tasks => Value::from_serialize(&tasks), ..base.clone() };
        let text = self
            .env
            .get_template(&f.template)
            .and_then(|t| t.render(&ctx))
            .map_err(|e| {
                format!(
                    "内容模板 {}：{}{}",
                    f.template,
                    describe(&e, &self.text),
                    unit_hint(&e, unit)
                )
            })?;
        let mut body: Vec<Block> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
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
                    return Err(format!("内容模板 {}：不认识的表格指令“{l}”（可用：[[任务清单]]、[[责任清单]]、[[季度任务分解]]、[[月度任务分解]]）", f.template));
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
                date: signature.is_some().then_some(f.date),
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
                notice.date = notice.date.or(Some(f.date));
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
                self.env
                    .render_str(s, ctx)
                    .map_err(|e| format!("{path}：{}", describe(&e, s)))?,
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
    /// file system.
    pub fn file_name(&self, unit: &Unit) -> Result<String, String> {
        let raw = match &self.file.file_name {
            Some(t) => {
                let ctx = minijinja::context! { unit => Value::from_serialize(&unit.values), data => Value::from_serialize(&self.file.data) };
                self.env
                    .render_str(t, ctx)
                    .map_err(|e| format!("file_name：{}", describe(&e, t)))?
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
        Ok(if clean.is_empty() {
            format!("第{}行", unit.row)
        } else {
            clean
        })
    }
}

fn find_template(name: &str, plan: &Path, templates: Option<&Path>) -> Option<String> {
    let safe = !name.contains("..")
        && !Path::new(name).is_absolute()
        && !name.contains('/')
        && !name.contains('\\');
    if safe {
        if let Some(dir) = plan.parent() {
            if let Ok(t) = std::fs::read_to_string(dir.join(name)) {
                return Some(t);
            }
        }
        if let Some(dir) = templates {
            if let Ok(t) = std::fs::read_to_string(dir.join("plans").join(name)) {
                return Some(t);
            }
        }
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
}

/// For an undefined variable: the variables a unit row has.
fn unit_hint(e: &minijinja::Error, unit: &Unit) -> String {
    if e.kind() != minijinja::ErrorKind::UndefinedError {
        return String::new();
    }
    let vars: Vec<String> = unit.values.keys().map(|k| format!("unit.{k}")).collect();
    format!("。名单提供的变量有：{}", vars.join("、"))
}

/// A minijinja error in Chinese: what, where (template line, quoted from
/// `text`, the template or string that was rendered).
fn describe(e: &minijinja::Error, text: &str) -> String {
    use minijinja::ErrorKind as K;
    let what = match e.kind() {
        K::UndefinedError => "用到了未定义的变量".to_string(),
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

fn template_error(source: &SourceFile, name: &str, e: &minijinja::Error, text: &str) -> Diagnostic {
    source
        .error(
            "template",
            format!("内容模板 {name}：{}", describe(e, text)),
        )
        .hint("检查 {{ }} 和 {% %} 是否成对、变量名是否写对。")
}
