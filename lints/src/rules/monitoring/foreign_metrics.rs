use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a metrics stack other than the house one (`metrics` + `metrics-exporter-prometheus`): `prometheus` used directly, `statsd`, `cadence`, `dipstick`
    pub struct ForeignMetrics {
        name: "foreign-metrics",
        group: Monitoring,
        level: Deny,
        scope: Crate,
        summary: "a metrics stack other than the house one",
    }
}

impl Rule for ForeignMetrics {}
