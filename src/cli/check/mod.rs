//! `paved check`: one command for CI that says, per service, whether it is up to date with
//! the template and kit of this paved, and which managed files drifted.

mod format;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use paved_generator::lifecycle::{self, ServiceStatus, Sources, Status};

pub const LONG_ABOUT: &str = "Check, per service, whether it is up to date with the template and kit of this paved, and which files paved manages were edited (with a diff).\n\nExit codes: 0 every service clean, 1 drift (a managed file or the kit edited, or conflicts of an upgrade left), 3 outdated (a newer template or kit; run `paved upgrade`), 2 the check itself failed. Drift wins over outdated.";

pub const EXAMPLES: &str = "Examples:\n  paved check                      every service below the current folder\n  paved check services/notes\n  paved check --format github      annotations in a GitHub Actions job\n  paved check --format sarif > check.sarif";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A verdict per service, with diffs of drifted files
    Human,
    /// The machine-readable report (`version: 1`)
    Json,
    /// GitHub Actions annotations
    Github,
    /// SARIF 2.1.0 for code scanning
    Sarif,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Service folders, or folders holding services [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Compare with the template in DIR instead of the built-in one (a fork)
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// The template as it was at the recorded version, when this paved does not have it; repeatable
    #[arg(long, value_name = "DIR")]
    pub from: Vec<PathBuf>,
}

/// Exit codes of `paved check`: a public interface, like `paved lint`'s.
const EXIT_DRIFT: u8 = 1;
const EXIT_OUTDATED: u8 = 3;

/// One service's result: its status, or why it could not be checked.
pub(crate) struct Checked {
    pub(crate) dir: PathBuf,
    pub(crate) result: Result<ServiceStatus, (String, Option<String>)>,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let services = match lifecycle::discover(&paths) {
        Ok(services) => services,
        Err(error) => return super::upgrade::fail_with(&error),
    };
    if services.is_empty() {
        return super::fail(
            "found no service made by paved (a folder whose paved.toml has a `[template]` table)",
            Some("run `paved adopt PATH` for a service paved did not generate"),
        );
    }
    let mut sources = Sources::with_dirs(args.template.clone(), args.from.clone());
    let checked: Vec<Checked> = services
        .iter()
        .map(|dir| Checked {
            dir: dir.clone(),
            result: lifecycle::check(dir, &mut sources)
                .map_err(|e| (e.to_string(), super::upgrade::hint(&e))),
        })
        .collect();
    let text = match args.format {
        Format::Human => format::human(&checked),
        Format::Json => format::json(&checked),
        Format::Github => format::github(&checked),
        Format::Sarif => format::sarif(&checked),
    };
    super::print_out(&text);
    ExitCode::from(exit_code(&checked))
}

fn exit_code(checked: &[Checked]) -> u8 {
    let mut code = 0;
    for service in checked {
        let this = match &service.result {
            Err(_) => super::EXIT_FAILURE,
            Ok(status) => match status.status() {
                Status::Drift => EXIT_DRIFT,
                Status::Outdated => EXIT_OUTDATED,
                Status::Clean => 0,
            },
        };
        let rank = |c: u8| match c {
            2 => 3,
            1 => 2,
            3 => 1,
            _ => 0,
        };
        if rank(this) > rank(code) {
            code = this;
        }
    }
    code
}

/// `path` relative to the current folder when it lies below it, `/`-separated.
pub(crate) fn display(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let absolute = std::path::absolute(path).ok()?;
            absolute.strip_prefix(&cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

/// `service/path` for a file of a service, normalised (`..` of a shared kit folded).
pub(crate) fn file_path(service: &Path, path: &str) -> String {
    let joined = display(service);
    let mut parts: Vec<&str> = if joined == "." {
        Vec::new()
    } else {
        joined.split('/').collect()
    };
    for part in path.split('/') {
        if part == ".." && parts.last().is_some_and(|p| *p != "..") {
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    parts.join("/")
}
