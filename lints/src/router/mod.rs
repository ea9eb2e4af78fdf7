//! The router index: what an axum service's routers, handlers and `axum::serve` calls
//! are, built lazily per crate from the facts phase 1 collected (`model::RouterFacts`).
//!
//! This file is the index and its queries; building it is `items` (the crate's items by
//! module, path resolution), `tree` (expanding routers into routes) and `build` (roots,
//! the top-level router, handlers).

pub(crate) mod extract;
pub(crate) mod macros;

mod build;
mod items;
mod modules;
mod tree;

use crate::model::{Crate, FnFact, Range};

/// A function fact of the crate: (file index, index into `RouterFacts::fns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FnRef {
    pub file: usize,
    pub index: usize,
}

/// A route with its full path (prefixes of `.nest(..)` applied), when known.
#[derive(Debug)]
pub struct Route {
    pub file: usize,
    pub path: Option<String>,
    /// The path as written in `.route(..)`, when known.
    pub local: Option<String>,
    /// Where the path argument is.
    pub range: Range,
    pub handlers: Vec<FnRef>,
    /// Registered only in development (`if env == Env::Development { .. }`).
    pub dev_only: bool,
}

/// A place in a file of the crate.
#[derive(Clone, Copy, Debug)]
pub struct Site {
    pub file: usize,
    pub range: Range,
}

/// A handler function or closure, and whether every route it serves is the health or
/// metrics endpoint (exempt from the envelope rules).
#[derive(Debug)]
pub struct Handler {
    pub fn_ref: FnRef,
    pub exempt: bool,
    /// Every route it serves is registered only in development.
    pub dev_only: bool,
}

#[derive(Debug, Default)]
pub struct RouterIndex {
    pub routes: Vec<Route>,
    pub handlers: Vec<Handler>,
    /// Whether the crate builds any router outside test code.
    pub has_router: bool,
    /// The `Router::new()` of the top-level router (where missing routes point).
    pub top_site: Option<Site>,
    /// Whether the top-level router has a fallback; `None` when that cannot be known.
    pub top_has_fallback: Option<bool>,
    /// Every router of the crate answers only the probes (`/metrics`, the health path): the
    /// admin listener of a worker or daemon, with no API behind it.
    pub serves_probes_only: bool,
    /// The `serve` calls, as (file, index of `RouterFacts::serves`), whose router answers
    /// only the probes: a `/metrics` listener beside the API's.
    pub probe_listeners: Vec<(usize, usize)>,
    /// Some route path or nested router could not be resolved: "no route for X" would be
    /// a guess.
    pub incomplete: bool,
    /// What could not be resolved statically, for `--verbose`.
    pub notes: Vec<String>,
}

impl RouterIndex {
    /// Whether some route's full path is `path` (trailing `/` ignored).
    pub fn has_route(&self, path: &str) -> bool {
        let want = path.trim_end_matches('/');
        self.routes.iter().any(|r| {
            r.path
                .as_deref()
                .is_some_and(|p| p.trim_end_matches('/') == want)
        })
    }

    pub fn build(krate: &Crate) -> RouterIndex {
        tree::Builder::new(krate).build()
    }
}

/// What the router index of one crate found, for `paved lint --verbose`: enough to tell
/// why route and handler rules said nothing about a crate.
#[derive(Clone, Debug)]
pub struct RouterSummary {
    pub crate_name: String,
    pub root: std::path::PathBuf,
    /// Routes indexed, and how many of them have a known full path.
    pub routes: usize,
    pub routes_with_path: usize,
    pub handlers: usize,
    /// Each route: its full path (or the path as written, or `?`), file and line.
    pub route_list: Vec<String>,
    /// Whether the crate is linted as a service (handler and route rules apply).
    pub is_service: bool,
    /// Whether the top-level router has a fallback; `None` when unknown.
    pub top_has_fallback: Option<bool>,
    pub incomplete: bool,
    /// Why something was not indexed (see `RouterIndex::notes`).
    pub notes: Vec<String>,
}

impl RouterSummary {
    pub fn of(krate: &Crate, index: &RouterIndex) -> Self {
        let mut notes = index.notes.clone();
        if !index.has_router {
            notes.insert(
                0,
                "no router (`Router`, aide `ApiRouter`, utoipa-axum `OpenApiRouter`) is built outside test code".into(),
            );
        }
        RouterSummary {
            crate_name: krate.name().to_string(),
            root: krate.root.clone(),
            routes: index.routes.len(),
            routes_with_path: index.routes.iter().filter(|r| r.path.is_some()).count(),
            handlers: index.handlers.len(),
            route_list: index
                .routes
                .iter()
                .map(|r| {
                    let path = r.path.as_deref().or(r.local.as_deref()).unwrap_or("?");
                    let file = krate.files[r.file].path.display();
                    format!("{path} ({file}:{})", r.range.start.line)
                })
                .collect(),
            is_service: krate.is_service,
            top_has_fallback: index.top_has_fallback,
            incomplete: index.incomplete,
            notes,
        }
    }
}

/// Whether a handler's return type is one of the envelope types, directly or as the `Ok`
/// side of a `Result`.
pub fn is_enveloped(ty: &crate::model::TypeFact, envelope_types: &[String]) -> bool {
    envelope_types
        .iter()
        .any(|e| e.rsplit("::").next() == Some(ty.name.as_str()))
        || (ty.name == "Result"
            && ty
                .args
                .first()
                .is_some_and(|ok| is_enveloped(ok, envelope_types)))
}

/// How a handler is named in messages: `` `create` `` or "a closure".
pub fn handler_name(f: &FnFact) -> String {
    if f.name.is_empty() {
        "closure handler".to_string()
    } else {
        format!("handler `{}`", f.name)
    }
}

/// Where a missing route should be added, when the router index is sure it is missing.
pub fn missing_route(index: &RouterIndex, path: &str) -> Option<Site> {
    if !index.has_router
        || index.incomplete
        || index.has_route(path)
        || index.routes.iter().any(|r| r.path.is_none())
    {
        return None;
    }
    index.top_site
}

/// A route that answers at another path what `path` is for (`/healthz` for `/ping`):
/// its path and where it is registered.
pub fn route_answering_instead(
    index: &RouterIndex,
    is_alias: impl Fn(&str) -> bool,
) -> Option<(String, Site)> {
    index.routes.iter().find_map(|r| {
        let at = r.path.as_deref().filter(|p| is_alias(p))?;
        let site = Site {
            file: r.file,
            range: r.range,
        };
        Some((at.to_string(), site))
    })
}
