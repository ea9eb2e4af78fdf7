//! Applying the fixes that findings carry (`paved lint --fix`, `--unsafe-fixes`, `--diff`).
//!
//! Per file: the eligible fixes are taken in source order and a fix is skipped when one of
//! its edits overlaps an edit already taken (it gets another chance in the next round,
//! after a re-lint). The fixed text must parse again (`syn` for `.rs`, `toml` for `.toml`);
//! when it does not, the fixes are retried one at a time and those that break the parse are
//! dropped and reported. Files are written atomically (a temporary file in the folder of
//! the real file, symlinks resolved, then a rename); a read-only file (or one in a
//! read-only folder) is skipped, not written. The run is linted again so the caller
//! reports what remains. With [`LintOptions::stdin`], the fixes apply to the stdin text
//! and nothing is read from or written to disk.

use crate::LintError;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Position};
use crate::engine::{LintOptions, Report, lint};
use crate::line_index::LineIndex;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Rounds of fix + re-lint at most (a round only follows when fixes overlapped).
const MAX_ROUNDS: usize = 10;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixMode {
    /// Also apply fixes marked [`Applicability::Unsafe`].
    pub unsafe_fixes: bool,
}

impl FixMode {
    pub fn admits(self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// A fix that was not applied because of what it would do to the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedFix {
    pub rule: &'static str,
    pub path: PathBuf,
    pub start: Position,
    pub reason: String,
}

/// An edit in byte offsets of the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ByteEdit {
    start: usize,
    end: usize,
    content: String,
}

impl ByteEdit {
    /// Two edits conflict when their ranges overlap or both insert at the same place;
    /// identical edits (two fixes adding the same import) do not.
    fn conflicts(&self, other: &ByteEdit) -> bool {
        if self == other {
            return false;
        }
        (self.start < other.end && other.start < self.end) || self.start == other.start
    }
}

/// What fixing one file does, computed without writing anything.
#[derive(Debug)]
pub struct FilePlan {
    pub path: PathBuf,
    pub original: String,
    pub fixed: String,
    /// Findings whose fix is in `fixed`.
    pub applied: usize,
    /// Fixes that overlap one already taken; a later round may apply them.
    pub overlapping: usize,
    /// Fixes dropped because the file would not parse with them, or were out of range.
    pub dropped: Vec<DroppedFix>,
}

impl FilePlan {
    /// Whether writing the plan would change the file.
    pub fn changes(&self) -> bool {
        self.fixed != self.original
    }

    /// A unified diff of the change (`--- a/PATH` / `+++ b/PATH`, three lines of context).
    pub fn diff(&self) -> String {
        unified_diff(&self.path, &self.original, &self.fixed)
    }

    /// Writes the fixed text atomically: a temporary file in the folder of the real file
    /// (symlinks resolved, so a link stays a link and its target is fixed), renamed over
    /// it, keeping its permissions. A read-only file (see [`FilePlan::read_only`]) is not
    /// written: the rename would bypass its permissions.
    pub fn write(&self) -> std::io::Result<()> {
        if self.read_only() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "read-only",
            ));
        }
        crate::atomic::write(&std::fs::canonicalize(&self.path)?, self.fixed.as_bytes())
    }

    /// Whether the real file, or the folder it is in, has no write permission bits. Checked
    /// on the bits rather than by trying: the rename would replace a read-only file, and
    /// root may write anything.
    pub fn read_only(&self) -> bool {
        let Ok(target) = std::fs::canonicalize(&self.path) else {
            return false;
        };
        let readonly = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
        readonly(&target) || target.parent().is_some_and(readonly)
    }
}

/// What writing a set of plans did.
#[derive(Debug, Default)]
pub struct WriteOutcome {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Files not written because they (or their folder) are read-only.
    pub read_only: Vec<PathBuf>,
    /// Files whose write failed, with the error; each is left as it was.
    pub failed: Vec<(PathBuf, String)>,
}

/// Writes the plans that change their file: read-only files are set aside first, then each
/// file is written on its own (a failed write leaves that file as it was and does not stop
/// the others). Of two plans for the same real file, only the first is written.
pub fn write_plans(plans: &[&FilePlan]) -> WriteOutcome {
    let mut outcome = WriteOutcome::default();
    let (read_only, writable): (Vec<&FilePlan>, Vec<&FilePlan>) = plans
        .iter()
        .filter(|p| p.changes())
        .partition(|p| p.read_only());
    outcome.read_only = read_only.iter().map(|p| p.path.clone()).collect();
    let mut targets = Vec::new();
    for p in writable {
        // A file linted twice (through a symlink and directly) is written once.
        if let Ok(target) = std::fs::canonicalize(&p.path) {
            if targets.contains(&target) {
                continue;
            }
            targets.push(target);
        }
        match p.write() {
            Ok(()) => outcome.written.push(p.path.clone()),
            Err(e) => outcome.failed.push((p.path.clone(), e.to_string())),
        }
    }
    outcome
}

