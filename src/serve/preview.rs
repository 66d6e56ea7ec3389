//! Page images for the live preview: each laid-out page is named by a hash
//! of its frame, so a page that did not change keeps its name and is
//! neither drawn again nor sent again.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use typst_layout::PagedDocument;

/// Pixels per point of a preview image: an A4 page is 893 × 1263 pixels,
/// sharp beside the form on an office screen.
pub const PIXELS_PER_PT: f64 = 1.5;

/// Pages kept drawn (about 150 KB each).
const CAPACITY: usize = 240;

/// The name of a page: a hash of what is drawn on it. Introspection tags
/// are left out: a tag holds its whole element (all of 正文 for a page
/// of it), so hashing them would rename every page at every keystroke.
pub fn page_hash(page: &typst_layout::Page) -> String {
    format!("{:032x}", typst::utils::hash128(&Drawn(page)))
}

struct Drawn<'a>(&'a typst_layout::Page);

impl std::hash::Hash for Drawn<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.fill.hash(h);
        drawn_frame(&self.0.frame, h);
    }
}

fn drawn_frame<H: std::hash::Hasher>(frame: &typst::layout::Frame, h: &mut H) {
    use std::hash::Hash;
    use typst::layout::FrameItem;
    frame.size().hash(h);
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(g) => {
                (0u8, pos, g.transform, &g.clip).hash(h);
                drawn_frame(&g.frame, h);
            }
            FrameItem::Text(t) => {
                (1u8, pos, &t.font, t.size, &t.fill, &t.stroke, &t.text).hash(h);
                for g in &t.glyphs {
                    (g.id, g.x_advance, g.x_offset, g.y_advance, g.y_offset).hash(h);
                }
            }
            FrameItem::Shape(shape, _) => (2u8, pos, shape).hash(h),
            FrameItem::Image(image, size, _) => (3u8, pos, image, size).hash(h),
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Draws one page as PNG.
pub fn page_png(page: &typst_layout::Page) -> Vec<u8> {
    let opts = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(PIXELS_PER_PT),
        render_bleed: false,
    };
    // A pixmap of a laid-out page always encodes; an empty image is shown
    // as a broken page rather than stopping the server.
    typst_render::render(page, &opts)
        .encode_png()
        .unwrap_or_default()
}

/// Drawn pages by hash, and the order they were drawn in.
type Drawings = (HashMap<String, Arc<Vec<u8>>>, VecDeque<String>);

/// Drawn pages by hash, the oldest forgotten first.
#[derive(Default)]
pub struct PageCache {
    inner: Mutex<Drawings>,
}

impl PageCache {
    pub fn get(&self, hash: &str) -> Option<Arc<Vec<u8>>> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.get(hash).cloned()
    }

    fn put(&self, hash: String, png: Vec<u8>) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(hash.clone(), Arc::new(png)).is_none() {
            order.push_back(hash);
        }
        while order.len() > CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// The hash of every page; draws (and keeps) the pages that are neither
    /// kept here nor already held by the browser (`known`).
    pub fn update(&self, doc: &PagedDocument, known: &[String]) -> Vec<String> {
        doc.pages()
            .iter()
            .map(|page| {
                let hash = page_hash(page);
                if !known.contains(&hash) && self.get(&hash).is_none() {
                    self.put(hash.clone(), page_png(page));
                }
                hash
            })
            .collect()
    }
}
