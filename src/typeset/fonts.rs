//! Font roles of GB/T 9704 and how each is resolved.
//!
//! A role (仿宋 正文, 小标宋 标志/标题 …) is served by the first genuine
//! government face found (from `--font-dir` or the system), else by the
//! bundled free substitute in `fonts/`. Noto Serif CJK SC backs every role
//! for rare characters; a character no face in a role's chain can draw is an
//! input error, never tofu.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::foundations::Bytes;
use typst::text::Font;
use typst::text::{FontStretch, FontStyle, FontVariant, FontWeight};
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use super::font_index::FontIndex;

/// The typographic roles the layout needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    Fang,
    XiaoBiaoSong,
    Hei,
    Kai,
    Song,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Fang,
        Role::XiaoBiaoSong,
        Role::Hei,
        Role::Kai,
        Role::Song,
    ];

    /// Short key used in the layout data handed to Typst.
    pub fn key(self) -> &'static str {
        match self {
            Role::Fang => "fang",
            Role::XiaoBiaoSong => "xbs",
            Role::Hei => "hei",
            Role::Kai => "kai",
            Role::Song => "song",
        }
    }

    /// The role of a [`key`](Role::key); text of an unknown key is 仿宋.
    pub fn from_key(key: &str) -> Role {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == key)
            .unwrap_or(Role::Fang)
    }

    /// How users know the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Fang => "仿宋（正文）",
            Role::XiaoBiaoSong => "小标宋（发文机关标志、标题）",
            Role::Hei => "黑体（一级标题、密级、紧急程度）",
            Role::Kai => "楷体（二级标题、签发人）",
            Role::Song => "宋体（页码）",
        }
    }

    /// Genuine family names, most wanted first (DESIGN.md §Fonts).
    fn genuine(self) -> &'static [&'static str] {
        match self {
            Role::Fang => &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"],
            Role::XiaoBiaoSong => &[
                "方正小标宋简体",
                "FZXiaoBiaoSong-B05S",
                "FZXiaoBiaoSong-B05",
            ],
            Role::Hei => &["黑体", "SimHei"],
            Role::Kai => &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"],
            Role::Song => &["宋体", "SimSun"],
        }
    }

    /// The bundled substitute: family and weight.
    fn bundled(self) -> (&'static str, u16) {
        match self {
            Role::Fang => ("FandolFang R", 400),
            Role::XiaoBiaoSong => ("Noto Serif CJK SC", 700),
            Role::Hei => ("FandolHei", 400),
            Role::Kai => ("FandolKai", 400),
            Role::Song => ("FandolSong", 400),
        }
    }
}

/// Family that backs every role for characters its own face lacks.
pub const FALLBACK_FAMILY: &str = "Noto Serif CJK SC";

impl Role {
    /// A bundled face of the role's own style with wider coverage, tried
    /// before the 宋体-style [`FALLBACK_FAMILY`]: a 签发人 named 王堃 in 楷体
    /// keeps a 楷 look (LXGW WenKai, OFL, all 20,992 basic CJK characters and
    /// parts of Ext. A/B; Fandol Kai has 7,942), a 黑体 heading a sans look
    /// (Noto Sans CJK SC). No free simplified 仿宋 with such coverage exists
    /// in Debian, PyPI or npm (cwTeX 仿宋 is Big5 only).
    fn style_fallback(self) -> Option<&'static str> {
        match self {
            Role::Kai => Some("LXGW WenKai"),
            Role::Hei => Some("Noto Sans CJK SC"),
            _ => None,
        }
    }
}

/// Where a font file was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Origin {
    Bundled,
    FontDir,
    System,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Bundled => "随程序附带",
            Origin::FontDir => "--font-dir",
            Origin::System => "系统字体",
        }
    }
}

/// The face chosen for one role.
#[derive(Debug, Clone)]
pub struct RoleFace {
    pub role: Role,
    pub family: String,
    pub weight: u16,
    pub genuine: bool,
    pub origin: Origin,
    pub path: PathBuf,
    /// Index of the face in the font book.
    pub index: usize,
}

/// A font file mapped into memory rather than read into it: the CJK faces
/// are 5–25 MB each and a render loads six of them; reading them cost a
/// fifth of a cold render (0.14 → 0.11 s, perf). Falls back to reading when
/// the file cannot be mapped.
struct MappedFont(FontPath);

