//! After the 正文: 附件说明, 署名 with 成文日期 and 印章, 附注, the 附件 pages
//! and the 版记 (GW-B-30..74, GW-E-10..14).

use std::path::Path;

use super::build::Builder;

/// `seal:` values meaning the seal is stamped by hand after printing.
const PHYSICAL: [&str; 2] = ["实物章", "盖实物章"];

/// Largest raster seal, in pixels on a side.
pub const MAX_SEAL_PIXELS: usize = 5000;
use super::{Colophon, PageFormat, Part, SealOut, Signature};
use crate::compose::grid::{Measure, LINE_PT, PITCH_PT};
use crate::compose::{names, punct, title};
use crate::model::notice::{Notice, Seals};
use crate::typeset::fonts::Role;

impl Builder<'_> {
    pub(super) fn attachments(&mut self, n: &Notice, names: &[String]) -> Vec<Part> {
        let many = n.attachments.len() > 1;
        let mut out = Vec::new();
        for (i, a) in n.attachments.iter().enumerate() {
            let title = self.text(
                &format!("attachments[{i}].title"),
                Role::XiaoBiaoSong,
                &a.title,
            );
            let body = a
                .body
                .as_ref()
                .map(|b| self.body(&format!("attachments[{i}].body"), b))
                .unwrap_or_default();
            out.push(Part {
                label: Some(if many {
                    format!("附件{}", i + 1)
                } else {
                    "附件".to_string()
                }),
                title: title::break_title(&title, names),
                body,
            });
        }
        out
    }

    /// 附件说明 lines: “1.名称” per attachment (GW-B-30..32).
    pub(super) fn attachment_note(&mut self, n: &Notice) -> Vec<String> {
        let titles: Vec<String> = n
            .attachments
            .iter()
            .map(|a| punct::normalise(a.title.trim()).0)
            .collect();
        let names: Vec<String> = if n.attachment_note.is_empty() {
            titles.clone()
        } else {
            let names: Vec<String> = n
                .attachment_note
                .iter()
                .map(|s| {
                    let s = punct::normalise(s.trim()).0;
                    // Accept “1.名称” as typed; compare the name only.
                    let stripped = s
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start_matches(['.', '．']);
                    stripped.trim_end_matches(['。', '；', '，']).to_string()
                })
                .collect();
            if names.len() != titles.len() {
                self.error(
                    "attachment_note",
                    format!("附件说明列了 {} 个附件，实际附件（attachments）有 {} 个。", names.len(), titles.len()),
                    "附件说明的个数和名称要与附件页一致（GW-B-32）。删去 attachment_note 可由附件标题自动生成。",
                );
            } else {
                for (i, (a, b)) in names.iter().zip(&titles).enumerate() {
                    if a != b {
                        self.error(
                            &format!("attachment_note[{i}]"),
                            format!("附件说明第 {} 项“{a}”与附件标题“{b}”不一致。", i + 1),
                            "两处名称要逐字相同（GW-B-32）。",
                        );
                    }
                }
            }
            names
        };
        if names.len() == 1 {
            vec![names[0].clone()]
        } else {
            names
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}.{s}", i + 1))
                .collect()
        }
    }

    pub(super) fn signature(&mut self, n: &Notice, format: PageFormat) -> Option<Signature> {
        let order = format == PageFormat::Order;
        let mut names: Vec<String> = n
            .signature
            .as_ref()
            .map(|s| s.to_vec())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, s)| self.text(&format!("signature[{i}]"), Role::Fang, s))
            .collect();
        let Some(date) = n.date else {
            // A stand-alone 方案 may have neither 署名 nor 成文日期.
            if format == PageFormat::Plan && names.is_empty() {
                return None;
            }
            self.error(
                "date",
                "缺少成文日期。",
                "加上 date，如 date: 2019-04-15（GW-B-40）。",
            );
            return None;
        };
        let mut seals = Vec::new();
        for (i, seal) in n
            .seal
            .as_ref()
            .map(|s| s.to_vec())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let path = if matches!(n.seal, Some(Seals::Many(_))) {
                format!("seal[{i}]")
            } else {
                "seal".to_string()
            };
            let file = seal.file();
            // A 签名章 is a name stamp: `size_mm` is its width.
            let size = match (order, seal) {
                (true, crate::model::notice::Seal::File(_)) => 30.0,
                _ => seal.size_mm(),
            };
            if PHYSICAL.contains(&file.trim()) {
                // 盖实物章: the sealed layout, the seal stamped after printing.
                seals.push(SealOut {
                    path: None,
                    size_mm: size,
                });
                continue;
            }
            let full = self.origin.dir().join(file);
            let ext = full
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            if !matches!(ext.as_str(), "png" | "svg" | "jpg" | "jpeg") {
                self.error(
                    &path,
                    format!("印章“{file}”不是 PNG、SVG 或 JPG 图片。"),
                    "用透明底的 PNG 或 SVG 印章图片。",
                );
            } else if Path::new(file).is_absolute() || file.contains("..") {
                self.error(
                    &path,
                    format!("印章“{file}”不在公文文件所在的文件夹里。"),
                    "把印章图片放到 YAML 文件同一文件夹（或子文件夹）中，写相对路径。",
                );
            } else if !full.exists() {
                self.error(
                    &path,
                    format!("找不到印章图片“{}”。", full.display()),
                    "检查文件名，图片要放在 YAML 文件同一文件夹（或其子文件夹）中。",
                );
            } else if !full.is_file() {
                self.error(
                    &path,
                    format!(
                        "印章“{}”不是普通文件（可能是文件夹或设备）。",
                        full.display()
                    ),
                    "指定一个 PNG、SVG 或 JPG 图片文件。",
                );
            } else if ext != "svg" {
                self.seal_pixels(&path, &full);
            }
            if !(20.0..=60.0).contains(&size) {
                self.error(
                    &path,
                    format!("印章直径 {size} mm 不合常理。"),
                    "size_mm 一般在 38 到 45 之间。",
                );
            }
            seals.push(SealOut {
                path: Some(format!("/input/{}", file.replace('\\', "/"))),
                size_mm: size,
            });
        }
        if !order {
            self.signature_widths(&names, seals.len());
            self.joint_date_clear(&names, &seals, &date.chinese());
        }
        if !order && !seals.is_empty() && seals.len() != names.len() {
            self.error(
                "seal",
                format!("有 {} 个署名却有 {} 个印章。", names.len(), seals.len()),
                "每个署名配一个印章，印章不能盖在空白处（GW-B-46）。",
            );
        }
        let mut office = None;
        if order {
            // “县长 王建国”: the 职务, then the name the 签名章 stands for.
            let first = names.first().cloned().unwrap_or_default();
            let (o, name) = match first.split_once([' ', '　']) {
                Some((o, name)) => (o.trim().to_string(), name.trim().to_string()),
                None => (first.clone(), String::new()),
            };
            if o.is_empty() || (name.is_empty() && seals.is_empty()) {
                self.error(
                    "signature",
                    "命令（令）的署名写“职务 姓名”，如“县长 王建国”，并可配签名章图片（seal）。",
                    "GW-B-49：签发人职务在左，签名章（或姓名）在右，下一行是成文日期。",
                );
            }
            if names.len() > 1 {
                self.error(
                    "signature",
                    "命令（令）只有一位签发人。",
                    "署名写“职务 姓名”一项（GW-B-49）。",
                );
            }
            office = Some(o);
            names = vec![name];
        }
        Some(Signature {
            office,
            names,
            date: date.chinese(),
            seals,
        })
    }

    /// A 署名 is one line: it must fit where GW-B-43..48 put it, or it
    /// would run off the page (or over the next organ's seal).
    fn signature_widths(&mut self, names: &[String], seals: usize) {
        let m = Measure::body(self.fonts);
        let per = names.len().clamp(1, 3);
        let room = if seals > 1 {
            LINE_PT / per as f64
        } else {
            LINE_PT - 2.0 * PITCH_PT
        };
        for (i, name) in names.iter().enumerate() {
            let w = m.width(Role::Fang, name);
            if w > room {
                self.error(
                    &format!("signature[{i}]"),
                    format!(
                        "署名“{name}”有 {:.0} 字宽，一行只放得下 {:.0} 字。",
                        w / PITCH_PT,
                        (room / PITCH_PT).floor()
                    ),
                    "署名写发文机关的全称或规范化简称；联合行文每个机关单独写一项（signature: [甲, 乙]）。",
                );
            }
        }
    }

    /// GW-B-45: the date sits under the last seal and must not touch the
    /// seal before it in its row (a wide date under large seals would).
    fn joint_date_clear(&mut self, names: &[String], seals: &[SealOut], date: &str) {
        if seals.len() < 2 || seals.len() != names.len() {
            return;
        }
        let mm = |pt: f64| pt * 25.4 / 72.0;
        let per = names.len().min(3);
        let col = (names.len() - 1) % per;
        if col == 0 {
            return;
        }
        let cell = mm(LINE_PT) / per as f64;
        let m = Measure::body(self.fonts);
        let date_w = mm(m.width(Role::Fang, date));
        let centre = cell * col as f64 + cell / 2.0;
        let date_left = (centre - date_w / 2.0).min(mm(LINE_PT) - date_w);
        let before = &seals[names.len() - 2];
        let seal_right = cell * (col - 1) as f64 + cell / 2.0 + before.size_mm / 2.0;
        if date_left < seal_right {
            self.warn(
                "seal",
                format!(
                    "成文日期会压到第 {} 枚印章（重叠约 {:.1} 毫米）。可把 size_mm 改小一些（如 38）（GW-B-45）。",
                    names.len() - 1,
                    seal_right - date_left
                ),
            );
        }
    }

    /// A raster seal larger than [`MAX_SEAL_PIXELS`] on a side is refused
    /// before anything decodes it (a 40000² PNG of 1.5 MB takes gigabytes).
    fn seal_pixels(&mut self, path: &str, file: &Path) {
        let what = format!("印章图片“{}”", file.display());
        if let Some((message, hint)) = seal_size_fault(imagesize::size(file), &what) {
            self.error(path, message, hint);
        }
    }

    /// 附注, in parentheses (GW-B-60).
    pub(super) fn note(&mut self, n: &Notice) -> Option<String> {
        n.note.as_ref().filter(|s| !s.trim().is_empty()).map(|s| {
            let t = self.text("note", Role::Fang, s);
            // A note written in its own parentheses keeps one pair; a
            // parenthesis that only ends (or only starts) it is its text.
            let inner = t
                .strip_prefix(['（', '('])
                .and_then(|x| x.strip_suffix(['）', ')']))
                .unwrap_or(&t);
            format!("（{inner}）")
        })
    }

    /// 版记: 抄送, 印发机关 and 印发日期, 印制份数 (GW-E-10..14). `to` is the
    /// 主送, laid out for the 版记 should it have to move there (GW-B-12).
    pub(super) fn colophon(
        &mut self,
        n: &Notice,
        format: PageFormat,
        to: Option<&str>,
    ) -> Colophon {
        let cc = n.cc.as_ref().filter(|s| !s.trim().is_empty()).map(|s| {
            let t = self.text("cc", Role::Fang, s);
            format!("{}。", t.trim_end_matches(['。', '.']))
        });
        let letter = format == PageFormat::Letter;
        if letter && (n.printer.is_some() || n.print_date.is_some()) {
            self.warn(
                if n.printer.is_some() {
                    "printer"
                } else {
                    "print_date"
                },
                "信函格式没有印发机关和印发日期（GW-E-14），已略去。",
            );
        }
        let colophon = Colophon {
            to: to.map(|t| self.colophon_lines(t)).unwrap_or_default(),
            cc: cc
                .as_deref()
                .map(|t| self.colophon_lines(t))
                .unwrap_or_default(),
            printer: n
                .printer
                .as_ref()
                .filter(|_| !letter)
                .map(|s| self.text("printer", Role::Fang, s)),
            print_date: n
                .print_date
                .filter(|_| !letter)
                .map(|d| format!("{}印发", d.chinese())),
            copies: n
                .copies
                .filter(|_| n.options.show_copies)
                .map(|c| format!("共印{c}份")),
        };
        if format == PageFormat::File && n.printer.is_some() != n.print_date.is_some() {
            self.error(
                if n.printer.is_some() {
                    "print_date"
                } else {
                    "printer"
                },
                "印发机关和印发日期要同时写（GW-E-11）。",
                "补上 printer（印发机关，如“千泉街道党政办公室”）和 print_date（印发日期）。",
            );
        }
        let rows = colophon.cc.len()
            + usize::from(colophon.printer.is_some())
            + usize::from(colophon.copies.is_some());
        if rows > MAX_COLOPHON_LINES {
            self.error(
                "cc",
                format!("版记有 {rows} 行，一页放不下（最多 {MAX_COLOPHON_LINES} 行）。"),
                "抄送机关较多时用统称（如“各乡镇人民政府、各街道办事处”），或把名单作为附件。",
            );
        }
        colophon
    }

    /// Lines of a 版记 list in 4号 仿宋 after its label (“抄送：”), aligned
    /// after the “：” and inside 1 字 on either side (GW-E-10).
    fn colophon_lines(&self, text: &str) -> Vec<String> {
        let m = Measure {
            fonts: self.fonts,
            size: COLOPHON_PT,
            tracking: 0.0,
        };
        let width = LINE_PT - 2.0 * PITCH_PT - 3.0 * COLOPHON_PT;
        names::break_names(text, &m, width, width)
    }
}

