//! Hollow fonts for a one-document run.
//!
//! Typst hashes the whole file of every font it uses, once per process:
//! for a notice that is five CJK faces, 51 MB read and hashed, a third of a
//! cold `render` (perf). A hollow font is the same font with the outlines
//! of the glyphs the document cannot draw left empty: every table but the
//! outlines is copied unchanged (cmap, hmtx, GSUB, GPOS …) and glyph ids
//! stay the same, so shaping and layout are those of the whole font; only
//! the few hundred outlines a notice draws are copied. Whether every glyph
//! on the pages was kept is checked after layout ([`Hollow::covers`]);
//! when one was not, the document is laid out again with the whole fonts.
//!
//! Only for processes that lay out one document (`render`, `approval`): the
//! workbench and batches keep the whole fonts, hashed once and reused.
//! CFF outlines (the bundled Noto faces, most OpenType fonts) and TrueType
//! outlines (the bundled Fandol and LXGW faces) are hollowed; collections
//! with TrueType outlines, variable TrueType fonts and anything that does
//! not parse as expected are used whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::Font;
use typst_layout::PagedDocument;

use super::sfnt;

/// Characters a template or Typst itself may print besides the data's:
/// printable ASCII, numerals Typst's numbering writes, common marks.
const ALWAYS: &str = "〇一二三四五六七八九十百千万亿零壹贰叁肆伍陆柒捌玖拾佰仟—–‐-－…·・、。，；：？！“”‘’（）《》〈〉【】〔〕［］　 ";

/// The hollow faces of one process, by font book index.
pub struct Hollow {
    /// Font file and face index of each book entry.
    files: Vec<(PathBuf, u32)>,
    /// Characters of the templates (they print labels such as 附件, 印发).
    template_chars: BTreeSet<char>,
    /// Each entry's face, made once by whichever thread asks first (the
    /// others wait for it); replaced when a later document needs more.
    faces: Mutex<HashMap<usize, Arc<Slot>>>,
    relayouts: AtomicUsize,
}

/// A face being made or made (`None`: it cannot be hollowed).
type Slot = OnceLock<Option<Arc<Face>>>;

/// One hollowed face and what it can draw.
pub struct Face {
    pub font: Font,
    chars: BTreeSet<char>,
    /// Kept glyph ids, one bit each.
    kept: Vec<u64>,
}

impl Face {
    fn keeps(&self, glyph: u16) -> bool {
        has(&self.kept, usize::from(glyph))
    }
}

impl Hollow {
    pub fn new(files: Vec<(PathBuf, u32)>, templates: &[(String, String)]) -> Hollow {
        let template_chars = templates.iter().flat_map(|(_, t)| t.chars()).collect();
        Hollow {
            files,
            template_chars,
            faces: Mutex::new(HashMap::new()),
            relayouts: AtomicUsize::new(0),
        }
    }

    pub fn relayouts(&self) -> usize {
        self.relayouts.load(Ordering::Relaxed)
    }

    pub fn note_relayout(&self) {
        self.relayouts.fetch_add(1, Ordering::Relaxed);
        if std::env::var_os("GONGWEN_DEBUG").is_some() {
            eprintln!("hollow fonts: a glyph left empty reached a page; laid out again with the whole fonts");
        }
    }

    /// What a document's pages may show: its data's characters, the
    /// templates' and `ALWAYS`.
    pub fn chars_of(&self, data: &[u8]) -> BTreeSet<char> {
        let mut set: BTreeSet<char> = String::from_utf8_lossy(data).chars().collect();
        set.extend(self.template_chars.iter().copied());
        set.extend(ALWAYS.chars());
        set.extend((0x20u8..0x7f).map(char::from));
        set
    }

    /// The hollow face of book entry `index` able to draw `chars`, made
    /// (again, with the characters it had) when missing or too small;
    /// `None` when the face cannot be hollowed (use the whole font).
    pub fn face(&self, index: usize, chars: &BTreeSet<char>) -> Option<Arc<Face>> {
        let slot = {
            let mut faces = self.faces.lock().unwrap_or_else(|e| e.into_inner());
            faces.entry(index).or_default().clone()
        };
        // Made outside the map's lock: other faces are made meanwhile.
        let face = slot.get_or_init(|| self.make(index, chars.clone()).map(Arc::new));
        match face {
            None => None,
            Some(face) if chars.is_subset(&face.chars) => Some(face.clone()),
            Some(old) => {
                let mut all = chars.clone();
                all.extend(old.chars.iter().copied());
                let made = self.make(index, all).map(Arc::new);
                let slot = Slot::new();
                let _ = slot.set(made.clone());
                let mut faces = self.faces.lock().unwrap_or_else(|e| e.into_inner());
                faces.insert(index, Arc::new(slot));
                made
            }
        }
    }

    /// Makes the faces of `groups` on threads of their own, a group each,
    /// while `work` runs on this one: the document's role faces are made
    /// on the other core while Typst reads the templates, and side by side.
    pub fn alongside<T>(
        &self,
        groups: &[Vec<usize>],
        chars: &BTreeSet<char>,
        work: impl FnOnce() -> T,
    ) -> T {
        std::thread::scope(|s| {
            for group in groups {
                s.spawn(move || {
                    for &i in group {
                        self.face(i, chars);
                    }
                });
            }
            work()
        })
    }

