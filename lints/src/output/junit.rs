//! `--format junit`: JUnit XML for CI systems that show test reports. One test suite
//! `paved`, one test case per rule and file with findings (`classname` = rule, `name` =
//! path). A case with a deny finding fails and lists its findings; a case with warnings
//! only passes and lists them in `system-out`. A clean run is one passing case.

use super::Ci;
use crate::diagnostic::{Diagnostic, Level};
use crate::engine::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn render(report: &Report, ci: &Ci) -> String {
    let mut cases: BTreeMap<(&str, String), Vec<&Diagnostic>> = BTreeMap::new();
    for d in report.active() {
        cases
            .entry((d.rule.name(), ci.repo.display(&d.path)))
            .or_default()
            .push(d);
    }
    let failures = cases
        .values()
        .filter(|ds| ds.iter().any(|d| d.level == Level::Deny))
        .count();
    let tests = cases.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"paved\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"paved\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    if cases.is_empty() {
        let _ = writeln!(
            out,
            "    <testcase classname=\"paved\" name=\"no problems found\"/>"
        );
    }
    for ((rule, path), findings) in &cases {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\">",
            escape(rule),
            escape(path)
        );
        let listing: String = findings
            .iter()
            .map(|d| {
                format!(
                    "{path}:{}:{}: {}[{}] {}\n",
                    d.start.line, d.start.column, d.level, d.rule, d.message
                )
            })
            .collect();
        let deny = findings.iter().filter(|d| d.level == Level::Deny).count();
        if deny > 0 {
            let message = format!(
                "{} finding{} of {rule}",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            );
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{rule}\">{}</failure>",
                escape(&message),
                escape(&listing)
            );
        } else {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&listing));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes text and attribute values; drops characters XML 1.0 cannot carry.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            super::escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }
}