/// 版记 text: 4号 (GW-E-10).
const COLOPHON_PT: f64 = 14.0;
/// 版记 lines on one page: the 版心 holds 21 lines of 10.39 mm, less the
/// rules.
const MAX_COLOPHON_LINES: usize = 20;

/// Why a raster seal's header is refused (`what` names the picture in the
/// message): unreadable, or more than [`MAX_SEAL_PIXELS`] on a side. Read
/// from the header only, so it runs before anything decodes the picture;
/// `seal:` files and the workbench's uploaded seals both pass here.
pub fn seal_size_fault(
    size: imagesize::ImageResult<imagesize::ImageSize>,
    what: &str,
) -> Option<(String, &'static str)> {
    match size {
        Ok(d) if d.width > MAX_SEAL_PIXELS || d.height > MAX_SEAL_PIXELS => Some((
            format!(
                "{what}有 {}×{} 像素，超过了每边 {MAX_SEAL_PIXELS} 像素的上限。",
                d.width, d.height
            ),
            "印章图片 1000–2000 像素见方就足够清晰；请缩小后再用。",
        )),
        Ok(_) => None,
        Err(_) => Some((
            format!("{what}读不出尺寸，可能已损坏或不是图片。"),
            "用透明底的 PNG 或 SVG 印章图片。",
        )),
    }
}