    fn make(&self, index: usize, chars: BTreeSet<char>) -> Option<Face> {
        let (path, face_index) = self.files.get(index)?;
        let (bytes, kept) = hollow_file(path, *face_index, |ttf| {
            let mut kept = vec![0u64; usize::from(ttf.number_of_glyphs()).div_ceil(64).max(1)];
            kept[0] |= 1; // .notdef
            for c in &chars {
                if let Some(g) = ttf.glyph_index(*c) {
                    if let Some(w) = kept.get_mut(usize::from(g.0) / 64) {
                        *w |= 1 << (g.0 % 64);
                    }
                }
            }
            substitutes(ttf, &mut kept);
            kept
        })?;
        let font = Font::new(Bytes::new(bytes), 0)?;
        Some(Face { font, chars, kept })
    }

    /// Whether every glyph a hollow face drew on the pages was kept.
    pub fn covers(doc: &PagedDocument, faces: &[Arc<Face>]) -> bool {
        fn walk(frame: &typst::layout::Frame, faces: &[Arc<Face>]) -> bool {
            frame.items().all(|(_, item)| match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, faces),
                typst::layout::FrameItem::Text(t) => {
                    let data = t.font.font().data().as_slice().as_ptr();
                    match faces
                        .iter()
                        .find(|f| f.font.data().as_slice().as_ptr() == data)
                    {
                        Some(face) => t.glyphs.iter().all(|g| face.keeps(g.id)),
                        None => true,
                    }
                }
                _ => true,
            })
        }
        doc.pages().iter().all(|p| walk(&p.frame, faces))
    }
}

/// A font file read only where a hollow face needs it: every table but
/// the outlines whole (`CFF ` read around its charstrings, `glyf` not at
/// all), then the kept glyphs' outlines, a run of neighbours at a time. A
/// few MB read this way cost less than touching the file through a memory
/// map (whose page faults were a fifth of a cold render, perf) or reading
/// 25 MB whole.
struct Reader {
    file: std::fs::File,
    len: usize,
}

/// The kept glyphs' outlines (charstrings or `glyf` descriptions), read
/// from the file.
#[derive(Default)]
struct Outlines {
    data: Vec<u8>,
    /// Glyph → its bytes in `data`.
    at: HashMap<usize, (usize, usize)>,
}

impl Outlines {
    fn get(&self, g: usize) -> Option<&[u8]> {
        let (a, n) = *self.at.get(&g)?;
        self.data.get(a..a + n)
    }
}

/// Where a face's outlines are, in the file.
enum Parts {
    Cff(CffParts),
    Glyf(GlyfParts),
}

/// A `glyf` table left in the file: where it starts and each glyph's
/// offset in it (from `loca`: one more than the glyphs, ascending, within
/// the table).
struct GlyfParts {
    file_offset: usize,
    offsets: Vec<usize>,
    /// `loca` is in the short format (offsets / 2 in 16 bits).
    short: bool,
}

/// A face's flavour, every table but its outlines, and where they are.
type FontParts = (u32, BTreeMap<[u8; 4], Vec<u8>>, Parts);

impl Reader {
    fn open(path: &std::path::Path) -> Option<Reader> {
        let file = std::fs::File::open(path).ok()?;
        let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
        Some(Reader { file, len })
    }

    fn read(&mut self, at: usize, len: usize) -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        if at.checked_add(len)? > self.len {
            return None;
        }
        let mut buf = vec![0; len];
        self.file.seek(SeekFrom::Start(at as u64)).ok()?;
        self.file.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    fn be(b: &[u8], at: usize, n: usize) -> Option<usize> {
        let b = b.get(at..at.checked_add(n)?)?;
        Some(b.iter().fold(0usize, |v, x| (v << 8) | usize::from(*x)))
    }

    /// Face `index`: its flavour, every table but the outlines (read
    /// whole) and where the outlines are. `None` for anything unexpected:
    /// both or neither of `CFF ` and `glyf`, TrueType outlines in a
    /// collection or with variations (`gvar`), a `loca` that does not fit.
    fn font(&mut self, index: u32) -> Option<FontParts> {
        let head = self.read(0, 12)?;
        let mut start = 0;
        let collection = head.get(0..4)? == b"ttcf";
        if collection {
            let count = Self::be(&head, 8, 4)?;
            let offsets = self.read(12, 4usize.checked_mul(count)?)?;
            start = Self::be(&offsets, 4 * index as usize, 4)?;
        } else if index != 0 {
            return None;
        }
        let dir = self.read(start, 12)?;
        let flavor = u32::try_from(Self::be(&dir, 0, 4)?).ok()?;
        let count = Self::be(&dir, 4, 2)?;
        let records = self.read(start + 12, 16 * count)?;
        let mut tables = BTreeMap::new();
        let (mut cff, mut glyf) = (None, None);
        for r in records.chunks(16) {
            let tag: [u8; 4] = r.get(0..4)?.try_into().ok()?;
            let (off, len) = (Self::be(r, 8, 4)?, Self::be(r, 12, 4)?);
            match &tag {
                b"CFF " => cff = Some((off, len)),
                b"glyf" => glyf = Some((off, len)),
                _ => {
                    tables.insert(tag, self.read(off, len)?);
                }
            }
        }
        let parts = match (cff, glyf) {
            (Some((off, len)), None) => Parts::Cff(self.cff(off, len)?),
            (None, Some((off, len))) if !collection && !tables.contains_key(b"gvar") => {
                let (offsets, short) = loca(&tables, len)?;
                Parts::Glyf(GlyfParts {
                    file_offset: off,
                    offsets,
                    short,
                })
            }
            _ => return None,
        };
        Some((flavor, tables, parts))
    }