/// The fixes of a report, by file, that `mode` admits (suppressed findings are not fixed);
/// each file is read from disk.
pub fn plan(report: &Report, mode: FixMode) -> Result<Vec<FilePlan>, LintError> {
    plan_for(&LintOptions::default(), report, mode)
}

/// [`plan`] for the run `options` describes: with [`LintOptions::stdin`], only the stdin
/// file is planned, from the stdin text (the file on disk, if any, is not read).
pub fn plan_for(
    options: &LintOptions,
    report: &Report,
    mode: FixMode,
) -> Result<Vec<FilePlan>, LintError> {
    let stdin = options
        .stdin
        .as_ref()
        .map(|(p, text)| (crate::paths::clean(p), text.as_str()));
    let mut by_path: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
    for d in report
        .active()
        .filter(|d| d.fix.as_ref().is_some_and(|f| mode.admits(f)))
    {
        by_path.entry(d.path.as_path()).or_default().push(d);
    }
    let mut plans = Vec::new();
    for (path, findings) in by_path {
        let text = match &stdin {
            Some((stdin_path, text)) if stdin_path == path => Cow::Borrowed(*text),
            // Linting stdin: no other file is fixed.
            Some(_) => continue,
            None => Cow::Owned(
                std::fs::read_to_string(path)
                    .map_err(|e| LintError::Io(path.to_path_buf(), e.to_string()))?,
            ),
        };
        plans.push(plan_file(path, &text, &findings, mode));
    }
    Ok(plans)
}

/// Plans the fixes of `findings` (all in the file at `path` whose text is `text`).
pub fn plan_file(path: &Path, text: &str, findings: &[&Diagnostic], mode: FixMode) -> FilePlan {
    let index = LineIndex::new(text);
    let mut dropped = Vec::new();
    let dropped_fix = |d: &Diagnostic, reason: &str| DroppedFix {
        rule: d.rule.name(),
        path: d.path.clone(),
        start: d.start,
        reason: reason.to_string(),
    };

    // Each candidate: the finding and its edits in byte offsets, sorted.
    let mut candidates: Vec<(&Diagnostic, Vec<ByteEdit>)> = Vec::new();
    for &d in findings {
        let Some(fix) = d.fix.as_ref().filter(|f| mode.admits(f)) else {
            continue;
        };
        let edits: Option<Vec<ByteEdit>> = fix
            .edits
            .iter()
            .map(|e| {
                let start = index.offset(e.start())?;
                let end = index.offset(e.end())?;
                (start <= end).then(|| ByteEdit {
                    start,
                    end,
                    content: e.content.clone(),
                })
            })
            .collect();
        match edits {
            Some(mut edits) if !edits.is_empty() => {
                edits.sort_by_key(|e| (e.start, e.end));
                let self_overlap = edits.windows(2).any(|w| w[0].conflicts(&w[1]));
                if self_overlap {
                    dropped.push(dropped_fix(d, "its edits overlap each other"));
                } else {
                    candidates.push((d, edits));
                }
            }
            _ => dropped.push(dropped_fix(d, "it points outside the file")),
        }
    }
    candidates.sort_by_key(|(d, edits)| (edits[0].start, edits[0].end, d.rule));

    // Source order; skip a fix that overlaps one already taken.
    let mut taken: Vec<(&Diagnostic, Vec<ByteEdit>)> = Vec::new();
    let mut overlapping = 0;
    for (d, edits) in candidates {
        let clash = taken
            .iter()
            .flat_map(|(_, t)| t)
            .any(|t| edits.iter().any(|e| e.conflicts(t)));
        if clash {
            overlapping += 1;
        } else {
            taken.push((d, edits));
        }
    }

    let mut fixed = apply(text, taken.iter().flat_map(|(_, e)| e));
    if !taken.is_empty() && !still_parses(path, &fixed) {
        // Find the culprits: keep each fix only if the file still parses with it.
        let mut kept: Vec<(&Diagnostic, Vec<ByteEdit>)> = Vec::new();
        for (d, edits) in taken {
            let trial = apply(text, kept.iter().flat_map(|(_, e)| e).chain(&edits));
            if still_parses(path, &trial) {
                kept.push((d, edits));
            } else {
                dropped.push(dropped_fix(d, "the fixed file would not parse"));
            }
        }
        taken = kept;
        fixed = apply(text, taken.iter().flat_map(|(_, e)| e));
    }
    FilePlan {
        path: path.to_path_buf(),
        original: text.to_string(),
        fixed,
        applied: taken.len(),
        overlapping,
        dropped,
    }
}

