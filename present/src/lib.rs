//! `paved talk` and `paved report`: HTML (and markdown, JSON) built with Tera from what
//! paved already knows — the rules' documentation and the findings of a lint run. Every
//! function returns the document as a string; only the CLI writes files.

pub mod example;
mod markdown;
pub mod report;
pub mod talk;

use std::path::PathBuf;

/// Why a deck or a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the documentation of `{rule}` {problem}")]
    Docs { rule: &'static str, problem: String },
    /// Reading or writing an example crate in a temporary folder failed.
    #[error("cannot build an example crate at `{}`: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    #[error("cannot render {what}: {message}")]
    Render { what: &'static str, message: String },
    #[error("`{}` is not a report of `paved report --format json`: {}", .0.display(), .1)]
    Previous(PathBuf, String),
}

/// A Tera instance holding `templates` (name, text), escaping HTML in `.html` ones.
fn tera(templates: &[(&str, &str)], what: &'static str) -> Result<tera::Tera, Error> {
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(templates.iter().copied())
        .map_err(|e| render_error(what, &e))?;
    Ok(tera)
}

fn render_error(what: &'static str, e: &tera::Error) -> Error {
    // Tera's error chain says where in the template it went wrong.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Error::Render { what, message }
}
