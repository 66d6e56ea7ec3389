//! DOCX out (issue 19): the .docx of each sample is laid out by a word
//! processor nobody here wrote — LibreOffice, `soffice --headless
//! --convert-to pdf` — and that PDF is measured with lopdf on the rules a
//! word processor must honour, each assertion naming its rule id. The fonts
//! LibreOffice sees are the bundled ones under the office names
//! (a private fontconfig file), so the figures do not depend on the machine.
//! Skipped with a notice when soffice is missing, required under CI
//! (`.ci/run` installs libreoffice-writer-nogui).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::common::{engine, gongwen, root};

const SAMPLES: [&str; 3] = ["qianquan-2019-8", "lingchuan-2020-28", "zezhou-2021-24"];
const MM: f64 = 25.4 / 72.0;

/// Renders a sample as .docx and .pdf in `dir`.
fn render_sample(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let yaml = dir.join(format!("{name}.yaml"));
    std::fs::copy(root().join("samples").join(format!("{name}.yaml")), &yaml).unwrap();
    let docx = dir.join(format!("{name}.docx"));
    let pdf = dir.join(format!("{name}.pdf"));
    for out in [&docx, &pdf] {
        let o = gongwen(
            &[
                "render",
                yaml.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--register",
                dir.join("r.db").to_str().unwrap(),
            ],
            dir,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    (docx, pdf)
}

#[test]
fn docx_is_a_package_with_styles_and_the_same_bytes_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let (docx, _) = render_sample(dir.path(), "qianquan-2019-8");
    let first = std::fs::read(&docx).unwrap();
    let o = gongwen(
        &[
            "render",
            "qianquan-2019-8.yaml",
            "--format",
            "docx",
            "-o",
            "again.docx",
            "--register",
            "r.db",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        first,
        std::fs::read(dir.path().join("again.docx")).unwrap(),
        "identical input gives identical bytes"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let styles = part("word/styles.xml");
    for name in [
        "Normal",
        "Title",
        "一级标题",
        "二级标题",
        "三级标题",
        "四级标题",
        "发文机关标志",
        "发文字号",
        "主送机关",
        "附件说明",
        "署名",
        "成文日期",
        "附注",
        "版记",
        "页码",
    ] {
        assert!(
            styles.contains(&format!("<w:name w:val=\"{name}\"/>")),
            "style {name}"
        );
    }
    for lvl in 0..=4 {
        assert!(styles.contains(&format!("<w:outlineLvl w:val=\"{lvl}\"/>")));
    }
    let fonts = part("word/fontTable.xml");
    assert!(fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"FandolFang\"/>"));
    let settings = part("word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders/>") && settings.contains("<w:mirrorMargins/>"));
    let document = part("word/document.xml");
    assert!(document.contains("<w:docGrid w:type=\"lines\" w:linePitch=\"589\"/>"));
    assert!(part("word/footer1.xml").contains(" PAGE "));
}

#[test]
fn docx_refused_for_pages_only_outputs_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("samples/qianquan-2019-8.yaml"),
        dir.path().join("q.yaml"),
    )
    .unwrap();
    let o = gongwen(
        &["render", "q.yaml", "-o", "q.docx", "--with-approval"],
        dir.path(),
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("签批单不能写进 .docx"));
    assert!(!dir.path().join("q.docx").exists());
    let o = gongwen(&["approval", "q.yaml", "--format", "docx"], dir.path());
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("不能写成 .docx"));
}

