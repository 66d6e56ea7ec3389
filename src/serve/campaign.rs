//! Plan campaigns (issue 18): the office publishes a plan file and a list of
//! units; each unit gets its own secret link and fills in only its own row —
//! the plan's `unit_columns` — previews its plan and downloads its PDF. The
//! office watches who has filled and generated, and downloads the zip that
//! `gongwen batch` would have made from the same data.
//!
//! On disk, under the data folder: `campaigns/<id>/campaign.json` (the
//! plan's fields, the units and the SHA-256 of each unit's link token —
//! never the token itself), the plan file and its content template as
//! uploaded, `名单.*` (the unit list as uploaded), and `units/<no>/`:
//! `unit.json` (the unit's values, when and by whom saved, what was
//! generated) and its PDF. Every file is written whole (`write_atomic`);
//! publishing and changing links take the campaigns' lock alone, a unit's
//! save shares it and takes its unit's own lock, so units save side by
//! side (each write waits for the disk) while a stopped link never slips a
//! save in. Typesetting takes no lock.
//! `填报数据.csv` (see [`Campaigns::data_csv`]) is the unit list as
//! `gongwen batch` reads it, so the CLI can redo any campaign.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::output::sha256_hex;
use crate::plan::units::{self, Unit};
use crate::plan::Plan;
use crate::render;
use crate::source::Origin;
use crate::typeset::Engine;

/// The most units of one campaign.
pub const MAX_UNITS: usize = 2_000;
/// The longest value of one field.
pub const MAX_VALUE_CHARS: usize = 2_000;
/// The largest plan file or content template uploaded.
pub const MAX_PLAN_BYTES: usize = 1_000_000;

/// One field of the unit's form: a column of the plan's `unit_columns`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    /// The column header (the label shown).
    pub label: String,
    /// The template variable (`unit.<var>`).
    pub var: String,
    /// The comment written beside the column in the plan file.
    #[serde(default)]
    pub hint: String,
    /// Digits only (the hint says 整数).
    #[serde(default)]
    pub integer: bool,
    /// May stay empty (the hint says 可空).
    #[serde(default)]
    pub optional: bool,
    /// Set by the office (the unit's name): shown, not editable.
    #[serde(default)]
    pub fixed: bool,
}

/// A unit of a campaign.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitEntry {
    /// 1-based place in the list.
    pub no: u32,
    pub name: String,
    /// SHA-256 (hex) of the unit's link token.
    pub token_sha256: String,
    #[serde(default)]
    pub revoked: bool,
    /// The row of the office's list: what the form starts with.
    #[serde(default)]
    pub initial: BTreeMap<String, String>,
}

/// `campaign.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CampaignFile {
    pub id: String,
    pub title: String,
    pub created: String,
    pub by: String,
    /// The plan file's name in the campaign folder.
    pub plan: String,
    /// The header naming the units.
    pub name_column: String,
    pub fields: Vec<Field>,
    pub units: Vec<UnitEntry>,
}

/// A generated PDF of a unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generated {
    pub at: String,
    /// SHA-256 of the values it was made from.
    pub values_sha256: String,
    pub file: String,
    pub pages: usize,
    pub sha256: String,
}

/// `units/<no>/unit.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UnitState {
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub saved_at: Option<String>,
    #[serde(default)]
    pub saved_by: String,
    #[serde(default)]
    pub generated: Option<Generated>,
}

impl UnitState {
    pub fn status(&self) -> &'static str {
        match (&self.saved_at, &self.generated) {
            (None, _) => "未填",
            (Some(_), Some(g)) if g.values_sha256 == values_sha(&self.values) => "已生成",
            _ => "已填",
        }
    }
}

fn values_sha(values: &BTreeMap<String, String>) -> String {
    sha256_hex(&serde_json::to_vec(values).unwrap_or_default())
}

/// What the office publishes: the plan file, its content template (when
/// it is not a built-in one), the unit list as uploaded, and a name.
#[derive(Debug, Clone, Copy)]
pub struct Publish<'a> {
    pub plan_name: &'a str,
    pub plan_text: &'a str,
    pub template: Option<(&'a str, &'a str)>,
    pub units_name: &'a str,
    pub units_bytes: &'a [u8],
    pub title: Option<&'a str>,
}

