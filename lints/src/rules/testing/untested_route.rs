use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a route whose path no test mentions: no string literal in test code (files
    /// under `tests/`, `#[cfg(test)]` modules, test functions, including literals inside
    /// `format!`, `assert*!` and `json!`) starts with the route's full path (`.nest(..)`
    /// prefixes applied). `:param`, `{param}` and `{*rest}` segments match anything. A
    /// literal may be relative to a base URL (`"api/v1/users"`, `"{}/api/v1/users"`,
    /// `"http://localhost:8080/api/v1/users"`), or start with a route constant of the same
    /// file (`format!("{BASE_URL}/{id}")` after `const BASE_URL: &str = "/api/v1/users"`);
    /// a placeholder glued to the last segment is the query string the test appends
    /// (`format!("/api/v1/users/count{query_suffix}")`).
    /// Routes reached through a typed client
    /// library of the same workspace count as tested: when the service's tests use a
    /// library that makes HTTP requests (it depends on `reqwest`, `hyper`, `ureq`, ...) as
    /// a dev-dependency, or as a dependency that test code imports, the path-like literals
    /// of the library's code count as mentioned by the tests, and so does a segment it
    /// joins to a base URL (`self.base_url.join("feedback")` is `/feedback`). So do the literals in the
    /// test code of every other crate of the same workspace (end-to-end tests kept in a
    /// crate of their own), and the URLs of a shell or Python script in a folder named for
    /// tests (an end-to-end suite outside Rust: `curl -X POST
    /// "${REGISTRY_URL}/api/v1/account/register"` in `e2e/runner.sh`,
    /// `f"http://localhost:{self.port}/grants"` in `test_runner/fixtures/http.py`).
    /// Routes whose path cannot be resolved statically are not reported, nor routes
    /// registered only in development (inside `if config.env() == Env::Development { .. }`
    /// or `if cfg!(debug_assertions) { .. }`), nor health probes under another name than
    /// the house's (`/healthcheck`, `/health`, `/api/v1/health/ping`, `/healthz`,
    /// `/status`, `/cluster-health`), nor the
    /// metrics path (`house.metrics_path`) or another path ending in `/metrics`
    /// (`/app/metrics`): a probe or a scrape target is exercised by
    /// whatever polls it. Nor the API's own description and docs pages (`/openapi.json`,
    /// `/docs`, `/swagger-ui`): a tool generates them from the routes; nor static files
    /// (`/robots.txt`, `/static/app@2.css`); nor an operator's diagnostics (`/debug/pprof/heap`,
    /// `/v1/diagnostics`, `/profile/heap/enable`, routes whose handlers are in a
    /// `diagnostics` or `debug` module: a dump has no answer to pin); nor pages, redirects and downloads (routes
    /// whose handlers all answer a browser, as `handler-without-envelope` tells them): the
    /// API's routes are what a route test checks. The finding
    /// points at the route's path literal.
    ///
    /// ## Why
    /// A route nobody calls in a test is a route whose answer nobody has checked: its
    /// envelope, its status codes, its errors. It is also the route that breaks silently
    /// when a handler is refactored.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn ping() -> &'static str { "OK" }
    /// # #[tokio::main]
    /// # async fn main() {
    /// let app: Router = Router::new().route("/ping", get(ping));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn ping() -> &'static str { "OK" }
    /// fn app() -> Router {
    ///     Router::new().route("/ping", get(ping))
    /// }
    /// # #[tokio::main]
    /// # async fn main() { let _ = app(); }
    ///
    /// #[cfg(test)]
    /// mod tests {
    ///     #[tokio::test]
    ///     async fn ping_answers_ok() {
    ///         let request = axum::http::Request::get("/ping").body(axum::body::Body::empty()).unwrap();
    ///         let _ = (super::app(), request);
    ///     }
    /// }
    /// ```
    pub struct UntestedRoute {
        name: "untested-route",
        group: Testing,
        level: Warn,
        scope: Service,
        summary: "a route path that no test mentions",
    }
}

/// Whether a string from a test starts with the route `pattern`.
pub fn mentions(pattern: &str, text: &str) -> bool {
    let text = text.split(['?', '#']).next().unwrap_or(text);
    let route: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let seen: Vec<&str> = text.trim_end_matches('/').split('/').collect();
    for (i, seg) in route.iter().enumerate() {
        if seg.starts_with("{*") || seg.starts_with('*') {
            return true;
        }
        let Some(got) = seen.get(i) else { return false };
        // `count{query_suffix}`: a format placeholder glued to the last segment is the
        // query string the test appends.
        let got: &str = match got.find('{') {
            Some(at) if at > 0 && got.ends_with('}') => &got[..at],
            _ => got,
        };
        let param = seg.starts_with(':') || (seg.starts_with('{') && seg.ends_with('}'));
        if param {
            if got.is_empty() {
                return false;
            }
        } else if *seg != got {
            return false;
        }
    }
    true
}

impl Rule for UntestedRoute {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        let tests: Vec<&str> = krate
            .files
            .iter()
            .flat_map(|f| f.router.test_paths.iter().map(String::as_str))
            .chain(krate.client_paths.iter().map(String::as_str))
            .chain(krate.suite_paths.iter().map(String::as_str))
            .collect();
        let mut found = Vec::new();
        for route in cx.router().routes.iter().filter(|r| !r.dev_only) {
            let Some(path) = &route.path else { continue };
            use crate::rules::envelope::handler_without_envelope::{
                in_diagnostics_module, is_api_document, is_health_alias, is_metrics_path,
                is_operator_diagnostics, is_page, is_static_asset,
            };
            let metrics = is_metrics_path(path, &krate.config.house);
            let all_handlers = |judge: &dyn Fn(crate::router::FnRef) -> bool| {
                !route.handlers.is_empty() && route.handlers.iter().all(|&h| judge(h))
            };
            let pages = all_handlers(&|h| is_page(krate, h));
            let diagnostics = all_handlers(&|h| in_diagnostics_module(krate, h));
            if metrics
                || pages
                || is_health_alias(path)
                || is_api_document(path)
                || is_static_asset(path)
                || is_operator_diagnostics(path)
                || diagnostics
            {
                continue;
            }
            if tests.iter().any(|t| mentions(path, t)) {
                continue;
            }
            if found
                .iter()
                .any(|(f, r, _)| *f == route.file && *r == route.range)
            {
                continue;
            }
            found.push((route.file, route.range, path.clone()));
        }
        for (file, range, path) in found {
            cx.report_in_file(file, range, format!("no test requests route `{path}`"))
                .help(format!("add a test that calls `{path}` (e.g. `app().oneshot(Request::get(\"{path}\")..)`) and checks its envelope"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn route_patterns() {
        assert!(mentions("/ping", "/ping"));
        assert!(mentions("/users/{id}", "/users/42"));
        assert!(mentions("/users/:id", "/users/42/posts"));
        assert!(mentions("/users/{id}", "/users/{}"));
        assert!(mentions("/files/{*rest}", "/files/a/b"));
        assert!(mentions("/", "/anything"));
        assert!(!mentions("/users/{id}", "/users"));
        assert!(!mentions("/ping", "/pong"));
        assert!(mentions("/ping", "/ping?verbose=1"));
    }
}
