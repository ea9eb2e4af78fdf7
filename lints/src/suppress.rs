//! Suppression comments (docs/idioms.md "Suppressions"): `// paved: allow(rule, ..) -- reason`,
//! `// paved: allow-file(rule) -- reason`, and `# paved: allow(rule) -- reason` in TOML.
//! They are applied after every rule ran, so that unused ones can be reported exactly.

use crate::config::{Selector, closest_name};
use crate::diagnostic::{Diagnostic, Position, Suppressed};

/// One name inside `allow(..)`.
#[derive(Debug, Clone)]
pub struct SuppressedName {
    pub name: String,
    pub selector: Option<Selector>,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub struct Suppression {
    /// Where the comment is (from `//` or `#` to the end of the line).
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
}

/// Reads the suppression comments of a file. `marker` is `//` for Rust and `#` for TOML.
pub fn parse(text: &str, marker: &str) -> Vec<Suppression> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((col, body)) = find_comment(line, marker) else {
            continue;
        };
        let line_no = i as u32 + 1;
        let standalone = line[..col].trim().is_empty();
        let target = if standalone {
            next_code_line(&lines, i, marker)
        } else {
            Some(line_no)
        };
        let mut s = Suppression {
            start: Position::new(line_no, line[..col].chars().count() as u32 + 1),
            end: Position::new(line_no, line.trim_end().chars().count() as u32 + 1),
            target,
            file_wide: false,
            names: Vec::new(),
            reason: None,
            malformed: None,
        };
        read_body(body, &mut s);
        out.push(s);
    }
    out
}

/// The byte column of `<marker> paved:` on a line and the text after `paved:`, unless the
/// marker sits inside a string literal.
fn find_comment<'l>(line: &'l str, marker: &str) -> Option<(usize, &'l str)> {
    let mut from = 0;
    while let Some(rel) = line[from..].find(marker) {
        let col = from + rel;
        let rest = line[col + marker.len()..].trim_start();
        let in_string = line[..col].matches('"').count() % 2 == 1;
        let doc_comment = marker == "//" && line[col + 2..].starts_with(['/', '!']);
        if !in_string
            && !doc_comment
            && let Some(body) = rest.strip_prefix("paved:")
        {
            return Some((col, body));
        }
        from = col + marker.len();
    }
    None
}

/// A standalone comment covers the next line, skipping further suppression comments; a
/// blank line in between breaks the link.
fn next_code_line(lines: &[&str], from: usize, marker: &str) -> Option<u32> {
    for (j, line) in lines.iter().enumerate().skip(from + 1) {
        if line.trim().is_empty() {
            return None;
        }
        match find_comment(line, marker) {
            Some((col, _)) if line[..col].trim().is_empty() => continue,
            _ => return Some(j as u32 + 1),
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
    s.reason = tail
        .strip_prefix("--")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
}

/// Marks the findings of one file that its suppressions cover.
pub fn apply(suppressions: &mut [Suppression], diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut().filter(|d| d.suppressed.is_none()) {
        let Some(rule) = crate::registry::index_of(d.rule) else {
            continue;
        };
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
    pub rule: &'static str,
    pub start: Position,
    pub end: Position,
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
            message,
            help,
        };
        if let Some(why) = &s.malformed {
            out.push(finding(
                "unused-suppression",
                format!("this suppression comment cannot be read: {why}"),
                Some("write `// paved: allow(rule-name) -- reason`".into()),
            ));
            continue;
        }
        for n in &s.names {
            match n.selector {
                None => out.push(finding(
                    "unused-suppression",
                    format!("unknown rule `{}` in suppression", n.name),
                    Some(match closest_name(&n.name) {
                        Some(c) => format!("did you mean `{c}`? `paved rules` lists every rule"),
                        None => "`paved rules` lists every rule".into(),
                    }),
                )),
                Some(sel) if !n.used && enabled(sel) => out.push(finding(
                    "unused-suppression",
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
            out.push(finding("suppression-without-reason", "suppression comment without a reason".into(), Some("say why after ` -- `, e.g. `// paved: allow(print-logging) -- CLI output for operators`".into())));
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
        let s = parse(text, "//");
        assert_eq!(s.len(), 4);
        assert_eq!((s[0].target, s[0].reason.as_deref()), (Some(1), Some("ok")));
        assert_eq!((s[1].target, s[1].reason.as_deref()), (Some(4), None));
        assert_eq!(s[2].target, Some(4));
        assert_eq!(s[3].target, None, "a blank line breaks the link");
        assert_eq!(s[0].start, Position::new(1, 12));
    }

    #[test]
    fn allow_file_and_malformed() {
        let s = parse(
            "// paved: allow-file(print-logging, nope) -- tool\n// paved: alow(x)\n/// paved: allow(x)\n",
            "//",
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].file_wide);
        assert!(s[0].names[1].selector.is_none());
        assert!(s[1].malformed.is_some());
    }
}