    /// The `CFF ` table at `off` without its charstrings.
    fn cff(&mut self, off: usize, len: usize) -> Option<CffParts> {
        // Header, Name and Top DICT INDEX come first: enough to find the
        // CharStrings INDEX, then its offsets, then what follows its data.
        let first = self.read(off, len.min(65_536))?;
        let cs_at = {
            let names = read_index(&first, usize::from(*first.get(2)?))?;
            let top = read_index(&first, names.end)?;
            let dict = read_dict(top.item(&first, 0)?)?;
            let (_, ops) = dict.iter().find(|(o, _)| *o == CHARSTRINGS)?;
            usize::try_from(ops.first()?.value?).ok()?
        };
        let mut before = self.read(off, cs_at.checked_add(3)?.min(len))?;
        let n = Self::be(&before, cs_at, 2)?;
        let size = Self::be(&before, cs_at + 2, 1)?;
        before.extend(self.read(off + cs_at + 3, (n + 1) * size)?);
        let charstrings = read_index(&before, cs_at)?;
        let after = self.read(off + charstrings.end, len.checked_sub(charstrings.end)?)?;
        Some(CffParts {
            before,
            after,
            charstrings,
            file_offset: off,
        })
    }

    /// Reads into `out` the items `glyphs` (ascending) of outline data at
    /// `base` in the file, item `g` being `offsets[g]..offsets[g + 1]`
    /// (ascending offsets).
    fn outlines(
        &mut self,
        base: usize,
        offsets: &[usize],
        glyphs: &[usize],
        out: &mut Outlines,
    ) -> Option<()> {
        // Kept glyphs less than GAP bytes apart are read in one go: a
        // system call costs more than reading a few kilobytes more.
        const GAP: usize = 32 * 1024;
        let end = |g: usize| offsets.get(g + 1).copied();
        let mut i = 0;
        while i < glyphs.len() {
            let first = i;
            while i + 1 < glyphs.len()
                && offsets.get(glyphs[i + 1])?.saturating_sub(end(glyphs[i])?) <= GAP
            {
                i += 1;
            }
            let a = *offsets.get(glyphs[first])?;
            let b = end(glyphs[i])?;
            let run = self.read(base.checked_add(a)?, b.checked_sub(a)?)?;
            let at = out.data.len();
            out.data.extend(run);
            for &g in &glyphs[first..=i] {
                let start = *offsets.get(g)?;
                let len = end(g)?.checked_sub(start)?;
                out.at.insert(g, (at + start.checked_sub(a)?, len));
            }
            i += 1;
        }
        Some(())
    }
}

/// The glyph offsets in a `glyf` table of `glyf_len` bytes, from `loca`
/// (in the format `head` says, as many as `maxp` says) and whether it is
/// the short format. `None` unless ascending and within the table.
fn loca(tables: &BTreeMap<[u8; 4], Vec<u8>>, glyf_len: usize) -> Option<(Vec<usize>, bool)> {
    let short = match Reader::be(tables.get(b"head")?, 50, 2)? {
        0 => true,
        1 => false,
        _ => return None,
    };
    let glyphs = Reader::be(tables.get(b"maxp")?, 4, 2)?;
    let loca = tables.get(b"loca")?;
    let size = if short { 2 } else { 4 };
    let offsets = (0..=glyphs)
        .map(|g| Reader::be(loca, g * size, size).map(|o| if short { o * 2 } else { o }))
        .collect::<Option<Vec<usize>>>()?;
    if offsets.windows(2).any(|w| w[0] > w[1]) || *offsets.last()? > glyf_len {
        return None;
    }
    Some((offsets, short))
}

