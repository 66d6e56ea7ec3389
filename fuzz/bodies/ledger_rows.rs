//! CSV and XLSX ledger rows → checked rows → a month: any bytes give rows or
//! row-level errors, never a panic.

use std::path::Path;
use std::sync::OnceLock;

use gongwen::plan::units;
use gongwen::reports::ledger::{self, Kind};
use gongwen::tabular;

fn kind() -> &'static Kind {
    static K: OnceLock<Kind> = OnceLock::new();
    K.get_or_init(|| Kind::load("hazard", None).expect("built-in kind"))
}

/// The target's body: also run on the corpus by `cargo test`
/// (tests/it/fuzz_corpus.rs).
pub fn run(data: &[u8]) {
    let k = kind();
    let file = Path::new("fuzz.csv");
    let tables = [
        tabular::parse_csv(file, data, "台账数据"),
        tabular::parse_xlsx(file, data, None),
    ];
    for table in tables.into_iter().flatten() {
        let Ok(list) = units::from_table(file, table, &k.header_map(), "台账数据") else {
            continue;
        };
        if let Ok(rows) = ledger::check_rows(k, file, list) {
            let m = ledger::month(k, &rows, 2019, 5, None);
            let _ = m.rows.len();
        }
    }
}
