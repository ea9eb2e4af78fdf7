//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff:
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=paved(rule)::message`.

use super::{Ci, error_or_warning};
use crate::engine::Report;
use std::fmt::Write;

/// One command per active finding; paths relative to the repository root.
pub fn render(report: &Report, ci: &Ci) -> String {
    let mut out = String::new();
    for d in report.active() {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            error_or_warning(d.level),
            escape_property(&ci.repo.display(&d.path)),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            escape_property(&format!("paved({})", d.rule)),
            escape_data(&message)
        );
    }
    out
}

/// As `@actions/core` escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As `@actions/core` escapes a property value: the data escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_toolkit() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