impl FontSource for MappedFont {
    fn load(&self) -> Option<Font> {
        let file = std::fs::File::open(&self.0.path).ok()?;
        // SAFETY: the map is only read. Font files are installed, not edited
        // in place; a file shortened while gongwen has it mapped would fault,
        // which is why typst's own CLI reads instead. Installers replace
        // files (a new inode), which leaves this map intact.
        match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => Font::new(Bytes::new(map), self.0.index),
            Err(_) => self.0.load(),
        }
    }
}

/// Options that decide where fonts come from.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra folders given with `--font-dir`, searched before the system.
    pub font_dirs: Vec<PathBuf>,
    /// Skip system fonts (reproducible output on any machine).
    pub no_system_fonts: bool,
    /// Folder of the bundled fonts; found automatically when `None`.
    pub bundled_dir: Option<PathBuf>,
    /// Where the font index is kept between runs ([`FontIndex`]); `None`:
    /// every run reads every font file.
    pub font_index: Option<PathBuf>,
}

/// All loaded fonts plus the face chosen for every role.
pub struct FontSet {
    pub store: FontStore,
    /// Where each book entry comes from: origin, file, face in the file.
    origins: Vec<(Origin, PathBuf, u32)>,
    pub roles: Vec<RoleFace>,
    pub fallback: Option<RoleFace>,
    /// Faces of a role's own style with wider coverage, tried before `fallback`.
    pub style_fallbacks: Vec<RoleFace>,
    /// Coverage of the role faces and the fallback as bit sets. Typst's
    /// `Coverage::contains` walks a run-length list: checking every
    /// character of each document against it was 14 % of a batch (perf).
    covered: HashMap<usize, Vec<u64>>,
}

impl FontSet {
    /// Loads bundled, `--font-dir` and system fonts and resolves every role.
    pub fn load(opts: &FontOptions) -> Result<FontSet, String> {
        let bundled_dir = match &opts.bundled_dir {
            Some(dir) => dir.clone(),
            None => find_bundled_dir().ok_or_else(|| {
                "找不到随程序附带的字体文件夹 fonts/。请在仓库根目录运行，或用环境变量 \
                 GONGWEN_FONTS 指向它。"
                    .to_string()
            })?,
        };
        let mut store = FontStore::new();
        let mut origins = Vec::new();
        let mut push =
            |origin: Origin, iter: &mut dyn Iterator<Item = (FontPath, typst::text::FontInfo)>| {
                for (path, info) in iter {
                    origins.push((origin, path.path.clone(), path.index));
                    store.push((MappedFont(path), info));
                }
            };
        let mut index = FontIndex::open(opts.font_index.clone());
        push(
            Origin::Bundled,
            &mut index.scan_dir(&bundled_dir).into_iter(),
        );
        for dir in &opts.font_dirs {
            push(Origin::FontDir, &mut index.scan_dir(dir).into_iter());
        }
        if !opts.no_system_fonts {
            push(Origin::System, &mut index.scan_system().into_iter());
        }
        index.save();
        let mut set = FontSet {
            store,
            origins,
            roles: Vec::new(),
            fallback: None,
            style_fallbacks: Vec::new(),
            covered: HashMap::new(),
        };
        for role in Role::ALL {
            let face = set.resolve(role).ok_or_else(|| {
                format!(
                    "字体角色“{}”没有可用字体：既没有找到正版字体（{}），也没有找到附带的 {}。\
                     请检查 {} 是否完整。",
                    role.label(),
                    role.genuine().join("、"),
                    role.bundled().0,
                    bundled_dir.display()
                )
            })?;
            set.roles.push(face);
        }
        set.fallback = set.find(FALLBACK_FAMILY, 400, false);
        for role in Role::ALL {
            if let Some(mut f) = role
                .style_fallback()
                .and_then(|fam| set.find(fam, 400, false))
            {
                f.role = role;
                set.style_fallbacks.push(f);
            }
        }
        // Style fallbacks are asked only about characters a role's face
        // lacks (rare): no bit set is built for them at start-up.
        let faces: Vec<usize> = set
            .roles
            .iter()
            .chain(&set.fallback)
            .map(|f| f.index)
            .collect();
        for index in faces {
            if let Some(info) = set.store.book().info(index) {
                let mut bits = vec![0u64; (char::MAX as usize + 1).div_ceil(64)];
                for c in info.coverage.iter() {
                    if let Some(word) = bits.get_mut(c as usize / 64) {
                        *word |= 1 << (c % 64);
                    }
                }
                set.covered.insert(index, bits);
            }
        }
        Ok(set)
    }

