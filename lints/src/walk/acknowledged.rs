//! Panics whose author says why they cannot happen. `unwrap-in-handler` reports a panic on
//! the request path; these it leaves alone:
//! - an `.expect("BUG: ..")`: the message says reaching it is a bug in the program, not a
//!   bad request; or it names the type's bound the author weighed (`"count exceeding
//!   u64::max_value()"`);
//! - the panics after a comment, in the same function, that says an `unwrap`/`expect`/panic
//!   is safe (`// unwrap() is safe here since process_tarball() validates ..`): the author
//!   weighed them, and the comment is what a reviewer would ask for.
//!
//! And one address: a `hardcoded-address` finding right under a comment that calls it a
//! dummy or placeholder nothing connects to (`// dummy endpoint required to specify a
//! unix-socket connector, it is not used anywhere`).

use crate::comments;
use crate::line_index::LineIndex;
use crate::model::{FileFacts, PanicFact, Range};

/// `.expect("BUG: ..")` or an `expect` whose message says why it cannot fire
/// (`.expect("infallible extractor")`), or an unwrap of something that cannot fail
/// (`infallible.rs`).
pub(crate) fn is_acknowledged_call(c: &syn::ExprMethodCall) -> bool {
    super::infallible::cannot_fail(&c.receiver)
        || c.method == "expect"
            && matches!(c.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }))
            if s.value().starts_with("BUG") || says_why_it_cannot_fail(&s.value()) || names_a_type_maximum(&s.value()))
}

/// `.expect("download count exceeding u64::max_value()")`: the message names the bound the
/// author weighed (`u64::MAX`, `i64::max_value()`), not a request's failure.
fn names_a_type_maximum(message: &str) -> bool {
    ["::max_value()", "::MAX"]
        .iter()
        .any(|m| message.contains(m))
}

/// Drops what a comment of the file says the author weighed: the panics of each function
/// (and extractor) that follow a comment justifying them inside it, and the
/// `blocking-in-async` findings that a comment within the ten lines above calls deliberate
/// (`// We voluntarily use a non async operation: a rename is supposed to be quick`). The
/// comments are read once, and only when there is something to drop.
pub(crate) fn drop_weighed(
    facts: &mut FileFacts,
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
    text: &str,
) {
    use crate::registry::RuleId;
    let has_panics = facts.router.fns.iter().any(|f| !f.panics.is_empty())
        || facts.extractors.iter().any(|e| !e.panics.is_empty());
    let has_blocking_or_address = diagnostics
        .iter()
        .any(|d| matches!(d.rule, RuleId::BlockingInAsync | RuleId::HardcodedAddress));
    if !has_panics && !has_blocking_or_address {
        return;
    }
    let index = LineIndex::new(text);
    let blocks = comment_blocks(text, &index);
    let justified: Vec<u32> = blocks
        .iter()
        .filter(|(_, _, body)| justifies_a_panic(body))
        .map(|(first, _, _)| *first)
        .collect();
    for f in &mut facts.router.fns {
        let body_start = f.range.start.line;
        keep_unjustified(&mut f.panics, &justified, Some(body_start));
    }
    for e in &mut facts.extractors {
        keep_unjustified(&mut e.panics, &justified, None);
    }
    let deliberate: Vec<u32> = blocks
        .iter()
        .filter(|(_, _, body)| says_blocking_is_deliberate(body))
        .map(|(_, last, _)| *last)
        .collect();
    let dummies: Vec<u32> = blocks
        .iter()
        .filter(|(_, _, body)| says_address_is_a_dummy(body))
        .map(|(_, last, _)| *last)
        .collect();
    diagnostics.retain(|d| match d.rule {
        RuleId::BlockingInAsync => !deliberate
            .iter()
            .any(|&c| c < d.start.line && d.start.line <= c + 10),
        RuleId::HardcodedAddress => !dummies.contains(&d.start.line.saturating_sub(1)),
        _ => true,
    });
}

