//! `paved lint`: run the linter and print its report.

#[path = "changed.rs"]
mod changed;
#[path = "router_notes.rs"]
mod router_notes;
#[path = "show_roles.rs"]
mod show_roles;

use clap::{Args, ValueEnum};
use paved_lints::baseline::{self, Baseline, RepoPaths};
use paved_lints::config::{self, Selector};
use paved_lints::diagnostic::Position;
use paved_lints::output::{self, Ci};
use paved_lints::registry::RuleId;
use paved_lints::{Level, LevelSetting, LintOptions, Report};
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style findings with the source line and a caret
    Human,
    /// `path:line:col: level[rule] message`, one line per finding
    Short,
    /// Machine-readable JSON (a stable contract, see docs)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands (annotations on the diff)
    Github,
    /// GitLab code quality report (Code Climate JSON)
    Gitlab,
    /// JUnit XML, one test case per rule and file
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint (a crate, a workspace or a whole monorepo); `-` for stdin
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Run only these rules or groups (comma-separated); the rest are off
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_selector, help_heading = "Rule selection")]
    pub select: Vec<Selector>,

    /// Turn these rules or groups off (comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_selector, help_heading = "Rule selection")]
    pub ignore: Vec<Selector>,

    /// Report these rules or groups as warnings (comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_selector, help_heading = "Rule selection")]
    pub warn: Vec<Selector>,

    /// Report these rules or groups as errors (comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_selector, help_heading = "Rule selection")]
    pub deny: Vec<Selector>,

    /// Lint only files that differ from git revision REV, plus untracked files
    #[arg(long, value_name = "REV", help_heading = "File selection")]
    pub changed_since: Option<String>,

    /// Lint source read from stdin as if it were the file PATH (need not exist)
    #[arg(
        long,
        conflicts_with = "changed_since",
        value_name = "PATH",
        help_heading = "File selection"
    )]
    pub stdin_filename: Option<PathBuf>,

    /// Report only findings that are not in the baseline FILE
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE and exit 0
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["baseline", "changed_since", "stdin_filename"],
        help_heading = "Baseline"
    )]
    pub write_baseline: Option<PathBuf>,

    /// Remove entries that no longer match from the --baseline file
    #[arg(long, requires = "baseline", help_heading = "Baseline")]
    pub prune_baseline: bool,

    /// Exit 0 even when there are errors
    #[arg(long, help_heading = "Reporting")]
    pub exit_zero: bool,

    /// Print findings only: no summary or notes
    #[arg(short, long, help_heading = "Reporting")]
    pub quiet: bool,

    /// Print the number of findings per rule, most first, instead of the findings
    #[arg(long, help_heading = "Reporting")]
    pub statistics: bool,

    /// Print each crate's role (service, cli, library, ...) and why, instead of the findings
    #[arg(long, conflicts_with = "statistics", help_heading = "Reporting")]
    pub show_roles: bool,
    /// Also print, on stderr, what the router index found in each crate and why it could
    /// not follow a route, handler or router
    #[arg(short, long, help_heading = "Reporting")]
    pub verbose: bool,

    /// Do not read or write the cache (`.paved_cache/` at the repository root, or
    /// $PAVED_CACHE_DIR)
    #[arg(long, help_heading = "Cache")]
    pub no_cache: bool,

    #[command(flatten)]
    pub fix: super::fix::FixArgs,
}

fn parse_selector(name: &str) -> Result<Selector, String> {
    Selector::parse(name.trim()).ok_or_else(|| match config::closest_name(name.trim()) {
        Some(n) => format!("unknown rule or group; did you mean `{n}`?"),
        None => "unknown rule or group; `paved rules` lists them".to_string(),
    })
}

