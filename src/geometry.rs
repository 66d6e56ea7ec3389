//! The page geometry of GB/T 9704 (GW-P-01..04, GW-U-01/02, GW-N-02).
//!
//! These numbers are written here and nowhere else: Rust code reads the
//! constants, and the Typst templates receive [`PAGE`] in their data
//! (`d.page`), so a change here moves the page, the line breaker, the
//! squeeze step and the turned tables together.

use serde::Serialize;

/// A4, in millimetres.
pub const PAGE_WIDTH_MM: f64 = 210.0;
pub const PAGE_HEIGHT_MM: f64 = 297.0;
/// 天头 (top margin) and the margin below the 版心.
pub const TOP_MM: f64 = 37.0;
pub const BOTTOM_MM: f64 = 35.0;
/// 订口 (binding side) and the opposite side.
pub const INSIDE_MM: f64 = 28.0;
pub const OUTSIDE_MM: f64 = 26.0;
/// 版心 156 × 225 mm.
pub const BODY_WIDTH_MM: f64 = PAGE_WIDTH_MM - INSIDE_MM - OUTSIDE_MM;
pub const BODY_HEIGHT_MM: f64 = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM;
/// Bottom edge of the 版心 on the page (262 mm).
pub const BODY_BOTTOM_MM: f64 = TOP_MM + BODY_HEIGHT_MM;
/// 1 行: 22 lines fill the 225 mm 版心 (GW-U-02).
pub const LINE_MM: f64 = 10.39;
/// 正文 size: 3号.
pub const BODY_SIZE_PT: f64 = 16.0;
/// Centre of the 页码 dash: 7 mm below the 版心 (GW-N-02).
pub const PAGE_NUMBER_Y_MM: f64 = BODY_BOTTOM_MM + 7.0;

/// Millimetres per point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// The geometry as the templates receive it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PageGeometry {
    pub width_mm: f64,
    pub height_mm: f64,
    pub top_mm: f64,
    pub bottom_mm: f64,
    pub inside_mm: f64,
    pub outside_mm: f64,
    pub body_width_mm: f64,
    pub body_height_mm: f64,
    pub body_bottom_mm: f64,
    pub line_mm: f64,
    pub body_size_pt: f64,
    pub page_number_y_mm: f64,
}

/// The 公文 page.
pub const PAGE: PageGeometry = PageGeometry {
    width_mm: PAGE_WIDTH_MM,
    height_mm: PAGE_HEIGHT_MM,
    top_mm: TOP_MM,
    bottom_mm: BOTTOM_MM,
    inside_mm: INSIDE_MM,
    outside_mm: OUTSIDE_MM,
    body_width_mm: BODY_WIDTH_MM,
    body_height_mm: BODY_HEIGHT_MM,
    body_bottom_mm: BODY_BOTTOM_MM,
    line_mm: LINE_MM,
    body_size_pt: BODY_SIZE_PT,
    page_number_y_mm: PAGE_NUMBER_Y_MM,
};