/// Applies non-conflicting edits (duplicates applied once) to `text`.
fn apply<'e>(text: &str, edits: impl Iterator<Item = &'e ByteEdit>) -> String {
    let mut edits: Vec<&ByteEdit> = edits.collect();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.content);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether fixed text still parses as what the file is. syn recurses once per nesting
/// level, so Rust is parsed on a thread with the stack phase 1 gives (a deeply nested file
/// would overflow the caller's).
fn still_parses(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => std::thread::scope(|s| {
            let parse = || {
                let ok = syn::parse_file(text).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                ok
            };
            std::thread::Builder::new()
                .stack_size(crate::engine::ANALYSIS_STACK_BYTES)
                .spawn_scoped(s, parse)
                .ok()
                .and_then(|t| t.join().ok())
                .unwrap_or(false)
        }),
        Some("toml") => toml::from_str::<toml::Table>(text).is_ok(),
        _ => true,
    }
}

/// What `fix` did.
#[derive(Debug, Default)]
pub struct FixSummary {
    /// Findings fixed.
    pub fixed: usize,
    /// Files written (with stdin: the stdin file, when its text changed).
    pub files: Vec<PathBuf>,
    /// Fixes not applied because of what they would do to the file.
    pub dropped: Vec<DroppedFix>,
    /// Files not written because they (or their folder) are read-only; their fixes were
    /// not applied.
    pub read_only: Vec<PathBuf>,
    /// Files whose write failed, with the error (each left as it was); no further round
    /// was run after a failure.
    pub failed: Vec<(PathBuf, String)>,
    /// With [`LintOptions::stdin`]: the fixed stdin text (nothing is written to disk).
    pub stdin: Option<String>,
}

/// Applies the fixes of `report` that `mode` admits, writes the files (with
/// [`LintOptions::stdin`]: fixes the stdin text instead, see [`FixSummary::stdin`]), lints
/// again (and fixes again while fixes overlapped) and returns the report of what remains.
pub fn fix(
    options: &LintOptions,
    report: Report,
    mode: FixMode,
) -> Result<(Report, FixSummary), LintError> {
    let mut options = options.clone();
    let mut report = report;
    let mut summary = FixSummary::default();
    for _ in 0..MAX_ROUNDS {
        let plans = plan_for(&options, &report, mode)?;
        for p in &plans {
            for d in &p.dropped {
                if !summary
                    .dropped
                    .iter()
                    .any(|s| s.rule == d.rule && s.path == d.path && s.start == d.start)
                {
                    summary.dropped.push(d.clone());
                }
            }
        }
        let changing: Vec<&FilePlan> = plans
            .iter()
            .filter(|p| p.changes() && !summary.read_only.contains(&p.path))
            .collect();
        if changing.is_empty() {
            break;
        }
        let mut written: Vec<&FilePlan> = Vec::new();
        if let Some((_, text)) = &mut options.stdin {
            // `plan_for` planned the stdin file only.
            for p in &changing {
                text.clone_from(&p.fixed);
                written.push(p);
            }
        } else {
            let outcome = write_plans(&changing);
            written.extend(
                changing
                    .iter()
                    .filter(|p| outcome.written.contains(&p.path)),
            );
            summary.read_only.extend(outcome.read_only);
            summary.failed.extend(outcome.failed);
        }
        for p in &written {
            summary.fixed += p.applied;
            if !summary.files.contains(&p.path) {
                summary.files.push(p.path.clone());
            }
        }
        if written.is_empty() {
            break;
        }
        report = lint(&options)?;
        if !summary.failed.is_empty() || written.iter().all(|p| p.overlapping == 0) {
            break;
        }
    }
    summary.stdin = options.stdin.map(|(_, text)| text);
    Ok((report, summary))
}

