//! The workbench without HTTP: documents in the data folder, checking and
//! previewing a form, taking a number and keeping every generated version.
//! The web handlers call it on the blocking pool; the benchmark calls it
//! directly.
//!
//! The data folder holds `gongwen.db` (the office's one register),
//! `workbench.db` (accounts and the audit log, see `accounts`) and
//! `docs/<id>/`: `draft.yaml` (the saved form of the document), its seal
//! picture when one was uploaded (`draft.印章.png`, named as `gongwen
//! import` names a draft's seal, so `seal:` reads it like a file's) and
//! `versions/NNN/` (each generated version: its YAML, its seal, the PDF
//! and, when the document has a 签批单, the PDF with it).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::form;
pub use super::form::FormDoc;
use super::preview::PageCache;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Notice;
use crate::render::{self, Prepared, RenderOptions};
use crate::source::{Origin, SourceFile};
use crate::typeset::{self, Engine};

/// The largest form accepted (YAML of every field together).
pub const MAX_FORM_BYTES: usize = 2_000_000;

/// The largest seal picture uploaded: a clear seal is well under 1 MB.
pub const MAX_SEAL_BYTES: usize = 5_000_000;

/// The name a document's uploaded seal has beside its `draft.yaml`.
fn seal_file(ext: &str) -> String {
    crate::import::seal_file(Path::new("draft.yaml"), ext).unwrap_or_default()
}

/// The seal picture files a document may have.
const SEAL_EXTS: [&str; 2] = ["png", "jpg"];

/// A finding shown beside its field.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// The form field (`None`: shown above the form).
    pub field: Option<&'static str>,
    /// The YAML field path as `check` names it.
    pub path: String,
    pub error: bool,
    pub message: String,
    pub hint: String,
}

impl Note {
    fn of(d: &Diagnostic) -> Note {
        let field = form::field_of(&d.path).or(if d.path.is_empty() {
            None
        } else {
            Some("rest")
        });
        Note {
            field,
            path: d.path.clone(),
            error: d.is_error(),
            message: d.message.clone(),
            hint: d.hint.clone().unwrap_or_default(),
        }
    }

    fn general(message: impl Into<String>) -> Note {
        Note {
            field: None,
            path: String::new(),
            error: true,
            message: message.into(),
            hint: String::new(),
        }
    }
}

/// Findings of an error, each placed at its field.
pub fn notes(e: &Error) -> Vec<Note> {
    match e {
        Error::Input(diags) => diags.iter().map(Note::of).collect(),
        Error::Other(m) => vec![Note::general(m.clone())],
    }
}

/// What a preview gives the browser.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub notes: Vec<Note>,
    /// The hash of each page image, in order (empty when there are errors).
    pub pages: Vec<String>,
    /// The 发文字号 as printed (a draft shows “代字〔年〕 号”).
    pub number: Option<String>,
}

/// One generated version of a document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub n: u32,
    pub at: String,
    pub by: String,
    pub number: Option<String>,
    pub pages: usize,
    /// A PDF with the 签批单 after the 正本 exists.
    pub with_approval: bool,
}

/// A document in the list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub updated: String,
    pub number: Option<String>,
    pub versions: usize,
}

/// A document opened in the form.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub id: String,
    pub form: FormDoc,
    pub versions: Vec<Version>,
}

/// The workbench: one engine, one data folder, one register.
pub struct Desk {
    pub engine: Engine,
    pub data: PathBuf,
    pub register: PathBuf,
    pub pages: PageCache,
}

/// A document id: made by [`Desk::create`], checked before it names a folder.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

fn not_found() -> Error {
    Error::other("没有这份文稿（可能已被删除，或链接有误）。请回到“文稿”列表重新打开。")
}