/// A link given out: the unit and the path with its token (shown once).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub no: u32,
    pub name: String,
    pub path: String,
}

/// A unit's row of the office's table.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub no: u32,
    pub name: String,
    pub status: &'static str,
    pub saved_at: Option<String>,
    pub saved_by: String,
    pub generated_at: Option<String>,
    pub pages: Option<usize>,
    pub revoked: bool,
}

/// A campaign in the office's list.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignSummary {
    pub id: String,
    pub title: String,
    pub created: String,
    pub units: usize,
    pub filled: usize,
    pub generated: usize,
}

/// A problem with one field of a unit's form, or of the whole plan.
#[derive(Debug, Clone, Serialize)]
pub struct FieldNote {
    /// The field's variable (`None`: the whole plan).
    pub field: Option<String>,
    pub message: String,
}

/// Which unit a token opened.
#[derive(Debug, Clone)]
pub struct UnitKey {
    pub campaign: String,
    pub no: u32,
    /// SHA-256 of the token (names the unit's preview pages).
    pub token_sha256: String,
}

/// All campaigns of the data folder.
pub struct Campaigns {
    dir: PathBuf,
    /// Held alone to publish or change links; shared by units' saves.
    write: RwLock<()>,
    /// One lock a unit (campaign id, no): its saves, one at a time.
    units: KeyedLocks<(String, u32)>,
    /// Token hashes of every live link: (hash, campaign, no).
    index: RwLock<Vec<(String, String, u32)>>,
    /// The page hashes each unit's last preview showed.
    pub shown: Mutex<HashMap<String, Vec<String>>>,
}

/// A lock for each key (a unit, a unit's month), made when first asked
/// for: work on one key waits for other work on it, not for other keys.
pub struct KeyedLocks<K>(Mutex<HashMap<K, std::sync::Arc<Mutex<()>>>>);

impl<K> Default for KeyedLocks<K> {
    fn default() -> Self {
        KeyedLocks(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + std::hash::Hash> KeyedLocks<K> {
    /// The key's lock (to be locked by the caller).
    pub fn get(&self, key: K) -> std::sync::Arc<Mutex<()>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key)
            .or_default()
            .clone()
    }
}

fn io(what: &str, e: std::io::Error) -> Error {
    Error::other(format!("{what}失败：{}", crate::guard::io_reason(&e)))
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

fn no_campaign() -> Error {
    Error::other("没有这次填报（可能已被删除，或链接有误）。请回到“村居填报”列表重新打开。")
}

/// Compares two strings in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The CSRF token of a unit's page: derived from its link token, so it
/// needs no storage and is worthless without the link.
pub fn unit_csrf(token: &str) -> String {
    sha256_hex(format!("gongwen-unit-csrf:{token}").as_bytes())
}

/// The fields of a plan: `unit_columns` in the order written, each with the
/// comment beside it as its hint.
pub fn fields_of(text: &str, columns: &BTreeMap<String, String>) -> Vec<Field> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if !inside {
            inside = line.trim_end() == "unit_columns:";
            continue;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            break;
        }
        let (entry, hint) = match line.find(" #") {
            Some(i) => (&line[..i], line[i + 2..].trim()),
            None => (line, ""),
        };
        if let Some((k, _)) = entry.split_once(':') {
            let k = k.trim().trim_matches(['"', '\'']).to_string();
            order.push((k, hint.to_string()));
        }
    }
    let mut out: Vec<Field> = Vec::new();
    let mut push = |label: &str, hint: &str| {
        if let Some(var) = columns.get(label) {
            if out.iter().any(|f| f.label == label) {
                return;
            }
            out.push(Field {
                label: label.to_string(),
                var: var.clone(),
                hint: hint.to_string(),
                integer: hint.contains("整数"),
                optional: hint.contains("可空") || hint.contains("可不填"),
                fixed: var == "name",
            });
        }
    };
    for (k, h) in &order {
        push(k, h);
    }
    for k in columns.keys() {
        push(k, "");
    }
    out
}