pub fn run(args: LintArgs) -> ExitCode {
    let (options, raw_stdin) = match options(&args) {
        Ok(o) => o,
        Err((message, hint)) => return super::fail(&message, hint.as_deref()),
    };
    let mut report = match paved_lints::lint(&options) {
        Ok(r) => r,
        Err(e) => return super::fail(&e.to_string(), hint(&e)),
    };
    if let Some(raw) = &raw_stdin {
        report_not_utf8(&mut report, &options, raw);
    }
    if let Some(why) = &report.cache_error
        && !args.quiet
    {
        eprintln!(
            "warning: cannot write the cache: {why} (the findings are complete; --no-cache skips the cache)"
        );
    }
    // `--fix` on stdin prints the fixed source on stdout, so the report goes to stderr.
    let stdin_fix = options.stdin.is_some() && args.fix.fix && !args.fix.diff;
    // With --fix/--diff: apply (or show) the fixes and report what remains.
    let mut report = match &raw_stdin {
        // Text that is not UTF-8 has nothing to fix: it goes back out as it came.
        Some(raw) if stdin_fix => {
            let _ = std::io::stdout().lock().write_all(raw);
            report
        }
        _ => match super::fix::apply(&args.fix, &options, report) {
            Ok(r) => r,
            Err(code) => return code,
        },
    };
    let repo = RepoPaths::discover();
    let mut fingerprints = baseline::fingerprints(&report.diagnostics, &repo);

    if let Some(file) = &args.write_baseline {
        let recorded = Baseline::from_findings(&report.diagnostics, &fingerprints, &repo);
        if let Err(e) = std::fs::write(file, recorded.render()) {
            return super::fail(&format!("cannot write `{}`: {e}", file.display()), None);
        }
        if !args.quiet {
            eprintln!(
                "wrote {} to {}",
                plural(recorded.entries.len(), "finding"),
                file.display()
            );
        }
        return ExitCode::SUCCESS;
    }

    let mut notes = Vec::new();
    if let Some(file) = &args.baseline {
        let known = match read_baseline(file) {
            Ok(b) => b,
            Err(message) => {
                return super::fail(
                    &message,
                    Some("write a new one with `paved lint --write-baseline FILE`"),
                );
            }
        };
        let scope = Scope::of(&options, &repo);
        let filtered = known.filter(&mut report.diagnostics, &mut fingerprints, &repo, |p| {
            scope.contains(p)
        });
        if filtered.hidden > 0 {
            notes.push(format!(
                "{} in the baseline not shown",
                plural(filtered.hidden, "finding")
            ));
        }
        let stale = filtered.stale.len();
        if args.prune_baseline {
            if let Err(e) = std::fs::write(file, known.without(&filtered.stale).render()) {
                return super::fail(&format!("cannot write `{}`: {e}", file.display()), None);
            }
            notes.push(format!(
                "removed {} from {}",
                entries(stale),
                file.display()
            ));
        } else if stale > 0 {
            let (verb, pronoun) = if stale == 1 {
                ("matches", "it")
            } else {
                ("match", "them")
            };
            notes.push(format!(
                "{} no longer {verb}; --prune-baseline removes {pronoun}",
                entries(stale)
            ));
        }
    }

    let ci = Ci {
        repo: &repo,
        fingerprints: &fingerprints,
    };
    let text = if args.statistics {
        statistics(&report, args.format == Format::Json)
    } else if args.show_roles {
        show_roles::render(&report, args.format == Format::Json)
    } else {
        match args.format {
            Format::Human => {
                let text = output::human::render(&report, use_color(args.color));
                if args.quiet {
                    let summary = format!("{}\n", output::summary_line(&report));
                    text.strip_suffix(&summary).unwrap_or(&text).to_string()
                } else {
                    text
                }
            }
            Format::Short => output::short::render(&report),
            Format::Json => output::json::render(&report),
            Format::Sarif => output::sarif::render(&report, &ci),
            Format::Github => output::github::render(&report, &ci),
            Format::Gitlab => output::gitlab::render(&report, &ci),
            Format::Junit => output::junit::render(&report, &ci),
        }
    };
    let mut stdout: Box<dyn Write> = if stdin_fix {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    // A closed pipe (`paved lint | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    if !args.quiet {
        for note in &notes {
            if args.format == Format::Human && !args.statistics {
                let _ = writeln!(stdout, "{note}");
            } else {
                eprintln!("{note}");
            }
        }
    }
    if args.verbose {
        eprint!("{}", router_notes::render(&report.routers));
        if options.cache.is_some() {
            eprintln!(
                "cache: {} of {} reused",
                report.cached_files,
                plural(report.files, "file")
            );
        }
    }
    if report.count(Level::Deny) > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Stands in for stdin that is not UTF-8: it does not parse, like the real text, and
/// [`report_not_utf8`] then words the finding as for a file that is not UTF-8.
const NOT_UTF8_STAND_IN: &str = "(";

/// Why the options are wrong, and a hint.
type OptionsError = (String, Option<String>);

/// What to lint: paths or stdin, the changed files, and the levels of the rule flags; and
/// the bytes of stdin when they are not UTF-8.
fn options(args: &LintArgs) -> Result<(LintOptions, Option<Vec<u8>>), OptionsError> {
    let dash = args.paths.iter().any(|p| p == Path::new("-"));
    let mut options = LintOptions {
        paths: args.paths.clone(),
        cli_levels: cli_levels(args),
        explain_routers: args.verbose,
        cache: (!args.no_cache).then(cache_dir),
        ..LintOptions::default()
    };
    let mut raw_stdin = None;
    match &args.stdin_filename {
        Some(path) => {
            if args
                .paths
                .iter()
                .any(|p| p != Path::new("-") && p != Path::new("."))
            {
                return Err((
                    "--stdin-filename lints stdin only".into(),
                    Some("pass no paths, or `-`".into()),
                ));
            }
            if path.extension().is_none_or(|e| e != "rs") {
                return Err((
                    format!(
                        "--stdin-filename must name a Rust source file (`.rs`), not `{}`",
                        path.display()
                    ),
                    Some("stdin is linted as Rust; lint other files by path".into()),
                ));
            }
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| (format!("cannot read stdin: {e}"), None))?;
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    raw_stdin = Some(e.into_bytes());
                    NOT_UTF8_STAND_IN.to_string()
                }
            };
            options.paths = vec![path.clone()];
            options.stdin = Some((path.clone(), text));
        }
        None if dash => {
            return Err((
                "`-` reads stdin and needs the name of the file it stands for".into(),
                Some("add --stdin-filename PATH".into()),
            ));
        }
        None => {}
    }
    if let Some(rev) = &args.changed_since {
        let mut files = changed::changed_files(rev).map_err(|e| {
            let hint = e.starts_with("unknown git revision").then(|| {
                "pass a commit, branch or tag that exists, e.g. `origin/main`".to_string()
            });
            (e, hint)
        })?;
        // Spellings the walk cannot produce would only widen which crates' rules run.
        let absolute = options.paths.iter().any(|p| p.is_absolute());
        let above = options.paths.iter().any(|p| p.starts_with(".."));
        files.retain(|f| {
            if f.is_absolute() {
                absolute
            } else {
                above || !f.starts_with("..")
            }
        });
        options.only_files = Some(files);
    }
    Ok((options, raw_stdin))
}

