//! Embedded font subsets for OFD.
//!
//! An OFD reader maps each character of a `TextCode` to a glyph through the
//! embedded font's own `cmap` (GB/T 33190-2016 §11.1; a `CGTransform` is
//! needed only where a character is drawn with another glyph than the one
//! its `cmap` gives). The `subsetter` crate — the one typst-pdf uses, at the
//! same version — keeps only the glyphs used but leaves out `cmap` and
//! `OS/2` (a PDF carries its own character maps); here the subset gets them
//! back: a `cmap` built from the characters actually drawn, and the
//! original `OS/2` (browsers' font sanitisers, used by web OFD readers,
//! refuse a font without it).

use std::collections::BTreeMap;

use subsetter::GlyphRemapper;

use crate::typeset::sfnt::add_tables;

/// One font face of the document and what the pages drew with it.
pub struct FontUse {
    pub font: typst::text::Font,
    /// Every glyph drawn (original ids), in first-use order.
    glyphs: Vec<u16>,
    /// The glyph each character is drawn with most often: its `cmap` entry.
    /// Character → (original glyph, times).
    chars: BTreeMap<char, BTreeMap<u16, usize>>,
}

/// A font subset ready to embed.
pub struct Subset {
    pub bytes: Vec<u8>,
    /// `otf` (CFF outlines) or `ttf`.
    pub ext: &'static str,
    remapper: GlyphRemapper,
    cmap: BTreeMap<char, u16>,
}

impl FontUse {
    pub fn new(font: typst::text::Font) -> FontUse {
        FontUse {
            font,
            glyphs: Vec::new(),
            chars: BTreeMap::new(),
        }
    }

    /// Records a glyph drawn; `text` is the characters it stands for when
    /// it stands for exactly one.
    pub fn note(&mut self, glyph: u16, text: Option<char>) {
        self.glyphs.push(glyph);
        if let Some(c) = text {
            *self.chars.entry(c).or_default().entry(glyph).or_default() += 1;
        }
    }

    /// Subsets the font to the glyphs drawn. New glyph ids follow the
    /// characters' order, so the `cmap` is made of few long runs.
    pub fn subset(&self) -> Result<Subset, String> {
        let mut cmap_old = BTreeMap::new();
        for (c, uses) in &self.chars {
            // The most used glyph (the lowest id on a tie: deterministic).
            if let Some((g, _)) = uses.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                cmap_old.insert(*c, *g);
            }
        }
        let mut remapper = GlyphRemapper::new();
        for g in cmap_old.values() {
            remapper.remap(*g);
        }
        for g in &self.glyphs {
            remapper.remap(*g);
        }
        let data = self.font.data().as_slice();
        let index = self.font.index();
        let sub = subsetter::subset(data, index, &remapper).map_err(|e| e.to_string())?;
        let cmap: BTreeMap<char, u16> = cmap_old
            .iter()
            .filter_map(|(c, g)| Some((*c, remapper.get(*g)?)))
            .collect();
        let face = ttf_parser::RawFace::parse(data, index).map_err(|e| e.to_string())?;
        let mut extra = vec![(*b"cmap", cmap_table(&cmap))];
        if let Some(os2) = face.table(ttf_parser::Tag::from_bytes(b"OS/2")) {
            extra.push((*b"OS/2", os2.to_vec()));
        }
        let cff = face.table(ttf_parser::Tag::from_bytes(b"CFF ")).is_some();
        Ok(Subset {
            bytes: add_tables(&sub, extra).ok_or("子集字体结构不对")?,
            ext: if cff { "otf" } else { "ttf" },
            remapper,
            cmap,
        })
    }
}

impl Subset {
    /// The glyph's id in the subset.
    pub fn glyph(&self, original: u16) -> u16 {
        self.remapper.get(original).unwrap_or(0)
    }

    /// Whether a reader drawing `c` through the `cmap` draws `original`.
    pub fn mapped(&self, c: char, original: u16) -> bool {
        self.cmap.get(&c) == Some(&self.glyph(original))
    }
}

