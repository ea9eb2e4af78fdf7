//! The one error type of the generator; the CLI adds hints and prints it.

use std::path::PathBuf;

/// Everything that can stop a generation. Every variant is raised before the destination
/// exists, or after the generator removed what it had written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service name is not usable as a crate, binary and folder name.
    #[error(
        "{problem}; a service name is a valid crate name such as `notes-api`: lowercase ASCII letters, digits, `-` and `_`, starting with a letter"
    )]
    InvalidName {
        /// The name as given.
        name: String,
        /// What is wrong with it, starting with the name itself.
        problem: String,
    },

    /// `--template DIR` does not point at a template folder.
    #[error("`{}` is not a template folder: it has no template.toml", dir.display())]
    NotATemplate {
        /// The folder that was given.
        dir: PathBuf,
    },

    /// No embedded template of that kind.
    #[error("there is no built-in template of kind `{kind}`; {}", if known.is_empty() { "this build of paved has no built-in templates".to_owned() } else { format!("the built-in kinds are: {}", known.join(", ")) })]
    UnknownKind {
        /// The kind asked for.
        kind: String,
        /// The kinds that are embedded.
        known: Vec<String>,
    },

    /// `template.toml` is not valid TOML or does not describe a valid template.
    #[error("{file}: {message}")]
    Manifest {
        /// Where the manifest lives, e.g. `templates/service/template.toml`.
        file: String,
        /// What is wrong, including the line when known.
        message: String,
    },

    /// A template file has a syntax error, uses an undefined variable or fails to render.
    #[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Render {
        /// The template file, e.g. `templates/service/src/main.rs.tera`.
        file: String,
        /// 1-based line of the problem when known.
        line: Option<usize>,
        /// What went wrong.
        message: String,
    },

    /// A `--define`/flag names a variable the template does not declare.
    #[error("unknown variable `{key}`; template `{template}` declares: {}", if known.is_empty() { "no variables".to_owned() } else { known.join(", ") })]
    UnknownVariable {
        /// The key that was given.
        key: String,
        /// The template's name.
        template: String,
        /// The variables the template declares, in manifest order.
        known: Vec<String>,
    },

    /// An answer does not fit the variable's type or validation.
    #[error("invalid value `{value}` for `{variable}`: {reason}")]
    InvalidValue {
        /// Variable name.
        variable: String,
        /// The value as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    /// A variable without a default got no answer.
    #[error("no value for `{variable}`, and the template gives it no default")]
    MissingValue {
        /// Variable name.
        variable: String,
    },

    /// The destination already exists; the generator never writes into an existing path.
    #[error("destination `{}` already exists", path.display())]
    DestinationExists {
        /// The destination as given.
        path: PathBuf,
    },

    /// A folder on the way to the destination is a file, so the destination cannot be
    /// created.
    #[error("`{}` is a file, not a folder, so `{}` cannot be created inside it", file.display(), dest.display())]
    NotAFolder {
        /// The existing file, as part of the destination given.
        file: PathBuf,
        /// The destination as given.
        dest: PathBuf,
    },

    /// The package name equals a dependency of the rendered `Cargo.toml`, so the crate
    /// could not refer to that dependency and would not compile.
    #[error(
        "the name `{name}` clashes with the dependency `{dependency}` of the generated Cargo.toml; pick another name"
    )]
    NameClash {
        /// The service name.
        name: String,
        /// The dependency as written in `Cargo.toml` (the `package` when renamed).
        dependency: String,
    },

    /// Reading the template or writing the service failed.
    #[error("could not {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done, e.g. "write".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// The enclosing workspace's `Cargo.toml` could not be read or edited.
    #[error("workspace `{}`: {message}", manifest.display())]
    Workspace {
        /// The workspace root `Cargo.toml`.
        manifest: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// The house kit could not be placed: its recorded path, or a file about it.
    #[error("kit `{}`: {message}", path.display())]
    Kit {
        /// The file or folder concerned.
        path: PathBuf,
        /// What went wrong, and what to do.
        message: String,
    },

    /// A service cannot be upgraded, checked or adopted as asked.
    #[error("{}: {message}", path.display())]
    Lifecycle {
        /// The service folder or file concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },

    /// `git init` or the initial commit failed.
    #[error("git {step} failed: {message}")]
    Git {
        /// Which step, e.g. "init" or "commit".
        step: &'static str,
        /// Git's own message.
        message: String,
    },
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn lifecycle(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Lifecycle {
            path: path.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn manifest(file: &str, message: impl Into<String>) -> Self {
        Error::Manifest {
            file: file.to_owned(),
            message: message.into(),
        }
    }
}