/// User text with markup characters stays text.
#[test]
fn docx_escapes_user_text() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "kind: 通知\nissuer: 某某县人民政府办公室\nnumber: 某政办发〔2024〕3号\ntitle: 关于<w:t>&“测试”的通知\nto: 各乡镇\nbody: |\n  正文</w:t></w:r>继续。\nsignature: 某某县人民政府办公室\ndate: 2024-05-20\n";
    std::fs::write(dir.path().join("x.yaml"), yaml).unwrap();
    let o = gongwen(&["render", "x.yaml", "-o", "x.docx"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(dir.path().join("x.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    assert!(doc.contains("&lt;/w:t&gt;&lt;/w:r&gt;继续"));
    assert!(doc.contains("关于&lt;w:t&gt;&amp;“测试”的通知"));
}

/// Round trip (issue 19 item 4): `import` of gongwen's own .docx gives back
/// the same document model.
#[test]
fn docx_round_trips_through_import() {
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES {
        let (docx, _) = render_sample(dir.path(), name);
        let yaml = dir.path().join(format!("{name}.yaml"));
        let a = gongwen::render::prepare(engine(), &yaml).expect("sample prepares");
        let b = gongwen::import::prepare(engine(), &docx).expect("its .docx imports");
        let (la, lb) = (&a.layout, &b.layout);
        let texts = |l: &gongwen::layout::Layout| -> Vec<(String, String)> {
            l.texts()
                .into_iter()
                .filter(|(f, _)| f != "issuer")
                .collect()
        };
        assert_eq!(la.title, lb.title, "{name}: title");
        assert_eq!(texts(la), texts(lb), "{name}: every printed field");
        assert_eq!(
            la.header.issuer_names.concat() + la.header.issuer_suffix.as_deref().unwrap_or(""),
            lb.header.issuer_names.concat() + lb.header.issuer_suffix.as_deref().unwrap_or(""),
            "{name}: 发文机关标志"
        );
        assert_eq!(a.facts.date, b.facts.date, "{name}: 成文日期");
        assert_eq!(a.facts.print_date, b.facts.print_date, "{name}: 印发日期");
        assert_eq!(a.facts.cc, b.facts.cc, "{name}: 抄送");
        assert_eq!(a.facts.attachments, b.facts.attachments, "{name}: 附件");
        assert_eq!(
            a.layout.colophon.printer, b.layout.colophon.printer,
            "{name}: 印发机关"
        );
    }
}

/// A text run as LibreOffice wrote it: page (1-based), left and right
/// edges, baseline (mm from the top), size (pt), text and fill colour.
#[derive(Debug, Clone)]
struct Run {
    page: usize,
    x0: f64,
    x1: f64,
    base: f64,
    size: f64,
    text: String,
    fill: [f64; 3],
    /// Set turned 90° (`Tm` with a rotation): `x0` and `base` are its
    /// origin, the text running down the page.
    turned: bool,
}

impl Run {
    fn em_top(&self) -> f64 {
        self.base - 0.88 * self.size * MM
    }
    fn em_bottom(&self) -> f64 {
        self.base + 0.12 * self.size * MM
    }
    fn red(&self) -> bool {
        self.fill[0] >= 0.8 && self.fill[1] <= 0.3 && self.fill[2] <= 0.3
    }
}

/// A stroked straight line: page, from x0 to x1 at y (mm), width (mm),
/// stroke colour.
#[derive(Debug, Clone)]
struct Rule {
    page: usize,
    x0: f64,
    x1: f64,
    y: f64,
    width: f64,
    stroke: [f64; 3],
}

/// Reads a PDF's text runs and horizontal stroked lines by walking its
/// content streams (LibreOffice writes `Td`/`Tf`/`Tj`/`TJ` text in simple
/// fonts with `/Widths`, and rules as `m l S`).
fn read_pdf(path: &Path) -> (Vec<Run>, Vec<Rule>, usize) {
    let (runs, rules, _, pages) = read_pdf_images(path);
    (runs, rules, pages)
}

/// A picture: page, and left, top, right, bottom in mm.
type Image = (usize, [f64; 4]);

/// [`read_pdf`] and the pictures (`cm` + `Do`).
fn read_pdf_images(path: &Path) -> (Vec<Run>, Vec<Rule>, Vec<Image>, usize) {
    let pdf = read_pdf_all(path);
    (pdf.runs, pdf.rules, pdf.images, pdf.pages)
}

/// A filled path's bounding box: page, left, top, right, bottom (mm), fill.
#[derive(Debug, Clone)]
struct Fill {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    fill: [f64; 3],
}

impl Fill {
    fn red(&self) -> bool {
        self.fill[0] >= 0.8 && self.fill[1] <= 0.3 && self.fill[2] <= 0.3
    }
}

/// Everything [`read_pdf_all`] reads.
struct Pdf {
    /// Pages laid out landscape (1-based).
    landscape: Vec<usize>,
    runs: Vec<Run>,
    rules: Vec<Rule>,
    fills: Vec<Fill>,
    images: Vec<Image>,
    pages: usize,
}

/// Text runs, stroked horizontal lines, filled paths (LibreOffice writes a
/// filled shape as `m l … h f*`) and pictures of a PDF.
fn read_pdf_all(path: &Path) -> Pdf {
    use lopdf::{Document, Object};
    let doc = Document::load(path).expect("a readable PDF");
    let num = |o: &Object| -> f64 {
        match o {
            Object::Integer(i) => *i as f64,
            Object::Real(r) => *r as f64,
            _ => 0.0,
        }
    };
    let mut runs = Vec::new();
    let mut rules = Vec::new();
    let mut fills = Vec::new();
    let mut images = Vec::new();
    let pages = doc.get_pages();
    let mut landscape = Vec::new();
    for (&no, &id) in &pages {
        // The page's height from its MediaBox (a landscape section's page
        // is 595 pt high).
        let media: Vec<f64> = doc
            .get_dictionary(id)
            .ok()
            .and_then(|d| d.get(b"MediaBox").ok())
            .and_then(|m| m.as_array().ok())
            .map(|a| a.iter().map(num).collect())
            .unwrap_or_default();
        let (width, height) = match media.as_slice() {
            [x0, y0, x1, y1] => (x1 - x0, y1 - y0),
            _ => (595.28, 841.89),
        };
        if width > height {
            landscape.push(no as usize);
        }
        let mut turned = false;
        let fonts = doc.get_page_fonts(id).unwrap_or_default();
        // Font resource name → (first code, widths, encoding).
        let mut metrics: BTreeMap<Vec<u8>, (i64, Vec<f64>, lopdf::Encoding)> = BTreeMap::new();
        for (name, dict) in &fonts {
            let first = dict.get(b"FirstChar").map(num).unwrap_or(0.0) as i64;
            let widths = dict
                .get(b"Widths")
                .ok()
                .and_then(|w| match w {
                    Object::Array(a) => Some(a.iter().map(num).collect()),
                    Object::Reference(r) => doc
                        .get_object(*r)
                        .ok()
                        .and_then(|o| o.as_array().ok())
                        .map(|a| a.iter().map(num).collect()),
                    _ => None,
                })
                .unwrap_or_default();
            let enc = dict.get_font_encoding(&doc).expect("font encoding");
            metrics.insert(name.clone(), (first, widths, enc));
        }
        let content = doc.get_and_decode_page_content(id).expect("page content");
        let (mut fill, mut stroke, mut lw) = ([0.0; 3], [0.0; 3], 1.0);
        let mut stack = Vec::new();
        let (mut tx, mut ty, mut lx, mut ly) = (0.0, 0.0, 0.0, 0.0);
        let (mut font, mut size) = (Vec::new(), 0.0);
        let mut path_start: Option<(f64, f64)> = None;
        let mut segs: Vec<(f64, f64, f64, f64)> = Vec::new();
        let mut points: Vec<(f64, f64)> = Vec::new();
        let mut cm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        for op in &content.operations {
            let a: Vec<f64> = op.operands.iter().map(num).collect();
            match op.operator.as_str() {
                "q" => stack.push((fill, stroke, lw)),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        (fill, stroke, lw) = s;
                    }
                }
                "rg" if a.len() == 3 => fill = [a[0], a[1], a[2]],
                "RG" if a.len() == 3 => stroke = [a[0], a[1], a[2]],
                "g" if a.len() == 1 => fill = [a[0]; 3],
                "G" if a.len() == 1 => stroke = [a[0]; 3],
                "w" if a.len() == 1 => lw = a[0],
                "m" if a.len() == 2 => {
                    path_start = Some((a[0], a[1]));
                    points.push((a[0], a[1]));
                }
                "l" if a.len() == 2 => {
                    points.push((a[0], a[1]));
                    if let Some((x, y)) = path_start {
                        segs.push((x, y, a[0], a[1]));
                    }
                    path_start = Some((a[0], a[1]));
                }
                "S" => {
                    points.clear();
                    for (x0, y0, x1, y1) in segs.drain(..) {
                        if (y0 - y1).abs() < 0.01 {
                            rules.push(Rule {
                                page: no as usize,
                                x0: x0.min(x1) * MM,
                                x1: x0.max(x1) * MM,
                                y: (height - y0) * MM,
                                width: lw * MM,
                                stroke,
                            });
                        }
                    }
                }
                "f" | "f*" if !points.is_empty() => {
                    let xs = points.iter().map(|p| p.0);
                    let ys = points.iter().map(|p| p.1);
                    let (x0, x1) = (
                        xs.clone().fold(f64::MAX, f64::min),
                        xs.fold(f64::MIN, f64::max),
                    );
                    let (y0, y1) = (
                        ys.clone().fold(f64::MAX, f64::min),
                        ys.fold(f64::MIN, f64::max),
                    );
                    fills.push(Fill {
                        page: no as usize,
                        x0: x0 * MM,
                        x1: x1 * MM,
                        y0: (height - y1) * MM,
                        y1: (height - y0) * MM,
                        fill,
                    });
                    points.clear();
                    segs.clear();
                }
                "n" | "f" | "f*" | "B" => {
                    segs.clear();
                    points.clear();
                }
                "cm" if a.len() == 6 => cm = [a[0], a[1], a[2], a[3], a[4], a[5]],
                "Do" => {
                    images.push((
                        no as usize,
                        [
                            cm[4] * MM,
                            (height - cm[5] - cm[3]) * MM,
                            (cm[4] + cm[0]) * MM,
                            (height - cm[5]) * MM,
                        ],
                    ));
                    cm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                }
                "BT" => {
                    (tx, ty, lx, ly) = (0.0, 0.0, 0.0, 0.0);
                    turned = false;
                }
                "Td" | "TD" if a.len() == 2 => {
                    lx += a[0];
                    ly += a[1];
                    (tx, ty) = (lx, ly);
                }
                "Tm" if a.len() == 6 => {
                    turned = a[1].abs() > 0.5;
                    (lx, ly) = (a[4], a[5]);
                    (tx, ty) = (lx, ly);
                }
                "Tf" if op.operands.len() == 2 => {
                    font = op.operands[0]
                        .as_name()
                        .map(|n| n.to_vec())
                        .unwrap_or_default();
                    size = a[1];
                }
                "Tj" | "TJ" => {
                    let Some((first, widths, enc)) = metrics.get(&font) else {
                        continue;
                    };
                    let items: Vec<Object> = match &op.operands[0] {
                        Object::Array(items) => items.clone(),
                        other => vec![other.clone()],
                    };
                    let x_start = tx;
                    let mut text = String::new();
                    for it in &items {
                        match it {
                            Object::String(bytes, _) => {
                                for b in bytes {
                                    let w = widths
                                        .get((*b as i64 - first) as usize)
                                        .copied()
                                        .unwrap_or(1000.0);
                                    tx += w / 1000.0 * size;
                                }
                                text.push_str(
                                    &Document::decode_text(enc, bytes).unwrap_or_default(),
                                );
                            }
                            other => tx -= num(other) / 1000.0 * size,
                        }
                    }
                    runs.push(Run {
                        page: no as usize,
                        x0: x_start * MM,
                        x1: tx * MM,
                        base: (height - ty) * MM,
                        size,
                        text,
                        fill,
                        turned,
                    });
                }
                _ => {}
            }
        }
    }
    Pdf {
        landscape,
        runs,
        rules,
        fills,
        images,
        pages: pages.len(),
    }
}

/// Runs joined into lines: same page, same baseline.
fn lines(runs: &[Run]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| {
        (a.page, (a.base * 10.0).round() as i64)
            .cmp(&(b.page, (b.base * 10.0).round() as i64))
            .then(a.x0.total_cmp(&b.x0))
    });
    for r in sorted {
        match out.last_mut() {
            Some(l) if l.page == r.page && (l.base - r.base).abs() < 0.1 => {
                l.x1 = l.x1.max(r.x1);
                l.size = l.size.max(r.size);
                l.text.push_str(&r.text);
            }
            _ => out.push(r),
        }
    }
    out
}

/// Cells a line takes on the 28-character grid: a Chinese character or
/// full-width mark 1, an ASCII character ½.
fn cells(text: &str) -> f64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// A private fontconfig: the bundled faces under the names offices have.
fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = root().join("fonts");
    let alias = |name: &str, family: &str| {
        format!("<alias binding=\"same\"><family>{name}</family><prefer><family>{family}</family></prefer></alias>")
    };
    let conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{}</dir><cachedir>{}</cachedir>{}{}{}{}{}</fontconfig>\n",
        fonts.display(),
        dir.join("fc-cache").display(),
        alias("仿宋_GB2312", "FandolFang"),
        alias("方正小标宋简体", "Noto Serif CJK SC"),
        alias("黑体", "FandolHei"),
        alias("楷体_GB2312", "FandolKai"),
        alias("宋体", "FandolSong"),
    );
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// `soffice --headless --convert-to pdf`, with its own profile and the
/// private fonts; `None` when LibreOffice is not installed (then required
/// under CI).
fn libreoffice_pdf(docx: &Path, work: &Path) -> Option<PathBuf> {
    let installed = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        installed || std::env::var_os("CI").is_none(),
        "CI installs LibreOffice (.ci/run: libreoffice-writer-nogui) to lay out the .docx"
    );
    if !installed {
        eprintln!("注意：没有安装 LibreOffice（soffice），跳过 DOCX 的版式测量。");
        return None;
    }
    let out = work.join("lo");
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(docx)
        .env("FONTCONFIG_FILE", fontconfig(work))
        .output()
        .expect("run soffice");
    let pdf = out.join(docx.with_extension("pdf").file_name().unwrap());
    assert!(
        o.status.success() && pdf.exists(),
        "LibreOffice opens and converts {}: {}{}",
        docx.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(pdf)
}