/// A `cmap` with a format 4 subtable (Windows, BMP) and, when a character
/// lies beyond the BMP or format 4 would overflow, a format 12 subtable.
fn cmap_table(map: &BTreeMap<char, u16>) -> Vec<u8> {
    // Runs of consecutive characters with consecutive glyphs:
    // (first character, last character, glyph of the first).
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for (c, g) in map {
        let c = *c as u32;
        match runs.last_mut() {
            Some((first, last, g0))
                if *last + 1 == c && u32::from(*g0) + (c - *first) == u32::from(*g) =>
            {
                *last = c
            }
            _ => runs.push((c, c, *g)),
        }
    }
    let bmp: Vec<&(u32, u32, u16)> = runs.iter().filter(|r| r.1 <= 0xFFFE).collect();
    let wide = runs.iter().any(|r| r.1 > 0xFFFE);
    let seg_count = bmp.len() + 1;
    let f4_len = 16 + seg_count * 8;
    let with_f4 = f4_len <= 0xFFFF;
    let mut subtables: Vec<((u16, u16), Vec<u8>)> = Vec::new();
    if with_f4 {
        let mut t = Vec::with_capacity(f4_len);
        let seg2 = (seg_count * 2) as u16;
        let sel = (seg_count as f64).log2().floor() as u16;
        let range = 2 * (1u16 << sel);
        for v in [4u16, f4_len as u16, 0, seg2, range, sel, seg2 - range] {
            t.extend_from_slice(&v.to_be_bytes());
        }
        for r in &bmp {
            t.extend_from_slice(&(r.1 as u16).to_be_bytes());
        }
        t.extend_from_slice(&0xFFFFu16.to_be_bytes());
        t.extend_from_slice(&0u16.to_be_bytes()); // reservedPad
        for r in &bmp {
            t.extend_from_slice(&(r.0 as u16).to_be_bytes());
        }
        t.extend_from_slice(&0xFFFFu16.to_be_bytes());
        for r in &bmp {
            let delta = r.2.wrapping_sub(r.0 as u16);
            t.extend_from_slice(&delta.to_be_bytes());
        }
        t.extend_from_slice(&1u16.to_be_bytes());
        for _ in 0..seg_count {
            t.extend_from_slice(&0u16.to_be_bytes());
        }
        subtables.push(((3, 1), t));
    }
    if wide || !with_f4 {
        let mut t = Vec::new();
        t.extend_from_slice(&12u16.to_be_bytes());
        t.extend_from_slice(&0u16.to_be_bytes());
        t.extend_from_slice(&((16 + runs.len() * 12) as u32).to_be_bytes());
        t.extend_from_slice(&0u32.to_be_bytes());
        t.extend_from_slice(&(runs.len() as u32).to_be_bytes());
        for r in &runs {
            t.extend_from_slice(&r.0.to_be_bytes());
            t.extend_from_slice(&r.1.to_be_bytes());
            t.extend_from_slice(&u32::from(r.2).to_be_bytes());
        }
        subtables.push(((3, 10), t));
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + subtables.len() * 8;
    for ((platform, encoding), t) in &subtables {
        out.extend_from_slice(&platform.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        offset += t.len();
    }
    for (_, t) in subtables {
        out.extend_from_slice(&t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_maps_each_character_to_its_glyph() {
        let map: BTreeMap<char, u16> = [('一', 3), ('丁', 4), ('七', 9), ('𠮷', 5), ('A', 1)]
            .into_iter()
            .collect();
        let table = cmap_table(&map);
        // Wrap the table in a minimal font for ttf-parser to read it back.
        let font = add_tables(
            &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            vec![(*b"cmap", table)],
        )
        .unwrap();
        let face = ttf_parser::RawFace::parse(&font, 0).unwrap();
        let cmap = ttf_parser::cmap::Table::parse(
            face.table(ttf_parser::Tag::from_bytes(b"cmap")).unwrap(),
        )
        .unwrap();
        for (c, g) in &map {
            let found = cmap
                .subtables
                .into_iter()
                .filter(|s| s.is_unicode())
                .find_map(|s| s.glyph_index(*c as u32));
            assert_eq!(found, Some(ttf_parser::GlyphId(*g)), "{c}");
        }
    }
}
