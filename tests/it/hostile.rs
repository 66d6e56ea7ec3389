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
            "issuer: \"{q}文件\"\ntitle: \"关于{q}的通知\"\nto: \"{q}单位\"\nbody:\n  - \"正文{q}结束\"\n  - table:\n      columns: [\"{q}\", 列二]\n      rows: [[\"{q}\", 值]]\nsignature: \"{q}机关\"\nnote: \"{q}\"\ncc: \"{q}\"\nprinter: \"{q}办公室\"\n"
        ));
        let ins = render(&yaml).unwrap_or_else(|e| panic!("{h}: {e}"));
        let text = ins.text();
        let bare: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        for (what, needle) in [
            ("title", format!("关于{bare}的通知")),
            ("body", format!("正文{bare}结束")),
            ("signature", format!("{bare}机关")),
            ("cc", format!("抄送：{bare}")),
        ] {
            assert!(
                text.contains(&needle),
                "{h}: {what} not literal; text: {text}"
            );
        }
        assert!(!text.contains("root:"), "{h}: a file was read");
        assert_eq!(
            ins.runs
                .iter()
                .filter(|r| r.page == 1)
                .map(|r| r.size_pt)
                .fold(0.0, f64::max),
            36.0_f64.min(
                ins.runs
                    .iter()
                    .filter(|r| r.page == 1)
                    .map(|r| r.size_pt)
                    .fold(0.0, f64::max)
            )
        );
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