/// Issue 19 item 3: every sample's .docx, laid out by LibreOffice, measured.
#[test]
fn docx_laid_out_by_libreoffice_keeps_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    for name in SAMPLES {
        let (docx, own_pdf) = render_sample(dir.path(), name);
        let Some(pdf) = libreoffice_pdf(&docx, dir.path()) else {
            return;
        };
        let (runs, rules, pages) = read_pdf(&pdf);
        let own_pages = lopdf::Document::load(&own_pdf).unwrap().get_pages().len();
        let all = lines(&runs);
        // The text is there: the title and every 印发 line.
        let text: String = all.iter().map(|l| l.text.as_str()).collect::<String>();
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let doc =
            gongwen::render::prepare(engine(), &dir.path().join(format!("{name}.yaml"))).unwrap();
        assert!(
            text.contains(&doc.layout.title.concat()),
            "{name}: title text"
        );
        assert_eq!(
            pages, own_pages,
            "{name}: LibreOffice breaks pages as gongwen"
        );

        // GW-H-10/11, GW-C-02: the red 标志, em top 35 mm under the 版心 top.
        let issuer = all
            .iter()
            .find(|l| l.page == 1 && l.red())
            .expect("a red 标志 on page 1");
        let d = issuer.em_top() - 72.0;
        assert!(
            (-1.0..=1.5).contains(&d),
            "{name}: GW-H-11 标志 em top {:.2}",
            issuer.em_top()
        );
        assert!(
            (issuer.size - doc.layout.header.issuer_size_pt).abs() < 0.1,
            "{name}: 标志 size"
        );
        // GW-H-21: 发文字号 two lines under the 标志 (3号, centred).
        let number = all
            .iter()
            .find(|l| l.page == 1 && l.text.contains('〔'))
            .expect("发文字号");
        let gap = number.em_top() - issuer.em_bottom();
        assert!(
            (20.5..=26.0).contains(&gap),
            "{name}: GW-H-21 字号 {gap:.2} mm under the 标志"
        );
        assert!((number.size - 16.0).abs() < 0.1, "{name}: 字号 3号");
        assert!(
            ((number.x0 + number.x1) / 2.0 - 106.0).abs() < 1.0,
            "{name}: 字号 centred"
        );
        // GW-H-40: the red rule, 156 mm, 4 mm under the 字号.
        let rule = rules
            .iter()
            .find(|r| r.page == 1 && r.stroke[0] > 0.8 && r.stroke[1] < 0.3)
            .expect("a red rule on page 1");
        assert!(
            (rule.x1 - rule.x0 - 156.0).abs() <= 0.5,
            "{name}: GW-H-40 rule length {:.2}",
            rule.x1 - rule.x0
        );
        assert!(
            (rule.x0 - 28.0).abs() <= 1.0,
            "{name}: GW-H-40 rule from the 版心 left"
        );
        let rule_top = rule.y - rule.width / 2.0;
        assert!(
            (rule_top - number.em_bottom() - 4.0).abs() <= 0.5,
            "{name}: GW-H-40 rule top {:.2} mm under the 字号",
            rule_top - number.em_bottom()
        );
        // GW-B-01: 标题 2号, two lines under the rule, each line centred.
        let title: Vec<&Run> = all
            .iter()
            .filter(|l| l.page == 1 && (l.size - 22.0).abs() < 0.1)
            .collect();
        assert_eq!(
            title.len(),
            doc.layout.title.len(),
            "{name}: title lines as gongwen broke them"
        );
        let after = title[0].em_top() - (rule.y + rule.width / 2.0);
        assert!(
            (20.0..=26.0).contains(&after),
            "{name}: GW-B-01 title {after:.2} mm under the rule"
        );
        for t in &title {
            let centre = (t.x0 + t.x1) / 2.0;
            assert!(
                (centre - 106.0).abs() <= 1.0,
                "{name}: GW-B-03 title line centred at {centre:.2}"
            );
        }

        // GW-P-07/08/09 on the body pages.
        let mut full_pages = 0;
        let mut full_lines = 0;
        let mut full28 = 0;
        let mut narrowest = f64::MAX;
        for p in 2..=pages {
            let body: Vec<&Run> = all
                .iter()
                .filter(|l| l.page == p && (l.size - 16.0).abs() < 0.1)
                .collect();
            if body.is_empty() {
                continue;
            }
            let left = if p % 2 == 0 { 26.0 } else { 28.0 };
            assert!(
                body.len() <= 22,
                "{name}: page {p} has {} lines (GW-P-07)",
                body.len()
            );
            let first = body[0];
            let page_first = all
                .iter()
                .find(|l| l.page == p && l.base < 262.0)
                .expect("a line");
            if std::ptr::eq(first, page_first) {
                assert!(
                    (first.em_top() - 37.0).abs() <= 1.0,
                    "{name}: GW-P-09 page {p} line 1 em top {:.2}",
                    first.em_top()
                );
            }
            let mut run = 1;
            for w in body.windows(2) {
                let pitch = w[1].base - w[0].base;
                if (pitch - 10.39).abs() <= 0.2 {
                    run += 1;
                }
            }
            if body.len() == 22 && run == 22 {
                full_pages += 1;
                let last = body[21];
                assert!(
                    last.em_bottom() <= 262.0 + 0.2,
                    "{name}: GW-P-09 line 22 inside the 版心"
                );
            }
            for l in &body {
                // A full justified line (GW-P-08): from the 版心's left to its
                // right edge, 28 characters.
                if (l.x0 - left).abs() < 0.3
                    && (l.x1 - (left + 156.0)).abs() <= 0.6
                    && !l.text.chars().any(|c| c.is_ascii())
                {
                    full_lines += 1;
                    // Never 29; fewer only where LibreOffice may not break (a mark
                    // that may not end or start a line, “〔2019〕11号” kept
                    // whole) and pushed characters out.
                    let c = cells(&l.text);
                    assert!(
                        (26.0..=28.0).contains(&c),
                        "{name}: GW-P-08 page {p} “{}”: {c}",
                        l.text
                    );
                    if c == 28.0 {
                        full28 += 1;
                    }
                    // LibreOffice's justified lines end up to 0.52 mm short
                    // of the right edge (README: what LibreOffice cannot
                    // meet); the spec allows 0.5.
                    narrowest = narrowest.min(l.x1 - l.x0);
                    assert!(
                        (-0.6..=0.5).contains(&(l.x1 - l.x0 - 156.0)),
                        "{name}: GW-P-08 width {:.2}",
                        l.x1 - l.x0
                    );
                }
            }
        }
        assert!(
            full_pages >= 1,
            "{name}: a full body page of 22 lines (GW-P-07)"
        );
        assert!(
            full_lines >= 20,
            "{name}: full lines measured: {full_lines}"
        );
        assert!(
            full28 as f64 >= 0.9 * full_lines as f64,
            "{name}: GW-P-08 28 characters on {full28} of {full_lines} full lines"
        );

        // GW-N-01..03: “— N —” in 4号, odd pages 1 字 from the right edge,
        // even pages 1 字 from the left (mirrored), at gongwen's own height
        // (dash centre 7 mm under the 版心).
        let zi = gongwen::compose::grid::PITCH_PT * MM;
        for p in 1..=pages {
            let num = format!("— {p} —");
            let Some(n) = all.iter().find(|l| l.page == p && l.text.trim() == num) else {
                continue;
            };
            // The dash's centre 7 mm under the 版心 (y = 269 mm).
            let dash = n.base - doc.layout.metrics.dash_centre_em * 14.0 * MM;
            assert!(
                (n.size - 14.0).abs() < 0.1,
                "{name}: GW-N-01 page number 4号"
            );
            assert!(
                (dash - 269.0).abs() <= 1.0,
                "{name}: GW-N-02 page {p} dash centre {dash:.2}"
            );
            if p % 2 == 1 {
                assert!(
                    (n.x1 - (184.0 - zi)).abs() <= 1.0,
                    "{name}: GW-N-03 odd page {p} right edge {:.2}",
                    n.x1
                );
            } else {
                assert!(
                    (n.x0 - (26.0 + zi)).abs() <= 1.0,
                    "{name}: GW-N-03 even page {p} left edge {:.2}",
                    n.x0
                );
            }
        }

        // GW-E-01/02: the 版记 on the last page, an even one; its rules span
        // the 版心, thick first and last, the last on the 版心 bottom.
        assert_eq!(pages % 2, 0, "{name}: GW-E-01 版记 on an even page");
        let colophon: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.page == pages && r.stroke[0] < 0.2 && r.width > 0.2)
            .fold(Vec::new(), |mut v, r| {
                if !v.iter().any(|o: &&Rule| (o.y - r.y).abs() < 0.05) {
                    v.push(r);
                }
                v
            });
        assert!(colophon.len() >= 2, "{name}: 版记 rules");
        let last = colophon.iter().max_by(|a, b| a.y.total_cmp(&b.y)).unwrap();
        let first = colophon.iter().min_by(|a, b| a.y.total_cmp(&b.y)).unwrap();
        assert!(
            (last.y - 262.0).abs() <= 0.5,
            "{name}: GW-E-02 last rule at {:.2}",
            last.y
        );
        for r in &colophon {
            assert!(
                (r.x1 - r.x0 - 156.0).abs() <= 0.5,
                "{name}: GW-E-02 rule length {:.2}",
                r.x1 - r.x0
            );
            let thick = std::ptr::eq(*r, *first) || std::ptr::eq(*r, *last);
            let want = if thick { 0.35 } else { 0.25 };
            assert!(
                (r.width - want).abs() <= 0.03,
                "{name}: GW-E-02 rule width {:.3} mm",
                r.width
            );
        }
        let printed = doc.layout.colophon.printer.clone().unwrap_or_default();
        assert!(text.contains(&printed), "{name}: 印发机关 on the 版记 page");
        report.push(format!(
            "{name}: {pages} 页；标志 {:.2}；字号距标志 {gap:.2}；红线距字号 {:.2}；标题距红线 {after:.2}；满页 {full_pages}；满行 {full_lines}（28 字 {full28}，最窄 {narrowest:.2}）；版记末线 {:.2}",
            issuer.em_top(),
            rule_top - number.em_bottom(),
            last.y
        ));
    }
    eprintln!("{}", report.join("\n"));
}

