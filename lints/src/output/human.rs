//! `--format human`: rustc-style findings with the source line and a caret under the span.

use crate::diagnostic::{Diagnostic, Level};
use crate::engine::Report;
use annotate_snippets::{AnnotationKind, Group, Renderer, Snippet};

/// Renders every active finding and the summary line. `color` adds ANSI styles.
pub fn render(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in report.active() {
        out.push_str(&render_one(&renderer, d));
        out.push_str("\n\n");
    }
    out.push_str(&super::summary_line(report));
    out.push('\n');
    out
}

fn render_one(renderer: &Renderer, d: &Diagnostic) -> String {
    let level = match d.level {
        Level::Deny => annotate_snippets::Level::ERROR,
        _ => annotate_snippets::Level::WARNING,
    };
    let path = crate::paths::slash_path(&d.path);
    let title = level.primary_title(d.message.as_str()).id(d.rule.name());
    let mut group = if d.source.is_empty() {
        // No source to show (e.g. an unreadable file): point at the location only.
        Group::with_title(title).element(
            annotate_snippets::Origin::path(path.as_str())
                .line(d.start.line as usize)
                .char_column(d.start.column as usize),
        )
    } else {
        let span = byte_span(d);
        Group::with_title(title).element(
            Snippet::source(d.source.as_str())
                .line_start(d.start.line as usize)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(span)),
        )
    };
    if let Some(help) = &d.help {
        group = group.element(annotate_snippets::Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}

/// The finding's span as byte offsets into `d.source` (which starts at `d.start.line`).
fn byte_span(d: &Diagnostic) -> std::ops::Range<usize> {
    let offset_of = |line: u32, column: u32| -> usize {
        let mut offset = 0;
        for (i, l) in d.source.split('\n').enumerate() {
            if i as u32 + d.start.line == line {
                return offset
                    + l.char_indices()
                        .nth(column.saturating_sub(1) as usize)
                        .map_or(l.len(), |(b, _)| b);
            }
            offset += l.len() + 1;
        }
        d.source.len()
    };
    let start = offset_of(d.start.line, d.start.column);
    let end = offset_of(d.end.line, d.end.column)
        .max(start + 1)
        .min(d.source.len().max(start + 1));
    start..end
}
