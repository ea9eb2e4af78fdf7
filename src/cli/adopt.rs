//! `paved adopt`: records the template answers of a service paved did not generate, so
//! that `paved check` and `paved upgrade` work on it. Only `paved.toml` is written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use paved_generator::Template;
use paved_generator::lifecycle::{self, Adoption};

pub const LONG_ABOUT: &str = "Record, in the paved.toml of a service paved did not generate, the template it follows and the answers inferred from its code (name from Cargo.toml, port from config/default.toml or an address in src/, storage from its dependencies, owner from CODEOWNERS, description from Cargo.toml). Reports what differs from what the template would generate, without changing any code. Afterwards `paved check` and `paved upgrade` work on it.";

pub const EXAMPLES: &str = "Examples:\n  paved adopt services/legacy-billing\n  paved adopt . --answer owner=@payments --dry-run\n  paved adopt legacy --show-diff";

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// The service folder (it holds Cargo.toml) [default: .]
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// Set an answer instead of inferring it; repeatable
    #[arg(long = "answer", value_name = "KEY=VALUE")]
    pub answers: Vec<String>,

    /// Built-in template the service follows [default: service]
    #[arg(long, value_name = "KIND", conflicts_with = "template")]
    pub kind: Option<String>,

    /// The template in DIR (a fork) instead of a built-in one
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// Report what would be recorded; write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Print the diff of every file that differs from the template's
    #[arg(long)]
    pub show_diff: bool,
}

pub fn run(args: AdoptArgs) -> ExitCode {
    let mut given = BTreeMap::new();
    for answer in &args.answers {
        let Some((key, value)) = answer.split_once('=') else {
            return super::fail(
                &format!("`--answer {answer}` is not of the form KEY=VALUE"),
                Some("for example `--answer port=9000`"),
            );
        };
        given.insert(key.trim().to_owned(), value.to_owned());
    }
    let template = match &args.template {
        Some(dir) => Template::from_dir(dir),
        None => Template::embedded(
            args.kind
                .as_deref()
                .unwrap_or(paved_generator::DEFAULT_KIND),
        ),
    };
    let template = match template {
        Ok(template) => template,
        Err(error) => return super::upgrade::fail_with(&error),
    };
    match lifecycle::adopt(&args.path, &template, &given, !args.dry_run) {
        Ok(adoption) => {
            super::print_out(&report(&adoption, &template, &args));
            ExitCode::SUCCESS
        }
        Err(error) => super::upgrade::fail_with(&error),
    }
}

fn report(adoption: &Adoption, template: &Template, args: &AdoptArgs) -> String {
    let mut out = String::new();
    let manifest = template.manifest();
    let verb = if args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    let _ = writeln!(
        out,
        "{}: {verb} template {} {} for `{}`",
        adoption.dir.display(),
        manifest.name,
        manifest.version,
        adoption.name
    );
    for (key, value) in &adoption.answers {
        let source = match adoption.inferred.get(key) {
            Some(source) => format!("from {source}"),
            None => "default: nothing in the service said otherwise".to_owned(),
        };
        let _ = writeln!(out, "  {key} = {value}  ({source})");
    }
    let missing: Vec<&str> = adoption
        .files
        .iter()
        .filter(|f| f.missing)
        .map(|f| f.path.as_str())
        .collect();
    let differing: Vec<_> = adoption
        .files
        .iter()
        .filter(|f| f.differs && !f.missing)
        .collect();
    let same = adoption.files.len() - missing.len() - differing.len();
    let _ = writeln!(
        out,
        "compared with what the template generates: {same} file(s) the same, {} differ, {} missing",
        differing.len(),
        missing.len()
    );
    for file in &differing {
        let _ = writeln!(out, "  differs   {}", file.path);
        if args.show_diff
            && let Some(diff) = &file.diff
        {
            for line in diff.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    for path in missing {
        let _ = writeln!(out, "  missing   {path}");
    }
    if !args.dry_run {
        let _ = writeln!(
            out,
            "no code was changed; `paved check {0}` reports drift, `paved upgrade {0}` follows new template versions",
            adoption.dir.display()
        );
    }
    out
}
