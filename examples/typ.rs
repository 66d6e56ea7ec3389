//! Compiles one layout template with a JSON data file (template development
//! aid): `cargo run --release --example typ -- approval.typ data.json out.pdf`.
//! Templates are read from `templates/` on disk each run, so editing a
//! template needs no rebuild.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [template, data, out] = &args[..] else {
        eprintln!("usage: typ <template.typ> <data.json> <out.pdf>");
        std::process::exit(2);
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = gongwen::render::EngineOptions {
        templates: Some(root.join("templates")),
        ..Default::default()
    };
    let engine = gongwen::render::engine(&opts).unwrap_or_else(|e| panic!("{e}"));
    let json = std::fs::read(data).expect("read data");
    match gongwen::typeset::compile(&engine, template, json, None) {
        Ok(doc) => {
            let pdf = gongwen::typeset::pdf(&doc, "typ").unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(out, pdf).expect("write pdf");
            eprintln!("{} pages → {out}", doc.pages().len());
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
