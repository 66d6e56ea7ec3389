//! Typst's description of every font face (family, variant, coverage),
//! remembered between runs.
//!
//! Working it out means reading and parsing every font file: with this
//! machine's 349 system fonts and the bundled CJK faces it was a third of a
//! cold render (perf: `FontInfo::new`, mostly building coverage tables), and
//! a Windows machine with the genuine government fonts holds more. So the
//! descriptions are kept in the user's cache folder; a file whose size or
//! modification time changed is read again. Files are still found by fontdb
//! (system folders, fontconfig), which is cheap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use typst::text::FontInfo;
use typst_kit::fonts::FontPath;

/// Bump when the stored form changes; the Typst version is part of the key
/// too, since `FontInfo` belongs to Typst.
const FORMAT: &str = "gongwen-font-index-1/typst-0.15.1";

/// What one font file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    len: u64,
    /// Modification time in nanoseconds since 1970 (0 when unknown).
    modified: u128,
    /// Face index → description (`None`: Typst cannot use the face).
    faces: BTreeMap<u32, Option<FontInfo>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    format: String,
    files: BTreeMap<PathBuf, Entry>,
}

/// The index, loaded from `path` (when there is one) and saved back when
/// something new was learnt.
#[derive(Debug)]
pub struct FontIndex {
    path: Option<PathBuf>,
    files: BTreeMap<PathBuf, Entry>,
    changed: bool,
    /// Faces described from the index rather than from the font file.
    pub hits: usize,
    /// Faces read and parsed.
    pub misses: usize,
}

impl FontIndex {
    /// The index in the user's cache folder (`~/.cache/gongwen` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("gongwen").join("font-index.json"))
    }

    /// Opens the index at `path`; a missing, unreadable or outdated file
    /// gives an empty index (it only makes start-up faster).
    pub fn open(path: Option<PathBuf>) -> FontIndex {
        let files = path
            .as_ref()
            // A damaged or strange index (a device, a huge file) is ignored.
            .and_then(|p| crate::guard::read_capped(p, MAX_INDEX_BYTES, "字体索引").ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|s| s.format == FORMAT)
            .map(|s| s.files)
            .unwrap_or_default();
        FontIndex {
            path,
            files,
            changed: false,
            hits: 0,
            misses: 0,
        }
    }

    /// Faces in a folder (searched recursively).
    pub fn scan_dir(&mut self, dir: &Path) -> Vec<(FontPath, FontInfo)> {
        let mut db = fontdb::Database::new();
        db.load_fonts_dir(dir);
        self.faces(&db)
    }

    /// Faces installed on the system.
    pub fn scan_system(&mut self) -> Vec<(FontPath, FontInfo)> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        self.faces(&db)
    }

    fn faces(&mut self, db: &fontdb::Database) -> Vec<(FontPath, FontInfo)> {
        let mut out = Vec::new();
        for face in db.faces() {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path,
                fontdb::Source::Binary(_) => continue,
            };
            let Some((len, modified)) = stamp(path) else {
                continue;
            };
            let known = self
                .files
                .get(path)
                .filter(|e| e.len == len && e.modified == modified)
                .and_then(|e| e.faces.get(&face.index).cloned());
            let info = match known {
                Some(info) => {
                    self.hits += 1;
                    info
                }
                None => {
                    self.misses += 1;
                    let info = db.with_face_data(face.id, FontInfo::new).flatten();
                    let entry = self.files.entry(path.clone()).or_insert_with(|| Entry {
                        len,
                        modified,
                        faces: BTreeMap::new(),
                    });
                    if entry.len != len || entry.modified != modified {
                        *entry = Entry {
                            len,
                            modified,
                            faces: BTreeMap::new(),
                        };
                    }
                    entry.faces.insert(face.index, info.clone());
                    self.changed = true;
                    info
                }
            };
            if let Some(info) = info {
                out.push((
                    FontPath {
                        path: path.clone(),
                        index: face.index,
                    },
                    info,
                ));
            }
        }
        out
    }

    /// Writes the index back when it learnt something, dropping files that
    /// are gone. Failing to write (a read-only home folder) is not an error:
    /// the next run reads the fonts again.
    pub fn save(mut self) {
        let Some(path) = self.path.take() else {
            return;
        };
        let before = self.files.len();
        self.files.retain(|p, _| p.exists());
        if !self.changed && self.files.len() == before {
            return;
        }
        let stored = Stored {
            format: FORMAT.to_string(),
            files: self.files,
        };
        let Ok(bytes) = serde_json::to_vec(&stored) else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Another gongwen may be writing too: each writes a whole file and
        // renames it into place, so a reader never sees half an index.
        let _ = crate::output::write_atomic_own(&path, &bytes);
    }
}

/// Size and modification time of a file.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Some((meta.len(), modified))
}

/// Largest font index read (some 800 KB for 350 fonts).
const MAX_INDEX_BYTES: usize = 64_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
    }

    #[test]
    fn a_second_run_reads_the_index_not_the_fonts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.json");
        let mut first = FontIndex::open(Some(path.clone()));
        let fresh = first.scan_dir(&bundled());
        assert!(fresh.len() >= 6, "{} faces", fresh.len());
        assert_eq!((first.hits, first.misses), (0, fresh.len()));
        first.save();
        assert!(path.exists());

        let mut second = FontIndex::open(Some(path.clone()));
        let cached = second.scan_dir(&bundled());
        assert_eq!((second.hits, second.misses), (fresh.len(), 0));
        let key = |v: &[(FontPath, FontInfo)]| -> Vec<(PathBuf, u32, FontInfo)> {
            v.iter()
                .map(|(p, i)| (p.path.clone(), p.index, i.clone()))
                .collect()
        };
        assert_eq!(key(&cached), key(&fresh));
    }

    #[test]
    fn a_changed_font_file_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir(&fonts).unwrap();
        let font = fonts.join("face.ttf");
        std::fs::copy(bundled().join("FandolHei-Regular.ttf"), &font).unwrap();
        let path = dir.path().join("index.json");
        let mut index = FontIndex::open(Some(path.clone()));
        let before = index.scan_dir(&fonts);
        assert_eq!(before[0].1.family, "FandolHei");
        index.save();

        // Same name, another face (and size).
        std::fs::copy(bundled().join("FandolKai-Regular.ttf"), &font).unwrap();
        let mut index = FontIndex::open(Some(path.clone()));
        let after = index.scan_dir(&fonts);
        assert_eq!((index.hits, index.misses), (0, 1));
        assert_eq!(after[0].1.family, "FandolKai");
    }

    #[test]
    fn a_damaged_or_foreign_index_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.json");
        for junk in [&b"{not json"[..], br#"{"format":"other","files":{}}"#] {
            std::fs::write(&path, junk).unwrap();
            let mut index = FontIndex::open(Some(path.clone()));
            assert!(!index.scan_dir(&bundled()).is_empty());
            assert_eq!(index.hits, 0);
        }
    }
}
