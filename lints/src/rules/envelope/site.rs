//! Sites: services whose routes answer pages and files for people, and the hooks of other
//! programs, with at most one route answering JSON (a bot's site of reports, its GitHub
//! and chat webhooks, one JSON list for another tool). What such a service answers on an
//! unknown path, or from a middleware that turns a crawler away, reaches a browser; no
//! API client parses it, so `missing-fallback` and `error-without-envelope` leave it be.

use crate::model::{Crate, TypeFact};
use crate::router::RouterIndex;
use crate::rules::envelope::handler_without_envelope::is_page;

/// Pages and files, at least this many, make a site (with at most one JSON route).
const MIN_PAGES: usize = 3;

pub fn is_site(krate: &Crate, index: &RouterIndex) -> bool {
    let mut pages = 0;
    let mut json = 0;
    for h in index.handlers.iter().filter(|h| !h.exempt) {
        if is_page(krate, h.fn_ref) {
            pages += 1;
        } else if krate.files[h.fn_ref.file].router.fns[h.fn_ref.index]
            .ret
            .as_ref()
            .is_some_and(mentions_json)
        {
            json += 1;
        }
    }
    pages >= MIN_PAGES && json <= 1
}

/// `Json<T>`, `Result<Json<T>, E>`, `(StatusCode, Json<T>)`.
fn mentions_json(ty: &TypeFact) -> bool {
    ty.name == "Json" || ty.args.iter().any(mentions_json)
}
