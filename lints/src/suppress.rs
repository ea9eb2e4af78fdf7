//! Suppression comments (docs/idioms.md "Suppressions"): `// paved: allow(rule, ..) -- reason`,
//! `// paved: allow-file(rule) -- reason`, and `# paved: allow(rule) -- reason` in TOML.
//! They are applied after every rule ran, so that unused ones can be reported exactly.

use crate::comments::{Comment, CommentKind};
use crate::config::{Selector, closest_name};
use crate::diagnostic::{Diagnostic, Position, Suppressed};
use crate::line_index::LineIndex;
use crate::registry::RuleId;
use serde::{Deserialize, Serialize};

/// One name inside `allow(..)`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SuppressedName {
    pub name: String,
    pub selector: Option<Selector>,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suppression {
    /// Where the comment is (from `//`, `/*` or `#` to the end of the comment).
    pub start: Position,
    pub end: Position,
    /// The line whose findings it covers; `None` for `allow-file` and for a comment whose
    /// link to the next line is broken by a blank line.
    pub target: Option<u32>,
    pub file_wide: bool,
    pub names: Vec<SuppressedName>,
    pub reason: Option<String>,
    /// Why the comment could not be read, if it could not.
    pub malformed: Option<String>,
    /// The comment's source lines, for the snippet of a finding about it.
    pub source: String,
}

/// The comment syntax of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Rust,
    Toml,
}

/// Reads the suppression comments of a file. Comments come from lexing the file
/// (`crate::comments`): text inside a string, a raw string or a char literal is never a
/// suppression. Line comments (`//`, `#`) and block comments (`/* .. */`) count; doc
/// comments (`///`, `//!`, `/** */`) are documentation, which may well show a suppression
/// as an example, so they never do.
pub fn parse(text: &str, syntax: Syntax) -> Vec<Suppression> {
    // Every suppression comment contains `paved:`; most files have none, and one substring
    // search is far cheaper than lexing.
    if !text.contains("paved:") {
        return Vec::new();
    }
    let comments = match syntax {
        Syntax::Rust => crate::comments::rust(text),
        Syntax::Toml => crate::comments::toml(text),
    };
    let lines = LineIndex::new(text);
    let mut found: Vec<(Comment, &str)> = Vec::new();
    for c in comments {
        if c.kind == CommentKind::Doc {
            continue;
        }
        if let Some(body) = c.body(text).trim_start().strip_prefix("paved:") {
            found.push((c, body));
        }
    }
    // Lines that hold nothing but a suppression comment, which a standalone suppression
    // above them skips to reach the code it covers.
    let mut standalone_lines = Vec::new();
    let standalone: Vec<bool> = found
        .iter()
        .map(|(c, _)| {
            let (first, last) = (lines.line_of(c.start), lines.line_of(c.end));
            let alone = text[lines.line_start(first)..c.start].trim().is_empty()
                && text[c.end..lines.line_end(last)].trim().is_empty();
            if alone {
                standalone_lines.extend(first..=last);
            }
            alone
        })
        .collect();
    found
        .into_iter()
        .zip(standalone)
        .map(|((c, body), alone)| {
            let (first, last) = (lines.line_of(c.start), lines.line_of(c.end));
            let target = if alone {
                next_code_line(text, &lines, last, &standalone_lines)
            } else if text[lines.line_start(first)..c.start].trim().is_empty() {
                // Code after the comment on its last line (`/* .. */ code`).
                Some(last as u32 + 1)
            } else {
                Some(first as u32 + 1)
            };
            let end_col = if c.kind == CommentKind::Line {
                text[lines.line_start(last)..c.end]
                    .trim_end()
                    .chars()
                    .count()
            } else {
                text[lines.line_start(last)..c.end].chars().count()
            };
            let mut s = Suppression {
                start: Position::new(
                    first as u32 + 1,
                    text[lines.line_start(first)..c.start].chars().count() as u32 + 1,
                ),
                end: Position::new(last as u32 + 1, end_col as u32 + 1),
                target,
                file_wide: false,
                names: Vec::new(),
                reason: None,
                malformed: None,
                source: String::new(),
            };
            s.source = crate::line_index::snippet(text, s.start.line, s.end.line);
            read_body(body, &mut s);
            s
        })
        .collect()
}

/// A standalone comment covers the next line, skipping further standalone suppression
/// comments; a blank line in between breaks the link. 1-based.
fn next_code_line(
    text: &str,
    lines: &LineIndex,
    after: usize,
    standalone: &[usize],
) -> Option<u32> {
    for line in after + 1..lines.line_count() {
        if text[lines.line_start(line)..lines.line_end(line)]
            .trim()
            .is_empty()
        {
            return None;
        }
        if !standalone.contains(&line) {
            return Some(line as u32 + 1);
        }
    }
    None
}

fn read_body(body: &str, s: &mut Suppression) {
    let body = body.trim();
    let (file_wide, rest) = if let Some(r) = body.strip_prefix("allow-file(") {
        (true, r)
    } else if let Some(r) = body.strip_prefix("allow(") {
        (false, r)
    } else {
        s.malformed =
            Some("expected `allow(rule, ..)` or `allow-file(rule, ..)` after `paved:`".into());
        return;
    };
    let Some(close) = rest.find(')') else {
        s.malformed = Some("missing `)` after the rule names".into());
        return;
    };
    s.file_wide = file_wide;
    s.names = rest[..close]
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| SuppressedName {
            name: n.to_string(),
            selector: Selector::parse(n),
            used: false,
        })
        .collect();
    if s.names.is_empty() {
        s.malformed = Some("no rule named inside `allow()`".into());
    }
    let tail = rest[close + 1..].trim();
    // A block comment's reason may run over several lines: one line of words.
    s.reason = tail
        .strip_prefix("--")
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|r| !r.is_empty());
}