/// GW-B-43/44 in LibreOffice's layout: the seal (an SVG, written as PNG)
/// covers the 署名 and the date, its centre above their middle, its top
/// within one line under the last 正文 line; the date 4 字 from the right.
#[test]
fn docx_seal_over_signature_and_date_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.svg"), super::common::SEAL_SVG).unwrap();
    let yaml = "kind: 通知\nissuer: 某某县人民政府办公室\nnumber: 某政办发〔2024〕3号\ntitle: 关于做好防汛工作的通知\nto: 各乡镇人民政府\nbody: |\n  为做好今年防汛工作，现就有关事项通知如下，请认真贯彻落实。\nsignature: 某某县人民政府办公室\nseal: seal.svg\ndate: 2024-05-20\ncc: 县委办公室\nprinter: 某某县人民政府办公室\nprint_date: 2024-05-20\n";
    std::fs::write(d.join("s.yaml"), yaml).unwrap();
    let o = gongwen(&["render", "s.yaml", "-o", "s.docx"], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let Some(pdf) = libreoffice_pdf(&d.join("s.docx"), d) else {
        return;
    };
    let (runs, _, images, _) = read_pdf_images(&pdf);
    let all = lines(&runs);
    let [x0, top, x1, bottom] = images
        .iter()
        .find(|i| i.0 == 1)
        .expect("the seal on page 1")
        .1;
    let name = all
        .iter()
        .find(|l| l.page == 1 && l.text == "某某县人民政府办公室" && !l.red())
        .expect("署名");
    let date = all
        .iter()
        .find(|l| l.page == 1 && l.text.replace(' ', "") == "2024年5月20日")
        .expect("成文日期");
    let last_body = all
        .iter()
        .filter(|l| l.page == 1 && l.base < name.base - 1.0 && (l.size - 16.0).abs() < 0.1)
        .max_by(|a, b| a.base.total_cmp(&b.base))
        .unwrap();
    for (what, l) in [("署名", name), ("日期", date)] {
        assert!(
            x0 < l.x1 && l.x0 < x1 && top < l.em_bottom() && l.em_top() < bottom,
            "GW-B-44 the seal covers the {what}"
        );
    }
    let centre = (top + bottom) / 2.0;
    assert!(
        centre < (name.em_top() + date.em_bottom()) / 2.0,
        "GW-B-44 seal centre {centre:.2} above the middle"
    );
    let gap = top - last_body.em_bottom();
    assert!(
        (0.0..=10.39).contains(&gap),
        "GW-B-44 seal top {gap:.2} mm under the last 正文 line"
    );
    let zi = gongwen::compose::grid::PITCH_PT * MM;
    assert!(
        (date.x1 - (184.0 - 4.0 * zi)).abs() <= 1.0,
        "GW-B-43 date right edge {:.2}",
        date.x1
    );
    eprintln!(
        "印章 {x0:.2}–{x1:.2} × {top:.2}–{bottom:.2}；署名 {:.2}–{:.2}；日期 {:.2}–{:.2}，右边缘 {:.2}；印章上沿距正文 {gap:.2}",
        name.x0, name.x1, date.x0, date.x1, date.x1
    );
}

/// gongwen's own layout of a YAML file, to compare LibreOffice's with.
fn own_layout(yaml: &Path) -> gongwen::typeset::inspect::Inspection {
    let doc = gongwen::render::prepare(engine(), yaml).expect("prepares");
    gongwen::typeset::inspect::Inspection::of(&gongwen::render::pages(engine(), &doc).unwrap())
}

/// Writes `yaml` as `name.yaml` in `dir`, renders it as .docx and lays it
/// out with LibreOffice; `None` when LibreOffice is missing.
fn docx_through_libreoffice(dir: &Path, name: &str, yaml: &str) -> Option<(PathBuf, Pdf)> {
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, yaml).unwrap();
    let o = gongwen(
        &[
            "render",
            &format!("{name}.yaml"),
            "-o",
            &format!("{name}.docx"),
        ],
        dir,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = libreoffice_pdf(&dir.join(format!("{name}.docx")), dir)?;
    Some((file, read_pdf_all(&pdf)))
}

/// A 函 long enough for two pages.
fn letter_yaml() -> String {
    let para = "  为做好年度预算编制工作，请贵局提供2023年全县规模以上企业主要经济指标，包括工业总产值、营业收入、利润总额、从业人员等，并附简要说明。\n";
    format!(
        "kind: 函\nissuer: 青石县财政局\nnumber: 青财函〔2024〕3号\ntitle: 青石县财政局关于商请提供有关数据的函\nto: 青石县统计局\nbody: |\n{}  请于5月31日前反馈。\n  特此函商。\nsignature: 青石县财政局\ndate: 2024-05-20\ncc: 县人民政府办公室\n",
        para.repeat(9)
    )
}

