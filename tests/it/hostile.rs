//! User text is data, never Typst markup: hostile strings in every text field
//! render literally and reach no file.

use crate::common::*;

const HOSTILE: [&str; 10] = [
    "#read(\"/etc/passwd\")",
    "$x$",
    "*粗体*",
    "_斜体_",
    "@ref",
    "<label>",
    "反斜杠\\",
    "]",
    "{{ x }}",
    "#set page(width: 1cm)",
];

#[test]
fn hostile_strings_render_literally_in_every_field() {
    for h in HOSTILE {
        let q = h.replace('\\', "\\\\").replace('"', "\\\"");
        let yaml = notice(&format!(
            "copy_number: 1\nsecrecy: \"机密★{q}\"\nissuer: \"{q}文件\"\ntitle: \"关于{q}的通知\"\nto: \"{q}单位\"\nbody:\n  - \"正文{q}结束\"\n  - table:\n      columns: [\"表头{q}\"]\n      rows: [[\"表格{q}\"]]\nsignature: \"{q}机关\"\nnote: \"附注{q}\"\ncc: \"{q}\"\nprinter: \"{q}办公室\"\n"
        ));
        let ins = render(&yaml).unwrap_or_else(|e| panic!("{h}: {e}"));
        let text = ins.text();
        let bare: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        let all_lines: Vec<String> = (1..=ins.pages)
            .flat_map(|p| ins.lines(p))
            .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        for (field, needle) in [
            ("secrecy", format!("机密★{bare}")),
            ("issuer", format!("{bare}文件")),
            ("title", format!("关于{bare}的通知")),
            ("to", format!("{bare}单位：")),
            ("body", format!("正文{bare}结束")),
            ("table column", format!("表头{bare}")),
            ("table cell", format!("表格{bare}")),
            ("signature", format!("{bare}机关")),
            ("note", format!("附注{bare}")),
            ("cc", format!("抄送：{bare}")),
            ("printer", format!("{bare}办公室")),
        ] {
            // Each field on a line of its own, printed as written.
            assert!(
                all_lines.iter().any(|l| l.contains(&needle)),
                "{h}: {field} not literal ({needle}); lines: {all_lines:#?}"
            );
        }
        assert!(!text.contains("root:"), "{h}: a file was read");
        // Markup would change the face or size of part of the line (math,
        // strong, emph, raw): the body line is one face at 3号.
        let body = ins
            .lines(1)
            .into_iter()
            .find(|l| l.text.contains("正文"))
            .expect("body line");
        for r in &body.runs {
            assert_eq!(r.size_pt, 16.0, "{h}: {:?} at {} pt", r.text, r.size_pt);
            assert_eq!(
                r.family, "FandolFang R",
                "{h}: {:?} in {}",
                r.text, r.family
            );
        }
    }
}

#[test]
fn hostile_page_geometry_is_unchanged() {
    // “#set page(width: 1cm)” as text must not change the page.
    let ins = render(&notice("title: \"#set page(width: 1cm)的通知\"\n")).expect("renders");
    let number = ins
        .lines(1)
        .into_iter()
        .find(|l| l.text.starts_with('—'))
        .expect("page number");
    near(number.right, 184.0 - zi(), 0.5, "page still A4");
}
