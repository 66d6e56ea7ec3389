//! The command line as a clerk uses it: exit codes, default output names, no
//! file on error, scaffolds that render as they are.

use crate::common::gongwen;
use std::path::Path;
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

#[test]
fn render_writes_the_default_output_next_to_the_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("qianquan-2019-8.yaml"), dir.path().join("通知.yaml")).unwrap();
    let o = gongwen(&["render", "通知.yaml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(dir.path().join("通知.pdf")).expect("通知.pdf written");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(stderr(&o).contains("已生成"));
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".gongwen-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_input_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = sample("bad/lingchuan-2020-28-seed-errors.yaml");
    let out = dir.path().join("x.pdf");
    let o = gongwen(
        &["render", bad.to_str().unwrap(), "-o", out.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "no output on error");
    let e = stderr(&o);
    assert!(
        e.contains("六角括号") && e.contains("字段 number") && e.contains("未生成任何文件"),
        "{e}"
    );
    // An existing output is left untouched.
    std::fs::write(&out, b"old").unwrap();
    let o = gongwen(
        &["render", bad.to_str().unwrap(), "-o", out.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
}

#[test]
fn check_reports_and_exits_without_writing() {
    // The inputs are copied into a fresh folder: the default output would
    // go next to them, so that folder shows whether anything was written.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(sample("qianquan-2019-8.yaml"), d.join("good.yaml")).unwrap();
    std::fs::copy(
        sample("bad/lingchuan-2020-28-seed-errors.yaml"),
        d.join("bad.yaml"),
    )
    .unwrap();
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let o = gongwen(&["check", "good.yaml"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("检查通过"));
    assert_eq!(listing(), ["bad.yaml", "good.yaml"], "check writes nothing");
    let o = gongwen(&["check", "bad.yaml"], d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("六角括号"), "{}", stderr(&o));
    assert_eq!(listing(), ["bad.yaml", "good.yaml"], "check writes nothing");
    // And `render` of the bad input writes nothing next to it either.
    let o = gongwen(&["render", "bad.yaml"], d);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        listing(),
        ["bad.yaml", "good.yaml"],
        "render writes nothing"
    );
}

#[test]
fn scaffolds_render_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    // Issue 13 item 7: a scaffold for each of the 15 文种, written for a
    // county office, that renders without errors.
    let kinds: Vec<&str> = gongwen::scaffold::kinds().collect();
    assert_eq!(kinds.len(), 15);
    for kind in gongwen::model::notice::KINDS {
        assert!(kinds.contains(&kind), "no scaffold for {kind}");
    }
    for kind in kinds {
        let o = gongwen(&["new", kind], dir.path());
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("某某市人民政府"),
            "{kind}: scaffolds are written for a county office"
        );
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let yaml = dir.path().join(format!("{kind}.yaml"));
        std::fs::write(&yaml, &o.stdout).unwrap();
        let o = gongwen(&["render", yaml.to_str().unwrap()], dir.path());
        assert!(
            o.status.success(),
            "{kind} scaffold does not render: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("错误"), "{kind}: {}", stderr(&o));
    }
    let o = gongwen(&["new", "方案"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("可用：") && stderr(&o).contains("通知"));
}

#[test]
fn fonts_reports_every_role_with_source_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen(&["fonts", "--no-system-fonts"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for role in [
        "仿宋（正文）",
        "小标宋",
        "黑体",
        "楷体",
        "宋体（页码）",
        "生僻字备用",
    ] {
        assert!(out.contains(role), "{role} missing:\n{out}");
    }
    assert!(out.contains("FandolFang R【替代字体】"), "{out}");
    assert!(out.contains("随程序附带"), "{out}");
    assert!(out.contains("GB2312 汉字 6763/6763"), "{out}");
    assert!(
        out.contains("GBK 汉字 20902/20902"),
        "Noto covers GBK:\n{out}"
    );
}

/// Copies an OpenType font under a new family name (rewrites the `name`
/// table, appended at the end of the file), to stand in for a genuine face.
fn renamed_font(src: &[u8], family: &str) -> Vec<u8> {
    let u16_at = |b: &[u8], i: usize| u16::from_be_bytes([b[i], b[i + 1]]) as usize;
    let u32_at =
        |b: &[u8], i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
    let num_tables = u16_at(src, 4);
    let dir = (0..num_tables)
        .map(|t| 12 + 16 * t)
        .find(|&r| &src[r..r + 4] == b"name")
        .expect("name table");
    let (off, _len) = (u32_at(src, dir + 8), u32_at(src, dir + 12));
    let count = u16_at(src, off + 2);
    let storage = off + u16_at(src, off + 4);
    let mut records = Vec::new();
    let mut strings: Vec<u8> = Vec::new();
    for i in 0..count {
        let r = off + 6 + 12 * i;
        let (platform, encoding, language, name_id) = (
            u16_at(src, r),
            u16_at(src, r + 2),
            u16_at(src, r + 4),
            u16_at(src, r + 6),
        );
        let (len, soff) = (u16_at(src, r + 8), u16_at(src, r + 10));
        let mut bytes = src[storage + soff..storage + soff + len].to_vec();
        if name_id == 1 || name_id == 16 || name_id == 4 || name_id == 6 {
            bytes = if platform == 1 {
                family.as_bytes().to_vec()
            } else {
                family
                    .encode_utf16()
                    .flat_map(|u| u.to_be_bytes())
                    .collect()
            };
        }
        records.push((
            platform,
            encoding,
            language,
            name_id,
            bytes.len(),
            strings.len(),
        ));
        strings.extend(bytes);
    }
    let mut table = Vec::new();
    for v in [0u16, count as u16, (6 + 12 * count) as u16] {
        table.extend(v.to_be_bytes());
    }
    for (p, e, l, n, len, so) in records {
        for v in [
            p as u16, e as u16, l as u16, n as u16, len as u16, so as u16,
        ] {
            table.extend(v.to_be_bytes());
        }
    }
    table.extend(strings);
    let mut out = src.to_vec();
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
    let new_off = out.len() as u32;
    out.extend(&table);
    out[dir + 8..dir + 12].copy_from_slice(&new_off.to_be_bytes());
    out[dir + 12..dir + 16].copy_from_slice(&(table.len() as u32).to_be_bytes());
    out
}

#[test]
fn genuine_fonts_from_font_dir_are_preferred() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("正版字体");
    std::fs::create_dir(&fonts).unwrap();
    let kai =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/FandolKai-Regular.ttf"))
            .unwrap();
    std::fs::write(fonts.join("fs.ttf"), renamed_font(&kai, "FangSong_GB2312")).unwrap();
    let o = gongwen(
        &[
            "fonts",
            "--no-system-fonts",
            "--font-dir",
            fonts.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let fang = out.split("小标宋").next().unwrap();
    assert!(fang.contains("FangSong_GB2312【正版字体】"), "{out}");
    assert!(fang.contains("--font-dir"), "{out}");
    // And the PDF uses it for 正文.
    let yaml = dir.path().join("a.yaml");
    std::fs::copy(sample("qianquan-2019-8.yaml"), &yaml).unwrap();
    let o = gongwen(
        &[
            "render",
            "a.yaml",
            "--no-system-fonts",
            "--font-dir",
            fonts.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(dir.path().join("a.pdf")).unwrap();
    let has = |n: &[u8]| pdf.windows(n.len()).any(|w| w == n);
    // The stand-in's PostScript name is renamed too, so the embedded font
    // names which face the PDF uses (the bundled 楷体 is FandolKai as well).
    assert!(has(b"FangSong_GB2312"), "genuine 仿宋 embedded");
    assert!(
        !has(b"FandolFang"),
        "the substitute 仿宋 is not used when the genuine face is present"
    );
    // The 仿宋 role's text (正文, 主送, 署名) is set in the genuine face.
    let engine = gongwen::render::engine(&gongwen::render::EngineOptions {
        fonts: gongwen::typeset::fonts::FontOptions {
            font_dirs: vec![fonts.clone()],
            no_system_fonts: true,
            ..Default::default()
        },
        templates: None,
    })
    .unwrap();
    let doc = gongwen::render::prepare(&engine, &yaml).unwrap();
    let ins =
        gongwen::typeset::inspect::Inspection::of(&gongwen::render::pages(&engine, &doc).unwrap());
    for needle in ["街道安委会各成员单位", "按照邹城市委"] {
        let run = ins.find(needle).expect(needle);
        assert_eq!(
            run.family, "FangSong_GB2312",
            "{needle} in the genuine 仿宋"
        );
    }
}

/// The font index (issue 6) never hides a font installed or replaced since
/// the last run.
#[test]
fn the_font_index_follows_fonts_added_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("正版字体");
    std::fs::create_dir(&fonts).unwrap();
    let index = dir.path().join("cache/font-index.json");
    let fang_of = || {
        let o = crate::common::command()
            .args(["fonts", "--no-system-fonts", "--font-dir"])
            .arg(&fonts)
            .env("GONGWEN_FONTS", crate::common::root().join("fonts"))
            .env("GONGWEN_FONT_INDEX", &index)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        out.split("小标宋").next().unwrap().to_string()
    };
    assert!(fang_of().contains("FandolFang"));
    let text = std::fs::read_to_string(&index).expect("the index is written");
    assert!(text.contains("gongwen-font-index-1") && text.contains("FandolFang"));

    let kai = std::fs::read(crate::common::root().join("fonts/FandolKai-Regular.ttf")).unwrap();
    let face = fonts.join("fs.ttf");
    std::fs::write(&face, renamed_font(&kai, "FangSong_GB2312")).unwrap();
    assert!(fang_of().contains("FangSong_GB2312【正版字体】"));

    // The same file name now holds another face: read again, not remembered.
    std::fs::write(&face, renamed_font(&kai, "Not A Government Face")).unwrap();
    assert!(fang_of().contains("FandolFang"));
}

#[test]
fn help_is_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen(&["--help"], dir.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("排版一份公文"), "{out}");
}

#[test]
fn templates_dir_replaces_the_builtin_layout() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/notice.typ"))
            .unwrap();
    std::fs::write(
        tpl.join("notice.typ"),
        builtin.replace(
            "#let d = json(\"/data.json\")",
            "#let d = json(\"/data.json\")\n#place(top + left, [自定义模板])",
        ),
    )
    .unwrap();
    let yaml = dir.path().join("a.yaml");
    std::fs::copy(sample("qianquan-2019-8.yaml"), &yaml).unwrap();
    let o = gongwen(
        &["render", "a.yaml", "--templates", tpl.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = lopdf::Document::load(dir.path().join("a.pdf")).unwrap();
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains("自定义模板"), "{text}");
    // A template that reads outside its world fails with a Chinese message
    // and writes nothing.
    std::fs::write(tpl.join("notice.typ"), "#read(\"/etc/passwd\")").unwrap();
    std::fs::remove_file(dir.path().join("a.pdf")).unwrap();
    let o = gongwen(
        &["render", "a.yaml", "--templates", tpl.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("排版失败"), "{}", stderr(&o));
    assert!(!dir.path().join("a.pdf").exists());
    let o = gongwen(
        &["render", "a.yaml", "--templates", "没有这个文件夹"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("模板文件夹"), "{}", stderr(&o));
}

#[test]
fn check_reports_the_seed_000_format_errors_on_the_copy_that_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen(
        &[
            "check",
            sample("bad/qianquan-2019-8-seed-errors.yaml")
                .to_str()
                .unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("千街发(2019)8号") && e.contains("应为“千街发〔2019〕8号”"),
        "{e}"
    );
    assert!(e.contains("半角括号"), "{e}");
    assert!(e.contains("序号后面不空格"), "{e}");
}

#[test]
fn watch_re_renders_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(sample("qianquan-2019-8.yaml"), d.join("a.yaml")).unwrap();
    let mut child = crate::common::command()
        .args(["watch", "a.yaml"])
        .current_dir(d)
        .env(
            "GONGWEN_FONTS",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"),
        )
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let text = |p: &Path| -> String {
        lopdf::Document::load(p)
            .ok()
            .and_then(|doc| doc.extract_text(&[1]).ok())
            .unwrap_or_default()
    };
    let wait_for = |needle: &str| -> bool {
        for _ in 0..100 {
            if text(&d.join("a.预览.pdf")).contains(needle) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    let first = wait_for("邹城市千泉街道办事处");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let edited = std::fs::read_to_string(d.join("a.yaml")).unwrap().replace(
        "各村（居），街道安委会各成员单位，各企事业单位",
        "各村（居）改稿后",
    );
    std::fs::write(d.join("a.yaml"), edited).unwrap();
    let second = wait_for("改稿后");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "first render");
    assert!(second, "re-rendered after the save");
    // The preview says what it is, and the final PDF was never written.
    let preview = text(&d.join("a.预览.pdf"));
    assert!(preview.contains("草稿预览"), "preview mark");
    // “未取号” only where the number printed has no sequence number.
    assert_eq!(
        preview.contains("未取号"),
        !preview.contains("〔2019〕8号"),
        "{preview}"
    );
    assert!(!d.join("a.pdf").exists(), "watch wrote the final PDF");
}

#[test]
fn watch_never_writes_the_final_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(sample("qianquan-2019-8.yaml"), d.join("a.yaml")).unwrap();
    std::fs::write(d.join("a.pdf"), b"final").unwrap();
    let o = crate::common::gongwen(&["watch", "a.yaml", "-o", "a.pdf"], d);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("监视时不写正式文件"), "{e}");
    assert_eq!(std::fs::read(d.join("a.pdf")).unwrap(), b"final");
}