/// 信函格式 (GW-S-01..08) in LibreOffice's layout of the .docx, against
/// the rule book and gongwen's own PDF of the same YAML.
#[test]
fn docx_letter_format_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let Some((yaml, pdf)) = docx_through_libreoffice(dir.path(), "letter", &letter_yaml()) else {
        return;
    };
    let own = own_layout(&yaml);
    let all = lines(&pdf.runs);
    assert_eq!(pdf.pages, own.pages, "LibreOffice breaks pages as gongwen");
    assert_eq!(pdf.pages, 2, "the test letter has two pages");
    let own_line = |pred: &dyn Fn(&gongwen::typeset::inspect::TextRun) -> bool| {
        own.runs
            .iter()
            .filter(|r| r.page == 1 && pred(r))
            .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
            .cloned()
            .expect("in gongwen's PDF")
    };

    // GW-S-01: the 标志, red, no “文件”, em top 30 mm from the paper's top.
    let issuer = all
        .iter()
        .find(|l| l.page == 1 && l.red())
        .expect("a red 标志 on page 1");
    let own_issuer = own_line(&|r| r.red && r.size_pt > 16.5);
    assert!(!issuer.text.contains("文件"), "GW-S-01 no 文件");
    assert!(
        (-1.0..=1.5).contains(&(issuer.em_top() - 30.0)),
        "GW-S-01 标志 em top {:.2}",
        issuer.em_top()
    );
    assert!(
        (issuer.em_top() - own_issuer.em_top()).abs() <= 0.5,
        "GW-S-01 标志 {:.2} against gongwen's {:.2}",
        issuer.em_top(),
        own_issuer.em_top()
    );
    assert!(
        ((issuer.x0 + issuer.x1) / 2.0 - 106.0).abs() <= 1.0,
        "GW-S-01 标志 centred"
    );

    // GW-S-02: two red double rules, 170 mm, x 20 → 190; upper thick over
    // thin 4 mm under the 标志, lower thin over thick ending at 277 mm.
    let mut red: Vec<&Fill> = pdf
        .fills
        .iter()
        .filter(|f| f.page == 1 && f.red())
        .collect();
    red.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    assert_eq!(red.len(), 4, "GW-S-02 four red bars on page 1: {red:?}");
    let mut own_red: Vec<&gongwen::typeset::inspect::Rule> =
        own.rules.iter().filter(|r| r.page == 1 && r.red).collect();
    own_red.sort_by(|a, b| a.y.total_cmp(&b.y));
    assert_eq!(own_red.len(), 4, "gongwen's PDF has the four bars");
    for (f, o) in red.iter().zip(&own_red) {
        assert!(
            (f.x0 - 20.0).abs() <= 0.3 && (f.x1 - 190.0).abs() <= 0.3,
            "GW-S-02 170 mm centred on the page: {:.2}–{:.2}",
            f.x0,
            f.x1
        );
        assert!(
            (f.y0 - o.y).abs() <= 0.3 && ((f.y1 - f.y0) - o.height).abs() <= 0.1,
            "GW-S-02 bar at {:.2}+{:.2} against gongwen's {:.2}+{:.2}",
            f.y0,
            f.y1 - f.y0,
            o.y,
            o.height
        );
    }
    let h = |f: &Fill| f.y1 - f.y0;
    assert!(h(red[0]) > h(red[1]), "GW-S-02 upper rule thick over thin");
    assert!(h(red[2]) < h(red[3]), "GW-S-02 lower rule thin over thick");
    let upper_gap = red[0].y0 - issuer.em_bottom();
    assert!(
        (upper_gap - 4.0).abs() <= 0.5,
        "GW-S-02 upper rule {upper_gap:.2} mm under the 标志"
    );
    assert!(
        (red[3].y1 - 277.0).abs() <= 0.3,
        "GW-S-02 lower rule bottom at {:.2}",
        red[3].y1
    );
    assert!(
        !pdf.fills.iter().any(|f| f.page > 1 && f.red()),
        "GW-S-02 the double rules are on page 1 only"
    );

    // GW-S-04: 发文字号 flush right, em top 4.84 mm under the upper rule.
    let number = all
        .iter()
        .find(|l| l.page == 1 && l.text.contains('〔'))
        .expect("发文字号");
    let own_number = own_line(&|r| r.text.contains('〔'));
    assert!(
        (number.x1 - 184.0).abs() <= 0.5,
        "GW-S-04 字号 right edge {:.2}",
        number.x1
    );
    let number_gap = number.em_top() - red[1].y1;
    assert!(
        (number_gap - 4.84).abs() <= 0.5,
        "GW-S-04 字号 {number_gap:.2} mm under the rule"
    );
    assert!(
        (number.em_top() - own_number.em_top()).abs() <= 0.5,
        "GW-S-04 字号 against gongwen's"
    );

    // GW-S-05: 标题 centred, where gongwen put it; 主送 under it.
    let title = all
        .iter()
        .find(|l| l.page == 1 && (l.size - 22.0).abs() < 0.1)
        .expect("标题");
    let own_title = own_line(&|r| (r.size_pt - 22.0).abs() < 0.1);
    assert!(
        ((title.x0 + title.x1) / 2.0 - 106.0).abs() <= 1.0,
        "GW-S-05 title centred"
    );
    assert!(
        (title.em_top() - own_title.em_top()).abs() <= 0.5,
        "GW-S-05 title {:.2} against gongwen's {:.2}",
        title.em_top(),
        own_title.em_top()
    );
    let to = all
        .iter()
        .find(|l| l.page == 1 && l.text.starts_with("青石县统计局"))
        .expect("主送");
    let own_to = own_line(&|r| r.text.starts_with("青石县统计局"));
    assert!(
        (to.em_top() - own_to.em_top()).abs() <= 0.5,
        "主送 {:.2} against gongwen's {:.2}",
        to.em_top(),
        own_to.em_top()
    );

    // GW-S-07: no number on page 1; page 2 numbered (even: left).
    assert!(
        !all.iter().any(|l| l.page == 1 && l.text.contains('—')),
        "GW-S-07 no page number on page 1"
    );
    let n2 = all
        .iter()
        .find(|l| l.page == 2 && l.text.trim() == "— 2 —")
        .expect("GW-S-07 page 2 numbered");
    let zi = gongwen::compose::grid::PITCH_PT * MM;
    assert!((n2.x0 - (26.0 + zi)).abs() <= 1.0, "GW-N-03 even page left");

    // GW-S-08: the 版记 without rules at the foot of the last page's 版心.
    let cc = all
        .iter()
        .find(|l| l.page == 2 && l.text.starts_with("抄送"))
        .expect("抄送 on the last page");
    let own_cc = own
        .runs
        .iter()
        .find(|r| r.page == 2 && r.text.starts_with("抄送"))
        .expect("gongwen's 抄送");
    assert!(
        cc.em_bottom() <= 262.2 && cc.em_bottom() > 262.0 - 10.39,
        "GW-S-08 抄送 in the last line of the 版心: em bottom {:.2}",
        cc.em_bottom()
    );
    assert!(
        (cc.em_top() - own_cc.em_top()).abs() <= 0.5,
        "GW-S-08 抄送 {:.2} against gongwen's {:.2}",
        cc.em_top(),
        own_cc.em_top()
    );
    assert!(
        !pdf.rules.iter().any(|r| r.page == 2 && r.stroke[0] < 0.2)
            && !pdf.fills.iter().any(|f| f.page == 2),
        "GW-S-08 no 版记 rules in a 信函"
    );
    eprintln!(
        "信函：标志 {:.2}（gongwen {:.2}）；上双线 {:.2}–{:.2}，距标志 {upper_gap:.2}；下双线 {:.2}–{:.2}；字号右缘 {:.2}，距双线 {number_gap:.2}；标题 {:.2}（{:.2}）；主送 {:.2}（{:.2}）；抄送 {:.2}（{:.2}）",
        issuer.em_top(),
        own_issuer.em_top(),
        red[0].y0,
        red[1].y1,
        red[2].y0,
        red[3].y1,
        number.x1,
        title.em_top(),
        own_title.em_top(),
        to.em_top(),
        own_to.em_top(),
        cc.em_top(),
        own_cc.em_top()
    );
}

/// A line of a stacked 标志: em top, left, right, text.
type StackLine = (f64, f64, f64, String);