    /// The file and face index of every book entry.
    pub fn files(&self) -> Vec<(PathBuf, u32)> {
        self.origins
            .iter()
            .map(|(_, p, i)| (p.clone(), *i))
            .collect()
    }

    fn resolve(&self, role: Role) -> Option<RoleFace> {
        for name in role.genuine() {
            if let Some(mut face) = self.find(name, 400, true) {
                face.role = role;
                face.genuine = true;
                return Some(face);
            }
        }
        let (family, weight) = role.bundled();
        let mut face = self.find(family, weight, false)?;
        face.role = role;
        Some(face)
    }

    /// Finds a face by family name; genuine faces are only taken from
    /// `--font-dir` or the system.
    fn find(&self, family: &str, weight: u16, genuine: bool) -> Option<RoleFace> {
        let book = self.store.book();
        let variant = FontVariant {
            style: FontStyle::Normal,
            weight: FontWeight::from_number(weight),
            stretch: FontStretch::NORMAL,
        };
        let index = book.select(&family.to_lowercase(), variant)?;
        let info = book.info(index)?;
        if !info.family.eq_ignore_ascii_case(family) {
            return None;
        }
        let (origin, path, _) = self.origins.get(index)?.clone();
        if genuine && origin == Origin::Bundled {
            return None;
        }
        Some(RoleFace {
            role: Role::Fang,
            family: info.family.clone(),
            weight: info.variant.weight.to_number(),
            genuine,
            origin,
            path,
            index,
        })
    }

    pub fn role(&self, role: Role) -> &RoleFace {
        self.roles
            .iter()
            .find(|f| f.role == role)
            .expect("every role is resolved at load")
    }

    /// The role → font families table every template receives as `fonts`.
    pub fn role_fonts(&self) -> RoleFonts {
        RoleFonts(
            Role::ALL
                .iter()
                .map(|role| {
                    let faces = RoleFamilies {
                        families: self.families(*role),
                        weight: self.role(*role).weight,
                    };
                    (role.key(), faces)
                })
                .collect(),
        )
    }

    /// The faces tried for a role, in order: its own, one of its style with
    /// wider coverage, the rare-character fallback.
    fn chain(&self, role: Role) -> impl Iterator<Item = &RoleFace> {
        std::iter::once(self.role(role))
            .chain(self.style_fallbacks.iter().filter(move |f| f.role == role))
            .chain(&self.fallback)
    }

    /// Family list for Typst: the role's face, one of its style, the fallback.
    pub fn families(&self, role: Role) -> Vec<String> {
        let mut list: Vec<String> = Vec::new();
        for f in self.chain(role) {
            if !list.contains(&f.family) {
                list.push(f.family.clone());
            }
        }
        list
    }

    /// The family that draws `c` in `role`, if any face of its chain does.
    pub fn drawn_by(&self, role: Role, c: char) -> Option<&str> {
        self.chain(role)
            .find(|f| self.covers_index(f.index, c))
            .map(|f| f.family.as_str())
    }

    /// Whether the role's face covers `c` (without fallback).
    pub fn face_covers(&self, role: Role, c: char) -> bool {
        self.covers_index(self.role(role).index, c)
    }

    fn covers_index(&self, index: usize, c: char) -> bool {
        match self.covered.get(&index) {
            Some(bits) => bits[c as usize / 64] & (1 << (c as u32 % 64)) != 0,
            None => self
                .store
                .book()
                .info(index)
                .is_some_and(|i| i.coverage.contains(c as u32)),
        }
    }

