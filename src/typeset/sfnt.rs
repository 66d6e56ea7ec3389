//! Reading and writing the OpenType container (sfnt): its table directory.
//! Shared by the OFD font subsets (which add `cmap` and `OS/2` back) and
//! the hollow fonts of a one-document render (which replace `CFF `).

use std::collections::BTreeMap;

/// A font's flavour (`OTTO`, 0x00010000 …) and its tables by tag.
pub type Tables<'a> = (u32, BTreeMap<[u8; 4], &'a [u8]>);

/// The tables of face `index` of a font file (a collection's face or a
/// single font).
pub fn tables(font: &[u8], index: u32) -> Option<Tables<'_>> {
    let be16 = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes(font.get(at..at + 2)?.try_into().ok()?))
    };
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(font.get(at..at + 4)?.try_into().ok()?))
    };
    let mut start = 0usize;
    if font.get(0..4)? == b"ttcf" {
        let count = be32(8)?;
        if index >= count {
            return None;
        }
        start = be32(12 + 4 * index as usize)? as usize;
    } else if index != 0 {
        return None;
    }
    let flavor = be32(start)?;
    let count = usize::from(be16(start + 4)?);
    let mut tables = BTreeMap::new();
    for i in 0..count {
        let rec = start + 12 + i * 16;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = be32(rec + 8)? as usize;
        let len = be32(rec + 12)? as usize;
        tables.insert(tag, font.get(off..off.checked_add(len)?)?);
    }
    Some((flavor, tables))
}

/// Writes a single font from its tables: records sorted by tag, 4-byte
/// aligned, checksums and the `head` checksum adjustment recomputed.
pub fn build<T: AsRef<[u8]>>(flavor: u32, tables: &BTreeMap<[u8; 4], T>) -> Vec<u8> {
    let n = tables.len() as u16;
    let sel = if n == 0 {
        0
    } else {
        (f64::from(n)).log2().floor() as u16
    };
    let range = (1u16 << sel) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&flavor.to_be_bytes());
    for v in [n, range, sel, (n * 16).saturating_sub(range)] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + tables.len() * 16;
    let mut head_at = None;
    for (tag, data) in tables {
        let data = data.as_ref();
        let sum = if tag == b"head" && data.len() >= 12 {
            head_at = Some(offset + 8);
            // The adjustment field counts as zero in the table's checksum.
            let mut copy = data.to_vec();
            copy[8..12].fill(0);
            checksum(&copy)
        } else {
            checksum(data)
        };
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (tag, data) in tables {
        let at = out.len();
        out.extend_from_slice(data.as_ref());
        if tag == b"head" && data.as_ref().len() >= 12 {
            out[at + 8..at + 12].fill(0);
        }
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adj = 0xB1B0AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

/// Rebuilds a single font with `extra` tables added (replacing any of the
/// same tag).
pub fn add_tables(font: &[u8], extra: Vec<([u8; 4], Vec<u8>)>) -> Option<Vec<u8>> {
    let (flavor, tables) = tables(font, 0)?;
    let mut owned: BTreeMap<[u8; 4], Vec<u8>> =
        tables.into_iter().map(|(t, d)| (t, d.to_vec())).collect();
    owned.extend(extra);
    Some(build(flavor, &owned))
}

fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let rest = words.remainder();
    let sum = words.fold(0u32, |sum, c| {
        sum.wrapping_add(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
    });
    let mut last = [0u8; 4];
    last[..rest.len()].copy_from_slice(rest);
    sum.wrapping_add(u32::from_be_bytes(last))
}
