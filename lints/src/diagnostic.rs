//! What a rule reports: the `Diagnostic` every output format renders.

use crate::rule::RuleMeta;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// A word from paved's own code (a rule name, a macro name). Spelt as an alias so that
/// serde does not take the field for text borrowed from the input: the cache reads these
/// fields back through `crate::cache::codec`.
pub type StaticStr = &'static str;

/// How seriously a finding is taken. `Deny` fails the run (exit 1), `Warn` is reported only,
/// `Allow` turns the rule off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and 1-based column counted in characters, as editors and rustc count.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Position {
        Position { line, column }
    }
}

/// Whether a fix can be applied without changing what the program means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps behaviour; applied by `--fix`.
    Safe,
    /// Changes behaviour in a way the user should review; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the text between `start` (inclusive) and `end` (exclusive) with `content`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub content: String,
}

impl Edit {
    pub fn start(&self) -> Position {
        Position::new(self.line, self.column)
    }
    pub fn end(&self) -> Position {
        Position::new(self.end_line, self.end_column)
    }
}

/// A machine-applicable change that resolves a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

/// A suppression comment that silenced a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// The text after ` -- ` in the comment, if any.
    pub reason: Option<String>,
    /// Line of the suppression comment.
    pub line: u32,
}

/// One finding. Lines and columns are 1-based; `end` is exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Serialized as the rule's public name.
    pub rule: crate::registry::RuleId,
    #[serde(with = "crate::cache::codec::static_str")]
    pub group: StaticStr,
    pub level: Level,
    /// Path as shown to the user (relative to the current directory when below it).
    pub path: PathBuf,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The source lines `start.line..=end.line` (at most a few), for snippets and fingerprints.
    pub source: String,
    /// Set when a suppression comment silenced this finding.
    pub suppressed: Option<Suppressed>,
}

impl Diagnostic {
    /// The one constructor: a finding of `rule` between `start` and `end` of `path`, with
    /// the source lines taken from `text` (the file's text; empty when the caller has not
    /// read it, and the engine fills them in at the end).
    pub(crate) fn new(
        rule: &'static RuleMeta,
        level: Level,
        path: &Path,
        start: Position,
        end: Position,
        message: String,
        text: &str,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.id,
            group: rule.group.as_str(),
            level,
            path: path.to_path_buf(),
            start,
            end,
            message,
            help: None,
            fix: None,
            source: crate::line_index::snippet(text, start.line, end.line),
            suppressed: None,
        }
    }

    /// A finding of `rule` at its level in `levels`, or
    /// `None` when that level is `allow`: how the engine reports what no rule hook sees
    /// (files that do not parse, suppressions that are wrong).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn at_level(
        rule: crate::registry::RuleId,
        levels: &[Level],
        path: &Path,
        start: Position,
        end: Position,
        message: String,
        help: Option<String>,
        text: &str,
    ) -> Option<Diagnostic> {
        let level = levels[rule];
        (level != Level::Allow).then(|| Diagnostic {
            help,
            ..Diagnostic::new(rule.meta(), level, path, start, end, message, text)
        })
    }

    /// Deterministic output order: path, line, column, rule.
    pub fn sort_key(&self) -> (&PathBuf, u32, u32, &'static str) {
        (
            &self.path,
            self.start.line,
            self.start.column,
            self.rule.name(),
        )
    }

    /// The flagged text itself (the part of `source` between start and end).
    pub fn flagged_text(&self) -> String {
        let lines: Vec<&str> = self.source.lines().collect();
        if lines.is_empty() {
            return String::new();
        }
        let span_lines =
            (self.end.line.saturating_sub(self.start.line) as usize + 1).min(lines.len());
        let mut out = String::new();
        for (i, line) in lines.iter().take(span_lines).enumerate() {
            let from = if i == 0 {
                self.start.column as usize - 1
            } else {
                0
            };
            let to = if i + 1 == span_lines && self.end.line >= self.start.line {
                (self.end.column as usize).saturating_sub(1)
            } else {
                usize::MAX
            };
            let piece: String = line
                .chars()
                .skip(from)
                .take(to.saturating_sub(from))
                .collect();
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&piece);
        }
        out
    }
}
