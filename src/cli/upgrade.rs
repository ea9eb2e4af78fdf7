//! `paved upgrade`: brings services to the template and kit of the running paved.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use paved_generator::lifecycle::{self, Finished, Plan, Sources};

pub const LONG_ABOUT: &str = "Bring one service, or every service under the given paths, to the template and kit of this paved.\n\nThree-way, file by file: the recorded template version rendered with the recorded answers (base), this paved's version with the same answers (theirs), and the service as it is (ours). The service's changes are kept, the template's applied; where both changed the same lines the file gets git-style conflict markers and the command exits 1. Files follow their policy in template.toml: managed (overwritten), seeded (never touched again), merged (the default). The recorded version changes only when the upgrade completes: after resolving conflicts, run `paved upgrade` again to finish.";

pub const EXAMPLES: &str = "Examples:\n  paved upgrade                        the service (or every service) below the current folder\n  paved upgrade services/notes --dry-run\n  paved upgrade services/notes --answer storage=none\n  paved upgrade . --template ../our-template --from ../our-template-v1";

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// Service folders, or folders holding services [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print the unified diff of every change; write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Change an answer during the upgrade, e.g. `--answer storage=none`; repeatable
    #[arg(long = "answer", value_name = "KEY=VALUE")]
    pub answers: Vec<String>,

    /// Upgrade to the template in DIR instead of the built-in one (a fork)
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// The template as it was at the recorded version, when this paved does not have it; repeatable
    #[arg(long, value_name = "DIR")]
    pub from: Vec<PathBuf>,
}

/// Exit code when conflicts are left for a person to resolve.
const EXIT_CONFLICTS: u8 = 1;

pub fn run(args: UpgradeArgs) -> ExitCode {
    let overrides = match parse_answers(&args.answers) {
        Ok(overrides) => overrides,
        Err(message) => return super::fail(&message, Some("for example `--answer storage=none`")),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let services = match lifecycle::discover(&paths) {
        Ok(services) => services,
        Err(error) => return fail_with(&error),
    };
    if services.is_empty() {
        return super::fail(
            "found no service made by paved (a folder whose paved.toml has a `[template]` table)",
            Some("run `paved adopt PATH` for a service paved did not generate"),
        );
    }
    let mut sources = Sources::with_dirs(args.template.clone(), args.from.clone());
    let mut worst = 0u8;
    let mut shown = BTreeSet::new();
    for dir in &services {
        let code = match upgrade_one(dir, &args, &mut sources, &overrides, &mut shown) {
            Ok(code) => code,
            Err(error) => {
                eprintln!("error: {}: {error}", dir.display());
                if let Some(hint) = hint(&error) {
                    eprintln!("  hint: {hint}");
                }
                super::EXIT_FAILURE
            }
        };
        worst = worse(worst, code);
    }
    ExitCode::from(worst)
}

/// 2 (error) over 1 (conflicts) over 0.
fn worse(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        2 => 2,
        1 => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

fn upgrade_one(
    dir: &Path,
    args: &UpgradeArgs,
    sources: &mut Sources,
    overrides: &BTreeMap<String, String>,
    shown: &mut BTreeSet<PathBuf>,
) -> Result<u8, paved_generator::Error> {
    if dir.join(lifecycle::PENDING_FILE).exists() {
        return finish(dir, args.dry_run);
    }
    let plan = lifecycle::plan(dir, sources, overrides)?;
    let mut out = String::new();
    if args.dry_run {
        print_dry_run(&mut out, &plan, shown);
        super::print_out(&out);
        return Ok(0);
    }
    let applied = lifecycle::apply(&plan)?;
    print_applied(&mut out, &plan, shown);
    super::print_out(&out);
    if applied.conflicts.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "error: {}: {} file(s) have conflicts: {}",
            dir.display(),
            applied.conflicts.len(),
            applied.conflicts.join(", ")
        );
        eprintln!(
            "  hint: resolve the <<<<<<< / ======= / >>>>>>> blocks, then run `paved upgrade {}` again to record version {}",
            dir.display(),
            plan.to
        );
        Ok(EXIT_CONFLICTS)
    }
}