/// Marks the findings of one file that its suppressions cover.
pub fn apply(suppressions: &mut [Suppression], diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut().filter(|d| d.suppressed.is_none()) {
        let rule = d.rule;
        for s in suppressions.iter_mut() {
            if !(s.file_wide || s.target == Some(d.start.line)) {
                continue;
            }
            if let Some(n) = s
                .names
                .iter_mut()
                .find(|n| n.selector.is_some_and(|sel| sel.matches(rule)))
            {
                n.used = true;
                d.suppressed = Some(Suppressed {
                    reason: s.reason.clone(),
                    line: s.start.line,
                });
                break;
            }
        }
    }
}

/// A finding of a meta rule about a suppression comment.
#[derive(Debug)]
pub struct MetaFinding {
    pub rule: RuleId,
    pub start: Position,
    pub end: Position,
    /// The suppression comment's source lines.
    pub source: String,
    pub message: String,
    pub help: Option<String>,
}

/// What is wrong with the suppressions of a file once they were applied. `enabled` says
/// whether a rule is on for this file: a suppression of a rule that is off is not reported
/// as unused (the configuration, not the comment, turned it off).
pub fn meta_findings(
    suppressions: &[Suppression],
    enabled: impl Fn(Selector) -> bool,
) -> Vec<MetaFinding> {
    let mut out = Vec::new();
    for s in suppressions {
        let finding = |rule, message: String, help: Option<String>| MetaFinding {
            rule,
            start: s.start,
            end: s.end,
            source: s.source.clone(),
            message,
            help,
        };
        if let Some(why) = &s.malformed {
            out.push(finding(
                RuleId::UnusedSuppression,
                format!("this suppression comment cannot be read: {why}"),
                Some("write `// paved: allow(rule-name) -- reason`".into()),
            ));
            continue;
        }
        for n in &s.names {
            match n.selector {
                None => out.push(finding(
                    RuleId::UnusedSuppression,
                    format!("unknown rule `{}` in suppression", n.name),
                    Some(match closest_name(&n.name) {
                        Some(c) => format!("did you mean `{c}`? `paved rules` lists every rule"),
                        None => "`paved rules` lists every rule".into(),
                    }),
                )),
                Some(sel) if !n.used && enabled(sel) => out.push(finding(
                    RuleId::UnusedSuppression,
                    format!(
                        "`{}` is allowed here but {} no `{}` finding",
                        n.name,
                        if s.file_wide {
                            "this file has"
                        } else {
                            "the line it covers has"
                        },
                        n.name
                    ),
                    Some("remove the suppression (or the name) that is no longer needed".into()),
                )),
                Some(_) => {}
            }
        }
        if s.reason.is_none() && !s.names.is_empty() {
            out.push(finding(RuleId::SuppressionWithoutReason, "suppression comment without a reason".into(), Some("say why after ` -- `, e.g. `// paved: allow(print-logging) -- CLI output for operators`".into())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_standalone_comments_find_their_lines() {
        let text = "let a = 1; // paved: allow(print-logging) -- ok\n// paved: allow(logging)\n// paved: allow(config) -- stacked\nfoo();\n// paved: allow(meta) -- x\n\nbar();\nlet s = \"// paved: allow(x)\";\n";
        let s = parse(text, Syntax::Rust);
        assert_eq!(s.len(), 4);
        assert_eq!((s[0].target, s[0].reason.as_deref()), (Some(1), Some("ok")));
        assert_eq!((s[1].target, s[1].reason.as_deref()), (Some(4), None));
        assert_eq!(s[2].target, Some(4));
        assert_eq!(s[3].target, None, "a blank line breaks the link");
        assert_eq!(s[0].start, Position::new(1, 12));
    }

    #[test]
    fn block_comments_and_lookalikes() {
        let text = "/* paved: allow(print-logging) -- a reason\n   over two lines */\nprintln!();\n/* paved: allow(config) -- before code */ foo();\nlet c = '\"'; bar(); // paved: allow(meta) -- after a char literal\nlet s = r#\"// paved: allow(x)\"#;\n/// paved: allow(x) -- doc\nfn f() {}\n";
        let s = parse(text, Syntax::Rust);
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].target, Some(3));
        assert_eq!(s[0].reason.as_deref(), Some("a reason over two lines"));
        assert_eq!(
            (s[0].start, s[0].end),
            (Position::new(1, 1), Position::new(2, 21))
        );
        assert_eq!(s[1].target, Some(4));
        assert_eq!(s[2].target, Some(5));
        assert_eq!(s[2].start, Position::new(5, 21));
    }

    #[test]
    fn toml_strings_are_not_comments() {
        let s = parse(
            "a = \"# paved: allow(x)\"\nb = 1 # paved: allow(foreign-logger) -- why\n",
            Syntax::Toml,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].target, Some(2));
    }

    #[test]
    fn allow_file_and_malformed() {
        let s = parse(
            "// paved: allow-file(print-logging, nope) -- tool\n// paved: alow(x)\n/// paved: allow(x)\n",
            Syntax::Rust,
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].file_wide);
        assert!(s[0].names[1].selector.is_none());
        assert!(s[1].malformed.is_some());
    }
}
