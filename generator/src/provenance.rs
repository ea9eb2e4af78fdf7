//! Records in the service's `paved.toml` which template and answers made it, for
//! `paved upgrade` and for people asking "where did this come from".

use toml_edit::{DocumentMut, Item, Table, value};

use crate::answers::Answers;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, Value};
use crate::render::OutputFile;

/// Output file that carries the provenance.
pub const PAVED_TOML: &str = "paved.toml";

const HEADER: &str = "# paved configuration. `[template]` records how `paved new` made this service;\n# `paved upgrade` reads it, so keep it.\n";

/// Adds or replaces the `[template]` table of `paved.toml` in `files`, creating the file
/// when the template does not render one. Edits with `toml_edit`, so a template's
/// comments and layout survive.
pub(crate) fn record(
    files: &mut Vec<OutputFile>,
    source: &str,
    manifest: &Manifest,
    name: &str,
    answers: &Answers,
) -> Result<()> {
    let index = match files.iter().position(|f| f.path == PAVED_TOML) {
        Some(index) => index,
        None => {
            files.push(OutputFile {
                path: PAVED_TOML.to_owned(),
                contents: HEADER.as_bytes().to_vec(),
                executable: false,
            });
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files
                .iter()
                .position(|f| f.path == PAVED_TOML)
                .expect("just inserted")
        }
    };
    let file = &mut files[index];
    let invalid = |message: String| Error::Render {
        file: format!("{source}/{PAVED_TOML}"),
        line: None,
        message: format!("the rendered {PAVED_TOML} {message}"),
    };
    let text =
        std::str::from_utf8(&file.contents).map_err(|_| invalid("is not UTF-8".to_owned()))?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        invalid(format!("is not valid TOML: {}", e.message()))
    })?;

    let entry = doc.entry("template").or_insert(Item::Table(Table::new()));
    let table = entry
        .as_table_mut()
        .ok_or_else(|| invalid("has a `template` key that is not a table".to_owned()))?;
    table.insert("name", value(manifest.name.as_str()));
    table.insert("version", value(manifest.version.as_str()));

    let mut recorded = Table::new();
    recorded.insert("name", value(name));
    for (key, answer) in &answers.0 {
        let item = match answer {
            Value::String(s) => value(s.as_str()),
            Value::Integer(i) => value(*i),
            Value::Bool(b) => value(*b),
        };
        recorded.insert(key, item);
    }
    table.insert("answers", Item::Table(recorded));

    file.contents = doc.to_string().into_bytes();
    Ok(())
}