/// Where the cache lives: `$PAVED_CACHE_DIR` when set, else `.paved_cache/` at the
/// repository root (the nearest folder above the current one that holds `.git`, else the
/// current folder), as ruff keeps `.ruff_cache/`.
fn cache_dir() -> PathBuf {
    match std::env::var_os("PAVED_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => RepoPaths::discover().root().join(".paved_cache"),
    }
}

/// Stdin that is not UTF-8 was linted as [`NOT_UTF8_STAND_IN`]: its parse error becomes
/// the finding a file that is not UTF-8 gets, at the line of the first bad byte.
fn report_not_utf8(report: &mut Report, options: &LintOptions, raw: &[u8]) {
    let Some((path, _)) = &options.stdin else {
        return;
    };
    let valid = std::str::from_utf8(raw).map_or_else(|e| e.valid_up_to(), |_| raw.len());
    let line = raw[..valid].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let path = paved_lints::paths::clean(path);
    for d in &mut report.diagnostics {
        if d.rule == RuleId::ParseError && d.path == path {
            d.start = Position::new(line, 1);
            d.end = d.start;
            d.message = "file is not valid UTF-8, so it cannot be parsed".into();
            d.source = String::new();
        }
    }
}

/// `--select` turns off every rule it does not name (unless --warn/--deny name it);
/// `--ignore` allows; `--warn` and `--deny` set levels. As in `paved.toml`, a rule
/// setting beats a group setting.
fn cli_levels(args: &LintArgs) -> Vec<LevelSetting> {
    let mut out = Vec::new();
    if !args.select.is_empty() {
        let named = |id: RuleId| {
            args.select
                .iter()
                .chain(&args.warn)
                .chain(&args.deny)
                .any(|s| s.matches(id))
        };
        out.extend(
            RuleId::ALL
                .iter()
                .copied()
                .filter(|&id| !named(id))
                .map(|id| LevelSetting {
                    selector: Selector::Rule(id),
                    level: Level::Allow,
                }),
        );
    }
    for (selectors, level) in [
        (&args.ignore, Level::Allow),
        (&args.warn, Level::Warn),
        (&args.deny, Level::Deny),
    ] {
        out.extend(
            selectors
                .iter()
                .map(|&selector| LevelSetting { selector, level }),
        );
    }
    out
}

