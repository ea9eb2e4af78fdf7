use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: no route for the metrics path (`house.metrics_path`, default `/metrics`)
    pub struct MissingMetricsEndpoint {
        name: "missing-metrics-endpoint",
        group: Monitoring,
        level: Deny,
        scope: Service,
        summary: "no route for the metrics path (`house.metrics_path`, default `/metrics`)",
    }
}

impl Rule for MissingMetricsEndpoint {}
