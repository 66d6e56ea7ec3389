//! Prints every line of a rendered document with its position (debugging aid).
fn main() {
    let input = std::env::args()
        .nth(1)
        .expect("usage: dump <input.yaml> [page]");
    let page: Option<usize> = std::env::args().nth(2).and_then(|p| p.parse().ok());
    let engine = gongwen::render::engine(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let doc = gongwen::render::prepare(&engine, std::path::Path::new(&input))
        .unwrap_or_else(|e| panic!("{e}"));
    let paged = gongwen::render::pages(&engine, &doc).unwrap_or_else(|e| panic!("{e}"));
    let ins = gongwen::typeset::inspect::Inspection::of(&paged);
    for p in 1..=ins.pages {
        if page.is_some_and(|x| x != p) {
            continue;
        }
        for l in ins.lines(p) {
            if std::env::var_os("RUNS").is_some() {
                for r in &l.runs {
                    println!(
                        "      run x {:.3} w {:.3} ink {:.3} {} {}",
                        r.x, r.width, r.ink_right, r.family, r.text
                    );
                }
            }
            println!(
                "p{p} base {:7.2} top {:7.2} x {:7.2}..{:7.2} n={:2} {}",
                l.baseline,
                l.runs[0].em_top(),
                l.left,
                l.right,
                l.text.chars().count(),
                l.text
            );
        }
        for r in ins.rules.iter().filter(|r| r.page == p) {
            println!(
                "p{p} rule x {:.2} y {:.2} w {:.2} h {:.2} red {}",
                r.x, r.y, r.width, r.height, r.red
            );
        }
    }
}
