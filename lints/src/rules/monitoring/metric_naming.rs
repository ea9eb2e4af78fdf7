use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a literal metric name in `counter!`/`gauge!`/`histogram!` (also `describe_*!`) that breaks Prometheus naming: not `snake_case`; a counter not ending in `_total`; a histogram of time not in base units (`_ms`, `_millis`, `_us`, `_micros` instead of `_seconds`)
    pub struct MetricNaming {
        name: "metric-naming",
        group: Monitoring,
        level: Deny,
        scope: NotInTests,
        summary: "a literal metric name in `counter!`/`gauge!`/`histogram!`",
    }
}

impl Rule for MetricNaming {}
