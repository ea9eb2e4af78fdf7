//! `--format short`: `path:line:col: level[rule] message`, one line per finding, the shape
//! editors' problem matchers parse.

use crate::engine::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in report.active() {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            crate::paths::slash_path(&d.path),
            d.start.line,
            d.start.column,
            d.level,
            d.rule,
            d.message
        );
    }
    out
}
