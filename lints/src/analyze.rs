//! Phase 1 for one file: read once, parse once, walk once, keep the facts, drop the tree.

use crate::config::House;
use crate::context::{FileCx, position};
use crate::diagnostic::{Diagnostic, Level, Position};
use crate::model::FileFacts;
use crate::suppress::{self, Suppression};
use crate::test_modules::{self, ModDecl};
use crate::walk::Walker;
use std::path::Path;
use syn::visit::Visit;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct FileAnalysis {
    pub facts: FileFacts,
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<Suppression>,
    /// Out-of-line `mod x;` declarations, to find test modules declared by this file.
    pub mod_decls: Vec<ModDecl>,
}

/// How a file is classified before it is read.
pub struct FileRole<'a> {
    pub house: &'a House,
    pub levels: &'a [Level],
    pub is_test: bool,
    pub is_config: bool,
    /// The features the crate's own runtime dependency entries enable, as
    /// `package/feature`; empty outside a crate.
    pub features: &'a [String],
}

pub fn analyze(path: &Path, role: &FileRole) -> FileAnalysis {
    match std::fs::read(path) {
        Ok(bytes) => analyze_bytes(path, bytes, role),
        Err(e) => cannot_read(path, role, &e),
    }
}

/// The analysis of a file that could not be read: a `parse-error` and no facts.
pub fn cannot_read(path: &Path, role: &FileRole, e: &std::io::Error) -> FileAnalysis {
    let at = Position::new(1, 1);
    failed(path, role, at, at, format!("cannot read file: {e}"), "")
}

/// Phase 1 on the bytes of a file already read.
pub fn analyze_bytes(path: &Path, bytes: Vec<u8>, role: &FileRole) -> FileAnalysis {
    match String::from_utf8(bytes) {
        Ok(text) => analyze_text(path, &text, role),
        Err(e) => {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
                + 1;
            let at = Position::new(line, 1);
            let message = "file is not valid UTF-8, so it cannot be parsed";
            failed(path, role, at, at, message.into(), "")
        }
    }
}

/// Phase 1 on text already in memory (also what `--stdin-filename` uses).
pub fn analyze_text(path: &Path, text: &str, role: &FileRole) -> FileAnalysis {
    let suppressions = suppress::parse(text, suppress::Syntax::Rust);
    let result = match syn::parse_file(text) {
        Ok(file) => {
            let mut cx = FileCx::new(
                path,
                text,
                role.house,
                role.levels,
                role.is_test,
                role.is_config,
                role.features,
            );
            let bodies = crate::walk::MacroBodies::new();
            let mut walker = Walker::new(&mut cx, &bodies);
            walker.collect_uses(&file.items);
            walker.collect_logger_fns(&file.items);
            walker.visit_file(&file);
            crate::walk::drop_weighed(&mut cx.facts, &mut cx.diagnostics, text);
            cx.facts.generated = crate::generated::is_generated(text);
            // A module of terminal prompts; a crate root does many things besides.
            let root = path.ends_with("main.rs") || path.ends_with("lib.rs");
            if cx.facts.talks_to_terminal && !root {
                cx.diagnostics
                    .retain(|d| d.rule != crate::registry::RuleId::PrintLogging);
            }
            let ranges = cx.facts.ranges().map(|r| (r.start.line, r.end.line));
            cx.facts.lines = crate::line_index::SourceLines::keep(text, ranges);
            FileAnalysis {
                facts: cx.facts,
                diagnostics: cx.diagnostics,
                suppressions,
                mod_decls: {
                    let mut decls = test_modules::declarations(&file.items);
                    decls.extend(test_modules::commented_out(text));
                    decls
                },
            }
        }
        Err(e) => {
            let start = position(e.span().start());
            let end = position(e.span().end());
            let mut a = failed(path, role, start, end, format!("cannot parse: {e}"), text);
            a.suppressions = suppressions;
            a
        }
    };
    // With span locations, proc-macro2 keeps every parsed file in a thread-local source
    // map; drop it, or memory grows with the whole monorepo.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// `{{project-name | snake_case}}` or `{% if .. %}` outside a string literal: a
/// cargo-generate (liquid) or similar template, asked only of a file that did not parse (in
/// Rust, `{{` is only an escaped brace inside a format string).
fn has_template_placeholders(text: &str) -> bool {
    // A placeholder holds a name and filters only: `project-name | kebab_case`, `if x`.
    let placeholder = |inner: &str| {
        let inner = inner.trim();
        inner.starts_with(|c: char| c.is_ascii_alphabetic())
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '|' | '.'))
    };
    text.lines().any(|line| {
        let outside_strings = |at: usize| line[..at].matches('"').count() % 2 == 0;
        [("{{", "}}"), ("{%", "%}")].iter().any(|(open, close)| {
            line.match_indices(open).any(|(at, _)| {
                let rest = &line[at + 2..];
                outside_strings(at)
                    && rest
                        .find(close)
                        .is_some_and(|end| placeholder(&rest[..end]))
            })
        })
    })
}

fn failed(
    path: &Path,
    role: &FileRole,
    start: Position,
    end: Position,
    message: String,
    text: &str,
) -> FileAnalysis {
    let facts = FileFacts {
        path: path.to_path_buf(),
        is_test: role.is_test,
        ..FileFacts::default()
    };
    // Test code holds invalid Rust on purpose (compile-fail cases, a crate that must fail
    // to build, a syntax highlighter's samples): not being able to parse it is expected.
    // So does a project template's source, until its placeholders are filled in.
    let diagnostics = (!role.is_test && !has_template_placeholders(text))
        .then(|| {
            Diagnostic::at_level(
                crate::registry::RuleId::ParseError,
                role.levels,
                path,
                start,
                end,
                message,
                None,
                text,
            )
        })
        .flatten();
    FileAnalysis {
        facts,
        diagnostics: diagnostics.into_iter().collect(),
        suppressions: Vec::new(),
        mod_decls: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RouterRef;

    fn facts_of(text: &str) -> FileFacts {
        let house = House::default();
        let levels: Vec<Level> = crate::registry::RULES
            .iter()
            .map(|r| r.default_level)
            .collect();
        let role = FileRole {
            house: &house,
            levels: &levels,
            is_test: false,
            is_config: false,
            features: &[],
        };
        analyze_text(Path::new("src/app.rs"), text, &role).facts
    }

    /// A `let` inside a macro body is a wrapper candidate of the enclosing function, which
    /// becomes a fact only when that function ends: long after the macro's own walk. The
    /// walker keeps parsed macro bodies alive for the whole walk, so the fact still reads
    /// the names it points at.
    #[test]
    fn a_binding_inside_a_macro_body_outlives_the_macro() {
        let facts = facts_of(
            "fn app() -> Router {\n    let app = Router::new().route(\"/\", get(h));\n    \
             let all = vec![{ let svc = Shared::new(app); svc }];\n    all\n}\n",
        );
        let wrapper = facts
            .router
            .chains
            .iter()
            .find(|c| c.binding.as_deref() == Some("svc"))
            .unwrap_or_else(|| panic!("no wrapper fact in {:?}", facts.router.chains));
        assert_eq!(wrapper.func.as_deref(), Some("app"));
        assert!(
            matches!(&wrapper.base, Some(RouterRef::Var(v)) if v == "app"),
            "{wrapper:?}"
        );
    }
}