/// Adds to `kept` every glyph a substitution of the font's GSUB can put in
/// place of kept ones (ligatures such as “——” joined, alternates,
/// localised forms), whatever the feature: more than shaping will use, so
/// a layout again with the whole fonts stays rare.
fn substitutes(ttf: &ttf_parser::Face, kept: &mut [u64]) {
    use ttf_parser::gsub::{SingleSubstitution, SubstitutionSubtable};
    use ttf_parser::GlyphId;
    let Some(gsub) = ttf.tables().gsub else {
        return;
    };
    // Substitutions of substitutions are few steps deep.
    for _ in 0..4 {
        let glyphs: Vec<u16> = (0..kept.len() * 64)
            .filter(|&g| g <= usize::from(u16::MAX) && has(kept, g))
            .map(|g| g as u16)
            .collect();
        let mut new = Vec::new();
        for lookup in gsub.lookups {
            for sub in lookup.subtables.into_iter::<SubstitutionSubtable>() {
                for &g in &glyphs {
                    let id = GlyphId(g);
                    match &sub {
                        SubstitutionSubtable::Single(SingleSubstitution::Format1 {
                            coverage,
                            delta,
                        }) if coverage.contains(id) => {
                            new.push((i32::from(g) + i32::from(*delta)) as u16);
                        }
                        SubstitutionSubtable::Single(SingleSubstitution::Format2 {
                            coverage,
                            substitutes,
                        }) => {
                            if let Some(s) = coverage.get(id).and_then(|i| substitutes.get(i)) {
                                new.push(s.0);
                            }
                        }
                        SubstitutionSubtable::Multiple(m) => {
                            if let Some(seq) = m.coverage.get(id).and_then(|i| m.sequences.get(i)) {
                                new.extend(seq.substitutes.into_iter().map(|s| s.0));
                            }
                        }
                        SubstitutionSubtable::Alternate(a) => {
                            if let Some(set) =
                                a.coverage.get(id).and_then(|i| a.alternate_sets.get(i))
                            {
                                new.extend(set.alternates.into_iter().map(|s| s.0));
                            }
                        }
                        SubstitutionSubtable::Ligature(l) => {
                            if let Some(set) =
                                l.coverage.get(id).and_then(|i| l.ligature_sets.get(i))
                            {
                                for lig in set {
                                    if lig
                                        .components
                                        .into_iter()
                                        .all(|c| has(kept, usize::from(c.0)))
                                    {
                                        new.push(lig.glyph.0);
                                    }
                                }
                            }
                        }
                        SubstitutionSubtable::ReverseChainSingle(r) => {
                            if let Some(s) = r.coverage.get(id).and_then(|i| r.substitutes.get(i)) {
                                new.push(s.0);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut added = false;
        for g in new {
            if let Some(w) = kept.get_mut(usize::from(g) / 64) {
                added |= *w & (1 << (g % 64)) == 0;
                *w |= 1 << (g % 64);
            }
        }
        if !added {
            break;
        }
    }
}

/// The hollow font of face `index` of the file at `path`: `choose` gives
/// the glyphs to keep (one bit each) from the face's cmap and GSUB. The
/// font keeps every table and every glyph id; the outlines of glyphs not
/// kept are left empty (an `endchar` charstring, a zero-length `glyf`
/// entry). The kept glyphs are returned with the components of kept
/// composite glyphs added.
fn hollow_file(
    path: &std::path::Path,
    index: u32,
    choose: impl FnOnce(&ttf_parser::Face) -> Vec<u64>,
) -> Option<(Vec<u8>, Vec<u64>)> {
    let mut file = Reader::open(path)?;
    let (flavor, mut tables, parts) = file.font(index)?;
    // Glyph ids and substitutions come from the tables other than the
    // outlines, read whole.
    let table = |tag: &[u8; 4]| tables.get(tag).map(Vec::as_slice);
    let ttf = ttf_parser::Face::from_raw_tables(ttf_parser::RawFaceTables {
        head: table(b"head")?,
        hhea: table(b"hhea")?,
        maxp: table(b"maxp")?,
        cmap: table(b"cmap"),
        gsub: table(b"GSUB"),
        ..Default::default()
    })
    .ok()?;
    let mut kept = choose(&ttf);
    match parts {
        Parts::Cff(parts) => {
            let keep = |g: usize| has(&kept, g);
            let glyphs: Vec<usize> = (0..parts.charstrings.offsets.len() - 1)
                .filter(|&g| keep(g))
                .collect();
            let mut outlines = Outlines::default();
            let base = parts.file_offset.checked_add(parts.charstrings.data_at)?;
            file.outlines(base, &parts.charstrings.offsets, &glyphs, &mut outlines)?;
            let cff = hollow_cff_table(&parts, &|g| outlines.get(g), &keep)?;
            tables.insert(*b"CFF ", cff);
        }
        Parts::Glyf(parts) => {
            let outlines = glyf_outlines(&mut file, &parts, &mut kept)?;
            let (glyf, loca, long) = hollow_glyf(&parts, &|g| outlines.get(g), &|g| has(&kept, g))?;
            if long {
                tables
                    .get_mut(b"head")?
                    .get_mut(50..52)?
                    .copy_from_slice(&1u16.to_be_bytes());
            }
            tables.insert(*b"glyf", glyf);
            tables.insert(*b"loca", loca);
        }
    }
    Some((sfnt::build(flavor, &tables), kept))
}

/// Whether glyph `g` has its bit in `bits`.
fn has(bits: &[u64], g: usize) -> bool {
    bits.get(g / 64).is_some_and(|w| w & (1 << (g % 64)) != 0)
}

/// Reads the `glyf` descriptions of the glyphs kept, adding to `kept` the
/// glyphs kept composite glyphs are made of (and theirs, up to `DEPTH`
/// levels): an outline drawn from an emptied component would lose parts.
/// `None` when components still nest deeper than that.
fn glyf_outlines(file: &mut Reader, parts: &GlyfParts, kept: &mut Vec<u64>) -> Option<Outlines> {
    /// Nesting levels followed; ttf-parser draws no deeper than 32 either.
    const DEPTH: usize = 32;
    let glyphs = parts.offsets.len() - 1;
    if kept.len() < glyphs.div_ceil(64) {
        kept.resize(glyphs.div_ceil(64), 0);
    }
    let mut out = Outlines::default();
    let mut todo: Vec<usize> = (0..glyphs).filter(|&g| has(kept, g)).collect();
    for _ in 0..DEPTH {
        if todo.is_empty() {
            return Some(out);
        }
        file.outlines(parts.file_offset, &parts.offsets, &todo, &mut out)?;
        let mut next = BTreeSet::new();
        for &g in &todo {
            for c in components(out.get(g)?).map(usize::from) {
                if c < glyphs && !has(kept, c) {
                    kept[c / 64] |= 1 << (c % 64);
                    next.insert(c);
                }
            }
        }
        todo = next.into_iter().collect();
    }
    todo.is_empty().then_some(out)
}

/// The glyph ids a composite `glyf` description is made of (none for a
/// simple glyph; as many as parse for a malformed one).
fn components(glyph: &[u8]) -> impl Iterator<Item = u16> + '_ {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const X_AND_Y_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let be16 = |at: usize| {
        glyph
            .get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    // A negative number of contours marks a composite glyph; its
    // components follow the 10-byte header.
    let composite = be16(0).is_some_and(|n| (n as i16) < 0);
    let mut at = composite.then_some(10);
    std::iter::from_fn(move || {
        let here = at?;
        let (flags, id) = (be16(here)?, be16(here + 2)?);
        let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let transform = if flags & SCALE != 0 {
            2
        } else if flags & X_AND_Y_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        at = (flags & MORE != 0).then_some(here + 4 + args + transform);
        Some(id)
    })
}

/// The `glyf` and `loca` tables of `parts` with the glyphs not kept left
/// empty (zero length) and the kept ones copied as they are, with the
/// padding the font gave them: its alignment (4 bytes, 2 or none) holds
/// for the copy too, and a PDF subset of a kept glyph is byte for byte the
/// whole font's. `glyph` gives a kept glyph's bytes. `loca` is in the
/// original format when the offsets fit, else long (the bool is then true:
/// `head` must say so).
fn hollow_glyf<'g>(
    parts: &GlyfParts,
    glyph: &dyn Fn(usize) -> Option<&'g [u8]>,
    keep: &dyn Fn(usize) -> bool,
) -> Option<(Vec<u8>, Vec<u8>, bool)> {
    let glyphs = parts.offsets.len() - 1;
    let mut glyf = Vec::new();
    let mut offsets = Vec::with_capacity(glyphs + 1);
    for g in 0..glyphs {
        offsets.push(glyf.len());
        if keep(g) {
            glyf.extend_from_slice(glyph(g)?);
        }
    }
    offsets.push(glyf.len());
    // The short format holds even offsets up to 128 KiB, halved.
    let short = parts.short && offsets.iter().all(|o| o % 2 == 0 && o / 2 <= 0xffff);
    let mut loca = Vec::with_capacity(offsets.len() * if short { 2 } else { 4 });
    for o in offsets {
        if short {
            loca.extend_from_slice(&u16::try_from(o / 2).ok()?.to_be_bytes());
        } else {
            loca.extend_from_slice(&u32::try_from(o).ok()?.to_be_bytes());
        }
    }
    Some((glyf, loca, !short))
}

/// A CFF table without its charstrings' data: the bytes before it (header,
/// dictionaries, global subroutines, the CharStrings offsets …) and after
/// it (Font DICTs, Private DICTs, local subroutines …), positions being the
/// table's own.
struct CffParts {
    before: Vec<u8>,
    after: Vec<u8>,
    charstrings: Index,
    /// Where the CFF table starts in its font file.
    file_offset: usize,
}

impl CffParts {
    /// The table's bytes from `at` on, within the part that holds `at`.
    fn from(&self, at: usize) -> Option<&[u8]> {
        if at < self.before.len() {
            self.before.get(at..)
        } else {
            self.after.get(at.checked_sub(self.charstrings.end)?..)
        }
    }
}

/// A CFF INDEX: where it starts, where its data starts, its end, and the
/// offsets of its items (relative to the data start).
struct Index {
    data_at: usize,
    end: usize,
    offsets: Vec<usize>,
    /// Bytes per offset.
    size: usize,
}

fn read_index(b: &[u8], at: usize) -> Option<Index> {
    let count = usize::from(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?));
    if count == 0 {
        return Some(Index {
            data_at: at + 2,
            end: at + 2,
            offsets: vec![0],
            size: 0,
        });
    }
    let size = usize::from(*b.get(at + 2)?);
    if !(1..=4).contains(&size) {
        return None;
    }
    let mut offsets = Vec::with_capacity(count + 1);
    for i in 0..=count {
        let p = at + 3 + i * size;
        let raw = b.get(p..p + size)?;
        let v = raw.iter().fold(0usize, |v, x| (v << 8) | usize::from(*x));
        offsets.push(v.checked_sub(1)?);
    }
    let data_at = at + 3 + (count + 1) * size;
    let end = data_at + *offsets.last()?;
    // The data itself need not be in `b` (a table read without its
    // charstrings); items are read with `get`.
    if offsets.windows(2).any(|w| w[0] > w[1]) {
        return None;
    }
    Some(Index {
        data_at,
        end,
        offsets,
        size,
    })
}

impl Index {
    fn item<'a>(&self, b: &'a [u8], i: usize) -> Option<&'a [u8]> {
        b.get(self.data_at + self.offsets.get(i)?..self.data_at + self.offsets.get(i + 1)?)
    }
}

/// One operand of a DICT: its integer value (reals are `None`) and where
/// its bytes are (relative to the DICT).
struct Operand {
    value: Option<i64>,
    at: usize,
    len: usize,
}

/// A DICT's operators (12 x as 1200 + x) with their operands.
fn read_dict(d: &[u8]) -> Option<Vec<(u16, Vec<Operand>)>> {
    let mut out = Vec::new();
    let mut ops = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let b0 = d[i];
        match b0 {
            0..=11 | 13..=21 => {
                out.push((u16::from(b0), std::mem::take(&mut ops)));
                i += 1;
            }
            12 => {
                out.push((1200 + u16::from(*d.get(i + 1)?), std::mem::take(&mut ops)));
                i += 2;
            }
            28 => {
                let v = i16::from_be_bytes(d.get(i + 1..i + 3)?.try_into().ok()?);
                ops.push(Operand {
                    value: Some(i64::from(v)),
                    at: i,
                    len: 3,
                });
                i += 3;
            }
            29 => {
                let v = i32::from_be_bytes(d.get(i + 1..i + 5)?.try_into().ok()?);
                ops.push(Operand {
                    value: Some(i64::from(v)),
                    at: i,
                    len: 5,
                });
                i += 5;
            }
            30 => {
                let start = i;
                i += 1;
                loop {
                    let b = *d.get(i)?;
                    i += 1;
                    if b >> 4 == 0xf || b & 0xf == 0xf {
                        break;
                    }
                }
                ops.push(Operand {
                    value: None,
                    at: start,
                    len: i - start,
                });
            }
            32..=246 => {
                ops.push(Operand {
                    value: Some(i64::from(b0) - 139),
                    at: i,
                    len: 1,
                });
                i += 1;
            }
            247..=250 => {
                let b1 = i64::from(*d.get(i + 1)?);
                ops.push(Operand {
                    value: Some((i64::from(b0) - 247) * 256 + b1 + 108),
                    at: i,
                    len: 2,
                });
                i += 2;
            }
            251..=254 => {
                let b1 = i64::from(*d.get(i + 1)?);
                ops.push(Operand {
                    value: Some(-(i64::from(b0) - 251) * 256 - b1 - 108),
                    at: i,
                    len: 2,
                });
                i += 2;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `v` encoded as a DICT integer of exactly `len` bytes.
fn encode(v: i64, len: usize) -> Option<Vec<u8>> {
    match len {
        1 if (-107..=107).contains(&v) => Some(vec![(v + 139) as u8]),
        2 if (108..=1131).contains(&v) => {
            let w = v - 108;
            Some(vec![(w / 256 + 247) as u8, (w % 256) as u8])
        }
        2 if (-1131..=-108).contains(&v) => {
            let w = -v - 108;
            Some(vec![(w / 256 + 251) as u8, (w % 256) as u8])
        }
        3 => {
            let v = i16::try_from(v).ok()?;
            let mut out = vec![28];
            out.extend_from_slice(&v.to_be_bytes());
            Some(out)
        }
        5 => {
            let v = i32::try_from(v).ok()?;
            let mut out = vec![29];
            out.extend_from_slice(&v.to_be_bytes());
            Some(out)
        }
        _ => None,
    }
}

const CHARSET: u16 = 15;
const ENCODING: u16 = 16;
const CHARSTRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const FD_ARRAY: u16 = 1236;
const FD_SELECT: u16 = 1237;

/// The CFF table of `parts` with the charstrings of glyphs not kept
/// replaced by an empty one (`endchar`); `glyph` gives a kept glyph's
/// charstring. The blocks after the CharStrings INDEX move up, and the
/// offsets pointing to them (Top DICT, each Font DICT's Private) are
/// written again in the same number of bytes. Anything unexpected gives
/// `None`.
fn hollow_cff_table<'g>(
    parts: &CffParts,
    glyph: &dyn Fn(usize) -> Option<&'g [u8]>,
    keep: &dyn Fn(usize) -> bool,
) -> Option<Vec<u8>> {
    let cff = &parts.before;
    if *cff.first()? != 1 {
        return None; // CFF2 and others: used whole
    }
    let header = usize::from(*cff.get(2)?);
    let names = read_index(cff, header)?;
    let top_index = read_index(cff, names.end)?;
    if top_index.offsets.len() != 2 {
        return None; // one font per CFF table in OpenType
    }
    let top_at = top_index.data_at;
    let top = read_dict(top_index.item(cff, 0)?)?;
    let charstrings = &parts.charstrings;
    if charstrings.size == 0 {
        return None; // no glyphs
    }
    let start = charstrings.data_at - 3 - charstrings.offsets.len() * charstrings.size;
    let end = charstrings.end;

    // The new CharStrings INDEX.
    let count = charstrings.offsets.len() - 1;
    let mut data = Vec::new();
    let mut offsets = Vec::with_capacity(count + 1);
    for g in 0..count {
        offsets.push(data.len() + 1);
        if keep(g) {
            data.extend_from_slice(glyph(g)?);
        } else {
            data.push(14); // endchar
        }
    }
    offsets.push(data.len() + 1);
    let size = match data.len() + 1 {
        n if n <= 0xff => 1,
        n if n <= 0xffff => 2,
        n if n <= 0xff_ffff => 3,
        _ => 4,
    };
    let mut index = Vec::with_capacity(3 + offsets.len() * size + data.len());
    index.extend_from_slice(&u16::try_from(count).ok()?.to_be_bytes());
    index.push(size as u8);
    for o in offsets {
        index.extend_from_slice(&(o as u32).to_be_bytes()[4 - size..]);
    }
    index.extend_from_slice(&data);
    let delta = (end - start).checked_sub(index.len())?;

    let mut out = Vec::with_capacity(start + index.len() + parts.after.len());
    out.extend_from_slice(cff.get(..start)?);
    out.extend_from_slice(&index);
    out.extend_from_slice(&parts.after);

    // Where an old position is in the new table; inside the old
    // CharStrings (other than its start) is not expected.
    let moved = |old: usize| -> Option<usize> {
        if old <= start {
            Some(old)
        } else if old >= end {
            Some(old - delta)
        } else {
            None
        }
    };
    // Rewrites an offset operand of a DICT that now starts at `dict_at`.
    let patch = |out: &mut Vec<u8>, dict_at: usize, op: &Operand| -> Option<usize> {
        let old = usize::try_from(op.value?).ok()?;
        let new = moved(old)?;
        let bytes = encode(new as i64, op.len)?;
        out.get_mut(dict_at + op.at..dict_at + op.at + op.len)?
            .copy_from_slice(&bytes);
        Some(old)
    };
    if top_at + top_index.offsets[1] > start {
        return None; // Top DICT after the CharStrings: not seen in fonts
    }
    let private_fits = |old_private: usize, size: usize| -> Option<()> {
        // Local Subrs are found relative to the Private DICT: both must be
        // on the same side of the CharStrings.
        let private = read_dict(parts.from(old_private)?.get(..size)?)?;
        if let Some((_, ops)) = private.iter().find(|(o, _)| *o == SUBRS) {
            let subrs = old_private + usize::try_from(ops.first()?.value?).ok()?;
            if (old_private < start) != (subrs < start) {
                return None;
            }
        }
        Some(())
    };
    for (op, operands) in &top {
        match *op {
            CHARSET | ENCODING | FD_SELECT if operands.first()?.value? > 2 => {
                patch(&mut out, top_at, operands.first()?)?;
            }
            PRIVATE => {
                let size = usize::try_from(operands.first()?.value?).ok()?;
                let old = patch(&mut out, top_at, operands.get(1)?)?;
                private_fits(old, size)?;
            }
            FD_ARRAY => {
                let old = patch(&mut out, top_at, operands.first()?)?;
                let from = parts.from(old)?;
                let fds = read_index(from, 0)?;
                let new_at = moved(old)?;
                for i in 0..fds.offsets.len() - 1 {
                    let dict = read_dict(fds.item(from, i)?)?;
                    let dict_new_at = new_at + fds.data_at + fds.offsets[i];
                    if let Some((_, ops)) = dict.iter().find(|(o, _)| *o == PRIVATE) {
                        let size = usize::try_from(ops.first()?.value?).ok()?;
                        let old_private = patch(&mut out, dict_new_at, ops.get(1)?)?;
                        private_fits(old_private, size)?;
                    }
                }
            }
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fonts")
                .join(name),
        )
        .expect("bundled font")
    }

    #[test]
    fn dict_integers_are_written_back_in_the_same_length() {
        for (v, len) in [
            (0, 1),
            (-107, 1),
            (500, 2),
            (-500, 2),
            (30000, 3),
            (9_000_000, 5),
        ] {
            let bytes = encode(v, len).unwrap();
            assert_eq!(bytes.len(), len);
            let dict = read_dict(&[bytes.as_slice(), &[17]].concat()).unwrap();
            assert_eq!(dict[0].1[0].value, Some(v), "{v}");
        }
        assert!(encode(50, 2).is_none());
    }

    /// Every bundled face, CFF or TrueType, hollows: kept glyphs have
    /// their outline, others none, and metrics and layout tables are
    /// untouched.
    #[test]
    fn hollow_faces_keep_the_kept_outlines_and_everything_else() {
        for name in [
            "FandolFang-Regular.ttf",
            "FandolHei-Regular.ttf",
            "FandolKai-Regular.ttf",
            "FandolSong-Regular.ttf",
            "LXGWWenKai-Regular.ttf",
            "NotoSerifCJKsc-Bold.otf",
            "NotoSerifCJKsc-Regular.otf",
            "NotoSansCJKsc-Regular.otf",
        ] {
            let data = bundled(name);
            let full = ttf_parser::Face::parse(&data, 0).unwrap();
            let kept: BTreeSet<u16> = "通知，关于2019年“零事故”A"
                .chars()
                .filter_map(|c| full.glyph_index(c).map(|g| g.0))
                .chain([0])
                .collect();
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fonts")
                .join(name);
            let (out, _) = hollow_file(&path, 0, |ttf| {
                let mut bits = vec![0u64; usize::from(ttf.number_of_glyphs()).div_ceil(64)];
                for g in &kept {
                    bits[usize::from(*g) / 64] |= 1 << (g % 64);
                }
                bits
            })
            .expect(name);
            assert!(
                out.len() * 5 < data.len(),
                "{name}: {} of {}",
                out.len(),
                data.len()
            );
            let hollow = ttf_parser::Face::parse(&out, 0).unwrap();
            assert_eq!(hollow.number_of_glyphs(), full.number_of_glyphs());
            let mut sink = Sink(0);
            for g in 0..full.number_of_glyphs() {
                let id = ttf_parser::GlyphId(g);
                assert_eq!(hollow.glyph_hor_advance(id), full.glyph_hor_advance(id));
                let a = full.outline_glyph(id, &mut Sink(0));
                let b = hollow.outline_glyph(id, &mut sink);
                if kept.contains(&g) {
                    assert_eq!(a, b, "{name} glyph {g}");
                    assert!(g == 0 || b.is_some(), "{name} glyph {g} has no outline");
                } else {
                    assert!(b.is_none(), "{name} glyph {g} was not emptied");
                }
            }
            for tag in [b"cmap", b"GSUB", b"GPOS", b"hmtx", b"OS/2", b"name"] {
                let t = ttf_parser::Tag::from_bytes(tag);
                assert_eq!(
                    hollow.raw_face().table(t),
                    full.raw_face().table(t),
                    "{name}"
                );
            }
            let font = Font::new(Bytes::new(out), 0).expect("Typst reads the hollow font");
            assert_eq!(
                font.info().family,
                Font::new(Bytes::new(data), 0).unwrap().info().family
            );
        }
    }

    fn test_font(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fonts")
            .join(name)
    }

    /// Bits for `glyphs`, as `Hollow::make` gives them.
    fn bits(ttf: &ttf_parser::Face, glyphs: &[u16]) -> Vec<u64> {
        let mut bits = vec![0u64; usize::from(ttf.number_of_glyphs()).div_ceil(64)];
        for g in glyphs {
            bits[usize::from(*g) / 64] |= 1 << (g % 64);
        }
        bits
    }

    /// Each glyph's bytes in the `glyf` table of `font`.
    fn glyf_entries(font: &[u8]) -> Vec<Vec<u8>> {
        let (_, tables) = sfnt::tables(font, 0).unwrap();
        let owned: BTreeMap<[u8; 4], Vec<u8>> =
            tables.iter().map(|(t, d)| (*t, d.to_vec())).collect();
        let glyf = tables[b"glyf"];
        let (offsets, _) = loca(&owned, glyf.len()).unwrap();
        offsets
            .windows(2)
            .map(|w| glyf[w[0]..w[1]].to_vec())
            .collect()
    }

    /// Keeping a composite glyph keeps the glyphs it is made of, two levels
    /// deep, byte for byte; the glyph no kept one uses is emptied, and the
    /// short `loca` stays short.
    #[test]
    fn hollow_truetype_keeps_the_components_of_kept_composites() {
        let path = test_font("composite.ttf");
        let data = std::fs::read(&path).unwrap();
        let full = ttf_parser::Face::parse(&data, 0).unwrap();
        let id = |c| full.glyph_index(c).unwrap().0;
        let (a, b, c, d, e) = (id('A'), id('B'), id('C'), id('D'), id('E'));
        let (out, kept) = hollow_file(&path, 0, |ttf| bits(ttf, &[0, d])).unwrap();
        let hollow = ttf_parser::Face::parse(&out, 0).unwrap();
        for g in [0, a, b, c, d] {
            assert!(has(&kept, usize::from(g)), "glyph {g} kept");
        }
        assert!(!has(&kept, usize::from(e)));
        let (before, after) = (glyf_entries(&data), glyf_entries(&out));
        for g in [0, a, b, c, d] {
            let g = usize::from(g);
            assert_eq!(after[g], before[g], "glyph {g} copied as it was");
            let id = ttf_parser::GlyphId(g as u16);
            let (mut x, mut y) = (Sink(0), Sink(0));
            assert_eq!(
                full.outline_glyph(id, &mut x),
                hollow.outline_glyph(id, &mut y)
            );
            assert_eq!(x.0, y.0, "glyph {g} drawn the same");
            assert!(y.0 > 0, "glyph {g} drawn");
        }
        assert!(after[usize::from(e)].is_empty());
        assert!(hollow
            .outline_glyph(ttf_parser::GlyphId(e), &mut Sink(0))
            .is_none());
        assert_eq!(
            hollow.tables().head.index_to_location_format,
            full.tables().head.index_to_location_format
        );
        for g in 0..full.number_of_glyphs() {
            let id = ttf_parser::GlyphId(g);
            assert_eq!(hollow.glyph_hor_advance(id), full.glyph_hor_advance(id));
            assert_eq!(
                hollow.glyph_hor_side_bearing(id),
                full.glyph_hor_side_bearing(id)
            );
        }
        Font::new(Bytes::new(out), 0).expect("Typst reads the hollow font");
    }

    /// `loca` stays short when the kept glyphs fit its even offsets up to
    /// 128 KiB, and goes long (`head` then says so) when they do not.
    #[test]
    fn loca_goes_long_only_when_short_offsets_cannot_hold_the_glyphs() {
        let parts = GlyfParts {
            file_offset: 0,
            offsets: vec![0, 65_534, 131_068, 131_068],
            short: true,
        };
        let glyph = vec![7u8; 65_534];
        let (glyf, loca, long) = hollow_glyf(&parts, &|_| Some(&glyph[..]), &|g| g != 0).unwrap();
        assert!(!long);
        assert_eq!(glyf.len(), 131_068);
        assert_eq!(
            loca,
            [0u16, 0, 32_767, 65_534].map(u16::to_be_bytes).concat()
        );
        // Bigger than the originals (not from a valid font), or odd.
        for len in [65_536, 65_535] {
            let glyph = vec![7u8; len];
            let (glyf, loca, long) =
                hollow_glyf(&parts, &|_| Some(&glyph[..]), &|g| g < 2).unwrap();
            assert!(long, "{len}");
            assert_eq!(glyf.len(), 2 * len);
            let n = len as u32;
            assert_eq!(loca, [0, n, 2 * n, 2 * n].map(u32::to_be_bytes).concat());
        }
    }

    /// Fonts that are not as expected are used whole (`None`), never a
    /// panic: a TrueType collection, a bad `loca`, any byte changed.
    #[test]
    fn odd_truetype_fonts_are_used_whole() {
        let data = std::fs::read(test_font("composite.ttf")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("font.ttf");
        let hollow = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            hollow_file(&path, 0, |ttf| bits(ttf, &[0, 4])).map(|(f, _)| f)
        };
        assert!(hollow(&data).is_some());

        // The same font as the only face of a collection.
        let mut ttc = b"ttcf\0\x01\0\0\0\0\0\x01\0\0\0\x0c".to_vec();
        ttc.extend_from_slice(&data);
        let tables = usize::from(u16::from_be_bytes([data[4], data[5]]));
        for i in 0..tables {
            let at = 16 + 12 + 16 * i + 8;
            let off = u32::from_be_bytes(ttc[at..at + 4].try_into().unwrap()) + 16;
            ttc[at..at + 4].copy_from_slice(&off.to_be_bytes());
        }
        ttc[12..16].copy_from_slice(&16u32.to_be_bytes());
        assert!(ttf_parser::Face::parse(&ttc, 0).is_ok());
        assert!(hollow(&ttc).is_none(), "collection");

        let (_, tables) = sfnt::tables(&data, 0).unwrap();
        let mut owned: BTreeMap<[u8; 4], Vec<u8>> =
            tables.iter().map(|(t, d)| (*t, d.to_vec())).collect();
        let with = |tag: &[u8; 4], edit: &dyn Fn(&mut Vec<u8>)| {
            let mut t = owned.clone();
            edit(t.get_mut(tag).unwrap());
            sfnt::build(0x0001_0000, &t)
        };
        // Offsets going back, past the table's end, an unknown format.
        assert!(hollow(&with(b"loca", &|l| l[4..6].copy_from_slice(&[0, 1]))).is_none());
        assert!(hollow(&with(b"loca", &|l| l[12..14].copy_from_slice(&[0x7f, 0]))).is_none());
        assert!(hollow(&with(b"loca", &|l| l.truncate(6))).is_none());
        assert!(hollow(&with(b"head", &|h| h[51] = 2)).is_none());
        owned.insert(*b"gvar", vec![0; 20]);
        assert!(hollow(&sfnt::build(0x0001_0000, &owned)).is_none(), "gvar");

        // Every byte changed, and the file cut short anywhere.
        for at in 0..data.len() {
            let mut bad = data.clone();
            bad[at] ^= 0xa5;
            let _ = hollow(&bad);
            let _ = hollow(&data[..at]);
        }
    }

    struct Sink(usize);
    impl ttf_parser::OutlineBuilder for Sink {
        fn move_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn line_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn close(&mut self) {}
    }
}
