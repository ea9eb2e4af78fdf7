//! `paved report [PATH]`: the fleet scorecard of a monorepo, as HTML, markdown or JSON.

use clap::{Args, ValueEnum};
use paved_lints::LintOptions;
use paved_present::report::{self, FleetInput, Format};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A page with one row per service, sortable columns and the findings behind each cell
    Html,
    /// A table for a pull-request comment
    Markdown,
    /// Everything, findings included: the input of the next `--since`
    Json,
}

/// The long help of `paved report --help`.
pub const LONG_ABOUT: &str = "Lints a monorepo and scores every service (and worker) crate — the roles \
`paved lint --show-roles` prints — per idiom group: green (no finding), amber (warnings only) \
or red (errors), with counts that link to the findings. Each row also shows the template \
version recorded in the service's paved.toml ([template]) against the templates of this \
paved, and the owners from CODEOWNERS (.github/, the root or docs/, else the service's own). \
With --since, the findings that are new and those that were fixed since a previous JSON \
report. Exits 0 whatever it finds: use `paved lint` to gate.";

pub const EXAMPLES: &str = "Examples:\n  paved report services/ -o report.html\n  paved report --format json -o report.json\n  paved report --format markdown --since main-report.json > comment.md";

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The monorepo (or workspace) to score
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// File to write the report to (default: stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,

    /// A previous `paved report --format json`: adds new and fixed findings per service
    #[arg(long, value_name = "FILE")]
    pub since: Option<PathBuf>,
}

pub fn run(args: ReportArgs) -> ExitCode {
    let previous = match &args.since {
        None => None,
        Some(file) => match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| report::parse_previous(&text))
        {
            Ok(previous) => Some(previous),
            Err(e) => {
                return super::fail(
                    &format!("cannot read --since `{}`: {e}", file.display()),
                    Some("pass a file written by `paved report --format json`"),
                );
            }
        },
    };
    let options = LintOptions {
        paths: vec![args.path.clone()],
        ..LintOptions::default()
    };
    let lint = match paved_lints::lint(&options) {
        Ok(r) => r,
        Err(e) => {
            return super::fail(
                &e.to_string(),
                Some("pass a crate, workspace or monorepo folder"),
            );
        }
    };
    let fleet = report::fleet(
        &lint,
        &FleetInput {
            root: &args.path,
            templates: shipped_templates(),
            previous: previous.as_ref(),
        },
    );
    if fleet.services.is_empty() {
        eprintln!(
            "note: no service or worker crate under `{}`; `paved lint --show-roles` shows each \
             crate's role, and `[roles]` in paved.toml states one where the guess is wrong",
            args.path.display()
        );
    }
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Markdown => Format::Markdown,
        ReportFormat::Json => Format::Json,
    };
    let text = match report::render(&fleet, format) {
        Ok(text) => text,
        Err(e) => return super::fail(&e.to_string(), None),
    };
    match &args.output {
        None => {
            super::print_out(&text);
            ExitCode::SUCCESS
        }
        Some(file) => match std::fs::write(file, &text) {
            Ok(()) => {
                eprintln!(
                    "wrote {} ({} services, {} KB)",
                    file.display(),
                    fleet.services.len(),
                    text.len().div_ceil(1024)
                );
                ExitCode::SUCCESS
            }
            Err(e) => super::fail(
                &format!("cannot write `{}`: {e}", file.display()),
                Some("pass a file in a folder you can write to with -o"),
            ),
        },
    }
}

/// The templates this paved ships (`paved new --kind`), by name: what "outdated" is
/// measured against.
fn shipped_templates() -> BTreeMap<String, String> {
    paved_generator::embedded_kinds()
        .into_iter()
        .filter_map(|kind| {
            let t = paved_generator::Template::embedded(kind).ok()?;
            let m = t.manifest();
            Some((m.name.clone(), m.version.clone()))
        })
        .collect()
}
