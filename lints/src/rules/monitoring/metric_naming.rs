use crate::context::FileCx;
use crate::resolve::last_ident_is;
use crate::rule::Rule;

const METRIC_MACROS: &[&str] = &[
    "counter",
    "gauge",
    "histogram",
    "describe_counter",
    "describe_gauge",
    "describe_histogram",
];
const SUB_SECOND: &[&str] = &[
    "_ms",
    "_millis",
    "_milliseconds",
    "_us",
    "_micros",
    "_microseconds",
    "_ns",
    "_nanos",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a literal metric name in `counter!`, `gauge!`, `histogram!` (and their
    /// `describe_*!` forms) that breaks Prometheus naming: a name that is not
    /// `snake_case`, a counter not ending in `_total`, or a histogram of time not in base
    /// units (`_ms`, `_millis`, `_us`, `_micros` instead of `_seconds`). Names built at run
    /// time are not checked. A dot reads as an underscore (`app.queue.depth`): the
    /// Prometheus exporters of `metrics` and of OpenTelemetry write it as one. A crate
    /// that exports only through StatsD (`metrics-exporter-statsd`, `cadence`, and no
    /// Prometheus exporter) is not checked: StatsD's names are dotted and have no
    /// `_total`, and its dashboards key on them.
    ///
    /// ## Why
    /// Dashboards and alerts are shared between services: `http_requests_total` and
    /// `http_request_duration_seconds` mean the same thing everywhere only if every
    /// service names them the same way. Prometheus' conventions are the ones every query
    /// and every exporter already assumes.
    ///
    /// ## Example
    /// ```rust
    /// fn record(elapsed_ms: f64) {
    ///     metrics::counter!("requestsServed").increment(1);
    ///     metrics::histogram!("request_latency_ms").record(elapsed_ms);
    /// }
    /// # fn main() { record(1.0) }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn record(elapsed: std::time::Duration) {
    ///     metrics::counter!("requests_served_total").increment(1);
    ///     metrics::histogram!("request_latency_seconds").record(elapsed.as_secs_f64());
    /// }
    /// # fn main() { record(std::time::Duration::ZERO) }
    /// ```
    pub struct MetricNaming {
        name: "metric-naming",
        group: Monitoring,
        level: Deny,
        scope: NotInTests,
        summary: "a literal metric name in `counter!`/`gauge!`/`histogram!` that breaks Prometheus naming",
    }
}

/// Clients of StatsD (Datadog's DogStatsD included), whose names are dotted and carry no
/// `_total`: a crate that exports only through one follows StatsD's conventions, and its
/// dashboards key on those names.
const STATSD_EXPORTERS: &[&str] = &["metrics-exporter-statsd", "cadence", "dogstatsd", "statsd"];
/// Exporters that write Prometheus' text format.
const PROMETHEUS_EXPORTERS: &[&str] = &[
    "metrics-exporter-prometheus",
    "prometheus",
    "prometheus-client",
    "opentelemetry-prometheus",
    "axum-prometheus",
];

/// The crate exports its metrics through StatsD and not in Prometheus' format: Prometheus'
/// naming does not apply (`crate::engine` drops the rule's findings there).
pub fn exports_statsd_only(krate: &crate::model::Crate) -> bool {
    let manifest = &krate.manifest;
    manifest.runtime_deps_on(STATSD_EXPORTERS).next().is_some()
        && manifest
            .runtime_deps_on(PROMETHEUS_EXPORTERS)
            .next()
            .is_none()
}

/// What is wrong with a metric name, if anything.
pub fn problems(kind: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The Prometheus exporters of `metrics` and OpenTelemetry write a dot as `_`.
    let snake = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    if !snake {
        out.push("is not snake_case".to_string());
    }
    if kind.ends_with("counter") && !name.ends_with("_total") && !name.ends_with(".total") {
        out.push("is a counter not ending in `_total`".to_string());
    }
    if kind.ends_with("histogram") {
        let lower = name.to_ascii_lowercase();
        if let Some(unit) = SUB_SECOND.iter().find(|u| lower.ends_with(**u)) {
            out.push(format!("measures time in `{unit}` instead of `_seconds`"));
        }
    }
    out
}

impl Rule for MetricNaming {
    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        if !last_ident_is(&mac.path, METRIC_MACROS) {
            return;
        }
        let Some(proc_macro2::TokenTree::Literal(lit)) = mac.tokens.clone().into_iter().next()
        else {
            return;
        };
        let syn::Lit::Str(s) = syn::Lit::new(lit) else {
            return;
        };
        let kind = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let name = s.value();
        let problems = problems(&kind, &name);
        if problems.is_empty() {
            return;
        }
        cx.report(s.span(), format!("metric name `{name}` {}", problems.join(" and ")))
            .help("name metrics like Prometheus does: `snake_case`, counters ending in `_total`, durations in `_seconds`");
    }
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn names() {
        assert!(problems("counter", "http_requests_total").is_empty());
        assert!(problems("histogram", "request_duration_seconds").is_empty());
        assert!(problems("gauge", "queue_depth").is_empty());
        assert_eq!(problems("counter", "requestsServed").len(), 2);
        assert_eq!(problems("histogram", "latency_ms").len(), 1);
        assert_eq!(problems("describe_counter", "jobs").len(), 1);
        // Exported as `app_queue_depth`.
        assert!(problems("gauge", "app.queue.depth").is_empty());
        // Exported as `app_lock_acquire_total`.
        assert!(problems("counter", "app.lock.acquire.total").is_empty());
        assert_eq!(
            problems("counter", "app.tokio.poll_count"),
            ["is a counter not ending in `_total`"]
        );
        assert_eq!(problems("gauge", "app.Queue").len(), 1);
    }
}
