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

/// The name of a page: a hash of everything drawn on it.
pub fn page_hash(page: &typst_layout::Page) -> String {
    format!("{:032x}", typst::utils::hash128(page))
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

/// Drawn pages by hash, the oldest forgotten first.
#[derive(Default)]
pub struct PageCache {
    inner: Mutex<(HashMap<String, Arc<Vec<u8>>>, VecDeque<String>)>,
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
