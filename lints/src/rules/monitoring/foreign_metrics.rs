use crate::context::CrateCx;
use crate::rule::Rule;

const FOREIGN: &[&str] = &["prometheus", "statsd", "cadence", "dipstick"];

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency on a metrics stack other than the house one: `prometheus` used
    /// directly, `statsd`, `cadence`, `dipstick`. Dev-dependencies do not count. The house
    /// metrics API is the `metrics` facade (`counter!`, `gauge!`, `histogram!`); a paved
    /// service exports it on `/metrics` through the kit's recorder
    /// (`paved_kit::metrics::install`). Any recorder of the facade is the same stack, so
    /// `metrics-exporter-prometheus` is not flagged either.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies.
    ///
    /// ## Why
    /// One metrics facade means one way to register, name and export metrics, and one
    /// `/metrics` endpoint that every dashboard knows how to read. A second stack either
    /// pushes somewhere nobody looks or exposes metrics the shared dashboards miss.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// prometheus = "0.14"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// metrics = "0.24"
    /// ```
    pub struct ForeignMetrics {
        name: "foreign-metrics",
        group: Monitoring,
        level: Deny,
        scope: Crate,
        summary: "a metrics stack other than the `metrics` facade",
        roles: [Service, Worker, Library, Client],
    }
}

impl Rule for ForeignMetrics {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() {
            return;
        }
        for dep in krate.manifest.runtime_deps_on(FOREIGN) {
            cx.report_dependency(dep, format!("`{}` is a second metrics stack", dep.package))
                .help("record with the `metrics` macros (the house API); in a paved service the kit exports them on `/metrics`");
        }
    }
}
