use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a service whose top-level router (the one given to `axum::serve`, followed
    /// through variables, `.merge(..)` and functions that return it) has no
    /// `.fallback(..)`. The finding points at the router's `Router::new()`. When the
    /// top-level router cannot be followed, the rule only fires if no router of the crate
    /// has a fallback at all. A router that only serves the health or metrics path (a
    /// metrics listener on its own port) is not the API's top-level router: it needs no
    /// fallback, and when it is the only one followed while the crate builds other
    /// routers, the rule stays silent. A crate whose routers all answer only the probes
    /// (a worker's admin listener, health probes under other names too) or webhooks
    /// (`/webhook/{id}`: the sender reads the answer) has no API, and no finding; nor does
    /// a site, whose routes answer pages and files (three or more) and at most one JSON
    /// value: its unknown paths are asked by browsers; nor does a service whose API is a
    /// published protocol (as `handler-without-envelope` tells: Matrix, S3, WebDAV,
    /// restic's REST backend; or routes under `/xrpc/`, the AT Protocol's methods), whose
    /// clients expect that protocol's 404.
    ///
    /// ## Why
    /// Without a fallback, a request for an unknown path gets axum's empty 404: no
    /// envelope, nothing for the client to parse. A fallback answers
    /// `{"status_code": 404, "status_txt": "NOT_FOUND", "data": null}`.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn ping() -> &'static str { "OK" }
    /// # async fn list_notes() -> &'static str { "[]" }
    ///
    /// #[tokio::main]
    /// async fn main() {
    ///     let app = Router::new().route("/ping", get(ping)).route("/v1/notes", get(list_notes));
    ///     let listener = tokio::net::TcpListener::bind(std::env::args().nth(1).unwrap()).await.unwrap();
    ///     axum::serve(listener, app).with_graceful_shutdown(async {}).await.unwrap();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn ping() -> &'static str { "OK" }
    /// # async fn not_found() -> axum::http::StatusCode { axum::http::StatusCode::NOT_FOUND }
    ///
    /// #[tokio::main]
    /// async fn main() {
    ///     let app = Router::new().route("/ping", get(ping)).fallback(not_found);
    ///     let listener = tokio::net::TcpListener::bind(std::env::args().nth(1).unwrap()).await.unwrap();
    ///     axum::serve(listener, app).with_graceful_shutdown(async {}).await.unwrap();
    /// }
    /// ```
    pub struct MissingFallback {
        name: "missing-fallback",
        group: Envelope,
        level: Deny,
        scope: Service,
        summary: "the service's top-level `Router` has no `.fallback(...)`: unknown paths answer with an empty 404 instead of the envelope",
    }
}

impl Rule for MissingFallback {
    fn check_crate(&self, cx: &mut CrateCx) {
        let index = cx.router();
        let (Some(false), Some(site)) = (index.top_has_fallback, index.top_site) else {
            return;
        };
        if super::site::is_site(cx.krate, index)
            || super::protocols::spoken_protocol(cx.krate).is_some()
            || super::protocols::serves_xrpc(index)
        {
            return;
        }
        cx.report_in_file(site.file, site.range, "the top-level router has no `.fallback(..)`: unknown paths get an empty 404")
            .help("add `.fallback(not_found)` with a handler that answers the envelope with `\"status_txt\": \"NOT_FOUND\"`");
    }
}
