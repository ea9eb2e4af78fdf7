//! Records in the service's `paved.toml` which template and answers made it, for
//! `paved upgrade` and for people asking "where did this come from".

use std::collections::BTreeMap;
use std::path::Path;

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

    set_table(&mut doc, &manifest.name, &manifest.version, name, answers)
        .map_err(|()| invalid("has a `template` key that is not a table".to_owned()))?;

    file.contents = doc.to_string().into_bytes();
    Ok(())
}

/// Writes the `[template]` table (name, version, answers) into `doc`.
fn set_table(
    doc: &mut DocumentMut,
    template: &str,
    version: &str,
    name: &str,
    answers: &Answers,
) -> std::result::Result<(), ()> {
    let entry = doc.entry("template").or_insert(Item::Table(Table::new()));
    let table = entry.as_table_mut().ok_or(())?;
    table.insert("name", value(template));
    table.insert("version", value(version));

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
    Ok(())
}

/// What a service's `paved.toml` records about the template that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `[template] name`.
    pub template: String,
    /// `[template] version`.
    pub version: String,
    /// The service name (`[template.answers] name`).
    pub name: String,
    /// Every other recorded answer, as text (what `--define` would take).
    pub answers: BTreeMap<String, String>,
}

/// Reads the `[template]` table of a `paved.toml`; `None` when it has none.
pub fn read(text: &str, file: &Path) -> Result<Option<Recorded>> {
    let invalid = |message: String| {
        Error::lifecycle(
            file,
            message,
            "fix paved.toml (`[template]` holds name, version and `[template.answers]`), or run `paved adopt`",
        )
    };
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        invalid(format!("is not valid TOML: {}", e.message()))
    })?;
    let Some(table) = doc.get("template") else {
        return Ok(None);
    };
    let text_of = |key: &str| {
        table
            .get(key)
            .and_then(Item::as_str)
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("`[template] {key}` is missing or not a string")))
    };
    let template = text_of("name")?;
    let version = text_of("version")?;
    let answers_table = table
        .get("answers")
        .and_then(Item::as_table_like)
        .ok_or_else(|| invalid("`[template.answers]` is missing".to_owned()))?;
    let mut name = None;
    let mut answers = BTreeMap::new();
    for (key, item) in answers_table.iter() {
        let value = item
            .as_value()
            .ok_or_else(|| invalid(format!("`[template.answers] {key}` is not a plain value")))?;
        let text = match value {
            toml_edit::Value::String(s) => s.value().clone(),
            toml_edit::Value::Integer(i) => i.value().to_string(),
            toml_edit::Value::Boolean(b) => b.value().to_string(),
            _ => {
                return Err(invalid(format!(
                    "`[template.answers] {key}` must be a string, integer or bool"
                )));
            }
        };
        if key == "name" {
            name = Some(text);
        } else {
            answers.insert(key.to_owned(), text);
        }
    }
    let name = name.ok_or_else(|| invalid("`[template.answers] name` is missing".to_owned()))?;
    Ok(Some(Recorded {
        template,
        version,
        name,
        answers,
    }))
}

/// `text` (a `paved.toml`) with its `[template]` table set to `template` `version`
/// made with `answers`; comments and the rest of the file stay.
pub(crate) fn with_table(
    text: &str,
    file: &Path,
    template: &str,
    version: &str,
    name: &str,
    answers: &Answers,
) -> Result<String> {
    let fail = |message: &str| {
        Error::lifecycle(
            file,
            message.to_owned(),
            "fix paved.toml so that it is valid TOML, then run the command again",
        )
    };
    let mut doc: DocumentMut = text.parse().map_err(|_| fail("is not valid TOML"))?;
    set_table(&mut doc, template, version, name, answers)
        .map_err(|()| fail("has a `template` key that is not a table"))?;
    Ok(doc.to_string())
}

/// `to` (a `paved.toml`) with the `[template]` table of `from` (the same values, typed as
/// they are there).
pub(crate) fn copy_table(from: &str, to: &str, file: &Path) -> Result<String> {
    let fail = |message: &str| {
        Error::lifecycle(
            file,
            message.to_owned(),
            "fix paved.toml so that it is valid TOML, then run the command again",
        )
    };
    let source: DocumentMut = from
        .parse()
        .map_err(|_| fail("the record is not valid TOML"))?;
    let mut doc: DocumentMut = to.parse().map_err(|_| fail("is not valid TOML"))?;
    let from_table = source
        .get("template")
        .and_then(Item::as_table)
        .ok_or_else(|| fail("the record has no `[template]` table"))?;
    let entry = doc.entry("template").or_insert(Item::Table(Table::new()));
    let table = entry
        .as_table_mut()
        .ok_or_else(|| fail("has a `template` key that is not a table"))?;
    for key in ["name", "version"] {
        if let Some(item) = from_table.get(key) {
            table.insert(key, item.clone());
        }
    }
    let mut answers = Table::new();
    if let Some(from_answers) = from_table.get("answers").and_then(Item::as_table) {
        for (key, item) in from_answers.iter() {
            answers.insert(key, item.clone());
        }
    }
    table.insert("answers", Item::Table(answers));
    Ok(doc.to_string())
}