fn finish(dir: &Path, dry_run: bool) -> Result<u8, paved_generator::Error> {
    if dry_run {
        println!(
            "{}: an upgrade is in progress; `paved upgrade` finishes it once its conflicts are resolved",
            dir.display()
        );
        return Ok(0);
    }
    match lifecycle::finish(dir)? {
        Finished::NothingPending => Ok(0),
        Finished::Recorded { version } => {
            println!(
                "{}: conflicts resolved; recorded template version {version}",
                dir.display()
            );
            Ok(0)
        }
        Finished::Unresolved(files) => {
            eprintln!(
                "error: {}: conflict markers are left in {}",
                dir.display(),
                files.join(", ")
            );
            eprintln!(
                "  hint: resolve them, then run `paved upgrade` again; the version is recorded only then"
            );
            Ok(EXIT_CONFLICTS)
        }
    }
}

fn heading(out: &mut String, plan: &Plan) {
    let versions = if plan.from == plan.to {
        format!("{} {}", plan.template, plan.to)
    } else {
        format!("{} {} -> {}", plan.template, plan.from, plan.to)
    };
    let _ = writeln!(out, "{} ({versions})", plan.dir.display());
}

/// Whether the change's file was shown already (a kit shared by several services).
fn seen(shown: &mut BTreeSet<PathBuf>, plan: &Plan, path: &str) -> bool {
    let absolute = std::path::absolute(plan.dir.join(path)).unwrap_or_default();
    let normal: PathBuf = absolute.components().fold(PathBuf::new(), |mut p, c| {
        match c {
            std::path::Component::ParentDir => {
                p.pop();
            }
            other => p.push(other),
        }
        p
    });
    !shown.insert(normal)
}

fn print_dry_run(out: &mut String, plan: &Plan, shown: &mut BTreeSet<PathBuf>) {
    heading(out, plan);
    let mut any = false;
    for change in &plan.changes {
        if seen(shown, plan, &change.path) {
            continue;
        }
        any = true;
        let _ = writeln!(out, "  {:<11} {}", change.kind.label(), change.path);
        match lifecycle::unified_diff(
            &change.path,
            change.before.as_deref(),
            change.after.as_deref(),
        ) {
            Some(diff) => out.push_str(&diff),
            None => out.push_str("  (binary file)\n"),
        }
    }
    notes(out, plan);
    if !any {
        out.push_str("  up to date\n");
    }
}

fn print_applied(out: &mut String, plan: &Plan, shown: &mut BTreeSet<PathBuf>) {
    heading(out, plan);
    let mut any = false;
    for change in &plan.changes {
        if !seen(shown, plan, &change.path) {
            any = true;
            let _ = writeln!(out, "  {:<11} {}", change.kind.label(), change.path);
        }
    }
    notes(out, plan);
    if !any {
        out.push_str("  up to date\n");
    }
}

fn notes(out: &mut String, plan: &Plan) {
    for note in &plan.notes {
        let _ = writeln!(out, "  {:<11} {}: {}", "note", note.path, note.message);
    }
}

fn parse_answers(answers: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut parsed = BTreeMap::new();
    for answer in answers {
        let Some((key, value)) = answer.split_once('=') else {
            return Err(format!("`--answer {answer}` is not of the form KEY=VALUE"));
        };
        parsed.insert(key.trim().to_owned(), value.to_owned());
    }
    Ok(parsed)
}

pub(super) fn hint(error: &paved_generator::Error) -> Option<String> {
    use paved_generator::Error;
    match error {
        Error::Lifecycle { hint, .. } => Some(hint.clone()),
        Error::UnknownVariable { .. } => Some("use one of the variables above".to_owned()),
        Error::InvalidValue { variable, .. } => {
            Some(format!("pass a valid value with --answer {variable}=VALUE"))
        }
        Error::Manifest { .. } | Error::Render { .. } => {
            Some("fix the template (docs/templates.md); nothing was written".to_owned())
        }
        _ => None,
    }
}

pub(super) fn fail_with(error: &paved_generator::Error) -> ExitCode {
    super::fail(&error.to_string(), hint(error).as_deref())
}
