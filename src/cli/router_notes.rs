//! `paved lint --verbose`: what the router index found in each crate, and why it stayed
//! silent where it did (routes, handlers or routers it could not follow).

use paved_lints::RouterSummary;
use std::fmt::Write;

/// The text printed on stderr for `--verbose`, one block per crate.
pub fn render(summaries: &[RouterSummary]) -> String {
    let mut out = String::new();
    // A crate that is no service and builds no router has nothing to explain.
    for s in summaries.iter().filter(|s| s.is_service || s.routes > 0) {
        let fallback = match s.top_has_fallback {
            Some(true) => "has a fallback",
            Some(false) => "has no fallback",
            None => "fallback unknown",
        };
        let _ = writeln!(
            out,
            "router index: crate `{}` ({}){}: {} routes ({} with a full path), {} handlers; top-level router {fallback}{}",
            s.crate_name,
            s.root.display(),
            if s.is_service { "" } else { ", not a service" },
            s.routes,
            s.routes_with_path,
            s.handlers,
            if s.incomplete {
                "; incomplete, so missing routes are not reported"
            } else {
                ""
            },
        );
        for route in &s.route_list {
            let _ = writeln!(out, "  route: {route}");
        }
        for note in &s.notes {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    out
}
