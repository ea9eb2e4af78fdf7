//! Baselines: today's findings recorded by fingerprint, so that a legacy codebase can adopt
//! paved and be held to "no new findings" (docs/architecture.md "Baseline").
//!
//! A fingerprint is a hash of the rule, the repository-relative path and the flagged source
//! text with whitespace folded, plus an occurrence index among findings with the same hash.
//! It never contains a line number: adding lines above a finding does not make it new.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The baseline file format version this build reads and writes.
pub const VERSION: u32 = 1;

/// Maps finding paths (relative to the current folder) to paths relative to the repository
/// root: the nearest folder above the current one that holds `.git`, else the current folder.
#[derive(Clone, Debug)]
pub struct RepoPaths {
    root: PathBuf,
    cwd: PathBuf,
}

impl RepoPaths {
    /// The repository around the current folder.
    pub fn discover() -> RepoPaths {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let root = cwd
            .ancestors()
            .find(|d| d.join(".git").exists())
            .unwrap_or(&cwd)
            .to_path_buf();
        RepoPaths { root, cwd }
    }

    /// `root` and `cwd` are absolute; `cwd` lies below `root`.
    pub fn new(root: &Path, cwd: &Path) -> RepoPaths {
        RepoPaths {
            root: root.to_path_buf(),
            cwd: cwd.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path relative to the repository root with `/` separators, or `None` when it lies
    /// outside the repository.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let abs = crate::paths::lexical(&self.cwd.join(path));
        let rel = abs.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// [`relative`](Self::relative), falling back to the path as shown.
    pub fn display(&self, path: &Path) -> String {
        self.relative(path)
            .unwrap_or_else(|| crate::paths::slash_path(path))
    }
}

/// Whitespace runs folded to one space, ends trimmed.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fingerprint of every finding of `diagnostics` (same order): `<16 hex digits>:<n>`,
/// where `n` counts findings with the same hash from 1, in report order. Active and
/// suppressed findings are counted apart, so adding a suppression renumbers nothing else.
pub fn fingerprints(diagnostics: &[Diagnostic], repo: &RepoPaths) -> Vec<String> {
    let mut seen: HashMap<(String, bool), usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let hash = hash(d, repo);
            let n = seen
                .entry((hash.clone(), d.suppressed.is_some()))
                .or_default();
            *n += 1;
            format!("{hash}:{n}")
        })
        .collect()
}

fn hash(d: &Diagnostic, repo: &RepoPaths) -> String {
    let flagged = normalise(&d.flagged_text());
    // Nothing to hash (no source available): the message is the next most stable thing.
    let text = if flagged.is_empty() {
        normalise(&d.message)
    } else {
        flagged
    };
    let mut hasher = Sha256::new();
    for part in [d.rule.name(), &repo.display(&d.path), &text] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest[..8]
        .iter()
        .fold(String::with_capacity(16), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// For people reading the file; not used for matching.
    pub message: String,
}

/// A baseline file: `{"version": 1, "findings": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: Option<serde_json::Value>,
}

/// Why a baseline file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("not a paved baseline: {0}")]
    Syntax(String),
    #[error("baseline version {0} is not supported (this paved reads version {VERSION})")]
    Version(String),
}

/// What a baseline says about one run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Per finding (same order as given): `true` when the baseline does not know it.
    pub is_new: Vec<bool>,
    /// Indices of entries that no finding matched (fixed since the baseline was written).
    pub stale: Vec<usize>,
}

/// What [`Baseline::filter`] did to a run's findings.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Findings dropped because the baseline knows them.
    pub hidden: usize,
    /// Indices of entries that no finding matched.
    pub stale: Vec<usize>,
}