/// 命令（令）格式 (GW-S-10..13) and the 联合行文 标志 (GW-H-12) in
/// LibreOffice's layout, at gongwen's own positions.
#[test]
fn docx_order_and_joint_heads_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.svg"), super::common::SEAL_SVG).unwrap();
    let order = "kind: 命令\nissuer: 青石县人民政府令\nnumber: 第5号\ntitle: 青石县人民政府令第5号\nbody: |\n  《青石县城镇燃气安全管理办法》已经2024年5月10日县人民政府第十二次常务会议通过，现予公布，自2024年7月1日起施行。\nsignature: 县长 王建国\nseal: seal.svg\ndate: 2024-05-20\n";
    let Some((yaml, pdf)) = docx_through_libreoffice(d, "order", order) else {
        return;
    };
    let own = own_layout(&yaml);
    let all = lines(&pdf.runs);
    let own_at = |needle: &str| {
        own.runs
            .iter()
            .find(|r| r.page == 1 && r.text.contains(needle))
            .unwrap_or_else(|| panic!("gongwen's {needle}"))
            .clone()
    };
    let lo_at = |needle: &str| {
        all.iter()
            .find(|l| l.page == 1 && l.text.replace(' ', "").contains(needle))
            .unwrap_or_else(|| panic!("LibreOffice's {needle}"))
            .clone()
    };
    let mut figures = Vec::new();
    // GW-S-10 标志 57 mm, GW-S-11 令号 and 正文, GW-B-49 职务 and date.
    for (rule, needle, at_mm) in [
        ("GW-S-10 标志", "青石县人民政府令", Some(57.0)),
        ("GW-S-11 令号", "第5号", None),
        ("GW-S-11 正文", "《青石县", None),
        ("GW-B-49 职务", "县长", None),
        ("GW-B-49 日期", "2024年5月20日", None),
    ] {
        let (lo, own) = (lo_at(needle), own_at(needle));
        assert!(
            (lo.em_top() - own.em_top()).abs() <= 0.5,
            "{rule} em top {:.2} against gongwen's {:.2}",
            lo.em_top(),
            own.em_top()
        );
        if let Some(y) = at_mm {
            assert!(
                (-1.0..=1.5).contains(&(lo.em_top() - y)),
                "{rule} at {y} mm"
            );
        }
        figures.push(format!("{rule} {:.2}（{:.2}）", lo.em_top(), own.em_top()));
    }
    let number = lo_at("第5号");
    assert!(
        ((number.x0 + number.x1) / 2.0 - 106.0).abs() <= 1.0,
        "GW-S-11 令号 centred"
    );
    assert!(
        !pdf.rules
            .iter()
            .any(|r| r.page == 1 && r.stroke[0] > 0.8 && r.stroke[1] < 0.3)
            && !pdf.fills.iter().any(|f| f.red()),
        "GW-S-12 no red rule"
    );
    let zi = gongwen::compose::grid::PITCH_PT * MM;
    let date = lo_at("2024年5月20日");
    assert!(
        (date.x1 - (184.0 - 4.0 * zi)).abs() <= 1.0,
        "GW-B-49 date 4 字 from the right: {:.2}",
        date.x1
    );
    let [x0, top, x1, bottom] = pdf.images.iter().find(|i| i.0 == 1).expect("签名章").1;
    let stamp = own
        .images
        .iter()
        .find(|i| i.page == 1)
        .expect("gongwen's 签名章");
    assert!(
        (x0 - stamp.x).abs() <= 0.5
            && (top - stamp.y).abs() <= 0.5
            && (x1 - x0 - stamp.width).abs() <= 0.5
            && (bottom - top - stamp.height).abs() <= 0.5,
        "GW-B-49 签名章 {x0:.2},{top:.2}–{x1:.2},{bottom:.2} against gongwen's {:.2},{:.2} {:.2}×{:.2}",
        stamp.x,
        stamp.y,
        stamp.width,
        stamp.height
    );
    assert!(
        (x1 - (184.0 - 4.0 * zi)).abs() <= 1.0,
        "GW-B-49 签名章 4 字 from the right"
    );
    figures.push(format!("签名章 {x0:.2}–{x1:.2} × {top:.2}–{bottom:.2}"));

    // GW-H-12: three names stacked, 主办 first, spread over the widest
    // name, “文件” right of them and centred on the stack.
    let joint = "kind: 通知\nissuer:\n  names: [青石县人民政府, 青石县应急管理局, 青石县财政局]\n  suffix: 文件\nnumber: 青政发〔2024〕5号\ntitle: 青石县人民政府 青石县应急管理局 青石县财政局关于做好防汛工作的通知\nto: 各乡镇人民政府，县直各单位\nbody: |\n  为做好今年防汛工作，现就有关事项通知如下，请认真贯彻落实。\nsignature: [青石县人民政府, 青石县应急管理局, 青石县财政局]\ndate: 2024-05-20\n";
    let Some((yaml, pdf)) = docx_through_libreoffice(d, "joint", joint) else {
        return;
    };
    let own = own_layout(&yaml);
    // The stack reads back as the same joint 标志 (the text box with “文件”
    // is anchored after the names).
    let back = gongwen::import::prepare(engine(), &d.join("joint.docx")).expect("imports");
    assert_eq!(
        back.layout.header.issuer_names,
        ["青石县人民政府", "青石县应急管理局", "青石县财政局"],
        "GW-H-12 round trip of the joint 标志"
    );
    assert_eq!(back.layout.header.issuer_suffix.as_deref(), Some("文件"));
    // Red runs of page 1 grouped by baseline: (em top, left, right, text).
    fn stack<'a>(
        runs: impl Iterator<Item = (f64, f64, f64, f64, &'a str)>,
    ) -> (Vec<StackLine>, Option<(f64, f64, f64)>) {
        let mut names: Vec<StackLine> = Vec::new();
        let mut suffix = None;
        for (_, em_top, x0, x1, text) in runs {
            if text.trim() == "文件" {
                suffix = Some((em_top, x0, x1));
                continue;
            }
            match names.iter_mut().find(|n| (n.0 - em_top).abs() < 0.3) {
                Some(n) => {
                    n.1 = n.1.min(x0);
                    n.2 = n.2.max(x1);
                    n.3.push_str(text);
                }
                None => names.push((em_top, x0, x1, text.to_string())),
            }
        }
        names.sort_by(|a, b| a.0.total_cmp(&b.0));
        (names, suffix)
    }
    let (lo_names, lo_suffix) = stack(
        pdf.runs
            .iter()
            .filter(|r| r.page == 1 && r.red())
            .map(|r| (r.base, r.em_top(), r.x0, r.x1, r.text.as_str())),
    );
    let (own_names, own_suffix) = stack(
        own.runs
            .iter()
            .filter(|r| r.page == 1 && r.red)
            .map(|r| (r.baseline, r.em_top(), r.x, r.right(), r.text.as_str())),
    );
    assert_eq!(
        lo_names
            .iter()
            .map(|n| n.3.replace(' ', ""))
            .collect::<Vec<_>>(),
        ["青石县人民政府", "青石县应急管理局", "青石县财政局"],
        "GW-H-12 主办机关 first, one a line"
    );
    assert_eq!(lo_names.len(), own_names.len());
    for (lo, own) in lo_names.iter().zip(&own_names) {
        assert!(
            (lo.0 - own.0).abs() <= 0.5
                && (lo.1 - own.1).abs() <= 0.5
                && (lo.2 - own.2).abs() <= 0.5,
            "GW-H-12 {} at {:.2}, {:.2}–{:.2} against gongwen's {:.2}, {:.2}–{:.2}",
            lo.3,
            lo.0,
            lo.1,
            lo.2,
            own.0,
            own.1,
            own.2
        );
    }
    assert!(
        (-1.0..=1.5).contains(&(lo_names[0].0 - 72.0)),
        "GW-H-12 stack top at 72 mm"
    );
    let (s_top, s_x0, _) = lo_suffix.expect("文件 in LibreOffice's layout");
    let (o_top, o_x0, _) = own_suffix.expect("文件 in gongwen's layout");
    let stack_mid = (lo_names[0].0 + lo_names[2].0) / 2.0;
    assert!(
        (s_top - stack_mid).abs() <= 0.5,
        "GW-H-12 文件 centred on the stack: {s_top:.2} against {stack_mid:.2}"
    );
    assert!(
        (s_top - o_top).abs() <= 0.5 && (s_x0 - o_x0).abs() <= 0.5,
        "GW-H-12 文件 at {s_x0:.2},{s_top:.2} against gongwen's {o_x0:.2},{o_top:.2}"
    );
    figures.push(format!(
        "联合标志 {}；文件 {s_x0:.2},{s_top:.2}（{o_x0:.2},{o_top:.2}）",
        lo_names
            .iter()
            .zip(&own_names)
            .map(|(l, o)| format!(
                "{:.2} {:.2}–{:.2}（{:.2} {:.2}–{:.2}）",
                l.0, l.1, l.2, o.0, o.1, o.2
            ))
            .collect::<Vec<_>>()
            .join("，")
    ));
    eprintln!("{}", figures.join("；"));
}

/// A 通知 with a wide table of 30 rows turned on its pages (GW-S-30/31).
fn turned_table_yaml() -> String {
    let rows: String = (1..=30)
        .map(|i| {
            format!(
                "        - [{i}, 青石县第{i}项重点任务推进落实情况, 县财政局, 2024年{}月底前, 按季度报送进展情况并附佐证材料, 已完成]\n",
                i % 12 + 1
            )
        })
        .collect();
    format!(
        "kind: 通知\nissuer: 青石县人民政府办公室\nnumber: 青政办发〔2024〕7号\ntitle: 青石县人民政府办公室关于印发重点任务清单的通知\nto: 各乡镇人民政府，县直各单位\nbody:\n  - 现将重点任务清单印发给你们，请认真贯彻落实。\n  - table:\n      landscape: true\n      title: 重点任务清单\n      columns: [序号, 任务, 牵头单位, 完成时限, 工作要求, 进展]\n      widths: [1, 5, 2, 2, 5, 1.5]\n      rows:\n{rows}  - 请各单位于每季度末报送进展情况。\nsignature: 青石县人民政府办公室\ndate: 2024-05-20\ncc: 县委办公室\nprinter: 青石县人民政府办公室\nprint_date: 2024-05-20\n"
    )
}

/// A turned table (GW-S-30/31) gets a landscape section in the .docx: in
/// LibreOffice's layout the pages gongwen turned are landscape pages
/// holding the table in the turned 版心 with its head repeated, the page
/// number turned and standing where it stands on a portrait page
/// (GW-N-07), and the text after the table starts a portrait page again.
#[test]
fn docx_turned_table_gets_a_landscape_section() {
    let dir = tempfile::tempdir().unwrap();
    let Some((yaml, pdf)) = docx_through_libreoffice(dir.path(), "turned", &turned_table_yaml())
    else {
        return;
    };
    let own = own_layout(&yaml);
    assert_eq!(pdf.pages, own.pages, "LibreOffice breaks pages as gongwen");
    let own_turned: Vec<usize> = (1..=own.pages)
        .filter(|&p| {
            own.runs
                .iter()
                .any(|r| r.page == p && r.text.contains("牵头单位"))
        })
        .collect();
    assert!(
        own_turned.len() >= 2,
        "gongwen turns the table on pages {own_turned:?}"
    );
    assert_eq!(
        pdf.landscape, own_turned,
        "GW-S-30 the pages gongwen turned are landscape pages"
    );
    let mut figures = Vec::new();
    for &p in &pdf.landscape {
        // GW-S-31: the table in the turned 版心 (paper y 37..262 is the
        // landscape x 35..260; 1 mm allowed for the mirrored margins).
        let rules: Vec<&Rule> = pdf.rules.iter().filter(|r| r.page == p).collect();
        let x0 = rules.iter().map(|r| r.x0).fold(f64::MAX, f64::min);
        let x1 = rules.iter().map(|r| r.x1).fold(f64::MIN, f64::max);
        assert!(
            x0 >= 297.0 - 262.0 - 1.2 && x1 <= 297.0 - 37.0 + 1.2,
            "GW-S-31 page {p}: table {x0:.2}–{x1:.2} in the turned 版心"
        );
        assert!(
            (x1 - x0 - 225.0).abs() <= 0.6,
            "GW-S-31 page {p}: table {:.2} mm wide",
            x1 - x0
        );
        assert!(
            pdf.runs
                .iter()
                .any(|r| r.page == p && r.text.contains("牵头单位")),
            "GW-S-31 page {p}: the head row repeated"
        );
        // GW-N-07: the number turned, at its portrait place.
        let label = format!("— {p} —");
        // LibreOffice writes the dashes and the digits as runs of their own.
        let mut turned: Vec<&Run> = pdf
            .runs
            .iter()
            .filter(|r| r.page == p && r.turned)
            .collect();
        turned.sort_by(|a, b| a.base.total_cmp(&b.base));
        let text: String = turned.iter().map(|r| r.text.replace(' ', "")).collect();
        assert_eq!(
            text,
            label.replace(' ', ""),
            "GW-N-07 a turned page number on page {p}"
        );
        let n = turned[0];
        let o = own
            .runs
            .iter()
            .find(|r| r.page == p && r.text.replace(' ', "") == label.replace(' ', ""))
            .expect("gongwen's page number");
        // Landscape → paper: paper x = landscape y, paper y = 297 − x.
        let (paper_x, paper_base) = (n.base, 297.0 - n.x0);
        assert!(
            (paper_x - o.x).abs() <= 1.0 && (paper_base - o.baseline).abs() <= 0.6,
            "GW-N-07 page {p}: number at {paper_x:.2}, baseline {paper_base:.2} against gongwen's {:.2}, {:.2}",
            o.x,
            o.baseline
        );
        figures.push(format!(
            "第 {p} 页横排：表 {x0:.2}–{x1:.2}（纸面 y {:.2}–{:.2}），页码 x {paper_x:.2} 基线 {paper_base:.2}（gongwen {:.2}, {:.2}）",
            297.0 - x1,
            297.0 - x0,
            o.x,
            o.baseline
        ));
    }
    // The text after the table: a portrait page, line 1.
    let after = lines(&pdf.runs)
        .into_iter()
        .find(|l| l.text.starts_with("请各单位"))
        .expect("the paragraph after the table");
    assert!(
        !pdf.landscape.contains(&after.page),
        "a portrait page after the table"
    );
    assert!(
        (after.em_top() - 37.0).abs() <= 1.0,
        "GW-P-09 the text after the table on line 1: {:.2}",
        after.em_top()
    );
    eprintln!("{}", figures.join("\n"));
}

