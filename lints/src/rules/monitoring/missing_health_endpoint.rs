use crate::context::CrateCx;
use crate::rule::Rule;
use crate::rules::envelope::handler_without_envelope::is_health_alias;

crate::declare_rule! {
    /// ## What it does
    /// Flags a service with no route for the health path (`house.health_path`, default
    /// `/ping`). Route paths are read through `.nest(..)` prefixes and `.merge(..)`, and
    /// a path given as a `const`/`static` of the crate is resolved. When some route path
    /// or nested router cannot be resolved statically, the rule stays silent. The finding
    /// points at the top-level router's `Router::new()`, or, when the service answers a
    /// health check at another path (`/healthz`, `/health/live`, `/api/v1/health`), at that
    /// route: the probes of the platform ask the house path, and will not find it there.
    ///
    /// ## Why
    /// Load balancers and the process manager ask every service the same question at the
    /// same path, as nsqd does: plain text `OK` with 200, or `NOK - <reason>` with 500. A
    /// service without it is either never taken out of rotation or never put in.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn users() -> &'static str { "" }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// let app: Router = Router::new().route("/users", get(users));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn users() -> &'static str { "" }
    ///
    /// const HEALTH: &str = "/ping";
    ///
    /// async fn ping() -> &'static str {
    ///     "OK"
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// let app: Router = Router::new().route("/users", get(users)).route(HEALTH, get(ping));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Configuration
    /// `house.health_path` (default `/ping`).
    pub struct MissingHealthEndpoint {
        name: "missing-health-endpoint",
        group: Monitoring,
        level: Deny,
        scope: Service,
        summary: "no route for the health path (`house.health_path`, default `/ping`)",
    }
}

impl Rule for MissingHealthEndpoint {
    fn check_crate(&self, cx: &mut CrateCx) {
        let path = cx.house().health_path.clone();
        let help = format!(
            "add `.route(\"{path}\", get(ping))` answering plain `OK` (200) or `NOK - <reason>` (500)"
        );
        super::probe::report_missing(
            cx,
            super::probe::Probe {
                path: &path,
                name: "health endpoint",
                is_alias: is_health_alias,
                elsewhere: |at, path| {
                    format!(
                        "the health check answers at `{at}`, not at `{path}`, where the load balancer and the process manager ask"
                    )
                },
                help,
            },
        );
    }
}