impl Baseline {
    /// The active findings of a run (`fingerprints` as from [`fingerprints`]).
    pub fn from_findings(
        diagnostics: &[Diagnostic],
        fingerprints: &[String],
        repo: &RepoPaths,
    ) -> Baseline {
        let mut entries: Vec<Entry> = diagnostics
            .iter()
            .zip(fingerprints)
            .filter(|(d, _)| d.suppressed.is_none())
            .map(|(d, fp)| Entry {
                rule: d.rule.to_string(),
                path: repo.display(&d.path),
                fingerprint: fp.clone(),
                message: d.message.clone(),
            })
            .collect();
        entries.sort();
        Baseline { entries }
    }

    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            // Name the version problem rather than a missing field when that is what it is.
            match serde_json::from_str::<VersionOnly>(text) {
                Ok(VersionOnly { version: Some(v) }) if v != VERSION => {
                    BaselineError::Version(v.to_string())
                }
                _ => BaselineError::Syntax(e.to_string()),
            }
        })?;
        if file.version != VERSION {
            return Err(BaselineError::Version(file.version.to_string()));
        }
        let mut entries = file.findings;
        entries.sort();
        Ok(Baseline { entries })
    }

    /// Sorted, one finding per line: reviewable in a diff.
    pub fn render(&self) -> String {
        let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
        for (i, e) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(e).expect("entries serialize"));
        }
        out.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    /// Matches findings (`(rule, repo-relative path, fingerprint)`) against the entries.
    /// Only entries whose path satisfies `in_scope` can be stale: a run over part of the
    /// repository says nothing about the rest.
    pub fn compare<'a>(
        &self,
        findings: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
        in_scope: impl Fn(&str) -> bool,
    ) -> Comparison {
        let mut unmatched: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate().rev() {
            unmatched
                .entry((e.rule.as_str(), e.path.as_str(), e.fingerprint.as_str()))
                .or_default()
                .push(i);
        }
        let is_new = findings
            .into_iter()
            .map(|key| unmatched.get_mut(&key).and_then(Vec::pop).is_none())
            .collect();
        let mut stale: Vec<usize> = unmatched
            .into_values()
            .flatten()
            .filter(|&i| in_scope(&self.entries[i].path))
            .collect();
        stale.sort_unstable();
        Comparison { is_new, stale }
    }

    /// Drops from a run's findings those the baseline knows (suppressed findings are never
    /// matched, so they stay), keeping `fingerprints` in step. Returns how many were hidden
    /// and the indices of the stale entries (see [`compare`](Self::compare)).
    pub fn filter(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        fingerprints: &mut Vec<String>,
        repo: &RepoPaths,
        in_scope: impl Fn(&str) -> bool,
    ) -> Filtered {
        let paths: Vec<String> = diagnostics.iter().map(|d| repo.display(&d.path)).collect();
        let active: Vec<usize> = (0..diagnostics.len())
            .filter(|&i| diagnostics[i].suppressed.is_none())
            .collect();
        let comparison = self.compare(
            active.iter().map(|&i| {
                (
                    diagnostics[i].rule.name(),
                    paths[i].as_str(),
                    fingerprints[i].as_str(),
                )
            }),
            in_scope,
        );
        let mut known = vec![false; diagnostics.len()];
        for (&i, new) in active.iter().zip(&comparison.is_new) {
            known[i] = !new;
        }
        let mut keep = known.iter().map(|k| !k);
        diagnostics.retain(|_| keep.next().unwrap_or(true));
        let mut keep = known.iter().map(|k| !k);
        fingerprints.retain(|_| keep.next().unwrap_or(true));
        Filtered {
            hidden: known.iter().filter(|k| **k).count(),
            stale: comparison.stale,
        }
    }

    /// The baseline without the given entries.
    pub fn without(&self, drop: &[usize]) -> Baseline {
        let entries = self
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, e)| e.clone())
            .collect();
        Baseline { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Level, Position};

    fn diag(path: &str, line: u32, source: &str) -> Diagnostic {
        Diagnostic {
            rule: crate::registry::RuleId::PrintLogging,
            group: "logging",
            level: Level::Deny,
            path: PathBuf::from(path),
            start: Position::new(line, 5),
            end: Position::new(line, 5 + source.trim().len() as u32),
            message: "m".into(),
            help: None,
            fix: None,
            source: source.into(),
            suppressed: None,
        }
    }

    #[test]
    fn filter_hides_known_findings_keeps_suppressed_ones_and_names_stale_entries() {
        let repo = RepoPaths::new(Path::new("/r"), Path::new("/r"));
        let old = diag("src/a.rs", 3, "println!(\"old\");");
        let gone = diag("src/b.rs", 4, "println!(\"gone\");");
        let mut all = vec![old.clone(), gone];
        let known = Baseline::from_findings(&all, &fingerprints(&all, &repo), &repo);
        let mut suppressed = old.clone();
        suppressed.suppressed = Some(crate::diagnostic::Suppressed {
            reason: None,
            line: 2,
        });
        all = vec![old, diag("src/a.rs", 7, "println!(\"new\");"), suppressed];
        let mut fps = fingerprints(&all, &repo);
        let new_fp = fps[1].clone();
        let filtered = known.filter(&mut all, &mut fps, &repo, |_| true);
        assert_eq!(filtered.hidden, 1);
        assert_eq!(filtered.stale.len(), 1);
        assert_eq!(known.entries[filtered.stale[0]].path, "src/b.rs");
        assert_eq!(all.len(), 2);
        assert_eq!(fps.len(), 2);
        assert_eq!(fps[0], new_fp);
        assert!(all[1].suppressed.is_some());
    }

    #[test]
    fn fingerprints_ignore_lines_and_indentation_but_count_repeats() {
        let repo = RepoPaths::new(Path::new("/r"), Path::new("/r/svc"));
        let a = fingerprints(&[diag("src/main.rs", 3, "    println!(\"x\");")], &repo);
        let b = fingerprints(&[diag("src/main.rs", 30, "    println!(\"x\");")], &repo);
        assert_eq!(a, b);
        let twice = fingerprints(
            &[
                diag("src/main.rs", 3, "    println!(\"x\");"),
                diag("src/main.rs", 9, "    println!(\"x\");"),
            ],
            &repo,
        );
        assert_eq!(twice[0], a[0]);
        assert!(twice[1].ends_with(":2"), "{twice:?}");
        assert_eq!(repo.display(Path::new("src/main.rs")), "svc/src/main.rs");
        assert_eq!(repo.display(Path::new("../other/x.rs")), "other/x.rs");
    }

    #[test]
    fn round_trip_and_bad_files() {
        let b = Baseline {
            entries: vec![Entry {
                rule: "r".into(),
                path: "p".into(),
                fingerprint: "f:1".into(),
                message: "m".into(),
            }],
        };
        assert_eq!(Baseline::parse(&b.render()).unwrap(), b);
        assert_eq!(
            Baseline::parse(&Baseline::default().render()).unwrap(),
            Baseline::default()
        );
        assert!(matches!(
            Baseline::parse("nope"),
            Err(BaselineError::Syntax(_))
        ));
        assert!(matches!(
            Baseline::parse("{\"version\": 2, \"findings\": []}"),
            Err(BaselineError::Version(_))
        ));
        assert!(matches!(
            Baseline::parse("{\"version\": \"x\"}"),
            Err(BaselineError::Version(_))
        ));
    }

    #[test]
    fn compare_consumes_entries_once() {
        let e = |fp: &str| Entry {
            rule: "r".into(),
            path: "p".into(),
            fingerprint: fp.into(),
            message: String::new(),
        };
        let b = Baseline {
            entries: vec![e("a:1"), e("b:1")],
        };
        let c = b.compare(
            [("r", "p", "a:1"), ("r", "p", "a:1"), ("r", "p", "c:1")],
            |_| true,
        );
        assert_eq!(c.is_new, vec![false, true, true]);
        assert_eq!(c.stale, vec![1]);
        assert!(b.compare([], |_| false).stale.is_empty());
    }
}