/// Reads a unit list uploaded as `name` (CSV, XLSX or YAML): columns the
/// list lacks start empty, to be filled by the units.
pub fn read_units(
    name: &str,
    bytes: &[u8],
    columns: &BTreeMap<String, String>,
) -> Result<Vec<Unit>> {
    const WHAT: &str = "单位名单";
    let path = Path::new(name);
    let (file, format) = crate::tabular::format_of(path, WHAT)?;
    let table = match &format {
        crate::tabular::Format::Csv => crate::tabular::parse_csv(&file, bytes, WHAT)?,
        crate::tabular::Format::Xlsx { sheet } => {
            crate::tabular::parse_xlsx(&file, bytes, sheet.as_deref())?
        }
        crate::tabular::Format::Yaml => {
            let tmp = tempfile::Builder::new()
                .suffix(".yaml")
                .tempfile()
                .map_err(|e| io("保存名单", e))?;
            std::fs::write(tmp.path(), bytes).map_err(|e| io("保存名单", e))?;
            let mut list = units::read(tmp.path(), columns, WHAT)?;
            for u in &mut list {
                for var in columns.values() {
                    u.values.entry(var.clone()).or_default();
                }
            }
            return Ok(list);
        }
    };
    let header: Vec<String> = table
        .first()
        .map(|(_, h)| {
            h.iter()
                .map(|c| c.trim().trim_start_matches('\u{FEFF}').to_string())
                .collect()
        })
        .unwrap_or_default();
    let Some(name_label) = columns
        .iter()
        .find(|(_, v)| v.as_str() == "name")
        .map(|(k, _)| k.clone())
    else {
        return Err(Error::other(
            "方案文件的 unit_columns 里没有对应 name 的列（如 村（居）: name）：每个单位要有名称。",
        ));
    };
    if !header.contains(&name_label) {
        return Err(Error::other(format!(
            "单位名单 {name} 的表头没有“{name_label}”这一列（单位名称）。第一行表头现在是：{}。",
            header.join("、")
        )));
    }
    let present: BTreeMap<String, String> = columns
        .iter()
        .filter(|(k, _)| header.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut list = units::from_table(&file, table, &present, WHAT)?;
    for u in &mut list {
        for var in columns.values() {
            u.values.entry(var.clone()).or_default();
        }
    }
    Ok(list)
}

impl Campaigns {
    /// Opens (creating) `campaigns/` in the data folder.
    pub fn open(data: &Path) -> Result<Campaigns> {
        let dir = data.join("campaigns");
        std::fs::create_dir_all(&dir).map_err(|e| io("建立填报文件夹", e))?;
        let c = Campaigns {
            dir,
            write: RwLock::new(()),
            units: KeyedLocks::default(),
            index: RwLock::new(Vec::new()),
            shown: Mutex::new(HashMap::new()),
        };
        c.reindex()?;
        Ok(c)
    }

    fn lock(&self) -> std::sync::RwLockWriteGuard<'_, ()> {
        self.write.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `work` as a change of one unit's files: beside other units'
    /// changes, never beside a change of links.
    fn unit_change<T>(&self, id: &str, no: u32, work: impl FnOnce() -> T) -> T {
        let _shared = self.write.read().unwrap_or_else(|p| p.into_inner());
        let lock = self.units.get((id.to_string(), no));
        let _unit = lock.lock().unwrap_or_else(|p| p.into_inner());
        work()
    }

    fn reindex(&self) -> Result<()> {
        let mut index = Vec::new();
        for c in self.list_files()? {
            for u in c.units.iter().filter(|u| !u.revoked) {
                index.push((u.token_sha256.clone(), c.id.clone(), u.no));
            }
        }
        *self.index.write().unwrap_or_else(|p| p.into_inner()) = index;
        Ok(())
    }

    fn list_files(&self) -> Result<Vec<CampaignFile>> {
        let read = std::fs::read_dir(&self.dir).map_err(|e| io("读取填报列表", e))?;
        let mut out = Vec::new();
        for e in read.flatten() {
            let id = e.file_name().to_string_lossy().into_owned();
            if valid_id(&id) {
                if let Ok(c) = self.file(&id) {
                    out.push(c);
                }
            }
        }
        out.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(out)
    }

    /// A campaign's folder.
    pub fn dir(&self, id: &str) -> Result<PathBuf> {
        if !valid_id(id) {
            return Err(no_campaign());
        }
        let d = self.dir.join(id);
        if d.join("campaign.json").is_file() {
            Ok(d)
        } else {
            Err(no_campaign())
        }
    }

    pub fn file(&self, id: &str) -> Result<CampaignFile> {
        let path = self.dir(id)?.join("campaign.json");
        let bytes = std::fs::read(&path).map_err(|e| io("读取填报", e))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::other(format!("{} 读不出来：{e}", path.display())))
    }

    fn write_file(&self, c: &CampaignFile) -> Result<()> {
        let json =
            serde_json::to_vec_pretty(c).map_err(|e| Error::other(format!("内部错误：{e}")))?;
        crate::output::write_atomic_own(&self.dir(&c.id)?.join("campaign.json"), &json)
    }

    fn unit_dir(&self, id: &str, no: u32) -> Result<PathBuf> {
        Ok(self.dir(id)?.join("units").join(format!("{no:04}")))
    }

    /// A unit's saved state (its list row when it has not saved yet).
    pub fn state(&self, c: &CampaignFile, no: u32) -> Result<UnitState> {
        let entry = entry(c, no)?;
        let path = self.unit_dir(&c.id, no)?.join("unit.json");
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| Error::other(format!("{} 读不出来：{e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UnitState {
                values: entry.initial.clone(),
                ..UnitState::default()
            }),
            Err(e) => Err(io("读取填报内容", e)),
        }
    }

    fn write_state(&self, id: &str, no: u32, s: &UnitState) -> Result<()> {
        let dir = self.unit_dir(id, no)?;
        std::fs::create_dir_all(&dir).map_err(|e| io("保存填报内容", e))?;
        let json =
            serde_json::to_vec_pretty(s).map_err(|e| Error::other(format!("内部错误：{e}")))?;
        crate::output::write_atomic_own(&dir.join("unit.json"), &json)
    }

    /// Publishes a plan: checks it loads (with its content template, if
    /// given), keeps the files, reads the unit list and gives every unit a
    /// link. The links are returned here only: the server keeps their hashes.
    pub fn create(&self, p: &Publish<'_>, by: &str) -> Result<(String, Vec<Link>)> {
        let Publish {
            plan_name,
            plan_text,
            template,
            units_name,
            units_bytes,
            title,
        } = *p;
        let safe = |n: &str, exts: &[&str], what: &str| -> Result<String> {
            let n = n.trim();
            let ok = !n.is_empty()
                && n.chars().count() <= 80
                && !n.starts_with('.')
                && !n.contains(['/', '\\', ':'])
                && !n.chars().any(char::is_control)
                && exts.iter().any(|e| n.to_lowercase().ends_with(e));
            if ok {
                Ok(n.to_string())
            } else {
                Err(Error::other(format!(
                    "{what}的文件名“{n}”不能用：要以 {} 结尾，不含 / \\ :。",
                    exts.join(" 或 ")
                )))
            }
        };
        let plan_name = safe(plan_name, &[".yaml", ".yml"], "方案文件")?;
        if plan_text.len() > MAX_PLAN_BYTES {
            return Err(Error::other("方案文件太大（上限 1 MB）。"));
        }
        let units_ext = safe(units_name, &[".csv", ".xlsx", ".yaml", ".yml"], "单位名单")?
            .rsplit('.')
            .next()
            .unwrap_or("csv")
            .to_lowercase();
        let template = match template {
            Some((n, t)) => {
                if t.len() > MAX_PLAN_BYTES {
                    return Err(Error::other("内容模板太大（上限 1 MB）。"));
                }
                Some((safe(n, &[".j2", ".jinja", ".txt"], "内容模板")?, t))
            }
            None => None,
        };
        // A staging folder, renamed into place when everything is checked.
        let stage = tempfile::Builder::new()
            .prefix(".new-")
            .tempdir_in(&self.dir)
            .map_err(|e| io("新建填报", e))?;
        let plan_path = stage.path().join(&plan_name);
        std::fs::write(&plan_path, plan_text).map_err(|e| io("保存方案文件", e))?;
        if let Some((n, t)) = &template {
            std::fs::write(stage.path().join(n), t).map_err(|e| io("保存内容模板", e))?;
        }
        let plan = Plan::load(&plan_path, None)?;
        let columns = plan.file.unit_columns.clone();
        if columns.is_empty() {
            return Err(Error::other(
                "方案文件没有 unit_columns：写明名单的每一列对应哪个变量（如 村（居）: name），各单位才有可填的栏目。",
            ));
        }
        let list = read_units(units_name, units_bytes, &columns)?;
        if list.is_empty() {
            return Err(Error::other("单位名单里一个单位也没有。"));
        }
        if list.len() > MAX_UNITS {
            return Err(Error::other(format!(
                "单位名单有 {} 个单位，超过了 {MAX_UNITS} 个的上限。",
                list.len()
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for u in &list {
            u.check_name()
                .map_err(|m| Error::other(format!("单位名单第 {} 行：{m}", u.row)))?;
            if !seen.insert(u.name()) {
                return Err(Error::other(format!(
                    "单位名单里“{}”出现了不止一次（第 {} 行）。每个单位只能有一行。",
                    u.name(),
                    u.row
                )));
            }
        }
        std::fs::write(stage.path().join(format!("名单.{units_ext}")), units_bytes)
            .map_err(|e| io("保存名单", e))?;
        let fields = fields_of(plan_text, &columns);
        let mut links = Vec::new();
        let mut entries = Vec::new();
        for (i, u) in list.iter().enumerate() {
            let no = i as u32 + 1;
            let token = super::accounts::token();
            links.push(Link {
                no,
                name: u.name(),
                path: format!("/u/{token}"),
            });
            entries.push(UnitEntry {
                no,
                name: u.name(),
                token_sha256: sha256_hex(token.as_bytes()),
                revoked: false,
                initial: u.values.clone(),
            });
        }
        let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => t.chars().take(100).collect(),
            None => list
                .first()
                .and_then(|u| plan.expand(u).ok().map(|n| n.title.replace(&u.name(), "")))
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| plan_name.clone()),
        };
        let name_column = list
            .first()
            .map(|u| u.name_column.clone())
            .unwrap_or_default();
        let _guard = self.lock();
        let today = chrono::Local::now().format("%Y%m%d").to_string();
        let mut id = None;
        for n in 1..1000 {
            let candidate = format!("{today}-{n:03}");
            if !self.dir.join(&candidate).exists() {
                id = Some(candidate);
                break;
            }
        }
        let id = id.ok_or_else(|| Error::other("今天新建的填报太多了（上限 999 次）。"))?;
        let file = CampaignFile {
            id: id.clone(),
            title,
            created: now(),
            by: by.to_string(),
            plan: plan_name,
            name_column,
            fields,
            units: entries,
        };
        let json =
            serde_json::to_vec_pretty(&file).map_err(|e| Error::other(format!("内部错误：{e}")))?;
        std::fs::write(stage.path().join("campaign.json"), json).map_err(|e| io("保存填报", e))?;
        let staged = stage.keep();
        std::fs::rename(&staged, self.dir.join(&id)).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            io("保存填报", e)
        })?;
        drop(_guard);
        self.reindex()?;
        Ok((id, links))
    }

    /// Every campaign, the newest first, with its counts.
    pub fn list(&self) -> Result<Vec<CampaignSummary>> {
        let mut out = Vec::new();
        for c in self.list_files()? {
            let (mut filled, mut generated) = (0, 0);
            for u in &c.units {
                match self.state(&c, u.no).map(|s| s.status()) {
                    Ok("已生成") => {
                        filled += 1;
                        generated += 1
                    }
                    Ok("已填") => filled += 1,
                    _ => {}
                }
            }
            out.push(CampaignSummary {
                id: c.id.clone(),
                title: c.title.clone(),
                created: c.created.clone(),
                units: c.units.len(),
                filled,
                generated,
            });
        }
        Ok(out)
    }

    /// The office's table of a campaign.
    pub fn rows(&self, id: &str) -> Result<(CampaignFile, Vec<UnitRow>)> {
        let c = self.file(id)?;
        let mut rows = Vec::new();
        for u in &c.units {
            let s = self.state(&c, u.no)?;
            rows.push(UnitRow {
                no: u.no,
                name: u.name.clone(),
                status: s.status(),
                saved_at: s.saved_at.clone(),
                saved_by: s.saved_by.clone(),
                generated_at: s.generated.as_ref().map(|g| g.at.clone()),
                pages: s.generated.as_ref().map(|g| g.pages),
                revoked: u.revoked,
            });
        }
        Ok((c, rows))
    }

    /// The unit a link token opens; every live link is compared, each in
    /// constant time.
    pub fn find(&self, token: &str) -> Option<UnitKey> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let hash = sha256_hex(token.as_bytes());
        let index = self.index.read().unwrap_or_else(|p| p.into_inner());
        let mut found = None;
        for (h, c, no) in index.iter() {
            if same(h, &hash) {
                found = Some(UnitKey {
                    campaign: c.clone(),
                    no: *no,
                    token_sha256: hash.clone(),
                });
            }
        }
        found
    }

    /// A new link for a unit (the old one stops working), or none (`revoke`).
    pub fn relink(&self, id: &str, no: u32, revoke: bool) -> Result<Option<Link>> {
        let guard = self.lock();
        let mut c = self.file(id)?;
        let u = c
            .units
            .iter_mut()
            .find(|u| u.no == no)
            .ok_or_else(no_unit)?;
        let link = if revoke {
            u.revoked = true;
            None
        } else {
            let token = super::accounts::token();
            u.token_sha256 = sha256_hex(token.as_bytes());
            u.revoked = false;
            Some(Link {
                no,
                name: u.name.clone(),
                path: format!("/u/{token}"),
            })
        };
        self.write_file(&c)?;
        drop(guard);
        self.reindex()?;
        Ok(link)
    }

    /// Checks a unit's values against its fields; the fixed ones are kept
    /// as the office set them.
    pub fn clean_values(
        c: &CampaignFile,
        entry: &UnitEntry,
        given: &BTreeMap<String, String>,
    ) -> (BTreeMap<String, String>, Vec<FieldNote>) {
        let mut values = entry.initial.clone();
        let mut notes = Vec::new();
        for f in &c.fields {
            let v = if f.fixed {
                entry.initial.get(&f.var).cloned().unwrap_or_default()
            } else {
                let raw = given.get(&f.var).map(|s| s.trim()).unwrap_or("");
                let v: String = raw
                    .chars()
                    .filter(|c| !c.is_control() || *c == '\n')
                    .take(MAX_VALUE_CHARS)
                    .collect();
                if raw.chars().count() > MAX_VALUE_CHARS {
                    notes.push(FieldNote {
                        field: Some(f.var.clone()),
                        message: format!(
                            "「{}」太长，只保留了前 {MAX_VALUE_CHARS} 个字。",
                            f.label
                        ),
                    });
                }
                v
            };
            if v.is_empty() && !f.optional {
                notes.push(FieldNote {
                    field: Some(f.var.clone()),
                    message: format!("「{}」不能空着。", f.label),
                });
            } else if f.integer && !v.is_empty() && v.parse::<u64>().is_err() {
                notes.push(FieldNote {
                    field: Some(f.var.clone()),
                    message: format!(
                        "「{}」要填整数（只写阿拉伯数字，如 35），现在是“{v}”。",
                        f.label
                    ),
                });
            }
            if let Some(found) = crate::guard::scan(&v).first() {
                notes.push(FieldNote {
                    field: Some(f.var.clone()),
                    message: format!(
                        "「{}」里有看不见的字符（{}）。{}",
                        f.label,
                        found.label(),
                        crate::guard::FORBIDDEN_HINT
                    ),
                });
            }
            values.insert(f.var.clone(), v);
        }
        (values, notes)
    }

    /// Saves a unit's form (whatever its problems: typing is never lost).
    pub fn save(
        &self,
        key: &UnitKey,
        given: &BTreeMap<String, String>,
        by: &str,
    ) -> Result<(UnitState, Vec<FieldNote>)> {
        self.unit_change(&key.campaign, key.no, || {
            let c = self.file(&key.campaign)?;
            let e = Campaigns::live(&c, key)?;
            let (values, notes) = Campaigns::clean_values(&c, e, given);
            let mut s = self.state(&c, key.no)?;
            s.values = values;
            s.saved_at = Some(now());
            s.saved_by = by.chars().take(32).collect();
            self.write_state(&c.id, key.no, &s)?;
            Ok((s, notes))
        })
    }

    /// The unit a link opened, if its link still works: checked again
    /// where a change is written, as the office may have stopped the link
    /// after the request was let in.
    pub fn live<'a>(c: &'a CampaignFile, key: &UnitKey) -> Result<&'a UnitEntry> {
        let e = entry(c, key.no)?;
        if e.revoked || !same(&e.token_sha256, &key.token_sha256) {
            return Err(Error::other("这个链接已经停用。请向街道办索取新的链接。"));
        }
        Ok(e)
    }

    /// The unit as the plan sees it: `row` is its row in `填报数据.csv`.
    pub fn unit(c: &CampaignFile, no: u32, values: &BTreeMap<String, String>) -> Unit {
        Unit {
            row: no as usize + 1,
            values: values.clone(),
            name_column: c.name_column.clone(),
        }
    }

    pub fn plan(&self, c: &CampaignFile) -> Result<Plan> {
        Plan::load(&self.dir(&c.id)?.join(&c.plan), None)
    }

    /// The unit's plan laid out, and its file name (as `gongwen batch`
    /// names it).
    pub fn lay_out(
        &self,
        engine: &Engine,
        c: &CampaignFile,
        no: u32,
        values: &BTreeMap<String, String>,
    ) -> std::result::Result<(typst_layout::PagedDocument, String, Vec<FieldNote>), Vec<FieldNote>>
    {
        let general = |m: String| {
            vec![FieldNote {
                field: None,
                message: m,
            }]
        };
        let plan = self.plan(c).map_err(|e| general(one_line(&e)))?;
        let unit = Campaigns::unit(c, no, values);
        let names = self.file_names(c, &plan)?;
        let name = names
            .get(&no)
            .cloned()
            .ok_or_else(|| general("这个单位的文件名排不出来。".to_string()))?;
        let notice = plan.expand(&unit).map_err(general)?;
        let origin = Origin::built(plan.dir().join(format!("{name}.yaml")));
        let doc =
            render::prepare_notice(engine, &notice, origin).map_err(|e| general(one_line(&e)))?;
        let warnings = doc
            .warnings
            .iter()
            .map(|d| FieldNote {
                field: None,
                message: format!(
                    "{}{}",
                    d.message,
                    d.hint
                        .as_ref()
                        .map(|h| format!("（{h}）"))
                        .unwrap_or_default()
                ),
            })
            .collect();
        let paged = render::pages(engine, &doc).map_err(|e| general(one_line(&e)))?;
        Ok((paged, name, warnings))
    }

    /// File names of every unit, unique as `gongwen batch` makes them.
    fn file_names(
        &self,
        c: &CampaignFile,
        plan: &Plan,
    ) -> std::result::Result<HashMap<u32, String>, Vec<FieldNote>> {
        let mut used = std::collections::HashSet::new();
        let mut out = HashMap::new();
        for u in &c.units {
            let values = self
                .state(c, u.no)
                .map(|s| s.values)
                .unwrap_or_else(|_| u.initial.clone());
            let unit = Campaigns::unit(c, u.no, &values);
            let base = plan.file_name(&unit).map_err(|m| {
                vec![FieldNote {
                    field: None,
                    message: m,
                }]
            })?;
            let mut name = base.clone();
            let mut n = 1;
            while !used.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            out.insert(u.no, name);
        }
        Ok(out)
    }

    /// Saves and generates the unit's PDF, as `gongwen batch` would for its
    /// row. Problems of the form stop it (the form is saved all the same).
    pub fn generate(
        &self,
        engine: &Engine,
        key: &UnitKey,
        given: &BTreeMap<String, String>,
        by: &str,
    ) -> Result<std::result::Result<Generated, Vec<FieldNote>>> {
        let (state, notes) = self.save(key, given, by)?;
        if !notes.is_empty() {
            return Ok(Err(notes));
        }
        let c = self.file(&key.campaign)?;
        let (paged, name, _) = match self.lay_out(engine, &c, key.no, &state.values) {
            Ok(x) => x,
            Err(n) => return Ok(Err(n)),
        };
        let bytes = render::export(&paged, &name, render::Format::Pdf, None, "")?;
        let g = Generated {
            at: now(),
            values_sha256: values_sha(&state.values),
            file: format!("{name}.pdf"),
            pages: paged.pages().len(),
            sha256: sha256_hex(&bytes),
        };
        self.unit_change(&c.id, key.no, || {
            let mut s = self.state(&c, key.no)?;
            if s.values != state.values {
                // Saved again while this was typeset: that newer form stays
                // 已填, and the PDF of the older one is not kept.
                return Ok(Err(vec![FieldNote {
                    field: None,
                    message: "生成时表单又被保存了一次，请再点一次“生成”。".into(),
                }]));
            }
            let dir = self.unit_dir(&c.id, key.no)?;
            crate::output::write_atomic_own(&dir.join("plan.pdf"), &bytes)?;
            s.generated = Some(g.clone());
            self.write_state(&c.id, key.no, &s)?;
            Ok(Ok(g))
        })
    }

    /// The unit's last PDF and its file name.
    pub fn pdf(&self, id: &str, no: u32) -> Result<(Vec<u8>, String)> {
        let c = self.file(id)?;
        let s = self.state(&c, no)?;
        let g = s
            .generated
            .ok_or_else(|| Error::other("还没有生成 PDF：先填好表单，点“保存并生成 PDF”。"))?;
        let bytes = std::fs::read(self.unit_dir(id, no)?.join("plan.pdf"))
            .map_err(|e| io("读取 PDF", e))?;
        Ok((bytes, g.file))
    }

    /// The zip of every up-to-date PDF with `清单.csv`, as `gongwen batch
    /// --zip` makes it.
    pub fn zip(&self, id: &str) -> Result<(Vec<u8>, usize)> {
        let c = self.file(id)?;
        let mut entries = Vec::new();
        let mut manifest =
            crate::output::Csv::new("清单.csv", ["行号", "单位", "文件", "页数", "SHA-256"])?;
        for u in &c.units {
            let s = self.state(&c, u.no)?;
            if s.status() != "已生成" {
                continue;
            }
            let Some(g) = &s.generated else { continue };
            let bytes = std::fs::read(self.unit_dir(id, u.no)?.join("plan.pdf"))
                .map_err(|e| io("读取 PDF", e))?;
            manifest.row([
                (u.no + 1).to_string(),
                u.name.clone(),
                g.file.clone(),
                g.pages.to_string(),
                g.sha256.clone(),
            ])?;
            entries.push((g.file.clone(), bytes));
        }
        let n = entries.len();
        entries.push(("清单.csv".to_string(), manifest.into_bytes()?));
        let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date");
        Ok((crate::output::zip(&entries, date)?, n))
    }

    /// The units' current values as the unit list `gongwen batch --units`
    /// reads (one row per unit, in list order).
    pub fn data_csv(&self, id: &str) -> Result<Vec<u8>> {
        let c = self.file(id)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| Error::other(format!("生成填报数据失败：{e}"));
        w.write_record(c.fields.iter().map(|f| f.label.as_str()))
            .map_err(err)?;
        for u in &c.units {
            let s = self.state(&c, u.no)?;
            w.write_record(
                c.fields
                    .iter()
                    .map(|f| s.values.get(&f.var).cloned().unwrap_or_default()),
            )
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::other(format!("生成填报数据失败：{e}")))
    }

    /// The campaign's folder, for other parts (ledgers) to keep files in.
    pub fn folder(&self, id: &str) -> Result<PathBuf> {
        self.dir(id)
    }
}

fn no_unit() -> Error {
    Error::other("这次填报里没有这个单位。")
}

fn entry(c: &CampaignFile, no: u32) -> Result<&UnitEntry> {
    c.units.iter().find(|u| u.no == no).ok_or_else(no_unit)
}

/// An error as one line, as `gongwen batch` reports a unit.
pub use crate::batch::one_line;
