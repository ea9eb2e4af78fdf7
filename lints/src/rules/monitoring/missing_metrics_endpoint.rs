use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a service with no route for the metrics path (`house.metrics_path`, default
    /// `/metrics`). Paths are resolved as for `missing-health-endpoint` (nest prefixes,
    /// merges, `const` paths); when something cannot be resolved, the rule stays silent.
    /// The finding points at the top-level router's `Router::new()`, or, when the service
    /// serves its metrics at another path (`/api/private/metrics/{kind}`, `/prometheus`),
    /// at that route: the platform's Prometheus scrapes the house path.
    ///
    /// ## Why
    /// Prometheus scrapes every service at the same path. A service that exposes no
    /// metrics is a blank panel on the dashboard when it misbehaves at 3am.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # async fn ping() -> &'static str { "OK" }
    ///
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
    /// # async fn render_metrics() -> String { String::new() }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// let app: Router = Router::new().route("/ping", get(ping)).route("/metrics", get(render_metrics));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Configuration
    /// `house.metrics_path` (default `/metrics`).
    pub struct MissingMetricsEndpoint {
        name: "missing-metrics-endpoint",
        group: Monitoring,
        level: Deny,
        scope: Service,
        summary: "no route for the metrics path (`house.metrics_path`, default `/metrics`)",
    }
}

impl Rule for MissingMetricsEndpoint {
    fn check_crate(&self, cx: &mut CrateCx) {
        let path = cx.house().metrics_path.clone();
        let help = format!(
            "add `.route(\"{path}\", get(metrics))` rendering the metrics recorder's handle (the kit's `routes::metrics`)"
        );
        super::probe::report_missing(
            cx,
            super::probe::Probe {
                path: &path,
                name: "metrics endpoint",
                is_alias: names_metrics,
                elsewhere: |at, path| {
                    format!(
                        "the metrics are served at `{at}`, not at `{path}`, where the platform's Prometheus scrapes"
                    )
                },
                help,
            },
        );
    }
}

/// `/api/private/metrics/{kind}`, `/prometheus`: a path with a segment that names metrics.
fn names_metrics(path: &str) -> bool {
    path.split('/')
        .any(|s| matches!(s.to_ascii_lowercase().as_str(), "metrics" | "prometheus"))
}