/// A comment that says the value under it is a stand-in nothing uses.
fn says_address_is_a_dummy(body: &str) -> bool {
    let body = body.to_ascii_lowercase();
    ["dummy", "placeholder", "not used", "unused", "never used"]
        .iter()
        .any(|w| body.contains(w))
}

/// A comment that says the code blocks on purpose.
fn says_blocking_is_deliberate(body: &str) -> bool {
    let body = body.to_ascii_lowercase();
    let names_blocking = ["blocking", "non async", "non-async", "synchronous", "sync "]
        .iter()
        .any(|w| body.contains(w));
    let on_purpose = [
        "voluntarily",
        "deliberately",
        "intentionally",
        "on purpose",
        "purposely",
    ]
    .iter()
    .any(|w| body.contains(w));
    names_blocking && on_purpose
}

/// The comments of the file as blocks: first line, last line and text; line comments on
/// consecutive lines are one block.
fn comment_blocks(text: &str, index: &LineIndex) -> Vec<(u32, u32, String)> {
    let mut blocks: Vec<(u32, u32, String)> = Vec::new();
    for c in comments::rust(text) {
        let (first, last) = (index.position(c.start).line, index.position(c.end).line);
        match blocks.last_mut() {
            Some((_, end, body)) if *end + 1 == first => {
                body.push(' ');
                body.push_str(c.body(text));
                *end = last;
            }
            _ => blocks.push((first, last, c.body(text).to_string())),
        }
    }
    blocks
}

/// Keeps the panics with no justifying comment between `from` (the function's first line)
/// and their own line. Without `from`, the comment must be within the ten lines above.
fn keep_unjustified(panics: &mut Vec<PanicFact>, justified: &[u32], from: Option<u32>) {
    panics.retain(|p: &PanicFact| {
        let line = first_line(&p.range);
        let start = from.unwrap_or(line.saturating_sub(10));
        !justified.iter().any(|&c| c >= start && c <= line)
    });
}

fn first_line(range: &Range) -> u32 {
    range.start.line
}

/// A comment that names a panic and says why it cannot happen.
fn justifies_a_panic(body: &str) -> bool {
    let body = body.to_ascii_lowercase();
    let names_panic = ["unwrap", "expect", "panic"]
        .iter()
        .any(|w| body.contains(w));
    names_panic && says_why_lowercase(&body)
}

/// Text that says why something cannot fail: `safe`, `never`, `infallible`, `always`, ...
fn says_why_it_cannot_fail(text: &str) -> bool {
    says_why_lowercase(&text.to_ascii_lowercase())
}

fn says_why_lowercase(body: &str) -> bool {
    [
        "safe",
        "cannot",
        "can't",
        "never",
        "infallible",
        "validated",
        "guaranteed",
        "always",
        "without fail",
        "won't",
        "will not",
        "we know",
        "known to",
        "ensures",
    ]
    .iter()
    .any(|w| body.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn justifying_comments() {
        for c in [
            " `unwrap()` is safe here since `process_tarball()` validates the manifest",
            " the regex is a literal, so this expect can never fire",
            " SAFETY of unwrap: the map always holds the key",
        ] {
            assert!(justifies_a_panic(c), "{c}");
        }
        assert!(says_blocking_is_deliberate(
            " We voluntarily use a non async operation: a rename is supposed to be quick"
        ));
        assert!(!says_blocking_is_deliberate(
            " blocking read of the key file"
        ));
        for c in [
            " TODO: remove this unwrap",
            " thread-safe cache",
            " parse the body",
        ] {
            assert!(!justifies_a_panic(c), "{c}");
        }
    }

    #[test]
    fn acknowledged_calls() {
        let call = |src: &str| -> syn::ExprMethodCall { syn::parse_str(src).unwrap() };
        assert!(is_acknowledged_call(&call(
            "parts.extensions.get::<Ctx>().expect(\"BUG: Ctx was not added\")"
        )));
        assert!(!is_acknowledged_call(&call("body.parse::<u32>().unwrap()")));
        assert!(!is_acknowledged_call(&call(
            "row.get(\"id\").expect(\"id column\")"
        )));
    }
}