/// A sealed 通知 of `n` two-line paragraphs.
fn sealed_yaml(n: usize) -> String {
    let body: String = (1..=n)
        .map(|i| {
            format!(
                "  第{i}段，这是一段用来把署名推到页面底部附近的正文内容，请各单位认真贯彻落实。\n"
            )
        })
        .collect();
    format!("kind: 通知\nissuer: 青石县人民政府办公室\nnumber: 青政办发〔2024〕9号\ntitle: 青石县人民政府办公室关于做好防汛工作的通知\nto: 各乡镇人民政府\nbody: |\n{body}signature: 青石县人民政府办公室\nseal: seal.svg\ndate: 2024-05-20\n")
}

/// GW-B-50 in LibreOffice's layout: the 署名, the date and the seal stay
/// on the page of the last 正文 line. With 14 paragraphs gongwen tightens
/// page 2 (the signature does not fit under the 18th line at 1 行) and the
/// .docx sets the same paragraphs at the same pitch; with 16 the 正文 ends
/// on line 22 of page 2, no pitch ≥ 0.9 行 makes room, and the last
/// paragraph goes to page 3 with the signature (keep with next), as in
/// gongwen's PDF.
#[test]
fn docx_signature_stays_with_the_last_line_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.svg"), super::common::SEAL_SVG).unwrap();
    let mut figures = Vec::new();
    for (n, squeezed) in [(14, true), (16, false)] {
        let name = format!("sealed{n}");
        let Some((yaml, pdf)) = docx_through_libreoffice(d, &name, &sealed_yaml(n)) else {
            return;
        };
        let own = own_layout(&yaml);
        let all = lines(&pdf.runs);
        let last_para = format!("第{n}段");
        let page_of = |needle: &str| {
            all.iter()
                .filter(|l| l.text.replace(' ', "").contains(needle))
                .map(|l| l.page)
                .max()
                .unwrap_or_else(|| panic!("{name}: {needle}"))
        };
        let own_page_of = |needle: &str| {
            (1..=own.pages)
                .filter(|&p| {
                    own.lines(p)
                        .iter()
                        .any(|l| l.text.replace(' ', "").contains(needle))
                })
                .max()
                .unwrap_or_else(|| panic!("gongwen's {needle}"))
        };
        // The paragraph's last line: “容，请各单位…”.
        let last_line = all
            .iter()
            .filter(|l| l.text.replace(' ', "").ends_with("认真贯彻落实。"))
            .max_by(|a, b| (a.page, a.base as i64).cmp(&(b.page, b.base as i64)))
            .unwrap();
        let date = all
            .iter()
            .find(|l| l.text.replace(' ', "") == "2024年5月20日")
            .expect("the date");
        let seal = pdf.images.iter().find(|i| i.0 == date.page);
        assert_eq!(
            pdf.pages, own.pages,
            "{name}: LibreOffice breaks pages as gongwen"
        );
        assert_eq!(
            page_of(&last_para),
            own_page_of(&last_para),
            "{name}: the last paragraph on gongwen's page"
        );
        assert_eq!(
            last_line.page, date.page,
            "GW-B-50 {name}: the last 正文 line and the date on one page"
        );
        assert!(
            seal.is_some(),
            "GW-B-50 {name}: the seal on the date's page"
        );
        assert!(
            date.em_bottom() <= 262.2,
            "GW-B-50 {name}: date inside the 版心 ({:.2})",
            date.em_bottom()
        );
        // The pitch of the 正文 on the date's page.
        let body: Vec<&Run> = all
            .iter()
            .filter(|l| {
                l.page == date.page
                    && (l.size - 16.0).abs() < 0.1
                    && l.base < date.base - 15.0
                    && !l.text.contains("青石县人民政府办公室")
            })
            .collect();
        let pitch = body
            .windows(2)
            .map(|w| w[1].base - w[0].base)
            .fold(f64::MAX, f64::min);
        if squeezed {
            assert!(
                (0.9 * 10.39 - 0.05..10.3).contains(&pitch),
                "GW-B-50 {name}: page {} tightened to {pitch:.2} mm (≥ 0.9 行)",
                date.page
            );
        } else {
            assert!(
                (pitch - 10.39).abs() < 0.1,
                "{name}: no tightening ({pitch:.2})"
            );
            assert!(body.len() >= 2, "GW-B-50 {name}: the date's page has 正文");
        }
        figures.push(format!(
            "{n} 段：末行第 {} 页，日期第 {} 页（gongwen 第 {} 页），日期 em 底 {:.2}，该页行距 {pitch:.2}",
            last_line.page,
            date.page,
            own_page_of("2024年5月20日"),
            date.em_bottom()
        ));
    }
    eprintln!("{}", figures.join("；"));
}

/// The text of a .docx's `word/document.xml`.
fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    doc
}

/// Issue 19 follow-up: `batch --format docx` writes one editable plan per
/// unit (each a package LibreOffice opens and lays out, its title naming
/// the unit) and the zip carries them; `summary -o x.docx`
/// writes the report as .docx too.
#[test]
fn docx_from_batch_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let samples = root().join("samples");
    let csv = std::fs::read_to_string(samples.join("plans/villages-2019.csv")).unwrap();
    let units: Vec<&str> = csv.lines().take(4).collect();
    std::fs::write(d.join("u.csv"), units.join("\n") + "\n").unwrap();
    let plan = samples.join("plans/village-zero-accident.yaml");
    let o = gongwen(
        &[
            "batch",
            plan.to_str().unwrap(),
            "--units",
            "u.csv",
            "-o",
            "out",
            "--format",
            "docx",
            "--zip",
            "all.zip",
        ],
        d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<String> = units[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("all.zip")).unwrap()).unwrap();
    for name in &names {
        let file = d.join("out").join(format!("{name}.docx"));
        let bytes = std::fs::read(&file).unwrap_or_else(|_| panic!("{name}.docx written"));
        let xml = document_xml(&bytes);
        assert!(
            xml.contains(name.as_str()),
            "{name}: the unit named in its plan"
        );
        assert!(xml.contains("“零事故”"), "{name}: the title");
        // The zip carries the same file.
        let mut inzip = Vec::new();
        std::io::Read::read_to_end(
            &mut zip.by_name(&format!("{name}.docx")).expect("in the zip"),
            &mut inzip,
        )
        .unwrap();
        assert_eq!(inzip, bytes, "{name}: the zip carries the file");
        // A word processor opens it and lays it out.
        let Some(pdf) = libreoffice_pdf(&file, d) else {
            continue;
        };
        let text: String = lines(&read_pdf_all(&pdf).runs)
            .iter()
            .map(|l| l.text.replace(' ', ""))
            .collect();
        assert!(
            text.contains(name.as_str()),
            "{name}: LibreOffice shows the unit"
        );
    }

    let ledgers = samples.join("ledgers");
    let o = gongwen(
        &[
            "summary",
            "--quarter",
            "2019Q2",
            "--activities",
            ledgers.join("activities-2019.csv").to_str().unwrap(),
            "--hazards",
            ledgers.join("hazards-2019.csv").to_str().unwrap(),
            "--units",
            "南关社区、九里村",
            "--organ",
            "千泉街道办事处",
            "-o",
            "s.docx",
        ],
        d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = document_xml(&std::fs::read(d.join("s.docx")).unwrap());
    // The text without the markup (the title is broken into lines).
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert!(
        text.contains("关于2019年第二季度“零事故”创建工作情况的报告"),
        "the summary's title"
    );
    assert!(xml.contains("九里村"), "the units asked for");
    if let Some(pdf) = libreoffice_pdf(&d.join("s.docx"), d) {
        assert!(
            read_pdf_all(&pdf).pages >= 1,
            "LibreOffice opens the summary"
        );
    }

    // 签批单 and 台账 keep refusing, saying why and what to use.
    let o = gongwen(
        &[
            "ledger",
            "activity",
            ledgers.join("activities-2019.csv").to_str().unwrap(),
            "--month",
            "2019-05",
            "-o",
            "led.docx",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && !d.join("led.docx").exists());
    assert!(
        err.contains("台账是排好格子的表格") && err.contains("--format pdf"),
        "{err}"
    );
}

/// ECMA-376 (transitional) child order of the property elements gongwen
/// writes: Word refuses (“unreadable content”, repair) a file whose
/// children come out of order, while LibreOffice reads it anyway.
const ORDER: [(&str, &[&str]); 5] = [
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    (
        "rPr",
        &[
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
        ],
    ),
    (
        "sectPr",
        &[
            "footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
        ],
    ),
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
        ],
    ),
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
        ],
    ),
];