fn read_baseline(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read baseline `{}`: {e}", file.display()))?;
    Baseline::parse(&text).map_err(|e| format!("`{}`: {e}", file.display()))
}

/// The part of the repository a run covered: only baseline entries in it can be stale.
enum Scope {
    /// Repository-relative folders or files (`""` for the whole repository).
    Under(Vec<String>),
    /// Exactly these repository-relative files.
    Files(HashSet<String>),
}

impl Scope {
    fn of(options: &LintOptions, repo: &RepoPaths) -> Scope {
        if let Some((path, _)) = &options.stdin {
            return Scope::Files(HashSet::from([repo.display(path)]));
        }
        if let Some(files) = &options.only_files {
            return Scope::Files(files.iter().map(|f| repo.display(f)).collect());
        }
        let paths = if options.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            options.paths.clone()
        };
        Scope::Under(paths.iter().filter_map(|p| repo.relative(p)).collect())
    }

    fn contains(&self, path: &str) -> bool {
        match self {
            Scope::Files(files) => files.contains(path),
            Scope::Under(prefixes) => prefixes.iter().any(|p| {
                p.is_empty()
                    || path == p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }),
        }
    }
}

/// `--statistics`: findings per rule, most first.
fn statistics(report: &Report, json: bool) -> String {
    let mut by_rule: BTreeMap<&str, (usize, Level)> = BTreeMap::new();
    for d in report.active() {
        let entry = by_rule.entry(d.rule.name()).or_insert((0, d.level));
        entry.0 += 1;
        entry.1 = entry.1.max(d.level);
    }
    let mut rows: Vec<(&str, usize, Level)> = by_rule
        .into_iter()
        .map(|(rule, (n, level))| (rule, n, level))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if json {
        let rows: Vec<_> = rows.iter().map(|(rule, count, level)| serde_json::json!({"rule": rule, "level": level, "count": count})).collect();
        return serde_json::to_string_pretty(&rows).expect("statistics serialize") + "\n";
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let count_width = rows.first().map_or(1, |r| r.1.to_string().len());
    rows.iter()
        .map(|(rule, count, level)| format!("{count:>count_width$}  {rule:width$}  {level}\n"))
        .collect()
}

fn entries(n: usize) -> String {
    format!("{n} baseline {}", if n == 1 { "entry" } else { "entries" })
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn hint(e: &paved_lints::LintError) -> Option<&'static str> {
    match e {
        paved_lints::LintError::PathNotFound(_) => {
            Some("pass a crate, workspace or monorepo folder, or a .rs file")
        }
        paved_lints::LintError::Config(_) => {
            Some("fix paved.toml; `paved rules` lists rule and group names")
        }
        _ => None,
    }
}

/// `--color auto` follows anstream: a terminal, unless `NO_COLOR` is set to something
/// (an empty `NO_COLOR` does not count, as no-color.org says), `CLICOLOR=0` or a dumb
/// `TERM`; `CLICOLOR_FORCE` colours even a pipe.
fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}
