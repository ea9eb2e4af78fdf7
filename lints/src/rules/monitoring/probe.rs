//! A probe path the platform asks every service (`/ping`, `/metrics`) and no route for it:
//! the finding points at the route that answers the same question elsewhere, when there is
//! one, and otherwise at the top-level router.

use crate::context::CrateCx;

/// What the finding says about a probe: its name (`health endpoint`) and, when another
/// route answers instead, why that route is not enough.
pub(super) struct Probe<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub is_alias: fn(&str) -> bool,
    pub elsewhere: fn(at: &str, path: &str) -> String,
    pub help: String,
}

pub(super) fn report_missing(cx: &mut CrateCx, probe: Probe<'_>) {
    let Some(site) = crate::router::missing_route(cx.router(), probe.path) else {
        return;
    };
    let (site, message) = match crate::router::route_answering_instead(cx.router(), probe.is_alias)
    {
        Some((at, route)) => (route, (probe.elsewhere)(&at, probe.path)),
        None => (
            site,
            format!("no route for the {} `{}`", probe.name, probe.path),
        ),
    };
    cx.report_in_file(site.file, site.range, message)
        .help(probe.help);
}
