//! The Typst `World` gongwen compiles in.
//!
//! One [`Engine`] per process holds what every document shares (standard
//! library, font book and slots, layout templates); a [`DocWorld`] borrows it
//! for one compilation and adds that document's data and its own folder.
//! Files are confined: only the templates, the data handed over as JSON and
//! files under the input document's folder can be read.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, SourceResult, Warned};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use super::fonts::FontSet;
use super::hollow::{Face, Hollow};

/// Virtual path of the JSON document data inside the Typst world.
pub const DATA_PATH: &str = "/data.json";
/// Largest file a template may read from the input folder (seal images).
pub const MAX_INPUT_FILE_BYTES: usize = 20_000_000;

/// Virtual folder that maps onto the input document's own folder.
pub const INPUT_DIR: &str = "/input";

/// The process-wide compiler state: library, fonts and templates.
pub struct Engine {
    library: LazyHash<Library>,
    pub(crate) fonts: FontSet,
    templates: HashMap<String, Source>,
    /// Hollow fonts, in a process that lays out one document
    /// ([`Engine::hollow_fonts`]).
    pub(crate) hollow: Option<Hollow>,
}

impl Engine {
    /// Builds the engine from a resolved font set and the layout templates
    /// (file name → Typst source text).
    pub fn new(fonts: FontSet, templates: Vec<(String, String)>) -> Self {
        let templates = templates
            .into_iter()
            .map(|(name, text)| {
                let id = file_id(&format!("/templates/{name}"));
                (name, Source::new(id, text))
            })
            .collect();
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            templates,
            hollow: None,
        }
    }

    /// How many layouts were done again with the whole fonts because a
    /// glyph the hollow fonts left empty reached a page.
    pub fn hollow_relayouts(&self) -> usize {
        self.hollow.as_ref().map_or(0, Hollow::relayouts)
    }

    pub(crate) fn note_relayout(&self) {
        if let Some(h) = &self.hollow {
            h.note_relayout();
        }
    }

    /// Lays documents out with hollow fonts (`typeset::hollow`): for a
    /// process that lays out one document, where hashing whole font files
    /// is a third of the run. Not for the workbench or batches, whose
    /// documents share the whole fonts.
    pub fn hollow_fonts(&mut self) {
        let texts: Vec<(String, String)> = self
            .templates
            .iter()
            .map(|(n, s)| (n.clone(), s.text().to_string()))
            .collect();
        self.hollow = Some(Hollow::new(self.fonts.files(), &texts));
    }

    /// Height of the 页码 dash's centre above the baseline in em (tests
    /// measure GW-N-02 with it).
    pub fn fonts_for_tests(&self) -> f64 {
        self.fonts
            .glyph_centre_em(super::fonts::Role::Song, '—')
            .unwrap_or(0.38)
    }

    fn template_by_id(&self, id: FileId) -> Option<&Source> {
        self.templates.values().find(|s| s.id() == id)
    }
}

/// Interns a virtual path of the project root as a file id.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("static virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One compilation: the engine plus one document's data.
pub struct DocWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    data: Bytes,
    input_dir: Option<PathBuf>,
    today: chrono::NaiveDate,
    /// With hollow fonts: what the pages may show, and the faces handed out.
    hollow: Option<HollowUse>,
}

/// What a document's pages may show, and the hollow faces handed out.
type HollowUse = (BTreeSet<char>, Mutex<Vec<Arc<Face>>>);

impl<'a> DocWorld<'a> {
    pub fn new(
        engine: &'a Engine,
        template: &str,
        data: Vec<u8>,
        input_dir: Option<&Path>,
        today: chrono::NaiveDate,
    ) -> Self {
        let hollow = engine
            .hollow
            .as_ref()
            .map(|h| (h.chars_of(&data), Mutex::new(Vec::new())));
        Self {
            engine,
            main: file_id(&format!("/templates/{template}")),
            data: Bytes::new(data),
            input_dir: input_dir.map(Path::to_path_buf),
            today,
            hollow,
        }
    }

    /// The same world with the whole fonts.
    pub fn whole_fonts(mut self) -> Self {
        self.hollow = None;
        self
    }

    /// Compiles the document. With hollow fonts, the role faces are made
    /// on two threads meanwhile (the 小标宋 substitute, the largest, on
    /// one; the others on the other), as Typst would ask for them one by one.
    pub fn lay_out(&self) -> Warned<SourceResult<PagedDocument>> {
        let (Some(hollow), Some((chars, _))) = (&self.engine.hollow, &self.hollow) else {
            return typst::compile::<PagedDocument>(self);
        };
        let (big, rest): (Vec<_>, Vec<_>) = self
            .engine
            .fonts
            .roles
            .iter()
            .partition(|f| f.role == super::fonts::Role::XiaoBiaoSong);
        let indices = |v: Vec<&super::fonts::RoleFace>| v.iter().map(|f| f.index).collect();
        hollow.alongside(&[indices(big), indices(rest)], chars, || {
            typst::compile::<PagedDocument>(self)
        })
    }

    /// The hollow faces this world handed out (empty with whole fonts).
    pub fn hollow_faces(&self) -> Vec<Arc<Face>> {
        self.hollow
            .as_ref()
            .map(|(_, used)| used.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }

    /// Reads a file under the input folder; refuses anything that resolves
    /// outside it (`..`, symlinks, absolute paths).
    fn input_file(&self, vpath: &VirtualPath) -> FileResult<Bytes> {
        let shown = PathBuf::from(vpath.get_with_slash());
        let Some(dir) = &self.input_dir else {
            return Err(FileError::AccessDenied);
        };
        let rel = vpath
            .get_without_slash()
            .strip_prefix(INPUT_DIR.trim_start_matches('/'))
            .unwrap_or_default()
            .trim_start_matches('/');
        let base = dir.canonicalize().map_err(|e| FileError::from_io(e, dir))?;
        let full = base.join(rel);
        let real = full
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &shown))?;
        if !real.starts_with(&base) {
            return Err(FileError::AccessDenied);
        }
        // Images only: a device or FIFO is not read, nor a huge file.
        crate::guard::read_capped(&real, MAX_INPUT_FILE_BYTES, "图片")
            .map(Bytes::new)
            .map_err(|e| FileError::Other(Some(e.to_string().into())))
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.engine.template_by_id(id) {
            return Ok(source.clone());
        }
        let bytes = self.file(id)?;
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let vpath = id.vpath();
        let path = vpath.get_with_slash();
        if path == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let Some(source) = self.engine.template_by_id(id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        if path.starts_with(&format!("{INPUT_DIR}/")) {
            return self.input_file(vpath);
        }
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        if let (Some(hollow), Some((chars, used))) = (&self.engine.hollow, &self.hollow) {
            if let Some(face) = hollow.face(index, chars) {
                let font = face.font.clone();
                used.lock().unwrap_or_else(|e| e.into_inner()).push(face);
                return Some(font);
            }
        }
        self.engine.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        use chrono::Datelike;
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}
