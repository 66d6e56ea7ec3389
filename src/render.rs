//! The public pipeline used by the CLI, tests and benchmarks.

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{Builder, Layout};
use crate::model::Notice;
use crate::source::SourceFile;
use crate::typeset::fonts::{FontOptions, FontSet};
use crate::typeset::{self, Engine};

/// Options shared by every command that typesets.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub fonts: FontOptions,
    /// `--templates DIR`: layout templates that replace the built-in ones.
    pub templates: Option<PathBuf>,
}

/// Builds the process-wide engine (fonts and templates loaded once).
pub fn engine(opts: &EngineOptions) -> Result<Engine> {
    let fonts = FontSet::load(&opts.fonts).map_err(Error::Other)?;
    let templates = typeset::load_templates(opts.templates.as_deref())?;
    Ok(Engine::new(fonts, templates))
}

/// A checked document ready to typeset.
pub struct Prepared {
    pub source: SourceFile,
    pub layout: Layout,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates a 公文 YAML file. Errors carry file:line:column.
pub fn prepare(engine: &Engine, input: &Path) -> Result<Prepared> {
    let source = SourceFile::read(input)?;
    prepare_source(engine, source)
}

pub fn prepare_source(engine: &Engine, source: SourceFile) -> Result<Prepared> {
    let notice: Notice = source.parse()?;
    let (layout, diags) = Builder::new(&source, &engine.fonts).build(&notice);
    match layout {
        Some(layout) => Ok(Prepared {
            source,
            layout,
            warnings: diags,
        }),
        // Warnings ride along: a clerk fixing errors wants the whole list.
        None => Err(Error::Input(diags)),
    }
}

/// Lays out a prepared document.
pub fn layout(engine: &Engine, doc: &Prepared) -> Result<PagedDocument> {
    let data =
        serde_json::to_vec(&doc.layout).map_err(|e| Error::other(format!("内部错误：{e}")))?;
    let dir = doc.source.path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    typeset::compile(engine, "notice.typ", data, dir)
}

/// Renders `input` to `output` (atomically). Returns the page count and the
/// warnings.
pub fn render_file(
    engine: &Engine,
    input: &Path,
    output: &Path,
) -> Result<(usize, Vec<Diagnostic>)> {
    let doc = prepare(engine, input)?;
    let paged = layout(engine, &doc)?;
    let bytes = typeset::pdf(&paged, &input.display().to_string())?;
    typeset::write_atomic(output, &bytes)?;
    Ok((paged.pages().len(), doc.warnings))
}