/// What is wrong with a .docx package as Office Open XML, as far as can be
/// told without Word: every part well-formed XML; every part typed in
/// `[Content_Types].xml`; every relationship's target present; every
/// `r:id`/`r:embed` of the document resolved (footers have no
/// relationships, so none there); drawing ids unique; and the properties'
/// children in schema order ([`ORDER`]).
fn package_problems(bytes: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    let mut parts: BTreeMap<String, String> = BTreeMap::new();
    for n in &names {
        if n.ends_with(".xml") || n.ends_with(".rels") {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(n).unwrap(), &mut s).unwrap();
            parts.insert(n.clone(), s);
        }
    }
    let mut problems = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key.as_bytes())
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    let mut defaults = Vec::new();
    let mut overrides = Vec::new();
    let mut rels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut doc_pr = Vec::new();
    for (name, xml) in &parts {
        let mut r = quick_xml::Reader::from_str(xml);
        // Open elements: (local name, index of the last ordered child seen).
        let mut stack: Vec<(String, usize)> = Vec::new();
        loop {
            let ev = match r.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    problems.push(format!("{name}: not well-formed: {e}"));
                    break;
                }
            };
            let (e, empty) = match &ev {
                Event::Start(e) => (e.clone(), false),
                Event::Empty(e) => (e.clone(), true),
                Event::End(_) => {
                    stack.pop();
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            let local = qname.rsplit(':').next().unwrap_or("").to_string();
            if let Some((parent, last)) = stack.last_mut() {
                if let Some((_, order)) = ORDER.iter().find(|(p, _)| p == parent) {
                    let key = if local == "headerReference" {
                        "footerReference"
                    } else {
                        &local
                    };
                    match order.iter().position(|o| *o == key) {
                        Some(i) if i + 1 >= *last => *last = i + 1,
                        Some(_) => {
                            problems.push(format!("{name}: <{qname}> out of order in <{parent}>"))
                        }
                        None => {
                            problems.push(format!("{name}: <{qname}> is no child of <{parent}>"))
                        }
                    }
                }
            }
            match qname.as_str() {
                "Default" => defaults.extend(attr(&e, "Extension")),
                "Override" => overrides.extend(attr(&e, "PartName")),
                "Relationship" => {
                    let target = attr(&e, "Target").unwrap_or_default();
                    let base = name.replace("_rels/", "").replace(".rels", "");
                    let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
                    let path = if dir.is_empty() {
                        target.clone()
                    } else {
                        format!("{dir}/{target}")
                    };
                    if !names.contains(&path) {
                        problems.push(format!("{name}: target {path} missing"));
                    }
                    rels.entry(base).or_default().extend(attr(&e, "Id"));
                }
                "wp:docPr" => doc_pr.extend(attr(&e, "id")),
                _ => {}
            }
            for key in ["r:id", "r:embed"] {
                if let Some(id) = attr(&e, key) {
                    let known = rels.get(name.as_str()).is_some_and(|v| v.contains(&id))
                        || parts
                            .get(
                                &name
                                    .replace("word/", "word/_rels/")
                                    .replace(".xml", ".xml.rels"),
                            )
                            .is_some_and(|r| r.contains(&format!("Id=\"{id}\"")));
                    if !known {
                        problems.push(format!("{name}: {key}=\"{id}\" has no relationship"));
                    }
                }
            }
            if !empty {
                stack.push((local, 0));
            }
        }
    }
    for n in &names {
        let typed = n == "[Content_Types].xml"
            || overrides.contains(&format!("/{n}"))
            || defaults.iter().any(|ext| n.ends_with(&format!(".{ext}")));
        if !typed {
            problems.push(format!("{n}: no content type"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for id in &doc_pr {
        if !seen.insert(id) {
            problems.push(format!("drawing id {id} used twice"));
        }
    }
    problems
}

/// Issue 19's “opens without repair prompts”, checked as far as this
/// machine can: Word and WPS are not here. Every .docx gongwen writes for
/// the three samples, a two-page 信函, a joint 标志, a 命令 with a 签名章, a
/// turned table and a tightened page passes [`package_problems`], is read
/// by python-docx (an independent reader; tests/docx_check.py) with every
/// style it names defined, and is opened and converted by LibreOffice.
#[test]
fn docx_packages_are_valid_ooxml() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("seal.svg"), super::common::SEAL_SVG).unwrap();
    let mut files = Vec::new();
    for name in SAMPLES {
        files.push(render_sample(d, name).0);
    }
    let order = "kind: 命令\nissuer: 青石县人民政府令\nnumber: 第5号\ntitle: 青石县人民政府令第5号\nbody: |\n  现予公布，自2024年7月1日起施行。\nsignature: 县长 王建国\nseal: seal.svg\ndate: 2024-05-20\n";
    let joint = "kind: 通知\nissuer:\n  names: [青石县人民政府, 青石县财政局]\n  suffix: 文件\nnumber: 青政发〔2024〕5号\ntitle: 关于做好防汛工作的通知\nto: 各乡镇人民政府\nbody: |\n  现就有关事项通知如下。\nsignature: [青石县人民政府, 青石县财政局]\nseal: [seal.svg, seal.svg]\ndate: 2024-05-20\n";
    for (name, yaml) in [
        ("letter", letter_yaml()),
        ("order", order.to_string()),
        ("joint", joint.to_string()),
        ("turned", turned_table_yaml()),
        ("sealed14", sealed_yaml(14)),
    ] {
        std::fs::write(d.join(format!("{name}.yaml")), yaml).unwrap();
        let o = gongwen(
            &[
                "render",
                &format!("{name}.yaml"),
                "-o",
                &format!("{name}.docx"),
            ],
            d,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        files.push(d.join(format!("{name}.docx")));
    }
    for f in &files {
        let problems = package_problems(&std::fs::read(f).unwrap());
        assert!(problems.is_empty(), "{}: {problems:#?}", f.display());
    }
    // The check sees what it looks for: a child out of order and a
    // dangling relationship put into a good file.
    let good = std::fs::read(&files[0]).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut bad = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == "word/document.xml" {
            let s = String::from_utf8(data).unwrap();
            let s = s
                .replacen(
                    "<w:pStyle w:val=\"GwIssuer\"/>",
                    "<w:jc w:val=\"left\"/><w:pStyle w:val=\"GwIssuer\"/>",
                    1,
                )
                .replacen("rIdFtr1", "rIdNone", 1);
            data = s.into_bytes();
        }
        bad.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut bad, &data).unwrap();
    }
    let problems = package_problems(&bad.finish().unwrap().into_inner());
    assert!(
        problems.iter().any(|p| p.contains("out of order"))
            && problems.iter().any(|p| p.contains("rIdNone")),
        "{problems:#?}"
    );
    // python-docx, required under CI (.ci/run installs python-docx 1.2.0).
    let has = std::process::Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has || std::env::var_os("CI").is_none(),
        "CI installs python-docx (.ci/run) to read the .docx"
    );
    if has {
        let o = std::process::Command::new("python3")
            .arg(root().join("tests/docx_check.py"))
            .args(&files)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "python-docx reads every file:\n{out}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            out.contains("sections=P,L,P"),
            "the turned table's landscape section: {out}"
        );
        eprintln!("{out}");
    } else {
        eprintln!("注意：没有安装 python-docx，跳过这一项检查（pip install python-docx==1.2.0）。");
    }
    for f in &files {
        let _ = libreoffice_pdf(f, d);
    }
}