fn io(what: &str, e: std::io::Error) -> Error {
    Error::other(format!("{what}失败：{}", crate::guard::io_reason(&e)))
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Creates the workbench's data folder (`serve`, `user`, `Desk::open`),
/// saying in Chinese why it cannot be.
pub fn create_data_folder(data: &Path) -> Result<()> {
    std::fs::create_dir_all(data).map_err(|e| {
        Error::other(format!(
            "数据文件夹 {} 建不起来：{}",
            data.display(),
            crate::guard::io_reason(&e)
        ))
    })
}

impl Desk {
    /// Opens (creating) the data folder.
    pub fn open(engine: Engine, data: &Path) -> Result<Desk> {
        create_data_folder(data)?;
        std::fs::create_dir_all(data.join("docs")).map_err(|e| io("建立文稿文件夹", e))?;
        let data = data.canonicalize().map_err(|e| io("打开数据文件夹", e))?;
        Ok(Desk {
            engine,
            register: data.join("gongwen.db"),
            data,
            pages: PageCache::default(),
        })
    }

    fn dir(&self, id: &str) -> Result<PathBuf> {
        if !valid_id(id) {
            return Err(not_found());
        }
        let d = self.data.join("docs").join(id);
        if d.is_dir() {
            Ok(d)
        } else {
            Err(not_found())
        }
    }

    /// The saved form's path, which also places the document's seal images.
    pub fn draft_path(&self, id: &str) -> Result<PathBuf> {
        Ok(self.dir(id)?.join("draft.yaml"))
    }

    /// A new document from YAML (a 文种's scaffold, an imported draft).
    pub fn create(&self, yaml: &str) -> Result<String> {
        let today = chrono::Local::now().format("%Y%m%d").to_string();
        for n in 1..10_000 {
            let id = format!("{today}-{n:03}");
            let dir = self.data.join("docs").join(&id);
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    crate::output::write_atomic_own(&dir.join("draft.yaml"), yaml.as_bytes())?;
                    return Ok(id);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io("新建文稿", e)),
            }
        }
        Err(Error::other("今天新建的文稿太多了（上限 9999 份）。"))
    }

    /// A new document of a 文种, from its scaffold.
    pub fn create_kind(&self, kind: &str) -> Result<String> {
        let Some(yaml) = crate::scaffold::scaffold(kind).filter(|_| kind != "设置") else {
            return Err(Error::other(format!(
                "没有“{kind}”这个文种。可选：{}",
                crate::model::notice::KINDS.join("、")
            )));
        };
        self.create(&yaml)
    }

    pub fn open_doc(&self, id: &str) -> Result<Opened> {
        let path = self.draft_path(id)?;
        let yaml = std::fs::read_to_string(&path).map_err(|e| io("读取文稿", e))?;
        let form = form::from_yaml(&yaml)
            .map_err(|m| Error::other(format!("文稿 {id} 的 YAML 读不出来：{m}")))?;
        Ok(Opened {
            id: id.to_string(),
            form,
            versions: self.versions(id)?,
        })
    }

    /// Saves the form as the document's YAML (the saved form), whatever its
    /// errors: a clerk's typing is never lost.
    pub fn save(&self, id: &str, doc: &FormDoc) -> Result<String> {
        let path = self.draft_path(id)?;
        let yaml = form::to_yaml(doc)
            .map_err(|m| Error::Input(vec![Diagnostic::error(&path, "rest", m)]))?;
        if yaml.len() > MAX_FORM_BYTES {
            return Err(Error::other(format!(
                "这份文稿有 {}，超过了 {} 的上限。",
                crate::guard::size_text(yaml.len()),
                crate::guard::size_text(MAX_FORM_BYTES)
            )));
        }
        crate::output::write_atomic_own(&path, yaml.as_bytes())?;
        Ok(yaml)
    }

    /// Checks a form as `check` checks a file.
    pub fn prepare(&self, id: &str, doc: &FormDoc) -> Result<Prepared> {
        let yaml = self.save(id, doc)?;
        let path = self.draft_path(id)?;
        let source = SourceFile::from_bytes(&path, yaml.as_bytes())?;
        let mut notice: Notice = source.parse()?;
        if let Some(office) = crate::settings::Settings::find(&path)? {
            office.apply(&mut notice);
        }
        // The register knows the document by its workbench id, so taking a
        // number again (a re-generated version) keeps the number.
        notice.register_id = Some(format!("workbench/{id}"));
        render::prepare_notice(&self.engine, &notice, Origin::File(source))
    }

    /// Checks and lays out the form; draws the pages the browser lacks.
    /// Findings (errors included) are the answer; only a document that
    /// does not exist is an error.
    pub fn preview(&self, id: &str, doc: &FormDoc, known: &[String]) -> Result<Preview> {
        self.dir(id)?;
        within_budget(doc)?;
        Ok(self.laid_out(id, doc, known).unwrap_or_else(|e| Preview {
            notes: notes(&e),
            pages: Vec::new(),
            number: None,
        }))
    }

    fn laid_out(&self, id: &str, doc: &FormDoc, known: &[String]) -> Result<Preview> {
        let mut prepared = self.prepare(id, doc)?;
        render::fill_registered_number(&mut prepared, Some(&self.register))?;
        prepared.layout.preview = true;
        let mut paged = render::pages(&self.engine, &prepared)?;
        if prepared.approval.is_some() {
            let form = render::approval_pages(&self.engine, &prepared)?;
            paged = typeset::concat(vec![paged, form]);
        }
        let pages = self.pages.update(&paged, known);
        // Typst's memo cache would grow with every keystroke.
        typst::comemo::evict(10);
        Ok(Preview {
            notes: prepared.warnings.iter().map(Note::of).collect(),
            pages,
            number: prepared.number.as_ref().map(|n| n.display()),
        })
    }

    fn versions_dir(&self, id: &str) -> Result<PathBuf> {
        Ok(self.dir(id)?.join("versions"))
    }

    /// Every generated version, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<Version>> {
        let dir = self.versions_dir(id)?;
        let Ok(read) = std::fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Version> = read
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join("version.json")).ok())
            .filter_map(|b| serde_json::from_slice(&b).ok())
            .collect();
        out.sort_by_key(|v| v.n);
        Ok(out)
    }

    /// 取号并生成: takes the number from the register (or keeps the one
    /// this document was given), writes the PDF (and the PDF with the
    /// 签批单) as a new version, and keeps that version's YAML.
    pub fn finalise(&self, id: &str, doc: &FormDoc, by: &str) -> Result<Version> {
        within_budget(doc)?;
        let prepared = self.prepare(id, doc)?;
        let has_approval = prepared.approval.is_some();
        let n = self.versions(id)?.last().map_or(1, |v| v.n + 1);
        let dir = self.versions_dir(id)?.join(format!("{n:03}"));
        std::fs::create_dir_all(&dir).map_err(|e| io("保存版本", e))?;
        let result = self.generate(&dir, prepared, has_approval, id, doc);
        let (number, pages) = match result {
            Ok(r) => r,
            Err(e) => {
                // Nothing half-made is kept as a version.
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        let version = Version {
            n,
            at: now(),
            by: by.to_string(),
            number,
            pages,
            with_approval: has_approval,
        };
        let json = serde_json::to_vec_pretty(&version)
            .map_err(|e| Error::other(format!("内部错误：{e}")))?;
        crate::output::write_atomic_own(&dir.join("version.json"), &json)?;
        Ok(version)
    }

    fn generate(
        &self,
        dir: &Path,
        prepared: Prepared,
        has_approval: bool,
        id: &str,
        doc: &FormDoc,
    ) -> Result<(Option<String>, usize)> {
        let yaml = self.save(id, doc)?;
        crate::output::write_atomic_own(&dir.join("draft.yaml"), yaml.as_bytes())?;
        // The version keeps the seal it was printed with.
        for ext in SEAL_EXTS {
            let seal = self.dir(id)?.join(seal_file(ext));
            if seal.is_file() {
                let bytes = std::fs::read(&seal).map_err(|e| io("保存版本的印章", e))?;
                crate::output::write_atomic_own(&dir.join(seal_file(ext)), &bytes)?;
            }
        }
        let opts = RenderOptions {
            draft: false,
            register: Some(self.register.clone()),
            with_approval: false,
            preview: false,
        };
        let done = render::render_prepared(&self.engine, prepared, &dir.join("notice.pdf"), &opts)?;
        if has_approval {
            // The same document with its 签批单, printing the number the
            // register has just given (or the fixed one).
            let mut again = self.prepare(id, doc)?;
            render::fill_registered_number(&mut again, Some(&self.register))?;
            let paged = render::pages(&self.engine, &again)?;
            let form = render::approval_pages(&self.engine, &again)?;
            let both = typeset::concat(vec![paged, form]);
            let bytes = typeset::pdf(&both, &again.doc_id())?;
            crate::output::write_atomic(&dir.join("notice-approval.pdf"), &bytes)?;
        }
        Ok((done.number, done.pages))
    }

    /// The PDF of a version, with or without the 签批单.
    pub fn version_pdf(&self, id: &str, n: u32, approval: bool) -> Result<(Vec<u8>, String)> {
        let dir = self.versions_dir(id)?.join(format!("{n:03}"));
        let file = if approval {
            "notice-approval.pdf"
        } else {
            "notice.pdf"
        };
        let bytes = std::fs::read(dir.join(file)).map_err(|_| {
            Error::other(if approval {
                "这个版本没有签批单（公文里没有填写签批单）。"
            } else {
                "没有这个版本。"
            })
        })?;
        let version: Option<Version> = std::fs::read(dir.join("version.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let name = version
            .and_then(|v| v.number)
            .unwrap_or_else(|| format!("文稿{id}-第{n}版"));
        let name = if approval {
            format!("{name}（含签批单）.pdf")
        } else {
            format!("{name}.pdf")
        };
        Ok((bytes, name))
    }

    /// The saved YAML of a document.
    pub fn yaml(&self, id: &str) -> Result<String> {
        std::fs::read_to_string(self.draft_path(id)?).map_err(|e| io("读取文稿", e))
    }

    /// Every document, the most recently changed first.
    pub fn list(&self) -> Result<Vec<Summary>> {
        let read = std::fs::read_dir(self.data.join("docs")).map_err(|e| io("读取文稿列表", e))?;
        let mut out = Vec::new();
        for entry in read.flatten() {
            let id = entry.file_name().to_string_lossy().into_owned();
            if !valid_id(&id) {
                continue;
            }
            let path = entry.path().join("draft.yaml");
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let value: serde_yaml::Value = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_yaml::from_str(&t).ok())
                .unwrap_or_default();
            let field = |k: &str| {
                value
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let versions = self.versions(&id).unwrap_or_default();
            let updated = meta
                .modified()
                .ok()
                .map(|t| {
                    chrono::DateTime::<chrono::Local>::from(t)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            out.push(Summary {
                kind: field("kind"),
                title: field("title"),
                number: versions.last().and_then(|v| v.number.clone()),
                versions: versions.len(),
                updated,
                id,
            });
        }
        out.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// Reads a Word (.docx) draft into the form: what `gongwen import`
    /// would write, as form values, with its report. The draft's seal
    /// picture is kept with document `doc` (checked as an upload is);
    /// without a document, or when it is refused, the report says so.
    pub fn import_docx(
        &self,
        bytes: &[u8],
        doc: Option<&str>,
    ) -> Result<(FormDoc, crate::import::Report)> {
        let tmp = tempfile::Builder::new()
            .prefix(".upload-")
            .suffix(".docx")
            .tempfile_in(&self.data)
            .map_err(|e| io("保存上传的文件", e))?;
        std::fs::write(tmp.path(), bytes).map_err(|e| io("保存上传的文件", e))?;
        let imported = crate::import::import(tmp.path())?;
        let mut form = form::from_yaml(&imported.yaml)
            .map_err(|m| Error::other(format!("内部错误：导入的 YAML 读不出来：{m}")))?;
        let mut report = imported.report;
        if let Some((_, picture)) = &imported.seal {
            let kept = match doc {
                Some(id) => self.put_seal(id, picture).map_err(|e| match e {
                    Error::Input(d) => d.first().map(|d| d.message.clone()).unwrap_or_default(),
                    Error::Other(m) => m,
                }),
                None => Err("没有打开的文稿可以保存它".to_string()),
            };
            match kept {
                Ok(name) => {
                    form.values.insert("seal".into(), name);
                }
                Err(why) => {
                    form.values.remove("seal");
                    report.unsure.push(format!(
                        "草稿里的印章图片没有用上：{why}。可在“印章”栏另行上传。"
                    ));
                }
            }
        }
        Ok((form, report))
    }

    /// Keeps an uploaded seal picture with the document (replacing its
    /// earlier one) and names it in the saved YAML's `seal:`; returns the
    /// file's name. Checked as `seal:` files are (PNG or JPEG, at most
    /// [`crate::layout::MAX_SEAL_PIXELS`] on a side, read from the header
    /// before decoding), then decoded once under a memory bound, so what is
    /// stored is a picture Typst can draw.
    pub fn put_seal(&self, id: &str, bytes: &[u8]) -> Result<String> {
        let path = self.draft_path(id)?;
        let refuse = |message: String, hint: &str| {
            Error::Input(vec![Diagnostic::error(&path, "seal", message).hint(hint)])
        };
        let ext =
            match imagesize::image_type(bytes) {
                Ok(imagesize::ImageType::Png) => "png",
                Ok(imagesize::ImageType::Jpeg) => "jpg",
                _ => return Err(refuse(
                    "上传的文件不是 PNG 或 JPG 图片。".to_string(),
                    "印章请用透明底的 PNG 图片（也可用 JPG）；Word、PDF 里的印章要先另存为图片。",
                )),
            };
        if let Some((message, hint)) =
            crate::layout::seal_size_fault(imagesize::blob_size(bytes), "上传的印章图片")
        {
            return Err(refuse(message, hint));
        }
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes));
        reader.set_format(if ext == "png" {
            image::ImageFormat::Png
        } else {
            image::ImageFormat::Jpeg
        });
        let mut limits = image::Limits::default();
        let side = crate::layout::MAX_SEAL_PIXELS as u32;
        limits.max_image_width = Some(side);
        limits.max_image_height = Some(side);
        limits.max_alloc = Some(4 * (side as u64) * (side as u64));
        reader.limits(limits);
        if reader.decode().is_err() {
            return Err(refuse(
                "上传的印章图片已损坏，读不出来。".to_string(),
                "请重新导出印章图片（透明底 PNG）后再上传。",
            ));
        }
        let dir = self.dir(id)?;
        let name = seal_file(ext);
        crate::output::write_atomic_own(&dir.join(&name), bytes)?;
        for other in SEAL_EXTS.iter().filter(|e| **e != ext) {
            let _ = std::fs::remove_file(dir.join(seal_file(other)));
        }
        self.set_seal(id, Some(&name))?;
        Ok(name)
    }

    /// The document's uploaded seal picture and its type, if it has one.
    pub fn seal(&self, id: &str) -> Result<(Vec<u8>, &'static str)> {
        let dir = self.dir(id)?;
        for (ext, mime) in SEAL_EXTS.into_iter().zip(["image/png", "image/jpeg"]) {
            if let Ok(bytes) = std::fs::read(dir.join(seal_file(ext))) {
                return Ok((bytes, mime));
            }
        }
        Err(Error::other(
            "没有这份文稿的印章图片（还没有上传，或已去掉）。",
        ))
    }

    /// Removes the uploaded seal picture and the saved YAML's `seal:`
    /// naming it (a 实物章 or another file named by hand stays).
    pub fn remove_seal(&self, id: &str) -> Result<()> {
        let dir = self.dir(id)?;
        for ext in SEAL_EXTS {
            match std::fs::remove_file(dir.join(seal_file(ext))) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("去掉印章", e)),
            }
        }
        self.set_seal(id, None)
    }

    /// Sets (or removes) the saved YAML's `seal:` to an uploaded seal.
    fn set_seal(&self, id: &str, name: Option<&str>) -> Result<()> {
        let mut doc = self.open_doc(id)?.form;
        let current = doc.values.get("seal").map(|s| s.trim().to_string());
        match name {
            Some(n) => {
                doc.values.insert("seal".into(), n.to_string());
            }
            None if current.is_some_and(|c| SEAL_EXTS.iter().any(|e| c == seal_file(e))) => {
                doc.values.remove("seal");
            }
            None => return Ok(()),
        }
        self.save(id, &doc).map(|_| ())
    }
}

/// Refuses a form too large for one request ([`form::over_budget`]) before
/// any typesetting starts.
fn within_budget(doc: &FormDoc) -> Result<()> {
    let yaml = form::to_yaml(doc).unwrap_or_default();
    match form::over_budget(&yaml) {
        Some(m) => Err(Error::other(m)),
        None => Ok(()),
    }
}