/// A unified diff (`--- a/PATH` / `+++ b/PATH`, three lines of context), by `similar`.
fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let shown = crate::paths::slash_path(path);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Level};

    fn finding(
        line: u32,
        col: u32,
        end_col: u32,
        content: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic {
            rule: crate::registry::RuleId::PrintLogging,
            group: "logging",
            level: Level::Deny,
            path: PathBuf::from("src/main.rs"),
            start: Position::new(line, col),
            end: Position::new(line, end_col),
            message: String::new(),
            help: None,
            fix: Some(Fix {
                applicability,
                message: String::new(),
                edits: vec![Edit {
                    line,
                    column: col,
                    end_line: line,
                    end_column: end_col,
                    content: content.into(),
                }],
            }),
            source: String::new(),
            suppressed: None,
        }
    }

    const TEXT: &str = "fn main() {\n    println!(\"a\");\n    println!(\"b\");\n}\n";

    #[test]
    fn applies_in_order_and_diffs() {
        let a = finding(2, 5, 12, "tracing::info", Applicability::Unsafe);
        let b = finding(3, 5, 12, "tracing::info", Applicability::Unsafe);
        let plan = plan_file(
            Path::new("src/main.rs"),
            TEXT,
            &[&b, &a],
            FixMode { unsafe_fixes: true },
        );
        assert_eq!(plan.applied, 2);
        assert_eq!(
            plan.fixed,
            "fn main() {\n    tracing::info!(\"a\");\n    tracing::info!(\"b\");\n}\n"
        );
        assert_eq!(
            plan.diff(),
            "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,4 +1,4 @@\n fn main() {\n-    println!(\"a\");\n-    println!(\"b\");\n+    tracing::info!(\"a\");\n+    tracing::info!(\"b\");\n }\n"
        );
    }

    #[test]
    fn unsafe_fixes_need_the_mode() {
        let a = finding(2, 5, 12, "tracing::info", Applicability::Unsafe);
        let plan = plan_file(Path::new("src/main.rs"), TEXT, &[&a], FixMode::default());
        assert!(!plan.changes());
    }

    #[test]
    fn overlapping_fix_waits_for_the_next_round() {
        let a = finding(2, 5, 12, "tracing::info", Applicability::Safe);
        let b = finding(2, 5, 10, "x", Applicability::Safe);
        let plan = plan_file(
            Path::new("src/main.rs"),
            TEXT,
            &[&a, &b],
            FixMode::default(),
        );
        assert_eq!((plan.applied, plan.overlapping), (1, 1));
    }

    #[test]
    fn a_fix_that_breaks_the_parse_is_dropped_alone() {
        let good = finding(2, 5, 12, "tracing::info", Applicability::Safe);
        let bad = finding(3, 5, 12, "fn (", Applicability::Safe);
        let plan = plan_file(
            Path::new("src/main.rs"),
            TEXT,
            &[&good, &bad],
            FixMode::default(),
        );
        assert_eq!(plan.applied, 1);
        assert_eq!(plan.dropped.len(), 1);
        assert_eq!(plan.dropped[0].start, Position::new(3, 5));
        assert!(
            plan.fixed.contains("tracing::info!(\"a\")") && plan.fixed.contains("println!(\"b\")")
        );
    }

    #[test]
    fn diff_hunks_are_separate_when_far_apart_and_count_lines() {
        let text: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let edits = [
            ByteEdit {
                start: 0,
                end: 2,
                content: "x1\nx1b".into(),
            },
            ByteEdit {
                start: text.find("l15").unwrap(),
                end: text.find("l16").unwrap(),
                content: String::new(),
            },
        ];
        let diff = unified_diff(Path::new("f.txt"), &text, &apply(&text, edits.iter()));
        assert_eq!(
            diff,
            "--- a/f.txt\n+++ b/f.txt\n@@ -1,4 +1,5 @@\n-l1\n+x1\n+x1b\n l2\n l3\n l4\n@@ -12,7 +13,6 @@\n l12\n l13\n l14\n-l15\n l16\n l17\n l18\n"
        );
    }

    #[test]
    fn with_stdin_only_the_stdin_text_is_planned() {
        // Neither file exists: the stdin file is planned from the stdin text, the other
        // file is not fixed (nor read).
        let a = finding(2, 5, 12, "tracing::info", Applicability::Safe);
        let mut other = finding(2, 5, 12, "tracing::info", Applicability::Safe);
        other.path = PathBuf::from("src/other.rs");
        let report = Report {
            diagnostics: vec![a, other],
            files: 1,
            ..Report::default()
        };
        let options = LintOptions {
            stdin: Some((PathBuf::from("./src/main.rs"), TEXT.to_string())),
            ..LintOptions::default()
        };
        let plans = plan_for(&options, &report, FixMode::default()).unwrap();
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].path, Path::new("src/main.rs"));
        assert_eq!(
            plans[0].fixed,
            "fn main() {\n    tracing::info!(\"a\");\n    println!(\"b\");\n}\n"
        );
        assert!(
            plan(&report, FixMode::default()).is_err(),
            "without stdin: read from disk"
        );
    }

    #[cfg(unix)]
    #[test]
    fn read_only_is_decided_on_the_permission_bits_of_the_real_file_and_its_folder() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("main.rs");
        std::fs::write(&file, TEXT).unwrap();
        let link = dir.path().join("link.rs");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let a = finding(2, 5, 12, "tracing::info", Applicability::Safe);
        let plan = plan_file(&link, TEXT, &[&a], FixMode::default());
        assert!(!plan.read_only());
        let mode = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        mode(&file, 0o444);
        assert!(plan.read_only());
        let e = plan.write().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            TEXT,
            "even as root"
        );
        mode(&file, 0o644);
        mode(dir.path(), 0o555);
        assert!(plan.read_only());
        mode(dir.path(), 0o755);
        plan.write().unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), plan.fixed);
    }
}