    /// Characters of `text` that no face in the role's chain can draw.
    pub fn missing(&self, role: Role, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() {
                continue;
            }
            if self.drawn_by(role, c).is_some() {
                continue;
            }
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// Advance width of `c` in the role's face, in em (1.0 for a missing glyph,
    /// as every CJK fallback face draws full-width).
    pub fn advance_em(&self, role: Role, c: char) -> f64 {
        let index = self.role(role).index;
        let Some(font) = self.store.font(index) else {
            return 1.0;
        };
        let Ok(ttf) = ttf_parser::Face::parse(font.data().as_slice(), font.index()) else {
            return 1.0;
        };
        match ttf.glyph_index(c) {
            Some(g) => ttf
                .glyph_hor_advance(g)
                .map(|a| a as f64 / ttf.units_per_em() as f64)
                .unwrap_or(1.0),
            None => 1.0,
        }
    }

    /// Vertical centre of a glyph's ink above the baseline, in em.
    pub fn glyph_centre_em(&self, role: Role, c: char) -> Option<f64> {
        let font = self.store.font(self.role(role).index)?;
        let ttf = ttf_parser::Face::parse(font.data().as_slice(), font.index()).ok()?;
        let bbox = ttf.glyph_bounding_box(ttf.glyph_index(c)?)?;
        Some((bbox.y_min as f64 + bbox.y_max as f64) / 2.0 / ttf.units_per_em() as f64)
    }

    /// GB2312 / GBK hanzi coverage of a face: (covered, total) for each.
    pub fn coverage(&self, index: usize) -> ((usize, usize), (usize, usize)) {
        let gb2312 = gb2312_hanzi();
        let c1 = gb2312
            .iter()
            .filter(|c| self.covers_index(index, **c))
            .count();
        let gbk = ('\u{4E00}'..='\u{9FA5}')
            .filter(|c| self.covers_index(index, *c))
            .count();
        ((c1, gb2312.len()), (gbk, 0x9FA5 - 0x4E00 + 1))
    }
}

/// The 6,763 hanzi of GB2312 (rows 16–87).
pub fn gb2312_hanzi() -> Vec<char> {
    let mut out = Vec::with_capacity(6763);
    for b1 in 0xB0u8..=0xF7 {
        for b2 in 0xA1u8..=0xFE {
            if b1 == 0xD7 && b2 >= 0xFA {
                continue;
            }
            let bytes = [b1, b2];
            let (s, _, bad) = encoding_rs::GBK.decode(&bytes);
            if !bad {
                out.extend(s.chars());
            }
        }
    }
    out
}

/// Finds the bundled `fonts/` folder: `$GONGWEN_FONTS`, next to the
/// executable (also two levels up, for `target/release`), or the source tree.
pub fn find_bundled_dir() -> Option<PathBuf> {
    let ok = |p: &Path| p.join("FandolFang-Regular.ttf").is_file();
    if let Some(dir) = std::env::var_os("GONGWEN_FONTS").map(PathBuf::from) {
        if ok(&dir) {
            return Some(dir);
        }
    }
    if let Ok(exe) = std::env::current_exe() {
        for up in exe.ancestors().skip(1).take(4) {
            let dir = up.join("fonts");
            if ok(&dir) {
                return Some(dir);
            }
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    ok(&dir).then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_sets_hold_exactly_the_faces_coverage() {
        let set = FontSet::load(&FontOptions {
            no_system_fonts: true,
            ..Default::default()
        })
        .unwrap();
        assert!(set.covered.len() >= 2);
        for (&index, bits) in &set.covered {
            let coverage = &set.store.book().info(index).unwrap().coverage;
            let listed: Vec<u32> = coverage.iter().collect();
            let ones: u32 = bits.iter().map(|w| w.count_ones()).sum();
            assert_eq!(ones as usize, listed.len(), "face {index}");
            for c in listed.into_iter().filter_map(char::from_u32) {
                assert!(
                    set.covers_index(index, c),
                    "face {index} U+{:04X}",
                    c as u32
                );
            }
        }
        // 零 is in every bundled face; a private-use character in none.
        for role in Role::ALL {
            assert!(set.face_covers(role, '零'), "{role:?}");
            assert!(!set.face_covers(role, '\u{E000}'), "{role:?}");
        }
        assert_eq!(
            set.missing(Role::Fang, "零\u{E000}零\u{10FFFF}"),
            ['\u{E000}', '\u{10FFFF}']
        );
    }
}

/// Font families per role, keyed by [`Role::key`] (`fang`, `hei` …).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleFonts(pub std::collections::BTreeMap<&'static str, RoleFamilies>);

/// The families Typst tries for one role, and the weight to ask for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleFamilies {
    pub families: Vec<String>,
    pub weight: u16,
}
